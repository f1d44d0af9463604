package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestObserver;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EPCIS binding in-process, on a one-validator chain whose blocks the test makes, through
 * the node's REST layer without a socket. Method: a farm-to-shelf document is sent as a client
 * sends it, with one event broken where a test needs it; each answer's status, problem
 * pointers, headers and the store's contents afterwards are asserted.
 */
class EpcisServiceTest {
  @TempDir Path dir;
  private TraceChain chain;
  private EpcisService service;
  private RestApi api;

  @BeforeEach
  void open() {
    chain = new TraceChain(dir.resolve("chain"));
    start();
  }

  // The service on the test's directories, as a node starts it.
  private void start() {
    service = chain.follow(new EpcisService(chain.context(), dir.resolve("trace"),
        Clock.systemUTC()));
    api = new RestApi(List.of(service), authorization -> authorization == null
        ? Optional.empty() : Optional.of(new Caller(TraceChain.SENDER,
            Set.of(EpcisService.CAPTURER), "test token")), RestObserver.NONE, "test");
  }

  @AfterEach
  void close() {
    service.close();
    chain.close();
  }

  RestApi.Answer send(HttpMethod method, String uri, byte[] body, Map<String, String> headers) {
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method,
        uri, body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    if (body != null) {
      request.headers().set("Content-Type", "application/ld+json");
      request.headers().set("Authorization", "Bearer t");
    }
    headers.forEach(request.headers()::set);
    return api.handle(request);
  }

  private List<String> listedJobs() throws Exception {
    List<String> ids = new ArrayList<>();
    json(send(HttpMethod.GET, "/epcis/capture", null, Map.of())).path("captureJobs")
        .forEach(job -> ids.add(job.path("captureID").asText()));
    return ids;
  }

  static JsonNode json(RestApi.Answer answer) throws Exception {
    return TraceChain.JSON.readTree(answer.body());
  }

  /** The farm-to-shelf document with event 2's eventTime lacking its zone. */
  static byte[] brokenDocument() throws Exception {
    ObjectNode doc = (ObjectNode) TraceChain.JSON.readTree(TraceChain.farmToShelf());
    ((ObjectNode) doc.at("/epcisBody/eventList/2")).put("eventTime", "2024-05-02T10:00:00");
    return TraceChain.JSON.writeValueAsBytes(doc);
  }

  @Test
  void rollbackRefusesTheWholeDocumentNamingTheBadFieldAndProceedCapturesTheRest()
      throws Exception {
    RestApi.Answer refused = send(HttpMethod.POST, "/epcis/capture", brokenDocument(),
        Map.of());
    assertEquals(400, refused.status(), new String(refused.body()));
    assertEquals("/epcisBody/eventList/2/eventTime",
        json(refused).at("/errors/0/field").asText());
    assertEquals(0, chain.chain.pool().size(), "nothing was sent");

    RestApi.Answer accepted = send(HttpMethod.POST, "/epcis/capture", brokenDocument(),
        Map.of("GS1-Capture-Error-Behaviour", "proceed"));
    assertEquals(202, accepted.status(), new String(accepted.body()));
    String location = accepted.headers().get("Location");
    assertTrue(location.startsWith("/epcis/capture/"), location);
    assertEquals("10000", accepted.headers().get("GS1-EPCIS-Capture-Limit"));
    assertEquals("/epcisBody/eventList/2/eventTime",
        json(accepted).at("/errors/0/pointer").asText());
    assertEquals("running", json(send(HttpMethod.GET, location, null, Map.of()))
        .path("status").asText());
    service.close(); // a restart: the job is still answered
    start();
    assertEquals(List.of(location.substring("/epcis/capture/".length())), listedJobs());
    chain.mine();
    JsonNode job = json(send(HttpMethod.GET, location, null, Map.of()));
    assertEquals("anchored", job.at("/transactions/0/status").asText(), job.toString());
    assertEquals(4, job.at("/transactions/0/events").asInt());
    assertEquals(4, service.store().query(TraceQuery.matching(Map.of()), Viewer.ANYONE)
        .events().size());

    RestApi.Answer again = send(HttpMethod.POST, "/epcis/capture", TraceChain.farmToShelf(),
        Map.of());
    assertEquals(409, again.status(), new String(again.body()));
    assertEquals(4, json(again).path("errors").size(), "the four captured are named");
  }

  @Test
  void queriesAnswerAnEpcisQueryDocumentWithHashIdsAndRefuseWhatIsNotSupported()
      throws Exception {
    assertEquals(202, send(HttpMethod.POST, "/epcis/capture", TraceChain.farmToShelf(),
        Map.of()).status());
    chain.mine();
    List<String> hashIds = TraceChain.elements(TraceChain.farmToShelf()).hashIds();

    RestApi.Answer shipping = send(HttpMethod.GET, "/epcis/events?EQ_bizStep=shipping", null,
        Map.of());
    assertEquals(200, shipping.status(), new String(shipping.body()));
    assertEquals("2.0.0", shipping.headers().get("GS1-EPCIS-Version"));
    assertEquals("2.0.0", shipping.headers().get("GS1-CBV-Version"));
    JsonNode events = json(shipping).at("/epcisBody/queryResults/resultsBody/eventList");
    assertEquals(1, events.size());
    assertEquals(hashIds.get(2), events.get(0).path("chorus:hashId").asText());
    assertEquals(hashIds.get(2), events.get(0).path("eventID").asText(),
        "an event sent without eventID is named by its hash ID");

    RestApi.Answer paged = send(HttpMethod.GET, "/epcis/events?perPage=2", null, Map.of());
    assertEquals(2, json(paged).at("/epcisBody/queryResults/resultsBody/eventList").size());
    String link = paged.headers().get("Link");
    String next = link.substring(1, link.indexOf('>'));
    ArrayNode second = (ArrayNode) json(send(HttpMethod.GET, next, null, Map.of()))
        .at("/epcisBody/queryResults/resultsBody/eventList");
    assertEquals(hashIds.get(2), second.get(0).path("chorus:hashId").asText());

    String offsetToken = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        "offset:2".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    RestApi.Answer old = send(HttpMethod.GET, "/epcis/events?perPage=2&nextPageToken="
        + offsetToken, null, Map.of());
    assertEquals(400, old.status(), "a token of the offset kind is refused, not misread");
    assertEquals("nextPageToken", json(old).at("/errors/0/field").asText());
    assertTrue(json(old).at("/errors/0/detail").asText().contains("first page"));
    RestApi.Answer otherOrder = send(HttpMethod.GET, next + "&orderBy=eventTime", null,
        Map.of());
    assertEquals(400, otherOrder.status(), "a chain-order token given to an eventTime query");

    RestApi.Answer unsupported = send(HttpMethod.GET, "/epcis/events?HASATTR_bizLocation=x",
        null, Map.of());
    assertEquals(400, unsupported.status());
    assertEquals("HASATTR_bizLocation", json(unsupported).at("/errors/0/field").asText());
    assertTrue(json(unsupported).at("/errors/0/detail").asText().contains("not supported"));

    RestApi.Answer one = send(HttpMethod.GET, "/epcis/events/"
        + java.net.URLEncoder.encode(hashIds.get(0), java.nio.charset.StandardCharsets.UTF_8),
        null, Map.of());
    assertEquals(200, one.status(), new String(one.body()));
    assertEquals("ObjectEvent", json(one).path("type").asText());
    RestApi.Answer limits = send(HttpMethod.GET, "/epcis/capture", null, Map.of());
    assertEquals(Integer.toString(EpcisService.DOCUMENT_BYTES_MAX),
        limits.headers().get("GS1-EPCIS-Capture-File-Size-Limit"));
  }

  @Test
  void resourcesListWhatEventsNameAndEveryAnswerCarriesTheStandardsVersions()
      throws Exception {
    assertEquals(202, send(HttpMethod.POST, "/epcis/capture", TraceChain.farmToShelf(),
        Map.of()).status());
    chain.mine();

    assertTrue(members(send(HttpMethod.GET, "/epcis", null, Map.of())).contains("epcs"));
    assertEquals(5, members(send(HttpMethod.GET, "/epcis/eventTypes", null, Map.of())).size());
    List<String> steps = members(send(HttpMethod.GET, "/epcis/bizSteps", null, Map.of()));
    assertTrue(steps.contains("https://ref.gs1.org/cbv/BizStep-shipping"), steps.toString());
    assertEquals(List.of("events"), members(send(HttpMethod.GET, "/epcis/bizSteps/shipping",
        null, Map.of())));

    // A resource's events are the query with its value fixed, in any spelling of the value.
    assertEquals(eventIds(send(HttpMethod.GET, "/epcis/events?EQ_bizStep=shipping", null,
        Map.of())), eventIds(send(HttpMethod.GET, "/epcis/bizSteps/"
        + "urn:epcglobal:cbv:bizstep:shipping/events", null, Map.of())));
    String epc = "urn:epc:id:sgtin:4012345.011111.9876";
    List<String> byEpc = eventIds(send(HttpMethod.GET, "/epcis/epcs/" + epc + "/events", null,
        Map.of()));
    assertTrue(!byEpc.isEmpty());
    assertEquals(eventIds(send(HttpMethod.GET, "/epcis/events?MATCH_anyEPC=" + epc, null,
        Map.of())), byEpc);
    RestApi.Answer twice = send(HttpMethod.GET, "/epcis/epcs/" + epc
        + "/events?MATCH_anyEPC=" + epc, null, Map.of());
    assertEquals(400, twice.status());
    assertEquals("MATCH_anyEPC", json(twice).at("/errors/0/field").asText());

    // Paged by value: two pages of one name different identifiers.
    RestApi.Answer first = send(HttpMethod.GET, "/epcis/epcs?perPage=1", null, Map.of());
    String link = first.headers().get("Link");
    List<String> second = members(send(HttpMethod.GET, link.substring(1, link.indexOf('>')),
        null, Map.of()));
    assertEquals(1, second.size());
    assertTrue(!members(first).equals(second), members(first) + " " + second);

    RestApi.Answer unknown = send(HttpMethod.GET, "/epcis/epcs/"
        + "urn:epc:id:sgtin:9999999.099999.1", null, Map.of());
    assertEquals(404, unknown.status());
    assertEquals("2.0.0", unknown.headers().get("GS1-EPCIS-Version"), "refusals say it too");
    assertEquals("2.0.0", unknown.headers().get("GS1-CBV-Max"));

    RestApi.Answer options = send(HttpMethod.OPTIONS, "/epcis/capture", null, Map.of());
    assertEquals(204, options.status());
    assertEquals("OPTIONS, GET, POST", options.headers().get("Allow"));
    assertEquals("10000", options.headers().get("GS1-EPCIS-Capture-Limit"));
    assertEquals("2.0.0", options.headers().get("GS1-EPCIS-Version"));
    assertEquals(null, send(HttpMethod.OPTIONS, "/epcis/events/x", null, Map.of()).headers()
        .get("GS1-EPCIS-Capture-Limit"), "only the capture routes advertise the limits");
  }

  private static List<String> members(RestApi.Answer answer) throws Exception {
    assertEquals(200, answer.status(), new String(answer.body()));
    List<String> out = new java.util.ArrayList<>();
    json(answer).path("member").forEach(m -> out.add(m.asText()));
    return out;
  }

  private static List<String> eventIds(RestApi.Answer answer) throws Exception {
    assertEquals(200, answer.status(), new String(answer.body()));
    List<String> out = new java.util.ArrayList<>();
    json(answer).at("/epcisBody/queryResults/resultsBody/eventList")
        .forEach(e -> out.add(e.path("eventID").asText()));
    return out;
  }

  @Test
  void actionTransformationAndTypedParametersSelectByTheirIndexes() throws Exception {
    assertEquals(202, send(HttpMethod.POST, "/epcis/capture", TraceChain.farmToShelf(),
        Map.of()).status());
    chain.mine();
    List<String> all = eventIds(send(HttpMethod.GET, "/epcis/events", null, Map.of()));
    List<String> added = eventIds(send(HttpMethod.GET, "/epcis/events?EQ_action=ADD", null,
        Map.of()));
    assertTrue(!added.isEmpty() && added.size() < all.size(), added + " of " + all);

    String po = "/epcis/events?EQ_bizTransaction_po=urn:epcglobal:cbv:bt:4012345000009:PO1";
    List<String> byPo = eventIds(send(HttpMethod.GET, po, null, Map.of()));
    assertEquals(1, byPo.size());
    assertEquals(byPo, eventIds(send(HttpMethod.GET, po.replace("_po=",
        "_urn:epcglobal:cbv:btt:po="), null, Map.of())), "a type in any spelling");
    assertEquals(List.of(), eventIds(send(HttpMethod.GET, po.replace("_po=", "_inv="), null,
        Map.of())), "another type does not match");
    assertEquals(byPo, eventIds(send(HttpMethod.GET, "/epcis/events?EQ_source_owning_party="
        + "urn:epc:id:pgln:4012345.00000", null, Map.of())));

    RestApi.Answer badType = send(HttpMethod.GET, "/epcis/events?EQ_source_nonsense=x", null,
        Map.of());
    assertEquals(400, badType.status());
    assertEquals("EQ_source_nonsense", json(badType).at("/errors/0/field").asText());
    RestApi.Answer badAction = send(HttpMethod.GET, "/epcis/events?EQ_action=MOVE", null,
        Map.of());
    assertEquals(400, badAction.status());
    assertEquals("EQ_action", json(badAction).at("/errors/0/field").asText());
  }
}
