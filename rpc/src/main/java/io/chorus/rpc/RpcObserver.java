package io.chorus.rpc;

/**
 * Sees every call {@link JsonRpc} answers, one by one (each call of a batch too): for metrics
 * such as a per-method counter and latency histogram. Invoked on the thread that ran the call,
 * so it must be thread-safe and quick; an exception it throws is logged and otherwise ignored.
 *
 * <p>To keep a metric's label set bounded whatever clients send, a call to a method that is not
 * registered is reported as {@link #UNKNOWN_METHOD} and a malformed call (or an unparsable body)
 * as {@link #INVALID_REQUEST}, never under the name the client sent.
 */
@FunctionalInterface
public interface RpcObserver {
  /** The name reported for calls to methods that are not registered. */
  String UNKNOWN_METHOD = "(unknown)";
  /** The name reported for malformed calls and bodies that are not JSON. */
  String INVALID_REQUEST = "(invalid)";

  /** An observer that does nothing. */
  RpcObserver NONE = (method, nanos, error) -> { };

  /**
   * @param method the registered method name, or one of the two names above
   * @param nanos the time the call took, from parsed request to built response
   * @param error whether the call's response is a JSON-RPC error (notifications included)
   */
  void onCall(String method, long nanos, boolean error);
}
