package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.EthApiTest.CHAIN_ID;
import static io.chorus.rpc.eth.EthApiTest.CODE;
import static io.chorus.rpc.eth.EthApiTest.CONTRACT;
import static io.chorus.rpc.eth.EthApiTest.KEYS;
import static io.chorus.rpc.eth.EthApiTest.SENDER;
import static io.chorus.rpc.eth.EthApiTest.SUITE;
import static io.chorus.rpc.eth.EthApiTest.VALIDATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Otterscan namespace and trace_replayTransaction through the JSON-RPC dispatcher, on one
 * known chain in RocksDB: a factory deployed by a transaction (block 1); called with 5 wei, it
 * creates a child with 2 and sends 1 to a fresh account (block 2); the child self-destructs to
 * its caller (block 3); a reverted call with a reason and a storage write (block 4). Every
 * method's result is checked field by field against what that chain must give.
 */
class OtterscanApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Pays the caller its balance and self-destructs: CALLER SELFDESTRUCT. */
  static final String CHILD_CODE = "33ff";
  /** Returns CHILD_CODE: PUSH2 it, MSTORE at 0, RETURN its 2 bytes at 30. */
  static final String CHILD_INIT = "61" + CHILD_CODE + "6000526002601ef3";
  static final Address RECIPIENT = Address.parse("0x" + "bb".repeat(20));
  /**
   * CREATE(2 wei, CHILD_INIT) and store the child's address in slot 0, then CALL RECIPIENT
   * with 1 wei.
   */
  static final String FACTORY_CODE = "6a" + CHILD_INIT + "600052" + "600b60156002f0" + "600055"
      + "60006000600060006001" + "73" + RECIPIENT.toString().substring(2) + "5af1" + "5000";
  /** Copies the factory's code from behind itself and returns it. */
  static final String FACTORY_INIT = "60" + hexByte(FACTORY_CODE.length() / 2)
      + "80600b6000396000f3" + FACTORY_CODE;
  /** An ERC-1167 minimal proxy to CONTRACT. */
  static final Address PROXY = Address.parse("0x" + "e1".repeat(20));
  /** supportsInterface: true for ERC-165's and ERC-721's ids, false for any other. */
  static final Address NFT = Address.parse("0x" + "e7".repeat(20));
  static final String NFT_CODE = "60043560e01c806301ffc9a714906380ac58cd141760005260206000f3";
  /** Pushes ERC-20's six selectors and stops: what the heuristic looks for. */
  static final Address TOKEN = Address.parse("0x" + "e2".repeat(20));
  static final String TOKEN_CODE = "6318160ddd6370a0823163a9059cbb6323b872dd63095ea7b363dd62ed3e00";
  static final String NOPE = "0x08c379a0" + "00".repeat(31) + "20" + "00".repeat(31) + "04"
      + "6e6f7065" + "00".repeat(28);
  static final String WORD = "00".repeat(31) + "2a";

  @TempDir static Path dir;
  static Blockchain chain;
  static JsonRpc rpc;
  static Address factory;
  static Address child;
  static String deploy;
  static String create;
  static String destruct;
  static String revert;
  static String store;

  @BeforeAll
  static void buildTheChain() throws Exception {
    Map<Address, Genesis.Allocation> alloc = new HashMap<>();
    alloc.put(SENDER, Genesis.Allocation.funded(BigInteger.TEN.pow(24)));
    alloc.put(CONTRACT, code(CODE));
    alloc.put(PROXY, code("363d3d373d3d3d363d73" + CONTRACT.toString().substring(2)
        + "5af43d82803e903d91602b57fd5bf3"));
    alloc.put(NFT, code(NFT_CODE));
    alloc.put(TOKEN, code(TOKEN_CODE));
    chain = Blockchain.open(dir, new Genesis(CHAIN_ID, "ethereum", Genesis.FeeMode.ETHEREUM_1559,
        30_000_000, 1000, 0, new byte[0], List.of(new byte[64]), alloc),
        TxPool.Limits.defaults());
    EthApi eth = new EthApi(chain, "test");
    Map<String, JsonRpc.Method> methods = new HashMap<>(eth.methods());
    methods.putAll(new OtterscanApi(chain, eth).methods());
    methods.putAll(new TraceApi(chain, eth).methods());
    rpc = new JsonRpc(methods);
    factory = Evm.createAddress(SUITE.hashFunction(), SENDER, 0);
    child = Evm.createAddress(SUITE.hashFunction(), factory, 1);
    deploy = send(0, null, 0, FACTORY_INIT);
    mine();
    create = send(1, factory, 5, "");
    mine();
    destruct = send(2, child, 0, "");
    mine();
    revert = send(3, CONTRACT, 0, "");
    store = send(4, CONTRACT, 0, WORD);
    mine();
  }

  @AfterAll
  static void close() {
    chain.close();
  }

  private static Genesis.Allocation code(String hex) {
    return new Genesis.Allocation(BigInteger.ZERO, 1, Hex.decode(hex), Map.of());
  }

  private static String hexByte(int value) {
    return String.format("%02x", value);
  }

  static String send(long nonce, Address to, long value, String data) throws Exception {
    Transaction tx = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID,
        nonce, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 300_000,
        to == null ? null : to.toArray(), BigInteger.valueOf(value), Hex.decode(data),
        List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO,
        new byte[0], new byte[0]), KEYS, SUITE);
    return result("eth_sendRawTransaction", Hex.encode0x(tx.encoded())).asText();
  }

  static void mine() {
    chain.commit(chain.buildNext(VALIDATOR, 1_700_000_000L, new byte[0]));
  }

  static JsonNode call(String method, Object... params) throws Exception {
    String request = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method,
        "params", params));
    return JSON.readTree(rpc.handle(request.getBytes(StandardCharsets.UTF_8)));
  }

  static JsonNode result(String method, Object... params) throws Exception {
    JsonNode response = call(method, params);
    assertTrue(response.has("result"), method + " failed: " + response);
    return response.get("result");
  }

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  private static String balance(Address address, int block) throws Exception {
    return result("eth_getBalance", address.toString(), "0x" + block).asText();
  }

  @Test
  void theChainIsAsDescribed() throws Exception {
    for (String tx : List.of(deploy, create, destruct, store)) {
      assertEquals("0x1", result("eth_getTransactionReceipt", tx).get("status").asText(), tx);
    }
    assertEquals("0x0", result("eth_getTransactionReceipt", revert).get("status").asText());
    assertEquals("0x" + CHILD_CODE, result("eth_getCode", child.toString()).asText());
    assertEquals("0x1", balance(RECIPIENT, 4));
    assertEquals("0x0", balance(child, 4), "paid out to its caller");
  }

  @Test
  void apiLevelCodeAndHeaders() throws Exception {
    assertEquals(8, result("ots_getApiLevel").asInt());
    assertTrue(result("ots_hasCode", factory.toString(), "latest").asBoolean());
    assertTrue(result("ots_hasCode", factory.toString(), 1).asBoolean(), "a JSON number");
    assertFalse(result("ots_hasCode", factory.toString(), "0x0").asBoolean(), "before block 1");
    assertFalse(result("ots_hasCode", SENDER.toString(), "latest").asBoolean());
    JsonNode header = result("erigon_getHeaderByNumber", 2);
    JsonNode block = result("eth_getBlockByNumber", "0x2", false);
    assertEquals(block.get("hash"), header.get("hash"));
    assertEquals("0x2", header.get("number").asText());
    assertFalse(header.has("transactions"));
    assertTrue(result("erigon_getHeaderByNumber", 99).isNull());
  }

  @Test
  void contractCreatorsTopLevelAndInternal() throws Exception {
    assertEquals(json("{'hash':'" + deploy + "','creator':'" + SENDER + "'}"),
        result("ots_getContractCreator", factory.toString()));
    assertEquals(json("{'hash':'" + create + "','creator':'" + factory + "'}"),
        result("ots_getContractCreator", child.toString()));
    assertTrue(result("ots_getContractCreator", CONTRACT.toString()).isNull(), "genesis code");
    assertTrue(result("ots_getContractCreator", SENDER.toString()).isNull(), "no code");
  }

  @Test
  void internalOperationsAndTraces() throws Exception {
    assertEquals(json("[{'type':2,'from':'" + factory + "','to':'" + child + "','value':'0x2'},"
        + "{'type':0,'from':'" + factory + "','to':'" + RECIPIENT + "','value':'0x1'}]"),
        result("ots_getInternalOperations", create));
    assertEquals(json("[{'type':1,'from':'" + child + "','to':'" + SENDER + "','value':'0x2'}]"),
        result("ots_getInternalOperations", destruct));
    assertEquals(json("[]"), result("ots_getInternalOperations", deploy));

    assertEquals(json("[{'type':'CALL','depth':0,'from':'" + SENDER + "','to':'" + factory
        + "','value':'0x5','input':'0x','output':'0x'},"
        + "{'type':'CREATE','depth':1,'from':'" + factory + "','to':'" + child
        + "','value':'0x2','input':'0x" + CHILD_INIT + "','output':'0x" + CHILD_CODE + "'},"
        + "{'type':'CALL','depth':1,'from':'" + factory + "','to':'" + RECIPIENT
        + "','value':'0x1','input':'0x','output':'0x'}]"),
        result("ots_traceTransaction", create));
    JsonNode deployTrace = result("ots_traceTransaction", deploy);
    assertEquals(1, deployTrace.size());
    assertEquals("CREATE", deployTrace.get(0).get("type").asText());
    assertEquals("0x" + FACTORY_CODE, deployTrace.get(0).get("output").asText());
    JsonNode selfDestruct = result("ots_traceTransaction", destruct).get(1);
    assertEquals(json("{'type':'SELFDESTRUCT','depth':1,'from':'" + child + "','to':'" + SENDER
        + "','value':'0x2','input':'0x','output':'0x'}"), selfDestruct);
  }

  @Test
  void transactionErrorsAreRevertData() throws Exception {
    assertEquals(NOPE, result("ots_getTransactionError", revert).asText());
    assertEquals("0x", result("ots_getTransactionError", store).asText());
    JsonNode error = call("ots_getTransactionError", "0x" + "ab".repeat(32)).get("error");
    assertEquals(EthApi.SERVER_ERROR, error.get("code").asInt());
    assertTrue(error.get("message").asText().contains("not found"), error.toString());
  }

  @Test
  void blockDetailsAndPagedTransactions() throws Exception {
    JsonNode details = result("ots_getBlockDetails", 4);
    JsonNode block = result("eth_getBlockByNumber", "0x4", false);
    assertEquals(block.get("hash"), details.get("block").get("hash"));
    assertEquals(2, details.get("block").get("transactionCount").asInt());
    assertTrue(details.get("block").get("logsBloom").isNull());
    assertFalse(details.get("block").has("transactions"));
    assertEquals(json("{'blockReward':'0x0','uncleReward':'0x0','issuance':'0x0'}"),
        details.get("issuance"));
    BigInteger fees = BigInteger.ZERO;
    for (JsonNode receipt : result("eth_getBlockReceipts", "0x4")) {
      fees = fees.add(new BigInteger(receipt.get("gasUsed").asText().substring(2), 16)
          .multiply(new BigInteger(receipt.get("effectiveGasPrice").asText().substring(2), 16)));
    }
    assertEquals("0x" + fees.toString(16), details.get("totalFees").asText());
    assertEquals(details, result("ots_getBlockDetailsByHash", block.get("hash").asText()));
    assertTrue(result("ots_getBlockDetails", 99).isNull());

    JsonNode page0 = result("ots_getBlockTransactions", 4, 0, 1);
    assertEquals(store, page0.get("fullblock").get("transactions").get(0).get("hash").asText(),
        "page 0 is the block's end");
    assertEquals("0x00000000", page0.get("fullblock").get("transactions").get(0).get("input")
        .asText(), "input cut to its selector");
    assertEquals(2, page0.get("fullblock").get("transactionCount").asInt());
    JsonNode receipt = page0.get("receipts").get(0);
    assertEquals(store, receipt.get("transactionHash").asText());
    assertTrue(receipt.get("logs").isNull());
    assertTrue(receipt.get("logsBloom").isNull());
    JsonNode page1 = result("ots_getBlockTransactions", "0x4", 1, 1);
    assertEquals(revert, page1.get("fullblock").get("transactions").get(0).get("hash").asText());
    assertEquals("0x0", page1.get("receipts").get(0).get("status").asText());
    assertEquals(0, result("ots_getBlockTransactions", 4, 2, 1).get("receipts").size());
  }

  private static List<String> hashes(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("txs").forEach(tx -> out.add(tx.get("hash").asText()));
    return out;
  }

  @Test
  void addressSearchPagesBothWays() throws Exception {
    String sender = SENDER.toString();
    JsonNode newest = result("ots_searchTransactionsBefore", sender, 0, 2);
    assertEquals(List.of(store, revert), hashes(newest), "block 4 whole");
    assertTrue(newest.get("firstPage").asBoolean());
    assertFalse(newest.get("lastPage").asBoolean());
    assertEquals(1_700_000_003L, newest.get("receipts").get(0).get("timestamp").asLong(),
        "block 4's timestamp (one second after each parent)");
    assertEquals(store, newest.get("receipts").get(0).get("transactionHash").asText());
    JsonNode middle = result("ots_searchTransactionsBefore", sender, 4, 2);
    assertEquals(List.of(destruct, create), hashes(middle));
    assertFalse(middle.get("firstPage").asBoolean());
    assertFalse(middle.get("lastPage").asBoolean());
    JsonNode last = result("ots_searchTransactionsBefore", sender, 2, 2);
    assertEquals(List.of(deploy), hashes(last));
    assertTrue(last.get("lastPage").asBoolean());

    JsonNode oldest = result("ots_searchTransactionsAfter", sender, 0, 2);
    assertEquals(List.of(create, deploy), hashes(oldest), "newest first, as Erigon returns");
    assertTrue(oldest.get("lastPage").asBoolean());
    assertFalse(oldest.get("firstPage").asBoolean());
    JsonNode after3 = result("ots_searchTransactionsAfter", sender, 3, 5);
    assertEquals(List.of(store, revert), hashes(after3));
    assertTrue(after3.get("firstPage").asBoolean());
    assertEquals(List.of(store, revert),
        hashes(result("ots_searchTransactionsBefore", CONTRACT.toString(), 0, 25)));
    assertEquals(List.of(), hashes(result("ots_searchTransactionsBefore",
        RECIPIENT.toString(), 0, 25)), "internal touches are not indexed");
  }

  @Test
  void transactionsBySenderAndNonce() throws Exception {
    String sender = SENDER.toString();
    assertEquals(deploy, result("ots_getTransactionBySenderAndNonce", sender, 0).asText());
    assertEquals(destruct, result("ots_getTransactionBySenderAndNonce", sender, 2).asText());
    assertEquals(revert, result("ots_getTransactionBySenderAndNonce", sender, "0x3").asText());
    assertEquals(store, result("ots_getTransactionBySenderAndNonce", sender, 4).asText());
    assertTrue(result("ots_getTransactionBySenderAndNonce", sender, 5).isNull(), "not sent");
    assertTrue(result("ots_getTransactionBySenderAndNonce", factory.toString(), 1).isNull(),
        "a contract's CREATE moved its nonce: no transaction");
  }

  @Test
  void stateDiffOfACreationAndTransfer() throws Exception {
    JsonNode replay = result("trace_replayTransaction", create, List.of("stateDiff"));
    JsonNode diff = replay.get("stateDiff");
    Set<String> accounts = new java.util.HashSet<>();
    diff.fieldNames().forEachRemaining(accounts::add);
    assertEquals(Set.of(SENDER.toString(), factory.toString(), child.toString(),
        RECIPIENT.toString(), VALIDATOR.toString()), accounts);
    String slot0 = "0x" + "00".repeat(32);
    assertEquals(json("{'balance':{'*':{'from':'0x0','to':'0x2'}},'code':'=',"
        + "'nonce':{'*':{'from':'0x1','to':'0x2'}},'storage':{'" + slot0 + "':{'*':{"
        + "'from':'" + slot0 + "','to':'0x" + "00".repeat(12) + child.toString().substring(2)
        + "'}}}}"), diff.get(factory.toString()));
    assertEquals(json("{'balance':{'+':'0x2'},'code':{'+':'0x" + CHILD_CODE + "'},"
        + "'nonce':{'+':'0x1'},'storage':{}}"), diff.get(child.toString()));
    assertEquals(json("{'balance':{'+':'0x1'},'code':{'+':'0x'},'nonce':{'+':'0x0'},"
        + "'storage':{}}"), diff.get(RECIPIENT.toString()));
    assertEquals(json("{'balance':{'*':{'from':'" + balance(SENDER, 1) + "','to':'"
        + balance(SENDER, 2) + "'}},'code':'=','nonce':{'*':{'from':'0x1','to':'0x2'}},"
        + "'storage':{}}"), diff.get(SENDER.toString()));
    assertEquals(json("{'*':{'from':'" + balance(VALIDATOR, 1) + "','to':'"
        + balance(VALIDATOR, 2) + "'}}"), diff.get(VALIDATOR.toString()).get("balance"));
    assertEquals(json("[]"), replay.get("trace"), "not asked for");
    assertTrue(replay.get("vmTrace").isNull());
  }

  @Test
  void stateDiffOfASelfDestructAndAStorageWrite() throws Exception {
    JsonNode destructed = result("trace_replayTransaction", destruct, List.of("stateDiff"))
        .get("stateDiff").get(child.toString());
    assertEquals(json("{'balance':{'*':{'from':'0x2','to':'0x0'}},'code':'=','nonce':'=',"
        + "'storage':{}}"), destructed, "Cancun: an older contract is not deleted");
    JsonNode stored = result("trace_replayTransaction", store, List.of("stateDiff", "trace"));
    assertEquals(json("{'" + "0x" + "00".repeat(32) + "':{'*':{'from':'0x" + "00".repeat(32)
        + "','to':'0x" + WORD + "'}}}"), stored.get("stateDiff").get(CONTRACT.toString())
        .get("storage"));
    assertEquals("0x" + WORD, stored.get("output").asText());
    assertEquals(1, stored.get("trace").size());
  }

  @Test
  void parityTraceOfTheFactoryCall() throws Exception {
    JsonNode trace = result("trace_replayTransaction", create, List.of("trace")).get("trace");
    assertEquals(3, trace.size());
    JsonNode top = trace.get(0);
    assertEquals(json("{'from':'" + SENDER + "','callType':'call','gas':'"
        + top.get("action").get("gas").asText() + "','input':'0x','to':'" + factory
        + "','value':'0x5'}"), top.get("action"));
    assertEquals(2, top.get("subtraces").asInt());
    assertEquals(json("[]"), top.get("traceAddress"));
    JsonNode creation = trace.get(1);
    assertEquals("create", creation.get("type").asText());
    assertEquals(json("[0]"), creation.get("traceAddress"));
    assertEquals(child.toString(), creation.get("result").get("address").asText());
    assertEquals("0x" + CHILD_CODE, creation.get("result").get("code").asText());
    assertEquals("0x" + CHILD_INIT, creation.get("action").get("init").asText());
    JsonNode transfer = trace.get(2);
    assertEquals(json("[1]"), transfer.get("traceAddress"));
    assertEquals(RECIPIENT.toString(), transfer.get("action").get("to").asText());
    assertEquals("0x1", transfer.get("action").get("value").asText());
    JsonNode reverted = result("trace_replayTransaction", revert, List.of("trace"))
        .get("trace").get(0);
    assertEquals("Reverted", reverted.get("error").asText());
    assertTrue(reverted.get("result").isNull());
    JsonNode suicide = result("trace_replayTransaction", destruct, List.of("trace"))
        .get("trace").get(1);
    assertEquals(json("{'address':'" + child + "','refundAddress':'" + SENDER
        + "','balance':'0x2'}"), suicide.get("action"));
    assertEquals(json("[0]"), suicide.get("traceAddress"));
  }

  @Test
  void addressAttributes() throws Exception {
    assertEquals(json("{'erc1167':true}"),
        result("ots2_getAddressAttributes", PROXY.toString()));
    assertEquals(CONTRACT.toString(), result("ots2_getERC1167Impl", PROXY.toString()).asText());
    assertTrue(result("ots2_getERC1167Impl", NFT.toString()).isNull());
    assertEquals(json("{'erc165':true,'erc721':true}"),
        result("ots2_getAddressAttributes", NFT.toString()));
    assertEquals(json("{'erc20':true}"), result("ots2_getAddressAttributes", TOKEN.toString()));
    assertEquals(json("{}"), result("ots2_getAddressAttributes", CONTRACT.toString()));
    assertEquals(json("{}"), result("ots2_getAddressAttributes", SENDER.toString()));
  }

  @Test
  void badInputGetsAnErrorThatSaysWhatToFix() throws Exception {
    assertInvalid(call("trace_replayTransaction", create, List.of("vmTrace")), "vmTrace");
    assertInvalid(call("trace_replayTransaction", create, "stateDiff"), "array");
    assertInvalid(call("ots_getBlockTransactions", 4, 0, 0), "page size must be 1 to 255");
    assertInvalid(call("ots_searchTransactionsBefore", SENDER.toString(), 0, 101),
        "page size must be 1 to 100");
    assertInvalid(call("ots_hasCode", "0x12", "latest"), "20-byte address");
    assertInvalid(call("ots_getTransactionBySenderAndNonce", SENDER.toString(), true),
        "nonce must be a whole number");
    assertInvalid(call("ots_getBlockDetails", -1), "block number must be 0 to");
    assertInvalid(call("ots_getApiLevel", 1), "takes 0 params");
    JsonNode error = call("ots_traceTransaction", "0x" + "ab".repeat(32)).get("error");
    assertEquals(EthApi.SERVER_ERROR, error.get("code").asInt());
    assertTrue(error.get("message").asText().contains("not found"), error.toString());
  }

  private static void assertInvalid(JsonNode response, String says) {
    JsonNode error = response.get("error");
    assertEquals(JsonRpc.INVALID_PARAMS, error.get("code").asInt(), response.toString());
    assertTrue(error.get("message").asText().contains(says), error.toString());
  }
}
