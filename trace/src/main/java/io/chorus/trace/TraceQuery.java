package io.chorus.trace;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A query of the event store: the EPCIS 2.0 query parameters it supports, values already in
 * their index form (canonical identifiers, vocabulary as Web URIs).
 *
 * @param equals for each indexed field ({@link TraceStore#FIELDS}), the values one of which an
 *     event must have; every field listed must match
 * @param eventIds EQ_eventID: empty for any
 * @param eventTimeFrom GE_eventTime, or null
 * @param eventTimeTo LT_eventTime, or null
 * @param recordTimeFrom GE_recordTime, or null
 * @param recordTimeTo LT_recordTime, or null
 * @param orderByEventTime order by eventTime rather than recordTime (chain order)
 * @param descending newest first
 * @param countLimit eventCountLimit: at most this many events in all pages
 * @param offset events skipped (the page token's position)
 * @param perPage events in this page
 */
public record TraceQuery(Map<String, List<String>> equals, List<String> eventIds,
    Instant eventTimeFrom, Instant eventTimeTo, Instant recordTimeFrom, Instant recordTimeTo,
    boolean orderByEventTime, boolean descending, int countLimit, int offset, int perPage) {
  public TraceQuery {
    equals = Map.copyOf(equals);
    eventIds = List.copyOf(eventIds);
  }

  /**
   * One page of answers.
   *
   * @param withheld events of sealed captures the reader may not see, whether or not they
   *     would match ({@link TraceStore#withheld})
   */
  public record Page(List<StoredEvent> events, boolean more, long withheld) {}
}
