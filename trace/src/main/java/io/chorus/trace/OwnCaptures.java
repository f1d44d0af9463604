package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chorus.codec.Hex;
import io.chorus.trace.epcis.CapturedEvents;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EventHashId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The captures this node sent, as it read them, until its indexer meets them in a block. A
 * capturing node reads each event and works out its hash ID when the document comes in; reading
 * its own batch again from the block was a quarter of each member's indexing when every member
 * captures its share. Every other node reads the batch from the block, as {@link TraceIndexer}
 * describes. A capture is taken only when the block carries the very batch this node encoded,
 * whose reading gives back what is kept here ({@code OwnCapturesTest} holds the two equal); one
 * evicted, expired or sent before a restart is read from its batch as any other.
 */
final class OwnCaptures {
  /**
   * The most events kept: a capture waits here for one block, a few seconds, and a member
   * takes in ~500 events a second at the network's peak.
   */
  static final int EVENTS_KEPT = 8_192;

  private record Kept(byte[] batch, CapturedEvents read) {}

  private final Cache<String, Kept> kept = Caffeine.newBuilder()
      .maximumWeight(EVENTS_KEPT)
      .weigher((String root, Kept capture) -> capture.read().events().size())
      .expireAfterWrite(Duration.ofMinutes(1))
      .build();

  /** Keeps a planned capture, its events read as {@link #read} says. */
  void put(CaptureBatch.Planned planned, List<EpcisEvent> events, List<ObjectNode> elements,
      JsonNode masterData) {
    kept.put(Hex.encode(planned.root()), new Kept(planned.batch(),
        read(planned, events, elements, masterData)));
  }

  /**
   * The capture anchored with {@code root}, as this node read it when it was sent, when its
   * (open) batch is {@code batch}; else null. Taken: a block carries a capture once.
   */
  CapturedEvents take(byte[] root, byte[] batch) {
    String key = Hex.encode(root);
    Kept capture = kept.getIfPresent(key);
    if (capture == null || !Arrays.equals(capture.batch(), batch)) {
      return null;
    }
    kept.invalidate(key);
    return capture.read();
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
}
