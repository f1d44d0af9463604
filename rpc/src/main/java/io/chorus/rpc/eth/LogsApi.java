package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.ChainJson.NODES;
import static io.chorus.rpc.eth.ChainJson.data;
import static io.chorus.rpc.eth.ChainJson.quantity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.chorus.chain.Blockchain;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Receipt;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.RpcException;
import io.chorus.storage.LogEntry;
import io.chorus.storage.LogFilter;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Logs and change notifications: {@code eth_getLogs}, the polling filters
 * ({@code eth_newFilter}, {@code eth_newBlockFilter}, {@code eth_newPendingTransactionFilter},
 * {@code eth_getFilterChanges}, {@code eth_getFilterLogs}, {@code eth_uninstallFilter}) and the
 * WebSocket subscriptions ({@code eth_subscribe} to newHeads, logs and
 * newPendingTransactions; {@code eth_unsubscribe}). Both follow the chain as a listener.
 */
public final class LogsApi implements Blockchain.Listener {
  /** The most polling filters installed at once; the oldest idle ones go first. */
  public static final int FILTERS_MAX = 1_000;
  /** Changes a filter keeps between polls; beyond that it is removed, with a clear error. */
  public static final int FILTER_CHANGES_MAX = 10_000;
  /** The most subscriptions one WebSocket session may hold. */
  public static final int SUBSCRIPTIONS_PER_SESSION_MAX = 1_000;
  /** A filter nobody polls for this long is removed, as in Geth. */
  static final long FILTER_IDLE_NANOS = TimeUnit.MINUTES.toNanos(5);

  private enum Kind { LOGS, BLOCKS, PENDING }

  /** A polling filter: what it watches and what happened since the last poll. */
  private static final class Filter {
    final Kind kind;
    final JsonNode criteria;
    final LogFilter matcher;
    final ArrayDeque<JsonNode> changes = new ArrayDeque<>();
    long lastPoll = System.nanoTime();
    boolean overflowed;

    Filter(Kind kind, JsonNode criteria, LogFilter matcher) {
      this.kind = kind;
      this.criteria = criteria;
      this.matcher = matcher;
    }
  }

  /** One eth_subscribe: its session, what it watches, and its log filter when it has one. */
  private record Subscription(String id, JsonRpc.Session session, Kind kind, LogFilter logs) {}

  private final Blockchain chain;
  private final SecureRandom ids = new SecureRandom();
  private final Map<String, Filter> filters = new ConcurrentHashMap<>();
  private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
  private final Map<Long, Set<String>> bySession = new ConcurrentHashMap<>();

  public LogsApi(Blockchain chain) {
    this.chain = chain;
    chain.addListener(this);
  }

  public Map<String, JsonRpc.Method> methods() {
    return Map.of(
        "eth_getLogs", p -> logs(criteria("eth_getLogs", p)),
        "eth_newFilter", p -> install(Kind.LOGS, criteria("eth_newFilter", p)),
        "eth_newBlockFilter", p -> install(Kind.BLOCKS, null),
        "eth_newPendingTransactionFilter", p -> install(Kind.PENDING, null),
        "eth_getFilterChanges", this::filterChanges,
        "eth_getFilterLogs", this::filterLogs,
        "eth_uninstallFilter", p -> NODES.booleanNode(filters.remove(
            new Params("eth_uninstallFilter", p).count(1, 1).text(0, "filter id")) != null));
  }

  public Map<String, JsonRpc.SessionMethod> sessionMethods() {
    return Map.of("eth_subscribe", this::subscribe, "eth_unsubscribe", this::unsubscribe);
  }

  // ---- eth_getLogs ----

  private static JsonNode criteria(String method, JsonNode p) {
    Params a = new Params(method, p).count(1, 1);
    JsonNode criteria = a.required(0, "filter");
    if (!criteria.isObject()) {
      throw new IllegalArgumentException(method + " takes a filter object {fromBlock, toBlock, "
          + "address, topics} or {blockHash, address, topics}");
    }
    return criteria;
  }

  private ArrayNode logs(JsonNode criteria) {
    LogFilter filter = filter(criteria);
    List<LogEntry> entries;
    try {
      entries = chain.store().logs(filter);
    } catch (IllegalArgumentException e) {
      throw new RpcException(EthApi.SERVER_ERROR, e.getMessage());
    }
    ArrayNode out = NODES.arrayNode();
    for (LogEntry e : entries) {
      out.add(ChainJson.log(e.log(), new ChainJson.Inclusion(e.blockHash(), e.blockNumber(),
          e.transactionIndex(), null), e.transactionHash(), e.logIndex()));
    }
    return out;
  }

  /** A filter object as a {@link LogFilter}; block tags resolve against the current head. */
  private LogFilter filter(JsonNode criteria) {
    long head = chain.head().number();
    long from;
    long to;
    JsonNode blockHash = criteria.get("blockHash");
    if (blockHash != null && !blockHash.isNull()) {
      if (criteria.hasNonNull("fromBlock") || criteria.hasNonNull("toBlock")) {
        throw new IllegalArgumentException("a filter takes blockHash or fromBlock/toBlock, not "
            + "both");
      }
      byte[] hash = Params.bytes(blockHash.asText(), "blockHash");
      BlockHeader header = chain.store().headerByHash(hash).orElseThrow(() ->
          new RpcException(EthApi.SERVER_ERROR, "unknown block " + blockHash.asText()));
      from = to = header.number();
    } else {
      from = blockNumber(criteria.get("fromBlock"), head, "fromBlock");
      to = blockNumber(criteria.get("toBlock"), head, "toBlock");
    }
    LogFilter matcher = matcher(criteria);
    return new LogFilter(from, Math.min(to, Math.max(from, head)), matcher.addresses(),
        matcher.topics());
  }

  /** The address and topic conditions of a filter object (its block range left at 0). */
  private static LogFilter matcher(JsonNode criteria) {
    Set<Address> addresses = new HashSet<>();
    JsonNode address = criteria.get("address");
    if (address != null && address.isArray()) {
      address.forEach(a -> addresses.add(Params.address(a.asText(), "address")));
    } else if (address != null && !address.isNull()) {
      addresses.add(Params.address(address.asText(), "address"));
    }
    List<Set<Word>> topics = new ArrayList<>();
    JsonNode topicList = criteria.get("topics");
    if (topicList != null && !topicList.isNull()) {
      if (!topicList.isArray()) {
        throw new IllegalArgumentException("topics must be an array of topic, [topics] or null");
      }
      for (JsonNode position : topicList) {
        Set<Word> alternatives = new HashSet<>();
        if (position.isArray()) {
          position.forEach(t -> alternatives.add(topic(t)));
        } else if (!position.isNull()) {
          alternatives.add(topic(position));
        }
        topics.add(alternatives);
      }
    }
    return new LogFilter(0, 0, addresses, topics);
  }

  private static Word topic(JsonNode node) {
    byte[] bytes = Params.bytes(node.asText(), "topic");
    if (bytes.length != 32) {
      throw new IllegalArgumentException("a topic is 32 bytes, got " + bytes.length + ": "
          + Params.abbreviate(node.asText()));
    }
    return Word.fromBytes(bytes);
  }

  private static long blockNumber(JsonNode tag, long head, String field) {
    if (tag == null || tag.isNull()) {
      return head;
    }
    return switch (tag.asText()) {
      case "latest", "pending", "safe", "finalized" -> head;
      case "earliest" -> 0;
      default -> Params.quantityLong(tag, field);
    };
  }

  // ---- polling filters ----

  private JsonNode install(Kind kind, JsonNode criteria) {
    expireIdle();
    if (filters.size() >= FILTERS_MAX) {
      throw new RpcException(EthApi.SERVER_ERROR, "too many filters installed (" + FILTERS_MAX
          + "); uninstall some with eth_uninstallFilter");
    }
    String id = newId();
    // A bad filter fails at installation, not at its first poll.
    filters.put(id, new Filter(kind, criteria, criteria == null ? null : matcher(criteria)));
    return new TextNode(id);
  }

  private Filter filterById(String method, JsonNode p) {
    String id = new Params(method, p).count(1, 1).text(0, "filter id");
    Filter filter = filters.get(id);
    if (filter == null) {
      throw new RpcException(EthApi.SERVER_ERROR, "filter not found: " + id
          + " (never installed, uninstalled, or idle for over 5 minutes)");
    }
    return filter;
  }

  private JsonNode filterChanges(JsonNode p) {
    Filter filter = filterById("eth_getFilterChanges", p);
    ArrayNode out = NODES.arrayNode();
    synchronized (filter) {
      filter.lastPoll = System.nanoTime();
      if (filter.overflowed) {
        filters.values().remove(filter);
        throw new RpcException(EthApi.SERVER_ERROR, "filter removed: more than "
            + FILTER_CHANGES_MAX + " changes piled up between polls; poll more often or use "
            + "eth_getLogs over a block range");
      }
      out.addAll(filter.changes);
      filter.changes.clear();
    }
    return out;
  }

  private JsonNode filterLogs(JsonNode p) {
    Filter filter = filterById("eth_getFilterLogs", p);
    if (filter.kind != Kind.LOGS) {
      throw new IllegalArgumentException("eth_getFilterLogs takes a log filter's id");
    }
    synchronized (filter) {
      filter.lastPoll = System.nanoTime();
    }
    return logs(filter.criteria);
  }

  private void expireIdle() {
    long now = System.nanoTime();
    filters.values().removeIf(f -> idle(f, now));
  }

  private static boolean idle(Filter f, long now) {
    synchronized (f) {
      return now - f.lastPoll > FILTER_IDLE_NANOS;
    }
  }

  private String newId() {
    byte[] id = new byte[16];
    ids.nextBytes(id);
    return data(id);
  }

  // ---- subscriptions ----

  private JsonNode subscribe(JsonNode p, JsonRpc.Session session) {
    Params a = new Params("eth_subscribe", p).count(1, 2);
    String name = a.text(0, "subscription kind");
    Kind kind;
    LogFilter logs = null;
    switch (name) {
      case "newHeads" -> kind = Kind.BLOCKS;
      case "newPendingTransactions" -> kind = Kind.PENDING;
      case "logs" -> {
        kind = Kind.LOGS;
        JsonNode criteria = a.has(1) ? a.get(1) : NODES.objectNode();
        if (criteria.hasNonNull("fromBlock") || criteria.hasNonNull("toBlock")
            || criteria.hasNonNull("blockHash")) {
          throw new IllegalArgumentException("a logs subscription follows new blocks: give only "
              + "address and topics");
        }
        logs = matcher(criteria);
      }
      default -> throw new IllegalArgumentException("eth_subscribe supports newHeads, logs and "
          + "newPendingTransactions, not '" + Params.abbreviate(name) + "'");
    }
    Set<String> mine = bySession.computeIfAbsent(session.id(), s -> {
      session.onClose(() -> dropSession(s));
      return ConcurrentHashMap.newKeySet();
    });
    if (mine.size() >= SUBSCRIPTIONS_PER_SESSION_MAX) {
      throw new RpcException(EthApi.SERVER_ERROR, "this connection holds "
          + SUBSCRIPTIONS_PER_SESSION_MAX + " subscriptions, the most allowed");
    }
    String id = newId();
    subscriptions.put(id, new Subscription(id, session, kind, logs));
    mine.add(id);
    return new TextNode(id);
  }

  private JsonNode unsubscribe(JsonNode p, JsonRpc.Session session) {
    String id = new Params("eth_unsubscribe", p).count(1, 1).text(0, "subscription id");
    Subscription s = subscriptions.get(id);
    if (s == null || s.session().id() != session.id()) {
      return NODES.booleanNode(false);
    }
    subscriptions.remove(id);
    Set<String> mine = bySession.get(session.id());
    if (mine != null) {
      mine.remove(id);
    }
    return NODES.booleanNode(true);
  }

  private void dropSession(long session) {
    Set<String> mine = bySession.remove(session);
    if (mine != null) {
      mine.forEach(subscriptions::remove);
    }
  }

  private static void notify(Subscription s, JsonNode result) {
    ObjectNode message = NODES.objectNode().put("jsonrpc", "2.0")
        .put("method", "eth_subscription");
    message.putObject("params").put("subscription", s.id()).set("result", result);
    s.session().send(message.toString());
  }

  // ---- following the chain ----

  @Override
  public void onBlock(Blockchain.CommittedBlock block) {
    BlockHeader header = block.block().header();
    ObjectNode head = null;
    BlockLogs logs = null; // gathered for the first subscriber or filter of logs
    for (Subscription s : subscriptions.values()) {
      if (s.kind() == Kind.BLOCKS) {
        if (head == null) {
          head = ChainJson.block(block.block(), block.hash(), false,
              block.transactionHashes(), block.senders());
          head.remove("transactions");
          head.remove("uncles");
        }
        notify(s, head);
      } else if (s.kind() == Kind.LOGS) {
        logs = logs != null ? logs : new BlockLogs(block);
        for (int i = 0; i < logs.size(); i++) {
          if (s.logs().matches(logs.raw(i))) {
            notify(s, logs.json(i));
          }
        }
      }
    }
    long now = System.nanoTime();
    for (Filter f : filters.values()) {
      if (idle(f, now)) {
        filters.values().remove(f);
      } else if (f.kind == Kind.BLOCKS) {
        add(f, new TextNode(data(block.hash())));
      } else if (f.kind == Kind.LOGS && inRange(f.criteria, header.number())) {
        logs = logs != null ? logs : new BlockLogs(block);
        for (int i = 0; i < logs.size(); i++) {
          if (f.matcher.matches(logs.raw(i))) {
            add(f, logs.json(i));
          }
        }
      }
    }
  }

  /**
   * A committed block's logs in order, gathered only when someone watches logs and each rendered
   * as JSON only when a subscriber or filter takes it: most blocks are watched by nobody.
   */
  private static final class BlockLogs {
    private final Blockchain.CommittedBlock block;
    private final List<Log> raw = new ArrayList<>();
    private final List<Integer> transactionIndex = new ArrayList<>();
    private final JsonNode[] json;

    BlockLogs(Blockchain.CommittedBlock block) {
      this.block = block;
      for (int i = 0; i < block.receipts().size(); i++) {
        for (Log log : block.receipts().get(i).logs()) {
          raw.add(log);
          transactionIndex.add(i);
        }
      }
      this.json = new JsonNode[raw.size()];
    }

    int size() {
      return raw.size();
    }

    Log raw(int logIndex) {
      return raw.get(logIndex);
    }

    JsonNode json(int logIndex) {
      if (json[logIndex] == null) {
        int tx = transactionIndex.get(logIndex);
        ChainJson.Inclusion at = new ChainJson.Inclusion(block.hash(),
            block.block().header().number(), tx, null);
        json[logIndex] = ChainJson.log(raw.get(logIndex), at,
            block.transactionHashes().get(tx), logIndex);
      }
      return json[logIndex];
    }
  }

  /** Whether a new block falls in a filter's range; tags such as latest have no bound. */
  private static boolean inRange(JsonNode criteria, long number) {
    if (criteria.hasNonNull("blockHash")) {
      return false;
    }
    JsonNode from = criteria.get("fromBlock");
    JsonNode to = criteria.get("toBlock");
    return (!isNumber(from) || number >= Params.quantityLong(from, "fromBlock"))
        && (!isNumber(to) || number <= Params.quantityLong(to, "toBlock"));
  }

  private static boolean isNumber(JsonNode tag) {
    return tag != null && tag.isTextual() && tag.asText().startsWith("0x");
  }

  @Override
  public void onPending(TxPool.Pooled tx) {
    TextNode hash = null;
    for (Subscription s : subscriptions.values()) {
      if (s.kind() == Kind.PENDING) {
        hash = hash == null ? new TextNode(data(tx.hash())) : hash;
        notify(s, hash);
      }
    }
    for (Filter f : filters.values()) {
      if (f.kind == Kind.PENDING) {
        add(f, new TextNode(data(tx.hash())));
      }
    }
  }

  private static void add(Filter filter, JsonNode change) {
    synchronized (filter) {
      if (filter.changes.size() >= FILTER_CHANGES_MAX) {
        filter.overflowed = true;
        filter.changes.clear();
        return;
      }
      if (!filter.overflowed) {
        filter.changes.add(change);
      }
    }
  }

  /** Subscriptions open now (for metrics and tests). */
  public int subscriptionCount() {
    return subscriptions.size();
  }
}
