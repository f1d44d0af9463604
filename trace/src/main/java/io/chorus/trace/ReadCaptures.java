package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chorus.codec.Hex;
import io.chorus.crypto.HashFunction;
import io.chorus.trace.epcis.CaptureCall;
import io.chorus.trace.epcis.CapturedEvents;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import io.chorus.trace.epcis.EventHashId;
import io.chorus.tx.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Captures read before their block, so that indexing a block mostly stores what was read while
 * the block was being agreed on: this node's own captures as it read them when their document
 * came in, and every other capture read on a thread of its own as its transaction reaches the
 * pool. Read after the block's commit instead, a sustained load had every member read a
 * second's worth of events at once, and each capture job waited for its member to get through
 * them (docs/performance.md#traceability-capture).
 *
 * <p>A read capture is taken only when the block carries the very batch it was read from,
 * which reads back to what is kept ({@code ReadCapturesTest} holds a capturer's reading and the
 * batch's equal). One not read ahead (sealed, not in the pool, evicted, its queue full) is read
 * by the {@link TraceIndexer} as before, and so is one whose reading failed: the indexer says
 * why.
 */
final class ReadCaptures implements AutoCloseable {
  /**
   * The most events kept: a capture waits here for its block, about a second under load, and a
   * network at its peak takes ~2,500 events a second.
   */
  static final int EVENTS_KEPT = 16_384;
  /** Captures waiting to be read; past this, the indexer reads them. */
  static final int QUEUED_MAX = 64;

  private record Read(byte[] batch, long count, Future<CapturedEvents> events) {}

  private final HashFunction hash;
  private final EpcisReader reader = new EpcisReader(EpcisLimits.defaults());
  private final Cache<String, Read> kept = Caffeine.newBuilder()
      .maximumWeight(EVENTS_KEPT)
      .weigher((String root, Read read) -> (int) Math.min(read.count(), EVENTS_KEPT))
      .expireAfterWrite(Duration.ofSeconds(30))
      .build();
  private final ThreadPoolExecutor reading = new ThreadPoolExecutor(1, 1, 0,
      TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED_MAX), task -> {
        Thread thread = new Thread(task, "trace-read-ahead");
        thread.setDaemon(true);
        return thread;
      });

  ReadCaptures(HashFunction hash) {
    this.hash = hash;
  }

  /** Keeps a capture this node plans to send, its events read as {@link #read} says. */
  void put(CaptureBatch.Planned planned, List<EpcisEvent> events, List<ObjectNode> elements,
      JsonNode masterData) {
    kept.put(Hex.encode(planned.root()), new Read(planned.batch(), planned.count(),
        CompletableFuture.completedFuture(read(planned, events, elements, masterData))));
  }

  /**
   * Reads {@code tx}'s batch on the reading thread when it is a capture sent to the contract
   * that is not sealed and not kept already; called as it reaches the pool.
   */
  void readAhead(Transaction tx) {
    CaptureCall call = TraceIndexer.captureCall(tx);
    if (call == null || call.sealed()) {
      return;
    }
    String key = Hex.encode(call.root());
    if (kept.getIfPresent(key) != null) {
      return;
    }
    FutureTask<CapturedEvents> read = new FutureTask<>(() -> CapturedEvents.read(call.batch(),
        call.count(), call.root(), hash, reader));
    kept.put(key, new Read(call.batch(), call.count(), read));
    try {
      reading.execute(read);
    } catch (RejectedExecutionException full) {
      kept.invalidate(key);
    }
  }

  /**
   * The capture anchored with {@code root}, as read ahead, when its (open) batch is {@code
   * batch}, waiting for its reading if it is under way; else null (also when the waiting
   * thread is interrupted, which stays interrupted). Taken: a block carries a capture once.
   */
  CapturedEvents take(byte[] root, byte[] batch) {
    String key = Hex.encode(root);
    Read read = kept.getIfPresent(key);
    if (read == null || !Arrays.equals(read.batch(), batch)) {
      return null;
    }
    kept.invalidate(key);
    try {
      return read.events().get();
    } catch (ExecutionException | CancellationException failed) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /**
   * What {@link CapturedEvents#read} gives for a planned batch, from what the capturer read:
   * {@code events} and {@code elements} the planned events (read from the document, and as
   * batch elements with its context), {@code masterData} the document's when the batch ends
   * with it, else null.
   */
  static CapturedEvents read(CaptureBatch.Planned planned, List<EpcisEvent> events,
      List<ObjectNode> elements, JsonNode masterData) {
    List<ObjectNode> planElements = elements.subList(planned.first(),
        planned.first() + planned.count());
    List<EpcisEvent> read = new ArrayList<>(planned.count());
    List<byte[]> digests = new ArrayList<>(planned.count());
    for (int i = 0; i < planned.count(); i++) {
      EpcisEvent event = events.get(planned.first() + i);
      read.add(event.inBatch(planElements.get(i)));
      digests.add(EventHashId.digest(event.hashId()));
    }
    boolean carriesMasterData = planned.elementJson().size() == planned.count() + 1;
    return new CapturedEvents(List.copyOf(planElements),
        planned.elementJson().subList(0, planned.count()), List.copyOf(read),
        List.copyOf(digests), carriesMasterData ? masterData : null);
  }

  /** Stops reading: what waits is cancelled, and the indexer reads it if it still comes. */
  @Override
  public void close() {
    reading.shutdownNow().forEach(task -> ((Future<?>) task).cancel(false));
  }
}
