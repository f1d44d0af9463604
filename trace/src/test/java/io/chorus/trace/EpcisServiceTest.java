package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.evm.Address;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestObserver;
import io.chorus.service.ServiceContext;
import io.chorus.service.TransactionSubmitter;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
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
    TransactionSubmitter submitter = new TransactionSubmitter(chain.chain,
        Map.of(TraceChain.SENDER, TraceChain.KEYS), new TransactionSubmitter.Estimator() {
          @Override
          public long gas(Address from, Address to, BigInteger value, byte[] data) {
            return 4_000_000;
          }

          @Override
          public BigInteger tip() {
            return BigInteger.ONE;
          }
        });
    chain.chain.addListener(submitter);
    service = new EpcisService(new ServiceContext(chain.chain, submitter,
        new ProofApi(chain.chain)), dir.resolve("trace"), Clock.systemUTC());
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
}
