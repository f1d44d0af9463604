package io.chorus.crypto;

/**
 * A value commitment or range proof that is malformed or does not verify ({@link
 * ValueCommitments}); the message says which part and why.
 */
public final class CommitmentException extends Exception {
  private static final long serialVersionUID = 1L;

  CommitmentException(String message) {
    super(message);
  }
}
