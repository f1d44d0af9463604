package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.node.Node;
import io.chorus.receivables.ReceivablesService;
import io.chorus.service.ApiTokens;
import io.chorus.service.Keystore;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.Permissions;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus receivable} against a dev node in this JVM that holds the keys of a core
 * enterprise, its supplier, a tier-2 supplier and two banks: confirm, issue, split, finance
 * and accept, show, tree, holdings and book, a second financing refused with the contract's
 * code, payment at maturity; and bad amounts and maturities refused before anything is sent,
 * saying what to write instead. A confidential receivable: keys published, confirmed with
 * --confidential, issued and split with no amount printed, each holder reading its own with
 * 'opening', a stranger refused, and a split above the balance and an offer to a bank without
 * a key refused naming what to do.
 */
class ReceivableCommandTest {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final List<String> PARTIES = List.of("core", "supplier", "tier2", "bankA",
      "bankB");
  private static final String PASSWORD = "cli receivables";

  @TempDir Path dir;

  private final Map<String, Address> accounts = new HashMap<>();
  private final Map<String, String> token = new HashMap<>();

  /** The node's data directory, with the parties' keys imported and a token file each. */
  private Path setUp() throws Exception {
    Map<String, KeyPair> keys = new HashMap<>();
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    for (int i = 0; i < PARTIES.size(); i++) {
      KeyPair pair = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      keys.put(PARTIES.get(i), pair);
      accounts.put(PARTIES.get(i), Address.of(SUITE.address(pair.publicKey())));
      funded.put(accounts.get(PARTIES.get(i)), Genesis.Allocation.funded(
          BigInteger.TEN.pow(24)));
    }
    Path data = dir.resolve("node");
    GenesisFile.write(new Genesis(BigInteger.valueOf(778), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 200, 0, new byte[0],
        List.of(keys.get("core").publicKey()), funded,
        new Consortium(List.of(new Consortium.Member(accounts.get("core"), BigInteger.ONE)),
            Map.of(), false, false, Map.of(
                accounts.get("core"), Permissions.ROLE_RECEIVABLES_OBLIGOR,
                accounts.get("bankA"), Permissions.ROLE_RECEIVABLES_BANK,
                accounts.get("bankB"), Permissions.ROLE_RECEIVABLES_BANK))),
        data.resolve(Node.Config.GENESIS_FILE));
    for (String party : PARTIES) {
      Keystore.importKey(data, SUITE, keys.get(party).privateKey(), PASSWORD.toCharArray(),
          new SecureRandom());
      Path file = dir.resolve(party + ".token");
      Files.writeString(file, ApiTokens.issue(data, accounts.get(party), Set.of(
          ReceivablesService.WRITER_ROLE, ReceivablesService.READER_ROLE), Optional.empty(),
          Clock.systemUTC(), new SecureRandom()).token());
      token.put(party, file.toString());
    }
    return data;
  }

  private Node start(Path data) {
    return Node.start(new Node.Config(data, "127.0.0.1", 0)
        .withApi(new Node.Api(Optional.of(PASSWORD), List.of())));
  }

  @Test
  void theLifecycleFromTheCommandLine() throws Exception {
    Path data = setUp();
    try (Node node = start(data)) {
      String url = node.rpcUrl();
      String confirmation = dir.resolve("confirmation.json").toString();
      String document = Hex.encode0x(SUITE.hash("invoice 7".getBytes(StandardCharsets.UTF_8)));

      GovCommandTest.Run badFace = chorus("receivable", "confirm", "--supplier",
          accounts.get("supplier").toString(), "--face", "1,000.5", "--maturity", "30d",
          "--document", document, "-o", confirmation, "--token-file", token.get("core"),
          "--url", url);
      assertEquals(2, badFace.code());
      assertTrue(badFace.err().contains("--face takes an amount in currency units with at most"
          + " 2 decimals"), badFace.err());
      GovCommandTest.Run badMaturity = chorus("receivable", "confirm", "--supplier",
          accounts.get("supplier").toString(), "--face", "1000", "--maturity", "tomorrow",
          "--document", document, "-o", confirmation, "--token-file", token.get("core"),
          "--url", url);
      assertTrue(badMaturity.err().contains("--maturity takes ISO-8601"), badMaturity.err());

      GovCommandTest.Run confirmed = chorus("receivable", "confirm", "--supplier",
          accounts.get("supplier").toString(), "--face", "1000000.00", "--maturity", "30s",
          "--document", document, "-o", confirmation, "--token-file", token.get("core"),
          "--url", url);
      assertEquals(0, confirmed.code(), confirmed.err());
      assertTrue(confirmed.out().startsWith("confirmed 1000000.00 CNY to "
          + accounts.get("supplier")), confirmed.out());

      GovCommandTest.Run issued = ok("receivable", "issue", confirmation, "--token-file",
          token.get("supplier"), "--url", url);
      assertTrue(issued.out().contains("piece #1 (root)  1000000.00 of face 1000000.00 CNY"),
          issued.out());
      GovCommandTest.Run split = ok("receivable", "split", "1", "--to",
          accounts.get("tier2").toString(), "--amount", "400000", "--token-file",
          token.get("supplier"), "--url", url);
      assertTrue(split.out().contains("piece #2 split from #1, root #1  400000.00"),
          split.out());
      ok("receivable", "finance", "2", "--bank", accounts.get("bankA").toString(), "--price",
          "390000.00", "--token-file", token.get("tier2"), "--url", url);
      GovCommandTest.Run accepted = ok("receivable", "accept", "2", "--token-file",
          token.get("bankA"), "--url", url);
      assertTrue(accepted.out().contains("financed   by " + accounts.get("bankA")
          + " for 390000.00 (discount 10000.00)"), accepted.out());

      GovCommandTest.Run again = chorus("receivable", "finance", "2", "--bank",
          accounts.get("bankB").toString(), "--price", "395000.00", "--token-file",
          token.get("tier2"), "--url", url);
      assertEquals(1, again.code());
      assertTrue(again.err().contains("0x55 locked: piece 2 is financed by"), again.err());

      GovCommandTest.Run tree = ok("receivable", "tree", "2", "--url", url);
      assertTrue(tree.out().contains("2 pieces summing to 1000000.00"), tree.out());
      assertTrue(tree.out().contains("    #2  400000.00  " + accounts.get("tier2")
          + "  financed, lien " + accounts.get("bankA")), tree.out());
      GovCommandTest.Run holdings = ok("receivable", "holdings", "--token-file",
          token.get("tier2"), "--url", url);
      assertTrue(holdings.out().contains("1 piece(s) for " + accounts.get("tier2")),
          holdings.out());
      GovCommandTest.Run book = ok("receivable", "book", "--token-file", token.get("bankA"),
          "--url", url);
      assertTrue(book.out().startsWith("#2  400000.00  financed"), book.out());
      GovCommandTest.Run others = chorus("receivable", "book", accounts.get("bankA")
          .toString(), "--token-file", token.get("bankB"), "--url", url);
      assertEquals(1, others.code());
      assertTrue(others.err().contains("need the chain role receivables.regulator"), others.err());

      // Thirty seconds leave the steps before it time on a loaded machine (8 did not).
      long deadline = System.nanoTime() + 45_000_000_000L;
      while (!chorus("receivable", "show", "2", "--url", url).out().contains("OVERDUE")) {
        assertTrue(System.nanoTime() < deadline, "piece 2 never fell due");
        Thread.sleep(200);
      }
      GovCommandTest.Run paid = ok("receivable", "pay", "2", "--ref", "CNAPS-0001",
          "--token-file", token.get("core"), "--url", url);
      assertTrue(paid.out().contains("state      paid, ref CNAPS-0001"), paid.out());
      GovCommandTest.Run twice = chorus("receivable", "pay", "2", "--ref", "CNAPS-0002",
          "--token-file", token.get("core"), "--url", url);
      assertTrue(twice.err().contains("0xa2 paid: piece 2 is already paid"), twice.err());
      GovCommandTest.Run noProof = chorus("receivable", "proof", "2", "-o",
          dir.resolve("p.json").toString(), "--url", url);
      assertEquals(1, noProof.code());
      assertTrue(noProof.err().contains("409"), noProof.err());
    }
  }

  @Test
  void aConfidentialReceivableFromTheCommandLine() throws Exception {
    Path data = setUp();
    try (Node node = start(data)) {
      String url = node.rpcUrl();
      String confirmation = dir.resolve("sealed.json").toString();
      String document = Hex.encode0x(SUITE.hash("invoice 8".getBytes(StandardCharsets.UTF_8)));
      for (String party : List.of("core", "supplier", "tier2")) {
        GovCommandTest.Run published = ok("receivable", "publish-key", "--token-file",
            token.get(party), "--url", url);
        assertTrue(published.out().startsWith("sealing key of " + accounts.get(party)
            + " published: 0x"), published.out());
      }
      GovCommandTest.Run again = ok("receivable", "publish-key", "--token-file",
          token.get("core"), "--url", url);
      assertTrue(again.out().contains("published"), again.out());

      GovCommandTest.Run confirmed = ok("receivable", "confirm", "--confidential",
          "--supplier", accounts.get("supplier").toString(), "--face", "1000000.00",
          "--maturity", "30d", "--document", document, "-o", confirmation, "--token-file",
          token.get("core"), "--url", url);
      assertTrue(confirmed.out().contains("keep it as secret as the amount"), confirmed.out());
      assertTrue(Files.readString(Path.of(confirmation)).contains("faceBlinding"));
      GovCommandTest.Run issued = ok("receivable", "issue", confirmation, "--token-file",
          token.get("supplier"), "--url", url);
      assertTrue(issued.out().contains("piece #1 (root)  confidential CNY"), issued.out());
      assertFalse(issued.out().contains("1000000.00"), issued.out());
      GovCommandTest.Run split = ok("receivable", "split", "1", "--to",
          accounts.get("tier2").toString(), "--amount", "400000", "--token-file",
          token.get("supplier"), "--url", url);
      assertTrue(split.out().contains("piece #2 split from #1, root #1  confidential"),
          split.out());
      GovCommandTest.Run mine = ok("receivable", "opening", "2", "--token-file",
          token.get("tier2"), "--url", url);
      assertTrue(mine.out().startsWith("piece #2  400000.00 as " + accounts.get("tier2")),
          mine.out());
      assertTrue(ok("receivable", "opening", "1", "--token-file", token.get("supplier"),
          "--url", url).out().startsWith("piece #1  600000.00"));
      GovCommandTest.Run stranger = chorus("receivable", "opening", "2", "--token-file",
          token.get("bankA"), "--url", url);
      assertEquals(1, stranger.code());
      assertTrue(stranger.err().contains("opens none of its openings"), stranger.err());
      GovCommandTest.Run tooMuch = chorus("receivable", "split", "2", "--to",
          accounts.get("supplier").toString(), "--amount", "400000.01", "--token-file",
          token.get("tier2"), "--url", url);
      assertTrue(tooMuch.err().contains("0x52 insufficient-value: piece 2 holds 40000000,"
          + " less than 40000001"), tooMuch.err());
      GovCommandTest.Run noKey = chorus("receivable", "finance", "2", "--bank",
          accounts.get("bankA").toString(), "--price", "390000", "--token-file",
          token.get("tier2"), "--url", url);
      assertTrue(noKey.err().contains(accounts.get("bankA") + " has published no sealing key")
          && noKey.err().contains("chorus receivable publish-key"), noKey.err());
    }
  }

  private static GovCommandTest.Run chorus(String... args) {
    return GovCommandTest.chorus(args);
  }

  private static GovCommandTest.Run ok(String... args) {
    GovCommandTest.Run run = chorus(args);
    assertEquals(0, run.code(), run.err());
    return run;
  }
}
