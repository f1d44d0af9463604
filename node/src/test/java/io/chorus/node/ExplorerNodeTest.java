package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.GenesisFile;
import io.chorus.client.Abi;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.Receipt;
import io.chorus.client.RpcException;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.explorer.ContractRegistry;
import io.chorus.explorer.ContractsService;
import io.chorus.ledger.Genesis;
import io.chorus.service.ApiTokens;
import io.chorus.state.system.Notary;
import io.chorus.state.system.SystemContracts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Keys;

/**
 * What the console reads from a running dev node: chorus_decodeTransaction of an ERC-20
 * transfer (by the signature table), of a call to the notary system contract (by its built-in
 * ABI), of a user contract before and after its ABI is uploaded through the REST API (refused
 * without a token and with a malformed ABI, kept across a restart), of a revert with a reason
 * and with a custom error; and chorus_search for each kind it resolves (the notary's record
 * ids, digests and batch roots among them). Method: contracts compiled by solc
 * (src/test/solidity), transactions signed by the Java client; expected values come from the
 * test's own inputs, and checksummed addresses from web3j's EIP-55, a library apart from the
 * node's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExplorerNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final byte[] KEY = HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0);
  private static final Address SENDER = Address.of(SUITE.address(SUITE.keyPair(KEY)
      .publicKey()));
  private static final String RECIPIENT = "0x" + "5a".repeat(20);
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void decodesBySignatureTableSystemAbiAndUploadedAbiAndSearchesEveryKind() throws Exception {
    GenesisFile.write(new Genesis(BigInteger.valueOf(1337), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 60_000, 0, new byte[0], List.of(),
        Map.of(SENDER, Genesis.Allocation.funded(BigInteger.TEN.pow(22)))),
        dir.resolve("genesis.json"));
    String token = ApiTokens.issue(dir, SENDER, Set.of(ContractsService.WRITER_ROLE),
        Optional.empty(), Clock.systemUTC(), new SecureRandom()).token();
    String readerToken = ApiTokens.issue(dir, SENDER, Set.of("chain.sender"),
        Optional.empty(), Clock.systemUTC(), new SecureRandom()).token();
    Node.Config config = new Node.Config(dir, "127.0.0.1", 0);
    String vault;
    String storeTx;
    String takeTx;
    try (Node node = Node.start(config)) {
      ChorusClient client = ChorusClient.connect(node.rpcUrl());
      Account account = client.account(KEY);

      // An ERC-20 transfer: no ABI uploaded, the signature table knows transfer and Transfer.
      String token20 = Hex.encode0x(client.deploy(account, initcode("Token", "1000000"),
          1_000_000, WAIT).contractAddress());
      String transfer = sent(client, account, token20, "transfer(address,uint256)",
          List.of(RECIPIENT, "1234"), 0);
      JsonNode decoded = decode(client, transfer);
      assertEquals("success", decoded.path("status").asText());
      assertEquals(Keys.toChecksumAddress(token20), decoded.path("to").asText());
      assertFalse(decoded.has("contractName"), "nothing named the token: " + decoded);
      assertFunction(decoded, "transfer(address,uint256)", "transfer", "signature-table");
      assertArgument(decoded.path("arguments").get(0), "to", "address",
          Keys.toChecksumAddress(RECIPIENT));
      assertArgument(decoded.path("arguments").get(1), "amount", "uint256", "1234");
      JsonNode log = decoded.path("logs").get(0);
      assertEquals("Transfer(address,address,uint256)", log.path("event").path("signature")
          .asText());
      assertEquals("signature-table", log.path("event").path("source").asText());
      assertArgument(log.path("arguments").get(0), "from", "address",
          Keys.toChecksumAddress(SENDER.toString()));
      assertArgument(log.path("arguments").get(2), "value", "uint256", "1234");

      // A call to the notary system contract: its ABI is built in.
      byte[] digest = Keccak256.INSTANCE.hash("explorer test".getBytes(StandardCharsets.UTF_8));
      String notarize = Hex.encode0x(mined(client, client.send(account,
          SystemContracts.NOTARY.toArray(), BigInteger.ZERO, Notary.notarizeCall("doc-7",
              Notary.Algorithm.KECCAK256, digest, "contract", "{}"), 0)));
      JsonNode system = decode(client, notarize);
      assertEquals("ChorusNotary", system.path("contractName").asText());
      assertFunction(system, "Notarize(string,uint8,bytes,string,string)", "Notarize",
          "system");
      assertArgument(system.path("arguments").get(0), "id", "string", "doc-7");
      assertArgument(system.path("arguments").get(1), "algorithm", "uint8", "3");
      assertArgument(system.path("arguments").get(2), "hash", "bytes", Hex.encode0x(digest));
      byte[] root = Keccak256.INSTANCE.hash("a batch root".getBytes(StandardCharsets.UTF_8));
      mined(client, client.send(account, SystemContracts.NOTARY.toArray(), BigInteger.ZERO,
          Notary.anchorBatchCall(root, 3, "{}"), 0));
      JsonNode batch = search(client, Hex.encode0x(root));
      assertEquals("notary-batch", batch.get(0).path("kind").asText(), batch.toString());
      assertEquals(1, batch.get(0).path("number").asLong());
      assertEquals(3, batch.get(0).path("count").asLong());
      JsonNode recorded = system.path("logs").get(0);
      assertEquals("Recorded", recorded.path("event").path("name").asText());
      assertEquals("ChorusNotary", recorded.path("contractName").asText());
      assertEquals("system", recorded.path("event").path("source").asText());

      // A user contract: raw until its ABI is uploaded.
      vault = Keys.toChecksumAddress(Hex.encode0x(client.deploy(account, initcode("Vault", null),
          1_000_000, WAIT).contractAddress()));
      storeTx = sent(client, account, vault, "store(string,uint256)", List.of("rent", "700"),
          0);
      JsonNode raw = decode(client, storeTx);
      assertTrue(raw.path("function").isNull(), raw.toString());
      assertEquals(selector("store(string,uint256)"), raw.path("selector").asText());
      assertTrue(raw.path("logs").get(0).path("event").isNull(), raw.toString());
      assertEquals(2, raw.path("logs").get(0).path("topics").size());

      String abi = resource("Vault.abi");
      String upload = "{\"name\": \"Vault\", \"abi\": " + abi + "}";
      assertEquals(401, put(node, vault, null, upload).statusCode());
      assertEquals(403, put(node, vault, readerToken, upload).statusCode());
      String malformed = abi.replaceFirst("\"type\": \"uint256\"", "\"type\": \"uint257\"");
      HttpResponse<String> refused = put(node, vault, token, "{\"name\": \"Vault\", \"abi\": "
          + malformed + "}");
      assertEquals(400, refused.statusCode(), refused.body());
      JsonNode problem = JSON.readTree(refused.body());
      assertEquals("/abi/0/inputs/0/type", problem.path("errors").get(0).path("field").asText(),
          refused.body());
      assertTrue(problem.path("errors").get(0).path("detail").asText().contains("uint257"));
      HttpResponse<String> notAnArray = put(node, vault, token, "{\"name\": \"Vault\", \"abi\":"
          + " {\"abi\": []}}");
      assertEquals("/abi", JSON.readTree(notAnArray.body()).path("errors").get(0).path("field")
          .asText(), notAnArray.body());
      HttpResponse<String> accepted = put(node, vault, token, upload);
      assertEquals(201, accepted.statusCode(), accepted.body());
      HttpResponse<String> clash = put(node, token20, token, upload);
      assertEquals(409, clash.statusCode(), clash.body());
      assertTrue(clash.body().contains("the name 'Vault' is taken by"), clash.body());
      assertEquals(409, put(node, SystemContracts.NOTARY.toString(), token,
          "{\"name\": \"Mine\", \"abi\": " + abi + "}").statusCode());
      assertStoreDecodedByAbi(decode(client, storeTx), vault);

      // Reverts: Error(string) by RevertReason, a custom error by the uploaded ABI.
      String closeTx = sent(client, account, vault, "close()", List.of(), 100_000);
      JsonNode closed = decode(client, closeTx);
      assertEquals("reverted", closed.path("status").asText());
      assertEquals("vault is locked", closed.path("revertReason").asText());
      assertFunction(closed, "close()", "close", "abi");
      takeTx = sent(client, account, vault, "take(uint256)", List.of("701"), 100_000);
      assertCustomError(decode(client, takeTx));

      assertSearches(client, node, transfer, vault, token20, digest);
    }

    // Uploads live in the data directory: a restarted node decodes by them still.
    assertTrue(Files.readString(dir.resolve(ContractRegistry.FILE_NAME)).contains("Vault"));
    try (Node node = Node.start(config)) {
      ChorusClient client = ChorusClient.connect(node.rpcUrl());
      assertStoreDecodedByAbi(decode(client, storeTx), vault);
      assertCustomError(decode(client, takeTx));
      JsonNode entry = JSON.readTree(get(node, "/api/v1/contracts/" + vault).body());
      assertEquals("Vault", entry.path("name").asText());
      assertEquals("uploaded", entry.path("source").asText());
      assertEquals(Keys.toChecksumAddress(SENDER.toString()), entry.path("uploadedBy").asText());
    }
  }

  private static void assertStoreDecodedByAbi(JsonNode decoded, String vault) {
    assertEquals("Vault", decoded.path("contractName").asText(), decoded.toString());
    assertFunction(decoded, "store(string,uint256)", "store", "abi");
    assertArgument(decoded.path("arguments").get(0), "label", "string", "rent");
    assertArgument(decoded.path("arguments").get(1), "amount", "uint256", "700");
    JsonNode stored = decoded.path("logs").get(0);
    assertEquals(vault, stored.path("address").asText());
    assertEquals("Stored(address,string,uint256)", stored.path("event").path("signature")
        .asText());
    assertEquals("abi", stored.path("event").path("source").asText());
    assertArgument(stored.path("arguments").get(0), "by", "address",
        Keys.toChecksumAddress(SENDER.toString()));
    assertArgument(stored.path("arguments").get(1), "label", "string", "rent");
  }

  private static void assertCustomError(JsonNode decoded) {
    assertEquals("reverted", decoded.path("status").asText(), decoded.toString());
    JsonNode error = decoded.path("revertError");
    assertEquals("InsufficientBalance(uint256,uint256)", error.path("signature").asText());
    assertEquals("abi", error.path("source").asText());
    assertArgument(error.path("arguments").get(0), "available", "uint256", "700");
    assertArgument(error.path("arguments").get(1), "requested", "uint256", "701");
    assertEquals("InsufficientBalance(available: 700, requested: 701)",
        decoded.path("revertReason").asText());
    assertTrue(decoded.path("revertData").asText().startsWith(
        selector("InsufficientBalance(uint256,uint256)")));
  }

  private void assertSearches(ChorusClient client, Node node, String transfer, String vault,
      String token20, byte[] digest) throws Exception {
    Receipt receipt = client.receipt(Hex.decode(transfer));
    long number = receipt.blockNumber();
    String blockHash = node.chain().store().canonicalHash(number).map(Hex::encode0x)
        .orElseThrow();
    JsonNode byNumber = search(client, Long.toString(number));
    assertEquals("block", byNumber.get(0).path("kind").asText(), byNumber.toString());
    assertEquals(blockHash, byNumber.get(0).path("hash").asText());
    assertEquals(blockHash, search(client, "0x" + Long.toHexString(number)).get(0).path("hash")
        .asText());
    JsonNode byBlockHash = search(client, blockHash);
    assertEquals(1, byBlockHash.size(), byBlockHash.toString());
    assertEquals(number, byBlockHash.get(0).path("number").asLong());
    JsonNode byTx = search(client, transfer);
    assertEquals("transaction", byTx.get(0).path("kind").asText(), byTx.toString());
    assertEquals(number, byTx.get(0).path("blockNumber").asLong());

    JsonNode account = search(client, SENDER.toString());
    assertEquals("address", account.get(0).path("kind").asText());
    assertEquals("account", account.get(0).path("accountType").asText());
    JsonNode named = search(client, vault.toLowerCase());
    assertEquals("contract", named.get(0).path("accountType").asText(), named.toString());
    assertEquals("Vault", named.get(0).path("contractName").asText());
    assertEquals("contract", search(client, token20).get(0).path("accountType").asText());

    JsonNode byName = search(client, "vaU");
    assertEquals(1, byName.size(), byName.toString());
    assertEquals("contract", byName.get(0).path("kind").asText());
    assertEquals(vault, byName.get(0).path("address").asText());
    List<String> system = new ArrayList<>();
    search(client, "chorus").forEach(m -> system.add(m.path("name").asText()));
    assertEquals(List.of("ChorusCrossChain", "ChorusDataSharing", "ChorusGovernance",
        "ChorusNotary", "ChorusPermissions", "ChorusReceivables", "ChorusTrace"), system);

    JsonNode record = search(client, "doc-7");
    assertEquals("notary-record", record.get(0).path("kind").asText(), record.toString());
    assertEquals(1, record.get(0).path("version").asLong());
    JsonNode byDigest = search(client, Hex.encode0x(digest));
    assertEquals("notary-record", byDigest.get(0).path("kind").asText(), byDigest.toString());
    assertEquals("doc-7", byDigest.get(0).path("id").asText());
    assertEquals("digest", byDigest.get(0).path("matchedBy").asText());

    assertEquals(0, search(client, "no such thing").size());
    assertEquals(0, search(client, "0x" + "77".repeat(32)).size());
    RpcException tooLong = assertThrows(RpcException.class,
        () -> search(client, "x".repeat(300)));
    assertTrue(tooLong.getMessage().contains("at most 256"), tooLong.getMessage());
  }

  private static JsonNode search(ChorusClient client, String query) {
    return client.rpc().call("chorus_search", query);
  }

  private static JsonNode decode(ChorusClient client, String hash) {
    return client.rpc().call("chorus_decodeTransaction", hash);
  }

  private static void assertFunction(JsonNode decoded, String signature, String name,
      String source) {
    JsonNode function = decoded.path("function");
    assertEquals(signature, function.path("signature").asText(), decoded.toString());
    assertEquals(name, function.path("name").asText());
    assertEquals(source, function.path("source").asText(), decoded.toString());
  }

  private static void assertArgument(JsonNode argument, String name, String type,
      String value) {
    assertEquals(name, argument.path("name").asText(), argument.toString());
    assertEquals(type, argument.path("type").asText(), argument.toString());
    assertEquals(value, argument.path("value").asText(), argument.toString());
  }

  /** Sends a call (with a fixed gas limit when the node would refuse to estimate a revert). */
  private static String sent(ChorusClient client, Account from, String to, String signature,
      List<String> args, long gas) {
    byte[] data = Abi.encodeCall(Abi.function(signature, null), args);
    return Hex.encode0x(mined(client, client.send(from, Hex.decode(to), BigInteger.ZERO, data,
        gas)));
  }

  private static byte[] mined(ChorusClient client, byte[] hash) {
    client.waitForReceipt(hash, WAIT);
    return hash;
  }

  private static String selector(String signature) {
    return Hex.encode0x(java.util.Arrays.copyOf(Keccak256.INSTANCE.hash(
        signature.getBytes(StandardCharsets.UTF_8)), 4));
  }

  private static byte[] initcode(String contract, String constructorArgument) {
    byte[] code = Hex.decode(resource(contract + ".bin"));
    if (constructorArgument == null) {
      return code;
    }
    byte[] args = Abi.encodeArguments("(uint256)", List.of(constructorArgument));
    byte[] out = java.util.Arrays.copyOf(code, code.length + args.length);
    System.arraycopy(args, 0, out, code.length, args.length);
    return out;
  }

  private static String resource(String name) {
    try (InputStream in = ExplorerNodeTest.class.getResourceAsStream("/solidity/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private HttpResponse<String> put(Node node, String address, String token, String body)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.rpcUrl()
        + "/api/v1/contracts/" + address)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(Node node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(node.rpcUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
