package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.ClientException;
import io.chorus.codec.Hex;
import io.chorus.crypto.HdWallet;
import io.chorus.export.PostgresServer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus node --export}: a dev node process exporting its own chain into a real
 * PostgreSQL. Transfers are sent, their rows arrive and the export's progress shows on the
 * node's /metrics; the node is then killed with SIGKILL under load, started again with the same
 * flag, sent more transfers and stopped with SIGTERM. Started once more without the flag (the
 * chain as it is, nothing writing), every block from 0 to the progress row is in PostgreSQL
 * once with the node's hash and transaction count, and every committed transfer once.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class NodeExportTest {
  private static final int SENDERS = 2;
  private static final int BATCH = 100;
  private static final String DATABASE = "innode";
  private static final Pattern LAST_BLOCK =
      Pattern.compile("(?m)^chorus_export_last_block(?:\\{[^}]*\\})? ([0-9.E]+)$");

  @TempDir Path dir;
  /** Every node process started, destroyed at the end whatever failed. */
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void stopNodes() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aNodeExportsItsChainAndResumesAfterAKillWithoutGapOrDuplicate() throws Exception {
    DataDir data = new DataDir(dir.resolve("chain"));
    assertEquals(0, Chorus.commandLine().execute("init", "--dir", data.root.toString(),
        "--accounts", Integer.toString(SENDERS), "--block-interval-ms", "200"));
    try (PostgresServer postgres = PostgresServer.start()) {
      String database = postgres.createDatabase(DATABASE);
      Map<String, Long> committed = new HashMap<>();

      Process node = start(data, database);
      String url = NodeProcess.awaitReady(data, node, deadline()).rpcUrl();
      ChorusClient client = ChorusClient.connect(url);
      committed.putAll(sendAndAwait(client, BATCH));
      long lastTx = committed.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      long exported = awaitExported(postgres, lastTx, data);
      assertTrue(metricLastBlock(url) >= lastTx, "the node's /metrics shows the export behind"
          + " block " + lastTx + " although PostgreSQL holds up to " + exported);

      // SIGKILL while transfers come in: whatever range the export was writing rolls back.
      ConcurrentLinkedQueue<String> sentAtKill = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      Thread load = Thread.ofPlatform().start(() -> {
        try {
          ExportKillTest.send(client, account(client, 0), sentAtKill, stop);
        } catch (ClientException e) {
          // the node is gone: the kill
        }
      });
      Thread.sleep(1_500);
      node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      stop.set(true);
      load.join(30_000);

      node = start(data, database);
      url = NodeProcess.awaitReady(data, node, deadline()).rpcUrl();
      ChorusClient again = ChorusClient.connect(url);
      committed.putAll(sendAndAwait(again, BATCH));
      lastTx = committed.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      awaitExported(postgres, lastTx, data);
      node.destroy(); // SIGTERM: the export stops between blocks or rolls back, then the node
      assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the node did not stop on SIGTERM");

      Process check = NodeProcess.spawn(data, List.of("--dir", data.root.toString(),
          "--rpc-port", "0"));
      started.add(check);
      try {
        ChorusClient truth = ChorusClient.connect(
            NodeProcess.awaitReady(data, check, deadline()).rpcUrl());
        // Transfers the kill caught in the pool are lost with it; those committed count.
        committed.putAll(receiptsOf(truth, List.copyOf(sentAtKill)));
        try (Connection db = postgres.connect(DATABASE)) {
          ExportKillTest.assertExportedOnce(db, truth.rpc(), committed,
              "after a SIGKILL and a SIGTERM of a node exporting with --export");
        }
      } finally {
        check.destroy();
        check.waitFor(60, TimeUnit.SECONDS);
      }
    }
  }

  private Process start(DataDir data, String database) throws Exception {
    Process node = NodeProcess.spawn(data, List.of("--dir", data.root.toString(), "--rpc-port",
        "0", "--export", database));
    started.add(node);
    return node;
  }

  private static long deadline() {
    return System.currentTimeMillis() + 90_000;
  }

  private static Account account(ChorusClient client, int index) {
    return client.account(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, index));
  }

  /** {@code n} transfers from each sender; the block of each once committed. */
  private static Map<String, Long> sendAndAwait(ChorusClient client, int n) throws Exception {
    ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
    List<Thread> senders = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      Account from = account(client, s);
      senders.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < n; i++) {
          sent.add(Hex.encode0x(client.send(from,
              Hex.decode("77".repeat(20)), BigInteger.ONE,
              new byte[0], 21_000)));
        }
      }));
    }
    for (Thread t : senders) {
      t.join(60_000);
    }
    assertEquals(SENDERS * n, sent.size(), "transfers sent");
    return ExportKillTest.awaitReceipts(client.rpc(), List.copyOf(sent));
  }

  /** The block of each of these transactions that has a receipt. */
  private static Map<String, Long> receiptsOf(ChorusClient client, List<String> hashes) {
    Map<String, Long> out = new HashMap<>();
    for (String hash : hashes) {
      var receipt = client.rpc().call("eth_getTransactionReceipt", hash);
      if (!receipt.isNull()) {
        out.put(hash, Long.decode(receipt.path("blockNumber").asText()));
      }
    }
    return out;
  }

  /** Waits for the export's progress row to reach {@code block}; returns where it is. */
  private static long awaitExported(PostgresServer postgres, long block, DataDir data)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Connection db = postgres.connect(DATABASE)) {
        long last = ExportKillTest.queryLongs(db,
            "SELECT last_block FROM export_progress").get(0);
        if (last >= block) {
          return last;
        }
      } catch (SQLException notYet) {
        // the schema is made when the node's export opens
      }
      assertTrue(System.nanoTime() < deadline, "the node's export did not reach block " + block
          + " in 60 s: " + Files.readString(data.log()));
      Thread.sleep(100);
    }
  }

  private static double metricLastBlock(String url) throws Exception {
    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(url + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = LAST_BLOCK.matcher(metrics);
    assertTrue(m.find(), "no chorus_export_last_block on /metrics");
    assertTrue(metrics.contains("chorus_export_transactions_total"),
        "no chorus_export_transactions_total on /metrics");
    return Double.parseDouble(m.group(1));
  }
}
