package io.chorus.client;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.BigIntegers;

/**
 * A consortium user's certificate chain (the user's certificate, then its organisation's CA)
 * and private key, as {@code chorus ca user} writes them ({@code user.pem}, {@code user.key}):
 * what {@link SharingClient#fetch(long, long, List, UserCertificate, java.time.Duration)}
 * authenticates with. SM2 keys on {@code sm} chains, P-256 on {@code ethereum} ones.
 */
public final class UserCertificate {
  private static final BouncyCastleProvider BOUNCY = new BouncyCastleProvider();

  private final List<X509Certificate> chain;
  private final PrivateKey key;

  private UserCertificate(List<X509Certificate> chain, PrivateKey key) {
    this.chain = List.copyOf(chain);
    this.key = key;
  }

  /**
   * Reads the PEM files.
   *
   * @param certificate PEM certificates, the user's first, then its organisation's CA
   * @param key the user's unencrypted PKCS#8 PEM private key
   * @throws IllegalArgumentException saying what is wrong with either file
   */
  public static UserCertificate load(Path certificate, Path key) throws IOException {
    List<X509Certificate> chain = new ArrayList<>();
    try (var in = new ByteArrayInputStream(Files.readAllBytes(certificate))) {
      for (Certificate c : CertificateFactory.getInstance("X.509", BOUNCY)
          .generateCertificates(in)) {
        chain.add((X509Certificate) c);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(certificate + " is not PEM X.509 certificates: "
          + e.getMessage(), e);
    }
    if (chain.size() < 2) {
      throw new IllegalArgumentException(certificate + " holds " + chain.size()
          + " certificate(s): give the user.pem 'chorus ca user' wrote (the user's"
          + " certificate, then its organisation's CA)");
    }
    String pem = Files.readString(key, StandardCharsets.US_ASCII);
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(key + " holds no unencrypted PKCS#8 PRIVATE KEY: give"
          + " the user.key 'chorus ca user' wrote");
    }
    PrivateKey privateKey;
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.substring(
          begin + "-----BEGIN PRIVATE KEY-----".length(), end));
      privateKey = java.security.KeyFactory.getInstance("EC", BOUNCY)
          .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " is not an EC private key: " + e.getMessage(),
          e);
    }
    UserCertificate user = new UserCertificate(chain, privateKey);
    if (!user.holdsKeyOf(chain.getFirst())) {
      throw new IllegalArgumentException(key + " is not the key of the certificate in "
          + certificate);
    }
    return user;
  }

  /** The user's certificate then its organisation's CA. */
  public List<X509Certificate> chain() {
    return chain;
  }

  /** The user certificate's subject O: the department the chain knows the user by. */
  public String organisation() {
    var rdns = org.bouncycastle.asn1.x500.X500Name.getInstance(chain.getFirst()
        .getSubjectX500Principal().getEncoded()).getRDNs(
            org.bouncycastle.asn1.x500.style.BCStyle.O);
    return rdns.length == 0 ? "" : org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(
        rdns[0].getFirst().getValue());
  }

  /** The chain as the {@code Chorus-Certificate} header sends it: base64 DER, commas. */
  String header() {
    List<String> parts = new ArrayList<>();
    for (X509Certificate certificate : chain) {
      try {
        parts.add(Base64.getEncoder().encodeToString(certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("a parsed certificate encodes", e);
      }
    }
    return String.join(",", parts);
  }

  /** The certificate's public key, 64 bytes x || y. */
  byte[] publicKey() {
    var w = ((ECPublicKey) chain.getFirst().getPublicKey()).getW();
    return io.chorus.codec.Bytes.concat(BigIntegers.asUnsignedByteArray(32, w.getAffineX()),
        BigIntegers.asUnsignedByteArray(32, w.getAffineY()));
  }

  /** The private key's 32-byte scalar, to open what was sealed for the certificate. */
  byte[] privateScalar() {
    return BigIntegers.asUnsignedByteArray(32, ((ECPrivateKey) key).getS());
  }

  /** A signature of {@code message}: SM3withSM2 for an SM2 key, else ECDSA with SHA-256. */
  byte[] sign(byte[] message, boolean sm) {
    try {
      Signature signer = Signature.getInstance(sm ? "SM3withSM2" : "SHA256withECDSA", BOUNCY);
      signer.initSign(key);
      signer.update(message);
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with the user's key ("
          + e.getMessage() + "): is it a key of this chain's suite (SM2 on sm chains, P-256"
          + " on ethereum ones)?", e);
    }
  }

  private boolean holdsKeyOf(X509Certificate certificate) {
    byte[] probe = "chorus key check".getBytes(StandardCharsets.US_ASCII);
    for (boolean sm : new boolean[] {true, false}) {
      try {
        Signature verifier = Signature.getInstance(sm ? "SM3withSM2" : "SHA256withECDSA",
            BOUNCY);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(probe);
        if (verifier.verify(sign(probe, sm))) {
          return true;
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // not this algorithm; try the other
      }
    }
    return false;
  }
}
