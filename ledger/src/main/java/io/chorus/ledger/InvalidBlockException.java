package io.chorus.ledger;

/** A block that breaks the rules: names the first offending transaction and why. */
public final class InvalidBlockException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int transactionIndex;

  public InvalidBlockException(int transactionIndex, String reason, Throwable cause) {
    super("transaction " + transactionIndex + " of the block is invalid: " + reason, cause);
    this.transactionIndex = transactionIndex;
  }

  /** A block whose header or body breaks a rule that no single transaction does. */
  public InvalidBlockException(String reason) {
    super("invalid block: " + reason);
    this.transactionIndex = -1;
  }

  /** The position in the block of the transaction that made it invalid; -1 when none did. */
  public int transactionIndex() {
    return transactionIndex;
  }
}
