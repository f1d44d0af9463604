package io.chorus.p2p.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the chain PKI issues certificates that bind a node's consensus key, and its files read
 * back as written. Method: issue with both crypto suites' keys, write and read PEM files, verify
 * signatures and extensions with the JDK's own X.509 code.
 */
class ChainCaTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant LATER = NOW.plus(Duration.ofDays(3650));

  private static ChainCa ca() {
    return ChainCa.create("Chorus test CA", "Test Consortium", TlsKeyAlgorithm.P256, NOW, LATER,
        RANDOM);
  }

  @Test
  void issuedCertificateBindsTheConsensusKey() throws Exception {
    ChainCa ca = ca();
    for (CryptoSuite suite : new CryptoSuite[] {CryptoSuite.ethereum(), CryptoSuite.sm()}) {
      KeyPair consensus = suite.generateKeyPair(RANDOM);
      ConsensusIdentity identity = new ConsensusIdentity(suite.name(), consensus.publicKey());
      TlsCredentials node = ca.issueNode("validator-1", "Bank A", identity, NOW, LATER, RANDOM);
      X509Certificate cert = node.nodeCertificate();

      ConsensusIdentity read = ConsensusKeyExtension.read(cert);
      assertEquals(identity, read);
      assertArrayEquals(consensus.publicKey(), read.publicKey());
      assertFalse(cert.getCriticalExtensionOIDs().contains(ConsensusKeyExtension.OID));
      cert.verify(ca.certificate().getPublicKey());
      assertEquals("CN=validator-1,O=Bank A", cert.getSubjectX500Principal().getName());
      assertEquals(-1, cert.getBasicConstraints());
      assertTrue(cert.getExtendedKeyUsage().containsAll(
          Set.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
    }
  }

  @Test
  void caIsSelfSignedRoot() throws Exception {
    ChainCa ca = ca();
    X509Certificate root = ca.certificate();
    root.verify(root.getPublicKey());
    assertEquals(0, root.getBasicConstraints());
    assertEquals(NOW, root.getNotBefore().toInstant());
    assertThrows(CertificateException.class, () -> ConsensusKeyExtension.read(root));
  }

  @Test
  void pemFilesRoundTrip(@TempDir Path dir) throws Exception {
    ChainCa ca = ca();
    ca.save(dir);
    KeyPair consensus = CryptoSuite.ethereum().generateKeyPair(RANDOM);
    TlsCredentials node = ca.issueNode("n1", "Org", new ConsensusIdentity("ethereum",
        consensus.publicKey()), NOW, LATER, RANDOM);
    node.save(dir);

    ChainCa loaded = ChainCa.load(TlsKeyAlgorithm.P256, dir);
    assertEquals(ca.certificate(), loaded.certificate());
    assertArrayEquals(ca.privateKey().getEncoded(), loaded.privateKey().getEncoded());
    TlsCredentials back = TlsCredentials.load(dir);
    assertEquals(node.nodeCertificate(), back.nodeCertificate());
    assertEquals(node.caCertificate(), back.caCertificate());
    assertArrayEquals(node.nodeKey().getEncoded(), back.nodeKey().getEncoded());
    assertArrayEquals(consensus.publicKey(), back.identity().publicKey());
    assertTrue(Files.readString(dir.resolve("node-tls.key")).startsWith("-----BEGIN PRIVATE KEY"));
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(dir.resolve(ChainCa.KEY_FILE)));
    // A CA reloaded from its files issues certificates that the original root verifies.
    X509Certificate again = loaded.issueNode("n2", "Org", new ConsensusIdentity("ethereum",
        consensus.publicKey()), NOW, LATER, RANDOM).nodeCertificate();
    again.verify(ca.certificate().getPublicKey());
  }

  @Test
  void malformedPemIsAnError() {
    assertThrows(java.io.IOException.class, () -> Pem.parseCertificate("not pem"));
    String cert = Pem.certificate(ca().certificate());
    assertThrows(java.io.IOException.class, () -> Pem.parsePrivateKey(cert));
  }

  @Test
  void nodeFromAnotherCaIsNotAccepted() {
    ChainCa a = ca();
    ChainCa b = ChainCa.create("Other CA", "Other", TlsKeyAlgorithm.P256, NOW, LATER, RANDOM);
    TlsCredentials node = b.issueNode("x", "y", new ConsensusIdentity("ethereum",
        new byte[64]), NOW, LATER, RANDOM);
    assertThrows(IllegalArgumentException.class,
        () -> new TlsCredentials(a.certificate(), node.nodeCertificate(), node.nodeKey()));
  }
}
