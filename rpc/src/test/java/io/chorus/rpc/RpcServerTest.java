package io.chorus.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.util.ResourceLeakDetector;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server over real loopback sockets, driven by {@link HttpClient} (HTTP and WebSocket) and,
 * where pipelining or raw bytes matter, by plain sockets.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RpcServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final AtomicInteger observed = new AtomicInteger();
  private static final Map<Long, CountDownLatch> sessionClosed = new ConcurrentHashMap<>();
  private static RpcServer server;
  private static HttpClient http;

  static JsonRpc rpc() {
    return new JsonRpc(
        Map.of(
            "echo", params -> params.get(0),
            "sleep", params -> {
              sleep(params.get(0).asInt());
              return params.get(1);
            }),
        Map.of(
            // Pushes a notification before its own response is even built: the client must
            // still see the response first.
            "subscribe", (params, session) -> {
              sessionClosed.put(session.id(), new CountDownLatch(1));
              session.onClose(() -> sessionClosed.get(session.id()).countDown());
              session.send(notification(session.id(), 0));
              return TextNode.valueOf("0x" + Long.toHexString(session.id()));
            },
            "push", (params, session) -> {
              int n = params.get(0).asInt();
              // From another thread, as a block producer would.
              Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= n; i++) {
                  session.send(notification(session.id(), i));
                }
              });
              return IntNode.valueOf(n);
            }),
        (method, nanos, error) -> observed.incrementAndGet());
  }

  private static String notification(long sessionId, int n) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{\"subscription\":\"0x"
        + Long.toHexString(sessionId) + "\",\"result\":" + n + "}}";
  }

  private static void sleep(int millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static RpcServer.Config config() {
    return RpcServer.Config.defaults().withPort(0).withRoutes(Map.of(
        "/metrics", RpcServer.Route.prometheus(() -> "# TYPE rpc_calls counter\nrpc_calls "
            + observed.get() + "\n"),
        "/health", RpcServer.Route.text(() -> "ok"),
        "/broken", RpcServer.Route.text(() -> {
          throw new IllegalStateException("route bug");
        })));
  }

  // Netty reports leaked buffers through java.util.logging when no other backend is present.
  private static final Logger LEAK_LOG = Logger.getLogger(ResourceLeakDetector.class.getName());
  private static final List<String> leaks = new CopyOnWriteArrayList<>();
  private static final Handler LEAK_RECORDER = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getMessage() != null && record.getMessage().contains("LEAK")) {
        leaks.add(record.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeAll
  static void start() throws IOException {
    LEAK_LOG.addHandler(LEAK_RECORDER);
    server = RpcServer.start(rpc(), config());
    http = HttpClient.newBuilder().connectTimeout(WAIT).build();
  }

  /**
   * Closes the shared server, then checks that no buffer leaked: leaks are found when a
   * buffer is collected, and reported at a later allocation. Run with
   * {@code -Drpc.test.jvmArgs=-Dio.netty.leakDetection.level=paranoid} to track every buffer.
   */
  @AfterAll
  static void stop() throws InterruptedException {
    server.close();
    http.close();
    for (int i = 0; i < 5; i++) {
      System.gc();
      Thread.sleep(50);
      for (int j = 0; j < 100; j++) {
        ByteBufAllocator.DEFAULT.buffer(16).release();
      }
    }
    LEAK_LOG.removeHandler(LEAK_RECORDER);
    assertEquals(List.of(), leaks, "Netty buffers leaked");
  }

  private static URI uri(RpcServer s, String path) {
    return URI.create("http://127.0.0.1:" + s.port() + path);
  }

  private static HttpResponse<String> post(RpcServer s, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(s, "/")).timeout(WAIT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String call(String method, String params, Object id) {
    return "{\"jsonrpc\":\"2.0\",\"method\":\"" + method + "\",\"params\":" + params
        + (id == null ? "" : ",\"id\":" + id) + "}";
  }

  // ------------------------------------------------------------------------------- HTTP

  @Test
  void singleAndBatchCallsOverHttp() throws Exception {
    HttpResponse<String> single = post(server, call("echo", "[\"hi\"]", 1));
    assertEquals(200, single.statusCode());
    assertEquals("application/json", single.headers().firstValue("content-type").orElse(""));
    assertEquals(JSON.readTree("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"hi\"}"),
        JSON.readTree(single.body()));

    HttpResponse<String> batch = post(server, "[" + call("echo", "[1]", 1) + ","
        + call("echo", "[2]", null) + "," + call("nope", "[]", 3) + "]");
    JsonNode responses = JSON.readTree(batch.body());
    assertEquals(2, responses.size());
    assertEquals(1, responses.get(0).get("result").asInt());
    assertEquals(JsonRpc.METHOD_NOT_FOUND, responses.get(1).at("/error/code").asInt());
  }

  @Test
  void aBodyOfNotificationsOnlyGets204() throws Exception {
    HttpResponse<String> response = post(server, "[" + call("echo", "[1]", null) + ","
        + call("echo", "[2]", null) + "]");
    assertEquals(204, response.statusCode());
    assertEquals("", response.body());
  }

  @Test
  void anOversizedBodyGets413WithAJsonRpcErrorAndTheServerGoesOn() throws Exception {
    String huge = "[\"" + "a".repeat(JsonRpc.REQUEST_BYTES_MAX) + "\"]";
    HttpResponse<String> response = post(server, call("echo", huge, 1));
    assertEquals(413, response.statusCode());
    JsonNode error = JSON.readTree(response.body());
    assertEquals(JsonRpc.INVALID_REQUEST, error.at("/error/code").asInt());
    assertTrue(error.at("/error/message").asText().contains("exceeds the maximum of "
        + JsonRpc.REQUEST_BYTES_MAX), response.body());
    assertEquals(200, post(server, call("echo", "[1]", 1)).statusCode());
  }

  @Test
  void anOversizedBodyOnAKeepAliveConnectionIsAnsweredInOrderAndDropped() throws Exception {
    try (Raw raw = new Raw(server.port())) {
      String small = call("echo", "[\"before\"]", 1);
      int big = JsonRpc.REQUEST_BYTES_MAX + 1;
      raw.write(post(small) + "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + big + "\r\n\r\n");
      raw.write(new byte[big]);
      raw.write(post(call("echo", "[\"after\"]", 3)));
      assertEquals("before", JSON.readTree(raw.read().body()).get("result").asText());
      Raw.Response tooBig = raw.read();
      assertEquals(413, tooBig.status());
      assertEquals(JsonRpc.INVALID_REQUEST, JSON.readTree(tooBig.body()).at("/error/code")
          .asInt());
      assertEquals("after", JSON.readTree(raw.read().body()).get("result").asText());
    }
  }

  @Test
  void aBodyThatIsNotJsonGets415() throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(server, "/"))
        .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(415, response.statusCode());
    assertTrue(JSON.readTree(response.body()).at("/error/message").asText()
        .contains("application/json"));
    HttpResponse<String> none = http.send(HttpRequest.newBuilder(uri(server, "/"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(415, none.statusCode());
  }

  @Test
  void aSessionMethodOverHttpSaysUseTheWebSocket() throws Exception {
    JsonNode response = JSON.readTree(post(server, call("subscribe", "[\"newHeads\"]", 5))
        .body());
    assertEquals(JsonRpc.METHOD_NOT_FOUND, response.at("/error/code").asInt());
    assertEquals(JsonRpc.NOTIFICATIONS_UNSUPPORTED, response.at("/error/message").asText());
  }

  @Test
  void theObserverSeesCallsMadeOverTheWire() throws Exception {
    int before = observed.get();
    post(server, "[" + call("echo", "[1]", 1) + "," + call("echo", "[2]", 2) + ","
        + call("x", "[]", 3) + "]");
    assertEquals(3, observed.get() - before);
  }

  @Test
  void pipelinedRequestsOnManyConnectionsAreAnsweredInOrderPerConnection() throws Exception {
    int connections = 4;
    int requests = 25;
    ExecutorService clients = Executors.newFixedThreadPool(connections);
    try {
      List<Future<List<Integer>>> results = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        Random random = new Random(c);
        results.add(clients.submit(() -> {
          try (Raw raw = new Raw(server.port())) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < requests; i++) {
              // Early requests sleep longest, so they finish last on the workers.
              all.append(post(call("sleep", "[" + (random.nextInt(5) + (requests - i))
                  + "," + i + "]", i)));
            }
            raw.write(all.toString());
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
              JsonNode response = JSON.readTree(raw.read().body());
              assertEquals(response.get("id").asInt(), response.get("result").asInt());
              ids.add(response.get("id").asInt());
            }
            return ids;
          }
        }));
      }
      List<Integer> expected = java.util.stream.IntStream.range(0, requests).boxed().toList();
      for (Future<List<Integer>> result : results) {
        assertEquals(expected, result.get(30, TimeUnit.SECONDS));
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void connectionCloseIsHonouredAfterTheAnswer() throws Exception {
    try (Raw raw = new Raw(server.port())) {
      String body = call("echo", "[7]", 1);
      raw.write("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
          + "application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
      Raw.Response response = raw.read();
      assertEquals("close", response.headers().get("connection"));
      assertEquals(7, JSON.readTree(response.body()).get("result").asInt());
      assertEquals(-1, raw.in.read(), "the server closes the connection");
    }
  }

  // --------------------------------------------------------------------------- Routes

  @Test
  void getRoutesServeTextWithTheirContentType() throws Exception {
    post(server, call("echo", "[1]", 1));
    HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(uri(server, "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, metrics.statusCode());
    assertEquals(RpcServer.PROMETHEUS_CONTENT_TYPE,
        metrics.headers().firstValue("content-type").orElse(""));
    assertTrue(metrics.body().startsWith("# TYPE rpc_calls counter\nrpc_calls "));
    assertFalse(metrics.body().contains("rpc_calls 0\n"));
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri(server, "/health?x=1"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("ok", health.body());
    assertEquals("text/plain; charset=utf-8", health.headers().firstValue("content-type")
        .orElse(""));
    HttpResponse<String> broken = http.send(HttpRequest.newBuilder(uri(server, "/broken"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(500, broken.statusCode());
    assertTrue(broken.body().contains("IllegalStateException"));
  }

  @Test
  void unknownPathsGet404AndWrongMethods405() throws Exception {
    HttpResponse<String> missing = http.send(HttpRequest.newBuilder(uri(server, "/nope"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("/nope"));
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(uri(server, "/"))
        .PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, put.statusCode());
    assertEquals("POST, GET, OPTIONS", put.headers().firstValue("allow").orElse(""));
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(uri(server, "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
    assertTrue(get.body().contains("POST"));
    HttpResponse<String> postRoute = http.send(HttpRequest.newBuilder(uri(server, "/metrics"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(405, postRoute.statusCode());
    assertEquals("GET, OPTIONS", postRoute.headers().firstValue("allow").orElse(""));
  }

  @Test
  void malformedHttpGets400() throws Exception {
    try (Raw raw = new Raw(server.port())) {
      raw.write("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n");
      Raw.Response response = raw.read();
      assertEquals(400, response.status());
      assertTrue(response.body().startsWith("malformed HTTP request"), response.body());
    }
  }

  // ----------------------------------------------------------------------------- CORS

  @Test
  void corsPreflightAndHeadersWithAnyOrigin() throws Exception {
    HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(uri(server, "/"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", "https://wallet.example")
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(204, preflight.statusCode());
    assertEquals("*", preflight.headers().firstValue("access-control-allow-origin").orElse(""));
    assertTrue(preflight.headers().firstValue("access-control-allow-methods").orElse("")
        .contains("POST"));
    assertEquals("content-type",
        preflight.headers().firstValue("access-control-allow-headers").orElse(""));
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(server, "/"))
        .header("Origin", "https://wallet.example").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(call("echo", "[1]", 1))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals("*", post.headers().firstValue("access-control-allow-origin").orElse(""));
  }

  @Test
  void corsWithAListOfOriginsRefusesOthers() throws Exception {
    try (RpcServer s = RpcServer.start(rpc(), config()
        .withAllowedOrigins(List.of("https://Wallet.example")))) {
      HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(uri(s, "/"))
          .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
          .header("Origin", "https://wallet.example")
          .header("Access-Control-Request-Method", "POST").build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(204, allowed.statusCode());
      assertEquals("https://wallet.example",
          allowed.headers().firstValue("access-control-allow-origin").orElse(""));
      assertEquals("origin", allowed.headers().firstValue("vary").orElse("").toLowerCase(
          Locale.ROOT));
      for (String method : new String[] {"OPTIONS", "POST"}) {
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri(s, "/"))
            .method(method, HttpRequest.BodyPublishers.ofString(call("echo", "[1]", 1)))
            .header("Content-Type", "application/json")
            .header("Origin", "https://evil.example").build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(403, refused.statusCode(), method);
        assertTrue(refused.body().contains("https://evil.example"));
      }
      // Clients that send no Origin (not browsers) are not subject to CORS.
      assertEquals(200, post(s, call("echo", "[1]", 1)).statusCode());
      // Nor may a page from another origin open a WebSocket.
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> http.newWebSocketBuilder().header("Origin", "https://evil.example")
              .buildAsync(URI.create("ws://127.0.0.1:" + s.port() + "/ws"), new Client())
              .get(WAIT.toSeconds(), TimeUnit.SECONDS));
      assertEquals(403, assertInstanceOf(WebSocketHandshakeException.class,
          refused.getCause()).getResponse().statusCode());
      http.newWebSocketBuilder().header("Origin", "https://wallet.example")
          .buildAsync(URI.create("ws://127.0.0.1:" + s.port() + "/ws"), new Client())
          .get(WAIT.toSeconds(), TimeUnit.SECONDS).abort();
    }
  }

  // ------------------------------------------------------------------------ WebSocket

  /** Collects a WebSocket's messages and how it closed. */
  static class Client implements WebSocket.Listener {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Map.Entry<Integer, String>> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        messages.add(partial.toString());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(Map.entry(status, reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.completeExceptionally(error);
    }

    JsonNode next() throws Exception {
      String message = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no message within " + WAIT);
      }
      return JSON.readTree(message);
    }
  }

  private static WebSocket connect(RpcServer s, String path, Client client) throws Exception {
    return http.newWebSocketBuilder().connectTimeout(WAIT)
        .buildAsync(URI.create("ws://127.0.0.1:" + s.port() + path), client)
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aWebSocketSessionGetsResponsesThenPushedNotificationsInOrder() throws Exception {
    Client client = new Client();
    WebSocket ws = connect(server, "/ws", client);
    try {
      ws.sendText(call("echo", "[\"over ws\"]", 1), true).join();
      assertEquals("over ws", client.next().get("result").asText());

      ws.sendText(call("subscribe", "[\"newHeads\"]", 2), true).join();
      JsonNode subscribed = client.next();
      assertEquals(2, subscribed.get("id").asInt(), "the response before its notification");
      String subscription = subscribed.get("result").asText();
      JsonNode first = client.next();
      assertEquals("eth_subscription", first.get("method").asText());
      assertEquals(subscription, first.at("/params/subscription").asText());
      assertEquals(0, first.at("/params/result").asInt());

      ws.sendText(call("push", "[50]", 3), true).join();
      List<Integer> pushed = new ArrayList<>();
      boolean answered = false;
      while (pushed.size() < 50 || !answered) {
        JsonNode message = client.next();
        if (message.has("id")) {
          assertEquals(50, message.get("result").asInt());
          answered = true;
        } else {
          pushed.add(message.at("/params/result").asInt());
        }
      }
      assertEquals(java.util.stream.IntStream.rangeClosed(1, 50).boxed().toList(), pushed);

      ws.sendText(call("echo", "[1]", null), true).join(); // a notification: no answer
      ws.sendText("[" + call("echo", "[1]", 4) + "," + call("echo", "[2]", 5) + "]", true)
          .join();
      assertEquals(2, client.next().size());
    } finally {
      ws.abort();
    }
  }

  @Test
  void closingTheClientFiresTheSessionsCloseCallbacks() throws Exception {
    for (boolean abort : new boolean[] {false, true}) {
      Client client = new Client();
      WebSocket ws = connect(server, "/", client);
      ws.sendText(call("subscribe", "[]", 1), true).join();
      long session = Long.decode(client.next().get("result").asText());
      CountDownLatch closed = sessionClosed.get(session);
      assertEquals(1, closed.getCount());
      if (abort) {
        ws.abort();
      } else {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
      }
      assertTrue(closed.await(WAIT.toSeconds(), TimeUnit.SECONDS), "abort=" + abort);
    }
  }

  @Test
  void binaryFramesCloseTheWebSocketWithAReason() throws Exception {
    Client client = new Client();
    WebSocket ws = connect(server, "/ws", client);
    ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true);
    Map.Entry<Integer, String> closed = client.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertEquals(1003, closed.getKey());
    assertTrue(closed.getValue().contains("binary"), closed.getValue());
    assertEquals(200, post(server, call("echo", "[1]", 1)).statusCode());
  }

  @Test
  void oversizedWebSocketMessagesCloseWith1009() throws Exception {
    try (RpcServer s = RpcServer.start(rpc(), config().withWebSocketMessageBytesMax(1024))) {
      for (boolean fragmented : new boolean[] {false, true}) {
        Client client = new Client();
        WebSocket ws = connect(s, "/ws", client);
        String big = call("echo", "[\"" + "a".repeat(2000) + "\"]", 1);
        if (fragmented) {
          // Each frame is small; the message they make is not.
          ws.sendText(big.substring(0, 900), false).join();
          ws.sendText(big.substring(900, 1800), false).join();
          ws.sendText(big.substring(1800), true);
        } else {
          ws.sendText(big, true);
        }
        Map.Entry<Integer, String> closed = client.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(1009, closed.getKey(), "fragmented=" + fragmented);
        assertTrue(closed.getValue().contains("1024"), closed.getValue());
      }
      assertEquals(200, post(s, call("echo", "[1]", 1)).statusCode());
    }
  }

  @Test
  void aWebSocketThatDoesNotReadItsNotificationsIsClosed() throws Exception {
    // Takes the first message and then no more: the client stops reading from the socket.
    Client stalled = new Client() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        messages.add(data.toString());
        return null;
      }
    };
    WebSocket ws = connect(server, "/ws", stalled);
    try {
      ws.sendText(call("subscribe", "[]", 1), true).join();
      long session = Long.decode(JSON.readTree(stalled.messages.poll(WAIT.toSeconds(),
          TimeUnit.SECONDS)).get("result").asText());
      ws.sendText(call("push", "[200000]", 2), true).join();
      assertTrue(sessionClosed.get(session).await(WAIT.toSeconds(), TimeUnit.SECONDS),
          "the server gave up on the session");
    } finally {
      ws.abort();
    }
  }

  @Test
  void webSocketConnectionsAreBounded() throws Exception {
    try (RpcServer s = RpcServer.start(rpc(), config().withConnectionsMax(16, 1))) {
      Client first = new Client();
      WebSocket ws = connect(s, "/ws", first);
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> connect(s, "/ws", new Client()));
      WebSocketHandshakeException handshake =
          assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
      assertEquals(503, handshake.getResponse().statusCode());
      ws.abort();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (s.openWebSockets() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, s.openWebSockets());
      connect(s, "/ws", new Client()).abort();
    }
  }

  // ----------------------------------------------------------------- Bounds and lifecycle

  @Test
  void tcpConnectionsAreBounded() throws Exception {
    try (RpcServer s = RpcServer.start(rpc(), config().withConnectionsMax(1, 1));
        Raw first = new Raw(s.port())) {
      first.write(post(call("echo", "[1]", 1)));
      assertEquals(200, first.read().status());
      try (Raw second = new Raw(s.port())) {
        Raw.Response refused = second.read();
        assertEquals(503, refused.status());
        assertTrue(refused.body().contains("too many connections"));
      }
    }
  }

  @Test
  void idleHttpConnectionsAreClosedWhileWebSocketsAnsweringPingsStay() throws Exception {
    try (RpcServer s = RpcServer.start(rpc(), config().withIdleTimeout(Duration.ofMillis(200)));
        Raw raw = new Raw(s.port())) {
      Client client = new Client();
      WebSocket ws = connect(s, "/ws", client);
      raw.write(post(call("echo", "[1]", 1)));
      assertEquals(200, raw.read().status());
      long start = System.nanoTime();
      assertEquals(-1, raw.in.read(), "the idle HTTP connection is closed");
      assertTrue(System.nanoTime() - start < WAIT.toNanos());
      Thread.sleep(1_000); // five idle periods: pinged, and the client's pongs keep it open
      assertFalse(client.closed.isDone());
      ws.sendText(call("echo", "[\"still here\"]", 2), true).join();
      assertEquals("still here", client.next().get("result").asText());
      ws.abort();
    }
  }

  @Test
  void aFullWorkerQueueAnswersBusy() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    JsonRpc blocking = new JsonRpc(Map.of("block", params -> {
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return IntNode.valueOf(1);
    }));
    try (RpcServer s = RpcServer.start(blocking, config().withThreads(1, 1)
        .withWorkerQueue(1, JsonRpc.REQUEST_BYTES_MAX))) {
      CompletableFuture<HttpResponse<String>> first = postAsync(s, call("block", "[]", 1));
      assertTrue(started.await(WAIT.toSeconds(), TimeUnit.SECONDS));
      CompletableFuture<HttpResponse<String>> second = postAsync(s, call("block", "[]", 2));
      CompletableFuture<HttpResponse<String>> third = postAsync(s, call("block", "[]", 3));
      HttpResponse<String> busy = second.applyToEither(third, r -> r)
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertEquals(503, busy.statusCode());
      assertEquals(RpcServer.SERVER_BUSY, JSON.readTree(busy.body()).at("/error/code").asInt());
      release.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (CompletableFuture<HttpResponse<String>> f : List.of(first, second, third)) {
        statuses.add(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode());
      }
      statuses.sort(null);
      assertEquals(List.of(200, 200, 503), statuses);
    }
  }

  private static CompletableFuture<HttpResponse<String>> postAsync(RpcServer s, String body) {
    return http.sendAsync(HttpRequest.newBuilder(uri(s, "/")).timeout(WAIT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void nioServesWhereEpollIsNotWanted() throws Exception {
    assertEquals(Epoll.isAvailable(), server.usesEpoll());
    try (RpcServer s = RpcServer.start(rpc(), config().withPreferEpoll(false))) {
      assertFalse(s.usesEpoll());
      assertEquals(200, post(s, call("echo", "[1]", 1)).statusCode());
    }
  }

  @Test
  void aPacedAnswerWaitsForItsPacerWhileOtherConnectionsAreServedAndItsOwnKeepOrder()
      throws Exception {
    BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();
    JsonRpc paced = rpc().withPacing(java.util.Set.of("echo"), held::add);
    try (RpcServer s = RpcServer.start(paced, config()); Raw raw = new Raw(s.port())) {
      // On one connection a paced call, then a quick one pipelined behind it.
      raw.write(post(call("echo", "[1]", 1)) + post(call("sleep", "[0,2]", 2)));
      Runnable first = held.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertTrue(first != null, "the paced answer reaches the pacer");
      // Another connection is answered meanwhile.
      JsonNode other = JSON.readTree(post(s, call("sleep", "[0,3]", 3)).body());
      assertEquals(3, other.get("result").asInt());
      sleep(100);
      assertEquals(0, raw.in.available(), "neither answer is sent before the pacer lets go");
      first.run();
      assertEquals(1, JSON.readTree(raw.read().body()).get("result").asInt());
      assertEquals(2, JSON.readTree(raw.read().body()).get("result").asInt());
    }
  }

  @Test
  void closeAnswersCallsInFlightThenReleasesThePort() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    JsonRpc slowRpc = new JsonRpc(Map.of("slow", params -> {
      started.countDown();
      sleep(300);
      return IntNode.valueOf(9);
    }));
    RpcServer s = RpcServer.start(slowRpc, config());
    int port = s.port();
    assertTrue(port > 0);
    Client client = new Client();
    connect(s, "/ws", client);
    CompletableFuture<HttpResponse<String>> slow = postAsync(s, call("slow", "[]", 1));
    assertTrue(started.await(WAIT.toSeconds(), TimeUnit.SECONDS));
    s.close();
    assertEquals(9, JSON.readTree(slow.get(WAIT.toSeconds(), TimeUnit.SECONDS).body())
        .get("result").asInt());
    assertEquals(1001, client.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS).getKey());
    assertEquals(0, s.openConnections());
    try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      assertEquals(port, again.getLocalPort());
    }
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> postAsync(s, call("echo", "[1]", 1)).get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertInstanceOf(ConnectException.class, refused.getCause());
    s.close(); // idempotent
  }

  @Test
  void aTakenPortIsAClearError() throws Exception {
    IOException e = assertThrows(IOException.class,
        () -> RpcServer.start(rpc(), config().withPort(server.port())));
    assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + server.port()),
        e.getMessage());
  }

  @Test
  void badSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> config().withPort(70_000));
    assertThrows(IllegalArgumentException.class, () -> config().withThreads(0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> config().withRoutes(Map.of("/ws", RpcServer.Route.text(() -> ""))));
    assertThrows(IllegalArgumentException.class,
        () -> config().withWorkerQueue(10, 1024));
  }

  // ------------------------------------------------------------------------- Raw HTTP

  private static String post(String body) {
    return "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  /** A plain socket speaking just enough HTTP/1.1 to pipeline and read responses. */
  static final class Raw implements Closeable {
    record Response(int status, Map<String, String> headers, String body) {}

    private final Socket socket;
    final InputStream in;
    private final OutputStream out;

    Raw(int port) throws IOException {
      socket = new Socket(InetAddress.getLoopbackAddress(), port);
      socket.setSoTimeout((int) WAIT.toMillis());
      in = new BufferedInputStream(socket.getInputStream());
      out = socket.getOutputStream();
    }

    void write(String s) throws IOException {
      write(s.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
      out.write(bytes);
      out.flush();
    }

    Response read() throws IOException {
      String status = line();
      Map<String, String> headers = new HashMap<>();
      for (String line = line(); !line.isEmpty(); line = line()) {
        int colon = line.indexOf(':');
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      byte[] body = in.readNBytes(length);
      if (body.length != length) {
        throw new IOException("short body");
      }
      return new Response(Integer.parseInt(status.split(" ")[1]), headers,
          new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new IOException("connection closed mid-response");
        }
        if (b != '\r') {
          line.write(b);
        }
      }
      return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
