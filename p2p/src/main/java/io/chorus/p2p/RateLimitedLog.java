package io.chorus.p2p;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A warning log that writes at most one line per interval, so that a peer flooding bad frames
 * cannot flood the node's log too; the lines it holds back are counted in the next one. Every
 * event is counted in {@link NetworkCounters} regardless.
 */
final class RateLimitedLog {
  private static final System.Logger LOG = System.getLogger(PeerNetwork.class.getName());
  private static final long INTERVAL_NANOS = 10_000_000_000L;

  private final LongSupplier nanoTime;
  private final AtomicLong nextAt;
  private final AtomicLong suppressed = new AtomicLong();

  RateLimitedLog(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.nextAt = new AtomicLong(nanoTime.getAsLong());
  }

  void warn(String message) {
    long now = nanoTime.getAsLong();
    long due = nextAt.get();
    if (now - due < 0 || !nextAt.compareAndSet(due, now + INTERVAL_NANOS)) {
      suppressed.incrementAndGet();
      return;
    }
    long held = suppressed.getAndSet(0);
    LOG.log(Level.WARNING, held == 0 ? message
        : message + " (and " + held + " similar lines held back)");
  }

  /** A normal lifecycle event (connect, disconnect), logged without limit at INFO. */
  static void info(String message) {
    LOG.log(Level.INFO, message);
  }
}
