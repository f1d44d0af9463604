package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.ChainJson.NODES;
import static io.chorus.rpc.eth.ChainJson.data;
import static io.chorus.rpc.eth.ChainJson.quantity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.chorus.chain.Blockchain;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.evm.Status;
import io.chorus.evm.Tracer;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Receipt;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.RpcException;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.storage.ChainStore;
import io.chorus.tx.Transaction;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Otterscan's {@code ots_*} methods at Erigon's API level {@value #API_LEVEL}, and the
 * {@code erigon_getHeaderByNumber} it probes with, so that a stock Otterscan works against a
 * Chorus node (docs/json-rpc.md, "Otterscan"). Shapes follow Erigon's; where Chorus differs
 * (a creation transaction's top frame is CREATE, not CALL; address search sees top-level senders
 * and recipients only) the docs say so.
 *
 * <p>Nothing here needs an index beyond the chain's own: address pages come from the account
 * history, and a contract's creator or a sender's nonce from a binary search over the archived
 * state of past blocks (a contract's code and an account's nonce never go back under Cancun's
 * rules), then one block re-executed.
 */
public final class OtterscanApi {
  /** Erigon's Otterscan API level these methods implement. */
  public static final int API_LEVEL = 8;
  /** The most transactions an {@code ots_getBlockTransactions} page holds (Erigon's uint8). */
  public static final int BLOCK_PAGE_MAX = 255;
  /** The most transactions an address search asks for (a page may overrun it by a block). */
  public static final int SEARCH_PAGE_MAX = 100;

  private final Blockchain chain;
  private final EthApi eth;
  private final TxReplay replay;

  public OtterscanApi(Blockchain chain, EthApi eth) {
    this.chain = chain;
    this.eth = eth;
    this.replay = new TxReplay(chain, eth);
  }

  /** Every method by name, for {@link JsonRpc}. */
  public Map<String, JsonRpc.Method> methods() {
    Map<String, JsonRpc.Method> m = new HashMap<>();
    m.put("ots_getApiLevel", p -> {
      new Params("ots_getApiLevel", p).count(0, 0);
      return IntNode.valueOf(API_LEVEL);
    });
    m.put("ots_hasCode", this::hasCode);
    m.put("ots_getInternalOperations", this::internalOperations);
    m.put("ots_getTransactionError", this::transactionError);
    m.put("ots_traceTransaction", this::traceTransaction);
    m.put("ots_getBlockDetails", p -> {
      Params a = new Params("ots_getBlockDetails", p).count(1, 1);
      return header(a, 0, "block number").map(this::blockDetails).orElse(NODES.nullNode());
    });
    m.put("ots_getBlockDetailsByHash", p -> chain.store().headerByHash(
        new Params("ots_getBlockDetailsByHash", p).count(1, 1).hash(0, "block hash"))
        .map(this::blockDetails).orElse(NODES.nullNode()));
    m.put("ots_getBlockTransactions", this::blockTransactions);
    m.put("ots_searchTransactionsBefore", p -> search("ots_searchTransactionsBefore", p, true));
    m.put("ots_searchTransactionsAfter", p -> search("ots_searchTransactionsAfter", p, false));
    m.put("ots_getTransactionBySenderAndNonce", this::transactionBySenderAndNonce);
    m.put("ots_getContractCreator", this::contractCreator);
    m.put("erigon_getHeaderByNumber", p -> {
      Params a = new Params("erigon_getHeaderByNumber", p).count(1, 1);
      return header(a, 0, "block number").map(this::headerJson).orElse(NODES.nullNode());
    });
    AddressAttributes attributes = new AddressAttributes(chain);
    m.put("ots2_getAddressAttributes", attributes::attributes);
    m.put("ots2_getERC1167Impl", attributes::erc1167Logic);
    return m;
  }

  // ---- params ----

  /**
   * The block a param names as Otterscan sends it: a JSON number, or what {@code eth_*} methods
   * take (a tag, a 0x-hex number, an EIP-1898 object).
   */
  private Optional<BlockHeader> header(Params a, int index, String name) {
    JsonNode node = a.required(index, name);
    if (node.isIntegralNumber()) {
      return eth.headerAt(count(a, index, name, 0, Long.MAX_VALUE));
    }
    return eth.header(a, index);
  }

  /** A whole number param, as a JSON number or a 0x-hex quantity, within [min, max]. */
  private static long count(Params a, int index, String name, long min, long max) {
    JsonNode node = a.required(index, name);
    long value;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      value = node.longValue();
    } else if (node.isTextual()) {
      value = Params.quantityLong(node, name);
    } else {
      throw new IllegalArgumentException(name + " must be a whole number or a 0x-hex quantity,"
          + " got " + Params.abbreviate(node.toString()));
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", got "
          + value);
    }
    return value;
  }

  // ---- transactions ----

  private JsonNode hasCode(JsonNode p) {
    Params a = new Params("ots_hasCode", p).count(1, 2);
    Address address = a.address(0, "address");
    BlockHeader header = a.has(1) ? header(a, 1, "block").orElseThrow(() -> new RpcException(
        EthApi.SERVER_ERROR, "header not found: block " + a.get(1) + " is beyond the head "
            + chain.head().number())) : chain.head();
    return NODES.booleanNode(hasCode(chain.stateAt(header), address));
  }

  private boolean hasCode(WorldState state, Address address) {
    AccountInfo account = state.account(address);
    return account != null && !Arrays.equals(account.codeHash(),
        chain.suite().hash(new byte[0]));
  }

  /**
   * The value transfers of the transaction's inner calls, and its inner creations and
   * self-destructs, in the order they happened (Erigon: type 0 transfer, 1 self-destruct,
   * 2 create, 3 create2). The transaction's own frame is not one of them.
   */
  private JsonNode internalOperations(JsonNode p) {
    byte[] hash = new Params("ots_getInternalOperations", p).count(1, 1)
        .hash(0, "transaction hash");
    FrameRecorder recorder = new FrameRecorder();
    replay.replay(hash, recorder);
    ArrayNode out = NODES.arrayNode();
    for (FrameRecorder.Frame frame : recorder.frames()) {
      int type = switch (frame.type) {
        case CALL -> frame.value.signum() == 0 ? -1 : 0;
        case SELFDESTRUCT -> 1;
        case CREATE -> 2;
        case CREATE2 -> 3;
        case CALLCODE, DELEGATECALL, STATICCALL -> -1;
      };
      if (frame.depth > 0 && type >= 0) {
        out.addObject().put("type", type).put("from", frame.from.toString())
            .put("to", frame.to.toString()).put("value", quantity(frame.value));
      }
    }
    return out;
  }

  /** The revert data of a reverted transaction; {@code 0x} for any other. */
  private JsonNode transactionError(JsonNode p) {
    byte[] hash = new Params("ots_getTransactionError", p).count(1, 1)
        .hash(0, "transaction hash");
    ChainStore.TxLocation at = chain.store().transactionLocation(hash).orElseThrow(() ->
        new RpcException(EthApi.SERVER_ERROR, "transaction " + data(hash)
            + " not found (or not mined yet)"));
    Blockchain.CommittedBlock block = eth.loaded(at.blockHash());
    if (block.receipts().get(at.index()).success()) {
      return new TextNode("0x"); // no need to run it again
    }
    TransactionResult result = replay.replay(block, at.index(), null).result();
    return new TextNode(result.status() == Status.REVERT ? data(result.output()) : "0x");
  }

  /**
   * Every frame the transaction opened, depth first, flat with its depth: {@code type},
   * {@code depth}, {@code from}, {@code to}, {@code value} (null for STATICCALL and
   * DELEGATECALL), {@code input} and {@code output}. Calls to precompiles are left out, as
   * Erigon leaves them out.
   */
  private JsonNode traceTransaction(JsonNode p) {
    byte[] hash = new Params("ots_traceTransaction", p).count(1, 1).hash(0, "transaction hash");
    FrameRecorder recorder = new FrameRecorder();
    replay.replay(hash, recorder);
    ArrayNode out = NODES.arrayNode();
    for (FrameRecorder.Frame frame : recorder.frames()) {
      if (frame.toPrecompile()) {
        continue;
      }
      ObjectNode entry = out.addObject().put("type", frame.type.name())
          .put("depth", frame.depth).put("from", frame.from.toString())
          .put("to", frame.to.toString());
      boolean valueless = frame.type == Tracer.CallType.STATICCALL
          || frame.type == Tracer.CallType.DELEGATECALL;
      if (valueless) {
        entry.putNull("value");
      } else {
        entry.put("value", quantity(frame.value));
      }
      entry.put("input", data(frame.input)).put("output", data(frame.output));
    }
    return out;
  }

  /**
   * The hash of the transaction {@code sender} sent with {@code nonce}, or null: the first
   * block after which the sender's nonce passed it (a binary search over past states), then
   * that block's transactions.
   */
  private JsonNode transactionBySenderAndNonce(JsonNode p) {
    Params a = new Params("ots_getTransactionBySenderAndNonce", p).count(2, 2);
    Address sender = a.address(0, "sender");
    long nonce = count(a, 1, "nonce", 0, Long.MAX_VALUE);
    long head = chain.head().number();
    if (nonceAt(0, sender) > nonce || nonceAt(head, sender) <= nonce) {
      return NODES.nullNode(); // set at genesis, or not sent yet
    }
    long below = 0; // the sender's nonce is at most `nonce` after block `below`...
    long above = head; // ...and beyond it after block `above`
    while (above - below > 1) {
      long middle = below + (above - below) / 2;
      if (nonceAt(middle, sender) > nonce) {
        above = middle;
      } else {
        below = middle;
      }
    }
    Blockchain.CommittedBlock block = eth.loaded(eth.headerAt(above).orElseThrow());
    List<Transaction> txs = block.block().transactions();
    for (int i = 0; i < txs.size(); i++) {
      if (txs.get(i).nonce() == nonce && block.senders().get(i).equals(sender)) {
        return new TextNode(data(block.transactionHashes().get(i)));
      }
    }
    return NODES.nullNode(); // a contract's nonce, moved by CREATE, names no transaction
  }

  private long nonceAt(long number, Address address) {
    AccountInfo account = chain.stateAt(eth.headerAt(number).orElseThrow()).account(address);
    return account == null ? 0 : account.nonce();
  }

  /**
   * The transaction that created the contract at the address and the account that created it
   * (its sender, or the contract whose CREATE or CREATE2 did); null when the address has no
   * code or had it at genesis. The block is found by a binary search over past states, then
   * re-executed transaction by transaction until the code appears.
   */
  private JsonNode contractCreator(JsonNode p) {
    Address address = new Params("ots_getContractCreator", p).count(1, 1)
        .address(0, "address");
    long head = chain.head().number();
    if (!hasCode(chain.stateAt(chain.head()), address)
        || hasCode(chain.stateAt(eth.headerAt(0).orElseThrow()), address)) {
      return NODES.nullNode();
    }
    long without = 0;
    long with = head;
    while (with - without > 1) {
      long middle = without + (with - without) / 2;
      if (hasCode(chain.stateAt(eth.headerAt(middle).orElseThrow()), address)) {
        with = middle;
      } else {
        without = middle;
      }
    }
    Blockchain.CommittedBlock block = eth.loaded(eth.headerAt(with).orElseThrow());
    WorldState state = replay.opening(block);
    for (int i = 0; i < block.block().transactions().size(); i++) {
      CreatorWatch watch = new CreatorWatch(address);
      replay.apply(block, i, state, watch);
      if (watch.creator != null && hasCode(state, address)) {
        return NODES.objectNode().put("hash", data(block.transactionHashes().get(i)))
            .put("creator", watch.creator.toString());
      }
    }
    throw new RpcException(JsonRpc.INTERNAL_ERROR, "the code of " + address + " appeared in "
        + "block " + with + " but none of its transactions created it");
  }

  /** Remembers who last created a contract at one address in a transaction, and succeeded. */
  private static final class CreatorWatch implements Tracer {
    private final Address target;
    /** Per open frame, its creator when it creates at the target, else null. */
    private final List<Address> open = new ArrayList<>();
    Address creator;

    CreatorWatch(Address target) {
      this.target = target;
    }

    @Override
    public void enter(int depth, CallType type, Address from, Address to, BigInteger value,
        long gas, byte[] input) {
      boolean creates = (type == CallType.CREATE || type == CallType.CREATE2)
          && to.equals(target);
      open.add(creates ? from : null);
    }

    @Override
    public void exit(int depth, byte[] output, long gasUsed, int status, String error) {
      Address from = open.removeLast();
      if (error == null && from != null) {
        creator = from;
      }
    }
  }

  // ---- blocks ----

  /**
   * The block without its transactions (their count instead) nor its bloom, with Erigon's
   * issuance (none: Chorus mints nothing) and the fees its senders paid, base fee included.
   */
  private JsonNode blockDetails(BlockHeader header) {
    Blockchain.CommittedBlock b = eth.loaded(header);
    ObjectNode block = eth.blockJson(header, false);
    block.remove("transactions");
    block.putNull("logsBloom");
    block.put("transactionCount", b.block().transactions().size());
    BigInteger fees = BigInteger.ZERO;
    long previousGas = 0;
    for (int i = 0; i < b.receipts().size(); i++) {
      Receipt receipt = b.receipts().get(i);
      BigInteger price = header.baseFeePerGas() == null ? b.block().transactions().get(i)
          .maxFeePerGas() : ChainJson.effectiveGasPrice(b.block().transactions().get(i),
              header.baseFeePerGas());
      fees = fees.add(price.multiply(BigInteger.valueOf(receipt.cumulativeGasUsed()
          - previousGas)));
      previousGas = receipt.cumulativeGasUsed();
    }
    ObjectNode out = NODES.objectNode();
    out.set("block", block);
    out.putObject("issuance").put("blockReward", "0x0").put("uncleReward", "0x0")
        .put("issuance", "0x0");
    out.put("totalFees", quantity(fees));
    return out;
  }

  /**
   * Page {@code pageNumber} of the block's transactions, counted from the block's end as
   * Erigon counts (page 0 holds the last {@code pageSize}), with their receipts: inputs cut to
   * their 4-byte selector, receipts without logs or bloom.
   */
  private JsonNode blockTransactions(JsonNode p) {
    Params a = new Params("ots_getBlockTransactions", p).count(3, 3);
    Optional<BlockHeader> header = header(a, 0, "block number");
    int pageNumber = (int) count(a, 1, "page number", 0, Integer.MAX_VALUE);
    int pageSize = (int) count(a, 2, "page size", 1, BLOCK_PAGE_MAX);
    if (header.isEmpty()) {
      return NODES.nullNode();
    }
    Blockchain.CommittedBlock b = eth.loaded(header.get());
    int count = b.block().transactions().size();
    int end = (int) Math.max(0, count - (long) pageNumber * pageSize);
    int start = Math.max(0, end - pageSize);
    ObjectNode block = eth.blockJson(header.get(), false);
    block.putNull("logsBloom");
    block.put("transactionCount", count);
    ArrayNode txs = block.putArray("transactions");
    ArrayNode receipts = NODES.arrayNode();
    for (int i = start; i < end; i++) {
      ObjectNode tx = (ObjectNode) eth.transactionJson(b, i);
      byte[] input = b.block().transactions().get(i).data();
      if (input.length >= 4) {
        tx.put("input", data(Arrays.copyOf(input, 4)));
      }
      txs.add(tx);
      receipts.add(eth.receiptJson(b, i).putNull("logs").putNull("logsBloom"));
    }
    ObjectNode out = NODES.objectNode();
    out.set("fullblock", block);
    out.set("receipts", receipts);
    return out;
  }

  /** The header of {@code eth_getBlockByNumber} without its body's fields, as Erigon shows it. */
  private JsonNode headerJson(BlockHeader header) {
    ObjectNode out = eth.blockJson(header, false);
    out.remove(List.of("transactions", "uncles", "size", "totalDifficulty", "withdrawals"));
    return out;
  }

  // ---- address history ----

  /**
   * A page of the transactions an address sent or received, newest first, beside block
   * {@code blockNumber} (left out; 0 means from the head going back, from genesis going
   * forward), each with its receipt and its block's timestamp. Only top-level senders,
   * recipients and created contracts are indexed: a transaction that reached the address from
   * inside another contract is not found.
   */
  private JsonNode search(String method, JsonNode p, boolean backwards) {
    Params a = new Params(method, p).count(3, 3);
    Address address = a.address(0, "address");
    long blockNumber = count(a, 1, "block number", 0, Long.MAX_VALUE);
    int pageSize = (int) count(a, 2, "page size", 1, SEARCH_PAGE_MAX);
    ChainStore.AccountPage page = chain.store().accountHistoryPage(address,
        blockNumber == 0 ? -1 : blockNumber, backwards, pageSize);
    List<ChainStore.AccountTx> found = page.transactions();
    ArrayNode txs = NODES.arrayNode();
    ArrayNode receipts = NODES.arrayNode();
    Blockchain.CommittedBlock b = null;
    for (int i = 0; i < found.size(); i++) {
      // Results go newest first whichever way the search went.
      ChainStore.AccountTx tx = found.get(backwards ? i : found.size() - 1 - i);
      if (b == null || b.block().header().number() != tx.blockNumber()) {
        b = eth.loaded(eth.headerAt(tx.blockNumber()).orElseThrow());
      }
      txs.add(eth.transactionJson(b, tx.index()));
      receipts.add(eth.receiptJson(b, tx.index())
          .put("timestamp", b.block().header().timestamp()));
    }
    ObjectNode out = NODES.objectNode();
    out.set("txs", txs);
    out.set("receipts", receipts);
    out.put("firstPage", backwards ? blockNumber == 0 : !page.more());
    out.put("lastPage", backwards ? !page.more() : blockNumber == 0);
    return out;
  }
}
