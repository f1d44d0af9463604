package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.GenesisFile;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.crypto.ContractUtils;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.protocol.ObjectMapperFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Numeric;

/**
 * A real node on a temporary data directory and a random port, driven over HTTP JSON-RPC by
 * web3j as an application would: EIP-1559 transactions signed by web3j, contracts compiled by
 * solc (see {@code src/test/solidity/compile.sh}) deployed, called and sent to, events and
 * revert data decoded with web3j's ABI codec. Every test uses its own account, so the tests do
 * not depend on their order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class Web3jIntegrationTest {
  static final long CHAIN_ID = 1337;
  static final BigInteger FUNDS = BigInteger.TEN.pow(24);
  static final BigInteger GWEI = BigInteger.TEN.pow(9);
  /** Gets the tips: no funded account, so that senders' balances move by their own costs only. */
  static final byte[] VALIDATOR_KEY = CryptoSuite.ethereum().keyPair(
      HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 19)).publicKey();
  static final String COINBASE =
      Address.of(CryptoSuite.ethereum().address(VALIDATOR_KEY)).toString();
  /** Funded at genesis and never spent from. */
  static final int IDLE = 9;
  static final String ERROR_SELECTOR = "0x08c379a0";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  Node node;
  Web3j web3j;
  PollingTransactionReceiptProcessor receipts;
  final Map<Integer, FastRawTransactionManager> managers = new LinkedHashMap<>();

  // ---- the node and the accounts ----

  static byte[] key(int account) {
    return HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, account);
  }

  static Credentials credentials(int account) {
    return Credentials.create(ECKeyPair.create(key(account)));
  }

  @BeforeAll
  @Timeout(value = 15, unit = TimeUnit.SECONDS)
  void startNode() {
    CryptoSuite suite = CryptoSuite.ethereum();
    Map<Address, Genesis.Allocation> alloc = new LinkedHashMap<>();
    for (int i : new int[] {0, 1, 2, 3, 4, 5, 6, IDLE}) {
      alloc.put(Address.of(suite.address(suite.keyPair(key(i)).publicKey())),
          Genesis.Allocation.funded(FUNDS));
    }
    Genesis genesis = new Genesis(BigInteger.valueOf(CHAIN_ID), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 60_000, 0, new byte[0],
        List.of(VALIDATOR_KEY), alloc);
    GenesisFile.write(genesis, dataDir.resolve(Node.Config.GENESIS_FILE));
    node = Node.start(new Node.Config(dataDir, "127.0.0.1", 0));
    // Raw responses kept, so that a failure can quote what the node said.
    web3j = Web3j.build(new HttpService(node.rpcUrl(), true));
    // At most 10 s for a receipt: the dev producer makes a block as soon as there is work.
    receipts = new PollingTransactionReceiptProcessor(web3j, 50, 200);
  }

  @AfterAll
  void stopNode() {
    if (web3j != null) {
      web3j.shutdown();
    }
    if (node != null) {
      node.close();
    }
  }

  FastRawTransactionManager manager(int account) {
    return managers.computeIfAbsent(account,
        a -> new FastRawTransactionManager(web3j, credentials(a), CHAIN_ID, receipts));
  }

  /** Fails with the JSON-RPC error, if any. */
  static <R extends Response<?>> R ok(R response) {
    assertFalse(response.hasError(), () -> "JSON-RPC error " + response.getError().getCode()
        + ": " + response.getError().getMessage() + " (data " + response.getError().getData()
        + ")\nraw: " + response.getRawResponse());
    return response;
  }

  /** Sends a request and fails with its JSON-RPC error, if any, quoting request and response. */
  static <R extends Response<?>> R send(Request<?, R> request) {
    R response;
    try {
      response = request.send();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertFalse(response.hasError(), () -> "JSON-RPC error " + response.getError().getCode()
        + ": " + response.getError().getMessage() + "\nrequest:  " + json(request)
        + "\nresponse: " + response.getRawResponse());
    return response;
  }

  static String json(Request<?, ?> request) {
    try {
      return ObjectMapperFactory.getObjectMapper().writeValueAsString(request);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  BigInteger baseFee() {
    return Numeric.decodeQuantity(send(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST,
        false)).getBlock().getBaseFeePerGasRaw());
  }

  /** A signed EIP-1559 transaction, sent and mined; the receipt, whatever its status. */
  TransactionReceipt transact(int account, String to, String data, BigInteger value, long gas)
      throws Exception {
    BigInteger suggested = send(web3j.ethMaxPriorityFeePerGas()).getMaxPriorityFeePerGas();
    BigInteger tip = suggested.signum() == 0 ? GWEI : suggested;
    BigInteger maxFee = baseFee().multiply(BigInteger.TWO).add(tip);
    EthSendTransaction sent = manager(account).sendEIP1559Transaction(CHAIN_ID, tip, maxFee,
        BigInteger.valueOf(gas), to, data, value);
    String hash = ok(sent).getTransactionHash();
    assertTrue(hash.matches("0x[0-9a-f]{64}"), hash);
    TransactionReceipt receipt = receipts.waitForTransactionReceipt(hash);
    assertEquals(hash, receipt.getTransactionHash());
    return receipt;
  }

  TransactionReceipt transactOk(int account, String to, String data, BigInteger value, long gas)
      throws Exception {
    TransactionReceipt receipt = transact(account, to, data, value, gas);
    assertEquals("0x1", receipt.getStatus(), () -> "status of " + receipt);
    return receipt;
  }

  BigInteger balance(String address, DefaultBlockParameter block) {
    return send(web3j.ethGetBalance(address, block)).getBalance();
  }

  static DefaultBlockParameter at(BigInteger number) {
    return DefaultBlockParameter.valueOf(number);
  }

  static String resource(String name) {
    try (InputStream in = Web3jIntegrationTest.class.getResourceAsStream("/solidity/" + name)) {
      assertNotNull(in, "test resource solidity/" + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String creationCode(String contract) {
    return "0x" + resource(contract + ".bin");
  }

  static String runtimeCode(String contract) {
    return "0x" + resource(contract + ".bin-runtime");
  }

  TransactionReceipt deploy(int account, String contract, String constructorArgs)
      throws Exception {
    BigInteger nonce = send(web3j.ethGetTransactionCount(credentials(account).getAddress(),
        DefaultBlockParameterName.PENDING)).getTransactionCount();
    TransactionReceipt receipt = transactOk(account, "", creationCode(contract)
        + constructorArgs, BigInteger.ZERO, 3_000_000);
    assertEquals(ContractUtils.generateContractAddress(credentials(account).getAddress(), nonce),
        receipt.getContractAddress(), "the address of a CREATE from the sender and its nonce");
    assertEquals(runtimeCode(contract), send(web3j.ethGetCode(receipt.getContractAddress(),
        DefaultBlockParameterName.LATEST)).getCode(), contract + " code as solc compiled it");
    return receipt;
  }

  EthCall call(String to, Function function, DefaultBlockParameter block) throws IOException {
    return web3j.ethCall(Transaction.createEthCallTransaction(credentials(IDLE).getAddress(), to,
        FunctionEncoder.encode(function)), block).send();
  }

  /** Calls a view and decodes its single output. */
  Object view(String to, Function function, DefaultBlockParameter block) throws IOException {
    String output = ok(call(to, function, block)).getValue();
    var values = FunctionReturnDecoder.decode(output, function.getOutputParameters());
    assertEquals(1, values.size(), () -> function.getName() + " returned " + output);
    return values.get(0).getValue();
  }

  static Function uintView(String name) {
    return new Function(name, List.of(), List.of(new TypeReference<Uint256>() {}));
  }

  static Function addressView(String name) {
    return new Function(name, List.of(),
        List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {}));
  }

  static Function set(long value, String note) {
    return new Function("set", List.of(new Uint256(value), new Utf8String(note)), List.of());
  }

  static final Event VALUE_SET = new Event("ValueSet", List.of(
      new TypeReference<org.web3j.abi.datatypes.Address>(true) {},
      new TypeReference<Uint256>(true) {},
      new TypeReference<Uint256>() {},
      new TypeReference<Utf8String>() {}));
  static final Event DEPOSITED = new Event("Deposited", List.of(
      new TypeReference<org.web3j.abi.datatypes.Address>(true) {},
      new TypeReference<Uint256>() {}));
  static final Event CREATED = new Event("Created", List.of(
      new TypeReference<org.web3j.abi.datatypes.Address>(true) {},
      new TypeReference<Bool>(true) {},
      new TypeReference<Bytes32>() {}));

  static Object indexed(Log log, int topic, Event event) {
    return FunctionReturnDecoder.decodeIndexedValue(log.getTopics().get(topic),
        event.getIndexedParameters().get(topic - 1)).getValue();
  }

  static List<Object> nonIndexed(Log log, Event event) {
    return FunctionReturnDecoder.decode(log.getData(), event.getNonIndexedParameters()).stream()
        .map(t -> t.getValue()).toList();
  }

  /**
   * The error's data as the hex string the node sent. web3j keeps the data as JSON text (it may
   * be an object for other errors), so a string arrives with its quotes.
   */
  static String errorData(Response<?> response) {
    String json = response.getError().getData();
    assertNotNull(json, () -> "no error data: " + response.getError().getMessage());
    try {
      JsonNode data = JSON.readTree(json);
      assertTrue(data.isTextual(), () -> "error data is not a string: " + json);
      return data.asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BigInteger quantity(String hex) {
    return Numeric.decodeQuantity(hex);
  }

  // ---- the tests ----

  @Test
  void artifactsAreFromTheSourcesInTheRepository() throws Exception {
    Path sources = Path.of("src/test/solidity");
    String sums = resource("SOURCES.sha256");
    List<String> lines = sums.lines().toList();
    // One line per source in the folder: a source added without compiling it is caught.
    try (var files = Files.list(sources)) {
      assertEquals(files.filter(f -> f.toString().endsWith(".sol")).count(), lines.size(), sums);
    }
    for (String line : lines) {
      String[] parts = line.split("\\s+");
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(sources.resolve(parts[1])));
      assertEquals(parts[0], HexFormat.of().formatHex(digest),
          parts[1] + " changed since compile.sh ran: run it again and commit the artifacts");
    }
    assertTrue(resource("COMPILER.txt").contains("0.8.30"), resource("COMPILER.txt"));
  }

  @Test
  void chainIdClientAndGenesisBalances() {
    assertEquals(BigInteger.valueOf(CHAIN_ID), send(web3j.ethChainId()).getChainId());
    assertEquals(String.valueOf(CHAIN_ID), send(web3j.netVersion()).getNetVersion());
    assertTrue(send(web3j.web3ClientVersion()).getWeb3ClientVersion().startsWith("Chorus/"));
    assertEquals(FUNDS, balance(credentials(IDLE).getAddress(), DefaultBlockParameterName.LATEST));
    assertEquals(FUNDS, balance(credentials(IDLE).getAddress(),
        DefaultBlockParameterName.EARLIEST));
    assertEquals(BigInteger.ZERO, balance("0x" + "5a".repeat(20),
        DefaultBlockParameterName.LATEST));
    assertEquals(BigInteger.ZERO, send(web3j.ethGetTransactionCount(
        credentials(IDLE).getAddress(), DefaultBlockParameterName.LATEST)).getTransactionCount());
    EthBlock.Block genesis = send(web3j.ethGetBlockByNumber(DefaultBlockParameterName.EARLIEST,
        false)).getBlock();
    assertEquals(BigInteger.ZERO, genesis.getNumber());
    assertEquals(BigInteger.valueOf(30_000_000), genesis.getGasLimit());
    assertEquals(BigInteger.valueOf(1_000_000_000), quantity(genesis.getBaseFeePerGasRaw()),
        "the EIP-1559 initial base fee");
  }

  @Test
  void aTransferCostsExactlyValuePlusGasUsedTimesEffectiveGasPrice() throws Exception {
    String from = credentials(0).getAddress();
    String to = "0x" + "7e".repeat(20);
    BigInteger value = new BigInteger("1234567890123456789");
    BigInteger headBefore = send(web3j.ethBlockNumber()).getBlockNumber();
    BigInteger before = balance(from, DefaultBlockParameterName.LATEST);

    TransactionReceipt receipt = transactOk(0, to, "0x", value, 21_000);
    BigInteger block = receipt.getBlockNumber();
    assertTrue(block.compareTo(headBefore) > 0, "mined in a new block: " + block + " after "
        + headBefore);
    assertTrue(send(web3j.ethBlockNumber()).getBlockNumber().compareTo(headBefore) > 0,
        "the head advanced");
    assertEquals(BigInteger.valueOf(21_000), receipt.getGasUsed());
    assertEquals(receipt.getGasUsed(), receipt.getCumulativeGasUsed(), "alone in its block");
    assertEquals("0x2", receipt.getType());
    assertEquals(from, receipt.getFrom());
    assertEquals(to, receipt.getTo());
    assertNull(receipt.getContractAddress());
    assertTrue(receipt.getLogs().isEmpty());

    EthBlock.Block mined = send(web3j.ethGetBlockByNumber(at(block), false)).getBlock();
    BigInteger baseFee = quantity(mined.getBaseFeePerGasRaw());
    var tx = send(web3j.ethGetTransactionByHash(receipt.getTransactionHash()))
        .getTransaction().orElseThrow();
    BigInteger effective = tx.getMaxFeePerGas().min(baseFee.add(tx.getMaxPriorityFeePerGas()));
    assertEquals(effective, quantity(receipt.getEffectiveGasPrice()),
        "min(maxFee, baseFee + tip)");
    BigInteger cost = value.add(receipt.getGasUsed().multiply(effective));
    assertEquals(before.subtract(cost), balance(from, at(block)), "value + gasUsed × price");
    assertEquals(before, balance(from, at(block.subtract(BigInteger.ONE))), "the state before");
    assertEquals(value, balance(to, DefaultBlockParameterName.LATEST));
    assertEquals(BigInteger.ONE, send(web3j.ethGetTransactionCount(from, at(block)))
        .getTransactionCount());

    // The block producer's account gets the tips; the base fee is burned.
    assertEquals(COINBASE, mined.getMiner());
    BigInteger tips = balance(COINBASE, at(block))
        .subtract(balance(COINBASE, at(block.subtract(BigInteger.ONE))));
    assertEquals(receipt.getGasUsed().multiply(effective.subtract(baseFee)), tips);
  }

  @Test
  void backToBackTransactionsFromOneSenderAreAllMinedInNonceOrder() throws Exception {
    String to = "0x" + "7d".repeat(20);
    BigInteger tip = GWEI;
    BigInteger maxFee = baseFee().multiply(BigInteger.TWO).add(tip);
    FastRawTransactionManager manager = manager(6);
    List<String> hashes = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      // FastRawTransactionManager counts nonces itself: no waiting between these.
      hashes.add(ok(manager.sendEIP1559Transaction(CHAIN_ID, tip, maxFee,
          BigInteger.valueOf(21_000), to, "0x", BigInteger.valueOf(i))).getTransactionHash());
    }
    for (int i = 0; i < hashes.size(); i++) {
      TransactionReceipt receipt = receipts.waitForTransactionReceipt(hashes.get(i));
      assertEquals("0x1", receipt.getStatus());
      var tx = send(web3j.ethGetTransactionByHash(hashes.get(i))).getTransaction().orElseThrow();
      assertEquals(BigInteger.valueOf(i), tx.getNonce());
      assertEquals(BigInteger.valueOf(i + 1), tx.getValue());
    }
    assertEquals(BigInteger.valueOf(1 + 2 + 3 + 4 + 5), balance(to,
        DefaultBlockParameterName.LATEST));
    assertEquals(BigInteger.valueOf(5), send(web3j.ethGetTransactionCount(
        credentials(6).getAddress(), DefaultBlockParameterName.LATEST)).getTransactionCount());
  }

  @Test
  void transactionsAndBlocksByHashAgreeWithTheReceipt() throws Exception {
    Credentials sender = credentials(1);
    String to = "0x" + "7f".repeat(20);
    TransactionReceipt receipt = transactOk(1, to, "0xc0ffee", BigInteger.TEN, 30_000);

    var tx = send(web3j.ethGetTransactionByHash(receipt.getTransactionHash()))
        .getTransaction().orElseThrow();
    assertEquals(receipt.getTransactionHash(), tx.getHash());
    assertEquals(receipt.getBlockHash(), tx.getBlockHash());
    assertEquals(receipt.getBlockNumber(), tx.getBlockNumber());
    assertEquals(receipt.getTransactionIndex(), tx.getTransactionIndex());
    assertEquals(sender.getAddress(), tx.getFrom());
    assertEquals(to, tx.getTo());
    assertEquals(BigInteger.TEN, tx.getValue());
    assertEquals("0xc0ffee", tx.getInput());
    assertEquals(BigInteger.valueOf(30_000), tx.getGas());
    assertEquals(BigInteger.ZERO, tx.getNonce());
    assertEquals("0x2", tx.getType());
    assertEquals(CHAIN_ID, tx.getChainId());
    assertEquals(quantity(receipt.getEffectiveGasPrice()), tx.getGasPrice(),
        "a mined 1559 transaction's gasPrice is its effective price");
    assertTrue(tx.getMaxFeePerGas().compareTo(tx.getMaxPriorityFeePerGas()) >= 0);
    assertEquals(receipt.getGasUsed(), BigInteger.valueOf(21_000 + 16 * 3),
        "21,000 + 16 per non-zero calldata byte");

    EthBlock.Block block = send(web3j.ethGetBlockByHash(receipt.getBlockHash(), true)).getBlock();
    assertEquals(receipt.getBlockHash(), block.getHash());
    assertEquals(receipt.getBlockNumber(), block.getNumber());
    assertEquals(receipt.getGasUsed(), block.getGasUsed(), "one transaction in the block");
    assertEquals(1, block.getTransactions().size());
    var inBlock = (EthBlock.TransactionObject) block.getTransactions().get(0);
    assertEquals(tx.getHash(), inBlock.getHash());
    assertEquals(tx.getFrom(), inBlock.getFrom());
    assertEquals(tx.getBlockHash(), inBlock.getBlockHash());
    assertEquals(tx.getInput(), inBlock.getInput());

    EthBlock.Block byNumber = send(web3j.ethGetBlockByNumber(at(block.getNumber()), false))
        .getBlock();
    assertEquals(block.getHash(), byNumber.getHash());
    assertEquals(List.of(tx.getHash()),
        byNumber.getTransactions().stream().map(t -> (String) t.get()).toList());
    EthBlock.Block parent = send(web3j.ethGetBlockByHash(block.getParentHash(), false)).getBlock();
    assertEquals(block.getNumber().subtract(BigInteger.ONE), parent.getNumber());
    assertTrue(block.getTimestamp().compareTo(parent.getTimestamp()) >= 0);
    assertEquals(BigInteger.ONE, send(web3j.ethGetBlockTransactionCountByHash(block.getHash()))
        .getTransactionCount());
    var byIndex = send(web3j.ethGetTransactionByBlockHashAndIndex(block.getHash(),
        BigInteger.ZERO)).getTransaction().orElseThrow();
    assertEquals(tx.getHash(), byIndex.getHash());
    assertEquals(receipt.getTransactionHash(), send(web3j.ethGetTransactionReceipt(
        tx.getHash())).getTransactionReceipt().orElseThrow().getTransactionHash());

    assertTrue(send(web3j.ethGetTransactionByHash("0x" + "ab".repeat(32))).getTransaction()
        .isEmpty());
    assertNull(send(web3j.ethGetBlockByHash("0x" + "ab".repeat(32), false)).getBlock());
  }

  @Test
  void deployCallAndSendWithEventsDecoded() throws Exception {
    Credentials owner = credentials(2);
    TransactionReceipt deployed = deploy(2, "Store",
        FunctionEncoder.encodeConstructor(List.of(new Uint256(42))));
    String store = deployed.getContractAddress();
    DefaultBlockParameter latest = DefaultBlockParameterName.LATEST;

    assertEquals(BigInteger.valueOf(42), view(store, uintView("value"), latest));
    assertEquals(BigInteger.valueOf(1000), view(store, uintView("LIMIT"), latest));
    assertEquals(owner.getAddress(), view(store, addressView("owner"), latest));

    Function set = set(7, "hello, chorus");
    long estimate = send(web3j.ethEstimateGas(Transaction.createFunctionCallTransaction(
        owner.getAddress(), null, null, null, store, FunctionEncoder.encode(set)))).getAmountUsed()
        .longValueExact();
    assertTrue(estimate > 21_000 && estimate < 200_000, "estimate " + estimate);
    TransactionReceipt receipt = transactOk(2, store, FunctionEncoder.encode(set),
        BigInteger.ZERO, estimate);
    assertTrue(receipt.getGasUsed().longValueExact() <= estimate);

    assertEquals(1, receipt.getLogs().size(), () -> "logs " + receipt.getLogs());
    Log log = receipt.getLogs().get(0);
    assertEquals(store, log.getAddress());
    assertEquals(3, log.getTopics().size());
    assertEquals(EventEncoder.encode(VALUE_SET), log.getTopics().get(0));
    assertEquals(Numeric.toHexString(Hash.sha3(
        "ValueSet(address,uint256,uint256,string)".getBytes(StandardCharsets.US_ASCII))),
        log.getTopics().get(0));
    assertEquals(owner.getAddress(), indexed(log, 1, VALUE_SET));
    assertEquals(BigInteger.valueOf(42), indexed(log, 2, VALUE_SET), "the old value");
    assertEquals(List.of(BigInteger.valueOf(7), "hello, chorus"), nonIndexed(log, VALUE_SET));
    assertEquals(receipt.getTransactionHash(), log.getTransactionHash());
    assertEquals(receipt.getBlockHash(), log.getBlockHash());
    assertEquals(receipt.getBlockNumber(), log.getBlockNumber());
    assertEquals(BigInteger.ZERO, log.getLogIndex());
    assertFalse(log.isRemoved());

    assertEquals(BigInteger.valueOf(7), view(store, uintView("value"), latest));
    assertEquals(BigInteger.valueOf(42), view(store, uintView("value"),
        at(deployed.getBlockNumber())), "a call at the block of the deployment");

    Function deposit = new Function("deposit", List.of(), List.of());
    TransactionReceipt paid = transactOk(2, store, FunctionEncoder.encode(deposit),
        BigInteger.valueOf(5), 100_000);
    Log deposited = paid.getLogs().get(0);
    assertEquals(EventEncoder.encode(DEPOSITED), deposited.getTopics().get(0));
    assertEquals(owner.getAddress(), indexed(deposited, 1, DEPOSITED));
    assertEquals(List.of(BigInteger.valueOf(5)), nonIndexed(deposited, DEPOSITED));
    assertEquals(BigInteger.valueOf(5), balance(store, latest));
    assertEquals(BigInteger.valueOf(5), view(store, new Function("deposits",
        List.of(new org.web3j.abi.datatypes.Address(owner.getAddress())),
        List.of(new TypeReference<Uint256>() {})), latest));
    // Slot 0 holds value (constants take no slot).
    assertEquals(BigInteger.valueOf(7), quantity(send(web3j.ethGetStorageAt(store,
        BigInteger.ZERO, latest)).getData()));
  }

  @Test
  void aRevertingCallReportsTheReasonAndTheCustomErrorsArguments() throws Exception {
    String store = deploy(3, "Store",
        FunctionEncoder.encodeConstructor(List.of(new Uint256(1)))).getContractAddress();
    DefaultBlockParameter latest = DefaultBlockParameterName.LATEST;

    EthCall required = call(store, set(0, "zero"), latest);
    assertTrue(required.hasError(), () -> "a revert must be an error: "
        + required.getRawResponse());
    assertEquals(3, required.getError().getCode(), required.getRawResponse());
    assertTrue(required.getError().getMessage().contains("Store: zero value"),
        required.getRawResponse());
    String data = errorData(required);
    assertTrue(data.startsWith(ERROR_SELECTOR), data);
    assertEquals(List.of("Store: zero value"), FunctionReturnDecoder.decode(data.substring(10),
        new Function("Error", List.of(), List.of(new TypeReference<Utf8String>() {}))
            .getOutputParameters()).stream().map(t -> t.getValue()).toList());
    assertTrue(required.isReverted());
    assertEquals("execution reverted: Store: zero value", required.getRevertReason(),
        "web3j's revert reason is the message, as geth words it");

    EthCall custom = call(store, set(5000, "too much"), latest);
    assertTrue(custom.hasError(), () -> custom.getRawResponse());
    assertEquals(3, custom.getError().getCode(), custom.getRawResponse());
    assertTrue(custom.getError().getMessage().startsWith("execution reverted"),
        custom.getRawResponse());
    Function tooLarge = new Function("TooLarge", List.of(new Uint256(0), new Uint256(0)),
        List.of(new TypeReference<Uint256>() {}, new TypeReference<Uint256>() {}));
    String selector = FunctionEncoder.encode(tooLarge).substring(0, 10);
    assertEquals(Numeric.toHexString(Hash.sha3("TooLarge(uint256,uint256)"
        .getBytes(StandardCharsets.US_ASCII))).substring(0, 10), selector);
    String errorData = errorData(custom);
    assertTrue(errorData.startsWith(selector), errorData);
    assertEquals(10 + 128, errorData.length(), errorData);
    assertEquals(List.of(BigInteger.valueOf(5000), BigInteger.valueOf(1000)),
        FunctionReturnDecoder.decode(errorData.substring(10), tooLarge.getOutputParameters())
            .stream().map(t -> t.getValue()).toList());

    EthEstimateGas estimate = web3j.ethEstimateGas(Transaction.createFunctionCallTransaction(
        credentials(3).getAddress(), null, null, null, store,
        FunctionEncoder.encode(set(0, "zero")))).send();
    assertTrue(estimate.hasError(), () -> estimate.getRawResponse());
    assertTrue(estimate.getError().getMessage().contains("Store: zero value"),
        estimate.getRawResponse());
  }

  @Test
  void aRevertingTransactionIsMinedWithStatusZero() throws Exception {
    String sender = credentials(4).getAddress();
    String store = deploy(4, "Store",
        FunctionEncoder.encodeConstructor(List.of(new Uint256(9)))).getContractAddress();
    BigInteger before = balance(sender, DefaultBlockParameterName.LATEST);
    BigInteger nonce = send(web3j.ethGetTransactionCount(sender,
        DefaultBlockParameterName.LATEST)).getTransactionCount();

    TransactionReceipt receipt = transact(4, store, FunctionEncoder.encode(set(0, "no")),
        BigInteger.ZERO, 200_000);
    assertEquals("0x0", receipt.getStatus());
    assertFalse(receipt.isStatusOK());
    assertTrue(receipt.getLogs().isEmpty(), () -> "a reverted transaction logs nothing: "
        + receipt.getLogs());
    long gasUsed = receipt.getGasUsed().longValueExact();
    assertTrue(gasUsed > 21_000 && gasUsed < 200_000, "a revert refunds what is left: "
        + gasUsed);
    BigInteger price = quantity(receipt.getEffectiveGasPrice());
    assertEquals(before.subtract(receipt.getGasUsed().multiply(price)),
        balance(sender, at(receipt.getBlockNumber())), "a revert still pays for its gas");
    assertEquals(nonce.add(BigInteger.ONE), send(web3j.ethGetTransactionCount(sender,
        DefaultBlockParameterName.LATEST)).getTransactionCount(), "and uses its nonce");
    assertEquals(BigInteger.valueOf(9), view(store, uintView("value"),
        DefaultBlockParameterName.LATEST), "the state is unchanged");
  }

  @Test
  void theFactorysCreateAndCreate2ChildrenAreAtThePredictedAddresses() throws Exception {
    String factory = deploy(5, "Factory", "").getContractAddress();
    DefaultBlockParameter latest = DefaultBlockParameterName.LATEST;
    String childCode = runtimeCode("Child");

    // CREATE: from the factory's address and nonce (a contract's first nonce is 1, EIP-161).
    String predicted = ContractUtils.generateContractAddress(factory, BigInteger.ONE);
    assertEquals("0x", send(web3j.ethGetCode(predicted, latest)).getCode());
    TransactionReceipt created = transactOk(5, factory, FunctionEncoder.encode(new Function(
        "create", List.of(new Uint256(11)), List.of())), BigInteger.ZERO, 500_000);
    Log log = created.getLogs().get(0);
    assertEquals(EventEncoder.encode(CREATED), log.getTopics().get(0));
    assertEquals(predicted, indexed(log, 1, CREATED));
    assertEquals(false, indexed(log, 2, CREATED));
    assertEquals(childCode, send(web3j.ethGetCode(predicted, latest)).getCode());
    assertEquals(factory, view(predicted, addressView("parent"), latest));
    assertEquals(BigInteger.valueOf(11), view(predicted, uintView("tag"), latest));
    assertEquals(BigInteger.ONE, send(web3j.ethGetTransactionCount(predicted, latest))
        .getTransactionCount(), "a new contract's nonce");

    // CREATE2: from the factory's address, the salt and the init code's hash.
    byte[] salt = Hash.sha3("chorus".getBytes(StandardCharsets.US_ASCII));
    String initCode = creationCode("Child")
        + FunctionEncoder.encodeConstructor(List.of(new Uint256(22)));
    String predicted2 = ContractUtils.generateCreate2ContractAddress(factory, salt,
        Numeric.hexStringToByteArray(initCode));
    Function create2 = new Function("create2", List.of(new Uint256(22), new Bytes32(salt)),
        List.of(new TypeReference<org.web3j.abi.datatypes.Address>() {}));
    assertEquals(predicted2, view(factory, create2, latest), "eth_call runs CREATE2 too");
    assertEquals("0x", send(web3j.ethGetCode(predicted2, latest)).getCode(), "but changes nothing");
    TransactionReceipt created2 = transactOk(5, factory, FunctionEncoder.encode(create2),
        BigInteger.ZERO, 500_000);
    Log log2 = created2.getLogs().get(0);
    assertEquals(predicted2, indexed(log2, 1, CREATED));
    assertEquals(true, indexed(log2, 2, CREATED));
    assertArrayEquals(salt, (byte[]) nonIndexed(log2, CREATED).get(0));
    assertEquals(childCode, send(web3j.ethGetCode(predicted2, latest)).getCode());
    assertEquals(factory, view(predicted2, addressView("parent"), latest));
    assertEquals(BigInteger.valueOf(22), view(predicted2, uintView("tag"), latest));

    // The factory's nonce went on to 3, and the same salt and code cannot be used twice.
    assertEquals(BigInteger.valueOf(3), send(web3j.ethGetTransactionCount(factory, latest))
        .getTransactionCount());
    TransactionReceipt again = transact(5, factory, FunctionEncoder.encode(create2),
        BigInteger.ZERO, 500_000);
    assertEquals("0x0", again.getStatus(), "CREATE2 onto an existing contract fails");
  }

  @Test
  void getLogsByAddressAndTopic() throws Exception {
    // Account 5's Factory test may run before or after this one: account 3 deploys its own.
    String store = deploy(3, "Store",
        FunctionEncoder.encodeConstructor(List.of(new Uint256(100)))).getContractAddress();
    String other = deploy(3, "Store",
        FunctionEncoder.encodeConstructor(List.of(new Uint256(100)))).getContractAddress();
    TransactionReceipt first = transactOk(3, store, FunctionEncoder.encode(set(1, "one")),
        BigInteger.ZERO, 200_000);
    transactOk(3, other, FunctionEncoder.encode(set(2, "other")), BigInteger.ZERO, 200_000);
    TransactionReceipt paid = transactOk(3, store, FunctionEncoder.encode(new Function(
        "deposit", List.of(), List.of())), BigInteger.ONE, 200_000);
    TransactionReceipt second = transactOk(3, store, FunctionEncoder.encode(set(3, "three")),
        BigInteger.ZERO, 200_000);

    EthFilter byAddress = new EthFilter(DefaultBlockParameterName.EARLIEST,
        DefaultBlockParameterName.LATEST, store);
    List<Log> all = logs(byAddress);
    assertEquals(List.of(first.getLogs().get(0), paid.getLogs().get(0), second.getLogs().get(0)),
        all, "the store's three logs, in chain order, as in the receipts");

    EthFilter byTopic = new EthFilter(DefaultBlockParameterName.EARLIEST,
        DefaultBlockParameterName.LATEST, store).addSingleTopic(EventEncoder.encode(VALUE_SET));
    List<Log> valueSets = logs(byTopic);
    assertEquals(List.of(first.getLogs().get(0), second.getLogs().get(0)), valueSets);
    assertEquals(List.of(List.of(BigInteger.ONE, "one"), List.of(BigInteger.valueOf(3), "three")),
        valueSets.stream().map(l -> nonIndexed(l, VALUE_SET)).toList());

    // Topic 2 (the indexed old value) matches only the second set: 1 -> 3.
    EthFilter byOldValue = new EthFilter(DefaultBlockParameterName.EARLIEST,
        DefaultBlockParameterName.LATEST, List.of(store, other))
        .addSingleTopic(EventEncoder.encode(VALUE_SET))
        .addNullTopic()
        .addSingleTopic(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.ONE, 64));
    assertEquals(List.of(second.getLogs().get(0)), logs(byOldValue));

    EthFilter inOneBlock = new EthFilter(at(first.getBlockNumber()), at(first.getBlockNumber()),
        List.of(store, other));
    assertEquals(List.of(first.getLogs().get(0)), logs(inOneBlock));
    assertTrue(logs(new EthFilter(DefaultBlockParameterName.EARLIEST,
        DefaultBlockParameterName.LATEST, "0x" + "5a".repeat(20))).isEmpty());
  }

  List<Log> logs(EthFilter filter) {
    return send(web3j.ethGetLogs(filter)).getLogs().stream()
        .map(r -> ((EthLog.LogObject) r).get()).toList();
  }
}
