package io.chorus.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A supply chain for lineage and the resolver, written with EPC URNs as a capturer may send
 * them: lot L1 is made into items A1 and A2 and lot P1 (by class quantity); A1 and B1 (of
 * another lot) are packed into case C1, which goes with case C2 onto pallet PL; C2 is later
 * unpacked (DELETE); A2 is made into A3, and A3 back into lot L1, closing a cycle.
 */
final class RecallDocument {
  static final String L1 = "urn:epc:class:lgtin:4012345.011111.L1";
  static final String P1 = "urn:epc:class:lgtin:4012345.022222.P1";
  static final String A1 = "urn:epc:id:sgtin:4012345.011111.A1";
  static final String A2 = "urn:epc:id:sgtin:4012345.011111.A2";
  static final String A3 = "urn:epc:id:sgtin:4012345.011111.A3";
  static final String B1 = "urn:epc:id:sgtin:4012345.011111.B1";
  static final String C1 = "urn:epc:id:sscc:4012345.0000000441";
  static final String C2 = "urn:epc:id:sscc:4012345.0000000442";
  static final String PL = "urn:epc:id:sscc:4012345.0000000999";

  private RecallDocument() {}

  /** The canonical form of an identifier, as lineage answers it. */
  static String dl(String urn) {
    return Gs1Identifiers.canonical(urn);
  }

  static byte[] document() {
    ObjectNode doc = TraceChain.JSON.createObjectNode();
    doc.putArray("@context").add(
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld");
    doc.put("type", "EPCISDocument").put("schemaVersion", "2.0")
        .put("creationDate", "2024-05-01T00:00:00Z");
    ArrayNode events = doc.putObject("epcisBody").putArray("eventList");
    ObjectNode harvest = event(events, "ObjectEvent", "2024-05-01T06:00:00Z", "commissioning");
    harvest.put("action", "ADD");
    quantities(harvest, "quantityList", L1);
    ObjectNode making = event(events, "TransformationEvent", "2024-05-01T08:00:00Z",
        "commissioning");
    quantities(making, "inputQuantityList", L1);
    epcs(making, "outputEPCList", A1, A2);
    quantities(making, "outputQuantityList", P1);
    ObjectNode packing = event(events, "AggregationEvent", "2024-05-01T09:00:00Z", "packing");
    packing.put("action", "ADD").put("parentID", C1);
    epcs(packing, "childEPCs", A1, B1);
    ObjectNode loading = event(events, "AggregationEvent", "2024-05-01T10:00:00Z", "loading");
    loading.put("action", "ADD").put("parentID", PL);
    epcs(loading, "childEPCs", C1, C2);
    ObjectNode unpacking = event(events, "AggregationEvent", "2024-05-02T10:00:00Z",
        "unpacking");
    unpacking.put("action", "DELETE").put("parentID", PL);
    epcs(unpacking, "childEPCs", C2);
    ObjectNode remaking = event(events, "TransformationEvent", "2024-05-03T08:00:00Z",
        "repairing");
    epcs(remaking, "inputEPCList", A2);
    epcs(remaking, "outputEPCList", A3);
    ObjectNode recycling = event(events, "TransformationEvent", "2024-05-04T08:00:00Z",
        "commissioning");
    epcs(recycling, "inputEPCList", A3);
    quantities(recycling, "outputQuantityList", L1);
    ObjectNode selling = event(events, "ObjectEvent", "2024-05-05T08:00:00Z", "retail_selling");
    selling.put("action", "OBSERVE").put("disposition", "retail_sold");
    selling.putObject("bizLocation").put("id", "urn:epc:id:sgln:4012345.00012.0");
    epcs(selling, "epcList", A1);
    try {
      return TraceChain.JSON.writeValueAsBytes(doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode event(ArrayNode events, String type, String time, String bizStep) {
    return events.addObject().put("type", type).put("eventTime", time)
        .put("eventTimeZoneOffset", "+00:00").put("bizStep", bizStep);
  }

  private static void epcs(ObjectNode event, String field, String... ids) {
    ArrayNode list = event.putArray(field);
    List.of(ids).forEach(list::add);
  }

  private static void quantities(ObjectNode event, String field, String epcClass) {
    event.putArray(field).addObject().put("epcClass", epcClass).put("quantity", 10)
        .put("uom", "KGM");
  }
}
