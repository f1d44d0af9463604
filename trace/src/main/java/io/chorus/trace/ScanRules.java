package io.chorus.trace;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the resolver flags a serialised code as a likely copy: one item is scanned a few times,
 * from one place at a time, so a code scanned more than {@code scansMax} times within {@code
 * scansWindow}, or from more than {@code placesMax} distinct places within {@code
 * placesWindow}, is probably printed on more than one item. A lot or GTIN code is shared by
 * many items: it is counted, never flagged.
 *
 * @param recentMax the scans kept per code to judge by (the newest ones), which bounds a code's
 *     record however often it is scanned; more than either maximum, so each rule can be judged
 */
public record ScanRules(int scansMax, Duration scansWindow, int placesMax,
    Duration placesWindow, int recentMax) {
  /** The newest scans kept per code, at most. */
  public static final int RECENT_MAX_BOUND = 1_024;

  /** 20 scans a day, 3 places an hour, judged over the newest 64 scans. */
  public static final ScanRules DEFAULTS = new ScanRules(20, Duration.ofHours(24), 3,
      Duration.ofHours(1), 64);

  // SCANS/WINDOW,PLACES/WINDOW, a window a whole number of s, m, h or d: "20/24h,3/1h".
  private static final Pattern TEXT = Pattern.compile(
      "(\\d{1,4})/(\\d{1,6})([smhd]),(\\d{1,4})/(\\d{1,6})([smhd])");

  /**
   * The rules a node operator writes as {@code SCANS/WINDOW,PLACES/WINDOW}: {@code 20/24h,3/1h}
   * are the defaults (more than 20 scans within 24 h, or more than 3 places within 1 h, flag
   * a code). The newest scans kept per code are the defaults' 64, or one more than the larger
   * maximum.
   *
   * @throws IllegalArgumentException saying what to write
   */
  public static ScanRules parse(String text) {
    Matcher m = TEXT.matcher(text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("scan rules are SCANS/WINDOW,PLACES/WINDOW with a"
          + " window in s, m, h or d, e.g. 20/24h,3/1h (the defaults), not '" + text + "'");
    }
    int scans = Integer.parseInt(m.group(1));
    int places = Integer.parseInt(m.group(4));
    if (Math.max(scans, places) >= RECENT_MAX_BOUND) {
      throw new IllegalArgumentException("scan rules count at most " + (RECENT_MAX_BOUND - 1)
          + " scans or places, not " + Math.max(scans, places) + " (in '" + text + "')");
    }
    return new ScanRules(scans, window(m.group(2), m.group(3)), places,
        window(m.group(5), m.group(6)), Math.max(DEFAULTS.recentMax(),
            Math.max(scans, places) + 1));
  }

  private static Duration window(String amount, String unit) {
    long n = Long.parseLong(amount);
    return switch (unit) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  public ScanRules {
    if (scansMax < 1 || placesMax < 1) {
      throw new IllegalArgumentException("scansMax and placesMax are at least 1, not "
          + scansMax + " and " + placesMax);
    }
    if (scansWindow.isNegative() || scansWindow.isZero() || placesWindow.isNegative()
        || placesWindow.isZero()) {
      throw new IllegalArgumentException("the windows are positive durations");
    }
    if (recentMax <= Math.max(scansMax, placesMax) || recentMax > RECENT_MAX_BOUND) {
      throw new IllegalArgumentException("recentMax is more than scansMax and placesMax (so a"
          + " rule can see one scan too many) and at most " + RECENT_MAX_BOUND + ", not "
          + recentMax);
    }
  }
}
