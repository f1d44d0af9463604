package io.chorus.p2p.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * What a node presents and trusts on the peer network: the chain CA's certificate (the only
 * root it trusts), its own certificate issued by that CA and its TLS private key. On disk they
 * are {@value ChainCa#CERTIFICATE_FILE}, {@value #CERTIFICATE_FILE} and {@value #KEY_FILE} in
 * the node's data directory.
 */
public record TlsCredentials(
    X509Certificate caCertificate, X509Certificate nodeCertificate, PrivateKey nodeKey) {
  /** The node certificate's file name, PEM. */
  public static final String CERTIFICATE_FILE = "node.pem";
  /** The node's TLS private key file name, PKCS#8 PEM (not its consensus key). */
  public static final String KEY_FILE = "node-tls.key";

  public TlsCredentials {
    Objects.requireNonNull(caCertificate, "caCertificate");
    Objects.requireNonNull(nodeCertificate, "nodeCertificate");
    Objects.requireNonNull(nodeKey, "nodeKey");
    if (!nodeCertificate.getIssuerX500Principal()
        .equals(caCertificate.getSubjectX500Principal())) {
      throw new IllegalArgumentException("the node certificate (issuer "
          + nodeCertificate.getIssuerX500Principal() + ") was not issued by the chain CA "
          + caCertificate.getSubjectX500Principal());
    }
  }

  /** Reads the three files from a node's data directory. */
  public static TlsCredentials load(Path directory) throws IOException {
    return new TlsCredentials(Pem.readCertificate(directory.resolve(ChainCa.CERTIFICATE_FILE)),
        Pem.readCertificate(directory.resolve(CERTIFICATE_FILE)),
        Pem.readPrivateKey(directory.resolve(KEY_FILE)));
  }

  /** Writes the three files (the key owner-only) into a node's data directory. */
  public void save(Path directory) throws IOException {
    Pem.writeCertificate(directory.resolve(ChainCa.CERTIFICATE_FILE), caCertificate);
    Pem.writeCertificate(directory.resolve(CERTIFICATE_FILE), nodeCertificate);
    Pem.writePrivateKey(directory.resolve(KEY_FILE), nodeKey);
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
