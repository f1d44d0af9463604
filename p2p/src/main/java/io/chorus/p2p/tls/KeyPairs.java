package io.chorus.p2p.tls;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;

/** Whether a private key belongs to a public key: a signature by one verifies with the other. */
final class KeyPairs {
  private static final byte[] PROBE = "chorus key pair probe".getBytes(
      java.nio.charset.StandardCharsets.US_ASCII);

  private KeyPairs() {}

  static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
    TlsKeyAlgorithm algorithm = isSm2(publicKey) ? TlsKeyAlgorithm.SM2 : TlsKeyAlgorithm.P256;
    try {
      Signature signer = Signature.getInstance(algorithm.signatureAlgorithm(), Bouncy.PROVIDER);
      signer.initSign(privateKey, new SecureRandom());
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm.signatureAlgorithm(),
          Bouncy.PROVIDER);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean isSm2(PublicKey key) {
    return org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded())
        .getAlgorithm().getParameters()
        .equals(org.bouncycastle.asn1.gm.GMObjectIdentifiers.sm2p256v1);
  }
}
