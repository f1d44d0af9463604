package io.chorus.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Realistic EPCIS 2.0 capture documents for load: a packing line's day in miniature. Of every
 * ten events, six are ObjectEvents observing one to four trade items (SGTINs) at a read point,
 * two of them with a temperature and humidity reading; two are AggregationEvents packing four to
 * eight items into a case (SSCC); one commissions items with a lot (LGTIN) quantity; one ships a
 * case with its purchase order, source and destination. Every event has a fresh
 * {@code urn:uuid:} eventID and serials unique to this maker, so no two documents of a run (or
 * of two runs) capture the same event. Not thread-safe: one maker per thread.
 */
public final class EpcisLoadDocuments {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTEXT =
      "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
  private static final String COMPANY = "6901234";
  private static final String[] ITEM_REFERENCES = {"012345", "012346", "112347", "212348"};
  private static final String[] READ_POINTS = {"urn:epc:id:sgln:6901234.00021.line1",
      "urn:epc:id:sgln:6901234.00021.line2", "urn:epc:id:sgln:6901234.00021.dock"};
  private static final String BIZ_LOCATION = "urn:epc:id:sgln:6901234.00021.0";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.ofHours(8));

  private final SplittableRandom random;
  // Serials are this maker's tag and a counter: unique across makers and runs.
  private final String tag;
  private long serial;

  /** A maker whose serials start with a tag drawn from {@code random}. */
  public EpcisLoadDocuments(SplittableRandom random) {
    this.random = random;
    this.tag = Integer.toString(random.nextInt(Integer.MAX_VALUE), 36);
  }

  /** A document as posted, with its events' eventIDs in order. */
  public record Document(byte[] json, List<String> eventIds) {}

  /** An EPCISDocument of {@code events} events, happening around {@code now}. */
  public Document document(int events, Instant now) {
    ObjectNode document = JSON.createObjectNode();
    document.putArray("@context").add(CONTEXT);
    document.put("type", "EPCISDocument").put("schemaVersion", "2.0")
        .put("creationDate", TIME.format(now));
    ArrayNode list = document.putObject("epcisBody").putArray("eventList");
    List<String> ids = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      ObjectNode event = event(i % 10, now.minusMillis(events - i));
      list.add(event);
      ids.add(event.get("eventID").asText());
    }
    try {
      return new Document(JSON.writeValueAsBytes(document), List.copyOf(ids));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a load document", e);
    }
  }

  private ObjectNode event(int kind, Instant at) {
    return switch (kind) {
      case 0, 1, 2, 3 -> observe(at, false);
      case 4, 5 -> observe(at, true);
      case 6, 7 -> pack(at);
      case 8 -> commission(at);
      default -> ship(at);
    };
  }

  private ObjectNode base(String type, Instant at, String bizStep) {
    ObjectNode event = JSON.createObjectNode().put("type", type)
        .put("eventID", "urn:uuid:" + new UUID(random.nextLong(), random.nextLong()))
        .put("eventTime", TIME.format(at)).put("eventTimeZoneOffset", "+08:00");
    if (!type.equals("TransformationEvent")) {
      event.put("action", bizStep.equals("commissioning") || bizStep.equals("packing")
          ? "ADD" : "OBSERVE");
    }
    event.put("bizStep", bizStep);
    return event;
  }

  private ObjectNode observe(Instant at, boolean sensed) {
    ObjectNode event = base("ObjectEvent", at, "inspecting");
    ArrayNode epcs = event.putArray("epcList");
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      epcs.add(sgtin());
    }
    event.put("disposition", "in_progress");
    event.putObject("readPoint").put("id", READ_POINTS[random.nextInt(READ_POINTS.length)]);
    event.putObject("bizLocation").put("id", BIZ_LOCATION);
    if (sensed) {
      ObjectNode element = event.putArray("sensorElementList").addObject();
      element.putObject("sensorMetadata").put("time", TIME.format(at))
          .put("deviceID", "urn:epc:id:giai:6901234.sensor" + random.nextInt(16));
      ArrayNode reports = element.putArray("sensorReport");
      reports.addObject().put("type", "Temperature")
          .put("value", Math.round((2 + random.nextDouble() * 4) * 10) / 10.0).put("uom", "CEL");
      reports.addObject().put("type", "RelativeHumidity")
          .put("value", 80 + random.nextInt(15)).put("uom", "P1");
    }
    return event;
  }

  private ObjectNode pack(Instant at) {
    ObjectNode event = base("AggregationEvent", at, "packing");
    event.put("parentID", "urn:epc:id:sscc:" + COMPANY + "." + String.format("%010d",
        random.nextLong(10_000_000_000L)));
    ArrayNode children = event.putArray("childEPCs");
    for (int i = 4 + random.nextInt(5); i > 0; i--) {
      children.add(sgtin());
    }
    event.put("disposition", "in_progress");
    event.putObject("readPoint").put("id", READ_POINTS[1]);
    event.putObject("bizLocation").put("id", BIZ_LOCATION);
    return event;
  }

  private ObjectNode commission(Instant at) {
    ObjectNode event = base("ObjectEvent", at, "commissioning");
    event.putArray("epcList").add(sgtin()).add(sgtin());
    event.putArray("quantityList").addObject()
        .put("epcClass", "urn:epc:class:lgtin:" + COMPANY + ".012345.L" + tag)
        .put("quantity", 12.5).put("uom", "KGM");
    event.put("disposition", "active");
    event.putObject("readPoint").put("id", READ_POINTS[0]);
    event.putObject("bizLocation").put("id", BIZ_LOCATION);
    event.putObject("ilmd").put("cbvmda:lotNumber", "L" + tag)
        .put("cbvmda:countryOfOrigin", "CN");
    return event;
  }

  private ObjectNode ship(Instant at) {
    ObjectNode event = base("ObjectEvent", at, "shipping");
    event.putArray("epcList").add(sgtin());
    event.put("disposition", "in_transit");
    event.putObject("readPoint").put("id", READ_POINTS[2]);
    event.putObject("bizLocation").put("id", BIZ_LOCATION);
    event.putArray("bizTransactionList").addObject().put("type", "po")
        .put("bizTransaction", "urn:epcglobal:cbv:bt:6909999000006:PO-" + random.nextInt(100_000));
    event.putArray("sourceList").addObject().put("type", "owning_party")
        .put("source", "urn:epc:id:pgln:6901234.00000");
    event.putArray("destinationList").addObject().put("type", "owning_party")
        .put("destination", "urn:epc:id:pgln:6909999.00000");
    return event;
  }

  // A trade item of one of four products, with a serial no other maker or run uses.
  private String sgtin() {
    return "urn:epc:id:sgtin:" + COMPANY + "." + ITEM_REFERENCES[random.nextInt(
        ITEM_REFERENCES.length)] + "." + tag + "-" + serial++;
  }
}
