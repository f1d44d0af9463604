package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.evm.Address;
import io.chorus.rpc.rest.Caller;
import io.chorus.storage.OrderedStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The named queries and webhook subscriptions of a node, with each subscription's progress
 * (its acknowledged cursor first), in a RocksDB of their own beside the event store: they are
 * the node's own state, not the chain's, so they survive a rebuild of the event store, whose
 * event positions are the same after it (events are numbered in chain order).
 *
 * <p>Keys: {@code q}+name a query, {@code s}+subscriptionID a subscription with its progress,
 * both JSON. The progress is written after each acknowledged delivery, before the next one.
 */
final class SubscriptionStore implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A named query: the parameters as {@code POST /epcis/queries} received them. */
  record NamedQuery(String name, ObjectNode query, Address owner, Instant createdAt) {}

  /**
   * A webhook subscription to a named query, running for the caller that made it.
   *
   * @param signatureToken the key its deliveries are signed with, or null for none
   * @param initialRecordTime where its first deliveries started, or null for "from creation"
   * @param schedule when it is run, or null for a stream (each new event as it is indexed)
   */
  record Subscription(String id, String queryName, URI dest, String signatureToken,
      boolean reportIfEmpty, Instant initialRecordTime, Instant createdAt, Caller caller,
      QuerySchedule schedule) {}

  /**
   * Where a subscription's deliveries stand.
   *
   * @param cursor the position of the last event acknowledged (-1 before the first event)
   * @param delivered events acknowledged in all
   * @param attempts failed attempts of the delivery now due (0 after an acknowledgement)
   * @param lastError why the last attempt failed, or null
   * @param lastAttemptAt the last attempt's time, or null
   * @param lastNotifiedAt the last acknowledged delivery's time, or null
   * @param nextAttemptAt when a failed delivery is retried, or null
   */
  record Progress(long cursor, long delivered, int attempts, String lastError,
      Instant lastAttemptAt, Instant lastNotifiedAt, Instant nextAttemptAt) {
    static Progress from(long cursor) {
      return new Progress(cursor, 0, 0, null, null, null, null);
    }
  }

  private final OrderedStore store;

  SubscriptionStore(Path directory) {
    this.store = new OrderedStore(directory);
  }

  synchronized Optional<NamedQuery> query(String name) {
    return store.get(key('q', name)).map(bytes -> {
      JsonNode node = read(bytes);
      return new NamedQuery(node.path("name").asText(), (ObjectNode) node.path("query"),
          Address.parse(node.path("owner").asText()),
          Instant.parse(node.path("createdAt").asText()));
    });
  }

  synchronized List<NamedQuery> queries() {
    List<NamedQuery> out = new ArrayList<>();
    byte[] prefix = {'q'};
    for (OrderedStore.Entry entry : store.scan(prefix, prefix, Integer.MAX_VALUE)) {
      query(new String(entry.key(), 1, entry.key().length - 1, StandardCharsets.UTF_8))
          .ifPresent(out::add);
    }
    return out;
  }

  synchronized void putQuery(NamedQuery query) {
    ObjectNode node = JSON.createObjectNode().put("name", query.name())
        .put("owner", query.owner().toString()).put("createdAt", query.createdAt().toString());
    node.set("query", query.query());
    store.write(Map.of(key('q', query.name()), write(node)));
  }

  synchronized void deleteQuery(String name) {
    Map<byte[], byte[]> delete = new HashMap<>();
    delete.put(key('q', name), null);
    store.write(delete);
  }

  /** Every subscription with its progress, by ID order. */
  synchronized Map<Subscription, Progress> subscriptions() {
    Map<Subscription, Progress> out = new LinkedHashMap<>();
    byte[] prefix = {'s'};
    for (OrderedStore.Entry entry : store.scan(prefix, prefix, Integer.MAX_VALUE)) {
      JsonNode node = read(entry.value());
      JsonNode caller = node.path("caller");
      Set<String> roles = new HashSet<>();
      caller.path("roles").forEach(r -> roles.add(r.asText()));
      Subscription subscription = new Subscription(node.path("id").asText(),
          node.path("queryName").asText(), URI.create(node.path("dest").asText()),
          text(node, "signatureToken"), node.path("reportIfEmpty").asBoolean(),
          time(node, "initialRecordTime"), Instant.parse(node.path("createdAt").asText()),
          new Caller(Address.parse(caller.path("account").asText()), roles,
              caller.path("credential").asText()),
          node.hasNonNull("schedule") ? QuerySchedule.parse(node.get("schedule"), "/schedule")
              : null);
      JsonNode p = node.path("progress");
      out.put(subscription, new Progress(p.path("cursor").asLong(), p.path("delivered")
          .asLong(), p.path("attempts").asInt(), text(p, "lastError"), time(p, "lastAttemptAt"),
          time(p, "lastNotifiedAt"), time(p, "nextAttemptAt")));
    }
    return out;
  }

  /** Writes a subscription with its progress, all at once. */
  synchronized void put(Subscription subscription, Progress progress) {
    ObjectNode node = JSON.createObjectNode().put("id", subscription.id())
        .put("queryName", subscription.queryName()).put("dest", subscription.dest().toString())
        .put("signatureToken", subscription.signatureToken())
        .put("reportIfEmpty", subscription.reportIfEmpty())
        .put("initialRecordTime", string(subscription.initialRecordTime()))
        .put("createdAt", subscription.createdAt().toString());
    ObjectNode caller = node.putObject("caller")
        .put("account", subscription.caller().account().toString())
        .put("credential", subscription.caller().credential());
    subscription.caller().roles().stream().sorted().forEach(caller.putArray("roles")::add);
    if (subscription.schedule() != null) {
      node.set("schedule", subscription.schedule().json());
    }
    node.putObject("progress").put("cursor", progress.cursor())
        .put("delivered", progress.delivered()).put("attempts", progress.attempts())
        .put("lastError", progress.lastError())
        .put("lastAttemptAt", string(progress.lastAttemptAt()))
        .put("lastNotifiedAt", string(progress.lastNotifiedAt()))
        .put("nextAttemptAt", string(progress.nextAttemptAt()));
    store.write(Map.of(key('s', subscription.id()), write(node)));
  }

  synchronized void delete(String subscriptionId) {
    Map<byte[], byte[]> delete = new HashMap<>();
    delete.put(key('s', subscriptionId), null);
    store.write(delete);
  }

  private static String string(Instant time) {
    return time == null ? null : time.toString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static Instant time(JsonNode node, String field) {
    String text = text(node, field);
    return text == null ? null : Instant.parse(text);
  }

  private static byte[] key(char table, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    byte[] key = new byte[bytes.length + 1];
    key[0] = (byte) table;
    System.arraycopy(bytes, 0, key, 1, bytes.length);
    return key;
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("a corrupt record in the subscription store", e);
    }
  }

  @Override
  public synchronized void close() {
    store.close();
  }
}
