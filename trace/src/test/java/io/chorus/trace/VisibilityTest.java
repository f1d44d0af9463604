package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.KeyPair;
import io.chorus.ledger.Block;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestObserver;
import io.chorus.state.system.Governance;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.SystemContracts;
import io.chorus.state.system.Trace;
import io.chorus.trace.epcis.CaptureCall;
import io.chorus.trace.epcis.CapturedEvents;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import io.chorus.tx.Transaction;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Visibility to named organisations, in-process: two nodes' EPCIS services, one of org0 and
 * one of org1, index the same chain into their own stores; the genesis gives org0 and org1
 * data keys. A document captured on org0's node visible to org0 only is answered to org0's
 * token holders alone; anonymous callers and org1's node answer as if it did not exist, and
 * say in chorus:withheld how many events they hold back; its call data holds no plaintext. A
 * consortium-wide capture is seen by all. A node of an organisation that no capturer knew
 * (it joined later) opens what was sealed for its organisation; after a rotation, captures
 * are sealed for the new key and the old ones still open. Method: expected hash IDs come from
 * the document as read, each node is asked through its REST layer, envelopes' recipients are
 * read from the chain.
 */
class VisibilityTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final KeyPair ORG0_NODE = TraceChain.SUITE.generateKeyPair(RANDOM);
  private static final KeyPair ORG1_NODE = TraceChain.SUITE.generateKeyPair(RANDOM);
  private static final KeyPair ORG0_DATA = TraceChain.SUITE.generateKeyPair(RANDOM);
  private static final KeyPair ORG1_DATA = TraceChain.SUITE.generateKeyPair(RANDOM);

  @TempDir Path dir;
  private TraceChain chain;
  private final List<EpcisService> services = new ArrayList<>();
  private RestApi org0;
  private RestApi org1;

  /** A node of {@code organisation} with its own key and the data keys it was given. */
  record Directory(String name, KeyPair keys, List<KeyPair> dataKeys)
      implements ConsortiumDirectory {
    @Override
    public Optional<String> organisation() {
      return Optional.of(name);
    }

    @Override
    public List<KeyPair> organisationDataKeys() {
      return dataKeys;
    }

    @Override
    public Optional<KeyPair> nodeKeyPair() {
      return Optional.of(keys);
    }
  }

  @BeforeEach
  void open() {
    chain = new TraceChain(dir.resolve("chain"), Map.of("org0", ORG0_DATA.publicKey(),
        "org1", ORG1_DATA.publicKey()));
    org0 = node(new Directory("org0", ORG0_NODE, List.of(ORG0_DATA)), "trace0");
    org1 = node(new Directory("org1", ORG1_NODE, List.of(ORG1_DATA)), "trace1");
  }

  /** A node's EPCIS service on the chain, its store in {@code store}, behind a REST layer. */
  private RestApi node(Directory directory, String store) {
    return api(chain.follow(new EpcisService(chain.context(), dir.resolve(store),
        Clock.systemUTC(), directory)));
  }

  private RestApi api(EpcisService service) {
    services.add(service);
    return new RestApi(List.of(service), authorization -> authorization == null
        ? Optional.empty() : Optional.of(new Caller(TraceChain.SENDER,
            Set.of(EpcisService.CAPTURER), "test token")), RestObserver.NONE, "test");
  }

  @AfterEach
  void close() {
    services.forEach(EpcisService::close);
    chain.close();
  }

  static RestApi.Answer send(RestApi api, HttpMethod method, String uri, byte[] body,
      boolean token, Map<String, String> headers) {
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method,
        uri, body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    if (body != null) {
      request.headers().set("Content-Type", "application/ld+json");
    }
    if (token) {
      request.headers().set("Authorization", "Bearer t");
    }
    headers.forEach(request.headers()::set);
    return api.handle(request);
  }

  static JsonNode get(RestApi api, String uri, boolean token, int status) throws Exception {
    RestApi.Answer answer = send(api, HttpMethod.GET, uri, null, token, Map.of());
    assertEquals(status, answer.status(), new String(answer.body()));
    return TraceChain.JSON.readTree(answer.body());
  }

  static List<String> hashIds(JsonNode queryDocument) {
    List<String> out = new ArrayList<>();
    queryDocument.at("/epcisBody/queryResults/resultsBody/eventList")
        .forEach(e -> out.add(e.path("chorus:hashId").asText()));
    return out;
  }

  static String path(String id) {
    return "/epcis/events/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  @Test
  void anEventVisibleToOneOrganisationIsAnsweredToItsCallersAloneAndCountedAsWithheld()
      throws Exception {
    byte[] document = TraceChain.farmToShelf();
    List<String> all = TraceChain.elements(document).hashIds();
    RestApi.Answer accepted = send(org0, HttpMethod.POST, "/epcis/capture", document, true,
        Map.of(EpcisService.VISIBLE_TO, "org0"));
    assertEquals(202, accepted.status(), new String(accepted.body()));
    String job = accepted.headers().get("Location");
    chain.mine();

    JsonNode own = get(org0, "/epcis/events", true, 200);
    assertEquals(all, hashIds(own));
    assertEquals(0, own.at("/epcisBody/queryResults/chorus:withheld").asLong());
    assertEquals("org0", own.at("/epcisBody/queryResults/resultsBody/eventList/0"
        + "/chorus:visibleTo/0").asText());
    for (boolean token : List.of(false, true)) {
      RestApi api = token ? org1 : org0; // org1's token holders; org0's anonymous callers
      JsonNode withheld = get(api, "/epcis/events", token, 200);
      assertEquals(List.of(), hashIds(withheld));
      assertEquals(all.size(), withheld.at("/epcisBody/queryResults/chorus:withheld").asLong());
      JsonNode unknown = get(api, path("urn:uuid:no-such-event"), token, 404);
      JsonNode hidden = get(api, path(all.get(2)), token, 404);
      assertEquals(unknown.path("detail").asText().replace("urn:uuid:no-such-event",
          all.get(2)), hidden.path("detail").asText(), "the same 404 as an unknown ID");
      get(api, path(all.get(2)) + "/proof", token, 404);
      get(api, job, token, 404);
    }
    // Found for org0's caller; a dev chain's block has no certificate to prove it with
    // (EpcisNodeTest verifies such a proof on a network).
    get(org0, path(all.get(2)) + "/proof", true, 409);
    get(org0, job, true, 200);

    // The chain carries the envelope, its readers and its root, not the events.
    Block block = chain.chain.store().blockByNumber(chain.chain.head().number()).orElseThrow();
    Transaction tx = block.transactions().getFirst();
    CaptureCall call = CaptureCall.decode(tx.data());
    assertEquals(List.of("org0"), call.organisations());
    assertEquals(all.size(), call.count());
    String distinctive = "urn:epc:id:sgtin:4012345.011111.9876";
    assertFalse(new String(tx.data(), StandardCharsets.ISO_8859_1).contains(distinctive));
    assertFalse(inflates(call.batch()), "the sealed batch is not a DEFLATE stream");

    // A consortium-wide event is seen by everyone, with nothing more withheld.
    ObjectNode event = (ObjectNode) TraceChain.JSON.readTree(document)
        .at("/epcisBody/eventList/0").deepCopy();
    event.set("@context", TraceChain.JSON.readTree(document).get("@context"));
    event.put("eventTime", "2024-06-01T08:00:00Z");
    assertEquals(202, send(org1, HttpMethod.POST, "/epcis/events",
        TraceChain.JSON.writeValueAsBytes(event), true, Map.of()).status());
    chain.mine();
    for (RestApi api : List.of(org0, org1)) {
      JsonNode shared = get(api, "/epcis/events?GE_eventTime=2024-06-01T00:00:00Z", false, 200);
      assertEquals(1, hashIds(shared).size());
      assertEquals(all.size(), shared.at("/epcisBody/queryResults/chorus:withheld").asLong());
    }
    assertEquals(all.size() + 1, hashIds(get(org0, "/epcis/events", true, 200)).size());
  }

  @Test
  void twoSealedCapturesForTheSameOrganisationsInOneBlockAreBothCounted() throws Exception {
    byte[] first = TraceChain.farmToShelf();
    // The same story a year earlier, with its own eventID: other hash IDs, other events.
    byte[] second = new String(first, StandardCharsets.UTF_8).replace("2024-05", "2023-05")
        .replace("urn:uuid:6d5bd7e2", "urn:uuid:7d5bd7e2").getBytes(StandardCharsets.UTF_8);
    for (byte[] document : List.of(first, second)) {
      assertEquals(202, send(org0, HttpMethod.POST, "/epcis/capture", document, true,
          Map.of(EpcisService.VISIBLE_TO, "org0")).status());
    }
    chain.mine();
    long events = TraceChain.elements(first).hashIds().size()
        + TraceChain.elements(second).hashIds().size();
    assertEquals(events, get(org1, "/epcis/events", true, 200)
        .at("/epcisBody/queryResults/chorus:withheld").asLong());
  }

  @Test
  void aCaptureForAnOrganisationWithoutADataKeyIsRefusedNamingItAndNothingIsSent()
      throws Exception {
    RestApi.Answer refused = send(org0, HttpMethod.POST, "/epcis/capture",
        TraceChain.farmToShelf(), true, Map.of(EpcisService.VISIBLE_TO, "org1, org9"));
    assertEquals(422, refused.status(), new String(refused.body()));
    JsonNode problem = TraceChain.JSON.readTree(refused.body());
    String detail = problem.path("detail").asText();
    assertTrue(detail.startsWith("org9 has no data key on the chain"), detail);
    assertTrue(detail.contains("with a key: org0, org1"), detail);
    assertEquals(0, chain.chain.pool().size(), "nothing was sent");
    RestApi.Answer blank = send(org0, HttpMethod.POST, "/epcis/capture",
        TraceChain.farmToShelf(), true, Map.of(EpcisService.VISIBLE_TO, "org1,,"));
    assertEquals(400, blank.status(), new String(blank.body()));
  }

  @Test
  void aNodeWithoutItsOrganisationsDataKeyRefusesToSealWhatItCouldNotReadBack()
      throws Exception {
    // org0's node was given the key org0 had before a rotation, not the chain's current one.
    RestApi stale = node(new Directory("org0", TraceChain.SUITE.generateKeyPair(RANDOM),
        List.of(TraceChain.SUITE.generateKeyPair(RANDOM))), "stale");
    RestApi.Answer refused = send(stale, HttpMethod.POST, "/epcis/capture",
        TraceChain.farmToShelf(), true, Map.of(EpcisService.VISIBLE_TO, "org1"));
    assertEquals(422, refused.status(), new String(refused.body()));
    String detail = TraceChain.JSON.readTree(refused.body()).path("detail").asText();
    assertTrue(detail.contains(Hex.encode0x(ORG0_DATA.publicKey())), detail);
    assertEquals(0, chain.chain.pool().size(), "nothing was sent");
  }

  @Test
  void aNodeOfTheOrganisationThatNoCapturerKnewOpensWhatWasSealedForIt() throws Exception {
    byte[] document = TraceChain.farmToShelf();
    List<String> all = TraceChain.elements(document).hashIds();
    assertEquals(202, send(org0, HttpMethod.POST, "/epcis/capture", document, true,
        Map.of(EpcisService.VISIBLE_TO, "org1")).status());
    chain.mine();
    // The envelope names the organisations' data keys, no node's.
    CaptureCall call = CaptureCall.decode(chain.chain.store().blockByNumber(
        chain.chain.head().number()).orElseThrow().transactions().getFirst().data());
    assertEquals(Set.of(address(ORG0_DATA), address(ORG1_DATA)), recipients(call));

    // A node of org1 that joins afterwards, with a key of its own that no capturer saw.
    RestApi late = node(new Directory("org1", TraceChain.SUITE.generateKeyPair(RANDOM),
        List.of(ORG1_DATA)), "late");
    JsonNode answered = get(late, "/epcis/events", true, 200);
    assertEquals(all, hashIds(answered));
    assertEquals(0, answered.at("/epcisBody/queryResults/chorus:withheld").asLong());
    assertEquals(all.get(2), get(late, path(all.get(2)), true, 200).path("chorus:hashId")
        .asText());
  }

  @Test
  void afterARotationCapturesAreSealedForTheNewKeyAndTheOldKeyStillOpensTheOldOnes()
      throws Exception {
    byte[] first = TraceChain.farmToShelf();
    byte[] second = new String(first, StandardCharsets.UTF_8).replace("2024-05", "2023-05")
        .replace("urn:uuid:6d5bd7e2", "urn:uuid:7d5bd7e2").getBytes(StandardCharsets.UTF_8);
    assertEquals(202, send(org0, HttpMethod.POST, "/epcis/capture", first, true,
        Map.of(EpcisService.VISIBLE_TO, "org1")).status());
    chain.mine();

    KeyPair rotated = TraceChain.SUITE.generateKeyPair(RANDOM);
    chain.send(SystemContracts.GOVERNANCE, Governance.proposeCall(ProposalKind.ORG_DATA_KEY,
        ProposalKind.ORG_DATA_KEY.encode("org1", rotated.publicKey()), 10));
    chain.mine(); // the proposal passed with the sole member's vote: it takes effect here
    assertArrayEquals(rotated.publicKey(), Governance.organisationDataKey(
        chain.chain.stateAt(chain.chain.head()), "org1"));

    assertEquals(202, send(org0, HttpMethod.POST, "/epcis/capture", second, true,
        Map.of(EpcisService.VISIBLE_TO, "org1")).status());
    chain.mine();
    CaptureCall call = CaptureCall.decode(chain.chain.store().blockByNumber(
        chain.chain.head().number()).orElseThrow().transactions().getFirst().data());
    assertEquals(Set.of(address(ORG0_DATA), address(rotated)), recipients(call));

    List<String> firstIds = TraceChain.elements(first).hashIds();
    List<String> secondIds = TraceChain.elements(second).hashIds();
    // A node given both keys opens both; org1's node, still holding only the old key, the
    // first alone.
    RestApi both = node(new Directory("org1", TraceChain.SUITE.generateKeyPair(RANDOM),
        List.of(ORG1_DATA, rotated)), "both");
    JsonNode all = get(both, "/epcis/events", true, 200);
    assertEquals(firstIds.size() + secondIds.size(), hashIds(all).size());
    assertTrue(hashIds(all).containsAll(secondIds));
    JsonNode oldOnly = get(org1, "/epcis/events", true, 200);
    assertEquals(firstIds, hashIds(oldOnly));
    assertEquals(secondIds.size(), oldOnly.at("/epcisBody/queryResults/chorus:withheld")
        .asLong());
  }

  @Test
  void aCaptureSealedForNodesKeysAsBeforeDataKeysStillOpensOnThoseNodes() throws Exception {
    byte[] document = TraceChain.farmToShelf();
    TraceChain.Elements elements = TraceChain.elements(document);
    CaptureBatch.Planned planned = CaptureBatch.plan(TraceChain.SUITE.hashFunction(),
        elements.elements(), elements.hashIds(), Trace.BATCH_BYTES_MAX).getFirst();
    chain.capture(SealedBatch.callData(TraceChain.SUITE, planned, List.of("org0", "org1"),
        List.of(ORG0_NODE.publicKey(), ORG1_NODE.publicKey()), RANDOM));
    assertEquals(elements.hashIds(), hashIds(get(org1, "/epcis/events", true, 200)));
    assertEquals(elements.hashIds(), hashIds(get(org0, "/epcis/events", true, 200)));
  }

  private static String address(KeyPair keys) {
    return Hex.encode0x(TraceChain.SUITE.address(keys.publicKey()));
  }

  private static Set<String> recipients(CaptureCall call) throws Exception {
    Set<String> out = new HashSet<>();
    TraceChain.SUITE.envelope().recipients(call.batch()).forEach(a -> out.add(Hex.encode0x(a)));
    return out;
  }

  @Test
  void aStoreRebuiltFromBlockZeroHoldsWhatItsOrganisationMayReadAndCountsTheRest()
      throws Exception {
    byte[] document = TraceChain.farmToShelf();
    assertEquals(202, send(org0, HttpMethod.POST, "/epcis/capture", document, true,
        Map.of(EpcisService.VISIBLE_TO, "org1")).status());
    chain.mine();
    List<String> all = TraceChain.elements(document).hashIds();
    Map<String, List<String>> seen = new HashMap<>();
    for (Directory node : List.of(new Directory("org0", ORG0_NODE, List.of(ORG0_DATA)),
        new Directory("org1", ORG1_NODE, List.of(ORG1_DATA)), new Directory("org2",
            TraceChain.SUITE.generateKeyPair(RANDOM), List.of()))) {
      try (TraceStore rebuilt = new TraceStore(dir.resolve("rebuilt-" + node.name()))) {
        new TraceIndexer(chain.chain, rebuilt, node).catchUp();
        TraceQuery everything = TraceIndexerTest.query(Map.of());
        Viewer member = Viewer.of(node.name());
        seen.put(node.name(), TraceIndexerTest.ids(rebuilt.query(everything, member)));
        assertEquals(node.name().equals("org2") ? all.size() : 0, rebuilt.withheld(member));
        assertEquals(all.size(), rebuilt.withheld(Viewer.ANYONE));
        assertEquals(List.of(), TraceIndexerTest.ids(rebuilt.query(everything,
            Viewer.ANYONE)));
      }
    }
    assertEquals(Map.of("org0", all, "org1", all, "org2", List.of()), seen,
        "sealed for org0 (the capturer's) and org1; org2's node holds none of it");
  }

  private static boolean inflates(byte[] bytes) {
    try {
      CapturedEvents.decode(bytes, new EpcisReader(EpcisLimits.defaults()));
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
