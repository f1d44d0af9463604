package io.chorus.rpc;

/**
 * A JSON-RPC error a method reports to its caller: a code from {@link JsonRpc}'s list (or an
 * application code), a message a person can act on, and optional data (e.g. revert bytes).
 */
public final class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;
  private final transient Object data;

  public RpcException(int code, String message) {
    this(code, message, null);
  }

  public RpcException(int code, String message, Object data) {
    super(message);
    this.code = code;
    this.data = data;
  }

  public int code() {
    return code;
  }

  /** Extra data for the error object, or null. */
  public Object data() {
    return data;
  }
}
