package io.chorus.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.abi.ContractAbi;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import io.chorus.ledger.BlockHeader;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.rest.OpenApiParts;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.state.WorldState;
import io.chorus.state.system.SystemContracts;
import io.chorus.storage.ChainStore;
import io.chorus.storage.LogEntry;
import io.chorus.storage.LogFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * A service record's history from the node alone: the record whole after each block, in a
 * block range, in which it changed, oldest first, with the events of that block that name it.
 * {@code chorus_getRecordHistory(kind, id, fromBlock, toBlock[, limit])} and each service's
 * {@code GET …/{id}/history} are both answered by {@link #page}.
 *
 * <p>Nothing is stored for it: a record is a handful of its system contract's storage slots
 * ({@link Kind#slots}), the state history index lists the blocks in which each slot changed
 * (one seek per slot, as {@code chorus_getStorageHistory} does), and each entry is read from
 * that block's archived state by the service's own reader, the one its GET uses, so an entry is
 * what the GET answered at that block.
 */
public final class RecordHistory {
  /** The most entries a page lists: each costs one archived read of the record. */
  public static final int LIMIT_MAX = 100;
  public static final int LIMIT_DEFAULT = 20;
  static final String METHOD = "chorus_getRecordHistory";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** The system contracts' ABIs, to name the events an entry lists. */
  private static final Map<Address, ContractAbi> SYSTEM_ABIS = systemAbis();

  /** One kind of record a service keeps in a system contract. */
  public interface Kind {
    /** The kind's name in requests: {@code receivable}, {@code notary}… */
    String name();

    /** What an id of this kind is, for errors: {@code "a piece id, a whole number from 1"}. */
    String idForm();

    /** The system contract that holds the records. */
    Address contract();

    /**
     * The slots the record is made of in {@code state} (a later block's: a record's slots only
     * grow), or empty when there is no such record there.
     *
     * @throws IllegalArgumentException when {@code id} is not of this kind's form
     */
    List<Word> slots(StateReader state, String id);

    /**
     * The record as its GET answers it at {@code block}, read from {@code state}, that block's
     * state; null when there is none.
     */
    ObjectNode read(WorldState state, BlockHeader block, String id);

    /**
     * Whether a decoded event of the contract names the record: the names of the event
     * arguments that hold a record's id, and the id as the decoder writes it (a decimal string,
     * 0x-hex of a bytes32).
     */
    Set<String> idArguments();

    String idValue(String id);
  }

  /** A service with records that have a history: the node serves each kind over JSON-RPC. */
  @FunctionalInterface
  public interface Provider {
    List<Kind> recordKinds();
  }

  /** The record named does not exist at the range's end: REST's 404. */
  public static final class NoRecord extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NoRecord(String message) {
      super(message);
    }
  }

  private final Blockchain chain;
  private final Map<String, Kind> kinds = new LinkedHashMap<>();

  public RecordHistory(Blockchain chain, List<Kind> kinds) {
    this.chain = chain;
    for (Kind kind : kinds) {
      if (this.kinds.put(kind.name(), kind) != null) {
        throw new IllegalArgumentException("two record kinds are named " + kind.name());
      }
    }
  }

  /** {@code chorus_getRecordHistory}, over every kind given. */
  public Map<String, JsonRpc.Method> methods() {
    return Map.of(METHOD, this::rpc);
  }

  private JsonNode rpc(JsonNode params) {
    if (params == null || !params.isArray() || params.size() < 4 || params.size() > 5) {
      throw new IllegalArgumentException(METHOD + " takes (kind, id, fromBlock, toBlock"
          + "[, limit]), got " + (params == null || !params.isArray() ? "no array"
              : params.size() + " params"));
    }
    String kindName = params.get(0).asText();
    Kind kind = kinds.get(kindName);
    if (kind == null || !params.get(0).isTextual()) {
      throw new IllegalArgumentException(METHOD + ": param 1 (kind) must be one of "
          + String.join(", ", kinds.keySet()) + ", not " + params.get(0));
    }
    JsonNode id = params.get(1);
    if (!id.isTextual() && !id.isIntegralNumber()) {
      throw new IllegalArgumentException(METHOD + ": param 2 (id) must be " + kind.idForm()
          + ", as a string, not " + id);
    }
    long head = chain.head().number();
    long from = block(params.get(2), "fromBlock", head);
    long to = block(params.get(3), "toBlock", head);
    long limit = params.size() == 5 ? number(params.get(4), "limit") : LIMIT_DEFAULT;
    return page(kind, id.asText(), from, to, limit);
  }

  /**
   * {@code GET …/{id}/history?fromBlock=&toBlock=&limit=} for one kind: blocks as in
   * JSON-RPC (numbers, 0x-hex, {@code earliest}, {@code latest}), from genesis to the head by
   * default; 400 for a bad parameter, 404 for a record that does not exist at {@code toBlock}.
   */
  public RestResponse rest(Kind kind, String id, RestRequest request) {
    long head = chain.head().number();
    try {
      long from = block(query(request, "fromBlock", "earliest"), "fromBlock", head);
      long to = block(query(request, "toBlock", "latest"), "toBlock", head);
      Optional<String> limit = request.query("limit");
      return RestResponse.ok(page(kind, id, from, to, limit.isEmpty() ? LIMIT_DEFAULT
          : number(NODES.textNode(limit.get()), "limit")));
    } catch (NoRecord e) {
      throw Problem.notFound(e.getMessage());
    } catch (Param e) {
      throw Problem.invalidField(e.name, e.getMessage());
    }
  }

  private static JsonNode query(RestRequest request, String name, String absent) {
    return NODES.textNode(request.query(name).orElse(absent));
  }

  /** A bad parameter, named for REST's field error. */
  private static final class Param extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String name;

    Param(String name, String message) {
      super(message);
      this.name = name;
    }
  }

  /**
   * One page of record {@code id}'s history over blocks {@code from} to {@code to} (clamped
   * to the head).
   *
   * @throws NoRecord when there is no such record at {@code to}
   * @throws IllegalArgumentException for a malformed id, a range above the head or reversed, a
   *     limit outside 1 to {@link #LIMIT_MAX}: each message says what to fix
   */
  public ObjectNode page(Kind kind, String id, long from, long to, long limit) {
    long head = chain.head().number();
    if (from > head) {
      throw new Param("fromBlock", "fromBlock " + from + " is beyond the head " + head);
    }
    long end = Math.min(to, head);
    if (from > end) {
      throw new Param("fromBlock", "fromBlock " + from + " is above toBlock " + end);
    }
    if (limit < 1 || limit > LIMIT_MAX) {
      throw new Param("limit", "limit must be 1 to " + LIMIT_MAX + ", got " + limit
          + "; page with nextFromBlock for more");
    }
    List<Word> slots;
    try {
      slots = kind.slots(chain.stateAt(header(end)), id);
    } catch (IllegalArgumentException e) {
      throw new Param("id", "id must be " + kind.idForm() + ": " + e.getMessage());
    }
    if (slots.isEmpty()) {
      throw new NoRecord("no " + kind.name() + " record " + id + " at block " + end
          + (end == head ? " (the head)" : "") + "; check the id, or ask up to a later block");
    }
    // Each slot's changes, merged: a block that changed several is one entry. A slot's page
    // stops at its own next change, so the merged page stops at the first of those too.
    NavigableSet<Long> blocks = new TreeSet<>();
    long next = Long.MAX_VALUE;
    ChainStore store = chain.store();
    for (Word slot : slots) {
      ChainStore.ChangePage changes = store.slotChanges(kind.contract(), slot, from, end,
          (int) limit);
      blocks.addAll(changes.blocks());
      if (changes.next() != -1) {
        next = Math.min(next, changes.next());
      }
    }
    if (blocks.size() > limit) {
      next = Math.min(next, blocks.stream().skip(limit).findFirst().orElseThrow());
    }
    ObjectNode out = NODES.objectNode().put("kind", kind.name()).put("id", id)
        .put("fromBlock", from).put("toBlock", end);
    OptionalLong indexedFrom = store.stateHistoryFrom();
    // Changes before the first indexed block are not listed: the caller is told where it starts.
    if (indexedFrom.isPresent()) {
      out.put("indexedFrom", indexedFrom.getAsLong());
    } else {
      out.putNull("indexedFrom");
    }
    ArrayNode entries = out.putArray("entries");
    for (long number : blocks.headSet(next, false)) {
      entries.add(entry(kind, id, header(number)));
    }
    if (next == Long.MAX_VALUE) {
      out.putNull("nextFromBlock");
    } else {
      out.put("nextFromBlock", next);
    }
    return out;
  }

  private ObjectNode entry(Kind kind, String id, BlockHeader block) {
    ObjectNode record = kind.read(chain.stateAt(block), block, id);
    if (record == null) {
      throw new IllegalStateException("the state history index names block " + block.number()
          + " for " + kind.name() + " " + id + ", which its state does not hold");
    }
    ObjectNode entry = NODES.objectNode().put("blockNumber", block.number())
        .put("blockHash", Hex.encode0x(block.hash(chain.suite().hashFunction())))
        .put("timestamp", block.timestamp());
    entry.set("record", record);
    ArrayNode events = entry.putArray("events");
    ContractAbi abi = SYSTEM_ABIS.get(kind.contract());
    String idValue = kind.idValue(id);
    LogFilter filter = new LogFilter(block.number(), block.number(), Set.of(kind.contract()),
        List.of());
    for (LogEntry found : chain.store().logs(filter)) {
      Log log = found.log();
      byte[][] topics = log.topics().stream().map(Word::toBytes).toArray(byte[][]::new);
      Optional<ContractAbi.Decoded> decoded = abi == null ? Optional.empty()
          : abi.event(topics, log.data());
      if (decoded.isEmpty() || !names(decoded.get(), kind.idArguments(), idValue)) {
        continue;
      }
      events.addObject().put("transactionHash", Hex.encode0x(found.transactionHash()))
          .put("transactionIndex", found.transactionIndex()).put("logIndex", found.logIndex())
          .put("event", decoded.get().name()).put("signature", decoded.get().signature())
          .set("arguments", decoded.get().arguments());
    }
    return entry;
  }

  private static boolean names(ContractAbi.Decoded event, Set<String> idArguments,
      String idValue) {
    for (JsonNode argument : event.arguments()) {
      if (idArguments.contains(argument.path("name").asText())
          && argument.path("value").asText().equalsIgnoreCase(idValue)) {
        return true;
      }
    }
    return false;
  }

  private BlockHeader header(long number) {
    return chain.store().canonicalHash(number).flatMap(chain.store()::headerByHash)
        .orElseThrow(() -> new IllegalStateException("the chain has no block " + number
            + " below its head"));
  }

  /** A block: a number, a 0x-hex quantity, {@code earliest} or {@code latest}. */
  private static long block(JsonNode node, String name, long head) {
    return switch (node.asText()) {
      case "earliest" -> 0;
      case "latest", "safe", "finalized" -> head;
      default -> number(node, name);
    };
  }

  private static long number(JsonNode node, String name) {
    if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
      return node.longValue();
    }
    String text = node.asText();
    if (node.isTextual() && text.matches("0x[0-9a-fA-F]{1,15}|[0-9]{1,18}")) {
      return text.startsWith("0x") ? Long.parseLong(text.substring(2), 16)
          : Long.parseLong(text);
    }
    throw new Param(name, name + " must be " + (name.equals("limit") ? "a whole number"
        : "a block number (decimal or 0x-hex), earliest or latest") + ", not " + node);
  }

  private static Map<Address, ContractAbi> systemAbis() {
    Map<Address, ContractAbi> abis = new HashMap<>();
    for (SystemContracts.Described contract : SystemContracts.described()) {
      abis.put(contract.address(), ContractAbi.ofJson(contract.abiJson()));
    }
    return abis;
  }

  /**
   * The OpenAPI operation of a history route: {@code GET path} with the paging parameters and
   * the page's shape, each entry's {@code record} of the service's schema {@code recordSchema}
   * (null: any object, described in words elsewhere).
   */
  public static ObjectNode openApi(ObjectNode paths, String path, String operationId,
      String what, String recordSchema) {
    ObjectNode operation = OpenApiParts.operation(paths, path, "get", operationId,
        "The history of " + what + ": the record after each block that changed it",
        "Oldest first, each entry the record as its GET answered at that block, with the"
            + " block's events that name it; from the node's state history index and archived"
            + " state. fromBlock and toBlock: numbers, 0x-hex, earliest or latest (default:"
            + " genesis to the head); limit 1 to " + LIMIT_MAX + " (default " + LIMIT_DEFAULT
            + "); pass nextFromBlock as fromBlock for the next page. 404 when there is no"
            + " such record at toBlock.");
    ArrayNode parameters = operation.putArray("parameters");
    for (String name : List.of("fromBlock", "toBlock", "limit")) {
      parameters.addObject().put("name", name).put("in", "query").put("required", false)
          .putObject("schema").put("type", "string");
    }
    ObjectNode page = NODES.objectNode().put("type", "object");
    page.putArray("required").add("kind").add("id").add("fromBlock").add("toBlock")
        .add("indexedFrom").add("entries").add("nextFromBlock");
    ObjectNode fields = page.putObject("properties");
    fields.putObject("kind").put("type", "string");
    fields.putObject("id").put("type", "string");
    fields.putObject("fromBlock").put("type", "integer");
    fields.putObject("toBlock").put("type", "integer");
    fields.putObject("indexedFrom").putArray("type").add("integer").add("null");
    fields.putObject("nextFromBlock").putArray("type").add("integer").add("null");
    ObjectNode entry = fields.putObject("entries").put("type", "array").putObject("items")
        .put("type", "object");
    ObjectNode entryFields = entry.putObject("properties");
    entryFields.putObject("blockNumber").put("type", "integer");
    entryFields.putObject("blockHash").put("type", "string");
    entryFields.putObject("timestamp").put("type", "integer");
    if (recordSchema == null) {
      entryFields.putObject("record").put("type", "object");
    } else {
      entryFields.putObject("record").put("$ref", OpenApiParts.SCHEMAS + recordSchema);
    }
    ObjectNode event = entryFields.putObject("events").put("type", "array")
        .putObject("items").put("type", "object").putObject("properties");
    event.putObject("transactionHash").put("type", "string");
    event.putObject("transactionIndex").put("type", "integer");
    event.putObject("logIndex").put("type", "integer");
    event.putObject("event").put("type", "string");
    event.putObject("signature").put("type", "string");
    event.putObject("arguments").put("type", "array");
    ObjectNode responses = operation.putObject("responses");
    responses.putObject("200").put("description", "One page of the history")
        .putObject("content").putObject("application/json").set("schema", page);
    OpenApiParts.problem(responses, "400");
    OpenApiParts.problem(responses, "404");
    return operation;
  }

  /** The kinds of the services given that have records with a history. */
  public static List<Kind> kindsOf(List<?> services) {
    List<Kind> kinds = new ArrayList<>();
    for (Object service : services) {
      if (service instanceof Provider provider) {
        kinds.addAll(provider.recordKinds());
      }
    }
    return kinds;
  }
}
