package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eth_subscribe over a real WebSocket and the polling filters over HTTP, on a running node. */
class SubscriptionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final KeyPair KEYS =
      SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0));
  private static final Address LOGGER = Address.parse("0x" + "ab".repeat(20));
  // LOG1 with topic = calldata word 0, no data: PUSH1 0 CALLDATALOAD PUSH1 0 PUSH1 0 LOG1 STOP.
  private static final String LOGGER_CODE = "0x600035600060" + "00a100";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void subscribersAndFiltersSeeNewHeadsLogsAndPendingTransactions() throws Exception {
    Genesis genesis = new Genesis(BigInteger.valueOf(1337), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 60_000, 0, new byte[0], List.of(), Map.of(
            Address.of(SUITE.address(KEYS.publicKey())),
            Genesis.Allocation.funded(BigInteger.TEN.pow(22)),
            LOGGER, new Genesis.Allocation(BigInteger.ZERO, 1, Hex.decode(LOGGER_CODE),
                Map.of())));
    GenesisFile.write(genesis, dir.resolve("genesis.json"));
    try (Node node = Node.start(new Node.Config(dir, "127.0.0.1", 0))) {
      String url = node.rpcUrl();
      LinkedBlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
      WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(url.replace("http", "ws")),
          new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
              text.append(data);
              if (last) {
                try {
                  messages.add(JSON.readTree(text.toString()));
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
                text.setLength(0);
              }
              socket.request(1);
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      String topic = "0x" + "00".repeat(31) + "07";
      String heads = subscribe(ws, messages, 1, List.of("newHeads"));
      String logs = subscribe(ws, messages, 2, List.of("logs", Map.of("address",
          LOGGER.toString(), "topics", List.of(topic))));
      String pending = subscribe(ws, messages, 3, List.of("newPendingTransactions"));
      String blockFilter = call(url, "eth_newBlockFilter").asText();
      String logFilter = call(url, "eth_newFilter", Map.of("address", LOGGER.toString()))
          .asText();

      String txHash = call(url, "eth_sendRawTransaction", Hex.encode0x(TransactionSigner.sign(
          new Transaction(Transaction.DYNAMIC_FEE, BigInteger.valueOf(1337), 0, BigInteger.ONE,
              BigInteger.valueOf(10_000_000_000L), 100_000, LOGGER.toArray(), BigInteger.ZERO,
              Hex.decode(topic), List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO,
              BigInteger.ZERO, new byte[0], new byte[0]), KEYS, SUITE).encoded())).asText();

      boolean sawHead = false;
      boolean sawLog = false;
      boolean sawPending = false;
      long deadline = System.currentTimeMillis() + 15_000;
      while (!(sawHead && sawLog && sawPending) && System.currentTimeMillis() < deadline) {
        JsonNode message = messages.poll(1, TimeUnit.SECONDS);
        if (message == null) {
          continue;
        }
        assertEquals("eth_subscription", message.get("method").asText());
        JsonNode params = message.get("params");
        String id = params.get("subscription").asText();
        if (id.equals(heads)) {
          sawHead |= params.get("result").has("stateRoot");
        } else if (id.equals(logs)) {
          assertEquals(topic, params.get("result").get("topics").get(0).asText());
          assertEquals(txHash, params.get("result").get("transactionHash").asText());
          sawLog = true;
        } else if (id.equals(pending)) {
          assertEquals(txHash, params.get("result").asText());
          sawPending = true;
        }
      }
      assertTrue(sawHead && sawLog && sawPending,
          "head " + sawHead + ", log " + sawLog + ", pending " + sawPending);

      assertTrue(call(url, "eth_getFilterChanges", blockFilter).size() >= 1);
      JsonNode filtered = call(url, "eth_getFilterChanges", logFilter);
      assertEquals(1, filtered.size());
      assertEquals(txHash, filtered.get(0).get("transactionHash").asText());
      assertEquals(0, call(url, "eth_getFilterChanges", logFilter).size(), "changes drain");
      assertEquals(1, call(url, "eth_getFilterLogs", logFilter).size());
      assertTrue(call(url, "eth_uninstallFilter", logFilter).asBoolean());
      JsonNode gone = post(url, "eth_getFilterChanges", logFilter).get("error");
      assertTrue(gone.get("message").asText().contains("filter not found"), gone.toString());
      JsonNode overHttp = post(url, "eth_subscribe", "newHeads").get("error");
      assertTrue(overHttp.get("message").asText().contains("WebSocket"), overHttp.toString());
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }
  }

  private String subscribe(WebSocket ws, LinkedBlockingQueue<JsonNode> messages, int id,
      List<Object> params) throws Exception {
    ws.sendText(JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id,
        "method", "eth_subscribe", "params", params)), true).get(5, TimeUnit.SECONDS);
    long deadline = System.currentTimeMillis() + 10_000;
    while (System.currentTimeMillis() < deadline) {
      JsonNode message = messages.poll(1, TimeUnit.SECONDS);
      if (message != null && message.path("id").asInt(-1) == id) {
        assertTrue(message.has("result"), message.toString());
        return message.get("result").asText();
      }
    }
    throw new AssertionError("no answer to eth_subscribe " + params);
  }

  private JsonNode call(String url, String method, Object... params) throws Exception {
    JsonNode response = post(url, method, params);
    assertTrue(response.has("result"), method + ": " + response);
    return response.get("result");
  }

  private JsonNode post(String url, String method, Object... params) throws Exception {
    String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method,
        "params", params));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
