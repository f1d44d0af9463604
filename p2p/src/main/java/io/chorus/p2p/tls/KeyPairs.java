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
    TlsKeyAlgorithm algorithm = TlsKeyAlgorithm.of(publicKey);
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
}
