package io.chorus.rpc.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.evm.trace.RevertReason;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.JsonRpc;
import io.chorus.trie.SecureTrie;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The eth_* methods through the JSON-RPC dispatcher, on a real chain in RocksDB. */
class EthApiTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final KeyPair KEYS = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0));
  static final Address SENDER = Address.of(SUITE.address(KEYS.publicKey()));
  static final Address VALIDATOR = Address.parse("0x" + "c0".repeat(20));
  /**
   * Empty calldata: revert with Error("nope"). Otherwise: store word 0 of the calldata in slot
   * 0, log it as LOG1's topic, and return it.
   */
  static final Address CONTRACT = Address.parse("0x" + "cc".repeat(20));
  static final String CODE = "36605b577f08c379a0000000000000000000000000000000000000000000000000"
      + "00000000600052602060045260046024527f6e6f706500000000000000000000000000000000000000000"
      + "00000000000000060445260646000fd5b60003560005560003560006000a160003560005260206000f3";
  static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  Blockchain chain;
  JsonRpc rpc;

  @BeforeEach
  void open() {
    Genesis genesis = new Genesis(CHAIN_ID, "ethereum", Genesis.FeeMode.ETHEREUM_1559,
        30_000_000, 1000, 0, new byte[0], List.of(new byte[64]), Map.of(
            SENDER, Genesis.Allocation.funded(BigInteger.TEN.pow(24)),
            CONTRACT, new Genesis.Allocation(BigInteger.ZERO, 1, Hex.decode(CODE), Map.of())));
    chain = Blockchain.open(dir, genesis, TxPool.Limits.defaults());
    rpc = new JsonRpc(new EthApi(chain, "test").methods());
  }

  @AfterEach
  void close() {
    chain.close();
  }

  JsonNode call(String method, Object... params) throws Exception {
    String request = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method,
        "params", params));
    return JSON.readTree(rpc.handle(request.getBytes(StandardCharsets.UTF_8)));
  }

  JsonNode result(String method, Object... params) throws Exception {
    JsonNode response = call(method, params);
    assertTrue(response.has("result"), method + " failed: " + response);
    return response.get("result");
  }

  String send(long nonce, Address to, String data, long gas) throws Exception {
    Transaction tx = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
        nonce, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), gas, to.toArray(),
        BigInteger.ZERO, Hex.decode(data), List.of(), BigInteger.ZERO, List.of(), 0,
        BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]), KEYS, SUITE);
    return result("eth_sendRawTransaction", Hex.encode0x(tx.encoded())).asText();
  }

  void mine() {
    chain.commit(chain.buildNext(VALIDATOR, 1_700_000_000L, new byte[0]));
  }

  @Test
  void receiptsNumberTheirLogsAcrossTheBlock() throws Exception {
    String first = send(0, CONTRACT, "00".repeat(31) + "01", 100_000);
    String reverted = send(1, CONTRACT, "", 100_000);
    String third = send(2, CONTRACT, "00".repeat(31) + "03", 100_000);
    mine();
    assertEquals("0x0", result("eth_getTransactionReceipt", first).get("logs").get(0)
        .get("logIndex").asText());
    assertTrue(result("eth_getTransactionReceipt", reverted).get("logs").isEmpty());
    JsonNode log = result("eth_getTransactionReceipt", third).get("logs").get(0);
    assertEquals("0x1", log.get("logIndex").asText(), "the block's second log");
    assertEquals("0x2", log.get("transactionIndex").asText());
  }

  /**
   * After a restart no block is recent: receipts come from blocks read back from the store and
   * kept, so asking across two blocks in turn must answer each from its own block.
   */
  @Test
  void receiptsOfBlocksReadBackFromTheStoreAreTheReceiptsServedAtCommit() throws Exception {
    List<String> hashes = new ArrayList<>();
    for (int block = 0; block < 2; block++) {
      for (int i = 0; i < 3; i++) {
        hashes.add(send(hashes.size(), CONTRACT, "00".repeat(31) + "0" + i, 100_000));
      }
      mine();
    }
    List<JsonNode> atCommit = new ArrayList<>();
    for (String hash : hashes) {
      atCommit.add(result("eth_getTransactionReceipt", hash));
    }
    chain.close();
    open();
    for (int k = 0; k < 3; k++) { // block 1's receipt, block 2's, block 1's next ...
      for (int block = 0; block < 2; block++) {
        int i = block * 3 + k;
        assertEquals(atCommit.get(i), result("eth_getTransactionReceipt", hashes.get(i)));
      }
    }
    assertEquals(atCommit.get(4), result("eth_getBlockReceipts", "0x2").get(1));
  }

  @Test
  void aSentTransactionIsPendingThenMinedWithItsReceiptAndLog() throws Exception {
    String word = "00".repeat(31) + "2a";
    String hash = send(0, CONTRACT, word, 100_000);
    assertTrue(result("eth_getTransactionByHash", hash).get("blockHash").isNull());
    assertEquals("0x1", result("eth_getTransactionCount", SENDER.toString(), "pending").asText());
    assertEquals("0x0", result("eth_getTransactionCount", SENDER.toString(), "latest").asText());
    mine();
    JsonNode receipt = result("eth_getTransactionReceipt", hash);
    assertEquals("0x1", receipt.get("status").asText());
    assertEquals(SENDER.toString(), receipt.get("from").asText());
    assertEquals("0x" + word, receipt.get("logs").get(0).get("topics").get(0).asText());
    assertEquals("0x0", receipt.get("logs").get(0).get("logIndex").asText());
    JsonNode block = result("eth_getBlockByNumber", "latest", false);
    assertEquals("0x1", block.get("number").asText());
    assertEquals(hash, block.get("transactions").get(0).asText());
    assertEquals(block, result("eth_getBlockByHash", block.get("hash").asText(), false));
    assertEquals("0x" + word, result("eth_getStorageAt", CONTRACT.toString(), "0x0",
        "latest").asText());
    assertEquals("0x" + "00".repeat(32), result("eth_getStorageAt", CONTRACT.toString(), "0x0",
        "0x0").asText(), "block 0 predates the write");
    assertEquals(receipt, result("eth_getBlockReceipts", "0x1").get(0));
  }

  @Test
  void aRevertedCallCarriesItsReasonAndData() throws Exception {
    JsonNode error = call("eth_call", Map.of("to", CONTRACT.toString()), "latest").get("error");
    assertEquals(3, error.get("code").asInt());
    assertEquals("execution reverted: nope", error.get("message").asText());
    assertTrue(error.get("data").asText().startsWith("0x08c379a0"));
    String word = "0x" + "00".repeat(31) + "07";
    assertEquals(word, result("eth_call", Map.of("to", CONTRACT.toString(), "data", word))
        .asText());
  }

  @Test
  void estimateGasIsEnoughWhenARefundLowersWhatTheRunUsed() throws Exception {
    send(0, CONTRACT, "00".repeat(31) + "2a", 100_000);
    mine();
    // Clearing the slot refunds part of the run's gas: the run needs more than it used.
    String zero = "0x" + "00".repeat(32);
    long estimate = Long.decode(result("eth_estimateGas", Map.of("from", SENDER.toString(),
        "to", CONTRACT.toString(), "data", zero)).asText());
    String hash = send(1, CONTRACT, zero.substring(2), estimate);
    mine();
    JsonNode receipt = result("eth_getTransactionReceipt", hash);
    assertEquals("0x1", receipt.get("status").asText());
    assertTrue(Long.decode(receipt.get("gasUsed").asText()) < estimate,
        "the refund makes the run use less than it needs: " + receipt);
  }

  @Test
  void estimateGasFindsTheLeastThatSucceeds() throws Exception {
    String word = "0x" + "00".repeat(31) + "2a";
    long estimate = Long.decode(result("eth_estimateGas", Map.of("from", SENDER.toString(),
        "to", CONTRACT.toString(), "data", word)).asText());
    assertTrue(estimate > 21_000 + 20_000, "a fresh SSTORE costs over 20,000: " + estimate);
    String hash = send(0, CONTRACT, word.substring(2), estimate);
    mine();
    assertEquals("0x1", result("eth_getTransactionReceipt", hash).get("status").asText());
    // One gas less runs out: the estimate is the least.
    Map<String, String> tight = Map.of("from", SENDER.toString(), "to", CONTRACT.toString(),
        "data", word, "gas", "0x" + Long.toHexString(estimate - 1));
    assertTrue(call("eth_call", tight, "0x0").has("error"));
  }

  @Test
  void stateOverridesApplyToOneCallOnly() throws Exception {
    String other = "0x" + "dd".repeat(20);
    Map<String, Object> override = Map.of(other, Map.of("code", "0x" + CODE));
    String word = "0x" + "00".repeat(31) + "09";
    assertEquals(word, result("eth_call", Map.of("to", other, "data", word), "latest",
        override).asText());
    assertEquals("0x", result("eth_getCode", other, "latest").asText());
  }

  @Test
  void badInputGetsAnErrorThatSaysWhatToFix() throws Exception {
    JsonNode error = call("eth_sendRawTransaction", "0x1234").get("error");
    assertEquals(JsonRpc.INVALID_PARAMS, error.get("code").asInt());
    error = call("eth_getBalance", "0x1234", "latest").get("error");
    assertTrue(error.get("message").asText().contains("20-byte address"), error.toString());
    error = call("eth_getBalance", SENDER.toString(), "0x99").get("error");
    assertEquals(EthApi.SERVER_ERROR, error.get("code").asInt());
    assertTrue(error.get("message").asText().contains("header not found"));
    send(0, CONTRACT, "", 100_000);
    error = call("eth_sendRawTransaction", resend(0)).get("error");
    assertTrue(error.get("message").asText().contains("already known"), error.toString());
    mine();
    error = call("eth_sendRawTransaction", resend(0)).get("error");
    assertEquals("NONCE_TOO_LOW", error.get("data").get("reason").asText());
  }

  private String resend(long nonce) {
    return Hex.encode0x(TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
        nonce, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 100_000,
        CONTRACT.toArray(), BigInteger.ZERO, new byte[0], List.of(), BigInteger.ZERO,
        List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]), KEYS, SUITE)
        .encoded());
  }

  @Test
  void proofsVerifyAgainstTheBlockStateRoot() throws Exception {
    send(0, CONTRACT, "00".repeat(31) + "2a", 100_000);
    mine();
    JsonNode proof = result("eth_getProof", CONTRACT.toString(), List.of("0x0"), "latest");
    JsonNode block = result("eth_getBlockByNumber", "latest", false);
    byte[] stateRoot = Hex.decode(block.get("stateRoot").asText());
    assertTrue(SecureTrie.verifyProof(SUITE.hashFunction(), stateRoot, CONTRACT.toArray(),
        hexList(proof.get("accountProof"))).isPresent());
    byte[] slotKey = new byte[32];
    assertTrue(SecureTrie.verifyProof(SUITE.hashFunction(),
        Hex.decode(proof.get("storageHash").asText()), slotKey,
        hexList(proof.get("storageProof").get(0).get("proof"))).isPresent());
    assertEquals("0x2a", proof.get("storageProof").get(0).get("value").asText());
  }

  private static List<byte[]> hexList(JsonNode list) {
    java.util.ArrayList<byte[]> out = new java.util.ArrayList<>();
    list.forEach(n -> out.add(Hex.decode(n.asText())));
    return out;
  }

  @Test
  void feeHistoryReportsBaseFeesAndTips() throws Exception {
    send(0, CONTRACT, "00".repeat(31) + "2a", 100_000);
    mine();
    JsonNode history = result("eth_feeHistory", "0x2", "latest", List.of(50));
    assertEquals("0x0", history.get("oldestBlock").asText());
    assertEquals(3, history.get("baseFeePerGas").size());
    assertEquals("0x1", history.get("reward").get(1).get(0).asText(), "the 1-wei tip paid");
  }

  @Test
  void aMinedTransactionTracesWithBothTracers() throws Exception {
    send(0, CONTRACT, "", 100_000); // reverts with "nope"
    String hash = send(1, CONTRACT, "00".repeat(31) + "2a", 100_000);
    mine();
    JsonNode receipt = result("eth_getTransactionReceipt", hash);
    JsonNode calls = result("debug_traceTransaction", hash, Map.of("tracer", "callTracer"));
    assertEquals("CALL", calls.get("type").asText());
    assertEquals(CONTRACT.toString(), calls.get("to").asText());
    assertEquals(receipt.get("gasUsed").asText(), calls.get("gasUsed").asText());
    JsonNode steps = result("debug_traceTransaction", hash);
    assertEquals(Long.decode(receipt.get("gasUsed").asText()), steps.get("gas").asLong());
    JsonNode structLogs = steps.get("structLogs");
    assertEquals("CALLDATASIZE", structLogs.get(0).get("op").asText());
    assertEquals("RETURN", structLogs.get(structLogs.size() - 1).get("op").asText());
    JsonNode error = call("debug_traceTransaction", hash, Map.of("tracer", "prestateTracer"))
        .get("error");
    assertTrue(error.get("message").asText().contains("not supported"), error.toString());
  }

  @Test
  void revertReasonsDecode() {
    assertEquals("arithmetic underflow or overflow", RevertReason.decode(Hex.decode("4e487b71"
        + "00".repeat(31) + "11")));
    assertEquals(null, RevertReason.decode(Hex.decode("deadbeef")));
  }
}
