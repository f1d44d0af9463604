package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.p2p.tls.ConsortiumTrust;
import io.chorus.p2p.tls.Pem;
import io.chorus.p2p.tls.RevocationFile;
import io.chorus.p2p.tls.RevocationSource;
import io.chorus.p2p.tls.Role;
import io.chorus.p2p.tls.Subjects;
import io.chorus.p2p.tls.TlsCredentials;
import io.chorus.p2p.tls.TlsKeyAlgorithm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus ca} builds a consortium PKI that admission accepts: root, organisations, nodes
 * and users in the suite's algorithm, rotation that keeps a node's identity, revocation lists
 * that refuse it. Method: run the real commands in-process on a temporary directory and check
 * the files with the p2p module's readers and {@link ConsortiumTrust}.
 */
class CaCommandTest {
  @TempDir Path tmp;

  @Test
  void smConsortiumFromRootToNodesAndUsers() throws Exception {
    Path pki = tmp.resolve("pki");
    ok("ca", "init", "--pki", pki.toString(), "--suite", "sm", "--name", "Bank Consortium");
    ok("ca", "org", "--pki", pki.toString(), "--name", "bank-a");
    ok("ca", "org", "--pki", pki.toString(), "--name", "bank-b");
    X509Certificate root = Pem.readCertificate(pki.resolve("ca.pem"));
    assertEquals(TlsKeyAlgorithm.SM2, TlsKeyAlgorithm.of(root.getPublicKey()));

    Path node = Files.createDirectories(tmp.resolve("node0"));
    byte[] privateKey = new byte[32];
    new SecureRandom().nextBytes(privateKey);
    Files.writeString(node.resolve("node.key"), Hex.encode(privateKey));
    String out = ok("ca", "node", "--pki", pki.toString(), "--org", "bank-a", "--name", "node0",
        "--node-dir", node.toString(), "--days", "90");
    // 90 days from the start of this second: 89 whole days left, or 90 on the second itself.
    assertTrue(out.contains("organisation bank-a, role node")
        && (out.contains("(89 days)") || out.contains("(90 days)")), out);
    TlsCredentials tls = TlsCredentials.load(node.resolve("tls"));
    assertEquals(new io.chorus.codec.ByteKey(CryptoSuite.sm().keyPair(privateKey).publicKey()),
        new io.chorus.codec.ByteKey(tls.identity().publicKey()));
    ConsortiumTrust trust = new ConsortiumTrust(root, RevocationSource.NONE,
        Clock.systemUTC());
    trust.check(tls.presentedChain().toArray(new X509Certificate[0]));

    byte[] account = CryptoSuite.sm().generateKeyPair(new SecureRandom()).publicKey();
    String carolOut = ok("ca", "user", "--pki", pki.toString(), "--org", "bank-b", "--name",
        "carol", "--role", "committee", "--account-key", Hex.encode0x(account));
    assertTrue(carolOut.contains("address " + Hex.encode0x(CryptoSuite.sm().address(account))),
        carolOut);
    List<X509Certificate> carol = Pem.readCertificates(
        pki.resolve("bank-b/users/carol/user.pem"));
    assertEquals(Role.COMMITTEE, Subjects.role(carol.get(0)));
    assertEquals("bank-b", Subjects.organisation(carol.get(0)));
    assertThrows(CertificateException.class,
        () -> trust.check(carol.toArray(new X509Certificate[0])), "a user is no node");

    // Rotation: new certificate and key, same node and consensus key, still admitted.
    ok("ca", "rotate", "--pki", pki.toString(), "--node-dir", node.toString());
    TlsCredentials rotated = TlsCredentials.load(node.resolve("tls"));
    assertNotEquals(tls.nodeCertificate(), rotated.nodeCertificate());
    assertEquals(tls.identity(), rotated.identity());
    assertEquals("CN=node0,OU=node,O=bank-a",
        rotated.nodeCertificate().getSubjectX500Principal().getName());
    trust.check(rotated.presentedChain().toArray(new X509Certificate[0]));

    // Revoking the organisation's CA refuses its nodes.
    ok("ca", "revoke", pki.resolve("bank-a/ca.pem").toString(), "--node-dir", node.toString());
    RevocationFile list = new RevocationFile(node.resolve("tls/revoked.txt"));
    ConsortiumTrust revoking = new ConsortiumTrust(root, list, Clock.systemUTC());
    CertificateException refused = assertThrows(CertificateException.class,
        () -> revoking.check(rotated.presentedChain().toArray(new X509Certificate[0])));
    assertTrue(refused.getMessage().contains("is revoked"), refused.getMessage());
    assertTrue(ok("ca", "revoke", pki.resolve("bank-a/ca.pem").toString(), "--node-dir",
        node.toString()).contains("already revoked"));
  }

  @Test
  void mistakesSayWhatToFix() throws Exception {
    Path pki = tmp.resolve("pki");
    error("no consortium root in " + pki, "ca", "org", "--pki", pki.toString(), "--name", "x");
    ok("ca", "init", "--pki", pki.toString(), "--suite", "ethereum");
    error("holds a root already", "ca", "init", "--pki", pki.toString(), "--suite", "sm");
    error("no certificate algorithm for suite btc", "ca", "init", "--pki",
        tmp.resolve("other").toString(), "--suite", "btc");
    error("must be 1 to 64 letters", "ca", "org", "--pki", pki.toString(), "--name", "../up");
    error("no organisation nope", "ca", "user", "--pki", pki.toString(), "--org", "nope",
        "--name", "x", "--role", "user");
    ok("ca", "org", "--pki", pki.toString(), "--name", "a");
    error("unknown role 'boss'", "ca", "user", "--pki", pki.toString(), "--org", "a",
        "--name", "x", "--role", "boss");
    error("a user's role cannot be node", "ca", "user", "--pki", pki.toString(), "--org", "a",
        "--name", "x", "--role", "node");
    error("no node certificate to rotate in " + tmp.resolve("nowhere/tls"), "ca", "rotate",
        "--pki", pki.toString(), "--node-dir", tmp.resolve("nowhere").toString());
    error("cannot read a certificate from " + tmp.resolve("x.pem") + ": no such file", "ca",
        "show", tmp.resolve("x.pem").toString());
    error("give either --node-dir DIR", "ca", "node", "--pki", pki.toString(), "--org", "a",
        "--name", "n");
    error("--days must be at least 1", "ca", "user", "--pki", pki.toString(), "--org", "a",
        "--name", "x", "--role", "user", "--days", "0");
  }

  @Test
  void anOrganisationsDataKeysAreMadeWithItsCaGivenToItsNodesAndRotatedKeepingTheOldOnes()
      throws Exception {
    Path pki = tmp.resolve("pki");
    ok("ca", "init", "--pki", pki.toString(), "--suite", "ethereum");
    String made = ok("ca", "org", "--pki", pki.toString(), "--name", "org1");
    String first = Files.readString(pki.resolve("org1/data.pub")).strip();
    assertTrue(made.contains("'chorus gov propose org-data-key org1 " + first + "'"), made);
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(pki.resolve("org1/data.key")), "as private as ca.key");

    // 'ca node' gives a node its organisation's data keys with its certificate.
    Path node = Files.createDirectories(tmp.resolve("node1"));
    byte[] privateKey = new byte[32];
    new SecureRandom().nextBytes(privateKey);
    Files.writeString(node.resolve("node.key"), Hex.encode(privateKey));
    ok("ca", "node", "--pki", pki.toString(), "--org", "org1", "--name", "node1", "--node-dir",
        node.toString());
    assertEquals(List.of(first), publicKeys(node.resolve("org-data.key")));

    String rotated = ok("ca", "data-key", "--pki", pki.toString(), "--org", "org1",
        "--rotate", "--node-dir", node.toString());
    String second = Files.readString(pki.resolve("org1/data.pub")).strip();
    assertNotEquals(first, second);
    assertTrue(rotated.contains("data key of org1 " + second), rotated);
    assertEquals(List.of(first, second), publicKeys(node.resolve("org-data.key")),
        "the node keeps the old key to open what was sealed for it");
    assertEquals(List.of(first, second), publicKeys(pki.resolve("org1/data.key")));
    assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
        Files.getPosixFilePermissions(node.resolve("org-data.key")));
    assertTrue(ok("ca", "data-key", "--pki", pki.toString(), "--org", "org1")
        .contains("data key of org1 " + second));
  }

  private static List<String> publicKeys(Path keyFile) throws Exception {
    return Files.readAllLines(keyFile).stream().map(line -> Hex.encode0x(CryptoSuite.ethereum()
        .keyPair(Hex.decode(line.strip())).publicKey())).toList();
  }

  private static String ok(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    assertEquals(0, code, String.join(" ", args) + " printed: " + err);
    return out.toString();
  }

  private static void error(String expected, String... args) {
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(err, true)).execute(args);
    assertEquals(2, code, String.join(" ", args) + " printed: " + err);
    assertTrue(err.toString().contains(expected), String.join(" ", args) + " should say \""
        + expected + "\", said: " + err);
  }
}
