package io.chorus.rpc;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * JSON-RPC 2.0 over any transport: one request body in, one response body out (null when the
 * body held only notifications). Single and batch requests, the spec's error codes, and bounds
 * on request size and batch length. Methods are plain functions from params to a result.
 *
 * <p>Two kinds of method are registered, in two maps whose names must not overlap:
 *
 * <ul>
 *   <li>{@link Method}: params to result; callable over any transport.
 *   <li>{@link SessionMethod}: params and the caller's {@link Session} to result, for methods
 *       that push messages to the caller later (eth_subscribe) or act on what the session holds
 *       (eth_unsubscribe). A session is a connection that can carry server-to-client messages:
 *       a WebSocket connection is one, an HTTP request has none. Called without a session they
 *       answer {@value #METHOD_NOT_FOUND} with {@link #NOTIFICATIONS_UNSUPPORTED}, as Geth does.
 * </ul>
 *
 * <p>An optional {@link RpcObserver} sees each call's method and latency. An optional
 * {@link Pacer} decides when the answers to calls that add work to the node (paced methods, such
 * as eth_sendRawTransaction) go out: a client that sends its next transaction when the last one is
 * answered then slows to the pace at which the node finalizes them, instead of filling the pool
 * and waiting ever longer for its transactions. Instances are immutable and thread-safe as long
 * as the methods and the pacer are.
 */
public final class JsonRpc {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;

  /** The message of the error a {@link SessionMethod} called without a session answers. */
  public static final String NOTIFICATIONS_UNSUPPORTED =
      "notifications not supported over HTTP; use the WebSocket endpoint";

  /** The largest request body accepted. */
  public static final int REQUEST_BYTES_MAX = 5 * 1024 * 1024;
  /** The most calls one batch may carry. */
  public static final int BATCH_MAX = 1_000;

  /** One RPC method: params (an array, an object or absent as null) to a result. */
  @FunctionalInterface
  public interface Method {
    /**
     * @throws RpcException for an error the caller should see as it is
     * @throws IllegalArgumentException for bad params: reported as -32602 with its message
     */
    JsonNode call(JsonNode params);
  }

  /**
   * A method that needs the caller's session: eth_subscribe keeps it to push notifications,
   * eth_unsubscribe looks up what the session subscribed. Errors as for {@link Method}.
   */
  @FunctionalInterface
  public interface SessionMethod {
    JsonNode call(JsonNode params, Session session);
  }

  /**
   * A connection that can carry messages from the server to the client at any time (a WebSocket
   * connection). Implementations are thread-safe.
   */
  public interface Session {
    /** Unique among the sessions of one server; usable as a map key. */
    long id();

    /**
     * Queues one complete JSON text (e.g. an eth_subscription notification) to the client and
     * returns at once, never blocking the caller. A message sent while calls of this session
     * are being answered goes out after their responses, so a subscription's first notification
     * never overtakes the response that announced its id. Ignored once the session is closed;
     * a client that does not read its messages has its session closed rather than letting them
     * pile up without bound.
     */
    void send(String json);

    /** Whether the connection is still open; false once it closed for any reason. */
    boolean isOpen();

    /**
     * Runs {@code callback} once when the session closes (at once if it already has), e.g. to
     * drop the session's subscriptions. {@link RpcServer} runs it on a worker thread (on the
     * I/O thread only when the worker pool is full or shut down), so it should be quick.
     *
     * @throws IllegalStateException when the session holds too many callbacks already
     */
    void onClose(Runnable callback);

    /**
     * Closes the session from the server's side, e.g. when the credentials it was opened with
     * lapsed; a WebSocket's close frame carries {@code reason} (at most 123 bytes of UTF-8).
     */
    void close(String reason);
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  // Streams belong to the transport: writing a response must not close them.
  private static final ObjectWriter STREAM_WRITER =
      JSON.writer().without(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
  /**
   * Lets the answers to paced calls go out, now or later. Transports call it from their worker
   * threads; the answer has been computed and only waits to be sent.
   */
  @FunctionalInterface
  public interface Pacer {
    /** Sends every answer at once. */
    Pacer NONE = Runnable::run;

    /** Runs {@code send} (quick, thread-safe) now or later, from any thread; never drops it. */
    void release(Runnable send);
  }

  /** What {@link #handle(InputStream, Session, OutputStream)} wrote. */
  public enum Outcome {
    /** Nothing: the body held only notifications. */
    NOTHING,
    /** A response, to be sent at once. */
    ANSWER,
    /** A response with the successful answer of a paced method: send it through {@link #pace}. */
    PACED_ANSWER
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final System.Logger LOG = System.getLogger(JsonRpc.class.getName());

  private final Map<String, Method> methods;
  private final Map<String, SessionMethod> sessionMethods;
  private final RpcObserver observer;
  private final Set<String> pacedMethods;
  private final Pacer pacer;

  /** Plain methods only, no observer. */
  public JsonRpc(Map<String, Method> methods) {
    this(methods, Map.of(), RpcObserver.NONE);
  }

  /**
   * @param methods methods callable over any transport
   * @param sessionMethods methods that need a session (WebSocket); names distinct from the above
   * @param observer sees every call; {@link RpcObserver#NONE} for none
   * @throws IllegalArgumentException when a name is registered in both maps
   */
  public JsonRpc(Map<String, Method> methods, Map<String, SessionMethod> sessionMethods,
      RpcObserver observer) {
    this(methods, sessionMethods, observer, Set.of(), Pacer.NONE);
  }

  private JsonRpc(Map<String, Method> methods, Map<String, SessionMethod> sessionMethods,
      RpcObserver observer, Set<String> pacedMethods, Pacer pacer) {
    this.methods = Map.copyOf(methods);
    this.sessionMethods = Map.copyOf(sessionMethods);
    this.observer = java.util.Objects.requireNonNull(observer, "observer");
    this.pacedMethods = Set.copyOf(pacedMethods);
    this.pacer = java.util.Objects.requireNonNull(pacer, "pacer");
    Set<String> both = new HashSet<>(this.methods.keySet());
    both.retainAll(this.sessionMethods.keySet());
    if (!both.isEmpty()) {
      throw new IllegalArgumentException("methods registered both with and without a session: "
          + both);
    }
  }

  /**
   * This endpoint with {@code pacer} deciding when the successful answers of {@code paced}
   * methods go out.
   *
   * @throws IllegalArgumentException when a paced method is not registered
   */
  public JsonRpc withPacing(Set<String> paced, Pacer pacer) {
    for (String name : paced) {
      if (!methods.containsKey(name) && !sessionMethods.containsKey(name)) {
        throw new IllegalArgumentException("no method " + name + " to pace");
      }
    }
    return new JsonRpc(methods, sessionMethods, observer, paced, pacer);
  }

  /** Sends a {@link Outcome#PACED_ANSWER} when the pacer lets it go. */
  public void pace(Runnable send) {
    pacer.release(send);
  }

  /** Handles one request body without a session; null when nothing is to be sent back. */
  public String handle(byte[] body) {
    return handle(body, null);
  }

  /**
   * Handles one request body from the given session (null for none, e.g. HTTP); null when
   * nothing is to be sent back. Unpaced: the stream form below reports what to pace.
   */
  public String handle(byte[] body, Session session) {
    JsonNode response;
    if (body.length > REQUEST_BYTES_MAX) {
      observe(RpcObserver.INVALID_REQUEST, 0, true);
      response = error(NullNode.instance, INVALID_REQUEST, "request of " + body.length
          + " bytes exceeds the maximum of " + REQUEST_BYTES_MAX, null);
    } else {
      try {
        JsonNode request = JSON.readTree(body);
        response = request == null ? parseError(null) : respond(request, session).response();
      } catch (IOException e) {
        response = parseError(e);
      }
    }
    return response == null ? null : write(response);
  }

  /**
   * Handles one request read from {@code body} and writes the response to {@code out}, for
   * transports that hold the body in their own buffers: no intermediate arrays or strings.
   * The transport bounds the body's size ({@link #REQUEST_BYTES_MAX}); neither stream is closed.
   *
   * @param session the caller's session, or null for none (HTTP)
   * @return what was written; a {@link Outcome#PACED_ANSWER} goes out through {@link #pace}
   * @throws IOException when {@code body} cannot be read or {@code out} written; bytes that
   *     are not JSON, in any encoding, are answered with {@value #PARSE_ERROR} instead
   */
  public Outcome handle(InputStream body, Session session, OutputStream out) throws IOException {
    Responses responses;
    try {
      JsonNode request = JSON.readTree(body);
      responses = request == null ? new Responses(parseError(null), false)
          : respond(request, session);
    } catch (JsonProcessingException | CharConversionException e) {
      // Bytes Jackson cannot decode in the encoding it detected (a body starting with zero
      // bytes reads as UTF-32) are the client's parse error, as in the byte-array form.
      responses = new Responses(parseError(e), false);
    }
    if (responses.response() == null) {
      return Outcome.NOTHING;
    }
    STREAM_WRITER.writeValue(out, responses.response());
    return responses.paced() ? Outcome.PACED_ANSWER : Outcome.ANSWER;
  }

  // A body's response (null for notifications only), and whether a paced method succeeded in it.
  private record Responses(JsonNode response, boolean paced) {}

  // The response to a parse error; e null for an empty body.
  private ObjectNode parseError(IOException e) {
    observe(RpcObserver.INVALID_REQUEST, 0, true);
    String why = e == null ? "empty body"
        : e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    return error(NullNode.instance, PARSE_ERROR, "parse error: " + why, null);
  }

  // The response to a parsed body (null when it held only notifications).
  private Responses respond(JsonNode request, Session session) {
    if (request.isMissingNode()) {
      return new Responses(parseError(null), false);
    }
    if (!request.isArray()) {
      Answer answer = call(request, session);
      return new Responses(answer.notification ? null : answer.response, paced(answer));
    }
    if (request.isEmpty()) {
      observe(RpcObserver.INVALID_REQUEST, 0, true);
      return new Responses(error(NullNode.instance, INVALID_REQUEST, "empty batch", null), false);
    }
    if (request.size() > BATCH_MAX) {
      observe(RpcObserver.INVALID_REQUEST, 0, true);
      return new Responses(error(NullNode.instance, INVALID_REQUEST, "batch of "
          + request.size() + " calls exceeds the maximum of " + BATCH_MAX, null), false);
    }
    ArrayNode responses = NODES.arrayNode(request.size());
    boolean paced = false;
    for (JsonNode call : request) {
      Answer answer = call(call, session);
      paced |= paced(answer);
      if (!answer.notification) {
        responses.add(answer.response);
      }
    }
    return new Responses(responses.isEmpty() ? null : responses, paced);
  }

  // A paced method's success holds the response (a notification's too: its body may hold more).
  private boolean paced(Answer answer) {
    return pacedMethods.contains(answer.observed) && !answer.failed();
  }

  // One call, reported to the observer.
  private Answer call(JsonNode call, Session session) {
    long start = System.nanoTime();
    Answer answer = answer(call, session);
    observe(answer.observed, System.nanoTime() - start, answer.failed());
    return answer;
  }

  // A call's response (built for notifications too: the observer sees their errors) and the
  // name the observer reports it under.
  private record Answer(JsonNode response, boolean notification, String observed) {
    boolean failed() {
      return response.has("error");
    }
  }

  private Answer answer(JsonNode call, Session session) {
    if (!call.isObject()) {
      return invalid(NullNode.instance, "a call must be a JSON object");
    }
    JsonNode id = call.get("id");
    if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
      return invalid(NullNode.instance, "id must be a string, number or null");
    }
    boolean notification = id == null;
    JsonNode replyId = notification ? NullNode.instance : id;
    if (!"2.0".equals(call.path("jsonrpc").asText(null))) {
      return invalid(replyId, "jsonrpc must be \"2.0\"");
    }
    JsonNode name = call.get("method");
    if (name == null || !name.isTextual()) {
      return invalid(replyId, "method must be a string");
    }
    JsonNode params = call.get("params");
    if (params != null && !params.isArray() && !params.isObject()) {
      return invalid(replyId, "params must be an array or an object");
    }
    String methodName = name.asText();
    Method method = methods.get(methodName);
    if (method != null) {
      return new Answer(invoke(method, null, params, null, replyId), notification, methodName);
    }
    SessionMethod sessionMethod = sessionMethods.get(methodName);
    if (sessionMethod != null) {
      JsonNode response = session == null
          ? error(replyId, METHOD_NOT_FOUND, NOTIFICATIONS_UNSUPPORTED, null)
          : invoke(null, sessionMethod, params, session, replyId);
      return new Answer(response, notification, methodName);
    }
    return new Answer(error(replyId, METHOD_NOT_FOUND, "the method " + methodName
        + " does not exist/is not available", null), notification, RpcObserver.UNKNOWN_METHOD);
  }

  // A malformed call is answered even without an id: the spec cannot tell it a notification.
  private static Answer invalid(JsonNode id, String message) {
    return new Answer(error(id, INVALID_REQUEST, message, null), false,
        RpcObserver.INVALID_REQUEST);
  }

  private void observe(String method, long nanos, boolean error) {
    try {
      observer.onCall(method, nanos, error);
    } catch (RuntimeException e) {
      // Metrics must never fail a call; the observer's bug is reported, not hidden.
      LOG.log(System.Logger.Level.WARNING, "the RPC observer failed", e);
    }
  }

  private static JsonNode invoke(Method method, SessionMethod sessionMethod, JsonNode params,
      Session session, JsonNode id) {
    try {
      JsonNode result = method != null ? method.call(params)
          : sessionMethod.call(params, session);
      ObjectNode response = NODES.objectNode();
      response.put("jsonrpc", "2.0");
      response.set("id", id);
      response.set("result", result == null ? NullNode.instance : result);
      return response;
    } catch (RpcException e) {
      return error(id, e.code(), e.getMessage(), e.data());
    } catch (IllegalArgumentException e) {
      return error(id, INVALID_PARAMS, "invalid params: " + e.getMessage(), null);
    } catch (RuntimeException e) {
      // The caller learns that the node failed, not its internals; the operator sees the bug.
      LOG.log(System.Logger.Level.WARNING, "an RPC method failed", e);
      return error(id, INTERNAL_ERROR, "internal error: " + e.getClass().getSimpleName(), null);
    }
  }

  private static ObjectNode error(JsonNode id, int code, String message, Object data) {
    ObjectNode error = NODES.objectNode();
    error.put("code", code);
    error.put("message", message);
    if (data != null) {
      error.set("data", JSON.valueToTree(data));
    }
    ObjectNode response = NODES.objectNode();
    response.put("jsonrpc", "2.0");
    response.set("id", id);
    response.set("error", error);
    return response;
  }

  /** A whole JSON-RPC error response with a null id: for a transport's own errors. */
  static String errorResponse(int code, String message) {
    return write(error(NullNode.instance, code, message, null));
  }

  private static String write(JsonNode response) {
    try {
      return JSON.writeValueAsString(response);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a response tree could not be written", e);
    }
  }
}
