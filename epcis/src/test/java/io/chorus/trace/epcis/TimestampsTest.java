package io.chorus.trace.epcis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The hand-read date-times (Timestamps) are the JDK's: the same instant, or a refusal, as
 * {@link OffsetDateTime#parse} gives, on 50,000 generated texts near the usual shape (fields
 * in and out of range, short and long fractions, Z, offsets, other separators); and the hash
 * ID's UTC form is what {@link Instant#toString} made of it before.
 */
class TimestampsTest {
  private static final int RUNS = 50_000;

  @Test
  void readsWhatTheJdkReadsAndRefusesWhatItRefuses() {
    SplittableRandom random = new SplittableRandom(3339);
    int read = 0;
    for (int run = 0; run < RUNS; run++) {
      String text = timestamp(random);
      Instant expected;
      try {
        expected = OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        expected = null;
      }
      Instant actual;
      try {
        actual = Timestamps.parse(text);
      } catch (DateTimeParseException e) {
        actual = null;
      }
      assertEquals(expected, actual, text);
      read += expected == null ? 0 : 1;
    }
    assertTrue(read > RUNS / 4 && read < RUNS - RUNS / 10, "the generator must reach both"
        + " valid and invalid texts often; valid: " + read);
  }

  @Test
  void writesUtcMillisAsInstantToStringDid() {
    SplittableRandom random = new SplittableRandom(6920);
    for (int run = 0; run < RUNS; run++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(-70_000_000_000L,
          260_000_000_000L), random.nextInt(1_000_000_000)).truncatedTo(ChronoUnit.MILLIS);
      assertEquals(byInstantToString(instant), Timestamps.utcMillis(instant), instant.toString());
    }
  }

  // How EventHashId wrote a rounded instant before Timestamps.
  private static String byInstantToString(Instant rounded) {
    String text = rounded.toString();
    int dot = text.indexOf('.');
    String seconds = dot < 0 ? text.substring(0, text.length() - 1) : text.substring(0, dot);
    return seconds + "." + String.format(Locale.ROOT, "%03d", rounded.getNano() / 1_000_000)
        + "Z";
  }

  private static String timestamp(SplittableRandom random) {
    StringBuilder out = new StringBuilder();
    out.append(field(random, 4, 1990, 2100)).append(pick(random, "-", "-", "-", "/"))
        .append(field(random, 2, 0, 13)).append('-').append(field(random, 2, 0, 32))
        .append(pick(random, "T", "T", "T", "t", " "))
        .append(field(random, 2, 0, 25)).append(':').append(field(random, 2, 0, 61));
    if (random.nextInt(10) > 0) {
      out.append(':').append(field(random, 2, 0, 61));
    }
    if (random.nextBoolean()) {
      out.append('.');
      for (int i = random.nextInt(11); i > 0; i--) {
        out.append((char) ('0' + random.nextInt(10)));
      }
    }
    switch (random.nextInt(6)) {
      case 0, 1 -> out.append(pick(random, "Z", "Z", "Z", "z"));
      case 2, 3, 4 -> out.append(pick(random, "+", "-")).append(field(random, 2, 0, 20))
          .append(pick(random, ":", ":", ":", "")).append(field(random, 2, 0, 61));
      default -> { } // no zone
    }
    return out.toString();
  }

  private static String field(SplittableRandom random, int width, int from, int to) {
    if (random.nextInt(50) == 0) {
      return "x".repeat(width);
    }
    String digits = Integer.toString(random.nextInt(from, to));
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }

  private static String pick(SplittableRandom random, String... choices) {
    return choices[random.nextInt(choices.length)];
  }
}
