package io.chorus.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.rpc.rest.Caller;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every read of events that named queries, webhook subscriptions and WebSocket streams make,
 * each with the caller it is made for (a subscription's is the caller that made it): the one
 * place where what a caller may see is decided for them, and the EPCISQueryDocument they are
 * answered in, each event with its position in the store.
 *
 * <p>A position ({@link StoredEvent#seq}) numbers the store's events in chain order, the same
 * on every node and after a rebuild of the store; a cursor is the position of the last event a
 * receiver acknowledged, -1 before the first.
 */
final class SubscribedEvents {
  /** The field of an answered event that holds its position. */
  static final String POSITION = "chorus:position";
  /** The field of a delivery's queryResults that holds its cursor. */
  static final String CURSOR = "chorus:cursor";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TraceStore store;
  private final Clock clock;
  private final Function<Optional<Caller>, Viewer> viewers;

  /** @param viewers who a caller reads as (the service's rule for every read) */
  SubscribedEvents(TraceStore store, Clock clock, Function<Optional<Caller>, Viewer> viewers) {
    this.store = store;
    this.clock = clock;
    this.viewers = viewers;
  }

  /** One page of a named query's events that {@code caller} may read (anonymous when empty). */
  TraceQuery.Page readablePage(Optional<Caller> caller, TraceQuery query) {
    return store.query(query, viewers.apply(caller));
  }

  /**
   * The events matching {@code query} after position {@code afterCursor}, in chain order, at
   * most {@code max}, that {@code caller} may read: what a subscription or stream delivers
   * next.
   */
  List<StoredEvent> readableEvents(Caller caller, TraceQuery query, long afterCursor, int max) {
    return store.after(query, viewers.apply(Optional.of(caller)), afterCursor, max);
  }

  /** The cursor of "from now on": the position of the last event stored. */
  long head() {
    return store.lastSeq();
  }

  /** The cursor just before the first event recorded at or after {@code recordTime}. */
  long cursorBefore(Instant recordTime) {
    return store.seqBefore(recordTime);
  }

  /**
   * The EPCISQueryDocument of a query's events: each as {@code GET /epcis/events} answers it,
   * with its position; a delivery names its subscription (null for a stream or a GET) and its
   * cursor (null for a GET).
   */
  ObjectNode document(String queryName, String subscriptionId, List<StoredEvent> events,
      Long cursor) {
    ObjectNode document = JSON.createObjectNode();
    document.putArray("@context").add(EpcisService.CONTEXT).addObject()
        .put("chorus", EpcisService.NAMESPACE);
    document.put("type", "EPCISQueryDocument").put("schemaVersion", "2.0")
        .put("creationDate", clock.instant().toString());
    ObjectNode results = document.putObject("epcisBody").putObject("queryResults")
        .put("queryName", queryName);
    if (subscriptionId != null) {
      results.put("subscriptionID", subscriptionId);
    }
    if (cursor != null) {
      results.put(CURSOR, cursor.longValue());
    }
    ArrayNode list = results.putObject("resultsBody").putArray("eventList");
    for (StoredEvent event : events) {
      list.add(EpcisService.answered(event).put(POSITION, event.seq()));
    }
    return document;
  }
}
