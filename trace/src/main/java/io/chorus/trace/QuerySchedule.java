package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.rpc.rest.Problem;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An EPCIS 2.0 query schedule (ISO/IEC 19987 §8.2.5.3, the REST binding's {@code schedule}):
 * each of {@code second}, {@code minute}, {@code hour}, {@code dayOfMonth}, {@code month} and
 * {@code dayOfWeek} (1 Monday to 7 Sunday) is a comma-separated list of numbers and ranges
 * {@code [low-high]}; a time matches when every field given matches its part of the time, an
 * omitted field matching any value. The standard lets the service choose the time zone: this
 * node uses UTC.
 */
record QuerySchedule(Map<String, BitSet> fields) {
  /** The fields in the standard's order, each with its legal range. */
  private static final Map<String, int[]> RANGES = new LinkedHashMap<>();
  static {
    RANGES.put("second", new int[] {0, 59});
    RANGES.put("minute", new int[] {0, 59});
    RANGES.put("hour", new int[] {0, 23});
    RANGES.put("dayOfMonth", new int[] {1, 31});
    RANGES.put("month", new int[] {1, 12});
    RANGES.put("dayOfWeek", new int[] {1, 7});
  }
  private static final ObjectMapper JSON = new ObjectMapper();
  // Day-of-week, leap-year and month-length combinations repeat within 400 Gregorian years.
  private static final long DAYS_SEARCHED = 400L * 366;
  private static final int FIELD_CHARS_MAX = 256;

  /**
   * Reads a {@code schedule} object, every problem a field error under {@code pointer} (e.g.
   * {@code /schedule/minute}); one that no date can ever match (30 February) is refused too.
   */
  static QuerySchedule parse(JsonNode schedule, String pointer) {
    List<Problem.FieldError> errors = new ArrayList<>();
    Map<String, BitSet> fields = new LinkedHashMap<>();
    if (!schedule.isObject()) {
      throw Problem.invalidField(pointer, "is an object of " + RANGES.keySet() + ", each a"
          + " list of numbers and ranges such as \"0,30\" or \"[1-5]\", e.g. {\"hour\": \"1\","
          + " \"minute\": \"5\", \"second\": \"0\"}");
    }
    for (Map.Entry<String, JsonNode> field : schedule.properties()) {
      String name = field.getKey();
      int[] range = RANGES.get(name);
      if (range == null) {
        errors.add(new Problem.FieldError(pointer + "/" + name, "is not a field of a query"
            + " schedule; the fields are " + RANGES.keySet()));
        continue;
      }
      JsonNode value = field.getValue();
      String text = value.isTextual() ? value.asText() : value.isIntegralNumber()
          ? value.asText() : null;
      Optional<BitSet> values = text == null ? Optional.empty() : values(text, range);
      if (values.isEmpty()) {
        errors.add(new Problem.FieldError(pointer + "/" + name, "is a comma-separated list of"
            + " numbers and ranges [low-high] from " + range[0] + " to " + range[1] + ", low"
            + " not above high, e.g. \"" + range[0] + "," + (range[0] + 1) + "\" or \"["
            + range[0] + "-" + (range[0] + 2) + "]\", not " + shorten(value.toString())));
      } else {
        fields.put(name, values.get());
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid("the schedule is invalid", errors);
    }
    QuerySchedule parsed = new QuerySchedule(fields);
    if (parsed.next(Instant.EPOCH).isEmpty()) {
      throw Problem.invalidField(pointer, "no date matches it (its dayOfMonth, month and"
          + " dayOfWeek never meet, e.g. 30 February): it would never run");
    }
    return parsed;
  }

  // The values a field's text allows, or empty when it breaks the grammar or the range.
  private static Optional<BitSet> values(String text, int[] range) {
    if (text.isEmpty() || text.length() > FIELD_CHARS_MAX) {
      return Optional.empty();
    }
    BitSet out = new BitSet();
    for (String element : text.split(",", -1)) {
      int low;
      int high;
      if (element.matches("\\d{1,4}")) {
        low = high = Integer.parseInt(element);
      } else if (element.matches("\\[\\d{1,4}-\\d{1,4}]")) {
        String[] ends = element.substring(1, element.length() - 1).split("-");
        low = Integer.parseInt(ends[0]);
        high = Integer.parseInt(ends[1]);
      } else {
        return Optional.empty();
      }
      if (low < range[0] || high > range[1] || low > high) {
        return Optional.empty();
      }
      out.set(low, high + 1);
    }
    return Optional.of(out);
  }

  private static String shorten(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }

  /** The schedule as the standard writes it: each field given, as text. */
  ObjectNode json() {
    ObjectNode out = JSON.createObjectNode();
    fields.forEach((name, values) -> out.put(name, text(values)));
    return out;
  }

  private static String text(BitSet values) {
    List<String> parts = new ArrayList<>();
    for (int low = values.nextSetBit(0); low >= 0; ) {
      int high = values.nextClearBit(low) - 1;
      parts.add(low == high ? Integer.toString(low) : "[" + low + "-" + high + "]");
      low = values.nextSetBit(high + 1);
    }
    return String.join(",", parts);
  }

  private boolean matches(String field, int value) {
    BitSet values = fields.get(field);
    return values == null || values.get(value);
  }

  /** The first query time strictly after {@code after}, to the second; empty if none ever. */
  Optional<Instant> next(Instant after) {
    LocalDateTime from = LocalDateTime.ofInstant(after, ZoneOffset.UTC)
        .truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    LocalDate day = from.toLocalDate();
    for (long d = 0; d < DAYS_SEARCHED; d++, day = day.plusDays(1)) {
      if (!matches("month", day.getMonthValue()) || !matches("dayOfMonth", day.getDayOfMonth())
          || !matches("dayOfWeek", day.getDayOfWeek().getValue())) {
        continue;
      }
      Optional<LocalTime> time = firstTime(d == 0 ? from.toLocalTime() : LocalTime.MIDNIGHT);
      if (time.isPresent()) {
        return Optional.of(day.atTime(time.get()).toInstant(ZoneOffset.UTC));
      }
    }
    return Optional.empty();
  }

  // The first matching time of day at or after {@code from}.
  private Optional<LocalTime> firstTime(LocalTime from) {
    for (int h = from.getHour(); h < 24; h++) {
      if (!matches("hour", h)) {
        continue;
      }
      int m0 = h == from.getHour() ? from.getMinute() : 0;
      for (int m = m0; m < 60; m++) {
        if (!matches("minute", m)) {
          continue;
        }
        int s0 = h == from.getHour() && m == from.getMinute() ? from.getSecond() : 0;
        for (int s = s0; s < 60; s++) {
          if (matches("second", s)) {
            return Optional.of(LocalTime.of(h, m, s));
          }
        }
      }
    }
    return Optional.empty();
  }
}
