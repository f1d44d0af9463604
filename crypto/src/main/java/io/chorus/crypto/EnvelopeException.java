package io.chorus.crypto;

/**
 * An {@link Envelope} that cannot be opened; {@link #reason()} says why, so that a caller can
 * tell an envelope meant for someone else (expected) from a damaged one (worth reporting).
 */
public final class EnvelopeException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why an envelope was not opened. */
  public enum Reason {
    /** The bytes are not an envelope of this format: wrong version, sizes or lengths. */
    MALFORMED,
    /** Sealed by the other suite's scheme. */
    OTHER_SCHEME,
    /** No slot names the key pair's address: sealed for other recipients. */
    NOT_A_RECIPIENT,
    /**
     * A check failed: the envelope, or the associated data given to open it, is not what was
     * sealed (or the key pair is not the one its slot was sealed to).
     */
    NOT_AUTHENTIC
  }

  private final Reason reason;

  EnvelopeException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
