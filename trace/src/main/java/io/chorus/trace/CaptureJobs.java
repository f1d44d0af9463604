package io.chorus.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.service.TransactionSubmitter;
import io.chorus.storage.OrderedStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The capture jobs a node answers {@code GET /epcis/capture/{id}} with: the transactions a
 * document became and the events refused. A job's state is read from the chain when asked
 * (running until each of its transactions is in a block), so no thread watches it. Kept in a
 * RocksDB of their own beside the event store, the newest {@link #JOBS_MAX}, so a job accepted
 * before a restart is still answered after it: a job is a receipt for the caller, while what it
 * captured stays on the chain and in the event store.
 */
final class CaptureJobs implements AutoCloseable {
  /** The jobs remembered; the oldest is forgotten first. */
  static final int JOBS_MAX = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  // 'j' + 8-byte sequence -> the job; 'i' + its id -> that sequence.
  private static final byte[] JOB = {'j'};
  private static final byte[] ID = {'i'};

  /** One transaction of a job: its events, {@code first} to {@code first + count - 1}. */
  record Sent(TransactionSubmitter.Submitted tx, int first, int count) {}

  /**
   * A job: what was sent, what was refused and how the caller asked errors to be handled;
   * {@code visibleTo} the organisations its events are sealed for (empty: everyone's).
   */
  record Job(String id, Instant createdAt, String behaviour, List<Sent> sent,
      List<ObjectNode> errors, List<String> visibleTo) {}

  private final OrderedStore store;
  private long next; // the sequence of the next job

  CaptureJobs(Path directory) {
    this.store = new OrderedStore(directory);
    try (OrderedStore.Cursor newest = store.cursor(JOB)) {
      next = newest.seekForPrev(key(Long.MAX_VALUE)) ? sequence(newest.key()) + 1 : 0;
    }
  }

  synchronized Job add(Instant now, String behaviour, List<Sent> sent, List<ObjectNode> errors,
      List<String> visibleTo) {
    Job job = new Job(UUID.randomUUID().toString(), now, behaviour, List.copyOf(sent),
        List.copyOf(errors), List.copyOf(visibleTo));
    long seq = next++;
    Map<byte[], byte[]> writes = new LinkedHashMap<>();
    writes.put(key(seq), write(job));
    writes.put(idKey(job.id()), longBytes(seq));
    store.get(key(seq - JOBS_MAX)).ifPresent(oldest -> {
      writes.put(key(seq - JOBS_MAX), null);
      writes.put(idKey(read(oldest).id()), null);
    });
    store.write(writes);
    return job;
  }

  synchronized Optional<Job> get(String id) {
    return store.get(idKey(id)).flatMap(seq -> store.get(concat(JOB, seq)))
        .map(CaptureJobs::read);
  }

  synchronized List<Job> newest(int limit) {
    List<Job> out = new ArrayList<>();
    try (OrderedStore.Cursor cursor = store.cursor(JOB)) {
      for (boolean on = cursor.seekForPrev(key(Long.MAX_VALUE)); on && out.size() < limit;
          on = cursor.prev()) {
        out.add(read(cursor.value()));
      }
    }
    return out;
  }

  @Override
  public void close() {
    store.close();
  }

  private static byte[] write(Job job) {
    ObjectNode out = JSON.createObjectNode().put("id", job.id())
        .put("createdAt", job.createdAt().toString()).put("behaviour", job.behaviour());
    ArrayNode sent = out.putArray("sent");
    for (Sent s : job.sent()) {
      sent.addObject().put("tx", Hex.encode0x(s.tx().hash()))
          .put("sender", Hex.encode0x(s.tx().sender().toArray())).put("nonce", s.tx().nonce())
          .put("first", s.first()).put("count", s.count());
    }
    job.errors().forEach(out.putArray("errors")::add);
    job.visibleTo().forEach(out.putArray("visibleTo")::add);
    try {
      return JSON.writeValueAsBytes(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a capture job", e);
    }
  }

  private static Job read(byte[] bytes) {
    JsonNode in;
    try {
      in = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("a stored capture job is not JSON: " + e.getMessage(), e);
    }
    List<Sent> sent = new ArrayList<>();
    for (JsonNode s : in.path("sent")) {
      sent.add(new Sent(new TransactionSubmitter.Submitted(Hex.decode(s.path("tx").asText()),
          Address.parse(s.path("sender").asText()), s.path("nonce").asLong()),
          s.path("first").asInt(), s.path("count").asInt()));
    }
    List<ObjectNode> errors = new ArrayList<>();
    in.path("errors").forEach(e -> errors.add((ObjectNode) e));
    List<String> visibleTo = new ArrayList<>();
    in.path("visibleTo").forEach(o -> visibleTo.add(o.asText()));
    return new Job(in.path("id").asText(), Instant.parse(in.path("createdAt").asText()),
        in.path("behaviour").asText(), sent, errors, visibleTo);
  }

  private static byte[] key(long seq) {
    return concat(JOB, longBytes(seq));
  }

  private static long sequence(byte[] key) {
    return ByteBuffer.wrap(key, JOB.length, 8).getLong();
  }

  private static byte[] idKey(String id) {
    return concat(ID, id.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] longBytes(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * The job as the EPCIS capture interface describes it ({@code captureID}, {@code running},
   * {@code success}, {@code errors}), with each transaction's block once it is in one and this
   * node's event store holds that block ({@code indexedHeight} is the last it holds).
   */
  static ObjectNode json(Job job, TransactionSubmitter submitter, long indexedHeight) {
    ObjectNode out = JsonNodeFactory.instance.objectNode().put("captureID", job.id())
        .put("createdAt", job.createdAt().toString())
        .put("captureErrorBehaviour", job.behaviour());
    ArrayNode transactions = out.putArray("transactions");
    boolean running = false;
    boolean failed = false;
    for (Sent sent : job.sent()) {
      ObjectNode tx = transactions.addObject().put("txHash", sent.tx().hashHex())
          .put("firstEvent", sent.first()).put("events", sent.count());
      Optional<TransactionSubmitter.Included> included = submitter.committed(sent.tx().hash());
      // In a block but not yet in this node's event store: a query would not find the events
      // yet, so the job is still running (the indexer follows the chain on its own thread).
      if (included.isEmpty() || included.get().blockNumber() > indexedHeight) {
        running = true;
        tx.put("status", "pending");
      } else {
        tx.put("status", included.get().success() ? "anchored" : "reverted")
            .put("blockNumber", included.get().blockNumber())
            .put("blockHash", Hex.encode0x(included.get().blockHash()));
        failed |= !included.get().success();
      }
    }
    out.put("running", running);
    out.put("success", !running && !failed && job.errors().isEmpty());
    out.put("status", running ? "running" : !failed && job.errors().isEmpty() ? "success"
        : "failure");
    ArrayNode errors = out.putArray("errors");
    job.errors().forEach(errors::add);
    return out;
  }
}
