package io.chorus.consensus;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Signature;

/** {@link MessageSigner} with the validator's key pair under the chain's suite. */
public final class CryptoSigner implements MessageSigner {
  private final CryptoSuite suite;
  private final KeyPair keys;
  private final ByteKey address;

  /** The signer for {@code keys}; its address is the suite's address of the public key. */
  public CryptoSigner(CryptoSuite suite, KeyPair keys) {
    this.suite = suite;
    this.keys = keys;
    this.address = new ByteKey(suite.address(keys.publicKey()));
  }

  @Override
  public ByteKey address() {
    return address;
  }

  @Override
  public Signature sign(byte[] digest) {
    return suite.sign(digest, keys);
  }
}
