package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.chain.BlockTime;
import io.chorus.chain.Blockchain;
import io.chorus.chain.GenesisFile;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Genesis;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: block timestamps rise strictly, block after block, on a dev node and on 4 BFT
 * validators, across restarts and with validators whose clocks are off: one behind accepts the
 * others' blocks and stamps its own with its parent's time + 1; one far ahead has its proposals
 * refused while the chain goes on without it. Method: nodes in this JVM, clocks offset by hand, a
 * stream of transfers sent one after another (so blocks come faster than one a second), then
 * every stored block checked against its parent.
 */
class TimestampsTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final BigInteger CHAIN_ID = BigInteger.valueOf(4343);
  static final KeyPair SENDER = SUITE.keyPair(NetworkTest.SENDER_KEY);
  static final Address SENDER_ADDRESS = Address.of(SUITE.address(SENDER.publicKey()));
  static final Duration BEHIND = Duration.ofSeconds(-3);
  static final Duration FAR_AHEAD = Duration.ofSeconds(BlockTime.FUTURE_SECONDS_MAX + 45);

  @TempDir Path dir;
  LocalNetwork network;
  Node dev;

  @AfterEach
  void stop() {
    if (network != null) {
      network.close();
    }
    if (dev != null) {
      dev.close();
    }
  }

  @Test
  void aDevChainsTimestampsRiseUnderLoadAndAcrossARestartWithAClockBehind() throws Exception {
    GenesisFile.write(new Genesis(CHAIN_ID, SUITE.name(), Genesis.FeeMode.ETHEREUM_1559,
        30_000_000, 500, 0, new byte[0], List.of(), Map.of(SENDER_ADDRESS,
            Genesis.Allocation.funded(LocalNetwork.FUNDS))), dir.resolve("genesis.json"));
    Node.Config config = new Node.Config(dir, "127.0.0.1", 0);
    dev = Node.start(config, skewed(Duration.ofSeconds(2)));
    sendOneByOne(dev, 0, 8);
    long headBefore = dev.chain().head().number();
    dev.close();
    // Restarted with its clock back in time: the chain's time is ahead of it (a dev chain, like
    // hardhat's automine, runs ahead under load), and still each block follows its parent.
    dev = Node.start(config, InstantSource.system());
    sendOneByOne(dev, 8, 12);
    assertTrue(dev.chain().head().number() >= headBefore + 4);
    assertRisingTimestamps(dev.chain(), Long.MAX_VALUE);
  }

  @Test
  void fourValidatorsWithSkewedClocksKeepTimestampsRisingAndRefuseOneFarAhead()
      throws Exception {
    network = LocalNetwork.layOut(dir, SUITE, CHAIN_ID, 4, 4,
        Map.of(SENDER_ADDRESS, Genesis.Allocation.funded(LocalNetwork.FUNDS)));
    InstantSource[] clocks = {InstantSource.system(), InstantSource.system(), skewed(BEHIND),
        skewed(FAR_AHEAD)};
    Node[] nodes = new Node[4];
    for (int i = 0; i < 4; i++) {
      nodes[i] = network.start(i, clocks[i]);
    }
    sendOneByOne(nodes[0], 0, 12);
    network.stop(1);
    nodes[1] = network.start(1, clocks[1]);
    sendOneByOne(nodes[0], 12, 24);
    await("every member has the 24 transfers", () -> nonceAtHead(nodes[1]) == 24
        && nonceAtHead(nodes[2]) == 24 && nonceAtHead(nodes[3]) == 24);

    Address behind = address(network.keys[2]);
    Address ahead = address(network.keys[3]);
    int fromBehind = 0;
    for (Node node : nodes) {
      Blockchain chain = node.chain();
      assertRisingTimestamps(chain);
      for (long number = 1; number <= chain.head().number(); number++) {
        BlockHeader header = header(chain, number);
        assertTrue(!header.coinbase().equals(ahead), "block " + number + " was proposed by"
            + " the validator " + FAR_AHEAD + " ahead");
        // Its clock reads below the busy chain's time: its blocks rise by the parent + 1 rule.
        if (header.coinbase().equals(behind)
            && header.timestamp() == header(chain, number - 1).timestamp() + 1) {
          fromBehind++;
        }
      }
    }
    assertTrue(fromBehind > 0, "the validator behind stamped no block parent + 1");
    assertTrue(invalidProposals(nodes[0]) > 0, "no proposal refused, yet one clock is "
        + FAR_AHEAD + " ahead");
  }

  private static InstantSource skewed(Duration by) {
    return Clock.offset(Clock.systemUTC(), by);
  }

  /** Sends transfers {@code from..until-1}, each once the one before is in a block. */
  private static void sendOneByOne(Node node, int from, int until) throws InterruptedException {
    for (int nonce = from; nonce < until; nonce++) {
      node.chain().submit(transfer(nonce));
      int mined = nonce + 1;
      await("transfer " + nonce + " in a block", () -> nonceAtHead(node) == mined);
    }
  }

  /** Each block's timestamp is above its parent's and at most the bound ahead of this clock. */
  private static void assertRisingTimestamps(Blockchain chain) {
    assertRisingTimestamps(chain, System.currentTimeMillis() / 1000
        + BlockTime.FUTURE_SECONDS_MAX);
  }

  /** Each block's timestamp is above its parent's and at most {@code latest}. */
  private static void assertRisingTimestamps(Blockchain chain, long latest) {
    for (long number = 1; number <= chain.head().number(); number++) {
      long time = header(chain, number).timestamp();
      long parent = header(chain, number - 1).timestamp();
      assertTrue(time > parent, "block " + number + " at " + time + ", its parent at "
          + parent);
      assertTrue(time <= latest, "block " + number + " at " + time + ", beyond " + latest);
    }
  }

  private static BlockHeader header(Blockchain chain, long number) {
    return chain.store().blockByNumber(number).orElseThrow().header();
  }

  private static long invalidProposals(Node node) throws Exception {
    String status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(node.rpcUrl())).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,"
            + "\"method\":\"chorus_nodeStatus\",\"params\":[]}")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("\"invalidProposals\":(\\d+)").matcher(status);
    assertTrue(m.find(), status);
    return Long.parseLong(m.group(1));
  }

  private static Address address(KeyPair keys) {
    return Address.of(SUITE.address(keys.publicKey()));
  }

  private static long nonceAtHead(Node node) {
    Blockchain chain = node.chain();
    var account = chain.stateAt(chain.head()).account(SENDER_ADDRESS);
    return account == null ? 0 : account.nonce();
  }

  private static Transaction transfer(long nonce) {
    return TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, nonce,
        BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 21_000,
        Address.parse("0x" + "77".repeat(20)).toArray(), BigInteger.ONE, new byte[0], List.of(),
        BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
        new byte[0]), SENDER, SUITE);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }
}
