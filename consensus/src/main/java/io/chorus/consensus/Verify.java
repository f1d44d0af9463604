package io.chorus.consensus;

/**
 * Always-on checks: Java's {@code assert} is off without {@code -ea}, and a consensus bug that
 * goes on running is worse than a crash. Peer input never reaches these: it is rejected and
 * counted before; a failed check here is a bug in this module or in its driver.
 */
final class Verify {
  private Verify() {}

  /** An internal invariant; failing it is a bug here. */
  static void that(boolean condition, String why) {
    if (!condition) {
      throw new AssertionError(why);
    }
  }

  /** A precondition on the caller (the node or driver); failing it is API misuse. */
  static void argument(boolean condition, String why) {
    if (!condition) {
      throw new IllegalArgumentException(why);
    }
  }

  /** A precondition on the call order (for example advancing to an old height). */
  static void state(boolean condition, String why) {
    if (!condition) {
      throw new IllegalStateException(why);
    }
  }
}
