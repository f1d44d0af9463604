package io.chorus.ledger;

/** A block that breaks the rules: names the first offending transaction and why. */
public final class InvalidBlockException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int transactionIndex;

  public InvalidBlockException(int transactionIndex, String reason, Throwable cause) {
    super("transaction " + transactionIndex + " of the block is invalid: " + reason, cause);
    this.transactionIndex = transactionIndex;
  }

  /** The position in the block of the transaction that made it invalid. */
  public int transactionIndex() {
    return transactionIndex;
  }
}
