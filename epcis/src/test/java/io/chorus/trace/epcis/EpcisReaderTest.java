package io.chorus.trace.epcis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.trace.epcis.EpcisEvent.Action;
import io.chorus.trace.epcis.EpcisEvent.EventType;
import io.chorus.trace.epcis.EpcisEvent.Quantity;
import io.chorus.trace.epcis.EpcisEvent.Role;
import io.chorus.trace.epcis.EpcisEvent.TypedId;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The reader on a farm-to-shelf document with one event of each type: each is read with its
 * fields pulled out and normalised; then the same document broken in one place at a time, each
 * refusal naming the field by JSON pointer and saying what to send; and the bounds.
 */
class EpcisReaderTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final EpcisReader READER = new EpcisReader(EpcisLimits.defaults());
  private static final String LIST = "/epcisBody/eventList/";

  /** Harvest (Object, ADD with ILMD), pack (Aggregation), ship (Transaction), make juice
   * (Transformation), attach a sensor (Association). */
  static final String FARM_TO_SHELF = """
      {
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                     {"farm": "https://farm.example.cn/epcis/"}],
        "type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2024-05-01T08:00:00+08:00",
        "epcisBody": {"eventList": [
          {"type": "ObjectEvent", "eventTime": "2024-05-01T06:30:00.5+08:00",
           "eventTimeZoneOffset": "+08:00", "action": "ADD", "bizStep": "commissioning",
           "disposition": "urn:epcglobal:cbv:disp:active",
           "epcList": ["urn:epc:id:sgtin:4012345.011111.9876"],
           "quantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.011111.LOT7",
                             "quantity": 120.50, "uom": "KGM"}],
           "readPoint": {"id": "urn:epc:id:sgln:4012345.00005.0"},
           "bizLocation": {"id": "https://example.cn/x/414/4012345000054?s=1"},
           "ilmd": {"farm:harvestDate": "2024-05-01", "farm:orchard": {"farm:row": 7}},
           "certificationInfo": "https://cert.example.cn/organic/123",
           "farm:picker": "Li Wei"},
          {"type": "AggregationEvent", "eventTime": "2024-05-01T09:00:00Z",
           "eventTimeZoneOffset": "+08:00", "action": "ADD", "bizStep": "packing",
           "parentID": "urn:epc:id:sscc:4012345.0000000333",
           "childEPCs": ["urn:epc:id:sgtin:4012345.011111.9876"],
           "childQuantityList": [{"epcClass": "https://id.gs1.org/01/04012345111118/10/LOT7",
                                  "quantity": 3}]},
          {"type": "TransactionEvent", "eventTime": "2024-05-02T10:00:00+08:00",
           "eventTimeZoneOffset": "+08:00", "action": "ADD", "bizStep": "shipping",
           "disposition": "in_transit", "parentID": "https://id.gs1.org/00/040123450000003338",
           "bizTransactionList": [{"type": "po",
                                   "bizTransaction": "urn:epcglobal:cbv:bt:4012345000009:PO1"}],
           "sourceList": [{"type": "owning_party",
                           "source": "urn:epc:id:pgln:4012345.00000"}],
           "destinationList": [{"type": "location",
                                "destination": "urn:epc:id:sgln:4012345.00012.0"}]},
          {"type": "TransformationEvent", "eventTime": "2024-05-03T10:00:00+08:00",
           "eventTimeZoneOffset": "+08:00",
           "bizStep": "https://ref.gs1.org/cbv/BizStep-commissioning",
           "inputQuantityList": [{"epcClass": "urn:epc:class:lgtin:4012345.011111.LOT7",
                                  "quantity": 100, "uom": "KGM"}],
           "outputEPCList": ["https://id.gs1.org/01/04012345222227/21/J1"],
           "persistentDisposition": {"set": ["conformant"]},
           "sensorElementList": [{"sensorMetadata": {"time": "2024-05-03T10:00:00+08:00"},
              "sensorReport": [{"type": "gs1:Temperature", "value": 4.50, "uom": "CEL"},
                               {"type": "Count", "booleanValue": true,
                                "hexBinaryValue": "0aFF"}]}]},
          {"type": "AssociationEvent", "eventTime": "2024-05-03T11:00:00+08:00",
           "eventTimeZoneOffset": "+08:00", "action": "ADD", "bizStep": "assembling",
           "parentID": "urn:epc:id:grai:4012345.55555.1",
           "childEPCs": ["urn:epc:id:giai:4012345.SENSOR9"],
           "eventID": "urn:uuid:6d5bd7e2-1b4e-4bb4-8d8b-6d0a40b1d1e9",
           "recordTime": "2024-05-03T11:00:01Z",
           "errorDeclaration": {"declarationTime": "2024-05-04T00:00:00Z",
                                "reason": "incorrect_data",
                                "correctiveEventIDs":
                                  ["urn:uuid:7a2b0a52-0f0c-4d7c-9b44-2f6d0c3b7d10"]}}
        ]}
      }""";

  @Test
  void readsEachEventTypeWithItsFields() {
    EpcisDocument document = READER.readDocument(bytes(FARM_TO_SHELF));
    assertEquals(EpcisDocument.Kind.EPCISDocument, document.kind());
    assertEquals(Instant.parse("2024-05-01T00:00:00Z"), document.creationDate());
    List<EpcisEvent> events = document.events();
    assertEquals(List.of(EventType.values()), events.stream().map(EpcisEvent::type).toList());

    EpcisEvent harvest = events.get(0);
    assertEquals(LIST + "0", harvest.pointer());
    assertEquals(Instant.parse("2024-04-30T22:30:00.500Z"), harvest.eventTime());
    assertEquals(Action.ADD, harvest.action());
    assertEquals("https://ref.gs1.org/cbv/BizStep-commissioning", harvest.bizStep());
    assertEquals("https://ref.gs1.org/cbv/Disp-active", harvest.disposition());
    assertEquals(List.of("https://id.gs1.org/01/04012345111118/21/9876"),
        harvest.epcs(Role.EPC));
    assertEquals(List.of(new Quantity(Role.EPC, "https://id.gs1.org/01/04012345111118/10/LOT7",
        new BigDecimal("120.5"), "KGM")), harvest.quantities());
    assertEquals("https://id.gs1.org/414/4012345000054", harvest.readPoint());
    assertEquals("https://id.gs1.org/414/4012345000054", harvest.bizLocation());
    assertEquals(List.of("https://cert.example.cn/organic/123"), harvest.certificationInfo());
    assertEquals("Li Wei", harvest.json().get("farm:picker").asText());

    EpcisEvent pack = events.get(1);
    assertEquals(List.of("https://id.gs1.org/00/040123450000003338"), pack.epcs(Role.PARENT));
    assertEquals(List.of("https://id.gs1.org/01/04012345111118/21/9876"),
        pack.epcs(Role.CHILD));
    assertEquals(Role.CHILD, pack.quantities().get(0).role());

    EpcisEvent ship = events.get(2);
    assertEquals(List.of(new TypedId("https://ref.gs1.org/cbv/BTT-po",
        "urn:epcglobal:cbv:bt:4012345000009:PO1")), ship.bizTransactions());
    assertEquals(List.of(new TypedId("https://ref.gs1.org/cbv/SDT-owning_party",
        "https://id.gs1.org/417/4012345000009")), ship.sources());
    assertEquals(List.of(new TypedId("https://ref.gs1.org/cbv/SDT-location",
        "https://id.gs1.org/414/4012345000122")), ship.destinations());
    // The SSCC as a URN in the aggregation and as a Digital Link here is one parent.
    assertEquals(pack.epcs(Role.PARENT), ship.epcs(Role.PARENT));

    EpcisEvent juice = events.get(3);
    assertNull(juice.action());
    assertEquals(Role.INPUT, juice.quantities().get(0).role());
    assertEquals(List.of("https://id.gs1.org/01/04012345222227/21/J1"),
        juice.epcs(Role.OUTPUT));
    assertEquals(List.of("https://ref.gs1.org/cbv/Disp-conformant"),
        juice.persistentDispositionSet());

    EpcisEvent attach = events.get(4);
    assertEquals(List.of("https://id.gs1.org/8003/04012345555554" + "1"),
        attach.epcs(Role.PARENT));
    assertEquals(List.of("https://id.gs1.org/8004/4012345SENSOR9"), attach.epcs(Role.CHILD));
    assertEquals("urn:uuid:6d5bd7e2-1b4e-4bb4-8d8b-6d0a40b1d1e9", attach.eventId());
    assertEquals(Instant.parse("2024-05-03T11:00:01Z"), attach.recordTime());
    assertEquals("https://ref.gs1.org/cbv/ER-incorrect_data", attach.errorDeclaration().reason());
    events.forEach(e -> assertTrue(e.hashId().matches("ni:///sha-256;[0-9a-f]{64}\\?ver=CBV2.0"),
        e.hashId()));
  }

  @Test
  void theHashIdIgnoresHowAnEventIsWrittenButNotWhatItSays() {
    String hash = event(0).hashId();
    assertEquals(hash, event(0, e -> e.put("bizStep",
        "urn:epcglobal:cbv:bizstep:commissioning")).hashId());
    assertEquals(hash, event(0, e -> e.put("bizStep",
        "https://ref.gs1.org/cbv/BizStep-commissioning")).hashId());
    assertEquals(hash, event(0, e -> ((ArrayNode) e.get("epcList")).set(0,
        "https://other-resolver.example/01/04012345111118/21/9876?linkType=all")).hashId());
    assertEquals(hash, event(0, e -> e.put("eventTime", "2024-04-30T22:30:00.500Z")).hashId());
    assertEquals(hash, event(0, e -> {
      e.put("eventID", "urn:uuid:00000000-0000-4000-8000-000000000000");
      e.put("recordTime", "2030-01-01T00:00:00Z");
    }).hashId());
    ObjectNode reordered = JSON.createObjectNode();
    List<String> names = iterable(eventNode(0).fieldNames());
    names.reversed().forEach(name -> reordered.set(name, eventNode(0).get(name)));
    assertEquals(hash, EventHashId.of(reordered,
        READER.readDocument(bytes(FARM_TO_SHELF)).namespaces()));

    assertNotEquals(hash, event(0, e -> ((ArrayNode) e.get("epcList")).set(0,
        "urn:epc:id:sgtin:4012345.011111.9877")).hashId());
    assertNotEquals(hash, event(0, e -> e.put("farm:picker", "Zhang San")).hashId());
    assertNotEquals(hash, event(0, e -> ((ObjectNode) e.get("quantityList").get(0))
        .put("quantity", 121)).hashId());
  }

  @Test
  void refusesEachBrokenFieldByPointerAndSaysWhatToSend() {
    refused(0, e -> ((ArrayNode) e.get("epcList")).set(0, "box 17"),
        LIST + "0/epcList/0", "is no URI: send an absolute URI");
    refused(0, e -> ((ArrayNode) e.get("epcList")).set(0, "urn:epc:id:sgtin:4012345.0111.9876"),
        LIST + "0/epcList/0", "company prefix (6-12 digits) and item reference");
    refused(0, e -> ((ArrayNode) e.get("epcList")).add("urn:epc:id:sgtin:4012345.011111.9876"),
        LIST + "0/epcList/1", "listed twice (also at " + LIST + "0/epcList/0)");
    refused(2, e -> e.put("parentID", "https://id.gs1.org/00/040123450000003339"),
        LIST + "2/parentID", "the check digit of 040123450000003339 should be 8");
    refused(0, e -> e.put("eventTime", "2024-05-01T06:30:00"),
        LIST + "0/eventTime", "has no zone: add Z or an offset");
    refused(0, e -> e.put("eventTimeZoneOffset", "+8"),
        LIST + "0/eventTimeZoneOffset", "send +hh:mm or -hh:mm");
    refused(0, e -> e.remove("action"), LIST + "0/action", "missing: action is required");
    refused(0, e -> e.put("action", "MOVE"), LIST + "0/action", "none of ADD, OBSERVE, DELETE");
    refused(0, e -> e.put("type", "RecallEvent"), LIST + "0/type",
        "unknown event type 'RecallEvent': send ObjectEvent, AggregationEvent");
    refused(0, e -> e.put("bizStep", "harvesting"), LIST + "0/bizStep",
        "'harvesting' is not in the CBV vocabulary: send one of accepting, arriving");
    refused(0, e -> ((ObjectNode) e.get("quantityList").get(0)).put("quantity", "120"),
        LIST + "0/quantityList/0/quantity", "is a JSON number, not a string");
    refused(0, e -> ((ObjectNode) e.get("quantityList").get(0)).put("uom", "kg"),
        LIST + "0/quantityList/0/uom", "no UN/CEFACT unit code");
    refused(0, e -> e.put("colour", "red"), LIST + "0/colour",
        "unknown field 'colour' for a ObjectEvent");
    refused(0, e -> e.put("acme:colour", "red"), LIST + "0/acme:colour",
        "the prefix 'acme' of extension field 'acme:colour' is not declared");
    refused(0, e -> e.put("action", "OBSERVE"), LIST + "0/ilmd", "action ADD only");
    refused(2, e -> e.remove("bizTransactionList"), LIST + "2/bizTransactionList",
        "missing: bizTransactionList is required");
    refused(4, e -> e.remove("parentID"), LIST + "4/parentID",
        "an AssociationEvent names its parent");
    refused(3, e -> e.remove("outputEPCList"), LIST + "3/outputEPCList",
        "at least one input and one output");
    refused(3, e -> ((ObjectNode) e.at("/sensorElementList/0/sensorReport/1"))
        .put("hexBinaryValue", "0xZZ"), LIST + "3/sensorElementList/0/sensorReport/1/"
        + "hexBinaryValue", "hexadecimal digits only");
    refused(1, e -> e.put("eventID", "urn:uuid:6d5bd7e2-1b4e-4bb4-8d8b-6d0a40b1d1e9"),
        LIST + "4/eventID", "is also the ID of " + LIST + "1");
  }

  @Test
  void listsEveryProblemOfEveryEvent() {
    ObjectNode root = document();
    ((ObjectNode) root.at(LIST + "1")).put("action", "PACK");
    ((ObjectNode) root.at(LIST + "3")).put("eventTime", "yesterday");
    EpcisException e = assertThrows(EpcisException.class,
        () -> READER.readDocument(bytes(root.toString())));
    assertEquals(EpcisException.Kind.INVALID, e.kind());
    assertEquals(List.of(LIST + "1/action", LIST + "3/eventTime"),
        e.problems().stream().map(EpcisProblem::pointer).toList());
    assertTrue(e.getMessage().contains("'yesterday' is no date-time"), e.getMessage());
  }

  @Test
  void boundsAndBadJsonAreRefusedAsSuch() {
    EpcisReader small = new EpcisReader(new EpcisLimits(4096, 2, 8, 100));
    EpcisException tooBig = assertThrows(EpcisException.class,
        () -> small.readDocument(new byte[4097]));
    assertEquals(EpcisException.Kind.TOO_LARGE, tooBig.kind());
    assertTrue(tooBig.getMessage().contains("4097 bytes, over the limit of 4096"));

    ObjectNode three = document();
    ArrayNode list = (ArrayNode) three.at("/epcisBody/eventList");
    list.remove(4);
    list.remove(3);
    String threeEvents = three.toString();
    EpcisException tooMany = assertThrows(EpcisException.class,
        () -> new EpcisReader(new EpcisLimits(1 << 20, 2, 32, 100))
            .readDocument(bytes(threeEvents)));
    assertEquals(EpcisException.Kind.TOO_LARGE, tooMany.kind());
    assertEquals("/epcisBody/eventList", tooMany.problems().get(0).pointer());
    assertTrue(tooMany.getMessage().contains("3 events, over the limit of 2"));

    String deep = "{\"a\":".repeat(9) + "1" + "}".repeat(9);
    EpcisException tooDeep = assertThrows(EpcisException.class,
        () -> small.readDocument(bytes(deep)));
    assertEquals(EpcisException.Kind.TOO_LARGE, tooDeep.kind());
    assertTrue(tooDeep.getMessage().contains("nesting at most 8 levels"), tooDeep.getMessage());

    EpcisException broken = assertThrows(EpcisException.class,
        () -> READER.readDocument(bytes("{\n\"type\": \"EPCISDocument\",\n\"epcisBody\": }")));
    assertEquals(EpcisException.Kind.MALFORMED, broken.kind());
    assertTrue(broken.getMessage().contains("not JSON at line 3"), broken.getMessage());

    EpcisException twice = assertThrows(EpcisException.class,
        () -> READER.readDocument(bytes("{\"type\": \"EPCISDocument\", \"type\": \"x\"}")));
    assertEquals(EpcisException.Kind.MALFORMED, twice.kind());
    assertTrue(twice.getMessage().contains("Duplicate field 'type'"), twice.getMessage());
  }

  @Test
  void anArrayOfEventsBoundsEachElementAsAnEventSentOnItsOwn() {
    EpcisReader small = new EpcisReader(new EpcisLimits(4096, 2, 8, 100));
    String eight = "{\"a\":".repeat(7) + "{}" + "}".repeat(7);
    String nine = "{\"a\":" + eight + "}";
    assertEquals(EpcisException.Kind.INVALID, assertThrows(EpcisException.class,
        () -> small.readEvent(bytes(eight))).kind(), "within the bounds, only not an event");
    assertEquals(1, small.readEventArray(bytes("[" + eight + "]")).size());
    assertEquals(EpcisException.Kind.TOO_LARGE, assertThrows(EpcisException.class,
        () -> small.readEvent(bytes(nine))).kind());
    assertEquals(EpcisException.Kind.TOO_LARGE, assertThrows(EpcisException.class,
        () -> small.readEventArray(bytes("[" + nine + "]"))).kind());

    ObjectNode bare = eventNode(2);
    bare.set("@context", JSON.createArrayNode()
        .add("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"));
    List<EpcisReader.ArrayElement> read = READER.readEventArray(bytes("[" + bare + "," + bare
        + "]"));
    assertEquals(READER.readEvent(bytes(bare.toString())).hashId(),
        READER.readEvent(read.get(1).event()).hashId());
    // Each element's bytes are its own JSON, whatever spaces and escapes surround it.
    String escaped = bare.toString().replace("ObjectEvent", "Object\\u0045vent");
    List<EpcisReader.ArrayElement> spaced = READER.readEventArray(bytes(" [ " + escaped
        + " ,\n\t" + bare + "\n] "));
    assertEquals(2, spaced.size());
    assertEquals(escaped, new String(spaced.get(0).json(), StandardCharsets.UTF_8));
    assertEquals(bare.toString(), new String(spaced.get(1).json(), StandardCharsets.UTF_8));
    assertEquals(bare, spaced.get(0).event());
    EpcisException notAnObject = assertThrows(EpcisException.class,
        () -> READER.readEventArray(bytes("[" + bare + ", 7]")));
    assertEquals("/1", notAnObject.problems().getFirst().pointer());
    assertEquals(EpcisException.Kind.INVALID, assertThrows(EpcisException.class,
        () -> READER.readEventArray(bytes(bare.toString()))).kind(), "an object, not an array");
  }

  @Test
  void readsABareEventAndAQueryDocument() {
    ObjectNode bare = eventNode(2);
    bare.set("@context", JSON.createArrayNode()
        .add("https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"));
    EpcisEvent event = READER.readEvent(bytes(bare.toString()));
    assertEquals(EventType.TransactionEvent, event.type());
    assertEquals("", event.pointer());
    assertEquals(event(2).hashId(), event.hashId());

    bare.remove("@context");
    EpcisException noContext = assertThrows(EpcisException.class,
        () -> READER.readEvent(bytes(bare.toString())));
    assertEquals("/@context", noContext.problems().get(0).pointer());

    ObjectNode query = document();
    query.put("type", "EPCISQueryDocument");
    query.remove(List.of("schemaVersion", "creationDate"));
    JsonNode events = query.at("/epcisBody/eventList");
    ObjectNode body = query.putObject("epcisBody").putObject("queryResults");
    body.put("queryName", "SimpleEventQuery");
    body.putObject("resultsBody").set("eventList", events);
    EpcisDocument results = READER.readDocument(bytes(query.toString()));
    assertEquals(EpcisDocument.Kind.EPCISQueryDocument, results.kind());
    assertEquals("SimpleEventQuery", results.queryName());
    assertEquals(LIST.replace("epcisBody/", "epcisBody/queryResults/resultsBody/") + "4",
        results.events().get(4).pointer());
  }

  private static void refused(int index, Consumer<ObjectNode> breakIt, String pointer,
      String message) {
    ObjectNode root = document();
    breakIt.accept((ObjectNode) root.at(LIST + index));
    EpcisException e = assertThrows(EpcisException.class,
        () -> READER.readDocument(bytes(root.toString())), pointer);
    assertEquals(EpcisException.Kind.INVALID, e.kind());
    assertTrue(e.problems().stream().anyMatch(p -> p.pointer().equals(pointer)
        && p.message().contains(message)), "expected " + pointer + ": " + message + ", got "
        + e.problems());
  }

  private static EpcisEvent event(int index) {
    return event(index, e -> { });
  }

  private static EpcisEvent event(int index, Consumer<ObjectNode> change) {
    ObjectNode root = document();
    change.accept((ObjectNode) root.at(LIST + index));
    return READER.readDocument(bytes(root.toString())).events().get(index);
  }

  private static ObjectNode eventNode(int index) {
    return (ObjectNode) document().at(LIST + index);
  }

  static ObjectNode document() {
    try {
      return (ObjectNode) JSON.readTree(FARM_TO_SHELF);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> out = new java.util.ArrayList<>();
    names.forEachRemaining(out::add);
    return out;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
