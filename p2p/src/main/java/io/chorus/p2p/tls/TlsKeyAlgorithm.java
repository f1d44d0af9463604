package io.chorus.p2p.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.gm.GMObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The key and signature algorithm of a chain's certificates (CAs, nodes and users alike),
 * chosen by the chain's crypto suite ({@link #forSuite}): NIST P-256 for {@code ethereum}
 * chains, whose nodes speak standard TLS 1.3 (the JDK's TLS stack does not accept secp256k1
 * certificates), and SM2 for {@code sm} chains, whose nodes speak ShangMi TLS (RFC 8998).
 */
public enum TlsKeyAlgorithm {
  /** ECDSA over NIST P-256 (secp256r1) with SHA-256, from the JDK's own provider. */
  P256("secp256r1", "SHA256withECDSA", null),
  /** SM2 (sm2p256v1) with SM3, from BouncyCastle: the JDK has no SM2. */
  SM2("sm2p256v1", "SM3withSM2", Bouncy.PROVIDER);

  private final String curve;
  private final String signatureAlgorithm;
  private final Provider provider;

  TlsKeyAlgorithm(String curve, String signatureAlgorithm, Provider provider) {
    this.curve = curve;
    this.signatureAlgorithm = signatureAlgorithm;
    this.provider = provider;
  }

  /**
   * The algorithm of a chain whose consensus suite is {@code suiteName}.
   *
   * @throws IllegalArgumentException for a suite with no certificate algorithm
   */
  public static TlsKeyAlgorithm forSuite(String suiteName) {
    return switch (suiteName) {
      case "ethereum" -> P256;
      case "sm" -> SM2;
      default -> throw new IllegalArgumentException("no certificate algorithm for suite "
          + suiteName + " (known: ethereum, sm)");
    };
  }

  /** The algorithm of a certificate's public key: SM2 for the SM2 curve, else P-256. */
  public static TlsKeyAlgorithm of(PublicKey key) {
    return GMObjectIdentifiers.sm2p256v1.equals(SubjectPublicKeyInfo.getInstance(
        key.getEncoded()).getAlgorithm().getParameters()) ? SM2 : P256;
  }

  /** The provider of this algorithm's keys and signatures; null for the JDK's default. */
  Provider provider() {
    return provider;
  }

  /** The JCA name of the signature the CA signs certificates with. */
  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  /** A fresh key pair on this algorithm's curve. */
  public KeyPair generateKeyPair(SecureRandom random) {
    try {
      KeyPairGenerator generator = provider == null
          ? KeyPairGenerator.getInstance("EC") : KeyPairGenerator.getInstance("EC", provider);
      generator.initialize(new ECGenParameterSpec(curve), random);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no provider for EC " + curve, e);
    }
  }
}
