package io.chorus.tx;

/** A transaction that is malformed or breaks a rule that needs no state; says which and why. */
public final class TransactionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TransactionException(String message) {
    super(message);
  }

  public TransactionException(String message, Throwable cause) {
    super(message, cause);
  }
}
