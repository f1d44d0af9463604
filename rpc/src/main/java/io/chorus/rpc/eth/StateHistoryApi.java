package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.ChainJson.data;
import static io.chorus.rpc.eth.ChainJson.quantity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.Blockchain;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.ledger.BlockHeader;
import io.chorus.rpc.JsonRpc;
import io.chorus.state.WorldState;
import io.chorus.storage.ChainStore;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiConsumer;

/**
 * The history of one account or storage slot: the value after each block, in a block range, in
 * which it changed. The store's state history index says which blocks; each value is read from
 * the archived state of its block. {@code chorus_getAccountStateHistory(address, fromBlock,
 * toBlock, [limit])} gives nonce, balance and code hash; {@code
 * chorus_getStorageHistory(address, slot, fromBlock, toBlock, [limit])} a slot's value. A page
 * lists at most {@code limit} changes (default {@value #LIMIT_DEFAULT}, at most {@link
 * ChainStore#STATE_HISTORY_PAGE_MAX}) and
 * gives {@code nextFromBlock}, the {@code fromBlock} of the next page, while the range holds
 * more.
 */
public final class StateHistoryApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final int LIMIT_DEFAULT = 100;

  private final Blockchain chain;

  public StateHistoryApi(Blockchain chain) {
    this.chain = chain;
  }

  public Map<String, JsonRpc.Method> methods() {
    return Map.of("chorus_getAccountStateHistory", this::accountHistory,
        "chorus_getStorageHistory", this::storageHistory);
  }

  private JsonNode accountHistory(JsonNode p) {
    String method = "chorus_getAccountStateHistory";
    Params a = new Params(method, p).count(3, 4);
    Address address = a.address(0, "address");
    Range range = range(method, a, 1);
    ChainStore.ChangePage page = chain.store().accountChanges(address, range.from(), range.to(),
        range.limit());
    ObjectNode out = NODES.objectNode().put("address", address.toString());
    return answer(out, range, page, (change, state) -> {
      AccountInfo account = state.account(address);
      change.put("exists", account != null);
      change.put("nonce", quantity(account == null ? 0 : account.nonce()));
      change.put("balance", account == null ? "0x0" : quantity(account.balance()));
      change.put("codeHash", account == null ? null : data(account.codeHash()));
    });
  }

  private JsonNode storageHistory(JsonNode p) {
    String method = "chorus_getStorageHistory";
    Params a = new Params(method, p).count(4, 5);
    Address address = a.address(0, "address");
    // As eth_getStorageAt reads it: a quantity, so 0x0 and a full 32-byte word both work.
    Word slot = Word.fromBigInteger(Params.quantity(a.required(1, "slot"),
        method + ": param 2 (slot)"));
    Range range = range(method, a, 2);
    ChainStore.ChangePage page = chain.store().slotChanges(address, slot, range.from(),
        range.to(), range.limit());
    ObjectNode out = NODES.objectNode().put("address", address.toString())
        .put("slot", data(slot.toBytes()));
    return answer(out, range, page,
        (change, state) -> change.put("value", data(state.storage(address, slot).toBytes())));
  }

  /** A request's block range, the head clamping its end, and page size. */
  private record Range(long from, long to, int limit) {}

  private Range range(String method, Params a, int at) {
    long head = chain.head().number();
    long from = block(a, at, "fromBlock", head);
    long to = Math.min(block(a, at + 1, "toBlock", head), head);
    if (from > head) {
      throw new IllegalArgumentException(method + ": fromBlock " + from + " is beyond the head "
          + head);
    }
    if (from > to) {
      throw new IllegalArgumentException(method + ": fromBlock " + from + " is above toBlock "
          + to);
    }
    long limit = a.has(at + 2) ? number(a.get(at + 2), "limit") : LIMIT_DEFAULT;
    if (limit < 1 || limit > ChainStore.STATE_HISTORY_PAGE_MAX) {
      throw new IllegalArgumentException(method + ": limit must be 1 to "
          + ChainStore.STATE_HISTORY_PAGE_MAX + ", got " + limit
          + "; page with nextFromBlock for more");
    }
    return new Range(from, to, (int) limit);
  }

  /** A block param: a number, a 0x-hex quantity, {@code earliest} or {@code latest}. */
  private static long block(Params a, int index, String name, long head) {
    JsonNode node = a.required(index, name);
    return switch (node.asText()) {
      case "earliest" -> 0;
      case "latest", "safe", "finalized" -> head;
      default -> number(node, name);
    };
  }

  private static long number(JsonNode node, String name) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    return Params.quantityLong(node, name);
  }

  private ObjectNode answer(ObjectNode out, Range range, ChainStore.ChangePage page,
      BiConsumer<ObjectNode, WorldState> value) {
    OptionalLong indexedFrom = chain.store().stateHistoryFrom();
    out.put("fromBlock", quantity(range.from())).put("toBlock", quantity(range.to()));
    // Changes before the first indexed block are not listed: the caller is told where it starts.
    out.put("indexedFrom", indexedFrom.isPresent() ? quantity(indexedFrom.getAsLong()) : null);
    ArrayNode changes = out.putArray("changes");
    for (long number : page.blocks()) {
      BlockHeader header = chain.store().canonicalHash(number)
          .flatMap(chain.store()::headerByHash).orElseThrow(() -> new IllegalStateException(
              "the state history index names block " + number + ", which the store lacks"));
      ObjectNode change = changes.addObject().put("blockNumber", quantity(number));
      value.accept(change, chain.stateAt(header));
    }
    out.put("nextFromBlock", page.next() == -1 ? null : quantity(page.next()));
    return out;
  }
}
