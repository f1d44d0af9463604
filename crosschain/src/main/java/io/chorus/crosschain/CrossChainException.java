package io.chorus.crosschain;

/**
 * A header, certificate, proof or packet refused by the verification core, with the step that
 * failed. Everything relayers send is refused this way, never with another exception.
 */
public final class CrossChainException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CrossChainException(String message) {
    super(message);
  }
}
