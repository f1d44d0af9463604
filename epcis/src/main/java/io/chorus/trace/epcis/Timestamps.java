package io.chorus.trace.epcis;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Date-times with a zone as EPCIS writes them, read as {@link OffsetDateTime#parse} reads them.
 * Every event has at least one, read on capture and again by every member's indexer (to check
 * it and again for the hash ID), and the JDK's formatter took a tenth of an event's reading
 * under the members' quick JIT. So the usual shape, {@code 2024-05-01T06:30:00[.fff]Z} or with
 * an offset {@code ±hh:mm}, is read by hand, its ranges checked by {@link LocalDateTime#of} and
 * {@link ZoneOffset#ofHoursMinutes}; anything else, and anything that fails those checks, goes
 * to {@link OffsetDateTime#parse}, which accepts or refuses it with its own message.
 */
final class Timestamps {
  private static final int SHORTEST = "2024-05-01T06:30:00Z".length();

  private Timestamps() {
  }

  /**
   * The instant {@code text} names.
   *
   * @throws DateTimeParseException as {@link OffsetDateTime#parse} throws it
   */
  static Instant parse(String text) {
    Instant quick = quick(text);
    return quick != null ? quick : OffsetDateTime.parse(text).toInstant();
  }

  /** UTC with exactly three fraction digits, as the hash ID writes times. */
  static String utcMillis(Instant instant) {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0,
        ZoneOffset.UTC);
    if (utc.getYear() < 1000 || utc.getYear() > 9999) {
      String text = instant.toString(); // signs and widths of far years: the JDK's own rules
      int dot = text.indexOf('.');
      String seconds = dot < 0 ? text.substring(0, text.length() - 1) : text.substring(0, dot);
      return seconds + "." + pad(instant.getNano() / 1_000_000, 3) + "Z";
    }
    return utc.getYear() + "-" + pad(utc.getMonthValue(), 2) + "-" + pad(utc.getDayOfMonth(), 2)
        + "T" + pad(utc.getHour(), 2) + ":" + pad(utc.getMinute(), 2) + ":"
        + pad(utc.getSecond(), 2) + "." + pad(instant.getNano() / 1_000_000, 3) + "Z";
  }

  private static String pad(int value, int width) {
    String digits = Integer.toString(value);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }

  // The usual shape read by hand; null when the text is not exactly that shape or its fields
  // are out of range (the JDK's parser then decides).
  private static Instant quick(String t) {
    int n = t.length();
    if (n < SHORTEST || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T'
        || t.charAt(13) != ':' || t.charAt(16) != ':') {
      return null;
    }
    int i = 19;
    int nanos = 0;
    if (t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && digit(t.charAt(i))) {
        i++;
      }
      int digits = i - start;
      if (digits == 0 || digits > 9) {
        return null;
      }
      nanos = number(t, start, i) * (int) Math.pow(10, 9 - digits);
    }
    int offsetSeconds;
    if (i == n - 1 && t.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-')
        && t.charAt(i + 3) == ':') {
      int hours = number(t, i + 1, i + 3);
      int minutes = number(t, i + 4, i + 6);
      if (hours < 0 || minutes < 0) {
        return null;
      }
      int sign = t.charAt(i) == '-' ? -1 : 1;
      try {
        offsetSeconds = ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes)
            .getTotalSeconds();
      } catch (DateTimeException e) {
        return null;
      }
    } else {
      return null;
    }
    int[] fields = {number(t, 0, 4), number(t, 5, 7), number(t, 8, 10), number(t, 11, 13),
        number(t, 14, 16), number(t, 17, 19)};
    for (int field : fields) {
      if (field < 0) {
        return null;
      }
    }
    try {
      return LocalDateTime.of(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5],
          nanos).toInstant(ZoneOffset.ofTotalSeconds(offsetSeconds));
    } catch (DateTimeException e) {
      return null;
    }
  }

  // The decimal digits from..to, or -1 when one is not a digit.
  private static int number(String t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (!digit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}
