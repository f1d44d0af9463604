package io.chorus.trace;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A query of the event store: the EPCIS 2.0 query parameters it supports, values already in
 * their index form (canonical identifiers, vocabulary as Web URIs).
 *
 * @param equals for each indexed field ({@link TraceStore#FIELDS}), the values one of which an
 *     event must have; every field listed must match
 * @param patterns for each indexed field, patterns of values (EPC patterns, a location with its
 *     sub-locations); a field listed here and in {@code equals} matches either
 * @param eventIds EQ_eventID: empty for any
 * @param eventTimeFrom GE_eventTime, or null
 * @param eventTimeTo LT_eventTime, or null
 * @param recordTimeFrom GE_recordTime, or null
 * @param recordTimeTo LT_recordTime, or null
 * @param quantity the quantity filters ({@code EQ_quantity}, {@code GT_quantity}, ...), or null
 * @param orderByEventTime order by eventTime rather than recordTime (chain order)
 * @param descending newest first
 * @param countLimit eventCountLimit: at most this many events in all pages
 * @param after where the previous page ended (its token), or null for the first page
 * @param perPage events in this page
 * @param within for {@code readPoint} and {@code bizLocation} (WD_readPoint, WD_bizLocation),
 *     locations whose events match together with those of every sub-location: the store
 *     turns each into {@code patterns} by its master data ({@link TraceStore#query})
 */
public record TraceQuery(Map<String, List<String>> equals,
    Map<String, List<ValuePattern>> patterns, List<String> eventIds, Instant eventTimeFrom,
    Instant eventTimeTo, Instant recordTimeFrom, Instant recordTimeTo, QuantityRange quantity,
    boolean orderByEventTime, boolean descending, int countLimit, Position after,
    int perPage, Map<String, List<String>> within) {
  public TraceQuery {
    equals = Map.copyOf(equals);
    patterns = Map.copyOf(patterns);
    eventIds = List.copyOf(eventIds);
    within = Map.copyOf(within);
  }

  /** A query without locations to take with their sub-locations. */
  public TraceQuery(Map<String, List<String>> equals, Map<String, List<ValuePattern>> patterns,
      List<String> eventIds, Instant eventTimeFrom, Instant eventTimeTo, Instant recordTimeFrom,
      Instant recordTimeTo, QuantityRange quantity, boolean orderByEventTime, boolean descending,
      int countLimit, Position after, int perPage) {
    this(equals, patterns, eventIds, eventTimeFrom, eventTimeTo, recordTimeFrom, recordTimeTo,
        quantity, orderByEventTime, descending, countLimit, after, perPage, Map.of());
  }

  /** This query with {@code within} turned into {@code patterns}. */
  TraceQuery withPatterns(Map<String, List<ValuePattern>> patterns) {
    return new TraceQuery(equals, patterns, eventIds, eventTimeFrom, eventTimeTo, recordTimeFrom,
        recordTimeTo, quantity, orderByEventTime, descending, countLimit, after, perPage);
  }

  /** The events with one of {@code equals}' values in each field, in chain order. */
  public static TraceQuery matching(Map<String, List<String>> equals) {
    return new TraceQuery(equals, Map.of(), List.of(), null, null, null, null, null, false,
        false, Integer.MAX_VALUE, null, EpcisService.PER_PAGE_MAX);
  }

  /**
   * Values of a field that start with one of {@code prefixes} and, when {@code shape} is
   * given, match it whole: an EPC pattern ({@code urn:epc:idpat:sgtin:4012345.*.*}) or a
   * location's sub-locations, as prefixes of canonical Digital Link URIs.
   */
  public record ValuePattern(List<String> prefixes, Pattern shape) {
    public ValuePattern {
      prefixes = List.copyOf(prefixes);
    }

    public boolean matches(String value) {
      return prefixes.stream().anyMatch(value::startsWith)
          && (shape == null || shape.matcher(value).matches());
    }
  }

  /**
   * EQ_/GT_/GE_/LT_/LE_quantity: an event matches when one of its quantity elements (in any
   * quantity list) has a quantity that meets every bound given; each bound is null when absent.
   */
  public record QuantityRange(BigDecimal eq, BigDecimal gt, BigDecimal ge, BigDecimal lt,
      BigDecimal le) {
    public boolean matches(BigDecimal quantity) {
      return (eq == null || quantity.compareTo(eq) == 0)
          && (gt == null || quantity.compareTo(gt) > 0)
          && (ge == null || quantity.compareTo(ge) >= 0)
          && (lt == null || quantity.compareTo(lt) < 0)
          && (le == null || quantity.compareTo(le) <= 0);
    }
  }

  /**
   * Where a page ended, for the next: the position of its last event (in eventTime order also
   * that event's time in milliseconds) and the events answered so far (for eventCountLimit).
   * The next page starts after it, so events stored meanwhile never shift a page.
   */
  public record Position(long seq, long eventTimeMs, long answered) {}

  /**
   * One page of answers.
   *
   * @param next where the next page starts, or null when this is the last
   * @param withheld events of sealed captures the reader may not see, whether or not they
   *     would match ({@link TraceStore#withheld})
   */
  public record Page(List<StoredEvent> events, Position next, long withheld) {
    public boolean more() {
      return next != null;
    }
  }
}
