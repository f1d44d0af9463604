package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node process under load is killed with SIGKILL at seeded random moments and restarted:
 * every transaction that had a receipt before a kill has the same receipt after it, and every
 * block known before it keeps its hash (which covers its state root).
 */
class NodeCrashTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final int SENDERS = 4;
  private static final int KILLS = 4;
  private static final long SEED = Long.getLong("chorus.crash.seed", 20261130L);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void killedUnderLoadTheNodeRestartsWithEveryReceiptAndBlockItHad() throws Exception {
    assertEquals(0, Chorus.commandLine().execute("init", "--dir", dir.toString(),
        "--accounts", Integer.toString(SENDERS), "--block-interval-ms", "200"));
    Random random = new Random(SEED);
    Map<String, String> receiptBlock = new HashMap<>();
    List<String> blockHashes = new ArrayList<>();
    for (int round = 0; round < KILLS; round++) {
      Process node = startNode();
      try {
        String url = awaitUrl(node);
        verify(url, receiptBlock, blockHashes, round);
        ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> load = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
          KeyPair keys = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, s));
          Thread t = new Thread(() -> send(url, keys, sent, stop));
          t.start();
          load.add(t);
        }
        Thread.sleep(500 + random.nextInt(1500));
        // Snapshot what the node has committed, then kill it with no warning at all.
        snapshot(url, new ArrayList<>(sent), receiptBlock, blockHashes);
        node.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        stop.set(true);
        for (Thread t : load) {
          t.join(10_000);
        }
      } finally {
        node.destroyForcibly();
      }
    }
    Process node = startNode();
    try {
      verify(awaitUrl(node), receiptBlock, blockHashes, KILLS);
      // The killed runs could not delete the native libraries they unpacked; each start empties
      // the node's own temporary directory, so only the running node's copy is there.
      try (var unpacked = Files.list(dir.resolve("tmp"))) {
        assertEquals(1, unpacked.filter(p -> p.getFileName().toString()
            .startsWith("librocksdbjni")).count(), "RocksDB's unpacked libraries in tmp/");
      }
    } finally {
      node.destroy();
      node.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(receiptBlock.size() > 50, "the load got " + receiptBlock.size()
        + " transactions committed before the kills: too few to mean anything");
  }

  private Process startNode() throws IOException {
    new DataDir(dir).clearRunning();
    return new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        Chorus.class.getName(), "node", "--dir", dir.toString(), "--rpc-port", "0")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()))
        .start();
  }

  private String awaitUrl(Process node) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    DataDir data = new DataDir(dir);
    while (System.currentTimeMillis() < deadline) {
      assertTrue(node.isAlive(), "the node exited; see " + data.log());
      var running = data.running();
      if (running.isPresent() && running.get().pid() == node.pid()) {
        return running.get().rpcUrl();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the node did not start within 60 s; see " + data.log());
  }

  /** One sender's load: its next nonce from the node, then signed transfers until stopped. */
  private void send(String url, KeyPair keys, ConcurrentLinkedQueue<String> sent,
      AtomicBoolean stop) {
    try {
      String from = Hex.encode0x(SUITE.address(keys.publicKey()));
      long nonce = Long.decode(call(url, "eth_getTransactionCount", from, "latest").asText());
      while (!stop.get()) {
        Transaction tx = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE,
            BigInteger.valueOf(1337), nonce, BigInteger.ONE, BigInteger.valueOf(100_000_000_000L),
            21_000, Hex.decode("77".repeat(20)), BigInteger.valueOf(nonce + 1), new byte[0],
            List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO,
            new byte[0], new byte[0]), keys, SUITE);
        try {
          sent.add(call(url, "eth_sendRawTransaction", Hex.encode0x(tx.encoded())).asText());
          nonce++;
        } catch (IOException e) {
          if (!e.getMessage().contains("SENDER_FULL")) {
            throw e;
          }
          Thread.sleep(20); // the pool holds all it takes from this sender: let blocks drain it
        }
      }
    } catch (IOException | InterruptedException e) {
      // The node was killed under this sender: the load ends here.
    }
  }

  private void snapshot(String url, List<String> sent, Map<String, String> receiptBlock,
      List<String> blockHashes) throws Exception {
    for (int i = 0; i < sent.size(); i += 500) {
      ArrayNode batch = JSON.createArrayNode();
      for (String hash : sent.subList(i, Math.min(sent.size(), i + 500))) {
        batch.add(request("eth_getTransactionReceipt", hash));
      }
      for (JsonNode response : post(url, batch)) {
        JsonNode receipt = response.get("result");
        if (receipt != null && !receipt.isNull()) {
          receiptBlock.put(receipt.get("transactionHash").asText(),
              receipt.get("blockHash").asText() + "/" + receipt.get("status").asText());
        }
      }
    }
    long head = Long.decode(call(url, "eth_blockNumber").asText());
    for (long n = blockHashes.size(); n <= head; n++) {
      blockHashes.add(call(url, "eth_getBlockByNumber", "0x" + Long.toHexString(n), false)
          .get("hash").asText());
    }
  }

  private void verify(String url, Map<String, String> receiptBlock, List<String> blockHashes,
      int round) throws Exception {
    for (int n = 0; n < blockHashes.size(); n++) {
      JsonNode block = call(url, "eth_getBlockByNumber", "0x" + Long.toHexString(n), false);
      assertEquals(blockHashes.get(n), block.get("hash").asText(), "after kill " + round
          + ": block " + n + " changed or vanished");
    }
    List<String> hashes = new ArrayList<>(receiptBlock.keySet());
    for (int i = 0; i < hashes.size(); i += 500) {
      ArrayNode batch = JSON.createArrayNode();
      hashes.subList(i, Math.min(hashes.size(), i + 500))
          .forEach(h -> batch.add(request("eth_getTransactionReceipt", h)));
      for (JsonNode response : post(url, batch)) {
        JsonNode receipt = response.get("result");
        assertTrue(receipt != null && !receipt.isNull(), "after kill " + round
            + ": a receipt vanished: " + response);
        assertEquals(receiptBlock.get(receipt.get("transactionHash").asText()),
            receipt.get("blockHash").asText() + "/" + receipt.get("status").asText());
      }
    }
  }

  private static ObjectNode request(String method, Object... params) {
    ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1)
        .put("method", method);
    request.set("params", JSON.valueToTree(params));
    return request;
  }

  private JsonNode call(String url, String method, Object... params)
      throws IOException, InterruptedException {
    JsonNode response = post(url, request(method, params));
    if (response.has("error")) {
      throw new IOException(method + ": " + response.get("error"));
    }
    return response.get("result");
  }

  private JsonNode post(String url, JsonNode body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
