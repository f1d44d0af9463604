package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.evm.Address;
import io.chorus.service.ApiTokens;
import io.chorus.service.Keystore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus token issue|list|revoke} and {@code chorus account new|import|list} on a
 * node's data directory made by {@code chorus init}: what they print, what they store, and the
 * mistakes they name.
 */
class TokenCommandTest {
  @TempDir Path dir;

  private static GovCommandTest.Run chorus(String... args) {
    return GovCommandTest.chorus(args);
  }

  private Path node() {
    Path node = dir.resolve("node");
    GovCommandTest.Run init = chorus("init", "--dir", node.toString());
    assertEquals(0, init.code(), init.err());
    return node;
  }

  @Test
  void aTokenIsPrintedOnceListedAndRevoked() {
    Path node = node();
    String account = "0x" + "ab".repeat(20);
    GovCommandTest.Run issued = chorus("token", "issue", "--dir", node.toString(),
        "--account", account, "--role", "notary.writer", "--role", "chain.sender",
        "--expires", "30d");
    assertEquals(0, issued.code(), issued.err());
    String token = issued.out().strip();
    assertTrue(token.startsWith(ApiTokens.TOKEN_PREFIX), issued.out());
    ApiTokens.Entry entry = ApiTokens.list(node).get(0);
    assertEquals(Address.parse(account), entry.account());
    assertEquals(List.of("chain.sender", "notary.writer"), List.copyOf(entry.roles()));
    Duration lifetime = Duration.between(Instant.now(), entry.expiresAt().orElseThrow());
    assertTrue(lifetime.compareTo(Duration.ofDays(29)) > 0
        && lifetime.compareTo(Duration.ofDays(30)) <= 0, lifetime.toString());
    assertTrue(issued.err().contains("shown once"), issued.err());

    GovCommandTest.Run listed = chorus("token", "list", "--dir", node.toString());
    assertTrue(listed.out().startsWith(entry.id() + "  active "), listed.out());
    assertTrue(!listed.out().contains(token), "list never shows the secret");

    GovCommandTest.Run revoked = chorus("token", "revoke", entry.id(), "--dir",
        node.toString());
    assertEquals(0, revoked.code(), revoked.err());
    assertTrue(chorus("token", "list", "--dir", node.toString()).out()
        .startsWith(entry.id() + "  revoked"));
    assertTrue(ApiTokens.list(node).get(0).revoked());
  }

  @Test
  void mistakesAreNamed() {
    Path node = node();
    GovCommandTest.Run expires = chorus("token", "issue", "--dir", node.toString(),
        "--account", "0x" + "ab".repeat(20), "--role", "r", "--expires", "soon");
    assertEquals(2, expires.code());
    assertTrue(expires.err().contains("30d, 12h, 90m or P30D"), expires.err());
    GovCommandTest.Run account = chorus("token", "issue", "--dir", node.toString(),
        "--account", "alice", "--role", "r");
    assertEquals(2, account.code());
    assertTrue(account.err().contains("0x and 40 hex digits"), account.err());
    GovCommandTest.Run noNode = chorus("token", "list", "--dir",
        dir.resolve("nothing").toString());
    assertEquals(2, noNode.code());
    assertTrue(noNode.err().contains("chorus init"), noNode.err());
  }

  @Test
  void accountsAreMadeAndImportedIntoTheKeystore() throws Exception {
    Path node = node();
    Path password = dir.resolve("password.txt");
    Files.writeString(password, "s3cret\n");
    GovCommandTest.Run made = chorus("account", "new", "--dir", node.toString(),
        "--password-file", password.toString());
    assertEquals(0, made.code(), made.err());
    byte[] key = HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 3);
    Path keyFile = dir.resolve("key.hex");
    Files.writeString(keyFile, Hex.encode(key));
    GovCommandTest.Run imported = chorus("account", "import", "--dir", node.toString(),
        "--password-file", password.toString(), "--key-file", keyFile.toString());
    assertEquals(0, imported.code(), imported.err());
    CryptoSuite suite = CryptoSuite.ethereum();
    assertEquals(Hex.encode0x(suite.address(suite.keyPair(key).publicKey())),
        imported.out().strip());
    GovCommandTest.Run listed = chorus("account", "list", "--dir", node.toString());
    assertEquals(List.of(made.out().strip(), imported.out().strip()).stream().sorted()
        .toList(), listed.out().lines().sorted().toList());
    assertEquals(2, Keystore.unlock(node, suite, "s3cret".toCharArray()).size());
  }
}
