package io.chorus.client;

/** What a client call could not do: the node unreachable, a reply it cannot read, a timeout. */
public class ClientException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClientException(String message) {
    super(message);
  }

  public ClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
