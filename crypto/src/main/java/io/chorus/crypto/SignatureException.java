package io.chorus.crypto;

/** A signature that is malformed or does not verify; the message says which check failed. */
public final class SignatureException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public SignatureException(String message) {
    super(message);
  }
}
