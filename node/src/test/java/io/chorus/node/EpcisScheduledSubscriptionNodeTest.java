package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.service.ApiTokens;
import io.chorus.trace.EpcisService;
import io.chorus.trace.WebhookReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scheduled EPCIS subscription on a real network: events captured at the validator (org0)
 * are delivered by the second member (org1) to a webhook receiver on the JDK's HTTP server at
 * the schedule's query times only (every 10 s, UTC), never as they are indexed; while the
 * receiver is down, the deliveries fail and the cursor stays; when it is back, the events
 * after the acknowledged cursor arrive, each once. Bad schedules are refused naming the field.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EpcisScheduledSubscriptionNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  private TraceNetwork network;
  private String capturer;
  private String subscriber;
  private int serial;

  @BeforeEach
  void start() throws Exception {
    network = TraceNetwork.start(dir, 4346);
    capturer = network.capturerToken(0);
    subscriber = ApiTokens.issue(dir.resolve("node1"), TraceNetwork.CAPTURER_ACCOUNT,
        Set.of(EpcisService.SUBSCRIBER), Optional.empty(), Clock.systemUTC(),
        new SecureRandom()).token();
  }

  @AfterEach
  void stop() {
    network.close();
  }

  /** The eventIDs of every delivery, in the order they came. */
  private static List<String> eventIds(WebhookReceiver receiver) {
    List<String> ids = new ArrayList<>();
    for (WebhookReceiver.Delivery delivery : receiver.deliveries) {
      try {
        JSON.readTree(delivery.body()).at("/epcisBody/queryResults/resultsBody/eventList")
            .forEach(e -> ids.add(e.path("eventID").asText()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return ids;
  }

  private HttpResponse<String> send(Node node, String method, String path, String body,
      String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.rpcUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Captures one ObjectEvent at the validator and waits for its job; its eventID. */
  private String capture() throws Exception {
    String id = "urn:uuid:5c4ed01e-0000-4000-8000-" + String.format("%012d", ++serial);
    ObjectNode event = JSON.createObjectNode();
    event.putArray("@context").add(
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld");
    event.put("type", "ObjectEvent").put("eventID", id)
        .put("eventTime", "2026-05-01T06:30:00Z").put("eventTimeZoneOffset", "+08:00")
        .put("action", "OBSERVE").put("bizStep", "shipping");
    event.putArray("epcList").add("urn:epc:id:sgtin:4012345.011111.S" + serial);
    HttpResponse<String> accepted = send(network.validator, "POST", "/epcis/events",
        JSON.writeValueAsString(event), capturer);
    assertEquals(202, accepted.statusCode(), accepted.body());
    String job = accepted.headers().firstValue("Location").orElseThrow();
    await("capture job " + job, () -> {
      try {
        return !JSON.readTree(send(network.validator, "GET", job, null, null).body())
            .path("running").asBoolean();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    return id;
  }

  private JsonNode status(String subscription) throws Exception {
    HttpResponse<String> answer = send(network.member, "GET", subscription, null, subscriber);
    assertEquals(200, answer.statusCode(), answer.body());
    return JSON.readTree(answer.body());
  }

  private static void await(String what, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  // The first time after {@code after} whose second is {@code r} modulo 10.
  private static Instant queryTimeAfter(Instant after, int r) {
    Instant t = after.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(1);
    while (t.atOffset(ZoneOffset.UTC).getSecond() % 10 != r) {
      t = t.plusSeconds(1);
    }
    return t;
  }

  @Test
  void eventsAreDeliveredAtQueryTimesAndResumeAfterTheReceiverWasDown() throws Exception {
    HttpResponse<String> made = send(network.member, "POST", "/epcis/queries",
        "{\"name\": \"shipments\", \"query\": {\"EQ_bizStep\": \"shipping\"}}", subscriber);
    assertEquals(201, made.statusCode(), made.body());
    WebhookReceiver receiver = new WebhookReceiver();
    try {
      // Query times every 10 s, the first some 7 s from now.
      int r = (Instant.now().atOffset(ZoneOffset.UTC).getSecond() + 7) % 10;
      String seconds = IntStream.range(0, 6).mapToObj(i -> Integer.toString(r + 10 * i))
          .collect(Collectors.joining(","));
      ObjectNode body = JSON.createObjectNode().put("dest", receiver.url());
      body.putObject("schedule").put("second", seconds);
      HttpResponse<String> subscribed = send(network.member, "POST",
          "/epcis/queries/shipments/subscriptions", body.toString(), subscriber);
      assertEquals(201, subscribed.statusCode(), subscribed.body());
      String subscription = subscribed.headers().firstValue("Location").orElseThrow();
      JsonNode created = JSON.readTree(subscribed.body());
      assertEquals(seconds, created.at("/schedule/second").asText(), created.toString());
      assertTrue(created.path("stream").isMissingNode(), created.toString());
      Instant nextRun = Instant.parse(created.path("nextRunAt").asText());
      assertEquals(r, nextRun.atOffset(ZoneOffset.UTC).getSecond() % 10, created.toString());

      Instant posted = Instant.now();
      String first = capture();
      await("the first delivery", () -> !eventIds(receiver).isEmpty());
      WebhookReceiver.Delivery delivery = receiver.deliveries.getFirst();
      Instant due = queryTimeAfter(posted, r);
      assertTrue(!delivery.at().isBefore(due), "delivered at " + delivery.at()
          + ", before the first query time after the capture, " + due);
      assertEquals(List.of(first), eventIds(receiver));
      await("acknowledged", () -> {
        try {
          return status(subscription).path("delivered").asInt() == 1;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      long cursor = status(subscription).path("cursor").asLong();

      // Down: the next query time's delivery fails and the cursor stays.
      receiver.stop();
      List<String> meanwhile = List.of(capture(), capture());
      await("a failed delivery", () -> {
        try {
          JsonNode now = status(subscription);
          return now.path("attempts").asInt() >= 1 && now.path("lag").asInt() == 2;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      JsonNode failing = status(subscription);
      assertEquals(cursor, failing.path("cursor").asLong(), failing.toString());
      assertEquals(1, failing.path("delivered").asInt(), failing.toString());
      assertEquals(2, failing.path("lag").asInt(), failing.toString());
      assertTrue(!failing.path("lastError").isNull(), failing.toString());

      receiver.restart();
      await("both acknowledged", () -> eventIds(receiver).size() >= 3);
      List<String> all = new ArrayList<>(List.of(first));
      all.addAll(meanwhile);
      assertEquals(all, eventIds(receiver), "every event once, in chain order");
      await("the node records 3", () -> {
        try {
          return status(subscription).path("delivered").asInt() == 3;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      JsonNode done = status(subscription);
      assertEquals(0, done.path("lag").asInt(), done.toString());
      assertTrue(done.path("cursor").asLong() > cursor, done.toString());
    } finally {
      receiver.stop();
    }
  }

  @Test
  void badSchedulesAreRefusedNamingTheField() throws Exception {
    assertEquals(201, send(network.member, "POST", "/epcis/queries",
        "{\"name\": \"q\", \"query\": {}}", subscriber).statusCode());
    String path = "/epcis/queries/q/subscriptions";
    String dest = "\"dest\": \"http://127.0.0.1:9/hook\"";
    for (String[] bad : new String[][] {
        {"{" + dest + ", \"schedule\": {\"minute\": \"60\"}}", "/schedule/minute"},
        {"{" + dest + ", \"schedule\": {\"hour\": \"[5-1]\"}}", "/schedule/hour"},
        {"{" + dest + ", \"schedule\": {\"dayOfWeek\": \"0\"}}", "/schedule/dayOfWeek"},
        {"{" + dest + ", \"schedule\": {\"dayOfMonth\": \"31\", \"month\": \"[4-4]\"}}",
            "/schedule"},
        {"{" + dest + ", \"schedule\": {\"minute\": \"5\"}, \"stream\": true}", "/stream"},
        {"{" + dest + "}", "/stream"}}) {
      HttpResponse<String> refused = send(network.member, "POST", path, bad[0], subscriber);
      assertEquals(400, refused.statusCode(), bad[0] + " " + refused.body());
      ArrayNode errors = (ArrayNode) JSON.readTree(refused.body()).path("errors");
      assertEquals(bad[1], errors.path(0).path("field").asText(), refused.body());
    }
  }
}
