package io.chorus.p2p.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * What a node presents and trusts on the peer network: the consortium root's certificate (the
 * only root it trusts), its own certificate, the CA certificate of its organisation that issued
 * it, and its TLS private key. On disk they are {@value ChainCa#CERTIFICATE_FILE},
 * {@value #CERTIFICATE_FILE} (node then organisation CA, one PEM chain) and {@value #KEY_FILE}
 * in the node's TLS directory.
 */
public record TlsCredentials(X509Certificate caCertificate, X509Certificate nodeCertificate,
    X509Certificate organisationCertificate, PrivateKey nodeKey) {
  /** The node certificate chain's file name, PEM: the node's, then its organisation CA's. */
  public static final String CERTIFICATE_FILE = "node.pem";
  /** The node's TLS private key file name, PKCS#8 PEM (not its consensus key). */
  public static final String KEY_FILE = "node-tls.key";

  public TlsCredentials {
    Objects.requireNonNull(caCertificate, "caCertificate");
    Objects.requireNonNull(nodeCertificate, "nodeCertificate");
    Objects.requireNonNull(organisationCertificate, "organisationCertificate");
    Objects.requireNonNull(nodeKey, "nodeKey");
    if (!nodeCertificate.getIssuerX500Principal()
        .equals(organisationCertificate.getSubjectX500Principal())) {
      throw new IllegalArgumentException("the node certificate (issuer "
          + nodeCertificate.getIssuerX500Principal() + ") was not issued by its organisation CA "
          + organisationCertificate.getSubjectX500Principal());
    }
    if (!organisationCertificate.getIssuerX500Principal()
        .equals(caCertificate.getSubjectX500Principal())) {
      throw new IllegalArgumentException("the organisation CA (issuer "
          + organisationCertificate.getIssuerX500Principal() + ") was not certified by the "
          + "consortium root " + caCertificate.getSubjectX500Principal());
    }
  }

  /**
   * Reads the three files from a node's TLS directory.
   *
   * @throws IOException when a file is missing or malformed, or {@value #CERTIFICATE_FILE} is
   *     not a chain of two
   */
  public static TlsCredentials load(Path directory) throws IOException {
    Path chainFile = directory.resolve(CERTIFICATE_FILE);
    List<X509Certificate> chain = Pem.readCertificates(chainFile);
    if (chain.size() != 2) {
      throw new IOException(chainFile + " holds " + chain.size() + " certificates; it must hold "
          + "the node's and then its organisation CA's (issue it with 'chorus ca node')");
    }
    return new TlsCredentials(Pem.readCertificate(directory.resolve(ChainCa.CERTIFICATE_FILE)),
        chain.get(0), chain.get(1), Pem.readPrivateKey(directory.resolve(KEY_FILE)));
  }

  /** Writes the three files (the key owner-only) into a node's TLS directory. */
  public void save(Path directory) throws IOException {
    Pem.writeCertificate(directory.resolve(ChainCa.CERTIFICATE_FILE), caCertificate);
    Pem.writeCertificates(directory.resolve(CERTIFICATE_FILE), presentedChain());
    Pem.writePrivateKey(directory.resolve(KEY_FILE), nodeKey);
  }

  /**
   * Replaces a running node's certificate chain and TLS key: each file is written beside its
   * target and moved over it, the key first, so the node's {@link TlsDirectory} never reads a
   * half-written file and takes the new pair up at its next poll.
   */
  public void replace(Path directory) throws IOException {
    Path key = directory.resolve(KEY_FILE);
    Path chain = directory.resolve(CERTIFICATE_FILE);
    Path newKey = directory.resolve(KEY_FILE + ".new");
    Path newChain = directory.resolve(CERTIFICATE_FILE + ".new");
    Pem.writePrivateKey(newKey, nodeKey);
    Pem.writeCertificates(newChain, presentedChain());
    Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    Files.move(newChain, chain, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** What the node sends in a handshake: its certificate, then its organisation CA's. */
  public List<X509Certificate> presentedChain() {
    return List.of(nodeCertificate, organisationCertificate);
  }

  /**
   * The consensus identity this node's certificate binds.
   *
   * @throws CertificateException when the certificate carries none
   */
  public ConsensusIdentity identity() throws CertificateException {
    return ConsensusKeyExtension.read(nodeCertificate);
  }
}
