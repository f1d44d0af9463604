package io.chorus.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.evm.Address;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EpcisEvent.Action;
import io.chorus.trace.epcis.EpcisEvent.Epc;
import io.chorus.trace.epcis.EpcisEvent.EventType;
import io.chorus.trace.epcis.EpcisEvent.Quantity;
import io.chorus.trace.epcis.EpcisEvent.Role;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A synthetic but realistic supply chain written straight into a {@link TraceStore} through
 * {@link TraceStore#commitBlock}, as the indexer would after reading blocks: for the store
 * benchmarks, where capturing a million events through the chain would measure the chain.
 *
 * <p>One production run ("unit") is {@link #EVENTS_PER_UNIT} events: a farm's harvest of a raw
 * lot (class quantity), its transformation into a processed lot, the processed lot made into
 * {@link #ITEMS_PER_UNIT} serialised items, their commissioning, packing into two cases (SSCC)
 * and the cases onto a pallet, the pallet shipped and received, and four items sold one by one.
 * Every tenth unit's receiving and selling are sealed for {@code org1} and {@code org2}. Units
 * overlap in time (event times jitter by hours), and one block of 1 s holds about 400 events,
 * so record time rises with position as on a chain. Hash IDs are unique strings, not computed:
 * the store takes them as given.
 */
final class SupplyChainFill {
  static final int ITEMS_PER_UNIT = 24;
  static final int EVENTS_PER_UNIT = 13;
  static final int PRODUCTS = 50;
  static final List<String> SEALED_FOR = List.of("org1", "org2");
  static final Instant START = Instant.parse("2025-01-01T00:00:00Z");
  private static final int UNITS_PER_BLOCK = 30;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Address PACKER = Address.ofIndex(2);
  private static final Address RETAILER = Address.ofIndex(3);

  private final SplittableRandom random;
  private long hashes;

  SupplyChainFill(long seed) {
    this.random = new SplittableRandom(seed);
  }

  static String product(int unit) {
    int item = unit % PRODUCTS;
    return Gs1Identifiers.canonical(String.format(Locale.ROOT, "urn:epc:idpat:sgtin:4012345.%06d.*",
        100_000 + item));
  }

  static String rawLot(int unit) {
    return Gs1Identifiers.canonical("urn:epc:class:lgtin:4012345.099999.R" + unit);
  }

  static String item(int unit, int i) {
    return product(unit) + "/21/" + unit + "-" + i;
  }

  static String location(int site, int extension) {
    return Gs1Identifiers.canonical(String.format(Locale.ROOT, "urn:epc:id:sgln:4012345.%05d.%s",
        site, extension == 0 ? "0" : Integer.toString(extension)));
  }

  private static String sscc(long serial) {
    return Gs1Identifiers.canonical(String.format(Locale.ROOT, "urn:epc:id:sscc:4012345.%010d",
        serial));
  }

  /** Fills {@code store} (empty) with {@code events} events, about; the blocks it wrote. */
  long fill(TraceStore store, int events) {
    int units = Math.max(1, events / EVENTS_PER_UNIT);
    long block = 0;
    for (int first = 0; first < units; first += UNITS_PER_BLOCK) {
      List<EpcisEvent> open = new ArrayList<>();
      List<EpcisEvent> sealed = new ArrayList<>();
      for (int unit = first; unit < Math.min(units, first + UNITS_PER_BLOCK); unit++) {
        unit(unit, open, sealed);
      }
      Instant recordTime = START.plusSeconds(3600 + block);
      List<TraceStore.Capture> captures = new ArrayList<>();
      captures.add(capture(block, 0, recordTime, open, List.of()));
      List<TraceStore.Sealed> counted = new ArrayList<>();
      if (!sealed.isEmpty()) {
        captures.add(capture(block, 1, recordTime, sealed, SEALED_FOR));
        counted.add(new TraceStore.Sealed(SEALED_FOR, sealed.size(), true));
      }
      store.commitBlock(block, captures, counted, 0);
      block++;
    }
    return block;
  }

  private TraceStore.Capture capture(long block, int index, Instant recordTime,
      List<EpcisEvent> events, List<String> visibleTo) {
    byte[] root = ByteBuffer.allocate(32).putLong(block).putInt(index).putInt(1).array();
    byte[] tx = ByteBuffer.allocate(32).putLong(block).putInt(index).putInt(2).array();
    List<byte[]> digests = new ArrayList<>();
    List<ObjectNode> elements = new ArrayList<>();
    for (EpcisEvent event : events) {
      digests.add(ByteBuffer.allocate(32).putLong(digests.size()).array());
      elements.add(event.json());
    }
    Address capturer = index == 1 ? RETAILER : PACKER;
    return new TraceStore.Capture(root, tx, block, recordTime, capturer, digests, events,
        elements, visibleTo);
  }

  private void unit(int unit, List<EpcisEvent> open, List<EpcisEvent> sealed) {
    Instant t = START.plusSeconds(unit * 60L + random.nextLong(6 * 3600));
    String raw = rawLot(unit);
    String lot = Gs1Identifiers.canonical("urn:epc:class:lgtin:4012345.088888.P" + unit);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < ITEMS_PER_UNIT; i++) {
      items.add(item(unit, i));
    }
    String farm = location(10 + unit % 7, 0);
    String plant = location(100, 0);
    String store = location(200 + unit % 20, 0);
    open.add(object(t, "commissioning", farm, List.of(), List.of(quantity(Role.EPC, raw))));
    open.add(transform(t.plusSeconds(600), plant, List.of(quantity(Role.INPUT, raw)),
        List.of(quantity(Role.OUTPUT, lot)), List.of()));
    open.add(transform(t.plusSeconds(1200), plant, List.of(quantity(Role.INPUT, lot)),
        List.of(), items));
    open.add(object(t.plusSeconds(1300), "commissioning", plant, items, List.of()));
    String caseA = sscc(2L * unit);
    String caseB = sscc(2L * unit + 1);
    String pallet = sscc(5_000_000_000L + unit);
    int half = ITEMS_PER_UNIT / 2;
    open.add(pack(t.plusSeconds(1400), plant, caseA, items.subList(0, half)));
    open.add(pack(t.plusSeconds(1500), plant, caseB, items.subList(half, ITEMS_PER_UNIT)));
    open.add(pack(t.plusSeconds(1600), plant, pallet, List.of(caseA, caseB)));
    open.add(object(t.plusSeconds(3600), "shipping", plant, List.of(pallet), List.of()));
    List<EpcisEvent> retail = unit % 10 == 0 ? sealed : open;
    retail.add(object(t.plusSeconds(7200), "receiving", store, List.of(pallet), List.of()));
    for (int i = 0; i < 4; i++) {
      retail.add(object(t.plusSeconds(9000 + random.nextLong(86_400)), "retail_selling", store,
          List.of(items.get(random.nextInt(ITEMS_PER_UNIT))), List.of()));
    }
  }

  private static Quantity quantity(Role role, String epcClass) {
    return new Quantity(role, epcClass, BigDecimal.valueOf(500), "KGM");
  }

  private EpcisEvent object(Instant time, String bizStep, String place, List<String> epcs,
      List<Quantity> quantities) {
    ObjectNode json = base("ObjectEvent", time, bizStep, place);
    json.put("action", bizStep.equals("commissioning") ? "ADD" : "OBSERVE");
    array(json, "epcList", epcs);
    quantities(json, "quantityList", quantities);
    return event(EventType.ObjectEvent, time, bizStep.equals("commissioning") ? Action.ADD
        : Action.OBSERVE, bizStep, place, epcs.stream().map(e -> new Epc(Role.EPC, e)).toList(),
        quantities, json);
  }

  private EpcisEvent pack(Instant time, String place, String parent, List<String> children) {
    ObjectNode json = base("AggregationEvent", time, "packing", place);
    json.put("action", "ADD").put("parentID", parent);
    array(json, "childEPCs", children);
    List<Epc> epcs = new ArrayList<>();
    epcs.add(new Epc(Role.PARENT, parent));
    children.forEach(c -> epcs.add(new Epc(Role.CHILD, c)));
    return event(EventType.AggregationEvent, time, Action.ADD, "packing", place, epcs,
        List.of(), json);
  }

  private EpcisEvent transform(Instant time, String place, List<Quantity> inputs,
      List<Quantity> outputs, List<String> outputEpcs) {
    ObjectNode json = base("TransformationEvent", time, "commissioning", place);
    quantities(json, "inputQuantityList", inputs);
    quantities(json, "outputQuantityList", outputs);
    array(json, "outputEPCList", outputEpcs);
    List<Quantity> quantities = new ArrayList<>(inputs);
    quantities.addAll(outputs);
    return event(EventType.TransformationEvent, time, null, "commissioning", place,
        outputEpcs.stream().map(e -> new Epc(Role.OUTPUT, e)).toList(), quantities, json);
  }

  private static ObjectNode base(String type, Instant time, String bizStep, String place) {
    ObjectNode json = JSON.createObjectNode().put("type", type)
        .put("eventTime", time.toString()).put("eventTimeZoneOffset", "+08:00")
        .put("bizStep", bizStep);
    json.putObject("readPoint").put("id", place);
    json.putObject("bizLocation").put("id", place);
    return json;
  }

  private static void array(ObjectNode json, String name, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode list = json.putArray(name);
      values.forEach(list::add);
    }
  }

  private static void quantities(ObjectNode json, String name, List<Quantity> quantities) {
    if (!quantities.isEmpty()) {
      ArrayNode list = json.putArray(name);
      quantities.forEach(q -> list.addObject().put("epcClass", q.epcClass())
          .put("quantity", q.quantity()).put("uom", q.uom()));
    }
  }

  private EpcisEvent event(EventType type, Instant time, Action action, String bizStep,
      String place, List<Epc> epcs, List<Quantity> quantities, ObjectNode json) {
    String hashId = String.format(Locale.ROOT, "ni:///sha-256;%064x?ver=CBV2.0", hashes++);
    return new EpcisEvent("/epcisBody/eventList/0", type, time, "+08:00", null, null, hashId,
        action, "https://ref.gs1.org/cbv/BizStep-" + bizStep, null, List.of(), List.of(), place,
        place, epcs, quantities, null, List.of(), List.of(), List.of(), List.of(), null, json);
  }
}
