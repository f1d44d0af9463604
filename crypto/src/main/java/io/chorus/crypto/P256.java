package io.chorus.crypto;

import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;

/**
 * NIST P-256, the curve of an {@code ethereum} chain's consortium certificates (its accounts
 * are secp256k1): what is sealed for a certificate's holder there is sealed for its P-256 key,
 * with ECIES as the suite's own envelope does it (scheme {@code
 * ecies-p256-hkdf-sha256-aes256-gcm}, id 3). On {@code sm} chains certificates and accounts
 * share SM2, so the suite's envelope serves both.
 */
public final class P256 {
  static final EcDomain DOMAIN = new EcDomain(
      "P-256", new ECDomainParameters(CustomNamedCurves.getByName("secp256r1")), 1);

  private P256() {}

  /** The envelope sealed for 64-byte P-256 public keys (x || y). */
  public static Envelope envelope() {
    return EciesEnvelope.ON_P256;
  }

  /**
   * The key pair of a 32-byte P-256 private scalar, to open such an envelope.
   *
   * @throws IllegalArgumentException when the scalar is not a private key of P-256
   */
  public static KeyPair keyPair(byte[] privateKey) {
    return DOMAIN.keyPair(privateKey);
  }
}
