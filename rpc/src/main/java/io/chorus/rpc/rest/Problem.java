package io.chorus.rpc.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An error answered as RFC 9457 problem details ({@value #CONTENT_TYPE}): {@code type},
 * {@code title}, {@code status}, {@code detail}, and for a bad request {@code errors}, one per
 * bad field with what to fix. A route handler throws it; {@link RestApi} answers it.
 *
 * <p>The {@code type} is a URN per kind of problem ({@code urn:chorus:problem:not-found}), so a
 * client can switch on it; the {@code detail} says what happened to this request.
 */
public final class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The media type of a problem body. */
  public static final String CONTENT_TYPE = "application/problem+json";
  /** The prefix of every problem type this node answers. */
  public static final String TYPE_PREFIX = "urn:chorus:problem:";

  /**
   * One bad input.
   *
   * @param field where it is: a JSON pointer into the body ({@code /hash}), or a path or query
   *     parameter's name
   * @param detail what is wrong with it and what to send instead
   */
  public record FieldError(String field, String detail) {
    public FieldError {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(detail, "detail");
    }
  }

  private final int status;
  private final String kind;
  private final String title;
  private final List<FieldError> errors;
  private final Map<String, String> headers;
  private final Map<String, JsonNode> extensions;

  /**
   * @param status the HTTP status, 400 to 599
   * @param kind the problem type's last part, e.g. {@code not-found}; also the refusal reason
   *     counted in metrics
   * @param title a short summary that is the same for every problem of this kind
   * @param detail what went wrong with this request and what to do about it
   */
  public Problem(int status, String kind, String title, String detail) {
    this(status, kind, title, detail, List.of(), Map.of(), Map.of());
  }

  private Problem(int status, String kind, String title, String detail, List<FieldError> errors,
      Map<String, String> headers, Map<String, JsonNode> extensions) {
    super(detail, null, false, false);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a problem's status is 400..599, not " + status);
    }
    if (!kind.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("a problem kind is lower-case words joined by '-': "
          + kind);
    }
    this.status = status;
    this.kind = kind;
    this.title = Objects.requireNonNull(title, "title");
    this.errors = List.copyOf(errors);
    this.headers = Map.copyOf(headers);
    this.extensions = Map.copyOf(extensions);
  }

  /** 400: the request's fields are wrong; each error names one and says what to fix. */
  public static Problem invalid(String detail, List<FieldError> errors) {
    return new Problem(400, "invalid-request", "The request is invalid", detail, errors,
        Map.of(), Map.of());
  }

  /** 400 for one bad field. */
  public static Problem invalidField(String field, String detail) {
    return invalid("invalid " + field + ": " + detail, List.of(new FieldError(field, detail)));
  }

  /** 401 with a {@code WWW-Authenticate: Bearer} challenge. */
  public static Problem unauthorized(String detail, boolean badToken) {
    String challenge = "Bearer realm=\"chorus\""
        + (badToken ? ", error=\"invalid_token\"" : "");
    return new Problem(401, "unauthorized", "Authentication required", detail, List.of(),
        Map.of("WWW-Authenticate", challenge), Map.of());
  }

  /** 403: the caller may not do this; says nothing of whether the resource exists. */
  public static Problem forbidden(String detail) {
    return new Problem(403, "forbidden", "Not allowed", detail);
  }

  /** 404. */
  public static Problem notFound(String detail) {
    return new Problem(404, "not-found", "Not found", detail);
  }

  /** 405 with the {@code Allow} header listing the methods the path has. */
  public static Problem methodNotAllowed(String detail, String allow) {
    return new Problem(405, "method-not-allowed", "Method not allowed", detail, List.of(),
        Map.of("Allow", allow), Map.of());
  }

  /** 413. */
  public static Problem tooLarge(long bytesMax) {
    return new Problem(413, "too-large", "Request body too large", "the request body exceeds "
        + "the maximum of " + bytesMax + " bytes for this route; send a smaller one");
  }

  /** 415. */
  public static Problem unsupportedMediaType(String sent, String wanted) {
    return new Problem(415, "unsupported-media-type", "Unsupported media type",
        "unsupported Content-Type " + (sent == null ? "(none)" : sent) + "; send " + wanted);
  }

  /** This problem with one more member in its body, e.g. a transaction's rejection reason. */
  public Problem with(String member, String value) {
    return with(member, JsonNodeFactory.instance.textNode(value));
  }

  /** This problem with one more member, e.g. {@code "proven": false}. */
  public Problem with(String member, JsonNode value) {
    Map<String, JsonNode> more = new LinkedHashMap<>(extensions);
    more.put(member, value.deepCopy());
    return new Problem(status, kind, title, getMessage(), errors, headers, more);
  }

  public int status() {
    return status;
  }

  /** The last part of the type URN; the refusal reason in metrics. */
  public String kind() {
    return kind;
  }

  public String type() {
    return TYPE_PREFIX + kind;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** Headers the answer carries, e.g. {@code WWW-Authenticate} or {@code Allow}. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The problem details body. */
  public ObjectNode toJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode()
        .put("type", type())
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage());
    if (!errors.isEmpty()) {
      ArrayNode list = out.putArray("errors");
      for (FieldError error : errors) {
        list.addObject().put("field", error.field()).put("detail", error.detail());
      }
    }
    extensions.forEach(out::set);
    return out;
  }
}
