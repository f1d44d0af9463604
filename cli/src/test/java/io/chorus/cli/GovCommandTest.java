package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.node.Node;
import io.chorus.state.system.Consortium;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code chorus gov} against a dev node in this JVM whose committee is three accounts of weight
 * 1: a proposal to freeze the third, listed, then voted through by the second member, after
 * which the frozen member's transactions are refused at admission; a non-member's vote and
 * malformed proposals are refused with the reason.
 */
class GovCommandTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run chorus(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Chorus.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void proposeListAndVoteThroughTheCli() throws Exception {
    KeyPair[] keys = new KeyPair[4];
    Address[] accounts = new Address[4];
    Path[] keyFiles = new Path[4];
    for (int i = 0; i < 4; i++) {
      byte[] secret = HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i);
      keys[i] = SUITE.keyPair(secret);
      accounts[i] = Address.of(SUITE.address(keys[i].publicKey()));
      keyFiles[i] = dir.resolve("member" + i + ".key");
      Files.writeString(keyFiles[i], Hex.encode(secret));
    }
    Path data = dir.resolve("node");
    GenesisFile.write(new Genesis(BigInteger.valueOf(777), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 100, 0, new byte[0],
        List.of(keys[0].publicKey()), Map.of(
            accounts[0], Genesis.Allocation.funded(BigInteger.TEN.pow(24)),
            accounts[1], Genesis.Allocation.funded(BigInteger.TEN.pow(24)),
            accounts[2], Genesis.Allocation.funded(BigInteger.TEN.pow(24)),
            accounts[3], Genesis.Allocation.funded(BigInteger.TEN.pow(24))),
        new Consortium(List.of(new Consortium.Member(accounts[0], BigInteger.ONE),
            new Consortium.Member(accounts[1], BigInteger.ONE),
            new Consortium.Member(accounts[2], BigInteger.ONE)), Map.of(), false, false,
            Map.of())), data.resolve(Node.Config.GENESIS_FILE));
    try (Node node = Node.start(new Node.Config(data, "127.0.0.1", 0))) {
      String url = node.rpcUrl();
      Run proposed = chorus("gov", "propose", "freeze", accounts[2].toString(), "--key-file",
          keyFiles[0].toString(), "--url", url, "--expiry", "50");
      assertEquals(0, proposed.code(), proposed.err());
      assertTrue(proposed.out().startsWith("proposal #1 made by " + accounts[0]),
          proposed.out());

      Run listed = chorus("gov", "list", "--url", url);
      assertTrue(listed.out().contains("#1    active     freeze") && listed.out().contains(
          "yes 1, no 0"), listed.out());

      Run outsider = chorus("gov", "vote", "1", "yes", "--key-file", keyFiles[3].toString(),
          "--url", url);
      assertEquals(1, outsider.code());
      assertTrue(outsider.err().contains("is not a member of the governance committee"),
          outsider.err());

      Run voted = chorus("gov", "vote", "1", "yes", "--key-file", keyFiles[1].toString(),
          "--url", url);
      assertEquals(0, voted.code(), voted.err());
      // The change takes effect in the next block, which may already be sealed.
      assertTrue(voted.out().matches("(?s).*now (passed|executed) \\(yes 2, no 0\\).*"),
          voted.out());
      // An idle dev chain seals an empty block a second at most (timestamps rise by a second).
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!chorus("gov", "list", "--url", url).out().contains("#1    executed")) {
        assertTrue(System.nanoTime() < deadline, "the passed proposal was not executed");
        Thread.sleep(100);
      }
      Run frozen = chorus("gov", "propose", "unfreeze", accounts[2].toString(), "--key-file",
          keyFiles[2].toString(), "--url", url);
      assertTrue(frozen.err().contains("not permitted: sender " + accounts[2] + " is frozen"),
          frozen.err());

      Run malformed = chorus("gov", "propose", "add-validator", "0x1234", "--key-file",
          keyFiles[0].toString(), "--url", url);
      assertEquals(1, malformed.code());
      assertTrue(malformed.err().contains("a validator is a 64-byte public key, got 2 bytes"),
          malformed.err());
      Run wrongKind = chorus("gov", "propose", "freez", "0x01", "--key-file",
          keyFiles[0].toString(), "--url", url);
      assertTrue(wrongKind.err().contains("unknown proposal kind 'freez'"), wrongKind.err());
    }
  }
}
