package io.chorus.rpc.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.RpcServer;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The REST layer over real loopback sockets: a demo service registered on an {@link RpcServer}
 * beside JSON-RPC, driven with {@link HttpClient}. Each test sends what a client would and
 * checks the status, the problem+json body and the headers the layer promises; the OpenAPI
 * document is checked by swagger-parser's 3.1 validation and against the registered routes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RestApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WRITER = "demo.writer";
  private static final Address ALICE = Address.of(Hex.decode("0x" + "11".repeat(20)));
  private static final ConcurrentMap<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
  private static final ConcurrentMap<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private static final Set<String> workerThreads = ConcurrentHashMap.newKeySet();
  private static RpcServer server;
  private static HttpClient http;

  /** A small service with each kind of route, keeping records in memory. */
  static class Demo implements RestService {
    final Map<String, String> records = new ConcurrentHashMap<>(Map.of("1", "first"));

    @Override
    public String name() {
      return "demo";
    }

    @Override
    public List<Route> routes() {
      return List.of(
          Route.get("/api/v1/demo/records", r -> {
            long limit = r.queryLong("limit", 10, 1, 100);
            ObjectNode out = JsonNodeFactory.instance.objectNode().put("limit", limit);
            out.put("owner", r.query("owner").orElse("anyone"));
            return RestResponse.ok(out);
          }),
          Route.get("/api/v1/demo/records/count", r -> RestResponse.ok(
              JsonNodeFactory.instance.numberNode(records.size()))),
          Route.get("/api/v1/demo/records/{id}", r -> {
            workerThreads.add(Thread.currentThread().getName());
            String value = records.get(r.path("id"));
            if (value == null) {
              throw Problem.notFound("no record " + r.path("id"));
            }
            return RestResponse.ok(JsonNodeFactory.instance.objectNode()
                .put("id", r.path("id")).put("name", value));
          }),
          Route.post("/api/v1/demo/records", WRITER, r -> {
            RestRequest.Fields f = r.fields();
            String name = f.text("name");
            byte[] hash = f.hex("hash", 32);
            f.check();
            String id = Integer.toString(records.size() + 1);
            records.put(id, name);
            return RestResponse.created("/api/v1/demo/records/" + id,
                JsonNodeFactory.instance.objectNode().put("id", id)
                    .put("hash", Hex.encode0x(hash))
                    .put("by", Hex.encode0x(r.requireCaller().account().toArray())));
          }),
          Route.put("/api/v1/demo/records/{id}", WRITER, r -> {
            RestRequest.Fields f = r.fields();
            String name = f.text("name");
            f.check();
            if (records.replace(r.path("id"), name) == null) {
              throw Problem.notFound("no record " + r.path("id"));
            }
            return RestResponse.noContent();
          }),
          Route.delete("/api/v1/demo/records/{id}", "demo.admin", r -> {
            if (records.remove(r.path("id")) == null) {
              throw Problem.notFound("no record " + r.path("id"));
            }
            return RestResponse.noContent();
          }),
          Route.upload("/api/v1/demo/files", WRITER, 4096, r -> {
            RestRequest.Part file = r.part("file").orElseThrow(() ->
                Problem.invalidField("file", "required: a file part named 'file'"));
            return RestResponse.ok(JsonNodeFactory.instance.objectNode()
                .put("fileName", file.fileName().orElse(""))
                .put("bytes", file.bytes().length)
                .put("sha256", Hex.encode0x(sha256(file.bytes())))
                .put("note", r.part("note").map(p -> new String(p.bytes(),
                    StandardCharsets.UTF_8)).orElse("")));
          }));
    }

    @Override
    public ObjectNode openApi() {
      ObjectNode doc = JsonNodeFactory.instance.objectNode();
      ObjectNode paths = doc.putObject("paths");
      ObjectNode list = paths.putObject("/api/v1/demo/records");
      operation(list, "get", "listRecords", "200").putArray("parameters").addObject()
          .put("name", "limit").put("in", "query").putObject("schema").put("type", "integer");
      ObjectNode create = operation(list, "post", "createRecord", "201");
      create.putObject("requestBody").put("required", true).putObject("content")
          .putObject("application/json").putObject("schema")
          .put("$ref", "#/components/schemas/DemoRecordInput");
      operation(paths.putObject("/api/v1/demo/records/count"), "get", "countRecords", "200");
      ObjectNode one = paths.putObject("/api/v1/demo/records/{id}");
      operation(one, "get", "getRecord", "200");
      operation(one, "put", "updateRecord", "204");
      operation(one, "delete", "deleteRecord", "204");
      operation(paths.putObject("/api/v1/demo/files"), "post", "hashFile", "200")
          .putObject("requestBody").putObject("content").putObject("multipart/form-data")
          .putObject("schema").put("type", "object");
      ObjectNode input = doc.putObject("components").putObject("schemas")
          .putObject("DemoRecordInput").put("type", "object");
      input.putArray("required").add("name").add("hash");
      return doc;
    }

    static ObjectNode operation(ObjectNode item, String method, String id,
        String status) {
      ObjectNode op = item.putObject(method).put("operationId", id).put("summary", id);
      op.putObject("responses").putObject(status).put("description", "done");
      return op;
    }
  }

  /** A service whose paths a standard fixes: its own root, a document body read as bytes. */
  static class Rooted implements RestService {
    private final String root;

    Rooted(String root) {
      this.root = root;
    }

    @Override
    public String name() {
      return "rooted";
    }

    @Override
    public String root() {
      return root;
    }

    @Override
    public List<Route> routes() {
      return List.of(
          Route.get(root + "/things", r -> RestResponse.ok(
              JsonNodeFactory.instance.objectNode().put("root", root))),
          Route.document(root + "/things", WRITER, 64, r -> RestResponse.ok(
              JsonNodeFactory.instance.objectNode().put("bytes", r.document().length)
                  .put("text", new String(r.document(), StandardCharsets.UTF_8)))));
    }

    @Override
    public ObjectNode openApi() {
      ObjectNode doc = JsonNodeFactory.instance.objectNode();
      ObjectNode item = doc.putObject("paths").putObject(root + "/things");
      Demo.operation(item, "get", "listThings", "200");
      Demo.operation(item, "post", "addThing", "200");
      return doc;
    }
  }

  static Optional<Caller> authenticate(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    return switch (authorization) {
      case "Bearer writer" -> Optional.of(new Caller(ALICE, Set.of(WRITER), "token writer"));
      case "Bearer reader" -> Optional.of(new Caller(ALICE, Set.of("demo.reader"),
          "token reader"));
      case "Bearer revoked" -> throw Problem.unauthorized("token revoked", true);
      default -> throw Problem.unauthorized("unknown token", true);
    };
  }

  @BeforeAll
  static void start() throws Exception {
    RestApi rest = new RestApi(List.of(new Demo(), new Rooted("/std")), RestApiTest::authenticate,
        new RestObserver() {
          @Override
          public void onCall(String route, long nanos, int status) {
            calls.computeIfAbsent(route, k -> new AtomicInteger()).incrementAndGet();
          }

          @Override
          public void onRefusal(String reason) {
            refusals.computeIfAbsent(reason, k -> new AtomicInteger()).incrementAndGet();
          }
        }, "test");
    JsonRpc rpc = new JsonRpc(Map.of("echo", p -> p.get(0)), Map.of(), (m, n, e) -> { });
    server = RpcServer.start(rpc, rest, RpcServer.Config.defaults().withPort(0)
        .withPreferEpoll(false));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> send(String method, String path, String token,
      String contentType, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, null, null, null);
  }

  private static HttpResponse<String> json(String method, String path, String token,
      String body) throws Exception {
    return send(method, path, token, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  // Checks a problem+json answer's shape and returns its body.
  private static JsonNode problem(HttpResponse<String> response, int status, String kind)
      throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals(Problem.CONTENT_TYPE, response.headers().firstValue("Content-Type")
        .orElse(""));
    JsonNode body = JSON.readTree(response.body());
    assertEquals(Problem.TYPE_PREFIX + kind, body.path("type").asText());
    assertEquals(status, body.path("status").asInt());
    assertFalse(body.path("title").asText().isBlank());
    assertFalse(body.path("detail").asText().isBlank());
    return body;
  }

  private static int refused(String reason) {
    return refusals.getOrDefault(reason, new AtomicInteger()).get();
  }

  @Test
  void aServiceWithItsOwnRootIsServedThereWithTheSameChecksAndItsDocumentAsSent()
      throws Exception {
    HttpResponse<String> listed = get("/std/things");
    assertEquals(200, listed.statusCode(), listed.body());
    assertEquals("/std", JSON.readTree(listed.body()).path("root").asText());
    String sent = "{\"b\":1, \"b\":2}"; // a repeated key: the handler's parser decides
    HttpResponse<String> posted = send("POST", "/std/things", "writer",
        "application/ld+json", sent.getBytes(StandardCharsets.UTF_8));
    assertEquals(200, posted.statusCode(), posted.body());
    assertEquals(sent, JSON.readTree(posted.body()).path("text").asText());
    problem(send("POST", "/std/things", null, "application/json", new byte[] {'{', '}'}), 401,
        "unauthorized");
    problem(send("POST", "/std/things", "writer", "text/plain", new byte[] {'x'}), 415,
        "unsupported-media-type");
    problem(send("POST", "/std/things", "writer", "application/json", new byte[65]), 413,
        "too-large");
    problem(get("/std/nothing"), 404, "not-found");
    assertTrue(new RestApi(List.of(new Rooted("/std")), RestApiTest::authenticate,
        RestObserver.NONE, "test").serves("/std/x"));
    assertFalse(new RestApi(List.of(new Rooted("/std")), RestApiTest::authenticate,
        RestObserver.NONE, "test").serves("/stdx"));
    for (String bad : List.of("/api", "/a/b", "/Std", "/ws")) {
      assertThrows(IllegalArgumentException.class, () -> new RestApi(List.of(new Rooted(bad)),
          RestApiTest::authenticate, RestObserver.NONE, "test"), bad);
    }
  }

  @Test
  void pathParametersAreDecodedAndLiteralSegmentsWinOverParameters() throws Exception {
    HttpResponse<String> one = get("/api/v1/demo/records/1");
    assertEquals(200, one.statusCode(), one.body());
    assertEquals("application/json", one.headers().firstValue("Content-Type").orElse(""));
    assertEquals("first", JSON.readTree(one.body()).path("name").asText());
    // "count" is a literal route, not the id "count".
    HttpResponse<String> count = get("/api/v1/demo/records/count");
    assertEquals(200, count.statusCode());
    assertTrue(JSON.readTree(count.body()).isInt());
    JsonNode missing = problem(get("/api/v1/demo/records/no%20such"), 404, "not-found");
    assertEquals("no record no such", missing.path("detail").asText());
    assertTrue(workerThreads.stream().allMatch(t -> t.startsWith("chorus-rpc-worker-")),
        "handlers run on workers, not the event loop: " + workerThreads);
  }

  @Test
  void queryParametersAreReadAndCheckedByName() throws Exception {
    JsonNode list = JSON.readTree(get("/api/v1/demo/records?limit=25&owner=bob").body());
    assertEquals(25, list.path("limit").asInt());
    assertEquals("bob", list.path("owner").asText());
    JsonNode bad = problem(get("/api/v1/demo/records?limit=1000"), 400, "invalid-request");
    assertEquals("limit", bad.path("errors").get(0).path("field").asText());
    assertTrue(bad.path("errors").get(0).path("detail").asText().contains("1 to 100"));
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() throws Exception {
    int before = refused("not-found");
    problem(get("/api/v1/nothing/here"), 404, "not-found");
    problem(get("/api/v2/demo/records"), 404, "not-found");
    assertEquals(before + 2, refused("not-found"));
    HttpResponse<String> wrong = send("PATCH", "/api/v1/demo/records/1", "writer", null, null);
    problem(wrong, 405, "method-not-allowed");
    assertEquals("GET, PUT, DELETE", wrong.headers().firstValue("Allow").orElse(""));
    HttpResponse<String> post = json("POST", "/api/v1/demo/records/count", "writer", "{}");
    assertEquals("GET", problem(post, 405, "method-not-allowed").isObject()
        ? post.headers().firstValue("Allow").orElse("") : "");
    // JSON-RPC on / is untouched.
    HttpResponse<String> rpc = json("POST", "/", null,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":[7]}");
    assertEquals(7, JSON.readTree(rpc.body()).path("result").asInt());
  }

  @Test
  void writesNeedAToken() throws Exception {
    int before = refused("unauthorized");
    String body = "{\"name\":\"x\",\"hash\":\"0x" + "ab".repeat(32) + "\"}";
    HttpResponse<String> none = json("POST", "/api/v1/demo/records", null, body);
    problem(none, 401, "unauthorized");
    assertEquals("Bearer realm=\"chorus\"", none.headers()
        .firstValue("WWW-Authenticate").orElse(""));
    HttpResponse<String> revoked = json("POST", "/api/v1/demo/records", "revoked", body);
    assertEquals("token revoked", problem(revoked, 401, "unauthorized").path("detail")
        .asText());
    assertTrue(revoked.headers().firstValue("WWW-Authenticate").orElse("")
        .contains("invalid_token"));
    assertEquals(before + 2, refused("unauthorized"));
  }

  @Test
  void aCallerWithoutTheRoleIsForbiddenWithoutLearningWhetherTheResourceExists()
      throws Exception {
    HttpResponse<String> existing = send("DELETE", "/api/v1/demo/records/1", "writer", null,
        null);
    HttpResponse<String> absent = send("DELETE", "/api/v1/demo/records/404", "writer", null,
        null);
    problem(existing, 403, "forbidden");
    problem(absent, 403, "forbidden");
    assertEquals(existing.body(), absent.body());
    assertEquals("first", JSON.readTree(get("/api/v1/demo/records/1").body()).path("name")
        .asText());
    problem(json("PUT", "/api/v1/demo/records/1", "reader", "{\"name\":\"y\"}"), 403,
        "forbidden");
  }

  @Test
  void aWriteWithTheRoleRunsWithItsCaller() throws Exception {
    String hash = "0x" + "cd".repeat(32);
    HttpResponse<String> made = json("POST", "/api/v1/demo/records", "writer",
        "{\"name\":\"second\",\"hash\":\"" + hash + "\"}");
    assertEquals(201, made.statusCode(), made.body());
    JsonNode body = JSON.readTree(made.body());
    assertEquals(hash, body.path("hash").asText());
    assertEquals(Hex.encode0x(ALICE.toArray()), body.path("by").asText());
    String location = made.headers().firstValue("Location").orElseThrow();
    assertEquals("second", JSON.readTree(get(location).body()).path("name").asText());
    HttpResponse<String> put = json("PUT", location, "writer", "{\"name\":\"renamed\"}");
    assertEquals(204, put.statusCode(), put.body());
    assertEquals("renamed", JSON.readTree(get(location).body()).path("name").asText());
  }

  @Test
  void badBodiesListEveryFieldToFix() throws Exception {
    JsonNode notJson = problem(json("POST", "/api/v1/demo/records", "writer", "{\"name\":"),
        400, "invalid-request");
    assertTrue(notJson.path("detail").asText().startsWith("the body is not valid JSON"),
        notJson.toString());
    JsonNode fields = problem(json("POST", "/api/v1/demo/records", "writer",
        "{\"hash\":\"0x12\",\"nmae\":\"typo\"}"), 400, "invalid-request");
    List<String> named = new ArrayList<>();
    for (JsonNode error : fields.path("errors")) {
      named.add(error.path("field").asText());
      assertFalse(error.path("detail").asText().isBlank());
    }
    assertEquals(List.of("/name", "/hash", "/nmae"), named, fields.toString());
    assertTrue(fields.path("errors").get(1).path("detail").asText().contains("64 hex digits"));
    problem(send("POST", "/api/v1/demo/records", "writer", "text/plain",
        "{}".getBytes(StandardCharsets.UTF_8)), 415, "unsupported-media-type");
  }

  @Test
  void bodiesOverTheirBoundAreRefusedWith413() throws Exception {
    int before = refused("too-large");
    // Over the route's bound (1 MiB) but under the server's: refused by the route.
    String big = "{\"name\":\"" + "x".repeat(RestApi.JSON_BYTES_MAX) + "\"}";
    problem(json("POST", "/api/v1/demo/records", "writer", big), 413, "too-large");
    // Over the server's bound: refused before any worker sees it, still as a problem.
    byte[] huge = new byte[RestApi.BODY_BYTES_MAX + 1];
    problem(send("POST", "/api/v1/demo/records", "writer", "application/json", huge), 413,
        "too-large");
    assertEquals(before + 2, refused("too-large"));
  }

  @Test
  void aMultipartUploadIsHashedAndItsSizeBounded() throws Exception {
    byte[] file = "the document to notarize\n".repeat(10).getBytes(StandardCharsets.UTF_8);
    String boundary = "chorus-boundary-7d2f";
    HttpResponse<String> hashed = send("POST", "/api/v1/demo/files", "writer",
        "multipart/form-data; boundary=" + boundary, multipart(boundary, file));
    assertEquals(200, hashed.statusCode(), hashed.body());
    JsonNode body = JSON.readTree(hashed.body());
    assertEquals(Hex.encode0x(sha256(file)), body.path("sha256").asText());
    assertEquals(file.length, body.path("bytes").asInt());
    assertEquals("deed.txt", body.path("fileName").asText());
    assertEquals("signed", body.path("note").asText());
    problem(send("POST", "/api/v1/demo/files", "writer",
        "multipart/form-data; boundary=" + boundary, multipart(boundary, new byte[5000])), 413,
        "too-large");
  }

  /** Found by RestBodyFuzzTest: Netty's decoder threw ArrayIndexOutOfBoundsException (500). */
  @Test
  void aContentDispositionAttributeWithoutAValueIsABadRequest() throws Exception {
    String boundary = "chorus-boundary-7d2f";
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename\r\n\r\nhello\r\n--" + boundary + "--\r\n";
    problem(send("POST", "/api/v1/demo/files", "writer", "multipart/form-data; boundary="
        + boundary, body.getBytes(StandardCharsets.UTF_8)), 400, "invalid-request");
  }

  private static byte[] multipart(String boundary, byte[] file) {
    String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n"
        + "signed\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
        + "filename=\"deed.txt\"\r\nContent-Type: application/octet-stream\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    byte[] a = head.getBytes(StandardCharsets.UTF_8);
    byte[] c = tail.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[a.length + file.length + c.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(file, 0, out, a.length, file.length);
    System.arraycopy(c, 0, out, a.length + file.length, c.length);
    return out;
  }

  @Test
  void everyRequestIsTimedUnderItsRouteTemplate() throws Exception {
    get("/api/v1/demo/records/1");
    get("/api/v1/demo/records/2");
    assertTrue(calls.get("GET /api/v1/demo/records/{id}").get() >= 2, calls.toString());
    assertTrue(calls.keySet().stream().noneMatch(k -> k.contains("records/1")), calls.toString());
  }

  @Test
  void theServedOpenApiDocumentIsValidAndListsEveryRoute() throws Exception {
    HttpResponse<String> served = get(RestApi.OPENAPI_PATH);
    assertEquals(200, served.statusCode());
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(served.body(), null,
        options);
    assertEquals(List.of(), parsed.getMessages() == null ? List.of() : parsed.getMessages());
    assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
    JsonNode doc = JSON.readTree(served.body());
    RestApi api = new RestApi(List.of(new Demo()), Authenticator.NONE, RestObserver.NONE, "t");
    for (String route : api.routeNames()) {
      String[] parts = route.split(" ");
      JsonNode operation = doc.path("paths").path(parts[1])
          .path(parts[0].toLowerCase(java.util.Locale.ROOT));
      assertTrue(operation.isObject(), route + " is missing from the document");
      boolean write = !parts[0].equals("GET");
      assertEquals(write, operation.has("security"), route + "'s security");
      assertTrue(operation.path("responses").has("404"), route);
    }
    JsonNode item = doc.path("paths").path("/api/v1/demo/records/{id}");
    assertEquals("id", item.path("parameters").get(0).path("name").asText());
  }

  @Test
  void aFragmentThatDisagreesWithItsRoutesIsRefused() {
    Demo missingOne = new Demo() {
      @Override
      public ObjectNode openApi() {
        ObjectNode doc = super.openApi();
        ((ObjectNode) doc.path("paths").path("/api/v1/demo/records/{id}")).remove("delete");
        return doc;
      }
    };
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> new RestApi(List.of(missingOne), Authenticator.NONE, RestObserver.NONE, "t"));
    assertTrue(missing.getMessage().contains("DELETE /api/v1/demo/records/{id}"),
        missing.getMessage());
    Demo extra = new Demo() {
      @Override
      public ObjectNode openApi() {
        ObjectNode doc = super.openApi();
        ((ObjectNode) doc.path("paths")).putObject("/api/v1/demo/ghost").putObject("get");
        return doc;
      }
    };
    assertThrows(IllegalArgumentException.class,
        () -> new RestApi(List.of(extra), Authenticator.NONE, RestObserver.NONE, "t"));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
