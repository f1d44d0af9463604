package io.chorus.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * JSON-RPC 2.0 over any transport: one request body in, one response body out (null when the
 * body held only notifications). Single and batch requests, the spec's error codes, and bounds
 * on request size and batch length. Methods are plain functions from params to a result.
 */
public final class JsonRpc {
  public static final int PARSE_ERROR = -32700;
  public static final int INVALID_REQUEST = -32600;
  public static final int METHOD_NOT_FOUND = -32601;
  public static final int INVALID_PARAMS = -32602;
  public static final int INTERNAL_ERROR = -32603;

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

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, Method> methods;

  public JsonRpc(Map<String, Method> methods) {
    this.methods = Map.copyOf(methods);
  }

  /** Handles one request body; null when nothing is to be sent back. */
  public String handle(byte[] body) {
    if (body.length > REQUEST_BYTES_MAX) {
      return write(error(NullNode.instance, INVALID_REQUEST, "request of " + body.length
          + " bytes exceeds the maximum of " + REQUEST_BYTES_MAX, null));
    }
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return write(error(NullNode.instance, PARSE_ERROR, "parse error: "
          + e.getOriginalMessage(), null));
    } catch (java.io.IOException e) {
      return write(error(NullNode.instance, PARSE_ERROR, "parse error: " + e.getMessage(),
          null));
    }
    if (request == null || request.isMissingNode()) {
      return write(error(NullNode.instance, PARSE_ERROR, "parse error: empty body", null));
    }
    if (!request.isArray()) {
      JsonNode response = call(request);
      return response == null ? null : write(response);
    }
    if (request.isEmpty()) {
      return write(error(NullNode.instance, INVALID_REQUEST, "empty batch", null));
    }
    if (request.size() > BATCH_MAX) {
      return write(error(NullNode.instance, INVALID_REQUEST, "batch of " + request.size()
          + " calls exceeds the maximum of " + BATCH_MAX, null));
    }
    ArrayNode responses = NODES.arrayNode();
    for (JsonNode call : request) {
      JsonNode response = call(call);
      if (response != null) {
        responses.add(response);
      }
    }
    return responses.isEmpty() ? null : write(responses);
  }

  // One call: a response, or null for a valid notification.
  private JsonNode call(JsonNode call) {
    if (!call.isObject()) {
      return error(NullNode.instance, INVALID_REQUEST, "a call must be a JSON object", null);
    }
    JsonNode id = call.get("id");
    boolean notification = id == null;
    JsonNode replyId = notification ? NullNode.instance : id;
    if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
      return error(NullNode.instance, INVALID_REQUEST, "id must be a string, number or null",
          null);
    }
    if (!"2.0".equals(call.path("jsonrpc").asText(null))) {
      return error(replyId, INVALID_REQUEST, "jsonrpc must be \"2.0\"", null);
    }
    JsonNode name = call.get("method");
    if (name == null || !name.isTextual()) {
      return error(replyId, INVALID_REQUEST, "method must be a string", null);
    }
    JsonNode params = call.get("params");
    if (params != null && !params.isArray() && !params.isObject()) {
      return error(replyId, INVALID_REQUEST, "params must be an array or an object", null);
    }
    Method method = methods.get(name.asText());
    JsonNode response;
    if (method == null) {
      response = error(replyId, METHOD_NOT_FOUND, "the method " + name.asText()
          + " does not exist/is not available", null);
    } else {
      response = invoke(method, params, replyId);
    }
    return notification ? null : response;
  }

  private static JsonNode invoke(Method method, JsonNode params, JsonNode id) {
    try {
      JsonNode result = method.call(params);
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
      // The caller learns that the node failed, not its internals; the cause is the node's bug.
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

  private static String write(JsonNode response) {
    try {
      return JSON.writeValueAsString(response);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a response tree could not be written", e);
    }
  }
}
