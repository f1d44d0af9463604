package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;

/** A JSON-RPC error answered by the node: its code, message and data (null when none). */
public final class RpcException extends ClientException {
  private static final long serialVersionUID = 1L;

  private final int code;
  private final transient JsonNode data;

  public RpcException(String method, int code, String message, JsonNode data) {
    super(method + " failed (" + code + "): " + message
        + (data != null && data.has("reason") ? " [" + data.get("reason").asText() + "]" : ""));
    this.code = code;
    this.data = data;
  }

  public int code() {
    return code;
  }

  /** The error's {@code data}, such as {@code {"reason": "NONCE_TOO_LOW"}}; null when none. */
  public JsonNode data() {
    return data;
  }

  /** The refusal reason Chorus puts in {@code data.reason}, or "" when there is none. */
  public String reason() {
    return data == null ? "" : data.path("reason").asText("");
  }
}
