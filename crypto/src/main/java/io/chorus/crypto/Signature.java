package io.chorus.crypto;

import java.math.BigInteger;

/**
 * An elliptic-curve signature (r, s) with the recovery id (0 or 1: the parity of the y of the
 * point R) that lets secp256k1 recover the signer's key; SM2 leaves it 0.
 */
public record Signature(BigInteger r, BigInteger s, int recoveryId) {
  public Signature {
    if (r.signum() < 0 || s.signum() < 0) {
      throw new IllegalArgumentException("signature values must be non-negative");
    }
    if (recoveryId < 0 || recoveryId > 3) {
      throw new IllegalArgumentException("recovery id must be 0..3, got " + recoveryId);
    }
  }
}
