package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * JSON over a node's REST API ({@code /api/v1/…}, {@code /epcis}) with an API token: a refusal becomes a
 * {@link ProblemException}. Thread-safe.
 */
final class RestClient {
  /** Above a write's 30 s wait for its block. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(45);

  private final URI base;
  private final String token;
  private final HttpClient http;

  /**
   * @param url the node's RPC URL ({@code http://127.0.0.1:8545})
   * @param token an API token ({@code chorus_…}), or null for reads only
   */
  RestClient(String url, String token) {
    URI uri;
    try {
      uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a URL: " + url + " (" + e.getMessage() + ")", e);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("the node URL must start with http:// or https://, got "
          + url);
    }
    this.base = uri;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A JSON answer with its headers (the first value of each, names in lower case). */
  record Answer(int status, JsonNode body, Map<String, String> headers) {}

  JsonNode get(String path) {
    return send("GET " + path, request(path).GET()).body();
  }

  JsonNode post(String path, JsonNode body) {
    return send("POST " + path, request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))).body();
  }

  JsonNode put(String path, JsonNode body) {
    return send("PUT " + path, request(path).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body.toString()))).body();
  }

  JsonNode delete(String path) {
    return send("DELETE " + path, request(path).DELETE()).body();
  }

  /** GET, with the answer's headers (a page's {@code Link}). */
  Answer getAnswer(String path) {
    return send("GET " + path, request(path).GET());
  }

  /** GET with extra request headers (a request signed by a user certificate). */
  JsonNode get(String path, Map<String, String> headers) {
    HttpRequest.Builder request = request(path).GET();
    headers.forEach(request::header);
    return send("GET " + path, request).body();
  }

  /** POSTs a document as it is (an EPCIS document's bytes), with extra request headers. */
  Answer postDocument(String path, byte[] document, Map<String, String> headers) {
    HttpRequest.Builder request = request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(document));
    headers.forEach(request::header);
    return send("POST " + path, request);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(CALL_TIMEOUT).header("Accept", "application/json");
    return token == null ? builder : builder.header("Authorization", "Bearer " + token);
  }

  private Answer send(String what, HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ClientException("cannot reach the node at " + base + " (" + what + "): "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
          + "; is a node running there?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while calling " + what, e);
    }
    JsonNode body;
    try {
      body = JsonRpcClient.JSON.readTree(response.body());
    } catch (IOException e) {
      String text = response.body();
      throw new ClientException(what + " answered HTTP " + response.statusCode()
          + " with something other than JSON: "
          + (text.length() > 200 ? text.substring(0, 200) + "…" : text), e);
    }
    if (response.statusCode() >= 400) {
      throw new ProblemException(what, body);
    }
    Map<String, String> headers = new HashMap<>();
    response.headers().map().forEach((name, values) -> {
      if (!values.isEmpty()) {
        headers.put(name.toLowerCase(Locale.ROOT), values.getFirst());
      }
    });
    return new Answer(response.statusCode(), body, headers);
  }
}
