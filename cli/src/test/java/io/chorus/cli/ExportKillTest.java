package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.ClientException;
import io.chorus.client.JsonRpcClient;
import io.chorus.codec.Hex;
import io.chorus.crypto.HdWallet;
import io.chorus.export.PostgresServer;
import io.chorus.node.Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus export} as its own process, killed with SIGKILL ({@code destroyForcibly}) at
 * five seeded random moments while a dev node takes a steady load of transfers, and started
 * again after each kill; a last {@code --once} run (in this JVM) catches up. Afterwards PostgreSQL holds every
 * block from 0 to its progress row once and no other, each block with the node's hash and
 * transaction count, and every transaction the load got committed exactly once, in the block
 * the node's receipt names. The kills land wherever the exporter is: reading from the node,
 * inside a block range's PostgreSQL transaction or between ranges (the count of kills inside a
 * transaction is in the failure messages).
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExportKillTest {
  private static final int SENDERS = 4;
  private static final int KILLS = 5;
  /**
   * Each sender's pause between transfers: about 150 tx/s in all, a steady load that leaves
   * this 2-core machine's CPU to the exporter, PostgreSQL and the node.
   */
  private static final long SEND_PAUSE_MS = 20;
  private static final long SEED = Long.getLong("chorus.export.kill.seed", 20260426L);
  private static final String DATABASE = "killed";

  @TempDir Path dir;

  @Test
  void killedFiveTimesUnderLoadTheExportHoldsEveryBlockAndTransactionOnce() throws Exception {
    Path data = dir.resolve("chain");
    assertEquals(0, Chorus.commandLine().execute("init", "--dir", data.toString(),
        "--accounts", Integer.toString(SENDERS), "--block-interval-ms", "200"));
    Random random = new Random(SEED);
    try (PostgresServer postgres = PostgresServer.start();
        Node node = Node.start(new Node.Config(data, "127.0.0.1", 0))) {
      String database = postgres.createDatabase(DATABASE);
      ChorusClient client = ChorusClient.connect(node.rpcUrl());
      ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> load = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        Account account = client.account(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, s));
        load.add(Thread.ofPlatform().start(() -> send(client, account, sent, stop)));
      }
      int insideTransaction = 0;
      List<Long> progressAtKill = new ArrayList<>();
      try {
        for (int kill = 1; kill <= KILLS; kill++) {
          Path log = dir.resolve("export-" + kill + ".log");
          Process exporter = startExporter(node.rpcUrl(), database, log);
          try {
            awaitLine(exporter, log, "chorus export: exporting chain");
            Thread.sleep(200 + random.nextInt(1_500));
            assertTrue(exporter.isAlive(), "the exporter stopped by itself before kill " + kill
                + ": " + Files.readString(log));
            insideTransaction += openTransactions(postgres);
          } finally {
            exporter.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          }
          progressAtKill.add(lastBlock(postgres));
        }
      } finally {
        stop.set(true);
        for (Thread t : load) {
          t.join(30_000);
        }
      }
      String kills = "after " + KILLS + " kills (" + insideTransaction + " inside a block"
          + " range's transaction; progress at each " + progressAtKill + ")";
      Map<String, Long> committed = awaitReceipts(client.rpc(), List.copyOf(sent));
      assertTrue(committed.size() > 100, "the load got only " + committed.size()
          + " transactions committed: too few to mean anything");

      StringWriter log = new StringWriter();
      assertEquals(0, Chorus.commandLine().setErr(new PrintWriter(log, true)).execute("export",
          "--url", node.rpcUrl(), "--to", database, "--once"), log::toString);
      try (Connection db = postgres.connect(DATABASE)) {
        assertExportedOnce(db, client.rpc(), committed, kills);
      }
    }
  }

  /** Transfers from one account until stopped; a full pool (SENDER_FULL) is waited out. */
  static void send(ChorusClient client, Account from, ConcurrentLinkedQueue<String> sent,
      AtomicBoolean stop) {
    byte[] recipient = Hex.decode("77".repeat(20));
    try {
      while (!stop.get()) {
        try {
          sent.add(Hex.encode0x(client.send(from, recipient, BigInteger.ONE, new byte[0],
              21_000)));
          Thread.sleep(SEND_PAUSE_MS);
        } catch (ClientException e) {
          if (!e.getMessage().contains("SENDER_FULL")) {
            throw e;
          }
          Thread.sleep(50); // the pool holds all it takes from this sender: let blocks drain it
        }
      }
    } catch (InterruptedException e) {
      // stopped
    }
  }

  /** {@code chorus export} following the node; C1 only, which starts it sooner on 2 cores. */
  private static Process startExporter(String node, String database, Path log)
      throws Exception {
    return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Chorus.class.getName(), "export", "--url", node, "--to", database,
        "--report-seconds", "0").redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static void awaitLine(Process process, Path log, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log).contains(line)) {
      assertTrue(process.isAlive(), "the exporter exited: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "no '" + line + "' in 60 s: "
          + Files.readString(log));
      Thread.sleep(20);
    }
  }

  /** 1 when the exporter's session has a transaction open (a range being written), else 0. */
  private static int openTransactions(PostgresServer postgres) throws SQLException {
    try (Connection db = postgres.connect("postgres")) {
      return queryLongs(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = '"
          + DATABASE + "' AND xact_start IS NOT NULL").get(0) > 0 ? 1 : 0;
    }
  }

  private static long lastBlock(PostgresServer postgres) throws SQLException {
    try (Connection db = postgres.connect(DATABASE)) {
      return queryLongs(db, "SELECT last_block FROM export_progress").get(0);
    }
  }

  /** The block of each sent transaction's receipt, once every one of them has a receipt. */
  static Map<String, Long> awaitReceipts(JsonRpcClient rpc, List<String> sent)
      throws InterruptedException {
    Map<String, Long> blockOf = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> waiting = sent;
    while (!waiting.isEmpty()) {
      assertTrue(System.nanoTime() < deadline, waiting.size() + " sent transactions have no"
          + " receipt after 60 s");
      List<String> still = new ArrayList<>();
      for (int i = 0; i < waiting.size(); i += 500) {
        List<String> chunk = waiting.subList(i, Math.min(waiting.size(), i + 500));
        List<JsonNode> receipts = rpc.batch(chunk.stream()
            .map(h -> new JsonRpcClient.Call("eth_getTransactionReceipt", List.of(h))).toList());
        for (int r = 0; r < chunk.size(); r++) {
          if (receipts.get(r).isNull()) {
            still.add(chunk.get(r));
          } else {
            blockOf.put(chunk.get(r), Long.decode(receipts.get(r).path("blockNumber").asText()));
          }
        }
      }
      waiting = still;
      if (!waiting.isEmpty()) {
        Thread.sleep(200);
      }
    }
    return blockOf;
  }

  /**
   * Blocks 0 to the progress row, each once with the node's hash and transaction count; every
   * committed transaction once, in its receipt's block; no transaction the node does not have.
   */
  static void assertExportedOnce(Connection db, JsonRpcClient rpc,
      Map<String, Long> committed, String kills) throws SQLException {
    long last = queryLongs(db, "SELECT last_block FROM export_progress").get(0);
    assertEquals(List.of(last + 1, 0L, last, last + 1), queryLongs(db, "SELECT count(*),"
        + " min(number), max(number), count(DISTINCT number) FROM blocks"),
        "blocks: count, first, last, distinct " + kills);
    List<JsonRpcClient.Call> calls = new ArrayList<>();
    for (long n = 0; n <= last; n++) {
      calls.add(new JsonRpcClient.Call("eth_getBlockByNumber", List.of("0x"
          + Long.toHexString(n), false)));
    }
    Map<Long, String> nodeHash = new HashMap<>();
    Map<Long, Long> nodeCount = new HashMap<>();
    Map<Long, Long> nodeGas = new HashMap<>();
    long nodeTransactions = 0;
    for (int i = 0; i < calls.size(); i += 500) {
      for (JsonNode block : rpc.batch(calls.subList(i, Math.min(calls.size(), i + 500)))) {
        long number = Long.decode(block.path("number").asText());
        nodeHash.put(number, block.path("hash").asText().toLowerCase());
        nodeCount.put(number, (long) block.path("transactions").size());
        nodeGas.put(number, Long.decode(block.path("gasUsed").asText()));
        nodeTransactions += block.path("transactions").size();
      }
    }
    Map<Long, String> exportedHash = new HashMap<>();
    Map<Long, Long> exportedCount = new HashMap<>();
    Map<Long, Long> rowsPerBlock = new HashMap<>();
    Map<Long, Long> gasPerBlock = new HashMap<>();
    try (Statement s = db.createStatement();
        ResultSet row = s.executeQuery("SELECT b.number, b.hash, b.tx_count, count(t.hash),"
            + " coalesce(sum(t.gas_used), 0) FROM blocks b LEFT JOIN transactions t"
            + " ON t.block_number = b.number GROUP BY b.number, b.hash, b.tx_count")) {
      while (row.next()) {
        exportedHash.put(row.getLong(1), row.getString(2));
        exportedCount.put(row.getLong(1), row.getLong(3));
        rowsPerBlock.put(row.getLong(1), row.getLong(4));
        gasPerBlock.put(row.getLong(1), row.getLong(5));
      }
    }
    assertEquals(nodeHash, exportedHash, "block hashes " + kills);
    assertEquals(nodeCount, exportedCount, "blocks.tx_count " + kills);
    assertEquals(nodeCount, rowsPerBlock, "transactions rows per block " + kills);
    // Blocks hold many transactions here: each one's gas is its receipt's share of the block's.
    assertEquals(nodeGas, gasPerBlock, "the transactions' gas_used per block " + kills);

    Map<String, Long> exported = new HashMap<>();
    try (Statement s = db.createStatement();
        ResultSet row = s.executeQuery("SELECT hash, block_number FROM transactions")) {
      while (row.next()) {
        Long before = exported.put(row.getString(1), row.getLong(2));
        assertTrue(before == null, "transaction " + row.getString(1) + " twice " + kills);
      }
    }
    assertEquals(nodeTransactions, exported.size(), "transactions " + kills);
    for (Map.Entry<String, Long> tx : committed.entrySet()) {
      if (tx.getValue() <= last) {
        assertEquals(tx.getValue(), exported.get(tx.getKey()), "the block of " + tx.getKey()
            + " " + kills);
      }
    }
    assertTrue(committed.values().stream().allMatch(b -> b <= last),
        "the --once run exported past every committed transaction " + kills);
  }

  static List<Long> queryLongs(Connection db, String sql) throws SQLException {
    try (Statement s = db.createStatement(); ResultSet row = s.executeQuery(sql)) {
      assertTrue(row.next(), sql);
      List<Long> out = new ArrayList<>();
      for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
        out.add(row.getLong(i));
      }
      return out;
    }
  }
}
