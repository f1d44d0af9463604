package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.EthApiTest.CHAIN_ID;
import static io.chorus.rpc.eth.EthApiTest.CODE;
import static io.chorus.rpc.eth.EthApiTest.JSON;
import static io.chorus.rpc.eth.EthApiTest.KEYS;
import static io.chorus.rpc.eth.EthApiTest.SENDER;
import static io.chorus.rpc.eth.EthApiTest.SUITE;
import static io.chorus.rpc.eth.EthApiTest.VALIDATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.evm.Evm;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.JsonRpc;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eth_call} and {@code eth_estimateGas} without {@code to} run a creation, as tools do to
 * try a deployment before sending it: the call returns the runtime code the creation would
 * deploy, or its revert or error. Each test holds the simulation against a real deployment on
 * the same chain, or against the state of the block it was run on.
 */
class EthCallCreationTest {
  /** Initcode whose constructor returns (new address, caller's balance) as a 64-byte "code". */
  static final String ENVIRONMENT = "30600052333160205260406000f3";

  @TempDir Path dir;
  Blockchain chain;
  JsonRpc rpc;

  @BeforeEach
  void open() {
    Genesis genesis = new Genesis(CHAIN_ID, "ethereum", Genesis.FeeMode.ETHEREUM_1559,
        30_000_000, 1000, 0, new byte[0], List.of(new byte[64]),
        Map.of(SENDER, Genesis.Allocation.funded(BigInteger.TEN.pow(24))));
    chain = Blockchain.open(dir, genesis, TxPool.Limits.defaults());
    rpc = new JsonRpc(new EthApi(chain, "test").methods());
  }

  @AfterEach
  void close() {
    chain.close();
  }

  /** Initcode deploying {@code runtime}: it copies what follows its 14 bytes and returns it. */
  static String deploying(String runtime) {
    String size = String.format("%04x", runtime.length() / 2);
    return "61" + size + "600e600039" + "61" + size + "6000f3" + runtime;
  }

  JsonNode call(String method, Object... params) throws Exception {
    String request = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method,
        "params", params));
    return JSON.readTree(rpc.handle(request.getBytes(StandardCharsets.UTF_8)));
  }

  String result(String method, Object... params) throws Exception {
    JsonNode response = call(method, params);
    assertTrue(response.has("result"), method + " failed: " + response);
    return response.get("result").asText();
  }

  JsonNode error(String method, Object... params) throws Exception {
    JsonNode response = call(method, params);
    assertTrue(response.has("error"), method + " should fail: " + response);
    return response.get("error");
  }

  static Map<String, String> creation(String initcode) {
    return Map.of("from", SENDER.toString(), "data", "0x" + initcode);
  }

  /** Sends a creation transaction with {@code gas}, mines it, and returns its receipt. */
  JsonNode deploy(long nonce, String initcode, long gas) throws Exception {
    Transaction tx = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
        nonce, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), gas, null,
        BigInteger.ZERO, Hex.decode(initcode), List.of(), BigInteger.ZERO, List.of(), 0,
        BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]), KEYS, SUITE);
    String hash = result("eth_sendRawTransaction", Hex.encode0x(tx.encoded()));
    chain.commit(chain.buildNext(VALIDATOR, 1_700_000_000L, new byte[0]));
    JsonNode receipt = call("eth_getTransactionReceipt", hash).get("result");
    assertEquals("0x1", receipt.get("status").asText(), receipt.toString());
    return receipt;
  }

  static String word(Address address) {
    return "00".repeat(12) + Hex.encode(address.toArray());
  }

  static String word(BigInteger value) {
    return String.format("%64s", value.toString(16)).replace(' ', '0');
  }

  @Test
  void aCreationReturnsTheCodeThatDeployingItStores() throws Exception {
    String runtime = "0x" + CODE;
    assertEquals(runtime, result("eth_call", creation(deploying(CODE)), "latest"));
    JsonNode receipt = deploy(0, deploying(CODE), 200_000);
    assertEquals(runtime, result("eth_getCode", receipt.get("contractAddress").asText(),
        "latest"));
  }

  @Test
  void aRevertingCreationGivesCode3WithItsData() throws Exception {
    // Run as initcode, the contract's code sees no calldata and reverts with Error("nope").
    for (String method : List.of("eth_call", "eth_estimateGas")) {
      JsonNode error = error(method, creation(CODE), "latest");
      assertEquals(EthApi.EXECUTION_REVERTED, error.get("code").asInt(), method);
      assertEquals("execution reverted: nope", error.get("message").asText(), method);
      assertTrue(error.get("data").asText().startsWith("0x08c379a0"), error.toString());
    }
  }

  @Test
  void initcodeIsLimitedTo49152BytesAsInATransaction() throws Exception {
    String returnsNothing = "60006000f3";
    String largest = returnsNothing + "00".repeat(49_152 - returnsNothing.length() / 2);
    assertEquals("0x", result("eth_call", creation(largest), "latest"));
    for (String method : List.of("eth_call", "eth_estimateGas")) {
      JsonNode error = error(method, creation(largest + "00"), "latest");
      assertEquals(EthApi.SERVER_ERROR, error.get("code").asInt());
      assertEquals("initcode of 49153 bytes exceeds 49152 (EIP-3860)",
          error.get("message").asText());
    }
  }

  @Test
  void returnedCodeOver24576BytesOrStartingWith0xEfIsRefused() throws Exception {
    String largest = "00".repeat(24_576);
    String returned = result("eth_call", creation(deploying(largest)), "latest");
    assertEquals(24_576, Hex.decode(returned).length);
    assertTrue(returned.equals("0x" + largest), "24576 zero bytes returned");
    JsonNode tooLarge = error("eth_call", creation(deploying(largest + "00")), "latest");
    assertEquals(EthApi.SERVER_ERROR, tooLarge.get("code").asInt());
    assertEquals("code larger than 24576 bytes", tooLarge.get("message").asText());
    JsonNode ef = error("eth_call", creation(deploying("ef00")), "latest");
    assertEquals("code starts with 0xEF", ef.get("message").asText());
    assertEquals("0xfe00", result("eth_call", creation(deploying("fe00")), "latest"));
  }

  @Test
  void aPastBlockCreatesAtThatBlocksNonceWithThatBlocksBalance() throws Exception {
    String atGenesis = result("eth_call", creation(ENVIRONMENT), "latest");
    assertEquals("0x" + word(Evm.createAddress(SUITE.hashFunction(), SENDER, 0))
        + word(BigInteger.TEN.pow(24)), atGenesis);
    JsonNode receipt = deploy(0, ENVIRONMENT, 200_000);
    String deployed = result("eth_getCode", receipt.get("contractAddress").asText(), "latest");
    assertEquals(atGenesis.substring(0, 66), deployed.substring(0, 66),
        "the simulation predicted the deployment's address");

    assertEquals(atGenesis, result("eth_call", creation(ENVIRONMENT), "0x0"));
    BigInteger balance = new BigInteger(result("eth_getBalance", SENDER.toString(), "latest")
        .substring(2), 16);
    assertTrue(balance.compareTo(BigInteger.TEN.pow(24)) < 0, "the deployment paid for gas");
    assertEquals("0x" + word(Evm.createAddress(SUITE.hashFunction(), SENDER, 1))
        + word(balance), result("eth_call", creation(ENVIRONMENT), "latest"));
  }

  @Test
  void stateOverridesApplyToTheCreation() throws Exception {
    Map<String, Object> override = Map.of(SENDER.toString(),
        Map.of("nonce", "0x5", "balance", "0x7b"));
    assertEquals("0x" + word(Evm.createAddress(SUITE.hashFunction(), SENDER, 5))
        + word(BigInteger.valueOf(123)), result("eth_call", creation(ENVIRONMENT), "latest",
        override));
    // Code put at the address the creation would take makes it collide, as it would on chain.
    Address next = Evm.createAddress(SUITE.hashFunction(), SENDER, 0);
    JsonNode collision = error("eth_call", creation(deploying(CODE)), "latest",
        Map.of(next.toString(), Map.of("code", "0x00")));
    assertEquals("address collision", collision.get("message").asText());
  }

  @Test
  void estimateGasCoversTheCreationAndItsCodeDeposit() throws Exception {
    String initcode = deploying(CODE);
    long estimate = Long.decode(result("eth_estimateGas", creation(initcode), "latest"));
    byte[] bytes = Hex.decode(initcode);
    long intrinsic = 21_000 + 32_000 + 2L * ((bytes.length + 31) / 32);
    for (byte b : bytes) {
      intrinsic += b == 0 ? 4 : 16;
    }
    long deposit = 200L * (CODE.length() / 2);
    assertTrue(estimate > intrinsic + deposit, estimate + " <= " + (intrinsic + deposit));
    Map<String, String> tight = Map.of("from", SENDER.toString(), "data", "0x" + initcode,
        "gas", "0x" + Long.toHexString(estimate - 1));
    assertTrue(call("eth_call", tight, "latest").has("error"), "the estimate is the least");

    JsonNode receipt = deploy(0, initcode, estimate);
    assertEquals("0x" + CODE, result("eth_getCode", receipt.get("contractAddress").asText(),
        "latest"));
    assertEquals(estimate, Long.decode(receipt.get("gasUsed").asText()));
  }
}
