package io.chorus.client;

/**
 * A delivery of shared data the requester's client would not accept: {@link #failure()} says
 * which check failed, so that a caller can tell a damaged or substituted envelope (report it to
 * the provider and the data authority) from an audit record not in a block yet (ask again).
 */
public final class DeliveryException extends ClientException {
  private static final long serialVersionUID = 1L;

  /** Which check of a delivery failed. */
  public enum Failure {
    /** The envelope does not open with the requester's key: altered, or sealed for another. */
    NOT_OPENED,
    /** The envelope's hash is not the payload hash the node named or the chain recorded. */
    HASH_MISMATCH,
    /** The chain's audit entry is not this delivery's, or was not found in time. */
    NOT_RECORDED,
    /** The opened payload is not the data set, grant or fields the delivery claims. */
    WRONG_CONTENT
  }

  private final Failure failure;

  DeliveryException(Failure failure, String message) {
    super(message);
    this.failure = failure;
  }

  DeliveryException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
