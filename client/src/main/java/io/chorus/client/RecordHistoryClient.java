package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A service record's history from a node's {@code chorus_getRecordHistory}: the record as its
 * service's GET answered at each block that changed it, oldest first, with the events of that
 * block that name it. Kinds: {@value #RECEIVABLE} (a piece id), {@value #NOTARY} (a record id),
 * {@value #SHARING_REQUEST} and {@value #SHARING_DATASET} (numbers). Each kind's record is
 * that service's JSON (see its client's types); the page around it is typed here.
 */
public final class RecordHistoryClient {
  public static final String RECEIVABLE = "receivable";
  public static final String NOTARY = "notary";
  public static final String SHARING_REQUEST = "sharing-request";
  public static final String SHARING_DATASET = "sharing-dataset";
  /** The most entries the node lists in one page. */
  public static final int LIMIT_MAX = 100;

  /** An event of the entry's block that names the record, decoded by the system ABI. */
  public record Event(String transactionHash, int transactionIndex, int logIndex, String name,
      String signature, JsonNode arguments) {}

  /** The record after block {@code blockNumber}, and that block's events that name it. */
  public record Entry(long blockNumber, String blockHash, long timestamp, JsonNode record,
      List<Event> events) {}

  /**
   * One page: entries in blocks {@code fromBlock} to {@code toBlock}, and the {@code
   * fromBlock} of the next page while the range holds more.
   *
   * @param indexedFrom the first block the node's state history index holds (empty: none)
   */
  public record Page(String kind, String id, long fromBlock, long toBlock,
      OptionalLong indexedFrom, List<Entry> entries, OptionalLong nextFromBlock) {}

  private final JsonRpcClient rpc;

  public RecordHistoryClient(JsonRpcClient rpc) {
    this.rpc = rpc;
  }

  /**
   * One page of the history of record {@code id} of {@code kind}.
   *
   * @param toBlock the range's last block; empty for the head
   * @throws RpcException -32602 with what to fix: an unknown kind, a record that does not
   *     exist at {@code toBlock}, a reversed range, a limit outside 1 to {@value #LIMIT_MAX}
   */
  public Page page(String kind, String id, long fromBlock, OptionalLong toBlock, int limit) {
    JsonNode page = rpc.call("chorus_getRecordHistory", kind, id, fromBlock,
        toBlock.isPresent() ? (Object) toBlock.getAsLong() : "latest", limit);
    List<Entry> entries = new ArrayList<>();
    for (JsonNode entry : page.path("entries")) {
      List<Event> events = new ArrayList<>();
      for (JsonNode event : entry.path("events")) {
        events.add(new Event(event.path("transactionHash").asText(),
            event.path("transactionIndex").asInt(), event.path("logIndex").asInt(),
            event.path("event").asText(), event.path("signature").asText(),
            event.path("arguments")));
      }
      entries.add(new Entry(entry.path("blockNumber").asLong(),
          entry.path("blockHash").asText(), entry.path("timestamp").asLong(),
          entry.path("record"), List.copyOf(events)));
    }
    return new Page(page.path("kind").asText(), page.path("id").asText(),
        page.path("fromBlock").asLong(), page.path("toBlock").asLong(),
        optional(page.path("indexedFrom")), List.copyOf(entries),
        optional(page.path("nextFromBlock")));
  }

  /** Every entry from {@code fromBlock} to the head as the first page saw it, page by page. */
  public List<Entry> all(String kind, String id, long fromBlock) {
    List<Entry> all = new ArrayList<>();
    Page page = page(kind, id, fromBlock, OptionalLong.empty(), LIMIT_MAX);
    all.addAll(page.entries());
    // The same toBlock on every page: blocks made meanwhile are for the next call.
    OptionalLong to = OptionalLong.of(page.toBlock());
    while (page.nextFromBlock().isPresent()) {
      page = page(kind, id, page.nextFromBlock().getAsLong(), to, LIMIT_MAX);
      all.addAll(page.entries());
    }
    return all;
  }

  private static OptionalLong optional(JsonNode number) {
    return number.isNumber() ? OptionalLong.of(number.asLong()) : OptionalLong.empty();
  }
}
