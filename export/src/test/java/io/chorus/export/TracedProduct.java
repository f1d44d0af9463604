package io.chorus.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.trace.CaptureBatch;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The EPCIS documents {@link TestChain#populate} captures through the node's {@code
 * /epcis/capture}, in two captures: flour lot F1 is commissioned (with an eventID; the others
 * are named by their hash IDs) next to an unrelated item; then F1 is made into items 1001 and
 * 1002 of lot B7 (the transformation's ILMD), both packed into a case, the case shipped, and
 * 1002 sold. Item 1001's history is F1's commissioning, the making, the packing and the
 * shipping; lot B7's adds the sale of 1002; the unrelated item is in neither (its lot's name
 * has a NUL in it), nor is item 1001's sale, which a contract captured.
 */
final class TracedProduct {
  static final String FLOUR = "urn:epc:class:lgtin:4012345.011111.F1";
  static final String ITEM = "urn:epc:id:sgtin:4012345.022222.1001";
  static final String OTHER_ITEM = "urn:epc:id:sgtin:4012345.022222.1002";
  static final String CASE = "urn:epc:id:sscc:4012345.0000000011";
  static final String UNRELATED = "urn:epc:id:sgtin:4012345.033333.9";
  static final String LOT = "B7";
  /** The unrelated item's lot, with a NUL (JSON-escaped), which PostgreSQL's text cannot hold. */
  static final String NUL_LOT = "U\\u00009";
  static final String FLOUR_EVENT_ID = "urn:uuid:6d3a8f52-2b1c-4c8e-9d0a-0f6b1e2c3d4e";

  /** The event times of the events in each history, in order (each event's time is its own). */
  static final String COMMISSIONED = "2026-03-01T00:00:00Z";
  static final String UNRELATED_TIME = "2026-03-01T01:00:00Z";
  static final String MADE = "2026-03-02T00:00:00Z";
  static final String PACKED = "2026-03-02T02:00:00Z";
  static final String SHIPPED = "2026-03-03T00:00:00Z";
  static final String SOLD = "2026-03-05T00:00:00Z";
  static final List<String> ITEM_HISTORY = List.of(COMMISSIONED, MADE, PACKED, SHIPPED);
  static final List<String> LOT_HISTORY = List.of(COMMISSIONED, MADE, PACKED, SHIPPED, SOLD);

  private static final String CONTEXT = "\"@context\": "
      + "[\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"],"
      + " \"type\": \"EPCISDocument\", \"schemaVersion\": \"2.0\","
      + " \"creationDate\": \"2026-03-06T00:00:00Z\", ";

  private TracedProduct() {}

  /** The canonical form the export and the nodes index an identifier in. */
  static String dl(String id) {
    return Gs1Identifiers.canonical(id);
  }

  /** Lot B7 of the items' GTIN, canonical. */
  static String lot() {
    String item = dl(ITEM);
    return item.substring(0, item.indexOf("/21/")) + "/10/" + LOT;
  }

  /** The flour's commissioning and the unrelated item's: the first capture. */
  static String commissioning() {
    return "{" + CONTEXT + "\"epcisBody\": {\"eventList\": ["
        + event("ObjectEvent", COMMISSIONED, "+10:00", "commissioning")
        + ", \"eventID\": \"" + FLOUR_EVENT_ID + "\", \"action\": \"ADD\","
        + " \"quantityList\": [" + quantity(FLOUR, "50") + "],"
        + " \"readPoint\": {\"id\": \"urn:epc:id:sgln:4012345.00001.0\"}},"
        + event("ObjectEvent", UNRELATED_TIME, "+00:00", "commissioning")
        + ", \"action\": \"ADD\", \"epcList\": [\"" + UNRELATED + "\"],"
        + " \"ilmd\": {\"cbvmda:lotNumber\": \"" + NUL_LOT + "\"}}"
        + "]}}";
  }

  /** An event a contract captures (so no node indexes it), as a batch element. */
  static ObjectNode forwarded() {
    JsonNode document = NodeTruth.JsonRpcClientJson.read("{" + CONTEXT
        + "\"epcisBody\": {\"eventList\": ["
        + event("ObjectEvent", SOLD, "+00:00", "retail_selling")
        + ", \"action\": \"OBSERVE\", \"epcList\": [\"" + ITEM + "\"]}]}}");
    return CaptureBatch.contextual((ObjectNode) document.at("/epcisBody/eventList/0"),
        document.get("@context"));
  }

  /** The making, packing, shipping and sale: the second capture. */
  static String making() {
    return "{" + CONTEXT + "\"epcisBody\": {\"eventList\": ["
        + event("TransformationEvent", MADE, "+08:00", "commissioning")
        + ", \"inputQuantityList\": [" + quantity(FLOUR, "10") + "],"
        + " \"outputEPCList\": [\"" + ITEM + "\", \"" + OTHER_ITEM + "\"],"
        + " \"ilmd\": {\"cbvmda:lotNumber\": \"" + LOT + "\"}},"
        + event("AggregationEvent", PACKED, "+08:00", "packing")
        + ", \"action\": \"ADD\", \"parentID\": \"" + CASE + "\","
        + " \"childEPCs\": [\"" + ITEM + "\", \"" + OTHER_ITEM + "\"]},"
        + event("ObjectEvent", SHIPPED, "+01:00", "shipping")
        + ", \"action\": \"OBSERVE\", \"epcList\": [\"" + CASE + "\"],"
        + " \"disposition\": \"in_transit\","
        + " \"bizLocation\": {\"id\": \"urn:epc:id:sgln:4012345.00002.0\"}},"
        + event("ObjectEvent", SOLD, "+00:00", "retail_selling")
        + ", \"action\": \"OBSERVE\", \"epcList\": [\"" + OTHER_ITEM + "\"],"
        + " \"disposition\": \"retail_sold\"}"
        + "]}}";
  }

  // An event (open: its type's fields follow) at `utc`, written in the local time of `offset`.
  private static String event(String type, String utc, String offset, String bizStep) {
    String local = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(OffsetDateTime.parse(utc)
        .withOffsetSameInstant(ZoneOffset.of(offset)));
    return "{\"type\": \"" + type + "\", \"eventTime\": \"" + local + "\","
        + " \"eventTimeZoneOffset\": \"" + offset + "\", \"bizStep\": \"" + bizStep + "\"";
  }

  private static String quantity(String epcClass, String kilograms) {
    return "{\"epcClass\": \"" + epcClass + "\", \"quantity\": " + kilograms
        + ", \"uom\": \"KGM\"}";
  }
}
