package io.chorus.p2p.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A chain's own certificate authority: the root every node's TLS certificate chains to, and so
 * the whole of peer admission. A node is admitted to the network by holding a certificate this
 * CA issued; the certificate names the node (CN), its member organisation (O) and binds its
 * consensus key ({@link ConsensusKeyExtension}), so a peer's chain address is authenticated by
 * TLS itself.
 *
 * <p>{@code chorus init} creates the CA once per chain ({@link #create}), saves it as
 * {@value #CERTIFICATE_FILE} and {@value #KEY_FILE} ({@link #save}), and issues each node's
 * certificate ({@link #issueNode}); operators keep {@value #KEY_FILE} offline afterwards.
 */
public final class ChainCa {
  /** The CA certificate's file name, PEM; every node holds a copy. */
  public static final String CERTIFICATE_FILE = "ca.pem";
  /** The CA private key's file name, PKCS#8 PEM; needed only to issue certificates. */
  public static final String KEY_FILE = "ca.key";
  // Random serial numbers of this many bits (CA/Browser Forum asks for at least 64).
  private static final int SERIAL_BITS = 127;

  private final TlsKeyAlgorithm algorithm;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;

  private ChainCa(TlsKeyAlgorithm algorithm, X509Certificate certificate, PrivateKey key) {
    this.algorithm = algorithm;
    this.certificate = certificate;
    this.privateKey = key;
  }

  /**
   * A new self-signed root for a chain.
   *
   * @param chainName the CA's common name, e.g. "Chorus chain 1337 CA"
   * @param organisation the consortium, written as the subject's O
   */
  public static ChainCa create(String chainName, String organisation, TlsKeyAlgorithm algorithm,
      Instant notBefore, Instant notAfter, SecureRandom random) {
    requireValidity(notBefore, notAfter);
    KeyPair keys = algorithm.generateKeyPair(random);
    X500Name subject = name(chainName, organisation);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          serial(random), Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              utils.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate root = sign(builder, algorithm, keys.getPrivate());
      return new ChainCa(algorithm, root, keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  /** The CA of a certificate and its private key, e.g. as read back from files. */
  public static ChainCa of(TlsKeyAlgorithm algorithm, X509Certificate certificate,
      PrivateKey privateKey) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("not a CA certificate: "
          + certificate.getSubjectX500Principal());
    }
    return new ChainCa(Objects.requireNonNull(algorithm, "algorithm"), certificate, privateKey);
  }

  /** Reads {@value #CERTIFICATE_FILE} and {@value #KEY_FILE} from a directory. */
  public static ChainCa load(TlsKeyAlgorithm algorithm, Path directory) throws IOException {
    return of(algorithm, Pem.readCertificate(directory.resolve(CERTIFICATE_FILE)),
        Pem.readPrivateKey(directory.resolve(KEY_FILE)));
  }

  /** Writes {@value #CERTIFICATE_FILE} and {@value #KEY_FILE} (owner-only) into a directory. */
  public void save(Path directory) throws IOException {
    Pem.writeCertificate(directory.resolve(CERTIFICATE_FILE), certificate);
    Pem.writePrivateKey(directory.resolve(KEY_FILE), privateKey);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public PrivateKey privateKey() {
    return privateKey;
  }

  /**
   * A node certificate for a TLS public key the node generated itself.
   *
   * @param nodeName the subject's CN, e.g. "validator-1"
   * @param organisation the member organisation running the node, the subject's O
   * @param identity the consensus key the certificate binds
   */
  public X509Certificate issue(String nodeName, String organisation, ConsensusIdentity identity,
      PublicKey tlsPublicKey, Instant notBefore, Instant notAfter, SecureRandom random) {
    requireValidity(notBefore, notAfter);
    Objects.requireNonNull(identity, "identity");
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate,
          serial(random), Date.from(notBefore), Date.from(notAfter),
          name(nodeName, organisation), tlsPublicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          // Every node both accepts and dials connections.
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.authorityKeyIdentifier, false,
              utils.createAuthorityKeyIdentifier(certificate))
          .addExtension(Extension.subjectKeyIdentifier, false,
              utils.createSubjectKeyIdentifier(tlsPublicKey))
          .addExtension(ConsensusKeyExtension.IDENTIFIER, false,
              ConsensusKeyExtension.encode(identity));
      return sign(builder, algorithm, privateKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + nodeName, e);
    }
  }

  /**
   * A node certificate with a fresh TLS key pair, as {@code chorus init} makes for a node: the
   * credentials returned are what the node needs to join the network.
   */
  public TlsCredentials issueNode(String nodeName, String organisation,
      ConsensusIdentity identity, Instant notBefore, Instant notAfter, SecureRandom random) {
    KeyPair tlsKeys = algorithm.generateKeyPair(random);
    X509Certificate node = issue(nodeName, organisation, identity, tlsKeys.getPublic(),
        notBefore, notAfter, random);
    return new TlsCredentials(certificate, node, tlsKeys.getPrivate());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder,
      TlsKeyAlgorithm algorithm, PrivateKey key) throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder(algorithm.signatureAlgorithm()).build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("no signer for " + algorithm.signatureAlgorithm(), e);
    }
  }

  private static X500Name name(String commonName, String organisation) {
    if (commonName.isBlank() || organisation.isBlank()) {
      throw new IllegalArgumentException("a certificate subject needs a CN and an O");
    }
    // Most significant first, so RFC 2253 prints "CN=node,O=org".
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, organisation)
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  private static BigInteger serial(SecureRandom random) {
    return new BigInteger(SERIAL_BITS, random).setBit(SERIAL_BITS - 1);
  }

  private static void requireValidity(Instant notBefore, Instant notAfter) {
    if (!notBefore.isBefore(notAfter)) {
      throw new IllegalArgumentException("validity must end after it starts: " + notBefore
          + " .. " + notAfter);
    }
  }
}
