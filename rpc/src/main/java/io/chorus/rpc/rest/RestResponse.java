package io.chorus.rpc.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A handler's answer: a status, a JSON body (none for 204 and redirects) and extra headers such
 * as {@code Location}; or, for a document that is not JSON (a PDF certificate), its bytes and
 * content type instead of the JSON body.
 *
 * @param body the JSON body; null for 204 and for a byte body
 * @param contentType the byte body's media type; null with a JSON body or none
 * @param bytes the byte body; null with a JSON body or none
 */
public record RestResponse(int status, JsonNode body, Map<String, String> headers,
    String contentType, byte[] bytes) {
  /** The redirect statuses a handler may answer, with {@code Location}. */
  public static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  public RestResponse {
    headers = Map.copyOf(headers);
    boolean redirect = REDIRECTS.contains(status);
    if ((status < 200 || status > 299) && !redirect) {
      throw new IllegalArgumentException("a handler answers 2xx or a redirect " + REDIRECTS
          + " and throws Problem otherwise, not " + status);
    }
    if (redirect && !headers.containsKey("Location")) {
      throw new IllegalArgumentException("a redirect names its target in Location");
    }
    if ((contentType == null) != (bytes == null)) {
      throw new IllegalArgumentException("a byte body goes with its content type");
    }
    if (body != null && bytes != null) {
      throw new IllegalArgumentException("a response has a JSON body or a byte body, not both");
    }
    if ((status == 204 || redirect) != (body == null && bytes == null)) {
      throw new IllegalArgumentException("204 and redirects go without a body, every other"
          + " status with one");
    }
  }

  /** A JSON body (or none, for 204). */
  public RestResponse(int status, JsonNode body, Map<String, String> headers) {
    this(status, body, headers, null, null);
  }

  /** 200 with a body. */
  public static RestResponse ok(JsonNode body) {
    return new RestResponse(200, Objects.requireNonNull(body, "body"), Map.of());
  }

  /** 200 with a document that is not JSON, e.g. {@code application/pdf}. */
  public static RestResponse bytes(String contentType, byte[] bytes,
      Map<String, String> headers) {
    return new RestResponse(200, null, headers, Objects.requireNonNull(contentType,
        "contentType"), Objects.requireNonNull(bytes, "bytes"));
  }

  /** 201: the resource made, and where it is. */
  public static RestResponse created(String location, JsonNode body) {
    return new RestResponse(201, Objects.requireNonNull(body, "body"),
        Map.of("Location", location));
  }

  /** 202: taken, to be done later (e.g. a transaction pooled, not yet in a block). */
  public static RestResponse accepted(JsonNode body) {
    return new RestResponse(202, Objects.requireNonNull(body, "body"), Map.of());
  }

  /**
   * A redirect to {@code location} (e.g. 307, which keeps the method), with extra headers such
   * as {@code Link}.
   */
  public static RestResponse redirect(int status, String location,
      Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Location", Objects.requireNonNull(location, "location"));
    return new RestResponse(status, null, all);
  }

  /** 204. */
  public static RestResponse noContent() {
    return new RestResponse(204, null, Map.of());
  }
}
