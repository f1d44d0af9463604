package io.chorus.consensus.sim;

import io.chorus.codec.ByteKey;
import io.chorus.consensus.CryptoSigner;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.MessageSigner;
import io.chorus.consensus.SignatureVerifier;
import io.chorus.consensus.ValidatorSet;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Real keys and signatures of a crypto suite, for the few simulations that use them. */
final class CryptoAuth implements SimAuth {
  private final CryptoSuite suite;
  private final List<KeyPair> keys = new ArrayList<>();
  private final List<ValidatorSet.Validator> members;

  CryptoAuth(CryptoSuite suite, int n, long seed) {
    this.suite = suite;
    List<ValidatorSet.Validator> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] secret = new byte[32];
      ByteBuffer.wrap(secret).putLong(8, seed).putInt(28, i + 1);
      KeyPair pair = suite.keyPair(secret);
      keys.add(pair);
      list.add(new ValidatorSet.Validator(
          new ByteKey(suite.address(pair.publicKey())), pair.publicKey()));
    }
    members = List.copyOf(list);
  }

  @Override
  public List<ValidatorSet.Validator> members() {
    return members;
  }

  @Override
  public SignatureVerifier verifier() {
    return CryptoVerifier.forChain(suite, BigInteger.ONE, new byte[32]);
  }

  @Override
  public MessageSigner signer(int index) {
    return new CryptoSigner(suite, keys.get(index));
  }
}
