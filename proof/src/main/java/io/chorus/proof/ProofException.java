package io.chorus.proof;

/** A proof bundle that does not prove what it claims, with the exact step that failed. */
public final class ProofException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProofException(String message) {
    super(message);
  }

  public ProofException(String message, Throwable cause) {
    super(message, cause);
  }
}
