package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.rpc.rest.RestApi;
import io.chorus.evm.Address;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EPCIS master data captured with a document's header, through the chain: answered by {@code
 * GET /epcis/vocabularies} as the SimpleMasterDataQuery answers, a later capture's attribute
 * replacing an earlier one's, and used by the resolver's product answer to name the product and
 * the places of its events; bad master data refused naming the field, nothing captured.
 */
class MasterDataTest {
  private static final String SHOP = "urn:epc:id:sgln:4012345.00012.0";
  private static final String SHOP_DL = "https://id.gs1.org/414/4012345000122";
  private static final String GTIN_CLASS = "https://id.gs1.org/01/04012345111118";
  private static final String LOCATION = "urn:epcglobal:epcis:vtype:BusinessLocation";
  private static final String NAME = "urn:epcglobal:cbv:mda#name";

  @TempDir Path dir;
  private TraceApi trace;

  @BeforeEach
  void open() {
    trace = new TraceApi(dir, ScanRules.DEFAULTS, new TraceApi.MovableClock());
  }

  @AfterEach
  void close() {
    trace.close();
  }

  // A document selling item A1 at the shop, its header naming the shop and the GTIN.
  private static ObjectNode document(String serial, String shopName) {
    ObjectNode doc = TraceChain.JSON.createObjectNode();
    doc.putArray("@context").add(EpcisService.CONTEXT);
    doc.put("type", "EPCISDocument").put("schemaVersion", "2.0")
        .put("creationDate", "2024-05-01T00:00:00Z");
    ArrayNode vocabularies = doc.putObject("epcisHeader").putObject("epcisMasterData")
        .putArray("vocabularyList");
    ObjectNode shop = vocabularies.addObject().put("type", LOCATION)
        .putArray("vocabularyElementList").addObject().put("id", SHOP);
    shop.putArray("attributes").addObject().put("id", NAME).put("attribute", shopName)
        .put("id", NAME);
    ((ArrayNode) shop.get("attributes")).addObject()
        .put("id", "urn:epcglobal:cbv:mda#city").put("attribute", "Shanghai");
    vocabularies.addObject().put("type", "urn:epcglobal:epcis:vtype:EPCClass")
        .putArray("vocabularyElementList").addObject().put("id", GTIN_CLASS)
        .putArray("attributes").addObject().put("id", "https://gs1.org/voc/productName")
        .put("attribute", "Fuji apples, 1 kg");
    ObjectNode sold = doc.putObject("epcisBody").putArray("eventList").addObject()
        .put("type", "ObjectEvent").put("eventTime", "2024-05-05T08:00:00Z")
        .put("eventTimeZoneOffset", "+08:00").put("action", "OBSERVE")
        .put("bizStep", "retail_selling");
    sold.putObject("bizLocation").put("id", SHOP);
    sold.putArray("epcList").add("urn:epc:id:sgtin:4012345.011111." + serial);
    return doc;
  }

  private JsonNode vocabularies(String query) {
    RestApi.Answer answer = trace.get("/epcis/vocabularies" + query, Map.of());
    assertEquals(200, answer.status(), new String(answer.body()));
    return TraceApi.json(answer).at("/epcisBody/queryResults");
  }

  @Test
  void masterDataIsQueriedAndNamesTheProductAndItsPlaces() throws Exception {
    trace.capture(TraceChain.JSON.writeValueAsBytes(document("A1", "Riverside Market")));

    JsonNode all = vocabularies("");
    assertEquals("SimpleMasterDataQuery", all.path("queryName").asText());
    assertEquals(2, all.at("/resultsBody/vocabularyList").size(), all.toString());
    JsonNode shop = vocabularies("?EQ_name=" + URLEncoder.encode(SHOP_DL,
        StandardCharsets.UTF_8) + "&vocabularyName=" + LOCATION).at("/resultsBody/vocabularyList");
    assertEquals(1, shop.size(), "a Digital Link finds the element sent as a URN");
    assertEquals(LOCATION, shop.at("/0/type").asText());
    JsonNode element = shop.at("/0/vocabularyElementList/0");
    assertEquals(SHOP, element.path("id").asText());
    assertEquals("Riverside Market", element.at("/attributes/0/attribute").asText());
    assertEquals("Shanghai", element.at("/attributes/1/attribute").asText());
    assertTrue(vocabularies("?EQ_name=" + SHOP + "&includeAttributes=false")
        .at("/resultsBody/vocabularyList/0/vocabularyElementList/0/attributes").isMissingNode());
    assertEquals(0, vocabularies("?EQ_name=" + SHOP + "&vocabularyName=urn:x:other")
        .at("/resultsBody/vocabularyList").size());

    JsonNode product = TraceApi.json(trace.get("/01/04012345111118/21/A1",
        Map.of("Accept", "application/json")));
    assertEquals("Fuji apples, 1 kg", product.path("name").asText(), product.toString());
    assertEquals("Riverside Market", product.at("/names").path(SHOP).asText(),
        product.toString());

    // A later capture renames the shop and keeps its city.
    trace.capture(TraceChain.JSON.writeValueAsBytes(document("A2", "Riverside Market No. 2")));
    JsonNode renamed = vocabularies("?EQ_name=" + SHOP)
        .at("/resultsBody/vocabularyList/0/vocabularyElementList/0/attributes");
    assertEquals("Riverside Market No. 2", renamed.at("/0/attribute").asText());
    assertEquals("Shanghai", renamed.at("/1/attribute").asText());
  }

  @Test
  void withDescendantsFollowsTheMasterDataChildrenOfTheLocationsType() throws Exception {
    ObjectNode doc = document("A5", "Riverside Market");
    ArrayNode vocabularies = (ArrayNode) doc.at("/epcisHeader/epcisMasterData/vocabularyList");
    ArrayNode locations = vocabularies.addObject().put("type", LOCATION)
        .putArray("vocabularyElementList");
    locations.addObject().put("id", "urn:example:warehouse").putArray("children").add(SHOP)
        .add("urn:example:yard");
    locations.addObject().put("id", "urn:example:yard").putArray("children")
        .add("urn:example:yard:gate");
    locations.addObject().put("id", "urn:example:yard:gate").putArray("children")
        .add("urn:example:yard"); // a cycle is no harm
    vocabularies.addObject().put("type", "urn:epcglobal:epcis:vtype:ReadPoint")
        .putArray("vocabularyElementList").addObject().put("id", "urn:example:warehouse")
        .putArray("children").add("urn:example:office");
    ArrayNode events = (ArrayNode) doc.at("/epcisBody/eventList");
    events.removeAll();
    for (String at : List.of("urn:epc:id:sgln:4012345.00012.5", "urn:example:yard:gate",
        "urn:example:office", "urn:example:elsewhere")) {
      ObjectNode event = events.addObject().put("type", "ObjectEvent")
          .put("eventTime", "2024-05-05T08:00:00Z").put("eventTimeZoneOffset", "+08:00")
          .put("action", "OBSERVE");
      event.putObject("bizLocation").put("id", at);
      event.putArray("epcList").add("urn:epc:id:sgtin:4012345.011111.W" + events.size());
    }
    trace.capture(TraceChain.JSON.writeValueAsBytes(doc));

    assertEquals(List.of("urn:epc:id:sgln:4012345.00012.5", "urn:example:yard:gate"),
        bizLocations("WD_bizLocation=urn:example:warehouse"),
        "the shop's sub-location (its GLN's), and the yard's child (a business location's)");
    assertEquals(List.of("urn:example:yard:gate"), bizLocations("WD_bizLocation=urn:example:yard"));
    assertEquals(List.of(), bizLocations("EQ_bizLocation=urn:example:warehouse"));
  }

  // The bizLocation of each event a query answers, in chain order.
  private List<String> bizLocations(String query) {
    RestApi.Answer answer = trace.get("/epcis/events?" + query, Map.of());
    assertEquals(200, answer.status(), new String(answer.body()));
    List<String> out = new java.util.ArrayList<>();
    TraceApi.json(answer).at("/epcisBody/queryResults/resultsBody/eventList")
        .forEach(e -> out.add(e.at("/bizLocation/id").asText()));
    return out;
  }

  @Test
  void badMasterDataIsRefusedNamingTheFieldAndNothingIsCaptured() throws Exception {
    ObjectNode doc = document("A3", "Riverside Market");
    ((ObjectNode) doc.at("/epcisHeader/epcisMasterData/vocabularyList/0/vocabularyElementList/0"))
        .put("id", "not a uri");
    RestApi.Answer refused = trace.send("POST", "/epcis/capture",
        TraceChain.JSON.writeValueAsBytes(doc), Map.of(), null);
    assertEquals(400, refused.status(), new String(refused.body()));
    assertEquals("/epcisHeader/epcisMasterData/vocabularyList/0/vocabularyElementList/0/id",
        TraceApi.json(refused).at("/errors/0/field").asText());
    assertEquals(0, vocabularies("").at("/resultsBody/vocabularyList").size());

    RestApi.Answer badParameter = trace.get("/epcis/vocabularies?EQ_attr=1", Map.of());
    assertEquals(400, badParameter.status());
    assertEquals("EQ_attr", TraceApi.json(badParameter).at("/errors/0/field").asText());
  }

  @Test
  void onlyTheAccountThatFirstDescribedAnElementChangesIt() throws Exception {
    trace.capture(TraceChain.JSON.writeValueAsBytes(document("A4", "Riverside Market")));

    RestApi.Answer refused = trace.send("POST", "/epcis/capture", TraceChain.JSON
        .writeValueAsBytes(document("A5", "Counterfeit Market")),
        Map.of("Authorization", "Bearer other"), null);
    assertEquals(409, refused.status(), new String(refused.body()));
    assertEquals("urn:chorus:problem:master-data-owned",
        TraceApi.json(refused).path("type").asText());
    assertEquals("Riverside Market", vocabularies("?EQ_name=" + SHOP)
        .at("/resultsBody/vocabularyList/0/vocabularyElementList/0/attributes/0/attribute")
        .asText());

    // What reaches the chain past the API (a capture sent straight to the contract) is left
    // out of every node's index alike.
    try (TraceStore store = new TraceStore(dir.resolve("store"))) {
      MasterData.Element first = element("Riverside Market");
      store.commitBlock(0, List.of(masterDataOnly(0, TraceChain.SENDER, first)), List.of(), 0);
      store.commitBlock(1, List.of(masterDataOnly(1, TraceApi.OTHER,
          element("Counterfeit Market"))), List.of(), 0);
      assertEquals("Riverside Market", store.masterData(first.key()).get(0).attributes()
          .get(NAME).asText());
      assertEquals(TraceChain.SENDER, store.masterDataOwner(first.key(), LOCATION).orElseThrow());
      store.commitBlock(2, List.of(masterDataOnly(2, TraceChain.SENDER,
          element("Riverside Market No. 3"))), List.of(), 0);
      assertEquals("Riverside Market No. 3", store.masterData(first.key()).get(0).attributes()
          .get(NAME).asText());
    }
  }

  private static MasterData.Element element(String name) {
    return new MasterData.Element(LOCATION, SHOP, SHOP_DL,
        Map.of(NAME, TraceChain.JSON.getNodeFactory().textNode(name)), List.of());
  }

  private static TraceStore.Capture masterDataOnly(int block, Address capturer,
      MasterData.Element element) {
    byte[] root = ByteBuffer.allocate(32).putInt(block).array();
    return new TraceStore.Capture(root, new byte[32], block, Instant.EPOCH, capturer, List.of(),
        List.of(), List.of(), List.of(), List.of(element));
  }
}
