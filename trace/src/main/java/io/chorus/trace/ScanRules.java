package io.chorus.trace;

import java.time.Duration;

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
