package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** JSON-RPC 2.0 over HTTP with the JDK's client: single calls and batches. Thread-safe. */
public final class JsonRpcClient {
  static final ObjectMapper JSON = new ObjectMapper();
  /** How long a call or batch waits for the node's answer by default. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final URI url;
  private final HttpClient http;
  private final Duration callTimeout;
  private final AtomicLong ids = new AtomicLong();

  public JsonRpcClient(String url) {
    this(url, CALL_TIMEOUT);
  }

  /** A client whose calls fail with a {@link ClientException} after {@code callTimeout}. */
  public JsonRpcClient(String url, Duration callTimeout) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + url + " (" + e.getMessage() + ")", e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("the node URL must start with http:// or https://, got "
          + url);
    }
    this.url = uri;
    this.callTimeout = callTimeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  public URI url() {
    return url;
  }

  /** How long a call or batch waits for the node's answer. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** One call of a JSON-RPC method and its parameters. */
  public record Call(String method, List<?> params) {
    public Call {
      params = List.copyOf(params);
    }
  }

  /**
   * Calls a method and returns its result (a JSON null when the node answers null).
   *
   * @throws RpcException when the node answers with an error
   * @throws ClientException when it cannot be reached or its answer is not JSON-RPC
   */
  public JsonNode call(String method, Object... params) {
    ObjectNode request = request(ids.incrementAndGet(), method, List.of(params));
    return result(method, post(method, request));
  }

  /** Sends the calls as one batch and returns their results in order; any error throws. */
  public List<JsonNode> batch(List<Call> calls) {
    if (calls.isEmpty()) {
      return List.of();
    }
    ArrayNode body = JSON.createArrayNode();
    long first = ids.getAndAdd(calls.size()) + 1;
    for (int i = 0; i < calls.size(); i++) {
      body.add(request(first + i, calls.get(i).method(), calls.get(i).params()));
    }
    JsonNode reply = post("batch of " + calls.get(0).method(), body);
    if (!reply.isArray()) {
      result("batch", reply); // a single error object for the whole batch
      throw new ClientException("batch answered with " + reply + " instead of an array");
    }
    Map<Long, JsonNode> byId = new HashMap<>();
    reply.forEach(item -> byId.put(item.path("id").asLong(), item));
    List<JsonNode> results = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i++) {
      JsonNode item = byId.get(first + i);
      if (item == null) {
        throw new ClientException("the batch answer lacks call " + i + " ("
            + calls.get(i).method() + ")");
      }
      results.add(result(calls.get(i).method(), item));
    }
    return results;
  }

  private static ObjectNode request(long id, String method, List<?> params) {
    ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id)
        .put("method", method);
    request.set("params", JSON.valueToTree(params));
    return request;
  }

  private JsonNode post(String what, JsonNode body) {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(callTimeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new ClientException("the node at " + url + " did not answer " + what + " within "
          + callTimeout.toMillis() + " ms: it is slow or stuck", e);
    } catch (IOException e) {
      throw new ClientException("cannot reach the node at " + url + " (" + what + "): "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          + "; is a node running there?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while calling " + what, e);
    }
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      String text = response.body();
      throw new ClientException("the node at " + url + " answered HTTP " + response.statusCode()
          + " with something other than JSON: "
          + (text.length() > 200 ? text.substring(0, 200) + "…" : text), e);
    }
  }

  private static JsonNode result(String method, JsonNode reply) {
    JsonNode error = reply.get("error");
    if (error != null && !error.isNull()) {
      throw new RpcException(method, error.path("code").asInt(), error.path("message").asText(),
          error.get("data"));
    }
    if (!reply.has("result")) {
      throw new ClientException(method + " answered without a result: " + reply);
    }
    return reply.get("result");
  }
}
