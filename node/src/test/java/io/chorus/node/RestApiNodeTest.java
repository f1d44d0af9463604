package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import io.chorus.service.ApiTokens;
import io.chorus.service.ChainService;
import io.chorus.service.Keystore;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The REST API on a running dev node: a token's write signed by the node with the account's
 * keystore key reaches the pool and a block; a client-signed one must come from the token's
 * account; a revoked token is refused without a restart; an account the keystore lacks is
 * refused; refusals and calls show in the metrics.
 */
class RestApiNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final KeyPair KEYS =
      SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0));
  private static final KeyPair OTHER =
      SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 1));
  private static final Address ACCOUNT = Address.of(SUITE.address(KEYS.publicKey()));
  private static final Address TARGET = Address.parse("0x" + "ab".repeat(20));
  private static final String PASSWORD = "node keystore password";

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final SecureRandom random = new SecureRandom();

  private void writeGenesis() {
    Genesis genesis = new Genesis(BigInteger.valueOf(1337), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 60_000, 0, new byte[0], List.of(), Map.of(
            ACCOUNT, Genesis.Allocation.funded(BigInteger.TEN.pow(22)),
            Address.of(SUITE.address(OTHER.publicKey())),
            Genesis.Allocation.funded(BigInteger.TEN.pow(22))));
    GenesisFile.write(genesis, dir.resolve("genesis.json"));
  }

  private HttpResponse<String> post(Node node, String path, String token, String body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(node.rpcUrl() + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(Node node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(node.rpcUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTokensWriteIsSignedWithTheKeystoreKeyAndReachesTheChain() throws Exception {
    writeGenesis();
    Keystore.importKey(dir, SUITE, KEYS.privateKey(), PASSWORD.toCharArray(), random);
    String token = ApiTokens.issue(dir, ACCOUNT, Set.of(ChainService.SENDER_ROLE),
        Optional.empty(), Clock.systemUTC(), random).token();
    Address locked = Address.parse("0x" + "cd".repeat(20));
    String lockedToken = ApiTokens.issue(dir, locked, Set.of(ChainService.SENDER_ROLE),
        Optional.empty(), Clock.systemUTC(), random).token();
    Node.Config config = new Node.Config(dir, "127.0.0.1", 0)
        .withApi(new Node.Api(Optional.of(PASSWORD), List.of()));
    try (Node node = Node.start(config)) {
      String call = "{\"to\":\"" + TARGET + "\",\"data\":\"0x1234\"";
      HttpResponse<String> pooled = post(node, "/api/v1/chain/transactions", token,
          call + "}");
      assertEquals(202, pooled.statusCode(), pooled.body());
      JsonNode sent = JSON.readTree(pooled.body());
      assertEquals(Hex.encode0x(ACCOUNT.toArray()), sent.path("from").asText());
      assertEquals(0, sent.path("nonce").asLong());
      byte[] hash = Hex.decode(sent.path("hash").asText());
      // In the pool or already in a block: the chain knows it either way.
      assertTrue(node.chain().pool().get(hash) != null
          || node.chain().store().transactionLocation(hash).isPresent());

      HttpResponse<String> waited = post(node, "/api/v1/chain/transactions", token,
          call + ",\"wait\":true}");
      assertEquals(201, waited.statusCode(), waited.body());
      JsonNode included = JSON.readTree(waited.body());
      assertEquals("committed", included.path("status").asText());
      assertEquals(1, included.path("nonce").asLong());
      byte[] second = Hex.decode(included.path("hash").asText());
      Transaction stored = node.chain().store().blockByHash(Hex.decode(
          included.path("blockHash").asText())).orElseThrow().transactions()
          .get(included.path("index").asInt());
      assertEquals(Hex.encode0x(second), Hex.encode0x(SUITE.hash(stored.encoded())));
      assertEquals(TARGET, Address.of(stored.to()));

      JsonNode lookedUp = JSON.readTree(get(node, "/api/v1/chain/transactions/"
          + included.path("hash").asText()).body());
      assertEquals(included.path("blockNumber").asLong(), lookedUp.path("blockNumber").asLong());

      HttpResponse<String> noKey = post(node, "/api/v1/chain/transactions", lockedToken,
          call + "}");
      assertEquals(409, noKey.statusCode(), noKey.body());
      assertTrue(JSON.readTree(noKey.body()).path("detail").asText()
          .contains("no unlocked key for " + locked), noKey.body());

      long next = node.chain().pool().nextNonce(ACCOUNT);
      HttpResponse<String> raw = post(node, "/api/v1/chain/transactions", token,
          "{\"raw\":\"" + Hex.encode0x(signed(KEYS, next).encoded()) + "\"}");
      assertEquals(202, raw.statusCode(), raw.body());
      HttpResponse<String> notYours = post(node, "/api/v1/chain/transactions", token,
          "{\"raw\":\"" + Hex.encode0x(signed(OTHER, 0).encoded()) + "\"}");
      assertEquals(403, notYours.statusCode(), notYours.body());

      String id = ApiTokens.list(dir).get(0).id();
      ApiTokens.revoke(dir, id);
      HttpResponse<String> revoked = post(node, "/api/v1/chain/transactions", token,
          call + "}");
      assertEquals(401, revoked.statusCode(), revoked.body());
      assertTrue(revoked.body().contains("API token " + id + " was revoked"), revoked.body());

      String metrics = get(node, "/metrics").body();
      assertTrue(metrics.contains("chorus_api_refusals_total{reason=\"unauthorized\"} 1.0"),
          metrics);
      assertTrue(metrics.contains("chorus_api_refusals_total{reason=\"forbidden\"} 1.0"));
      assertTrue(metrics.contains("chorus_api_call_seconds_count{route=\"POST "
          + "/api/v1/chain/transactions\"} 6"), metrics);
      JsonNode openApi = JSON.readTree(get(node, "/api/v1/openapi.json").body());
      assertNotNull(openApi.path("paths").get("/api/v1/chain/transactions/{hash}"));
    }
  }

  @Test
  void aWrongKeystorePasswordStopsTheNodeFromStarting() {
    writeGenesis();
    Keystore.importKey(dir, SUITE, KEYS.privateKey(), PASSWORD.toCharArray(), random);
    Node.Config config = new Node.Config(dir, "127.0.0.1", 0)
        .withApi(new Node.Api(Optional.of("not it"), List.of()));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Node.start(config));
    assertTrue(refused.getMessage().startsWith("wrong keystore password"),
        refused.getMessage());
  }

  private Transaction signed(KeyPair keys, long nonce) {
    Transaction template = new Transaction(Transaction.DYNAMIC_FEE, BigInteger.valueOf(1337),
        nonce, BigInteger.ONE, BigInteger.TEN.pow(10), 50_000, TARGET.toArray(),
        BigInteger.ZERO, new byte[0], List.of(), BigInteger.ZERO, List.of(), 0,
        BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]);
    return TransactionSigner.sign(template, keys, SUITE);
  }

}
