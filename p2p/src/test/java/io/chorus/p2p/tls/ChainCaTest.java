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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Goal: the consortium PKI (root, organisation CAs, node and user certificates) issues
 * certificates that carry organisation, role and a node's consensus key, in both certificate
 * algorithms; its files read back as written; admission accepts exactly a member's node chain.
 * Method: issue, write and read PEM files, verify signatures, and check chains with
 * {@link ConsortiumTrust} at fixed clocks.
 */
class ChainCaTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00Z");
  private static final Instant LATER = NOW.plus(Duration.ofDays(3650));
  private static final Clock AT_NOW = Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC);

  private static ChainCa root(TlsKeyAlgorithm algorithm) {
    return ChainCa.create("Chorus test CA", "Test Consortium", algorithm, NOW, LATER, RANDOM);
  }

  private static TlsCredentials node(ChainCa organisation, String suite) {
    byte[] key = CryptoSuite.byName(suite).generateKeyPair(RANDOM).publicKey();
    return organisation.issueNode("validator-1", new ConsensusIdentity(suite, key), NOW, LATER,
        RANDOM);
  }

  @ParameterizedTest
  @EnumSource(TlsKeyAlgorithm.class)
  void nodeCertificateCarriesOrganisationRoleAndConsensusKey(TlsKeyAlgorithm algorithm)
      throws Exception {
    ChainCa root = root(algorithm);
    ChainCa bank = root.issueOrganisation("Bank A", NOW, LATER, RANDOM);
    for (CryptoSuite suite : new CryptoSuite[] {CryptoSuite.ethereum(), CryptoSuite.sm()}) {
      KeyPair consensus = suite.generateKeyPair(RANDOM);
      ConsensusIdentity identity = new ConsensusIdentity(suite.name(), consensus.publicKey());
      TlsCredentials node = bank.issueNode("validator-1", identity, NOW, LATER, RANDOM);
      X509Certificate cert = node.nodeCertificate();

      assertEquals(identity, ConsensusKeyExtension.read(cert));
      assertFalse(cert.getCriticalExtensionOIDs().contains(ConsensusKeyExtension.OID));
      cert.verify(bank.certificate().getPublicKey(), Bouncy.PROVIDER);
      bank.certificate().verify(root.certificate().getPublicKey(), Bouncy.PROVIDER);
      assertEquals("CN=validator-1,OU=node,O=Bank A", cert.getSubjectX500Principal().getName());
      assertEquals("Bank A", Subjects.organisation(cert));
      assertEquals(Role.NODE, Subjects.role(cert));
      // SM3withSM2 (GB/T 35276) or ecdsa-with-SHA256.
      assertEquals(algorithm == TlsKeyAlgorithm.SM2 ? "1.2.156.10197.1.501"
          : "1.2.840.10045.4.3.2", cert.getSigAlgOID());
      assertEquals(-1, cert.getBasicConstraints());
      assertEquals(0, bank.certificate().getBasicConstraints());
      assertEquals(1, root.certificate().getBasicConstraints());
      assertTrue(cert.getExtendedKeyUsage().containsAll(
          Set.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")));
      new ConsortiumTrust(root.certificate(), RevocationSource.NONE, AT_NOW)
          .check(node.presentedChain().toArray(new X509Certificate[0]));
    }
  }

  @Test
  void userCertificateCarriesItsRole() throws Exception {
    ChainCa bank = root(TlsKeyAlgorithm.SM2).issueOrganisation("Bank A", NOW, LATER, RANDOM);
    ChainCa.UserCredentials alice = bank.issueUser("alice", Role.AUDITOR, Optional.empty(),
        NOW, LATER, RANDOM);
    assertEquals(Role.AUDITOR, Subjects.role(alice.certificate()));
    assertEquals("Bank A", Subjects.organisation(alice.certificate()));
    assertThrows(CertificateException.class,
        () -> ConsensusKeyExtension.read(alice.certificate()), "binds no account");
    // A user certificate may bind the chain account its holder signs with.
    ConsensusIdentity account = new ConsensusIdentity("sm",
        CryptoSuite.sm().generateKeyPair(RANDOM).publicKey());
    ChainCa.UserCredentials carol = bank.issueUser("carol", Role.DEPLOYER,
        Optional.of(account), NOW, LATER, RANDOM);
    assertEquals(account, ConsensusKeyExtension.read(carol.certificate()));
    assertThrows(IllegalArgumentException.class,
        () -> bank.issueUser("bob", Role.NODE, Optional.empty(), NOW, LATER, RANDOM));
    assertThrows(IllegalStateException.class, () -> bank.issueOrganisation("x", NOW, LATER,
        RANDOM));
  }

  @Test
  void rootIssuesNoNodeDirectly() {
    ChainCa root = root(TlsKeyAlgorithm.P256);
    assertThrows(IllegalStateException.class, () -> node(root, "ethereum"));
  }

  @ParameterizedTest
  @EnumSource(TlsKeyAlgorithm.class)
  void pemFilesRoundTrip(TlsKeyAlgorithm algorithm, @TempDir Path dir) throws Exception {
    ChainCa root = root(algorithm);
    root.save(dir);
    Path orgDir = Files.createDirectories(dir.resolve("org"));
    ChainCa org = root.issueOrganisation("Org", NOW, LATER, RANDOM);
    org.save(orgDir);
    TlsCredentials node = node(org, "sm");
    Path nodeDir = Files.createDirectories(dir.resolve("node"));
    node.save(nodeDir);

    ChainCa loaded = ChainCa.load(algorithm, dir);
    assertEquals(root.certificate(), loaded.certificate());
    assertArrayEquals(root.privateKey().getEncoded(), loaded.privateKey().getEncoded());
    ChainCa loadedOrg = ChainCa.load(algorithm, orgDir, loaded.certificate());
    assertEquals("Org", loadedOrg.organisation());
    TlsCredentials back = TlsCredentials.load(nodeDir);
    assertEquals(node.nodeCertificate(), back.nodeCertificate());
    assertEquals(node.organisationCertificate(), back.organisationCertificate());
    assertEquals(node.caCertificate(), back.caCertificate());
    assertArrayEquals(node.nodeKey().getEncoded(), back.nodeKey().getEncoded());
    assertTrue(Files.readString(nodeDir.resolve("node-tls.key"))
        .startsWith("-----BEGIN PRIVATE KEY"));
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(dir.resolve(ChainCa.KEY_FILE)));
    // A CA reloaded from its files issues certificates that the original root admits.
    TlsCredentials again = node(loadedOrg, "ethereum");
    new ConsortiumTrust(root.certificate(), RevocationSource.NONE, AT_NOW)
        .check(again.presentedChain().toArray(new X509Certificate[0]));
  }

  @Test
  void malformedPemIsAnError() {
    assertThrows(java.io.IOException.class, () -> Pem.parseCertificate("not pem"));
    String cert = Pem.certificate(root(TlsKeyAlgorithm.P256).certificate());
    assertThrows(java.io.IOException.class, () -> Pem.parsePrivateKey(cert));
  }

  @Test
  void credentialsOfAnotherRootAreNotAccepted() {
    ChainCa a = root(TlsKeyAlgorithm.P256);
    ChainCa b = ChainCa.create("Other CA", "Other", TlsKeyAlgorithm.P256, NOW, LATER, RANDOM);
    TlsCredentials node = node(b.issueOrganisation("y", NOW, LATER, RANDOM), "ethereum");
    assertThrows(IllegalArgumentException.class, () -> new TlsCredentials(a.certificate(),
        node.nodeCertificate(), node.organisationCertificate(), node.nodeKey()));
  }

  @Test
  void admissionRefusesStrangersExpiredUsersAndRevoked() throws Exception {
    ChainCa root = root(TlsKeyAlgorithm.P256);
    ChainCa org = root.issueOrganisation("Bank A", NOW, LATER, RANDOM);
    TlsCredentials member = node(org, "ethereum");
    X509Certificate[] chain = member.presentedChain().toArray(new X509Certificate[0]);
    ConsortiumTrust trust = new ConsortiumTrust(root.certificate(), RevocationSource.NONE,
        AT_NOW);
    trust.check(chain);

    // An organisation whose CA the consortium root never certified.
    ChainCa stranger = root(TlsKeyAlgorithm.P256).issueOrganisation("Bank A", NOW, LATER,
        RANDOM);
    assertRefused(trust, node(stranger, "ethereum"), "does not lead to the consortium root");
    // Expired at the clock's now.
    ConsortiumTrust later = new ConsortiumTrust(root.certificate(), RevocationSource.NONE,
        Clock.fixed(LATER.plusSeconds(1), ZoneOffset.UTC));
    assertRefused(later, member, "does not lead");
    // A user certificate of a member is no node's.
    ChainCa.UserCredentials user = org.issueUser("alice", Role.USER, Optional.empty(), NOW,
        LATER, RANDOM);
    CertificateException wrongRole = assertThrows(CertificateException.class, () -> trust.check(
        new X509Certificate[] {user.certificate(), user.organisation()}));
    assertTrue(wrongRole.getMessage().contains("role user"), wrongRole.getMessage());
    // Revoked: the node's own certificate, or its organisation's CA.
    for (X509Certificate revoked : chain) {
      RevocationSource source = new RevocationSource() {
        @Override
        public boolean isRevoked(X509Certificate certificate) {
          return certificate.equals(revoked);
        }

        @Override
        public long version() {
          return 1;
        }
      };
      assertRefused(new ConsortiumTrust(root.certificate(), source, AT_NOW), member,
          "is revoked");
    }
  }

  private static void assertRefused(ConsortiumTrust trust, TlsCredentials node, String why) {
    CertificateException e = assertThrows(CertificateException.class,
        () -> trust.check(node.presentedChain().toArray(new X509Certificate[0])));
    assertTrue(e.getMessage().contains(why), e.getMessage());
  }
}
