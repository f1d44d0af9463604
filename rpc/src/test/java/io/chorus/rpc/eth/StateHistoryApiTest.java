package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.EthApiTest.CHAIN_ID;
import static io.chorus.rpc.eth.EthApiTest.CODE;
import static io.chorus.rpc.eth.EthApiTest.CONTRACT;
import static io.chorus.rpc.eth.EthApiTest.KEYS;
import static io.chorus.rpc.eth.EthApiTest.SENDER;
import static io.chorus.rpc.eth.EthApiTest.SUITE;
import static io.chorus.rpc.eth.EthApiTest.VALIDATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.ledger.Block;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.JsonRpc;
import io.chorus.storage.ChainStore;
import io.chorus.storage.PendingNodes;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chorus_getStorageHistory and chorus_getAccountStateHistory on a chain in RocksDB where a
 * contract's slot 0 is set in some blocks, set and set back within one, and left alone in the
 * others. The changes the methods list are checked against eth_getStorageAt and eth_getBalance
 * read at every block (a change is a block whose value differs from its parent's), then paged,
 * bounded, read again after a restart, and on a store made before the index existed.
 */
class StateHistoryApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Address RECIPIENT = Address.parse("0x" + "bb".repeat(20));
  static final String SLOT = "0x0";

  @TempDir Path dir;
  Genesis genesis = new Genesis(CHAIN_ID, "ethereum", Genesis.FeeMode.ETHEREUM_1559,
      30_000_000, 1000, 0, new byte[0], List.of(new byte[64]), Map.of(
          SENDER, Genesis.Allocation.funded(BigInteger.TEN.pow(24)),
          CONTRACT, new Genesis.Allocation(BigInteger.ZERO, 1, Hex.decode(CODE), Map.of())));
  Blockchain chain;
  JsonRpc rpc;
  long nonce;

  void open() {
    chain = Blockchain.open(dir, genesis, TxPool.Limits.defaults());
    Map<String, JsonRpc.Method> methods = new HashMap<>(new EthApi(chain, "test").methods());
    methods.putAll(new StateHistoryApi(chain).methods());
    rpc = new JsonRpc(methods);
  }

  @AfterEach
  void close() {
    chain.close();
  }

  /**
   * Block 1 sets slot 0 to 42, 2 only transfers, 3 sets 5 then 42 again (written twice, not
   * changed), 4 sets 7, 5 is empty, 6 to 8 set 1, 2 and 3: slot 0 changes in blocks 1, 4, 6, 7
   * and 8.
   */
  void makeChain() throws Exception {
    store(42);
    mine();
    send(RECIPIENT, 1_000, "");
    mine();
    store(5);
    store(42);
    mine();
    store(7);
    mine();
    mine();
    for (int value = 1; value <= 3; value++) {
      store(value);
      mine();
    }
  }

  void store(int value) throws Exception {
    send(CONTRACT, 0, "%064x".formatted(value));
  }

  void send(Address to, long value, String data) throws Exception {
    Transaction tx = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
        nonce++, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 100_000, to.toArray(),
        BigInteger.valueOf(value), Hex.decode(data), List.of(), BigInteger.ZERO, List.of(), 0,
        BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]), KEYS, SUITE);
    result("eth_sendRawTransaction", Hex.encode0x(tx.encoded()));
  }

  void mine() {
    chain.commit(chain.buildNext(VALIDATOR, 1_700_000_000L, new byte[0]));
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

  /** The blocks from 0 to the head whose value (read with {@code getter}) differs from the
   * block before's; block 0 when its value is not the empty account's. */
  List<String> changesByReadingEveryBlock(String getter, Object... params) throws Exception {
    List<String> out = new ArrayList<>();
    String before = null;
    for (long n = 0; n <= chain.head().number(); n++) {
      Object[] withBlock = java.util.Arrays.copyOf(params, params.length + 1);
      withBlock[params.length] = "0x" + Long.toHexString(n);
      String value = result(getter, withBlock).asText();
      if (before == null ? !new BigInteger(value.substring(2), 16).equals(BigInteger.ZERO)
          : !value.equals(before)) {
        out.add("0x" + Long.toHexString(n));
      }
      before = value;
    }
    return out;
  }

  static List<String> blocks(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("changes").forEach(c -> out.add(c.get("blockNumber").asText()));
    return out;
  }

  @Test
  void listsTheBlocksWhereASlotChangedWithItsValues() throws Exception {
    open();
    makeChain();
    JsonNode page = result("chorus_getStorageHistory", CONTRACT.toString(), SLOT, "earliest",
        "latest");
    assertEquals(List.of("0x1", "0x4", "0x6", "0x7", "0x8"), blocks(page));
    assertEquals(changesByReadingEveryBlock("eth_getStorageAt", CONTRACT.toString(), SLOT),
        blocks(page));
    List<Integer> values = new ArrayList<>();
    page.get("changes").forEach(c -> values.add(
        new BigInteger(c.get("value").asText().substring(2), 16).intValueExact()));
    assertEquals(List.of(42, 7, 1, 2, 3), values);
    assertEquals("0x0", page.get("indexedFrom").asText());
    assertEquals("0x8", page.get("toBlock").asText());
    assertTrue(page.get("nextFromBlock").isNull());

    // The sender's balance changes with each transaction it pays for, from genesis on.
    JsonNode sender = result("chorus_getAccountStateHistory", SENDER.toString(), "0x0", "latest");
    assertEquals(changesByReadingEveryBlock("eth_getBalance", SENDER.toString()),
        blocks(sender));
    assertEquals(List.of("0x0", "0x1", "0x2", "0x3", "0x4", "0x6", "0x7", "0x8"),
        blocks(sender));
    JsonNode last = sender.get("changes").get(7);
    assertEquals(result("eth_getBalance", SENDER.toString(), "0x8").asText(),
        last.get("balance").asText());
    assertEquals("0x8", last.get("nonce").asText(), "eight transactions sent");
    // Storage writes leave the contract's account as genesis made it.
    JsonNode contract = result("chorus_getAccountStateHistory", CONTRACT.toString(), 0, "latest");
    assertEquals(List.of("0x0"), blocks(contract));
    assertEquals(Hex.encode0x(SUITE.hash(Hex.decode(CODE))),
        contract.get("changes").get(0).get("codeHash").asText());
    JsonNode recipient = result("chorus_getAccountStateHistory", RECIPIENT.toString(), 0, "latest");
    assertEquals(List.of("0x2"), blocks(recipient));
    assertEquals("0x3e8", recipient.get("changes").get(0).get("balance").asText());
  }

  @Test
  void pagesAndBounds() throws Exception {
    open();
    makeChain();
    String contract = CONTRACT.toString();
    JsonNode first = result("chorus_getStorageHistory", contract, SLOT, "0x2", "0x8", "0x2");
    assertEquals(List.of("0x4", "0x6"), blocks(first));
    assertEquals("0x7", first.get("nextFromBlock").asText());
    JsonNode second = result("chorus_getStorageHistory", contract, SLOT,
        first.get("nextFromBlock").asText(), "0x8", 2);
    assertEquals(List.of("0x7", "0x8"), blocks(second));
    assertTrue(second.get("nextFromBlock").isNull());
    JsonNode narrow = result("chorus_getStorageHistory", contract, SLOT, "0x2", "0x5", 1);
    assertEquals(List.of("0x4"), blocks(narrow));
    assertTrue(narrow.get("nextFromBlock").isNull(), "block 6 is past toBlock");
    assertEquals("0x8", result("chorus_getStorageHistory", contract, SLOT, 0, "0x1000")
        .get("toBlock").asText(), "a toBlock past the head counts as the head");

    assertInvalid("limit must be 1 to 1000", "chorus_getStorageHistory", contract, SLOT, 0, 8,
        1001);
    assertInvalid("limit must be 1 to 1000", "chorus_getAccountStateHistory", contract, 0, 8,
        0);
    assertInvalid("fromBlock 5 is above toBlock 4", "chorus_getAccountStateHistory", contract,
        5, 4);
    assertInvalid("fromBlock 9 is beyond the head 8", "chorus_getStorageHistory", contract,
        SLOT, 9, "latest");
    assertInvalid("at most 256 bits", "chorus_getStorageHistory", contract,
        "0x1" + "00".repeat(32), 0, 8);
    assertInvalid("20-byte address", "chorus_getAccountStateHistory", "0x12", 0, 8);
    assertInvalid("takes 3 to 4 params", "chorus_getAccountStateHistory", contract);
  }

  @Test
  void theIndexSurvivesARestart() throws Exception {
    open();
    makeChain();
    JsonNode before = result("chorus_getStorageHistory", CONTRACT.toString(), SLOT, 0, 8);
    chain.close();
    open();
    assertEquals(before, result("chorus_getStorageHistory", CONTRACT.toString(), SLOT, 0, 8));
  }

  @Test
  void aStoreMadeBeforeTheIndexHasHistoryFromTheFirstBlockIndexed() throws Exception {
    // Genesis committed as a store without the index did: no state changes given.
    try (ChainStore old = new ChainStore(dir, SUITE.hashFunction())) {
      PendingNodes nodes = old.pendingNodes();
      old.commit(new Block(genesis.build(nodes), List.of()), List.of(), List.of(), List.of(),
          nodes);
    }
    open();
    assertTrue(result("chorus_getAccountStateHistory", SENDER.toString(), 0, "latest")
        .get("indexedFrom").isNull(), "nothing indexed yet");
    makeChain();
    JsonNode sender = result("chorus_getAccountStateHistory", SENDER.toString(), 0, "latest");
    assertEquals("0x1", sender.get("indexedFrom").asText());
    assertEquals(List.of("0x1", "0x2", "0x3", "0x4", "0x6", "0x7", "0x8"), blocks(sender),
        "the genesis allocation, from before the index, is not listed");
  }

  void assertInvalid(String expected, String method, Object... params) throws Exception {
    JsonNode error = call(method, params).get("error");
    assertEquals(JsonRpc.INVALID_PARAMS, error.get("code").asInt(), error.toString());
    assertTrue(error.get("message").asText().contains(expected), error.toString());
  }
}
