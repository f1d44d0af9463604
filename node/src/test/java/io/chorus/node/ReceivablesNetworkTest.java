package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.chain.GenesisFile;
import io.chorus.client.ProblemException;
import io.chorus.client.ReceivablesClient;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofVerifier;
import io.chorus.proof.Proven;
import io.chorus.proof.TrustRoot;
import io.chorus.receivables.ReceivablesService;
import io.chorus.service.ApiTokens;
import io.chorus.service.Keystore;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.Receivables;
import io.chorus.state.system.SystemContracts;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 云信 story across four validators in one JVM on TLS sockets, each party at its own
 * member's node through {@link ReceivablesClient}: the core enterprise confirms on node 0, its
 * supplier issues and splits to a tier-2 supplier on node 1, the tier-2 supplier transfers the
 * piece to another tier-2 supplier on node 2, which offers it to bank A; bank A accepts on node
 * 3; an offer of the same piece to bank B is refused (no double financing); at maturity the
 * core pays each piece, the financed one to bank A. Every step's proof bundle, fetched from a
 * node other than the one that sent it, is verified offline against the genesis file, its log
 * checked to be the step's event of the right piece; each node's index answers the same
 * holdings and book.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ReceivablesNetworkTest {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final String PASSWORD = "scf network keystore";
  private static final List<String> PARTIES = List.of("core", "supplier", "tier2", "tier2b",
      "bankA", "bankB");
  /** The member whose node each party uses. */
  private static final Map<String, Integer> HOME = Map.of("core", 0, "supplier", 1, "tier2", 1,
      "tier2b", 2, "bankA", 3, "bankB", 3);
  private static final long TERM_SECONDS = 30; // the steps before maturity take 10–20 s on a loaded VM

  @TempDir Path dir;

  @Test
  void theYunxinStoryIsFinalAndProvenOnEveryNode() throws Exception {
    Map<String, KeyPair> keys = new HashMap<>();
    Map<String, Address> accounts = new HashMap<>();
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    for (int i = 0; i < PARTIES.size(); i++) {
      KeyPair pair = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      keys.put(PARTIES.get(i), pair);
      accounts.put(PARTIES.get(i), Address.of(SUITE.address(pair.publicKey())));
      funded.put(accounts.get(PARTIES.get(i)), Genesis.Allocation.funded(LocalNetwork.FUNDS));
    }
    Map<Address, Long> roles = Map.of(accounts.get("core"),
        Permissions.ROLE_RECEIVABLES_OBLIGOR, accounts.get("bankA"),
        Permissions.ROLE_RECEIVABLES_BANK, accounts.get("bankB"),
        Permissions.ROLE_RECEIVABLES_BANK);
    try (LocalNetwork network = LocalNetwork.layOut(dir, SUITE, BigInteger.valueOf(4345), 4, 4,
        funded, roles)) {
      Map<String, String> tokens = new HashMap<>();
      for (String party : PARTIES) {
        Path home = dir.resolve("node" + HOME.get(party));
        Keystore.importKey(home, SUITE, keys.get(party).privateKey(), PASSWORD.toCharArray(),
            new SecureRandom());
        tokens.put(party, ApiTokens.issue(home, accounts.get(party), Set.of(
            ReceivablesService.WRITER_ROLE, ReceivablesService.READER_ROLE), Optional.empty(),
            Clock.systemUTC(), new SecureRandom()).token());
      }
      Node[] nodes = new Node[4];
      for (int i = 0; i < 4; i++) {
        nodes[i] = network.start(i, new Node.Api(Optional.of(PASSWORD), List.of()));
      }
      TrustRoot root = GenesisFile.trustRoot(GenesisFile.read(dir.resolve("node0")
          .resolve("genesis.json")));
      Map<String, ReceivablesClient> as = new HashMap<>();
      PARTIES.forEach(p -> as.put(p, new ReceivablesClient(nodes[HOME.get(p)].rpcUrl(),
          tokens.get(p))));
      ReceivablesClient reader = new ReceivablesClient(nodes[2].rpcUrl(), null);

      long maturity = Instant.now().getEpochSecond() + TERM_SECONDS;
      ReceivablesClient.Confirmation confirmed = as.get("core").confirm(
          accounts.get("supplier").toString(), BigInteger.valueOf(100_000_000), "CNY",
          maturity, List.of(hash("purchase contract HT-2026-001"), hash("invoice 0042")));
      ReceivablesClient.Piece issued = as.get("supplier").issue(confirmed, true).piece()
          .orElseThrow();
      long rootId = issued.id();
      proven(reader, root, rootId, "issued", "Issued", rootId);

      ReceivablesClient.Piece split = as.get("supplier").split(rootId,
          accounts.get("tier2").toString(), BigInteger.valueOf(40_000_000), true).piece()
          .orElseThrow();
      long piece = split.id();
      assertEquals(rootId, split.parent());
      proven(reader, root, piece, "split-from", "TransferValue", rootId);

      as.get("tier2").transfer(piece, accounts.get("tier2b").toString(), true);
      proven(reader, root, piece, "transferred", "Transfer", accounts.get("tier2"));

      ReceivablesClient.Check check = as.get("tier2b").canFinance(piece,
          accounts.get("bankA").toString(), accounts.get("tier2b").toString());
      assertTrue(check.allowed(), check.message());
      as.get("tier2b").offer(piece, accounts.get("bankA").toString(),
          BigInteger.valueOf(39_000_000), true);
      ReceivablesClient.Piece financed = as.get("bankA").accept(piece, true).piece()
          .orElseThrow();
      assertEquals("financed", financed.state());
      assertEquals(Optional.of(accounts.get("bankA").toString()), financed.lienHolder());
      proven(reader, root, piece, "financed", "Financed", piece);

      ProblemException twice = assertThrows(ProblemException.class, () -> as.get("tier2b")
          .offer(piece, accounts.get("bankB").toString(), BigInteger.valueOf(39_500_000),
              true));
      assertEquals(Optional.of("0x55"), ReceivablesClient.code(twice), twice.getMessage());
      assertEquals(Optional.of("locked"), ReceivablesClient.rule(twice));

      // Every member's index holds the same holdings and book (each read at its own node).
      for (String party : List.of("tier2b", "bankA")) {
        awaitIndexed(as.get(party), party, accounts.get(party), piece);
      }

      awaitChainTime(reader, piece, maturity);
      ReceivablesClient.Piece paid = as.get("core").pay(piece, "CNAPS-0001", true).piece()
          .orElseThrow();
      assertEquals("paid", paid.state());
      Proven payment = proven(reader, root, piece, "paid", "Paid", piece);
      assertEquals(topic(accounts.get("bankA")), payment.facts().get("log.topic3"),
          "the financed piece is paid to its bank");
      as.get("core").pay(rootId, "CNAPS-0002", true);
      Proven rest = proven(reader, root, rootId, "paid", "Paid", rootId);
      assertEquals(topic(accounts.get("supplier")), rest.facts().get("log.topic3"));
      ReceivablesClient.Tree tree = reader.tree(piece);
      assertEquals(Optional.of(BigInteger.valueOf(100_000_000)), tree.sum());
      assertTrue(tree.pieces().stream().allMatch(p -> p.state().equals("paid")), tree.toString());
    }
  }

  /**
   * The proof of the piece's latest {@code step}, fetched from {@code reader}'s node and
   * verified offline: its log is the contract's {@code event} naming {@code subject} in topic 1.
   */
  private static Proven proven(ReceivablesClient reader, TrustRoot root, long id, String step,
      String event, Object subject) {
    ProofBundle bundle = ProofBundle.fromJson(awaitStep(reader, id, step).toJson());
    Proven proven = ProofVerifier.verify(bundle, root);
    assertEquals(Hex.encode0x(SystemContracts.RECEIVABLES.toArray()),
        proven.facts().get("log.address"));
    assertEquals(Hex.encode0x(eventTopic(event)), proven.facts().get("log.topic0"), step);
    String expected = subject instanceof Address a ? topic(a)
        : "0x" + String.format("%064x", (Long) subject);
    assertEquals(expected, proven.facts().get("log.topic1"), step);
    return proven;
  }

  // The reader's node may index the block a moment after the writer's: ask until it has.
  private static ProofBundle awaitStep(ReceivablesClient reader, long id, String step) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try {
        return reader.proof(id, Optional.of(step));
      } catch (ProblemException e) {
        if (e.status() != 404 || System.nanoTime() > deadline) {
          throw e;
        }
      }
      pause();
    }
  }

  private static void awaitIndexed(ReceivablesClient client, String party, Address account,
      long piece) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      List<Long> ids = (party.startsWith("bank") ? client.book(account.toString())
          : client.holdings(account.toString())).pieces().stream()
          .map(ReceivablesClient.Piece::id).toList();
      if (ids.equals(List.of(piece))) {
        return;
      }
      assertTrue(System.nanoTime() < deadline, party + "'s node lists " + ids);
      pause();
    }
  }

  // Until the chain's time (a block's) passes maturity: the piece reads overdue.
  private static void awaitChainTime(ReceivablesClient reader, long piece, long maturity) {
    long deadline = System.nanoTime() + (TERM_SECONDS + 20) * 1_000_000_000L;
    while (!reader.piece(piece).overdue()) {
      assertTrue(System.nanoTime() < deadline, "the chain's time did not pass " + maturity);
      pause();
    }
  }

  private static String hash(String document) {
    return Hex.encode0x(SUITE.hash(document.getBytes(StandardCharsets.UTF_8)));
  }

  private static String topic(Address account) {
    return "0x" + "00".repeat(12) + Hex.encode(account.toArray());
  }

  private static byte[] eventTopic(String event) {
    for (Receivables.Event e : Receivables.Event.values()) {
      if (e.name().replace("_", "").equalsIgnoreCase(event)) {
        return e.topic().toBytes();
      }
    }
    throw new IllegalArgumentException(event);
  }

  private static void pause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
