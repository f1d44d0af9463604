package io.chorus.consensus;

import io.chorus.crypto.Signature;

/**
 * How the core hashes what validators sign and checks their signatures. The node passes
 * {@link CryptoVerifier} over the chain's crypto suite; the simulator may pass a fast keyed-hash
 * stand-in, so both run the very same verification code in the core.
 */
public interface SignatureVerifier {
  /** The 32-byte digest that is signed for {@code data}. */
  byte[] hash(byte[] data);

  /**
   * Whether {@code signature} over {@code digest} was made with the key behind {@code publicKey}.
   * Must return false, never throw, for any malformed signature: peers choose its bytes.
   */
  boolean verify(byte[] digest, Signature signature, byte[] publicKey);
}
