package io.chorus.rpc.rest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One REST operation: a method on a path template such as {@code /api/v1/notary/records/{id}},
 * the role a caller needs, the body it takes and its handler. Build with the static factories;
 * every method but GET needs a role, so that no write is ever anonymous.
 *
 * @param method GET, POST, PUT or DELETE
 * @param path the template: literal segments and {@code {name}} segments, each of which matches
 *     one non-empty segment of a request's path
 * @param role the role a caller needs; empty only for a public GET
 * @param body what the request carries
 * @param bodyBytesMax the largest body accepted, at most {@link RestApi#BODY_BYTES_MAX}
 * @param handler answers a request on a worker thread
 */
public record Route(String method, String path, Optional<String> role, Body body,
    int bodyBytesMax, Handler handler) {
  /** The methods a route may have. */
  public static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE");

  /** What a request's body holds. */
  public enum Body {
    /** No body (GET, DELETE). */
    NONE,
    /** {@code application/json}, parsed into {@link RestRequest#body()}. */
    JSON,
    /** {@code multipart/form-data}: files and fields in {@link RestRequest#parts()}. */
    MULTIPART,
    /**
     * {@code application/json} or {@code application/ld+json}, kept as bytes in {@link
     * RestRequest#document()} for a handler that reads it with a parser of its own (a
     * standard's document with its own checks and problem pointers).
     */
    DOCUMENT
  }

  /** Answers one request; throws {@link Problem} to refuse it. */
  @FunctionalInterface
  public interface Handler {
    RestResponse handle(RestRequest request);
  }

  public Route {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(handler, "handler");
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException("a route's method is one of " + METHODS + ", not "
          + method);
    }
    if (!method.equals("GET") && role.isEmpty()) {
      throw new IllegalArgumentException(method + " " + path + " needs a role: only GET routes"
          + " may be public");
    }
    segments(path);
    if (bodyBytesMax < 0 || bodyBytesMax > RestApi.BODY_BYTES_MAX) {
      throw new IllegalArgumentException("bodyBytesMax must be 0.." + RestApi.BODY_BYTES_MAX
          + ", not " + bodyBytesMax);
    }
    if ((body == Body.NONE) != (bodyBytesMax == 0)) {
      throw new IllegalArgumentException("a route without a body accepts 0 bytes, one with a"
          + " body more: " + method + " " + path);
    }
  }

  /** A public GET. */
  public static Route get(String path, Handler handler) {
    return new Route("GET", path, Optional.empty(), Body.NONE, 0, handler);
  }

  /** A POST of a JSON body of at most {@link RestApi#JSON_BYTES_MAX} bytes. */
  public static Route post(String path, String role, Handler handler) {
    return new Route("POST", path, Optional.of(role), Body.JSON, RestApi.JSON_BYTES_MAX,
        handler);
  }

  /** A PUT of a JSON body of at most {@link RestApi#JSON_BYTES_MAX} bytes. */
  public static Route put(String path, String role, Handler handler) {
    return new Route("PUT", path, Optional.of(role), Body.JSON, RestApi.JSON_BYTES_MAX,
        handler);
  }

  /** A DELETE, without a body. */
  public static Route delete(String path, String role, Handler handler) {
    return new Route("DELETE", path, Optional.of(role), Body.NONE, 0, handler);
  }

  /** A POST of a {@code multipart/form-data} body of at most {@code bytesMax} bytes. */
  public static Route upload(String path, String role, int bytesMax, Handler handler) {
    return new Route("POST", path, Optional.of(role), Body.MULTIPART, bytesMax, handler);
  }

  /** A POST of a JSON or JSON-LD document of at most {@code bytesMax} bytes, unparsed. */
  public static Route document(String path, String role, int bytesMax, Handler handler) {
    return new Route("POST", path, Optional.of(role), Body.DOCUMENT, bytesMax, handler);
  }

  /** This GET, readable only by callers with {@code role}. */
  public Route withRole(String role) {
    return new Route(method, path, Optional.of(role), body, bodyBytesMax, handler);
  }

  /** {@code METHOD /template}: the route's name in metrics and errors. */
  public String name() {
    return method + " " + path;
  }

  /** The path parameters' names, in order. */
  public List<String> parameters() {
    List<String> names = new ArrayList<>();
    for (String segment : segments(path)) {
      if (isParameter(segment)) {
        names.add(segment.substring(1, segment.length() - 1));
      }
    }
    return names;
  }

  static boolean isParameter(String segment) {
    return segment.startsWith("{") && segment.endsWith("}");
  }

  /** The template's segments; rejects a template that is not a clean absolute path. */
  static List<String> segments(String path) {
    if (path == null || !path.startsWith("/") || path.endsWith("/") || path.contains("//")
        || path.contains("?")) {
      throw new IllegalArgumentException("a route path is absolute, without a trailing '/',"
          + " an empty segment or a query: " + path);
    }
    List<String> segments = List.of(path.substring(1).split("/"));
    for (String segment : segments) {
      if (segment.contains("{") || segment.contains("}")) {
        if (!isParameter(segment) || !segment.substring(1, segment.length() - 1)
            .matches("[A-Za-z][A-Za-z0-9_]*")) {
          throw new IllegalArgumentException("a path parameter is a whole segment {name}: "
              + segment + " in " + path);
        }
      }
    }
    return segments;
  }
}
