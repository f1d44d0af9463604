package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.ChainJson.NODES;
import static io.chorus.rpc.eth.ChainJson.data;
import static io.chorus.rpc.eth.ChainJson.quantity;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Bytes;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.AccountChange;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Status;
import io.chorus.evm.Word;
import io.chorus.evm.trace.JsonTracer;
import io.chorus.evm.trace.RevertReason;
import io.chorus.evm.trace.TraceLimitException;
import io.chorus.evm.trace.Tracers;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.Receipt;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.RpcException;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.state.system.Governance;
import io.chorus.storage.ChainStore;
import io.chorus.tx.AccessListEntry;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionDecoder;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Ethereum JSON-RPC methods ({@code web3_*}, {@code net_*}, {@code eth_*}) and Chorus's own
 * ({@code chorus_*}) over a {@link Blockchain}. Errors follow Geth's codes so that tools react
 * as they do with Ethereum: -32602 for bad params, -32000 for a refused transaction or a missing
 * block, 3 for a reverted call with its revert data.
 */
public final class EthApi {
  /** A refused transaction, an unknown block or a failed call (Geth's server error). */
  public static final int SERVER_ERROR = -32000;
  /** A call that reverted: data carries the revert output (EIP-1474 / Geth). */
  public static final int EXECUTION_REVERTED = 3;
  /** The most blocks one {@code eth_feeHistory} call covers. */
  public static final int FEE_HISTORY_BLOCKS_MAX = 1024;
  /** The most gas an {@code eth_call} or {@code eth_estimateGas} may run with. */
  public static final long CALL_GAS_CAP = 100_000_000L;
  /** The tip suggested on a chain with fees: 1 gwei, as Geth's minimum suggestion. */
  static final BigInteger SUGGESTED_TIP = BigInteger.valueOf(1_000_000_000L);
  private static final int SENDER_CACHE_MAX = 200_000;
  /** The transactions of the blocks read back from the store that are kept decoded. */
  private static final int LOADED_TRANSACTIONS_MAX = 20_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private volatile Supplier<?> networkStatus;
  private static final TypeReference<Map<String, Object>> CONFIG_TYPE = new TypeReference<>() {};

  private final Blockchain chain;
  private final String clientVersion;
  private final TransactionValidator validator;
  private final long startedAt = System.currentTimeMillis();
  // Senders are recovered at admission; keep them so reads need not recover them again.
  private final Map<ByteKey, Address> senders = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<ByteKey, Address> eldest) {
      return size() > SENDER_CACHE_MAX;
    }
  };
  // Older blocks, once read back: a client reading the receipts of a block's transactions one
  // by one would otherwise decode and hash the whole block for each of them.
  private final Cache<ByteKey, Blockchain.CommittedBlock> readBack = Caffeine.newBuilder()
      .maximumWeight(LOADED_TRANSACTIONS_MAX)
      .weigher((ByteKey hash, Blockchain.CommittedBlock b) -> 1 + b.transactionHashes().size())
      .build();

  /**
   * Adds what a BFT member knows to {@code chorus_nodeStatus}: peers, consensus height and round,
   * sync progress, counters (any object Jackson can write); a dev node has none.
   */
  public void setNetworkStatus(Supplier<?> status) {
    this.networkStatus = status;
  }

  public EthApi(Blockchain chain, String clientVersion) {
    this.chain = chain;
    this.clientVersion = clientVersion;
    this.validator = new TransactionValidator(chain.suite(), chain.chainId());
    chain.addListener(new Blockchain.Listener() {
      @Override
      public void onPending(TxPool.Pooled tx) {
        rememberSender(tx.hash(), tx.sender());
      }

      @Override
      public void onBlock(Blockchain.CommittedBlock block) {
        for (int i = 0; i < block.senders().size(); i++) {
          rememberSender(block.transactionHashes().get(i), block.senders().get(i));
        }
      }
    });
  }

  /** Every method by name, for {@link JsonRpc}. */
  public Map<String, JsonRpc.Method> methods() {
    Map<String, JsonRpc.Method> m = new HashMap<>();
    m.put("web3_clientVersion", p -> new TextNode(clientVersion));
    m.put("web3_sha3", p -> new TextNode(data(Keccak256.INSTANCE.hash(
        new Params("web3_sha3", p).count(1, 1).bytes(0, "data")))));
    m.put("net_version", p -> new TextNode(chain.chainId().toString()));
    m.put("net_listening", p -> NODES.booleanNode(true));
    m.put("net_peerCount", p -> new TextNode("0x0"));
    m.put("eth_chainId", p -> new TextNode(quantity(chain.chainId())));
    m.put("eth_syncing", p -> NODES.booleanNode(false));
    m.put("eth_mining", p -> NODES.booleanNode(true));
    m.put("eth_accounts", p -> NODES.arrayNode());
    m.put("eth_coinbase", p -> new TextNode(Address.of(new byte[20]).toString()));
    m.put("eth_blockNumber", p -> new TextNode(quantity(chain.head().number())));
    m.put("eth_gasPrice", p -> new TextNode(quantity(chain.nextBaseFee(chain.head())
        .add(suggestedTip()))));
    m.put("eth_maxPriorityFeePerGas", p -> new TextNode(quantity(suggestedTip())));
    m.put("eth_feeHistory", this::feeHistory);
    m.put("eth_getBalance", p -> {
      Params a = new Params("eth_getBalance", p).count(1, 2);
      AccountInfo account = state(a, 1).account(a.address(0, "address"));
      return new TextNode(quantity(account == null ? BigInteger.ZERO : account.balance()));
    });
    m.put("eth_getTransactionCount", this::transactionCount);
    m.put("eth_getCode", p -> {
      Params a = new Params("eth_getCode", p).count(1, 2);
      return new TextNode(data(state(a, 1).code(a.address(0, "address"))));
    });
    m.put("eth_getStorageAt", p -> {
      Params a = new Params("eth_getStorageAt", p).count(2, 3);
      Word slot = Word.fromBigInteger(Params.quantity(a.required(1, "slot"),
          "eth_getStorageAt: param 2 (slot)"));
      return new TextNode(data(state(a, 2).storage(a.address(0, "address"), slot).toBytes()));
    });
    m.put("eth_getBlockByNumber", p -> {
      Params a = new Params("eth_getBlockByNumber", p).count(1, 2);
      return header(a, 0).map(h -> blockJson(h, a.bool(1, "full transactions", false)))
          .map(JsonNode.class::cast).orElse(NODES.nullNode());
    });
    m.put("eth_getBlockByHash", p -> {
      Params a = new Params("eth_getBlockByHash", p).count(1, 2);
      return chain.store().headerByHash(a.hash(0, "block hash"))
          .map(h -> (JsonNode) blockJson(h, a.bool(1, "full transactions", false)))
          .orElse(NODES.nullNode());
    });
    m.put("eth_getBlockTransactionCountByNumber", p -> header(
        new Params("eth_getBlockTransactionCountByNumber", p).count(1, 1), 0)
        .map(h -> (JsonNode) new TextNode(quantity(block(h).transactions().size())))
        .orElse(NODES.nullNode()));
    m.put("eth_getBlockTransactionCountByHash", p -> chain.store().headerByHash(
        new Params("eth_getBlockTransactionCountByHash", p).count(1, 1).hash(0, "block hash"))
        .map(h -> (JsonNode) new TextNode(quantity(block(h).transactions().size())))
        .orElse(NODES.nullNode()));
    m.put("eth_getTransactionByHash", this::transactionByHash);
    m.put("eth_getTransactionByBlockNumberAndIndex", p -> {
      Params a = new Params("eth_getTransactionByBlockNumberAndIndex", p).count(2, 2);
      return header(a, 0).map(h -> transactionAt(h, a)).orElse(NODES.nullNode());
    });
    m.put("eth_getTransactionByBlockHashAndIndex", p -> {
      Params a = new Params("eth_getTransactionByBlockHashAndIndex", p).count(2, 2);
      return chain.store().headerByHash(a.hash(0, "block hash")).map(h -> transactionAt(h, a))
          .orElse(NODES.nullNode());
    });
    m.put("eth_getTransactionReceipt", this::receipt);
    m.put("eth_getBlockReceipts", p -> {
      Params a = new Params("eth_getBlockReceipts", p).count(1, 1);
      return header(a, 0).map(h -> (JsonNode) blockReceipts(h)).orElse(NODES.nullNode());
    });
    m.put("eth_sendRawTransaction", this::sendRawTransaction);
    m.put("eth_call", this::call);
    m.put("eth_estimateGas", this::estimateGas);
    m.put("eth_getProof", this::proof);
    m.put("debug_traceTransaction", this::traceTransaction);
    m.put("chorus_nodeStatus", p -> nodeStatus());
    m.put("chorus_accountHistory", this::accountHistory);
    m.put("chorus_getFinalityProof", this::finalityProof);
    return m;
  }

  private BigInteger suggestedTip() {
    return chain.zeroFees() ? BigInteger.ZERO : SUGGESTED_TIP;
  }

  // ---- blocks and state ----

  /**
   * The header a block param names: a tag ({@code latest}, {@code pending}, {@code safe},
   * {@code finalized} — all the head, as blocks are final once committed — or
   * {@code earliest}), a number, or an EIP-1898 object; absent means latest.
   */
  Optional<BlockHeader> header(Params a, int index) {
    JsonNode tag = a.get(index);
    if (tag == null) {
      return Optional.of(chain.head());
    }
    if (tag.isObject()) {
      if (tag.has("blockHash")) {
        byte[] hash = Params.bytes(tag.get("blockHash").asText(), "blockHash");
        return Optional.of(chain.store().headerByHash(hash).orElseThrow(() ->
            new RpcException(SERVER_ERROR, "header not found: no block " + data(hash))));
      }
      if (tag.has("blockNumber")) {
        return numbered(tag.get("blockNumber"));
      }
      throw new IllegalArgumentException("a block object needs blockHash or blockNumber");
    }
    return numbered(tag);
  }

  private Optional<BlockHeader> numbered(JsonNode tag) {
    String text = tag.asText();
    switch (text) {
      case "latest", "pending", "safe", "finalized" -> {
        return Optional.of(chain.head());
      }
      case "earliest" -> {
        return headerAt(0);
      }
      default -> {
        if (!tag.isTextual()) {
          throw new IllegalArgumentException("a block is a tag (latest, earliest, pending, safe, "
              + "finalized), a 0x-hex number or {blockHash}, got " + tag);
        }
        return headerAt(Params.quantityLong(tag, "block number"));
      }
    }
  }

  Optional<BlockHeader> headerAt(long number) {
    return chain.store().canonicalHash(number).flatMap(chain.store()::headerByHash);
  }

  /** The state a block param names; an unknown block is an error, as in Geth. */
  private WorldState state(Params a, int index) {
    BlockHeader header = header(a, index).orElseThrow(() -> new RpcException(SERVER_ERROR,
        "header not found: block " + a.get(index) + " is beyond the head "
            + chain.head().number()));
    return chain.stateAt(header);
  }

  private Block block(BlockHeader header) {
    return loaded(header).block();
  }

  /**
   * A block with its receipts, transaction hashes and senders: from the chain's recent blocks,
   * else read from the store and kept a while (senders then recovered only when asked for).
   */
  Blockchain.CommittedBlock loaded(BlockHeader header) {
    return loaded(chain.hashOf(header));
  }

  // As loaded(header), by the block's hash (an index entry's): no header to read and hash.
  Blockchain.CommittedBlock loaded(byte[] hash) {
    Optional<Blockchain.CommittedBlock> recent = chain.recent(hash);
    return recent.isPresent() ? recent.get()
        : readBack.get(new ByteKey(hash), k -> load(hash));
  }

  private Blockchain.CommittedBlock load(byte[] hash) {
    Block block = chain.store().blockByHash(hash).orElseThrow(() -> new RpcException(
        SERVER_ERROR, "block " + data(hash) + " is known but has no body"));
    List<Receipt> receipts = chain.store().receipts(hash).orElseThrow(() ->
        new RpcException(SERVER_ERROR, "block " + data(hash) + " has no receipts"));
    List<byte[]> txHashes = new ArrayList<>(block.transactions().size());
    for (Transaction tx : block.transactions()) {
      txHashes.add(chain.suite().hash(tx.encoded()));
    }
    List<Address> lazySenders = new java.util.AbstractList<>() {
      @Override
      public Address get(int i) {
        return sender(block.transactions().get(i), txHashes.get(i));
      }

      @Override
      public int size() {
        return txHashes.size();
      }
    };
    return Blockchain.CommittedBlock.of(block, hash, receipts, txHashes, lazySenders);
  }

  ObjectNode blockJson(BlockHeader header, boolean full) {
    Blockchain.CommittedBlock b = loaded(header);
    return ChainJson.block(b.block(), b.hash(), full, b.transactionHashes(), b.senders());
  }

  private JsonNode transactionCount(JsonNode p) {
    Params a = new Params("eth_getTransactionCount", p).count(1, 2);
    Address address = a.address(0, "address");
    if (a.has(1) && "pending".equals(a.get(1).asText())) {
      return new TextNode(quantity(chain.pool().nextNonce(address)));
    }
    AccountInfo account = state(a, 1).account(address);
    return new TextNode(quantity(account == null ? 0 : account.nonce()));
  }

  // ---- transactions and receipts ----

  private Address sender(Transaction tx, byte[] hash) {
    ByteKey key = new ByteKey(hash);
    synchronized (senders) {
      Address known = senders.get(key);
      if (known != null) {
        return known;
      }
    }
    Address recovered = Address.of(validator.validate(tx));
    rememberSender(hash, recovered);
    return recovered;
  }

  private void rememberSender(byte[] hash, Address sender) {
    synchronized (senders) {
      senders.put(new ByteKey(hash), sender);
    }
  }

  private JsonNode transactionByHash(JsonNode p) {
    byte[] hash = new Params("eth_getTransactionByHash", p).count(1, 1)
        .hash(0, "transaction hash");
    Optional<ChainStore.TxLocation> at = chain.store().transactionLocation(hash);
    if (at.isEmpty()) {
      TxPool.Pooled pending = chain.pool().get(hash);
      return pending == null ? NODES.nullNode()
          : ChainJson.transaction(pending.transaction(), hash, pending.sender(), null);
    }
    return transactionJson(loaded(at.get().blockHash()), at.get().index());
  }

  JsonNode transactionJson(Blockchain.CommittedBlock b, int index) {
    BlockHeader header = b.block().header();
    return ChainJson.transaction(b.block().transactions().get(index),
        b.transactionHashes().get(index), b.senders().get(index), new ChainJson.Inclusion(
            b.hash(), header.number(), index, header.baseFeePerGas()));
  }

  private JsonNode transactionAt(BlockHeader header, Params a) {
    long index = Params.quantityLong(a.required(1, "index"), "index");
    Blockchain.CommittedBlock b = loaded(header);
    return index >= b.transactionHashes().size() ? NODES.nullNode()
        : transactionJson(b, (int) index);
  }

  private JsonNode receipt(JsonNode p) {
    byte[] hash = new Params("eth_getTransactionReceipt", p).count(1, 1)
        .hash(0, "transaction hash");
    Optional<ChainStore.TxLocation> at = chain.store().transactionLocation(hash);
    if (at.isEmpty()) {
      return NODES.nullNode();
    }
    Blockchain.CommittedBlock b = loaded(at.get().blockHash());
    int index = at.get().index();
    return receiptJson(b, index);
  }

  ObjectNode receiptJson(Blockchain.CommittedBlock b, int index) {
    BlockHeader header = b.block().header();
    long previousGas = index == 0 ? 0 : b.receipts().get(index - 1).cumulativeGasUsed();
    return ChainJson.receipt(b.receipts().get(index), previousGas,
        b.block().transactions().get(index), b.transactionHashes().get(index),
        b.senders().get(index), new ChainJson.Inclusion(b.hash(), header.number(), index,
            header.baseFeePerGas()), b.firstLogIndexes()[index], chain.suite().hashFunction());
  }

  private ArrayNode blockReceipts(BlockHeader header) {
    Blockchain.CommittedBlock b = loaded(header);
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < b.receipts().size(); i++) {
      out.add(receiptJson(b, i));
    }
    return out;
  }

  private JsonNode sendRawTransaction(JsonNode p) {
    byte[] raw = new Params("eth_sendRawTransaction", p).count(1, 1).bytes(0, "signed bytes");
    Transaction tx;
    try {
      tx = TransactionDecoder.decode(raw);
    } catch (IllegalArgumentException e) {
      throw new RpcException(JsonRpc.INVALID_PARAMS, "cannot decode the transaction: "
          + e.getMessage());
    }
    try {
      return new TextNode(data(chain.submit(tx).hash()));
    } catch (TxPool.Rejected e) {
      ObjectNode reason = NODES.objectNode().put("reason", e.reason().name());
      throw new RpcException(SERVER_ERROR, e.getMessage(), reason);
    }
  }

  // ---- calls ----

  private JsonNode call(JsonNode p) {
    Params a = new Params("eth_call", p).count(1, 3);
    TransactionResult result = simulate(a, a.required(0, "call"), null);
    if (result.success()) {
      return new TextNode(data(result.output()));
    }
    throw failure(result);
  }

  private JsonNode estimateGas(JsonNode p) {
    Params a = new Params("eth_estimateGas", p).count(1, 3);
    JsonNode request = a.required(0, "call");
    long cap = request.has("gas") && !request.get("gas").isNull()
        ? Params.quantityLong(request.get("gas"), "gas") : CALL_GAS_CAP;
    TransactionResult atCap = simulate(a, request, cap);
    if (!atCap.success()) {
      throw failure(atCap);
    }
    // The least gas that succeeds lies above what a run used after its refund. It is that
    // amount itself for a call with no refund and no gas kept back for inner calls (a system
    // contract's, a transfer): tried first, it spares the ~27 runs of the search, each with
    // the call data decoded again (a trace capture's 13 KB: a fifth of a capturing node's
    // RPC time went to estimating).
    long low = atCap.gasUsed() - 1;
    long high = cap;
    if (high - low > 1) {
      if (simulate(a, request, low + 1).success()) {
        high = low + 1;
      } else {
        low++;
      }
    }
    while (high - low > 1) {
      long mid = low + (high - low) / 2;
      if (simulate(a, request, mid).success()) {
        high = mid;
      } else {
        low = mid;
      }
    }
    return new TextNode(quantity(high));
  }

  /** Runs a call object on the state of param 2's block, with param 3's state overrides. */
  private TransactionResult simulate(Params a, JsonNode request, Long gasOverride) {
    if (!request.isObject()) {
      throw new IllegalArgumentException("the call must be an object with to, data, ...");
    }
    BlockHeader header = header(a, 1).orElseThrow(() -> new RpcException(SERVER_ERROR,
        "header not found: block " + a.get(1) + " is beyond the head"));
    WorldState state = chain.stateAt(header);
    if (a.has(2)) {
      applyOverrides(state, a.get(2));
    }
    Address from = field(request, "from") == null ? Address.of(new byte[20])
        : Params.address(request.get("from").asText(), "from");
    long gas = gasOverride != null ? gasOverride : field(request, "gas") != null
        ? Params.quantityLong(request.get("gas"), "gas") : Math.min(CALL_GAS_CAP,
        Math.max(header.gasLimit(), 50_000_000L));
    if (gas > CALL_GAS_CAP) {
      throw new IllegalArgumentException("gas " + gas + " exceeds the call cap of "
          + CALL_GAS_CAP);
    }
    BigInteger maxFee = BigInteger.ZERO;
    BigInteger tip = BigInteger.ZERO;
    if (field(request, "gasPrice") != null) {
      maxFee = tip = Params.quantity(request.get("gasPrice"), "gasPrice");
    } else if (field(request, "maxFeePerGas") != null) {
      maxFee = Params.quantity(request.get("maxFeePerGas"), "maxFeePerGas");
      tip = field(request, "maxPriorityFeePerGas") == null ? BigInteger.ZERO
          : Params.quantity(request.get("maxPriorityFeePerGas"), "maxPriorityFeePerGas");
    }
    JsonNode input = field(request, "input") != null ? request.get("input")
        : request.get("data");
    byte[] data = input == null || input.isNull() ? Bytes.EMPTY
        : Params.bytes(input.asText(), "input");
    byte[] to = field(request, "to") == null ? null
        : Params.address(request.get("to").asText(), "to").toArray();
    BigInteger value = field(request, "value") == null ? BigInteger.ZERO
        : Params.quantity(request.get("value"), "value");
    Transaction tx = new Transaction(Transaction.DYNAMIC_FEE, chain.chainId(), 0, tip, maxFee,
        gas, to, value, data, accessList(request.get("accessList")), BigInteger.ZERO, List.of(),
        0, BigInteger.ZERO, BigInteger.ZERO, Bytes.EMPTY, Bytes.EMPTY);
    BlockEnv block = chain.callEnvOf(header);
    BlockEnv env = new BlockEnv(block.coinbase(), block.number(), block.timestamp(),
        Math.max(block.gasLimit(), gas), block.baseFee(), block.prevRandao(),
        block.blobBaseFee(), block.chainId(), block.blockHashes());
    try {
      return chain.transition().simulate(state, tx, from, env);
    } catch (TransactionException e) {
      throw new RpcException(SERVER_ERROR, e.getMessage());
    }
  }

  private static JsonNode field(JsonNode object, String name) {
    JsonNode value = object.get(name);
    return value == null || value.isNull() ? null : value;
  }

  private static List<AccessListEntry> accessList(JsonNode list) {
    if (list == null || list.isNull()) {
      return List.of();
    }
    List<AccessListEntry> out = new ArrayList<>();
    for (JsonNode entry : list) {
      List<byte[]> keys = new ArrayList<>();
      for (JsonNode key : entry.path("storageKeys")) {
        keys.add(Params.bytes(key.asText(), "accessList storage key"));
      }
      out.add(new AccessListEntry(Params.address(entry.path("address").asText(),
          "accessList address").toArray(), keys));
    }
    return out;
  }

  /** Geth's state override set: balance, nonce, code, and state (replace) or stateDiff. */
  private static void applyOverrides(WorldState state, JsonNode overrides) {
    if (!overrides.isObject()) {
      throw new IllegalArgumentException("state overrides must be an object of address to "
          + "{balance, nonce, code, state | stateDiff}");
    }
    for (Map.Entry<String, JsonNode> entry : overrides.properties()) {
      Address address = Params.address(entry.getKey(), "state override address");
      JsonNode o = entry.getValue();
      if (o.has("state") && o.has("stateDiff")) {
        throw new IllegalArgumentException("override of " + address
            + " has both state and stateDiff: give one");
      }
      AccountInfo current = state.account(address);
      long nonce = o.has("nonce") ? Params.quantityLong(o.get("nonce"), "override nonce")
          : current == null ? 0 : current.nonce();
      BigInteger balance = o.has("balance")
          ? Params.quantity(o.get("balance"), "override balance")
          : current == null ? BigInteger.ZERO : current.balance();
      byte[] code = o.has("code") ? Params.bytes(o.get("code").asText(), "override code")
          : state.code(address);
      Map<Word, Word> slots = new HashMap<>();
      JsonNode storage = o.has("state") ? o.get("state") : o.get("stateDiff");
      if (storage != null) {
        for (Map.Entry<String, JsonNode> slot : storage.properties()) {
          slots.put(Word.fromBytes(Bytes.leftPad(Params.bytes(slot.getKey(), "slot"), 32)),
              Word.fromBytes(Bytes.leftPad(Params.bytes(slot.getValue().asText(), "value"),
                  32)));
        }
      }
      if (o.has("state")) {
        state.put(address, nonce, balance, code, slots);
      } else {
        state.apply(List.of(new AccountChange(address, false, nonce, balance, code, slots)));
      }
    }
  }

  /** A failed call as an error: code 3 with the revert data, or the halt's reason. */
  private static RpcException failure(TransactionResult result) {
    if (result.status() == Status.REVERT) {
      String reason = RevertReason.decode(result.output());
      return new RpcException(EXECUTION_REVERTED, reason == null ? "execution reverted"
          : "execution reverted: " + reason, new TextNode(data(result.output())));
    }
    return new RpcException(SERVER_ERROR, Status.name(result.status()));
  }

  // ---- tracing ----

  /**
   * Re-executes a mined transaction with a tracer ({@link TxReplay}) under Geth's struct logger
   * or callTracer.
   */
  private JsonNode traceTransaction(JsonNode p) {
    Params a = new Params("debug_traceTransaction", p).count(1, 2);
    byte[] hash = a.hash(0, "transaction hash");
    JsonNode configNode = a.has(1) ? a.get(1) : NODES.objectNode();
    if (!configNode.isObject()) {
      throw new IllegalArgumentException("the trace config must be an object such as "
          + "{\"tracer\": \"callTracer\"}");
    }
    JsonTracer tracer = Tracers.fromConfig(JSON.convertValue(configNode, CONFIG_TYPE));
    try {
      new TxReplay(chain, this).replay(hash, tracer);
      return JSON.valueToTree(tracer.result());
    } catch (TraceLimitException e) {
      throw new RpcException(SERVER_ERROR, e.getMessage());
    }
  }

  // ---- fees ----

  private JsonNode feeHistory(JsonNode p) {
    Params a = new Params("eth_feeHistory", p).count(2, 3);
    JsonNode countParam = a.required(0, "block count");
    long count = countParam.isIntegralNumber() ? countParam.longValue()
        : Params.quantityLong(countParam, "block count");
    if (count < 1 || count > FEE_HISTORY_BLOCKS_MAX) {
      throw new IllegalArgumentException("block count must be 1 to " + FEE_HISTORY_BLOCKS_MAX
          + ", got " + count);
    }
    BlockHeader newest = header(a, 1).orElseThrow(() -> new RpcException(SERVER_ERROR,
        "header not found: block " + a.get(1) + " is beyond the head"));
    double[] percentiles = percentiles(a.get(2));
    long oldest = Math.max(0, newest.number() - count + 1);
    ArrayNode baseFees = NODES.arrayNode();
    ArrayNode ratios = NODES.arrayNode();
    ArrayNode rewards = NODES.arrayNode();
    for (long n = oldest; n <= newest.number(); n++) {
      BlockHeader h = headerAt(n).orElseThrow();
      baseFees.add(quantity(h.baseFeePerGas()));
      ratios.add((double) h.gasUsed() / h.gasLimit());
      if (percentiles != null) {
        rewards.add(rewards(h, percentiles));
      }
    }
    baseFees.add(quantity(chain.nextBaseFee(newest)));
    ObjectNode out = NODES.objectNode();
    out.put("oldestBlock", quantity(oldest));
    out.set("baseFeePerGas", baseFees);
    out.set("gasUsedRatio", ratios);
    if (percentiles != null) {
      out.set("reward", rewards);
    }
    return out;
  }

  private static double[] percentiles(JsonNode list) {
    if (list == null) {
      return null;
    }
    if (!list.isArray() || list.size() > 100) {
      throw new IllegalArgumentException("reward percentiles must be an array of at most 100 "
          + "numbers");
    }
    double[] out = new double[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i).asDouble(-1);
      if (out[i] < 0 || out[i] > 100 || (i > 0 && out[i] < out[i - 1])) {
        throw new IllegalArgumentException("reward percentiles must rise from 0 to 100, got "
            + list);
      }
    }
    return out;
  }

  /** The tip at each percentile of the block's gas, transactions sorted by tip. */
  private ArrayNode rewards(BlockHeader header, double[] percentiles) {
    ArrayNode out = NODES.arrayNode();
    Blockchain.CommittedBlock loaded = loaded(header);
    Block block = loaded.block();
    List<Receipt> receipts = loaded.receipts();
    int n = block.transactions().size();
    if (n == 0) {
      for (int i = 0; i < percentiles.length; i++) {
        out.add("0x0");
      }
      return out;
    }
    long[] gasOf = new long[n];
    BigInteger[] tips = new BigInteger[n];
    Integer[] order = new Integer[n];
    long previous = 0;
    for (int i = 0; i < n; i++) {
      Transaction tx = block.transactions().get(i);
      tips[i] = ChainJson.effectiveGasPrice(tx, header.baseFeePerGas())
          .subtract(header.baseFeePerGas());
      gasOf[i] = receipts.get(i).cumulativeGasUsed() - previous;
      previous = receipts.get(i).cumulativeGasUsed();
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> tips[x].compareTo(tips[y]));
    for (double percentile : percentiles) {
      double threshold = header.gasUsed() * percentile / 100;
      long sum = 0;
      int pick = order[n - 1];
      for (int i : order) {
        sum += gasOf[i];
        if (sum >= threshold) {
          pick = i;
          break;
        }
      }
      out.add(quantity(tips[pick]));
    }
    return out;
  }

  // ---- proofs and Chorus's own ----

  private JsonNode proof(JsonNode p) {
    Params a = new Params("eth_getProof", p).count(2, 3);
    Address address = a.address(0, "address");
    JsonNode keyList = a.required(1, "storage keys");
    if (!keyList.isArray() || keyList.size() > 1024) {
      throw new IllegalArgumentException("storage keys must be an array of at most 1024 keys");
    }
    List<Word> keys = new ArrayList<>();
    for (JsonNode key : keyList) {
      keys.add(Word.fromBigInteger(Params.quantity(key, "storage key")));
    }
    WorldState state = state(a, 2);
    WorldState.Proof proof = state.prove(address, keys);
    AccountInfo account = state.account(address);
    ObjectNode out = NODES.objectNode();
    out.put("address", address.toString());
    out.set("accountProof", hexList(proof.accountProof()));
    out.put("balance", quantity(account == null ? BigInteger.ZERO : account.balance()));
    out.put("codeHash", data(account == null ? chain.suite().hash(Bytes.EMPTY)
        : account.codeHash()));
    out.put("nonce", quantity(account == null ? 0 : account.nonce()));
    out.put("storageHash", data(proof.storageRoot()));
    ArrayNode storage = out.putArray("storageProof");
    for (int i = 0; i < keys.size(); i++) {
      ObjectNode entry = storage.addObject();
      entry.put("key", keyList.get(i).asText());
      entry.put("value", quantity(new BigInteger(1, state.storage(address, keys.get(i))
          .toBytes())));
      entry.set("proof", hexList(proof.storageProofs().get(i)));
    }
    return out;
  }

  private static ArrayNode hexList(List<byte[]> nodes) {
    ArrayNode out = NODES.arrayNode();
    nodes.forEach(n -> out.add(data(n)));
    return out;
  }

  private JsonNode nodeStatus() {
    BlockHeader head = chain.head();
    ObjectNode out = NODES.objectNode();
    out.put("client", clientVersion);
    out.put("chainId", chain.chainId().toString());
    out.put("suite", chain.genesis().suite());
    out.put("feeMode", chain.zeroFees() ? Genesis.FeeMode.ZERO.name()
        : Genesis.FeeMode.ETHEREUM_1559.name());
    out.put("genesisHash", data(chain.store().canonicalHash(0).orElseThrow()));
    ObjectNode headNode = out.putObject("head");
    headNode.put("number", head.number());
    headNode.put("hash", data(chain.hashOf(head)));
    headNode.put("timestamp", head.timestamp());
    headNode.put("transactions", block(head).transactions().size());
    out.put("pendingTransactions", chain.pool().size());
    ArrayNode validators = out.putArray("validators");
    // The set that decides the next block, as governance keeps it.
    for (byte[] key : Governance.validators(chain.stateAt(head))) {
      validators.add(Address.of(chain.suite().address(key)).toString());
    }
    out.put("uptimeSeconds", (System.currentTimeMillis() - startedAt) / 1000);
    out.set("network", networkStatus == null ? NODES.nullNode()
        : JSON.valueToTree(networkStatus.get()));
    return out;
  }

  private JsonNode accountHistory(JsonNode p) {
    Params a = new Params("chorus_accountHistory", p).count(1, 2);
    Address address = a.address(0, "address");
    int limit = a.has(1) ? (int) Math.min(Integer.MAX_VALUE,
        a.get(1).isIntegralNumber() ? a.get(1).longValue()
            : Params.quantityLong(a.get(1), "limit")) : 100;
    ArrayNode out = NODES.arrayNode();
    for (ChainStore.AccountTx tx : chain.store().accountHistory(address, limit)) {
      out.addObject().put("blockNumber", quantity(tx.blockNumber()))
          .put("transactionIndex", quantity(tx.index()))
          .put("transactionHash", data(tx.txHash()));
    }
    return out;
  }

  /**
   * The proof that a block is final, as stored with it: on a BFT network its commit certificate
   * (RLP {@code [height, round, blockHash, [[validator, [r, s, v]]...]]}, seals by a quorum of
   * that height's validators over {@code hash(domain ‖ rlp([5, height, round, blockHash]))}, the
   * domain binding it to this chain: see {@code CryptoVerifier}), which anyone
   * holding the validator keys can check offline; null for a dev block, which has none.
   */
  private JsonNode finalityProof(JsonNode p) {
    Params a = new Params("chorus_getFinalityProof", p).count(1, 1);
    Optional<BlockHeader> header = header(a, 0);
    if (header.isEmpty()) {
      return NODES.nullNode();
    }
    long number = header.get().number();
    return chain.store().finalityProof(number).<JsonNode>map(proof -> NODES.objectNode()
        .put("blockNumber", quantity(number))
        .put("blockHash", data(chain.hashOf(header.get())))
        .put("certificate", data(proof))).orElse(NODES.nullNode());
  }
}
