package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofVerifier;
import io.chorus.proof.Proven;
import io.chorus.proof.TrustRoot;
import io.chorus.state.system.SystemContracts;
import io.chorus.state.system.Trace;
import io.chorus.trace.EpcisService;
import io.chorus.trace.epcis.CaptureCall;
import io.chorus.trace.epcis.CapturedEvents;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import io.chorus.trace.epcis.EventHashId;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * EPCIS capture, query and proof on a real network: a validator and a second member on
 * loopback sockets, each its own organisation (org0, org1) under the consortium root. A
 * farm-to-shelf document is captured at the validator's {@code /epcis}; both members answer
 * the same queries (by EPC, business step and time) from their own event stores; an event's
 * proof is verified offline against the genesis trust root, its batch path from the digest of
 * the hash ID recomputed from the event as answered. An event visible to org0 only is
 * answered by org0's node to its token holders alone, proven there, and hidden from org0's
 * anonymous callers and from org1's node, which count it as withheld; its transaction carries
 * no plaintext.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EpcisNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static TraceNetwork network;
  private static Node validator;
  private static Node member;
  private static String token;
  private static String org1Token;
  private static TrustRoot trustRoot;

  @BeforeAll
  static void start() throws Exception {
    network = TraceNetwork.start(dir, 4344);
    validator = network.validator;
    member = network.member;
    token = network.capturerToken(0);
    org1Token = network.capturerToken(1);
    trustRoot = GenesisFile.trustRoot(GenesisFile.read(dir.resolve("node0/genesis.json")));
  }

  @AfterAll
  static void stop() {
    if (network != null) {
      network.close();
    }
  }

  static byte[] farmToShelf() throws Exception {
    try (InputStream in = EpcisNodeTest.class.getResourceAsStream("farm-to-shelf.json")) {
      return in.readAllBytes();
    }
  }

  static HttpResponse<String> get(Node node, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(node.rpcUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET with {@code bearer} as the API token; none when it is null (an anonymous caller). */
  static HttpResponse<String> get(Node node, String path, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.rpcUrl() + path));
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode eventList(Node node) throws Exception {
    HttpResponse<String> answer = get(node, "/epcis/events?perPage=50");
    assertEquals(200, answer.statusCode(), answer.body());
    return JSON.readTree(answer.body()).at("/epcisBody/queryResults/resultsBody/eventList");
  }

  static List<String> hashIds(Node node, String query) throws Exception {
    HttpResponse<String> answer = get(node, "/epcis/events?" + query);
    assertEquals(200, answer.statusCode(), answer.body());
    List<String> out = new ArrayList<>();
    JSON.readTree(answer.body()).at("/epcisBody/queryResults/resultsBody/eventList")
        .forEach(e -> out.add(e.path("chorus:hashId").asText()));
    return out;
  }

  @Test
  void anEventVisibleToOneOrganisationIsAnsweredAndProvenThereAloneAndCountedElsewhere()
      throws Exception {
    String epc = "urn:epc:id:sgtin:4012345.011111.SECRET7731";
    JsonNode document = JSON.readTree(farmToShelf());
    ObjectNode event = (ObjectNode) document.at("/epcisBody/eventList/0").deepCopy();
    event.set("@context", document.get("@context"));
    event.put("eventTime", "2024-07-01T09:00:00Z").putArray("epcList").add(epc);
    byte[] body = JSON.writeValueAsBytes(event);
    String hashId = new EpcisReader(EpcisLimits.defaults()).readEvent(body).hashId();
    HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(
        URI.create(validator.rpcUrl() + "/epcis/events"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/ld+json")
        .header(EpcisService.VISIBLE_TO, "org0")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, accepted.statusCode(), accepted.body());
    JsonNode status = awaitJob(accepted.headers().firstValue("Location").orElseThrow());
    assertEquals("success", status.path("status").asText(), status.toString());

    // org0's node answers its token holder: by EPC, by ID, and a proof that verifies offline.
    String query = "/epcis/events?MATCH_epc=" + URLEncoder.encode(epc, StandardCharsets.UTF_8);
    JsonNode found = JSON.readTree(get(validator, query, token).body());
    JsonNode results = found.at("/epcisBody/queryResults");
    assertEquals(hashId, results.at("/resultsBody/eventList/0/chorus:hashId").asText(),
        found.toString());
    assertEquals("org0", results.at("/resultsBody/eventList/0/chorus:visibleTo/0").asText());
    assertEquals(0, results.path("chorus:withheld").asLong());
    String byId = "/epcis/events/" + URLEncoder.encode(hashId, StandardCharsets.UTF_8);
    assertEquals(200, get(validator, byId, token).statusCode());
    HttpResponse<String> proofAnswer = get(validator, byId + "/proof", token);
    assertEquals(200, proofAnswer.statusCode(), proofAnswer.body());
    JsonNode proof = JSON.readTree(proofAnswer.body());
    Proven proven = ProofVerifier.verify(ProofBundle.fromJson(proof.path("bundle").toString()),
        trustRoot);
    String recomputed = new EpcisReader(EpcisLimits.defaults()).readEvent(
        JSON.writeValueAsBytes(proof.path("event"))).hashId();
    assertEquals(hashId, recomputed);
    assertArrayEquals(EventHashId.digest(recomputed),
        Hex.decode(proven.facts().get("batch.leaf")));

    // org0's anonymous callers and org1's token holders: as if it did not exist, but counted.
    String unknownId = "/epcis/events/urn:uuid:00000000-0000-4000-8000-000000000000";
    for (int r = 0; r < 2; r++) {
      Node node = r == 0 ? validator : member;
      String bearer = r == 0 ? null : org1Token;
      JsonNode hidden = null;
      for (int i = 0; i < 200; i++) { // org1's node indexes the block when it arrives
        hidden = JSON.readTree(get(node, query, bearer).body())
            .at("/epcisBody/queryResults");
        if (hidden.path("chorus:withheld").asLong() > 0) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals(0, hidden.at("/resultsBody/eventList").size(), hidden.toString());
      assertEquals(1, hidden.path("chorus:withheld").asLong(), node.rpcUrl());
      HttpResponse<String> missing = get(node, byId, bearer);
      assertEquals(404, missing.statusCode());
      HttpResponse<String> unknown = get(node, unknownId, bearer);
      assertEquals(JSON.readTree(unknown.body()).path("detail").asText().replace(
          "urn:uuid:00000000-0000-4000-8000-000000000000", hashId),
          JSON.readTree(missing.body()).path("detail").asText(), "the unknown ID's 404");
      assertEquals(404, get(node, byId + "/proof", bearer).statusCode());
    }

    // The chain holds the envelope: no plaintext in the call data, nothing that inflates.
    String txHash = status.at("/transactions/0/txHash").asText();
    HttpResponse<String> rpc = HTTP.send(HttpRequest.newBuilder(URI.create(member.rpcUrl()))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,"
            + "\"method\":\"eth_getTransactionByHash\",\"params\":[\"" + txHash + "\"]}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    byte[] input = Hex.decode(JSON.readTree(rpc.body()).at("/result/input").asText());
    CaptureCall call = CaptureCall.decode(input);
    assertEquals(List.of("org0"), call.organisations());
    for (byte[] bytes : List.of(input, call.batch())) {
      assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains("SECRET7731"));
    }
    assertThrows(IllegalArgumentException.class, () -> CapturedEvents.decode(call.batch(),
        new EpcisReader(EpcisLimits.defaults())), "the sealed batch does not inflate");
  }

  private static JsonNode awaitJob(String job) throws Exception {
    JsonNode status = null;
    for (int i = 0; i < 200; i++) {
      status = JSON.readTree(get(validator, job, token).body());
      if (!status.path("running").asBoolean()) {
        break;
      }
      Thread.sleep(100);
    }
    return status;
  }

  @Test
  void aCapturedDocumentIsQueriedOnBothMembersAndItsEventsProvenOffline() throws Exception {
    HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(
        URI.create(validator.rpcUrl() + "/epcis/capture"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/ld+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(farmToShelf())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, accepted.statusCode(), accepted.body());
    String job = accepted.headers().firstValue("Location").orElseThrow();
    JsonNode status = null;
    for (int i = 0; i < 200; i++) {
      status = JSON.readTree(get(validator, job).body());
      if (!status.path("running").asBoolean()) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals("success", status.path("status").asText(), status.toString());

    List<String> all = new EpcisReader(EpcisLimits.defaults()).readDocument(farmToShelf())
        .events().stream().map(e -> e.hashId()).toList();
    String item = URLEncoder.encode("urn:epc:id:sgtin:4012345.011111.9876",
        StandardCharsets.UTF_8);
    for (Node node : List.of(validator, member)) {
      List<String> found = List.of();
      for (int i = 0; i < 200 && found.size() < all.size(); i++) {
        found = hashIds(node, "perPage=50");
        Thread.sleep(found.size() < all.size() ? 100 : 0);
      }
      assertEquals(all, found, "every event, in chain order, on " + node.rpcUrl());
      assertEquals(all.subList(0, 2), hashIds(node, "MATCH_epc=" + item));
      assertEquals(List.of(all.get(2)), hashIds(node, "EQ_bizStep=shipping"));
      assertEquals(List.of(all.get(4), all.get(3)), hashIds(node,
          "GE_eventTime=2024-05-03T00:00:00Z&orderBy=eventTime"));
    }
    // The capturer stored what it read when the document came in, the member what it read
    // from the block: the same events.
    assertEquals(eventList(validator), eventList(member));

    // Every event's proof, on both nodes: each verifies offline, with its own leaf and path.
    for (Node node : List.of(validator, member)) {
      for (String hashId : all) {
        HttpResponse<String> proofAnswer = get(node, "/epcis/events/"
            + URLEncoder.encode(hashId, StandardCharsets.UTF_8) + "/proof");
        assertEquals(200, proofAnswer.statusCode(), proofAnswer.body());
        JsonNode proof = JSON.readTree(proofAnswer.body());
        Proven proven = ProofVerifier.verify(
            ProofBundle.fromJson(proof.path("bundle").toString()), trustRoot);
        String recomputed = new EpcisReader(EpcisLimits.defaults()).readEvent(
            JSON.writeValueAsBytes(proof.path("event"))).hashId();
        assertEquals(hashId, recomputed);
        assertEquals(Hex.encode0x(SystemContracts.TRACE.toArray()),
            proven.facts().get("log.address"));
        assertArrayEquals(EventHashId.digest(recomputed),
            Hex.decode(proven.facts().get("batch.leaf")));
        assertTrue(proven.blockNumber() > 0);
      }
    }
  }
}
