package io.chorus.trace;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.storage.OrderedStore;
import io.chorus.trace.TraceQuery.Position;
import io.chorus.trace.TraceQuery.ValuePattern;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the {@link TraceStore} answers a query: its cost follows the page, not the store.
 *
 * <p>Each filter is a walk of positions (seq, chain order) in one direction that can skip
 * ahead ({@link Postings#seek}): one value's index entries ({@code x}+field+value, already in
 * seq order) read through a RocksDB cursor, the union of a field's values, or a sorted array
 * (event IDs, a narrow event-time range, an EPC pattern covering many values). The filters are
 * intersected by leapfrogging: each seeks to the highest position any other gave, until all
 * agree. Record-time bounds become position bounds (record time rises with position). Each
 * agreed position is then checked alone by point lookups: its event time ({@code n}), its
 * quantities (its record) and whether the reader may see it ({@code v}). The walk stops once
 * the page and one more event are found.
 *
 * <p>Ordered by eventTime, up to {@link Limits#sortMax} matches are collected and sorted; beyond,
 * the event-time index ({@code t}) is walked from the page's position and each event is tested
 * against the filters: in a bitmap of the matches' positions made by one walk of the filters
 * when they are at most {@link Limits#bitmapMax}, else by point lookups. The cost is then the
 * matches (for the bitmap) and the events passed over: perPage divided by the share of the
 * events near that time that match.
 */
final class QueryEngine {
  private static final long NONE = -1;
  private static final ObjectMapper DECIMALS = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final List<String> QUANTITY_LISTS = List.of("quantityList",
      "childQuantityList", "inputQuantityList", "outputQuantityList");

  /**
   * Where the engine changes plans; smaller in tests, so that small stores take every path.
   *
   * @param sortMax matches at most sorted by eventTime; with more, the event-time index is
   *     walked instead
   * @param timeRangeMax an event-time range that is the only filter becomes a sorted array of
   *     at most this many positions; a wider one is checked event by event
   * @param patternValuesWalked values of a pattern walked side by side; a pattern covering more
   *     is read into a sorted array
   * @param bitmapMax beyond {@code sortMax}, matches at most marked in a bitmap by position
   *     (one walk of the filters) so that the event-time walk tests them in memory; with more,
   *     it tests each event by point lookups
   */
  record Limits(int sortMax, int timeRangeMax, int patternValuesWalked, int bitmapMax) {
    static final Limits DEFAULTS = new Limits(4_000, 10_000, 32, 500_000);
  }

  private final OrderedStore store;
  private final Limits limits;

  QueryEngine(OrderedStore store, Limits limits) {
    this.store = store;
    this.limits = limits;
  }

  /** The matches of one page: their positions, and where the next page starts (or null). */
  record Found(List<Long> seqs, Position next) {}

  /**
   * The positions of {@code query}'s page for {@code viewer} among positions 0 to {@code
   * lastSeq}, in the query's order.
   */
  Found page(TraceQuery query, Viewer viewer, long lastSeq) {
    long answered = query.after() == null ? 0 : query.after().answered();
    long want = Math.min(query.perPage(), query.countLimit() - answered);
    if (want <= 0) {
      return new Found(List.of(), null);
    }
    try (Plan plan = new Plan(query, viewer, lastSeq, query.descending()
        && !query.orderByEventTime())) {
      List<long[]> found = query.orderByEventTime()
          ? plan.byEventTime(query.after(), (int) want + 1)
          : plan.inChainOrder(query.after() == null ? NONE : query.after().seq(),
              (int) want + 1);
      List<Long> seqs = new ArrayList<>();
      for (int i = 0; i < Math.min(want, found.size()); i++) {
        seqs.add(found.get(i)[0]);
      }
      Position next = null;
      if (found.size() > want && answered + want < query.countLimit()) {
        long[] last = found.get((int) want - 1);
        next = new Position(last[0], last[1], answered + want);
      }
      return new Found(seqs, next);
    }
  }

  /** The matches after position {@code afterSeq}, in chain order, at most {@code max}. */
  List<Long> after(TraceQuery query, Viewer viewer, long lastSeq, long afterSeq, int max) {
    try (Plan plan = new Plan(query, viewer, lastSeq, false)) {
      return plan.inChainOrder(afterSeq, max).stream().map(f -> f[0]).toList();
    }
  }

  // ---- one query's walk ----------------------------------------------------------------------

  private final class Plan implements AutoCloseable {
    private final TraceQuery query;
    private final Viewer viewer;
    private final boolean descending;
    private final List<Postings> filters = new ArrayList<>();
    private final long low;
    private final long high;
    private boolean eventTimeInFilters;

    Plan(TraceQuery query, Viewer viewer, long lastSeq, boolean descending) {
      this.query = query;
      this.viewer = viewer;
      this.descending = descending;
      this.low = query.recordTimeFrom() == null ? 0
          : firstSeqAtOrAfter('r', TraceStore.time(query.recordTimeFrom()), lastSeq + 1);
      this.high = query.recordTimeTo() == null ? lastSeq
          : firstSeqAtOrAfter('r', TraceStore.time(query.recordTimeTo()), lastSeq + 1) - 1;
      Set<String> fields = new TreeSet<>(query.equals().keySet());
      fields.addAll(query.patterns().keySet());
      for (String field : fields) {
        List<Postings> either = new ArrayList<>();
        for (String value : query.equals().getOrDefault(field, List.of())) {
          either.add(new ValueWalk(TraceStore.indexPrefix(field, value), descending));
        }
        for (ValuePattern pattern : query.patterns().getOrDefault(field, List.of())) {
          either.add(patternWalk(field, pattern));
        }
        filters.add(either.size() == 1 ? either.getFirst() : new Union(either, descending));
      }
      if (!query.eventIds().isEmpty()) {
        List<Long> seqs = new ArrayList<>();
        for (String id : query.eventIds()) {
          store.get(TraceStore.key('i', id)).ifPresent(s -> seqs.add(ByteBuffer.wrap(s)
              .getLong()));
        }
        filters.add(new SortedSeqs(seqs, descending));
      }
      if (filters.isEmpty() && (query.eventTimeFrom() != null
          || query.eventTimeTo() != null)) {
        List<Long> inRange = eventTimeRange(limits.timeRangeMax() + 1);
        if (inRange.size() <= limits.timeRangeMax()) {
          filters.add(new SortedSeqs(inRange, descending));
          eventTimeInFilters = true;
        }
      }
    }

    // The first position whose time in table (r or t) is at or after time, or absent.
    private long firstSeqAtOrAfter(char table, byte[] time, long absent) {
      byte[] prefix = {(byte) table};
      for (OrderedStore.Entry entry : store.scan(prefix, TraceStore.concat(prefix, time), 1)) {
        return TraceStore.tailSeq(entry.key());
      }
      return absent;
    }

    private List<Long> eventTimeRange(int max) {
      byte[] prefix = {'t'};
      List<Long> out = new ArrayList<>();
      try (OrderedStore.Cursor cursor = store.cursor(prefix)) {
        byte[] from = query.eventTimeFrom() == null ? prefix
            : TraceStore.concat(prefix, TraceStore.time(query.eventTimeFrom()));
        byte[] to = query.eventTimeTo() == null ? null : TraceStore.time(query.eventTimeTo());
        for (boolean on = cursor.seek(from); on && out.size() < max; on = cursor.next()) {
          if (to != null && Arrays.compareUnsigned(cursor.key(), 1, 9, to, 0, 8) >= 0) {
            break;
          }
          out.add(TraceStore.tailSeq(cursor.key()));
        }
      }
      return out;
    }

    /** Up to {@code max} matches after position {@code after} (NONE: from the start). */
    List<long[]> inChainOrder(long after, int max) {
      List<long[]> out = new ArrayList<>();
      long seq = after == NONE ? (descending ? high : low) : descending ? after - 1 : after + 1;
      while (out.size() < max) {
        long match = next(seq);
        if (match == NONE) {
          break;
        }
        if (passes(match, true)) {
          out.add(new long[] {match, 0});
        }
        seq = descending ? match - 1 : match + 1;
      }
      return out;
    }

    // The first position at or past seq (in this walk's direction) that every filter holds.
    private long next(long seq) {
      long target = descending ? Math.min(seq, high) : Math.max(seq, low);
      if (target < low || target > high) {
        return NONE;
      }
      int agreed = 0;
      for (int i = 0; agreed < filters.size(); i = (i + 1) % filters.size()) {
        long at = filters.get(i).seek(target);
        if (at == NONE || at < low || at > high) {
          return NONE;
        }
        agreed = at == target ? agreed + 1 : 1;
        target = at;
      }
      return target;
    }

    /**
     * Up to {@code max} matches after {@code after} in eventTime order, each with its time:
     * sorted when the matches are few, else read off the event-time index.
     */
    List<long[]> byEventTime(Position after, int max) {
      List<long[]> all = new ArrayList<>();
      long seq = next(low);
      for (; seq != NONE && all.size() <= limits.sortMax(); seq = next(seq + 1)) {
        all.add(new long[] {seq, 0});
      }
      if (all.size() > limits.sortMax()) {
        return walkEventTimes(after, max, filters.isEmpty() ? null : bitmap(all, seq));
      }
      all.removeIf(match -> !passes(match[0], true));
      for (long[] match : all) {
        match[1] = eventTimeMs(match[0]);
      }
      Comparator<long[]> order = Comparator.<long[]>comparingLong(m -> m[1])
          .thenComparingLong(m -> m[0]);
      if (query.descending()) {
        order = order.reversed();
      }
      all.sort(order);
      List<long[]> out = new ArrayList<>();
      long[] mark = after == null ? null : new long[] {after.seq(), after.eventTimeMs()};
      for (long[] match : all) {
        if (out.size() == max) {
          break;
        }
        if (mark == null || order.compare(match, mark) > 0) {
          out.add(match);
        }
      }
      return out;
    }

    // The matches as a bitmap by position (those found, then the rest from seq on), or null
    // when there are more than limits.bitmapMax.
    private BitSet bitmap(List<long[]> found, long seq) {
      if (high >= Integer.MAX_VALUE) {
        return null; // a BitSet counts to 2^31: a store that large tests by point lookups
      }
      BitSet members = new BitSet();
      found.forEach(match -> members.set(Math.toIntExact(match[0])));
      int count = found.size();
      for (; seq != NONE; seq = next(seq + 1)) {
        if (++count > limits.bitmapMax()) {
          return null;
        }
        members.set(Math.toIntExact(seq));
      }
      return members;
    }

    /** The matches (members, or each event's filters when null) walked by event time. */
    private List<long[]> walkEventTimes(Position after, int max, BitSet members) {
      byte[] prefix = {'t'};
      boolean newestFirst = query.descending();
      List<long[]> out = new ArrayList<>();
      try (OrderedStore.Cursor cursor = store.cursor(prefix)) {
        boolean on;
        if (after != null) {
          byte[] mark = TraceStore.concat(prefix, TraceStore.longBytes(after.eventTimeMs()
              ^ Long.MIN_VALUE), TraceStore.longBytes(after.seq()));
          on = newestFirst ? cursor.seekForPrev(mark) : cursor.seek(mark);
          if (on && Arrays.equals(cursor.key(), mark)) {
            on = newestFirst ? cursor.prev() : cursor.next();
          }
        } else if (newestFirst) {
          on = query.eventTimeTo() == null ? cursor.seekForPrev(new byte[] {'t' + 1})
              : cursor.seekForPrev(TraceStore.concat(prefix, TraceStore.time(
                  query.eventTimeTo())));
        } else {
          on = cursor.seek(query.eventTimeFrom() == null ? prefix
              : TraceStore.concat(prefix, TraceStore.time(query.eventTimeFrom())));
        }
        for (; on && out.size() < max; on = newestFirst ? cursor.prev() : cursor.next()) {
          long ms = ByteBuffer.wrap(cursor.key(), 1, 8).getLong() ^ Long.MIN_VALUE;
          long seq = TraceStore.tailSeq(cursor.key());
          if (!withinEventTime(ms)) {
            if (newestFirst ? beforeFrom(ms) : !beforeTo(ms)) {
              break; // past the range's end in the walk's direction
            }
            continue;
          }
          if ((members == null ? contains(seq) : members.get(Math.toIntExact(seq)))
              && passes(seq, false)) {
            out.add(new long[] {seq, ms});
          }
        }
      }
      return out;
    }

    private boolean contains(long seq) {
      if (seq < low || seq > high) {
        return false;
      }
      for (Postings filter : filters) {
        if (!filter.contains(seq)) {
          return false;
        }
      }
      return true;
    }

    // The checks a position needs beyond the filters: event time, quantities, visibility.
    private boolean passes(long seq, boolean checkEventTime) {
      if (checkEventTime && !eventTimeInFilters && (query.eventTimeFrom() != null
          || query.eventTimeTo() != null) && !withinEventTime(eventTimeMs(seq))) {
        return false;
      }
      if (query.quantity() != null && !quantityMatches(seq)) {
        return false;
      }
      Optional<byte[]> sealedFor = store.get(TraceStore.key('v', seq));
      if (sealedFor.isEmpty()) {
        return true;
      }
      List<String> organisations = new ArrayList<>();
      readTree(sealedFor.get()).forEach(name -> organisations.add(name.asText()));
      return viewer.mayRead(organisations);
    }

    private boolean withinEventTime(long ms) {
      return !beforeFrom(ms) && beforeTo(ms);
    }

    private boolean beforeFrom(long ms) {
      return query.eventTimeFrom() != null && ms < query.eventTimeFrom().toEpochMilli();
    }

    private boolean beforeTo(long ms) {
      return query.eventTimeTo() == null || ms < query.eventTimeTo().toEpochMilli();
    }

    private long eventTimeMs(long seq) {
      return store.get(TraceStore.key('n', seq)).map(t -> ByteBuffer.wrap(t).getLong()
          ^ Long.MIN_VALUE).orElseThrow(() -> new IllegalStateException(
              "the trace store has no event time for position " + seq));
    }

    private boolean quantityMatches(long seq) {
      JsonNode event = store.get(TraceStore.key('e', seq)).map(QueryEngine::readTree)
          .orElseThrow().path("event");
      for (String list : QUANTITY_LISTS) {
        for (JsonNode element : event.path(list)) {
          JsonNode quantity = element.path("quantity");
          if (quantity.isNumber() && query.quantity().matches(quantity.decimalValue())) {
            return true;
          }
        }
      }
      return false;
    }

    /**
     * A pattern's values walked side by side when they are few, else every index entry under
     * its prefixes read into a sorted array (the cost the pattern's breadth asks for).
     */
    private Postings patternWalk(String field, ValuePattern pattern) {
      List<String> values = new ArrayList<>();
      for (String prefix : pattern.prefixes()) {
        byte[] start = TraceStore.concat(new byte[] {'x'}, bytes(field), new byte[] {0},
            bytes(prefix));
        byte[] fieldPrefix = TraceStore.concat(new byte[] {'x'}, bytes(field), new byte[] {0});
        try (OrderedStore.Cursor cursor = store.cursor(start)) {
          for (boolean on = cursor.seek(start); on; ) {
            String value = valueOf(cursor.key(), fieldPrefix.length);
            if (pattern.matches(value)) {
              values.add(value);
              if (values.size() > limits.patternValuesWalked()) {
                return patternArray(field, pattern);
              }
            }
            // past this value's entries: its prefix with the separator raised from 0 to 1
            byte[] past = TraceStore.indexPrefix(field, value);
            past[past.length - 1] = 1;
            on = cursor.seek(past);
          }
        }
      }
      List<Postings> walks = new ArrayList<>();
      for (String value : values) {
        walks.add(new ValueWalk(TraceStore.indexPrefix(field, value), descending));
      }
      return new Union(walks, descending);
    }

    private Postings patternArray(String field, ValuePattern pattern) {
      List<Long> seqs = new ArrayList<>();
      byte[] fieldPrefix = TraceStore.concat(new byte[] {'x'}, bytes(field), new byte[] {0});
      for (String prefix : pattern.prefixes()) {
        byte[] start = TraceStore.concat(fieldPrefix, bytes(prefix));
        try (OrderedStore.Cursor cursor = store.cursor(start)) {
          for (boolean on = cursor.seek(start); on; on = cursor.next()) {
            if (pattern.matches(valueOf(cursor.key(), fieldPrefix.length))) {
              seqs.add(TraceStore.tailSeq(cursor.key()));
            }
          }
        }
      }
      return new SortedSeqs(seqs, descending);
    }

    @Override
    public void close() {
      filters.forEach(Postings::close);
    }
  }

  // An index key's value: between the field's prefix and the separator before the seq.
  private static String valueOf(byte[] key, int from) {
    return new String(key, from, key.length - 9 - from, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonNode readTree(byte[] bytes) {
    try {
      return DECIMALS.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("a corrupt record in the trace store", e);
    }
  }

  // ---- walks of positions --------------------------------------------------------------------

  /** The positions one filter selects, walked in one direction. */
  private interface Postings extends AutoCloseable {
    /** The first position at or past {@code seq} in the walk's direction, or NONE. */
    long seek(long seq);

    /** Whether {@code seq} is among them (a point lookup: any order of calls). */
    boolean contains(long seq);

    @Override
    default void close() {}
  }

  /** One value's index entries, read through a cursor that seeks only when it must. */
  private final class ValueWalk implements Postings {
    private static final int STEPS_BEFORE_SEEK = 8;
    private final byte[] prefix;
    private final boolean descending;
    private OrderedStore.Cursor cursor;
    private long at = NONE;
    private boolean exhausted;

    ValueWalk(byte[] prefix, boolean descending) {
      this.prefix = prefix;
      this.descending = descending;
    }

    @Override
    public long seek(long seq) {
      if (exhausted) {
        return NONE;
      }
      if (at != NONE && (descending ? at <= seq : at >= seq)) {
        return at;
      }
      if (cursor == null) {
        cursor = store.cursor(prefix);
      } else if (at != NONE) {
        for (int step = 0; step < STEPS_BEFORE_SEEK; step++) {
          if (!(descending ? cursor.prev() : cursor.next())) {
            return end();
          }
          at = TraceStore.tailSeq(cursor.key());
          if (descending ? at <= seq : at >= seq) {
            return at;
          }
        }
      }
      byte[] key = TraceStore.concat(prefix, TraceStore.longBytes(seq));
      if (!(descending ? cursor.seekForPrev(key) : cursor.seek(key))) {
        return end();
      }
      at = TraceStore.tailSeq(cursor.key());
      return at;
    }

    private long end() {
      exhausted = true;
      at = NONE;
      return NONE;
    }

    @Override
    public boolean contains(long seq) {
      return store.get(TraceStore.concat(prefix, TraceStore.longBytes(seq))).isPresent();
    }

    @Override
    public void close() {
      if (cursor != null) {
        cursor.close();
      }
    }
  }

  /** Any of several walks: the nearest position any of them gives. */
  private record Union(List<Postings> parts, boolean descending) implements Postings {
    @Override
    public long seek(long seq) {
      long best = NONE;
      for (Postings part : parts) {
        long at = part.seek(seq);
        if (at != NONE && (best == NONE || (descending ? at > best : at < best))) {
          best = at;
        }
      }
      return best;
    }

    @Override
    public boolean contains(long seq) {
      return parts.stream().anyMatch(p -> p.contains(seq));
    }

    @Override
    public void close() {
      parts.forEach(Postings::close);
    }
  }

  /** Positions known in advance, sorted once. */
  private static final class SortedSeqs implements Postings {
    private final long[] seqs;
    private final boolean descending;

    SortedSeqs(List<Long> seqs, boolean descending) {
      this.seqs = seqs.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
      this.descending = descending;
    }

    @Override
    public long seek(long seq) {
      int at = Arrays.binarySearch(seqs, seq);
      if (at >= 0) {
        return seq;
      }
      int insertion = -at - 1;
      int index = descending ? insertion - 1 : insertion;
      return index >= 0 && index < seqs.length ? seqs[index] : NONE;
    }

    @Override
    public boolean contains(long seq) {
      return Arrays.binarySearch(seqs, seq) >= 0;
    }
  }
}
