package io.chorus.consensus;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Signature;

/** {@link SignatureVerifier} over the chain's {@link CryptoSuite}: what the node uses. */
public record CryptoVerifier(CryptoSuite suite) implements SignatureVerifier {
  @Override
  public byte[] hash(byte[] data) {
    return suite.hash(data);
  }

  /** False for signatures the suite rejects as malformed: they come from peers. */
  @Override
  public boolean verify(byte[] digest, Signature signature, byte[] publicKey) {
    try {
      return suite.verify(digest, signature, publicKey);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }
}
