package io.chorus.p2p.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/**
 * The key and signature algorithm of a chain's TLS certificates (CA and nodes alike). Only NIST
 * P-256 today: the JDK's TLS stack does not accept secp256k1 certificates, and P-256 is what
 * every TLS 1.3 peer speaks. The SM2 (GB/T 38636 TLCP) variant is planned as a second constant.
 */
public enum TlsKeyAlgorithm {
  /** ECDSA over NIST P-256 (secp256r1) with SHA-256. */
  P256("secp256r1", "SHA256withECDSA");

  private final String curve;
  private final String signatureAlgorithm;

  TlsKeyAlgorithm(String curve, String signatureAlgorithm) {
    this.curve = curve;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  /** The JCA name of the signature the CA signs certificates with. */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** A fresh key pair on this algorithm's curve, from the JDK's own provider. */
  public KeyPair generateKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(curve), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK lacks EC " + curve, e);
    }
  }
}
