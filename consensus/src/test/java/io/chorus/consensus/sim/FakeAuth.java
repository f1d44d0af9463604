package io.chorus.consensus.sim;

import io.chorus.codec.ByteKey;
import io.chorus.consensus.MessageSigner;
import io.chorus.consensus.SignatureVerifier;
import io.chorus.consensus.ValidatorSet;
import io.chorus.crypto.Signature;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A fast stand-in for ECDSA so that thousands of simulations fit in CI: a "signature" is a keyed
 * SHA-256 of the digest under a per-validator secret. Only the verifier holds every secret; a node
 * signs through its own {@link MessageSigner}, so a Byzantine node cannot make another's
 * signature. The core runs its real verification path over it.
 */
public final class FakeAuth implements SignatureVerifier, SimAuth {
  private final Map<ByteKey, Long> secretByKey = new HashMap<>();
  private final List<Long> secrets = new ArrayList<>();
  private final List<ValidatorSet.Validator> members;
  private final MessageDigest sha256;

  /** {@code n} nodes whose secrets derive from {@code seed}. */
  public FakeAuth(int n, long seed) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<ValidatorSet.Validator> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] key = new byte[64];
      ByteBuffer.wrap(key).putLong(seed).putInt(i).putInt(0x5ec12e7);
      byte[] address = new byte[20];
      address[0] = (byte) 0xa0;
      address[19] = (byte) i;
      list.add(new ValidatorSet.Validator(new ByteKey(address), key));
      long secret = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + 1;
      secrets.add(secret);
      secretByKey.put(new ByteKey(key), secret);
    }
    members = List.copyOf(list);
  }

  @Override
  public SignatureVerifier verifier() {
    return this;
  }

  @Override
  public List<ValidatorSet.Validator> members() {
    return members;
  }

  /** All the nodes as one validator set, for tests of the core alone. */
  public ValidatorSet validators() {
    return new ValidatorSet(members);
  }

  /** The signer of validator {@code index}: knows that validator's secret only. */
  @Override
  public MessageSigner signer(int index) {
    ByteKey address = members.get(index).address();
    long secret = secrets.get(index);
    return new MessageSigner() {
      @Override
      public ByteKey address() {
        return address;
      }

      @Override
      public Signature sign(byte[] digest) {
        return new Signature(mac(secret, digest), BigInteger.ONE, 0);
      }
    };
  }

  @Override
  public byte[] hash(byte[] data) {
    return sha256.digest(data);
  }

  @Override
  public boolean verify(byte[] digest, Signature signature, byte[] publicKey) {
    Long secret = secretByKey.get(new ByteKey(publicKey));
    return secret != null && signature.s().equals(BigInteger.ONE) && signature.recoveryId() == 0
        && signature.r().equals(mac(secret, digest));
  }

  private BigInteger mac(long secret, byte[] digest) {
    sha256.update(ByteBuffer.allocate(8).putLong(secret).array());
    return new BigInteger(1, sha256.digest(digest));
  }
}
