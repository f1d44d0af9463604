package io.chorus.evm.trace;

/**
 * The characters a tracer's result may hold, so that one trace cannot exhaust the node's heap:
 * every string a tracer keeps is charged here first, by its length or an upper bound of it.
 */
final class OutputBudget {
  /** About 64 MB of Latin-1 strings, the same again once a node writes them out as JSON. */
  static final long CHARS_MAX = 64L << 20;

  private long left = CHARS_MAX;

  /** Takes {@code chars}; false, taking nothing, when fewer are left. */
  boolean take(long chars) {
    if (chars > left) {
      return false;
    }
    left -= chars;
    return true;
  }

  static String exceeded(String advice) {
    return "the trace exceeds " + CHARS_MAX + " characters; " + advice;
  }
}
