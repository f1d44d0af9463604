package io.chorus.rpc.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Objects;

/**
 * A handler's answer: a status, a JSON body (none for 204) and extra headers such as
 * {@code Location}.
 */
public record RestResponse(int status, JsonNode body, Map<String, String> headers) {
  public RestResponse {
    headers = Map.copyOf(headers);
    if (status < 200 || status > 299) {
      throw new IllegalArgumentException("a handler answers 2xx and throws Problem otherwise,"
          + " not " + status);
    }
    if ((status == 204) != (body == null)) {
      throw new IllegalArgumentException("204 goes without a body, every other status with one");
    }
  }

  /** 200 with a body. */
  public static RestResponse ok(JsonNode body) {
    return new RestResponse(200, Objects.requireNonNull(body, "body"), Map.of());
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

  /** 204. */
  public static RestResponse noContent() {
    return new RestResponse(204, null, Map.of());
  }
}
