package io.chorus.rpc.rest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.codec.Hex;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes REST request bodies as {@link RestApi} parses them for {@link RestApiTest.Demo}'s
 * routes, from an authorised writer: the first byte picks the route (a JSON create, a JSON
 * update, a multipart upload), the rest is the body. Every body is answered, never with a 5xx:
 * a 2xx, or a 4xx problem+json whose {@code status} is the answer's. Seeds: a valid body of each
 * route in {@code RestBodyFuzzTestInputs/fuzz}, beside the inputs that failed once.
 */
public class RestBodyFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String BOUNDARY = "chorus-fuzz-boundary";
  private static final RestApi REST = new RestApi(List.of(new RestApiTest.Demo()),
      RestApiTest::authenticate, RestObserver.NONE, "fuzz");

  /** The routes a body can go to, with the content type it is sent as. */
  private enum Target {
    CREATE(HttpMethod.POST, "/api/v1/demo/records", "application/json"),
    UPDATE(HttpMethod.PUT, "/api/v1/demo/records/1", "application/json"),
    UPLOAD(HttpMethod.POST, "/api/v1/demo/files", "multipart/form-data; boundary=" + BOUNDARY);

    final HttpMethod method;
    final String uri;
    final String contentType;

    Target(HttpMethod method, String uri, String contentType) {
      this.method = method;
      this.uri = uri;
      this.contentType = contentType;
    }
  }

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    answersEveryBody(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    answersEveryBody(input);
  }

  /**
   * The seeds reach the handlers: each one is accepted with a 2xx. Files named {@code crash-*}
   * are inputs that once failed, replayed as regression cases by the fuzz test only.
   */
  @Test
  void everySeedIsAccepted() throws IOException {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(
        Path.of("src/test/resources/io/chorus/rpc/rest/RestBodyFuzzTestInputs/fuzz"))) {
      seeds = files.sorted().toList();
    }
    assertFalse(seeds.isEmpty(), "no seed corpus under src/test/resources");
    for (Path seed : seeds) {
      if (seed.getFileName().toString().startsWith("crash-")) {
        continue;
      }
      RestApi.Answer answer = answer(Files.readAllBytes(seed));
      assertTrue(answer.status() / 100 == 2, seed + " got " + answer.status() + " "
          + new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  private static RestApi.Answer answer(byte[] input) {
    Target target = Target.values()[input.length == 0 ? 0
        : (input[0] & 0xff) % Target.values().length];
    byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, target.method,
        target.uri, Unpooled.wrappedBuffer(body));
    request.headers().set(HttpHeaderNames.CONTENT_TYPE, target.contentType);
    request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    request.headers().set(HttpHeaderNames.AUTHORIZATION, "Bearer writer");
    return REST.handle(request);
  }

  private static void answersEveryBody(byte[] input) {
    RestApi.Answer answer = answer(input);
    int status = answer.status();
    if (status / 100 == 2) {
      return;
    }
    if (status / 100 != 4) {
      throw new AssertionError("answered " + status + " to 0x" + Hex.encode(input) + ": "
          + new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    JsonNode problem;
    try {
      problem = JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new AssertionError("a " + status + " answer that is not JSON", e);
    }
    if (!Problem.CONTENT_TYPE.equals(answer.contentType())
        || problem == null || problem.path("status").asInt() != status) {
      throw new AssertionError("a " + status + " answer that is not its problem+json: "
          + answer.contentType() + " " + problem);
    }
  }
}
