package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A minimal JSON-RPC client for the CLI's own calls to a node. */
final class RpcClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final URI url;

  RpcClient(String url) {
    this.url = URI.create(url);
  }

  /**
   * Calls a method and returns its result.
   *
   * @throws IOException when the node cannot be reached or answers with an error
   */
  JsonNode call(String method, Object... params) throws IOException, InterruptedException {
    ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1)
        .put("method", method);
    request.set("params", JSON.valueToTree(params));
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode body = JSON.readTree(response.body());
    if (body.has("error")) {
      throw new IOException(method + " failed: " + body.get("error").path("message").asText());
    }
    return body.get("result");
  }
}
