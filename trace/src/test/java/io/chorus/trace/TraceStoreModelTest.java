package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.evm.Address;
import io.chorus.trace.TraceQuery.QuantityRange;
import io.chorus.trace.TraceQuery.ValuePattern;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EpcisEvent.Epc;
import io.chorus.trace.epcis.EpcisEvent.EventType;
import io.chorus.trace.epcis.EpcisEvent.Quantity;
import io.chorus.trace.epcis.EpcisEvent.Role;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The store's query engine against a naive evaluator. Goal: whatever the filters, order, page
 * size, count limit and reader, paging a query through its tokens answers exactly the events
 * a plain filter-and-sort over every stored event gives, and so do subscriptions' walks
 * ({@link TraceStore#after}) and lineage's ({@link TraceStore#eventsWith}). Method: from one
 * seed, a small random store (events of every kind over a pool of identifiers, places and
 * times, some captures sealed for organisations, record times rising by block) and random
 * queries; the engine's plan thresholds are random too (as low as 1), so small stores take the
 * sorted and the index-walking plans, patterns walked and read whole.
 */
class TraceStoreModelTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");
  private static final List<String> STEPS = List.of("shipping", "receiving", "packing");
  private static final List<String> ORGS = List.of("org1", "org2");
  private static final List<String> PATTERNS = List.of("urn:epc:idpat:sgtin:4012345.011111.*",
      "urn:epc:idpat:sgtin:4012345.*.*", "urn:epc:idpat:sgtin:*.*.*",
      "urn:epc:idpat:sscc:4012345.*", "urn:epc:idpat:sgtin:40123456.*.*");

  /** One stored event as the naive evaluator sees it. */
  private record Model(long seq, String eventId, String type, Map<String, List<String>> values,
      List<BigDecimal> quantities, long eventMs, long recordMs, List<String> visibleTo) {}

  @Property(tries = 120)
  void pagingAnyQueryAnswersWhatANaiveFilterAnswers(@ForAll long seed) throws IOException {
    SplittableRandom random = new SplittableRandom(seed);
    Path dir = Files.createTempDirectory("trace-model");
    QueryEngine.Limits limits = random.nextBoolean() ? QueryEngine.Limits.DEFAULTS
        : new QueryEngine.Limits(1 + random.nextInt(8), 1 + random.nextInt(8),
            1 + random.nextInt(3), 1 + random.nextInt(40));
    try (TraceStore store = new TraceStore(dir, limits)) {
      List<Model> models = fill(store, random);
      for (int q = 0; q < 30; q++) {
        TraceQuery query = query(random, models);
        Viewer viewer = viewer(random);
        List<Long> expected = naive(models, query, viewer);
        assertEquals(expected, paged(store, query, viewer), "seed " + seed + " " + query
            + " as " + viewer);
        long after = random.nextInt(models.size() + 1) - 1;
        List<Long> afterExpected = naive(models, chainOrder(query), viewer).stream()
            .filter(s -> s > after).limit(query.perPage()).toList();
        assertEquals(afterExpected, store.after(query, viewer, after, query.perPage()).stream()
            .map(StoredEvent::seq).toList(), "after " + after + ", seed " + seed);
      }
      String epc = pick(random, pool()).get(0);
      Viewer viewer = viewer(random);
      List<Long> with = naive(models, TraceQuery.matching(Map.of("anyEPC", List.of(epc))),
          viewer).stream().limit(3).toList();
      assertEquals(with, store.eventsWith("anyEPC", epc, viewer, 3).stream()
          .map(StoredEvent::seq).toList(), "eventsWith, seed " + seed);
    } finally {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static List<Long> paged(TraceStore store, TraceQuery query, Viewer viewer) {
    List<Long> out = new ArrayList<>();
    TraceQuery.Position after = null;
    for (int pages = 0; pages < 500; pages++) {
      TraceQuery.Page page = store.query(withAfter(query, after), viewer);
      page.events().forEach(e -> out.add(e.seq()));
      if (!page.more()) {
        return out;
      }
      assertEquals(query.perPage(), page.events().size(), "a page before the last is full");
      after = page.next();
    }
    throw new AssertionError("more than 500 pages");
  }

  private static TraceQuery withAfter(TraceQuery q, TraceQuery.Position after) {
    return new TraceQuery(q.equals(), q.patterns(), q.eventIds(), q.eventTimeFrom(),
        q.eventTimeTo(), q.recordTimeFrom(), q.recordTimeTo(), q.quantity(),
        q.orderByEventTime(), q.descending(), q.countLimit(), after, q.perPage());
  }

  private static TraceQuery chainOrder(TraceQuery q) {
    return new TraceQuery(q.equals(), q.patterns(), q.eventIds(), q.eventTimeFrom(),
        q.eventTimeTo(), q.recordTimeFrom(), q.recordTimeTo(), q.quantity(), false, false,
        Integer.MAX_VALUE, null, q.perPage());
  }

  // ---- the naive evaluator -------------------------------------------------------------------

  private static List<Long> naive(List<Model> models, TraceQuery query, Viewer viewer) {
    Comparator<Model> order = query.orderByEventTime()
        ? Comparator.comparingLong(Model::eventMs).thenComparingLong(Model::seq)
        : Comparator.comparingLong(Model::seq);
    return models.stream().filter(m -> matches(m, query, viewer))
        .sorted(query.descending() ? order.reversed() : order)
        .limit(query.countLimit()).map(Model::seq).toList();
  }

  private static boolean matches(Model m, TraceQuery q, Viewer viewer) {
    Set<String> fields = new java.util.HashSet<>(q.equals().keySet());
    fields.addAll(q.patterns().keySet());
    for (String field : fields) {
      List<String> values = m.values().getOrDefault(field, List.of());
      boolean any = values.stream().anyMatch(v -> q.equals().getOrDefault(field, List.of())
          .contains(v) || q.patterns().getOrDefault(field, List.of()).stream()
              .anyMatch(p -> p.matches(v)));
      if (!any) {
        return false;
      }
    }
    return (q.eventIds().isEmpty() || q.eventIds().contains(m.eventId()))
        && (q.eventTimeFrom() == null || m.eventMs() >= q.eventTimeFrom().toEpochMilli())
        && (q.eventTimeTo() == null || m.eventMs() < q.eventTimeTo().toEpochMilli())
        && (q.recordTimeFrom() == null || m.recordMs() >= q.recordTimeFrom().toEpochMilli())
        && (q.recordTimeTo() == null || m.recordMs() < q.recordTimeTo().toEpochMilli())
        && (q.quantity() == null || m.quantities().stream().anyMatch(q.quantity()::matches))
        && viewer.mayRead(m.visibleTo());
  }

  // ---- random stores and queries -------------------------------------------------------------

  private static List<String> pool() {
    List<String> out = new ArrayList<>();
    for (String item : List.of("4012345.011111", "4012345.022222", "4012346.011111",
        "40123456.01111")) {
      for (int serial = 1; serial <= 3; serial++) {
        out.add(Gs1Identifiers.canonical("urn:epc:id:sgtin:" + item + "." + serial));
      }
    }
    out.add(Gs1Identifiers.canonical("urn:epc:id:sscc:4012345.0000000001"));
    out.add(Gs1Identifiers.canonical("urn:epc:id:sscc:4012345.0000000002"));
    out.add(Gs1Identifiers.canonical("urn:epc:id:sscc:4012346.0000000001"));
    return out;
  }

  private static List<String> classes() {
    return List.of(Gs1Identifiers.canonical("urn:epc:class:lgtin:4012345.011111.L1"),
        Gs1Identifiers.canonical("urn:epc:class:lgtin:4012345.011111.L2"),
        Gs1Identifiers.canonical("urn:epc:idpat:sgtin:4012345.011111.*"),
        Gs1Identifiers.canonical("urn:epc:class:lgtin:4012346.011111.L1"));
  }

  private static List<String> places() {
    return List.of(Gs1Identifiers.canonical("urn:epc:id:sgln:4012345.00001.0"),
        Gs1Identifiers.canonical("urn:epc:id:sgln:4012345.00001.7"),
        Gs1Identifiers.canonical("urn:epc:id:sgln:4012345.00002.0"),
        "urn:example:place:dock");
  }

  private static List<Model> fill(TraceStore store, SplittableRandom random) {
    List<Model> models = new ArrayList<>();
    int blocks = 1 + random.nextInt(6);
    long recordMs = T0.toEpochMilli();
    for (int block = 0; block < blocks; block++) {
      recordMs += 1000L * random.nextInt(3); // sometimes the same second: a tie, not a fall
      List<TraceStore.Capture> captures = new ArrayList<>();
      List<TraceStore.Sealed> sealed = new ArrayList<>();
      for (int c = 0; c < 1 + random.nextInt(3); c++) {
        List<String> visibleTo = random.nextInt(3) == 0 ? pick(random, ORGS) : List.of();
        List<EpcisEvent> events = new ArrayList<>();
        for (int e = 0; e < 1 + random.nextInt(8); e++) {
          events.add(event(random, models.size() + events.size() + "-" + block));
        }
        for (EpcisEvent event : events) {
          models.add(model(models.size(), event, recordMs, visibleTo));
        }
        captures.add(capture(block, c, Instant.ofEpochMilli(recordMs), events, visibleTo));
        if (!visibleTo.isEmpty()) {
          sealed.add(new TraceStore.Sealed(visibleTo, events.size(), true));
        }
      }
      store.commitBlock(block, captures, sealed, 0);
    }
    return models;
  }

  private static TraceStore.Capture capture(int block, int index, Instant recordTime,
      List<EpcisEvent> events, List<String> visibleTo) {
    byte[] root = ByteBuffer.allocate(32).putInt(block).putInt(index).array();
    List<byte[]> digests = events.stream().map(e -> new byte[32]).toList();
    return new TraceStore.Capture(root, new byte[32], block, recordTime, Address.ofIndex(1),
        digests, events, events.stream().map(EpcisEvent::json).toList(), visibleTo);
  }

  private static EpcisEvent event(SplittableRandom random, String id) {
    EventType type = List.of(EventType.ObjectEvent, EventType.AggregationEvent,
        EventType.TransformationEvent).get(random.nextInt(3));
    List<Epc> epcs = new ArrayList<>();
    List<String> ids = pick(random, pool());
    switch (type) {
      case AggregationEvent -> {
        epcs.add(new Epc(Role.PARENT, ids.get(0)));
        ids.subList(1, ids.size()).forEach(i -> epcs.add(new Epc(Role.CHILD, i)));
      }
      case TransformationEvent -> {
        epcs.add(new Epc(Role.INPUT, ids.get(0)));
        ids.subList(1, ids.size()).forEach(i -> epcs.add(new Epc(Role.OUTPUT, i)));
      }
      default -> ids.forEach(i -> epcs.add(new Epc(Role.EPC, i)));
    }
    List<Quantity> quantities = new ArrayList<>();
    if (random.nextBoolean()) {
      for (String epcClass : pick(random, classes())) {
        BigDecimal amount = random.nextInt(4) == 0 ? null
            : List.of(new BigDecimal("1"), new BigDecimal("2.5"), new BigDecimal("10"))
                .get(random.nextInt(3));
        quantities.add(new Quantity(Role.EPC, epcClass, amount, null));
      }
    }
    String step = "https://ref.gs1.org/cbv/BizStep-" + STEPS.get(random.nextInt(STEPS.size()));
    String place = places().get(random.nextInt(places().size()));
    Instant time = T0.plusSeconds(random.nextInt(40));
    ObjectNode json = JSON.createObjectNode().put("type", type.name())
        .put("eventTime", time.toString()).put("bizStep", step);
    ArrayNode list = json.putArray("quantityList");
    quantities.forEach(q -> {
      ObjectNode element = list.addObject().put("epcClass", q.epcClass());
      if (q.quantity() != null) {
        element.put("quantity", q.quantity());
      }
    });
    return new EpcisEvent("/", type, time, "+00:00", null, "urn:uuid:" + id, "ni:///" + id,
        type == EventType.TransformationEvent ? null : EpcisEvent.Action.OBSERVE, step, null,
        List.of(), List.of(), place, place, epcs, quantities, null, List.of(), List.of(),
        List.of(), List.of(), null, json);
  }

  private static Model model(long seq, EpcisEvent event, long recordMs, List<String> visible) {
    Map<String, List<String>> values = new HashMap<>();
    for (Map.Entry<String, String> v : TraceStore.indexedValues(event, Address.ofIndex(1))) {
      values.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(v.getValue());
    }
    List<BigDecimal> quantities = event.quantities().stream().map(Quantity::quantity)
        .filter(java.util.Objects::nonNull).toList();
    return new Model(seq, event.eventId(), event.type().name(), values,
        quantities, event.eventTime().toEpochMilli(), recordMs, visible);
  }

  private static TraceQuery query(SplittableRandom random, List<Model> models) {
    Map<String, List<String>> equals = new HashMap<>();
    Map<String, List<ValuePattern>> patterns = new HashMap<>();
    if (random.nextInt(3) == 0) {
      equals.put("bizStep", pick(random, STEPS).stream()
          .map(s -> "https://ref.gs1.org/cbv/BizStep-" + s).toList());
    }
    if (random.nextInt(4) == 0) {
      equals.put("eventType", List.of(models.get(random.nextInt(models.size())).type()));
    }
    String field = List.of("anyEPC", "epc", "parentID", "inputEPC").get(random.nextInt(4));
    switch (random.nextInt(4)) {
      case 0 -> equals.put(field, pick(random, pool()));
      case 1 -> patterns.put(field, List.of(EpcPatterns.of(PATTERNS.get(
          random.nextInt(PATTERNS.size())), false)));
      case 2 -> {
        equals.put(field, pick(random, pool()).subList(0, 1));
        patterns.put(field, List.of(EpcPatterns.of(PATTERNS.get(0), false)));
      }
      default -> { }
    }
    if (random.nextInt(4) == 0) {
      patterns.put("epcClass", List.of(EpcPatterns.of(PATTERNS.get(random.nextInt(2)), true)));
    }
    if (random.nextInt(4) == 0) {
      patterns.put("bizLocation", List.of(EpcPatterns.withDescendants(
          places().get(random.nextInt(places().size())))));
    }
    Instant eventFrom = random.nextInt(3) == 0 ? T0.plusSeconds(random.nextInt(40)) : null;
    Instant eventTo = random.nextInt(3) == 0 ? T0.plusSeconds(random.nextInt(40)) : null;
    long lastRecord = models.getLast().recordMs();
    Instant recordFrom = random.nextInt(4) == 0 ? Instant.ofEpochMilli(T0.toEpochMilli()
        + 1000L * random.nextInt((int) ((lastRecord - T0.toEpochMilli()) / 1000 + 2))) : null;
    Instant recordTo = random.nextInt(4) == 0 ? Instant.ofEpochMilli(T0.toEpochMilli()
        + 1000L * random.nextInt((int) ((lastRecord - T0.toEpochMilli()) / 1000 + 2))) : null;
    QuantityRange quantity = random.nextInt(4) == 0 ? new QuantityRange(
        random.nextInt(3) == 0 ? new BigDecimal("2.50") : null,
        random.nextBoolean() ? BigDecimal.ONE : null, null,
        random.nextBoolean() ? BigDecimal.TEN : null, null) : null;
    List<String> ids = random.nextInt(6) == 0
        ? List.of("urn:uuid:" + random.nextInt(models.size()) + "-0", "urn:uuid:none") : List.of();
    boolean byEventTime = random.nextBoolean();
    return new TraceQuery(equals, patterns, ids, eventFrom, eventTo, recordFrom, recordTo,
        quantity, byEventTime, random.nextBoolean(), random.nextInt(3) == 0
            ? 1 + random.nextInt(10) : Integer.MAX_VALUE, null, 1 + random.nextInt(6));
  }

  private static Viewer viewer(SplittableRandom random) {
    return switch (random.nextInt(3)) {
      case 0 -> Viewer.ANYONE;
      case 1 -> Viewer.of("org1");
      default -> new Viewer(Set.of("org1", "org2"));
    };
  }

  // A random non-empty subset, in the list's order.
  private static <T> List<T> pick(SplittableRandom random, List<T> from) {
    List<T> out = new ArrayList<>();
    for (T t : from) {
      if (random.nextInt(from.size()) < 2) {
        out.add(t);
      }
    }
    return out.isEmpty() ? List.of(from.get(random.nextInt(from.size()))) : out;
  }
}
