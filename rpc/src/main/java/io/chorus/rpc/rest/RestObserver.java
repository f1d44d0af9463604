package io.chorus.rpc.rest;

/**
 * Sees every REST request {@link RestApi} answers, for metrics. Invoked on the worker thread
 * that answered (the I/O thread for a body refused as too large), so it must be thread-safe and
 * quick. Labels stay bounded: a route is named by its template, never by the path sent.
 */
public interface RestObserver {
  /** The route name reported for requests that matched no route. */
  String UNMATCHED = "(unmatched)";

  RestObserver NONE = new RestObserver() {
    @Override
    public void onCall(String route, long nanos, int status) {}

    @Override
    public void onRefusal(String reason) {}
  };

  /**
   * @param route the matched route as {@code METHOD /template}, or {@link #UNMATCHED}
   * @param nanos from the request's arrival at a worker to its answer
   * @param status the HTTP status answered
   */
  void onCall(String route, long nanos, int status);

  /**
   * A request refused before its handler ran, or by it as invalid.
   *
   * @param reason the problem kind: {@code unauthorized}, {@code forbidden},
   *     {@code invalid-request}, {@code too-large}, {@code not-found}, {@code method-not-allowed},
   *     {@code unsupported-media-type}
   */
  void onRefusal(String reason);
}
