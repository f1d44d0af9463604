package io.chorus.consensus;

/**
 * The only exception decoding peer bytes throws (messages, certificates, persisted state): the
 * caller counts it and drops the input.
 */
public final class MalformedMessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MalformedMessageException(String problem) {
    super(problem);
  }

  public MalformedMessageException(String problem, Throwable cause) {
    super(problem, cause);
  }
}
