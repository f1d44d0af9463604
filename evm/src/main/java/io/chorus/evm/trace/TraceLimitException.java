package io.chorus.evm.trace;

/**
 * A trace outgrew its bounds (steps or output size) and was not kept: the message says which
 * bound and how to ask for less. A node answers it as an error instead of running out of memory.
 */
public final class TraceLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TraceLimitException(String message) {
    super(message);
  }
}
