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
import java.util.Optional;
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
 * A certificate authority of a chain's consortium PKI, three levels deep: the consortium's root,
 * one CA per member organisation that the root certifies, and the node and user certificates an
 * organisation's CA issues. Peer admission rests on it: a node is admitted to the network by
 * holding a node certificate of a member organisation ({@link ConsortiumTrust}). Every
 * certificate names its holder (CN) and organisation (O) and carries its {@link Role} as the
 * subject's OU; a node certificate also binds the node's consensus key
 * ({@link ConsensusKeyExtension}), so a peer's chain address is authenticated by TLS itself.
 *
 * <p>Keys and signatures are the chain suite's {@link TlsKeyAlgorithm}: P-256 for
 * {@code ethereum} chains, SM2 with SM3 for {@code sm} chains.
 *
 * <p>A CA is saved as {@value #CERTIFICATE_FILE} and {@value #KEY_FILE} in a directory of its
 * own ({@link #save}); operators keep the key files offline between issuances.
 */
public final class ChainCa {
  /** The CA certificate's file name, PEM; every node holds a copy. */
  public static final String CERTIFICATE_FILE = "ca.pem";
  /** The CA private key's file name, PKCS#8 PEM; needed only to issue certificates. */
  public static final String KEY_FILE = "ca.key";
  // Random serial numbers of this many bits (CA/Browser Forum asks for at least 64).
  private static final int SERIAL_BITS = 127;

  // The root certifies organisation CAs, which certify no further CA.
  private static final int ROOT_PATH_LENGTH = 1;

  private final TlsKeyAlgorithm algorithm;
  private final X509Certificate certificate;
  private final PrivateKey privateKey;
  private final X509Certificate root;

  private ChainCa(TlsKeyAlgorithm algorithm, X509Certificate certificate, PrivateKey key,
      X509Certificate root) {
    this.algorithm = algorithm;
    this.certificate = certificate;
    this.privateKey = key;
    this.root = root;
  }

  /**
   * A new self-signed consortium root for a chain.
   *
   * @param chainName the CA's common name, e.g. "Chorus chain 1337 CA"
   * @param organisation the consortium, written as the subject's O
   */
  public static ChainCa create(String chainName, String organisation, TlsKeyAlgorithm algorithm,
      Instant notBefore, Instant notAfter, SecureRandom random) {
    requireValidity(notBefore, notAfter);
    KeyPair keys = algorithm.generateKeyPair(random);
    X500Name subject = name(chainName, organisation, Role.CA);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          serial(random), Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(ROOT_PATH_LENGTH))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false,
              utils.createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate root = sign(builder, algorithm, keys.getPrivate());
      return new ChainCa(algorithm, root, keys.getPrivate(), root);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  /**
   * A new CA for a member organisation, certified by this root.
   *
   * @param organisation the organisation's name, the O of every certificate its CA issues
   * @throws IllegalStateException when this CA is an organisation's, not the root
   */
  public ChainCa issueOrganisation(String organisation, Instant notBefore, Instant notAfter,
      SecureRandom random) {
    if (!isRoot()) {
      throw new IllegalStateException("only the consortium root certifies organisations; this "
          + "is the CA of " + organisation());
    }
    requireValidity(notBefore, notAfter);
    KeyPair keys = algorithm.generateKeyPair(random);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate,
          serial(random), Date.from(notBefore), Date.from(notAfter),
          name(organisation + " CA", organisation, Role.CA), keys.getPublic())
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.authorityKeyIdentifier, false,
              utils.createAuthorityKeyIdentifier(certificate))
          .addExtension(Extension.subjectKeyIdentifier, false,
              utils.createSubjectKeyIdentifier(keys.getPublic()));
      return new ChainCa(algorithm, sign(builder, algorithm, privateKey), keys.getPrivate(),
          root);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot certify organisation " + organisation, e);
    }
  }

  /**
   * The CA of a certificate and its private key, e.g. as read back from files.
   *
   * @param root the consortium root: {@code certificate} itself for the root, the root that
   *     certified it for an organisation's CA
   */
  public static ChainCa of(TlsKeyAlgorithm algorithm, X509Certificate certificate,
      PrivateKey privateKey, X509Certificate root) {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(root, "root");
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("not a CA certificate: "
          + certificate.getSubjectX500Principal());
    }
    if (!certificate.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
      throw new IllegalArgumentException("the CA " + certificate.getSubjectX500Principal()
          + " was not certified by the root " + root.getSubjectX500Principal());
    }
    return new ChainCa(Objects.requireNonNull(algorithm, "algorithm"), certificate, privateKey,
        root);
  }

  /** Reads a root's {@value #CERTIFICATE_FILE} and {@value #KEY_FILE} from a directory. */
  public static ChainCa load(TlsKeyAlgorithm algorithm, Path directory) throws IOException {
    X509Certificate certificate = Pem.readCertificate(directory.resolve(CERTIFICATE_FILE));
    return of(algorithm, certificate, Pem.readPrivateKey(directory.resolve(KEY_FILE)),
        certificate);
  }

  /** Reads an organisation CA's files from a directory, given the root that certified it. */
  public static ChainCa load(TlsKeyAlgorithm algorithm, Path directory, X509Certificate root)
      throws IOException {
    return of(algorithm, Pem.readCertificate(directory.resolve(CERTIFICATE_FILE)),
        Pem.readPrivateKey(directory.resolve(KEY_FILE)), root);
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

  /** The consortium root this CA chains to (itself for the root). */
  public X509Certificate root() {
    return root;
  }

  public boolean isRoot() {
    return certificate.equals(root);
  }

  /** The organisation this CA certifies for: its subject's O. */
  public String organisation() {
    return Subjects.organisation(certificate);
  }

  public TlsKeyAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * A node certificate for a TLS public key the node generated itself, in this organisation.
   *
   * @param nodeName the subject's CN, e.g. "validator-1"
   * @param identity the consensus key the certificate binds
   * @throws IllegalStateException when this is the root: nodes belong to an organisation
   */
  public X509Certificate issue(String nodeName, ConsensusIdentity identity,
      PublicKey tlsPublicKey, Instant notBefore, Instant notAfter, SecureRandom random) {
    Objects.requireNonNull(identity, "identity");
    try {
      return sign(leaf(nodeName, Role.NODE, tlsPublicKey, notBefore, notAfter, random)
          .addExtension(ConsensusKeyExtension.IDENTIFIER, false,
              ConsensusKeyExtension.encode(identity)), algorithm, privateKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + nodeName, e);
    }
  }

  /**
   * A user certificate with a fresh key pair of the chain's algorithm: a person or client of
   * this organisation in a role other than node.
   *
   * @param account the chain account the user signs transactions with, when the certificate
   *     should bind it (same extension as a node's consensus key), so that the account maps to
   *     this organisation and role
   * @return the certificate chain (user, organisation CA) and the user's private key
   * @throws IllegalArgumentException for the node and CA roles, which have their own issuance
   */
  public UserCredentials issueUser(String userName, Role role,
      Optional<ConsensusIdentity> account, Instant notBefore, Instant notAfter,
      SecureRandom random) {
    if (role == Role.NODE || role == Role.CA) {
      throw new IllegalArgumentException("a user's role cannot be " + role.label()
          + "; pick one of " + Role.userRoles());
    }
    KeyPair keys = algorithm.generateKeyPair(random);
    try {
      X509v3CertificateBuilder builder = leaf(userName, role, keys.getPublic(), notBefore,
          notAfter, random);
      if (account.isPresent()) {
        builder.addExtension(ConsensusKeyExtension.IDENTIFIER, false,
            ConsensusKeyExtension.encode(account.get()));
      }
      return new UserCredentials(sign(builder, algorithm, privateKey), certificate,
          keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + userName, e);
    }
  }

  /** A user's certificate, its organisation CA's and its private key. */
  public record UserCredentials(X509Certificate certificate, X509Certificate organisation,
      PrivateKey key) {
    /** The user certificate's file name in its directory, PEM chain (user, organisation CA). */
    public static final String CERTIFICATE_FILE = "user.pem";
    /** The user's private key file name, PKCS#8 PEM. */
    public static final String KEY_FILE = "user.key";

    public void save(Path directory) throws IOException {
      Pem.writeCertificates(directory.resolve(CERTIFICATE_FILE),
          java.util.List.of(certificate, organisation));
      Pem.writePrivateKey(directory.resolve(KEY_FILE), key);
    }
  }

  // An end-entity certificate of this organisation, to be completed with role extensions.
  private X509v3CertificateBuilder leaf(String name, Role role, PublicKey publicKey,
      Instant notBefore, Instant notAfter, SecureRandom random)
      throws GeneralSecurityException, CertIOException {
    if (isRoot()) {
      throw new IllegalStateException("the consortium root certifies organisations only: issue "
          + name + "'s certificate with its organisation's CA");
    }
    requireValidity(notBefore, notAfter);
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    return new JcaX509v3CertificateBuilder(certificate,
          serial(random), Date.from(notBefore), Date.from(notAfter),
          name(name, organisation(), role), publicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          // Every node both accepts and dials connections.
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.authorityKeyIdentifier, false,
              utils.createAuthorityKeyIdentifier(certificate))
          .addExtension(Extension.subjectKeyIdentifier, false,
              utils.createSubjectKeyIdentifier(publicKey));
  }

  /**
   * A node certificate with a fresh TLS key pair, as {@code chorus init} makes for a node: the
   * credentials returned are what the node needs to join the network.
   */
  public TlsCredentials issueNode(String nodeName, ConsensusIdentity identity,
      Instant notBefore, Instant notAfter, SecureRandom random) {
    KeyPair tlsKeys = algorithm.generateKeyPair(random);
    X509Certificate node = issue(nodeName, identity, tlsKeys.getPublic(), notBefore, notAfter,
        random);
    return new TlsCredentials(root, node, certificate, tlsKeys.getPrivate());
  }

  /**
   * A new certificate and TLS key for a node this organisation certified before: same name and
   * consensus key, new validity. The node presents it from its next handshake on.
   *
   * @throws IllegalArgumentException when the node's certificate is not this CA's
   */
  public TlsCredentials rotateNode(TlsCredentials node, Instant notBefore, Instant notAfter,
      SecureRandom random) {
    if (!node.organisationCertificate().equals(certificate)) {
      throw new IllegalArgumentException("the certificate of "
          + node.nodeCertificate().getSubjectX500Principal() + " was issued by "
          + node.organisationCertificate().getSubjectX500Principal() + ", not by "
          + certificate.getSubjectX500Principal());
    }
    try {
      return issueNode(Subjects.commonName(node.nodeCertificate()), node.identity(), notBefore,
          notAfter, random);
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder,
      TlsKeyAlgorithm algorithm, PrivateKey key) throws GeneralSecurityException {
    try {
      JcaContentSignerBuilder signer = new JcaContentSignerBuilder(
          algorithm.signatureAlgorithm());
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      if (algorithm.provider() != null) {
        signer.setProvider(algorithm.provider());
        converter.setProvider(algorithm.provider());
      }
      return converter.getCertificate(builder.build(signer.build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("no signer for " + algorithm.signatureAlgorithm(), e);
    }
  }

  private static X500Name name(String commonName, String organisation, Role role) {
    if (commonName.isBlank() || organisation.isBlank()) {
      throw new IllegalArgumentException("a certificate subject needs a CN and an O");
    }
    // Most significant first, so RFC 2253 prints "CN=node,OU=node,O=org".
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, organisation)
        .addRDN(BCStyle.OU, role.label())
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
