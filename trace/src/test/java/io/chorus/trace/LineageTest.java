package io.chorus.trace;

import static io.chorus.trace.RecallDocument.A1;
import static io.chorus.trace.RecallDocument.A2;
import static io.chorus.trace.RecallDocument.A3;
import static io.chorus.trace.RecallDocument.B1;
import static io.chorus.trace.RecallDocument.C1;
import static io.chorus.trace.RecallDocument.C2;
import static io.chorus.trace.RecallDocument.L1;
import static io.chorus.trace.RecallDocument.P1;
import static io.chorus.trace.RecallDocument.PL;
import static io.chorus.trace.RecallDocument.dl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.rpc.rest.RestApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recall lineage over events captured through the chain: the {@link RecallDocument}'s lot made
 * into items (by class quantity), items packed into cases onto a pallet, a DELETE, and a cycle.
 * Method: each walk's nodes and edges are compared, as sets, with the links the document's
 * events make, written out by hand from the document; the REST resource's refusals name their
 * parameter, and an edge's proof path answers a proof.
 */
class LineageTest {
  @TempDir Path dir;
  private TraceApi trace;
  private Lineage lineage;

  @BeforeEach
  void open() {
    trace = new TraceApi(dir, ScanRules.DEFAULTS, new TraceApi.MovableClock());
    trace.capture(RecallDocument.document());
    lineage = new Lineage(new ReadableEvents(trace.service.store(), caller -> Viewer.ANYONE));
  }

  @AfterEach
  void close() {
    trace.close();
  }

  private Lineage.Graph walk(String from, Lineage.Direction direction, int maxDepth) {
    return lineage.trace(Optional.empty(), dl(from), direction, maxDepth).orElseThrow();
  }

  private static Set<String> edges(Lineage.Graph graph) {
    return graph.edges().stream().map(e -> e.from() + " " + e.relation() + " " + e.to())
        .collect(Collectors.toSet());
  }

  private static String edge(String from, String relation, String to) {
    return dl(from) + " " + relation + " " + dl(to);
  }

  private static Lineage.Node node(Lineage.Graph graph, String id) {
    return graph.nodes().stream().filter(n -> n.id().equals(dl(id))).findFirst()
        .orElseThrow(() -> new AssertionError(id + " is not in " + graph.nodes()));
  }

  @Test
  void downstreamFollowsALotIntoItsProductsTheirCaseAndPalletAndStopsAtTheCycle() {
    Lineage.Graph graph = walk(L1, Lineage.Direction.DOWNSTREAM, 5);
    assertEquals(Set.of(
        edge(L1, "transformedInto", A1), edge(L1, "transformedInto", A2),
        edge(L1, "transformedInto", P1),
        edge(A1, "packedInto", C1), edge(C1, "contains", B1),
        edge(C1, "packedInto", PL), edge(PL, "contains", C2),
        edge(A2, "transformedInto", A3), edge(A3, "transformedInto", L1)), edges(graph));
    assertEquals(Set.of(L1, A1, A2, A3, P1, B1, C1, C2, PL).stream()
        .map(RecallDocument::dl).collect(Collectors.toSet()),
        graph.nodes().stream().map(Lineage.Node::id).collect(Collectors.toSet()));
    assertEquals(Lineage.Kind.CLASS, node(graph, L1).kind());
    assertEquals(Lineage.Kind.CLASS, node(graph, P1).kind());
    assertEquals(Lineage.Kind.INSTANCE, node(graph, A1).kind());
    assertTrue(node(graph, B1).packedWith(), "B1 was packed with A1, not made from L1");
    assertFalse(node(graph, C1).packedWith());
    assertEquals(3, node(graph, PL).depth());
    assertEquals(4, graph.depthReached());
    assertFalse(graph.truncated());
    // The lot was named first by the harvest, last by the recycling that closed the cycle.
    assertEquals("2024-05-01T06:00:00Z", node(graph, L1).firstSeen().toString());
    assertEquals("2024-05-04T08:00:00Z", node(graph, L1).lastSeen().toString());
    assertEquals("2024-05-05T08:00:00Z", node(graph, A1).lastSeen().toString());
  }

  @Test
  void upstreamFromThePalletFindsItsCasesTheirItemsAndTheLotTheyCameFrom() {
    Lineage.Graph graph = walk(PL, Lineage.Direction.UPSTREAM, 10);
    assertEquals(Set.of(
        edge(C1, "packedInto", PL), edge(C2, "packedInto", PL),
        edge(A1, "packedInto", C1), edge(B1, "packedInto", C1),
        edge(L1, "transformedInto", A1),
        edge(A3, "transformedInto", L1), edge(A2, "transformedInto", A3),
        edge(L1, "transformedInto", A2)), edges(graph));
    assertEquals(8, graph.edges().size(), "one edge per event: the DELETE makes none");
    assertEquals(5, graph.depthReached(), "PL, C1, A1, L1, A3, A2");
    assertTrue(graph.nodes().stream().noneMatch(Lineage.Node::packedWith));
  }

  @Test
  void theDepthBoundsTheWalkAndPackedWithNeedsTwoStepsOfIt() {
    Lineage.Graph one = walk(A1, Lineage.Direction.DOWNSTREAM, 1);
    assertEquals(Set.of(edge(A1, "packedInto", C1)), edges(one), "no room for B1 at depth 2");
    assertEquals(1, one.depthReached());
    Lineage.Graph two = walk(A1, Lineage.Direction.DOWNSTREAM, 2);
    assertEquals(Set.of(edge(A1, "packedInto", C1), edge(C1, "contains", B1),
        edge(C1, "packedInto", PL)), edges(two));
  }

  @Test
  void theNodeBoundTruncatesTheAnswer() {
    Lineage.Graph graph = new Lineage(new ReadableEvents(trace.service.store(), caller -> Viewer.ANYONE), 3)
        .trace(Optional.empty(), dl(L1), Lineage.Direction.DOWNSTREAM, 5).orElseThrow();
    assertEquals(3, graph.nodes().size());
    assertTrue(graph.truncated());
  }

  @Test
  void theRestResourceAnswersWithProofsAndRefusesWhatItCannotTrace() {
    String lot = URLEncoder.encode(L1, StandardCharsets.UTF_8);
    RestApi.Answer answer = trace.get("/epcis/lineage?epc=" + lot, Map.of());
    assertEquals(200, answer.status(), new String(answer.body()));
    JsonNode graph = TraceApi.json(answer);
    assertEquals(dl(L1), graph.path("root").asText(), "a URN is traced as its Digital Link");
    assertEquals("downstream", graph.path("direction").asText());
    assertEquals(5, graph.path("maxDepth").asInt());
    assertEquals(9, graph.path("edges").size());
    for (JsonNode edge : graph.path("edges")) {
      DigitalLinkResolverTest.assertProofPathNames(trace, edge);
    }

    assertRefused(400, "/epcis/lineage", "epc");
    assertRefused(400, "/epcis/lineage?epc=urn:epc:id:sgtin:4012345.0111.9", "epc");
    assertRefused(400, "/epcis/lineage?epc=" + lot + "&direction=sideways", "direction");
    assertRefused(400, "/epcis/lineage?epc=" + lot + "&maxDepth=11", "maxDepth");
    assertRefused(400, "/epcis/lineage?epc=" + lot + "&depth=3", "depth");
    RestApi.Answer unknown = trace.get("/epcis/lineage?epc=urn:epc:id:sgtin:4012345.011111.ZZ",
        Map.of());
    assertEquals(404, unknown.status());
    assertTrue(TraceApi.json(unknown).path("detail").asText().contains(
        dl("urn:epc:id:sgtin:4012345.011111.ZZ")));
  }

  /**
   * Items commissioned with their lot in ILMD (cbvmda:lotNumber, the namespace under a prefix
   * of the document's own) are found from the lot, and the lot from them: one of another GTIN
   * in the same event is in that GTIN's lot, not this one's.
   */
  @Test
  void aLotNamedInIlmdLeadsToItsItemsAndBack() throws Exception {
    String lot = "urn:epc:class:lgtin:4012345.033333.LX";
    String m1 = "urn:epc:id:sgtin:4012345.033333.M1";
    String m2 = "urn:epc:id:sgtin:4012345.033333.M2";
    String other = "urn:epc:id:sgtin:4012345.044444.N1";
    String c9 = "urn:epc:id:sscc:4012345.0000000449";
    com.fasterxml.jackson.databind.node.ObjectNode doc = TraceChain.JSON.createObjectNode();
    doc.putArray("@context").add("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld")
        .addObject().put("mda", "urn:epcglobal:cbv:mda:");
    doc.put("type", "EPCISDocument").put("schemaVersion", "2.0")
        .put("creationDate", "2024-06-01T00:00:00Z");
    com.fasterxml.jackson.databind.node.ArrayNode events = doc.putObject("epcisBody")
        .putArray("eventList");
    com.fasterxml.jackson.databind.node.ObjectNode made = events.addObject()
        .put("type", "ObjectEvent").put("eventTime", "2024-06-01T06:00:00Z")
        .put("eventTimeZoneOffset", "+00:00").put("action", "ADD")
        .put("bizStep", "commissioning");
    made.putArray("epcList").add(m1).add(m2).add(other);
    made.putObject("ilmd").put("mda:lotNumber", "LX")
        .put("mda:itemExpirationDate", "2024-12-31");
    com.fasterxml.jackson.databind.node.ObjectNode packed = events.addObject()
        .put("type", "AggregationEvent").put("eventTime", "2024-06-01T07:00:00Z")
        .put("eventTimeZoneOffset", "+00:00").put("action", "ADD").put("bizStep", "packing")
        .put("parentID", c9);
    packed.putArray("childEPCs").add(m1);
    trace.capture(TraceChain.JSON.writeValueAsBytes(doc));

    Lineage.Graph down = walk(lot, Lineage.Direction.DOWNSTREAM, 5);
    assertEquals(Set.of(edge(lot, "lotMember", m1), edge(lot, "lotMember", m2),
        edge(m1, "packedInto", c9)), edges(down));
    assertEquals(Lineage.Kind.CLASS, node(down, lot).kind());
    Lineage.Graph up = walk(c9, Lineage.Direction.UPSTREAM, 5);
    assertEquals(Set.of(edge(m1, "packedInto", c9), edge(lot, "lotMember", m1)), edges(up));
    Lineage.Graph otherLot = walk("urn:epc:class:lgtin:4012345.044444.LX",
        Lineage.Direction.DOWNSTREAM, 5);
    assertEquals(Set.of(edge("urn:epc:class:lgtin:4012345.044444.LX", "lotMember", other)),
        edges(otherLot));
  }

  private void assertRefused(int status, String uri, String field) {
    RestApi.Answer answer = trace.get(uri, Map.of());
    assertEquals(status, answer.status(), uri + ": " + new String(answer.body()));
    assertEquals(field, TraceApi.json(answer).at("/errors/0/field").asText(),
        new String(answer.body()));
  }
}
