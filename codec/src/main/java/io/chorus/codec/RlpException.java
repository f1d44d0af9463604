package io.chorus.codec;

/** Malformed RLP: says what is wrong and at which byte offset of the input. */
public final class RlpException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final int offset;

  public RlpException(String problem, int offset) {
    super("RLP at offset " + offset + ": " + problem);
    this.offset = offset;
  }

  /** Offset in the decoded input where the problem starts. */
  public int offset() {
    return offset;
  }
}
