package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.evm.Address;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.RpcServer;
import io.chorus.rpc.rest.Authenticator;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestObserver;
import io.chorus.service.ServiceContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Named queries and their subscriptions over real sockets: the node's HTTP server in front of
 * the EPCIS service on a one-validator chain whose blocks the test makes, a webhook receiver on
 * the JDK's HTTP server, and the JDK's WebSocket client. Method: events are captured while the
 * receiver fails, is stopped, comes back, or the client disconnects, or the service restarts;
 * what the receivers got is then checked against the events captured, in chain order, with
 * their positions, cursors and signatures recomputed by the test.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EpcisSubscriptionTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TOKEN = "receiver's secret";
  private static final Address OTHER = Address.parse("0x" + "0b".repeat(20));

  @TempDir Path dir;
  private TraceChain chain;
  private EpcisService service;
  private RpcServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private int serial;
  // Credentials revoked since the test began, as the node's token file would say.
  private final Set<String> revoked = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void open() throws IOException {
    chain = new TraceChain(dir.resolve("chain"));
    start();
  }

  // The service and the node's HTTP server in front of it, on the test's directories.
  private void start() throws IOException {
    Authenticator tokens = new Authenticator() {
      @Override
      public Optional<Caller> authenticate(String authorization) {
        return switch (authorization) {
          case null -> Optional.empty();
          case "Bearer other" -> Optional.of(new Caller(OTHER, Set.of(EpcisService.SUBSCRIBER),
              "other token"));
          case "Bearer reader" -> Optional.of(new Caller(OTHER, Set.of(), "reader token"));
          case "Bearer second" -> Optional.of(new Caller(TraceChain.SENDER, Set.of(
              EpcisService.SUBSCRIBER), "second token"));
          default -> {
            if (revoked.contains("test token")) {
              throw Problem.unauthorized("test token was revoked", true);
            }
            yield Optional.of(new Caller(TraceChain.SENDER, Set.of(
                EpcisService.CAPTURER, EpcisService.SUBSCRIBER), "test token"));
          }
        };
      }

      @Override
      public Optional<String> lapsed(Caller caller) {
        return revoked.contains(caller.credential())
            ? Optional.of(caller.credential() + " was revoked") : Optional.empty();
      }
    };
    ServiceContext context = chain.context();
    service = chain.follow(new EpcisService(new ServiceContext(context.chain(),
        context.submitter(), context.proofs(), tokens), dir.resolve("trace"),
        Clock.systemUTC(), ConsortiumDirectory.NONE,
        new SubscriptionDeliverer.Backoff(Duration.ofMillis(50), Duration.ofMillis(200))));
    RestApi api = new RestApi(List.of(service), tokens, RestObserver.NONE, "test");
    server = RpcServer.start(new JsonRpc(Map.of()), api,
        RpcServer.Config.defaults().withPort(0));
  }

  private void stop() {
    server.close();
    service.close();
  }

  @AfterEach
  void close() {
    stop();
    chain.close();
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Captures {@code n} ObjectEvents with {@code bizStep} in one block; their eventIDs. */
  private List<String> capture(String bizStep, int n) throws Exception {
    ObjectNode doc = TraceChain.JSON.createObjectNode();
    doc.putArray("@context").add(EpcisService.CONTEXT);
    doc.put("type", "EPCISDocument").put("schemaVersion", "2.0")
        .put("creationDate", "2024-05-01T08:00:00Z");
    ArrayNode list = doc.putObject("epcisBody").putArray("eventList");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id = "urn:uuid:00000000-0000-4000-8000-" + String.format("%012d", ++serial);
      ids.add(id);
      ObjectNode event = list.addObject().put("type", "ObjectEvent").put("eventID", id)
          .put("eventTime", "2024-05-01T06:30:00Z").put("eventTimeZoneOffset", "+08:00")
          .put("action", "OBSERVE").put("bizStep", bizStep);
      event.putArray("epcList").add("urn:epc:id:sgtin:4012345.011111." + serial);
    }
    TraceChain.Elements elements = TraceChain.elements(TraceChain.JSON.writeValueAsBytes(doc));
    chain.capture(CaptureBatch.plan(chain.chain.suite().hashFunction(), elements.elements(),
        elements.hashIds()).getFirst().callData());
    return ids;
  }

  private HttpResponse<String> send(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.port() + path)).method(method, body == null
            ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode json(HttpResponse<String> response) throws IOException {
    return TraceChain.JSON.readTree(response.body());
  }

  private JsonNode status(String path) throws Exception {
    return status(path, "t");
  }

  private JsonNode status(String path, String token) throws Exception {
    HttpResponse<String> answer = send("GET", path, null, token);
    assertEquals(200, answer.statusCode(), answer.body());
    return json(answer);
  }

  private static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(10);
    }
  }

  /**
   * Waits until the node has recorded {@code count} acknowledged events of the subscription:
   * the receiver records a delivery as it answers, the node the acknowledgement once it reads
   * that answer, a moment later.
   */
  private void awaitDelivered(String subscription, int count) throws Exception {
    await("the node records " + count + " acknowledged", () -> {
      try {
        return status(subscription).path("delivered").asInt() >= count;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  /** Each event of a delivery: its eventID and position, checking the delivery's cursor. */
  static List<Map.Entry<String, Long>> events(JsonNode document) {
    JsonNode results = document.at("/epcisBody/queryResults");
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    for (JsonNode event : results.at("/resultsBody/eventList")) {
      out.add(Map.entry(event.path("eventID").asText(),
          event.path(SubscribedEvents.POSITION).asLong()));
    }
    assertEquals(out.getLast().getValue(), results.path(SubscribedEvents.CURSOR).asLong(),
        "a delivery's cursor is its last event's position");
    return out;
  }

  private String namedQuery(String name, String query) throws Exception {
    HttpResponse<String> made = send("POST", "/epcis/queries", "{\"name\": \"" + name
        + "\", \"query\": " + query + "}", "t");
    assertEquals(201, made.statusCode(), made.body());
    return made.headers().firstValue("Location").orElseThrow();
  }

  private String subscribe(String query, WebhookReceiver receiver) throws Exception {
    HttpResponse<String> made = send("POST", query + "/subscriptions", "{\"dest\": \""
        + receiver.url() + "\", \"signatureToken\": \"" + TOKEN + "\", \"stream\": true}", "t");
    assertEquals(201, made.statusCode(), made.body());
    assertTrue(!made.body().contains(TOKEN), "the token is never answered");
    return made.headers().firstValue("Location").orElseThrow();
  }

  // ---- webhooks ------------------------------------------------------------------------------

  @Test
  void aWebhookGetsEveryEventOnceInChainOrderAcrossFailuresAndAnOutage() throws Exception {
    WebhookReceiver receiver = new WebhookReceiver();
    try {
      String query = namedQuery("shipments", "{\"EQ_bizStep\": \"shipping\"}");
      capture("shipping", 1); // before the subscription: not delivered
      String subscription = subscribe(query, receiver);
      List<String> expected = new ArrayList<>();

      expected.addAll(capture("shipping", 3));
      capture("receiving", 2);
      await("3 events acknowledged", () -> acknowledgedIds(receiver).size() >= 3);

      receiver.answer = 500; // received, but not acknowledged: to be repeated
      expected.addAll(capture("shipping", 4));
      await("2 failed attempts", () -> receiver.deliveries.stream()
          .filter(d -> d.status() == 500).count() >= 2);
      JsonNode failing = status(subscription);
      assertTrue(failing.path("attempts").asInt() >= 1, failing.toString());
      assertTrue(failing.path("lastError").asText().contains("HTTP 500"), failing.toString());
      assertEquals(4, failing.path("lag").asInt(), failing.toString());
      assertEquals(3, failing.path("delivered").asInt(), failing.toString());

      receiver.stop(); // down: nothing received at all
      expected.addAll(capture("shipping", 3));
      await("a failed connection", () -> {
        try {
          return !status(subscription).path("lastError").asText().contains("HTTP 500");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      assertEquals(7, status(subscription).path("lag").asInt());

      receiver.answer = 200;
      receiver.restart();
      await("all 10 acknowledged", () -> acknowledgedIds(receiver).size() >= 10);

      assertEquals(expected, acknowledgedIds(receiver), "every event once, in chain order");
      long previous = -1;
      List<Long> acknowledgedPositions = new ArrayList<>();
      for (WebhookReceiver.Delivery delivery : receiver.deliveries) {
        assertEquals(hmac(delivery.body()), delivery.signature(),
            "each delivery is signed with the token");
        JsonNode document = TraceChain.JSON.readTree(delivery.body());
        List<Map.Entry<String, Long>> events = events(document);
        assertEquals(delivery.cursor(), Long.toString(events.getLast().getValue()));
        assertTrue(events.getFirst().getValue() > previous, "a delivery starts after the"
            + " last acknowledged cursor: only unacknowledged events are repeated");
        if (delivery.status() / 100 == 2) {
          previous = events.getLast().getValue();
          events.forEach(e -> acknowledgedPositions.add(e.getValue()));
        }
      }
      assertEquals(acknowledgedPositions.stream().sorted().distinct().toList(),
          acknowledgedPositions, "positions rise: a repeat is told by its position");
      awaitDelivered(subscription, 10);
      JsonNode done = status(subscription);
      assertEquals(0, done.path("lag").asInt(), done.toString());
      assertEquals(0, done.path("attempts").asInt(), done.toString());
      assertEquals(10, done.path("delivered").asInt(), done.toString());
      assertEquals(previous, done.path("cursor").asLong(), done.toString());
      assertTrue(done.path("lastError").isNull(), done.toString());
    } finally {
      receiver.stop();
    }
  }

  // The GS1-Signature a receiver expects, as docs/traceability.md says to compute it.
  private static String hmac(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "hmac-sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
  }

  // The eventIDs of every acknowledged delivery, empty reports included.
  private static List<String> eventIdsOf(WebhookReceiver receiver) {
    List<String> ids = new ArrayList<>();
    for (WebhookReceiver.Delivery delivery : receiver.acknowledged()) {
      try {
        TraceChain.JSON.readTree(delivery.body())
            .at("/epcisBody/queryResults/resultsBody/eventList")
            .forEach(e -> ids.add(e.path("eventID").asText()));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return ids;
  }

  private static List<String> acknowledgedIds(WebhookReceiver receiver) {
    List<String> ids = new ArrayList<>();
    for (WebhookReceiver.Delivery delivery : receiver.acknowledged()) {
      try {
        events(TraceChain.JSON.readTree(delivery.body())).forEach(e -> ids.add(e.getKey()));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    return ids;
  }

  @Test
  void subscriptionsAndCursorsSurviveARestartAndEventsCapturedMeanwhileAreDelivered()
      throws Exception {
    WebhookReceiver receiver = new WebhookReceiver();
    try {
      String query = namedQuery("all", "{\"eventType\": [\"ObjectEvent\"]}");
      String subscription = subscribe(query, receiver);
      List<String> first = capture("shipping", 2);
      await("2 acknowledged", () -> acknowledgedIds(receiver).size() >= 2);
      // Stopped once the node has written the cursor: before that, a repeat is due (at least
      // once), which is not what this test is about.
      awaitDelivered(subscription, 2);

      stop();
      List<String> meanwhile = capture("receiving", 3); // the service is down
      receiver.deliveries.clear();
      start();

      await("3 acknowledged", () -> acknowledgedIds(receiver).size() >= 3);
      assertEquals(meanwhile, acknowledgedIds(receiver), "resumed after the cursor: the"
          + " first two are not repeated, the three are not lost");
      awaitDelivered(subscription, first.size() + meanwhile.size()); // acknowledged just after
      assertEquals(first.size() + meanwhile.size(), status(subscription).path("delivered")
          .asInt());
      assertEquals("all", json(send("GET", "/epcis/queries", null, null)).path(0)
          .path("name").asText());
    } finally {
      receiver.stop();
    }
  }

  // ---- WebSocket -----------------------------------------------------------------------------

  /** Collects a WebSocket's messages. */
  static final class Client implements WebSocket.Listener {
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          messages.add(TraceChain.JSON.readTree(partial.toString()));
        } catch (IOException e) {
          throw new AssertionError(e);
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(statusCode + " " + reason);
        return null;
    }

    JsonNode next() throws InterruptedException {
      JsonNode message = messages.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertNotNull(message, "no message within " + WAIT);
      return message;
    }
  }

  private WebSocket connect(String path, String token, Client client) {
    WebSocket.Builder builder = http.newWebSocketBuilder();
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return builder.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), client)
        .join();
  }

  private int refusal(String path, String token) {
    CompletionException failed = assertThrows(CompletionException.class,
        () -> connect(path, token, new Client()));
    return assertInstanceOf(WebSocketHandshakeException.class, failed.getCause())
        .getResponse().statusCode();
  }

  @Test
  void aWebSocketClientResumesFromItsAcknowledgedCursorWithNoGapAndNoRepeat()
      throws Exception {
    String query = namedQuery("objects", "{\"eventType\": \"ObjectEvent\"}");
    String stream = query + "/events?stream=true";
    assertEquals(401, refusal(stream, null));
    assertEquals(403, refusal(stream, "reader"));
    assertEquals(404, refusal("/epcis/queries/nothing/events?stream=true", "t"));
    assertEquals(400, refusal(query + "/events", "t"), "stream=true is required");
    assertEquals(400, refusal(stream + "&cursor=99", "t"), "a cursor beyond the store");

    Client client = new Client();
    WebSocket ws = connect(stream, "t", client);
    List<String> acknowledged = capture("shipping", 5);
    JsonNode first = client.next();
    assertEquals(acknowledged, events(first).stream().map(Map.Entry::getKey).toList());
    long cursor = first.at("/epcisBody/queryResults/" + SubscribedEvents.CURSOR).asLong();
    ws.sendText("{\"ack\": " + cursor + "}", true).join();
    ws.sendText("{\"ack\": 12345}", true).join();
    assertTrue(client.next().path("error").asText().contains("no message sent has cursor"));

    List<String> unacknowledged = capture("receiving", 5);
    assertEquals(unacknowledged, events(client.next()).stream().map(Map.Entry::getKey)
        .toList());
    ws.abort(); // gone without acknowledging them
    List<String> missed = capture("shipping", 5);

    Client again = new Client();
    WebSocket resumed = connect(stream + "&cursor=" + cursor, "t", again);
    List<String> got = new ArrayList<>();
    while (got.size() < 10) {
      JsonNode message = again.next();
      events(message).forEach(e -> got.add(e.getKey()));
      resumed.sendText("{\"ack\": " + message.at("/epcisBody/queryResults/"
          + SubscribedEvents.CURSOR).asLong() + "}", true).join();
    }
    List<String> expected = new ArrayList<>(unacknowledged);
    expected.addAll(missed);
    assertEquals(expected, got, "right after the acknowledged cursor: the unacknowledged"
        + " again, then what was missed");
    assertEquals(null, again.messages.poll(200, TimeUnit.MILLISECONDS), "nothing more");
    resumed.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
  }

  @Test
  void aRevokedTokensSubscriptionsDeliverNothingMoreAndItsStreamsClose() throws Exception {
    WebhookReceiver receiver = new WebhookReceiver();
    try {
      String query = namedQuery("shipments", "{\"EQ_bizStep\": \"shipping\"}");
      String subscription = subscribe(query, receiver);
      Client client = new Client();
      WebSocket ws = connect(query + "/events?stream=true", "t", client);
      capture("shipping", 2);
      awaitDelivered(subscription, 2);
      assertEquals(2, events(client.next()).size());

      revoked.add("test token");
      capture("shipping", 3);
      assertTrue(client.next().path("error").asText().contains("test token was revoked"),
          "the stream says why it ends");
      assertTrue(client.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS).startsWith("1008 "),
          "closed as a policy violation");
      await("the subscription says why it stopped", () -> {
        try {
          return status(subscription, "second").path("lastError").asText()
              .contains("test token was revoked");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      Thread.sleep(300); // a delivery would have been sent by now
      assertEquals(1, receiver.deliveries.size(), "the 3 events after it are not sent");
      assertEquals(2, status(subscription, "second").path("delivered").asInt());
      ws.abort();
    } finally {
      receiver.stop();
    }
  }

  // ---- bad input -----------------------------------------------------------------------------

  /**
   * A schedule of every second with reportIfEmpty: an empty report comes at query times with
   * nothing new; the schedule is kept across a restart (not turned into a stream), and events
   * captured meanwhile come at the next query time.
   */
  @Test
  void aScheduleIsKeptAcrossARestartAndReportsWhenEmpty() throws Exception {
    WebhookReceiver receiver = new WebhookReceiver();
    try {
      String query = namedQuery("scheduled", "{\"EQ_bizStep\": \"shipping\"}");
      HttpResponse<String> made = send("POST", query + "/subscriptions", "{\"dest\": \""
          + receiver.url() + "\", \"reportIfEmpty\": true, \"schedule\": {\"second\":"
          + " \"[0-59]\"}}", "t");
      assertEquals(201, made.statusCode(), made.body());
      String subscription = made.headers().firstValue("Location").orElseThrow();
      await("an empty report", () -> receiver.deliveries.stream().anyMatch(d -> {
        try {
          return TraceChain.JSON.readTree(d.body())
              .at("/epcisBody/queryResults/resultsBody/eventList").isEmpty();
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      }));

      stop();
      List<String> meanwhile = capture("shipping", 2);
      start();
      JsonNode restarted = status(subscription);
      assertEquals("[0-59]", restarted.at("/schedule/second").asText(), restarted.toString());
      assertTrue(restarted.path("stream").isMissingNode(), restarted.toString());
      assertTrue(restarted.path("reportIfEmpty").asBoolean(), restarted.toString());
      await("the two events", () -> eventIdsOf(receiver).size() >= 2);
      assertEquals(meanwhile, eventIdsOf(receiver));
    } finally {
      receiver.stop();
    }
  }

  @Test
  void badQueriesAndSubscriptionsAreRefusedNamingTheField() throws Exception {
    namedQuery("shipments", "{\"EQ_bizStep\": [\"shipping\"]}");
    assertEquals(409, send("POST", "/epcis/queries", "{\"name\": \"shipments\", \"query\":"
        + " {}}", "t").statusCode());
    HttpResponse<String> unsupported = send("POST", "/epcis/queries", "{\"name\": \"x\","
        + " \"query\": {\"HASATTR_bizLocation\": \"urn:x\"}}", "t");
    assertEquals(400, unsupported.statusCode());
    assertEquals("/query/HASATTR_bizLocation", json(unsupported).at("/errors/0/field")
        .asText());
    HttpResponse<String> badWord = send("POST", "/epcis/queries", "{\"name\": \"x\","
        + " \"query\": {\"EQ_bizStep\": \"not a word\"}}", "t");
    assertEquals("/query/EQ_bizStep", json(badWord).at("/errors/0/field").asText());
    assertEquals("/name", json(send("POST", "/epcis/queries", "{\"name\": \"a/b\", \"query\":"
        + " {}}", "t")).at("/errors/0/field").asText());
    assertEquals(401, send("POST", "/epcis/queries", "{\"name\": \"y\", \"query\": {}}", null)
        .statusCode());
    assertEquals(403, send("POST", "/epcis/queries", "{\"name\": \"y\", \"query\": {}}",
        "reader").statusCode());
    assertEquals(413, send("POST", "/epcis/queries", "{\"name\": \"y\", \"query\": {\"a\": \""
        + "x".repeat(EpcisSubscriptions.BODY_BYTES_MAX) + "\"}}", "t").statusCode());
    assertEquals(404, send("GET", "/epcis/queries/nothing", null, null).statusCode());

    String subscriptions = "/epcis/queries/shipments/subscriptions";
    assertEquals(404, send("POST", "/epcis/queries/nothing/subscriptions", "{\"dest\":"
        + " \"http://127.0.0.1:1/\", \"stream\": true}", "t").statusCode());
    HttpResponse<String> ftp = send("POST", subscriptions, "{\"dest\": \"ftp://x.example/\","
        + " \"stream\": true}", "t");
    assertEquals(400, ftp.statusCode());
    assertEquals("/dest", json(ftp).at("/errors/0/field").asText());
    HttpResponse<String> metadata = send("POST", subscriptions, "{\"dest\":"
        + " \"http://169.254.169.254/latest/meta-data/\", \"stream\": true}", "t");
    assertEquals(400, metadata.statusCode(), "the cloud's metadata service, link-local");
    assertTrue(json(metadata).at("/errors/0/detail").asText().contains("link-local"),
        metadata.body());
    assertEquals("/stream", json(send("POST", subscriptions, "{\"dest\":"
        + " \"http://127.0.0.1:1/\"}", "t")).at("/errors/0/field").asText());
    String mine = send("POST", subscriptions, "{\"dest\": \"http://127.0.0.1:1/\","
        + " \"stream\": true}", "t").headers().firstValue("Location").orElseThrow();
    assertEquals(404, send("GET", mine, null, "other").statusCode(), "another account's");
    assertEquals(0, json(send("GET", subscriptions, null, "other")).size());
    assertEquals(403, send("DELETE", "/epcis/queries/shipments", null, "other").statusCode());
    assertEquals(409, send("DELETE", "/epcis/queries/shipments", null, "t").statusCode(),
        "a query with subscriptions stays");
    assertEquals(204, send("DELETE", mine, null, "t").statusCode());
    assertEquals(204, send("DELETE", "/epcis/queries/shipments", null, "t").statusCode());
    assertEquals(404, send("GET", "/epcis/queries/shipments", null, null).statusCode());
  }

  @Test
  void aNamedQueryAnswersAsItsParametersWouldAndPagesTheSameWay() throws Exception {
    capture("shipping", 3);
    capture("receiving", 2);
    String query = namedQuery("shipments", "{\"EQ_bizStep\": \"shipping\"}");
    HttpResponse<String> page = send("GET", query + "/events?perPage=2", null, null);
    assertEquals(200, page.statusCode(), page.body());
    JsonNode firstPage = json(page).at("/epcisBody/queryResults/resultsBody/eventList");
    assertEquals(2, firstPage.size());
    assertTrue(firstPage.get(0).path(SubscribedEvents.POSITION).asLong()
        < firstPage.get(1).path(SubscribedEvents.POSITION).asLong(), "positions in chain order");
    String link = page.headers().firstValue("Link").orElseThrow();
    JsonNode second = json(send("GET", link.substring(1, link.indexOf('>')), null, null));
    JsonNode direct = json(send("GET", "/epcis/events?EQ_bizStep=shipping", null, null));
    List<String> ids = new ArrayList<>();
    firstPage.forEach(e -> ids.add(e.path("eventID").asText()));
    second.at("/epcisBody/queryResults/resultsBody/eventList")
        .forEach(e -> ids.add(e.path("eventID").asText()));
    List<String> expected = new ArrayList<>();
    direct.at("/epcisBody/queryResults/resultsBody/eventList")
        .forEach(e -> expected.add(e.path("eventID").asText()));
    assertEquals(3, expected.size());
    assertEquals(expected, ids);
    assertEquals(400, send("GET", query + "/events?EQ_bizStep=receiving", null, null)
        .statusCode(), "a named query's parameters are its own");
  }
}
