package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.rpc.rest.Problem;
import io.chorus.storage.OrderedStore;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.Gs1Identifiers;
import io.chorus.trace.epcis.IlmdLots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A node's store of captured EPCIS events, with an index for each query parameter: kept in an
 * {@link OrderedStore} of its own (the {@code trace} directory beside the chain), filled by the
 * {@link TraceIndexer} from committed blocks only, so that every node holds the same events and
 * answers a query the same; deleting the directory makes the node rebuild it from block 0.
 *
 * <p>Keys, by their first byte: {@code m} counters (the last block indexed, the next event
 * number, captures ignored); {@code e}+seq the event's record (JSON); {@code n}+seq its event
 * time (for ordering); {@code i}+eventID and {@code h}+hashID its seq; {@code x}+field+0+value+0
 * +seq one entry per indexed value ({@link #FIELDS}); {@code t}+event time+seq and {@code
 * r}+record time+seq the time ranges; {@code c}+root a capture's transaction and leaf digests,
 * for proofs; {@code v}+seq the organisations a sealed event is visible to; {@code w}+indexed
 * (0 or 1)+organisations (each ended by 0) the events of the sealed captures for them; {@code
 * s}+key the node's own records that no block holds (the resolver's scan counts: {@link
 * #local}), lost when the directory is deleted. Numbers are big-endian, times in milliseconds
 * with the sign bit flipped, so byte order is numeric order. An index key ends with the seq, so
 * one value's keys are in chain order: {@link QueryEngine} walks them to answer a page without
 * reading more than it needs.
 *
 * <p>Visibility: an event of a sealed capture is stored only by a node that opened it, and
 * every read takes a {@link Viewer} and answers only what it may read, so that no reader of
 * the store (queries, reads by ID, proofs, subscriptions, lineage) shows an event to someone
 * it is not visible to. Every node counts the events of every sealed capture, opened or not,
 * by organisations, for {@link #withheld}.
 */
public final class TraceStore implements AutoCloseable {
  /** The most locations a WD_ parameter takes in with their descendants in master data. */
  static final int WITHIN_MAX = 1_000;
  /** The vocabulary type of each location field, whose master data's children it follows. */
  private static final Map<String, String> LOCATION_TYPES = Map.of(
      "readPoint", "urn:epcglobal:epcis:vtype:ReadPoint",
      "bizLocation", "urn:epcglobal:epcis:vtype:BusinessLocation");

  /**
   * The indexed fields, as the EPCIS query parameters name them: {@code epc} holds epcList and
   * childEPCs (MATCH_epc), {@code anyEPC} every instance identifier, {@code epcClass} the class
   * of every quantity list.
   */
  public static final Set<String> FIELDS = Set.of("eventType", "action", "bizStep",
      "disposition", "readPoint", "bizLocation", "epc", "parentID", "inputEPC", "outputEPC",
      "anyEPC", "epcClass", "transformationID", "capturer");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] HEIGHT = key('m', "height");
  private static final byte[] NEXT = key('m', "next");
  private static final byte[] IGNORED = key('m', "ignored");
  private static final byte[] FORMAT_KEY = key('m', "format");
  private static final byte[] EVENT_FIELD = ",\"event\":".getBytes(StandardCharsets.UTF_8);
  /**
   * The layout of the keys and what is indexed. A store written in another layout is deleted
   * and rebuilt from the chain when opened, so an index added later covers every event.
   */
  static final int FORMAT = 3;
  /**
   * The index of the lots named in events' ILMD ({@link IlmdLots}), for lineage: not a query
   * parameter, since EPCIS matches classes by quantity lists only.
   */
  static final String ILMD_LOT = "ilmdLot";
  private static final System.Logger LOG = System.getLogger(TraceStore.class.getName());

  private final OrderedStore store;
  private final QueryEngine engine;

  /**
   * One capture read from a block, to be stored: its events in leaf order.
   *
   * @param digests the leaf digests, in order
   * @param elementJson each element's JSON as the batch holds it, stored as it is (writing the
   *     parsed element again took ~5 % of the indexer's time); empty to have the elements written
   */
  public record Capture(byte[] root, byte[] txHash, long blockNumber, Instant recordTime,
      Address capturer, List<byte[]> digests, List<EpcisEvent> events,
      List<ObjectNode> elements, List<byte[]> elementJson, List<String> visibleTo,
      List<MasterData.Element> masterData) {
    /** A capture whose elements are written from their JSON objects. */
    public Capture(byte[] root, byte[] txHash, long blockNumber, Instant recordTime,
        Address capturer, List<byte[]> digests, List<EpcisEvent> events,
        List<ObjectNode> elements, List<String> visibleTo, List<MasterData.Element> masterData) {
      this(root, txHash, blockNumber, recordTime, capturer, digests, events, elements,
          List.of(), visibleTo, masterData);
    }

    /** A capture without master data. */
    public Capture(byte[] root, byte[] txHash, long blockNumber, Instant recordTime,
        Address capturer, List<byte[]> digests, List<EpcisEvent> events,
        List<ObjectNode> elements, List<String> visibleTo) {
      this(root, txHash, blockNumber, recordTime, capturer, digests, events, elements,
          visibleTo, List.of());
    }
  }

  /**
   * A sealed capture of a block, opened or not: what {@link #withheld} counts.
   *
   * @param organisations who may read it, as its call data names them
   * @param count its events, as anchored
   * @param indexed whether this node opened it and stored its events
   */
  public record Sealed(List<String> organisations, long count, boolean indexed) {}

  /** Where a capture is: its transaction and block, and its leaf digests. */
  public record Anchor(byte[] txHash, long blockNumber, List<byte[]> digests) {}

  public TraceStore(Path directory) {
    this(directory, QueryEngine.Limits.DEFAULTS);
  }

  /** With the query engine's plans changing at {@code limits} (small ones in tests). */
  TraceStore(Path directory, QueryEngine.Limits limits) {
    OrderedStore opened = new OrderedStore(directory);
    int format = opened.get(FORMAT_KEY).map(v -> ByteBuffer.wrap(v).getInt())
        .orElse(opened.get(HEIGHT).isPresent() ? 1 : FORMAT);
    if (format != FORMAT) {
      opened.close();
      LOG.log(System.Logger.Level.INFO, "the trace store in " + directory + " has layout "
          + format + ", this node writes " + FORMAT + ": it is rebuilt from the chain (the"
          + " resolver's scan counts start again)");
      deleteTree(directory);
      opened = new OrderedStore(directory);
    }
    opened.write(Map.of(FORMAT_KEY, ByteBuffer.allocate(4).putInt(FORMAT).array()));
    this.store = opened;
    this.engine = new QueryEngine(store, limits);
  }

  private static void deleteTree(Path directory) {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the outdated trace store in " + directory
          + ": delete it by hand, the node rebuilds it from the chain", e);
    }
  }

  /** The last block indexed, or -1 when none is. */
  public synchronized long indexedHeight() {
    return store.get(HEIGHT).map(v -> ByteBuffer.wrap(v).getLong()).orElse(-1L);
  }

  /** How many captures were ignored because their events did not give their root back. */
  public synchronized long ignoredCaptures() {
    return store.get(IGNORED).map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L);
  }

  /**
   * Stores block {@code number}'s captures, all at once with the block as indexed. An event
   * whose eventID is already stored is skipped (the first capture of an ID wins on every node).
   * Called by one thread only (the indexer's): it works out what to write without holding the
   * store, so that queries, job polls and captures' duplicate checks wait only for the write
   * itself, and see the block wholly or not at all.
   *
   * @param sealed the block's sealed captures, whether indexed or not
   * @param ignored captures of the block that were not indexed
   * @return the events stored
   */
  public int commitBlock(long number, List<Capture> captures, List<Sealed> sealed,
      int ignored) {
    long height = indexedHeight();
    if (number != height + 1) {
      throw new IllegalStateException("the trace store indexed up to block " + height
          + ", so block " + (height + 1) + " comes next, not " + number);
    }
    List<OrderedStore.Entry> writes = new ArrayList<>();
    long next = store.get(NEXT).map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L);
    Set<String> seenIds = new HashSet<>();
    int stored = 0;
    // Master data by store key (as text: a byte[] map key compares by identity); a later
    // capture's attributes win, in the block as across blocks, when they come from the account
    // that first described the element: no other capturer renames its product or places.
    Map<String, ObjectNode> masterData = new LinkedHashMap<>();
    for (Capture capture : captures) {
      for (MasterData.Element element : capture.masterData()) {
        String key = element.key() + '\0' + element.type();
        ObjectNode was = masterData.containsKey(key) ? masterData.get(key)
            : store.get(masterDataKey(key)).map(v -> (ObjectNode) read(v)).orElse(null);
        if (was == null || owner(was).equals(capture.capturer())) {
          masterData.put(key, merged(was, element, capture));
        }
      }
      ObjectNode anchor = JSON.createObjectNode().put("tx", Hex.encode0x(capture.txHash()))
          .put("block", capture.blockNumber());
      capture.digests().forEach(d -> anchor.withArray("digests").add(Hex.encode(d)));
      put(writes, concat(new byte[] {'c'}, capture.root()), write(anchor));
      byte[] captureFields = captureFields(capture);
      for (int i = 0; i < capture.events().size(); i++) {
        EpcisEvent event = capture.events().get(i);
        String eventId = event.eventId() != null ? event.eventId() : event.hashId();
        if (!seenIds.add(eventId) || store.get(key('i', eventId)).isPresent()) {
          continue;
        }
        long seq = next++;
        index(writes, seq, event, eventId, capture, capture.elements().get(i));
        put(writes, key('e', seq), record(event, eventId, capture, i, captureFields));
        stored++;
      }
    }
    // Counted by content (a byte[] map key compares by identity): two sealed captures for the
    // same organisations in one block add up.
    Map<ByteBuffer, Long> sealedCounts = new LinkedHashMap<>();
    for (Sealed capture : sealed) {
      ByteBuffer key = ByteBuffer.wrap(sealedKey(capture.organisations(), capture.indexed()));
      long before = sealedCounts.containsKey(key) ? sealedCounts.get(key)
          : store.get(key.array()).map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L);
      sealedCounts.put(key, before + capture.count());
    }
    sealedCounts.forEach((key, count) -> put(writes, key.array(), longBytes(count)));
    masterData.forEach((key, element) -> put(writes, masterDataKey(key), write(element)));
    put(writes, NEXT, longBytes(next));
    put(writes, HEIGHT, longBytes(number));
    if (ignored > 0) {
      put(writes, IGNORED, longBytes(ignoredCaptures() + ignored));
    }
    synchronized (this) {
      store.write(writes);
    }
    return stored;
  }

  private static void index(List<OrderedStore.Entry> writes, long seq, EpcisEvent event,
      String eventId, Capture capture, ObjectNode element) {
    byte[] empty = new byte[0];
    for (Map.Entry<String, String> value : indexedValues(event, capture.capturer())) {
      put(writes, indexKey(value.getKey(), value.getValue(), seq), empty);
    }
    for (String lot : IlmdLots.of(element).keySet()) {
      put(writes, indexKey(ILMD_LOT, lot, seq), empty);
    }
    put(writes, key('i', eventId), longBytes(seq));
    put(writes, key('h', event.hashId()), longBytes(seq));
    put(writes, concat(new byte[] {'t'}, time(event.eventTime()), longBytes(seq)), empty);
    put(writes, concat(new byte[] {'r'}, time(capture.recordTime()), longBytes(seq)), empty);
    put(writes, key('n', seq), time(event.eventTime()));
    if (!capture.visibleTo().isEmpty()) {
      put(writes, key('v', seq), write(names(capture.visibleTo())));
    }
  }

  // A sealed-capture counter's key: indexed or not, then the organisations in their order.
  private static byte[] sealedKey(List<String> organisations, boolean indexed) {
    byte[] key = {'w', (byte) (indexed ? 1 : 0)};
    for (String name : organisations) {
      key = concat(key, name.getBytes(StandardCharsets.UTF_8), new byte[1]);
    }
    return key;
  }

  private static ArrayNode names(List<String> organisations) {
    ArrayNode out = JSON.createArrayNode();
    organisations.forEach(out::add);
    return out;
  }

  /**
   * Each (field, value) of {@link #FIELDS} that {@code event} has; one may come twice (an EPC
   * listed in both epcList and childEPCs), which writes the same index key twice.
   */
  static List<Map.Entry<String, String>> indexedValues(EpcisEvent event, Address capturer) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    out.add(Map.entry("eventType", event.type().name()));
    add(out, "bizStep", event.bizStep());
    add(out, "disposition", event.disposition());
    add(out, "readPoint", event.readPoint());
    add(out, "bizLocation", event.bizLocation());
    for (EpcisEvent.Epc epc : event.epcs()) {
      String field = switch (epc.role()) {
        case EPC, CHILD -> "epc";
        case PARENT -> "parentID";
        case INPUT -> "inputEPC";
        case OUTPUT -> "outputEPC";
      };
      out.add(Map.entry(field, epc.id()));
      out.add(Map.entry("anyEPC", epc.id()));
    }
    for (EpcisEvent.Quantity quantity : event.quantities()) {
      out.add(Map.entry("epcClass", quantity.epcClass()));
    }
    if (event.action() != null) {
      out.add(Map.entry("action", event.action().name()));
    }
    add(out, "transformationID", event.transformationId());
    typed(out, "bizTransaction", event.bizTransactions());
    typed(out, "source", event.sources());
    typed(out, "destination", event.destinations());
    out.add(Map.entry("capturer", Hex.encode0x(capturer.toArray())));
    return out;
  }

  /**
   * The index field of a typed list's values of {@code type} (a CBV Web URI): a family beside
   * {@link #FIELDS}, one field per type, as the EQ_bizTransaction_{type}, EQ_source_{type}
   * and EQ_destination_{type} parameters select them. Untyped entries are not indexed: no such
   * parameter can name them.
   */
  static String typedField(String family, String type) {
    return family + "_" + type;
  }

  private static void typed(List<Map.Entry<String, String>> out, String family,
      List<EpcisEvent.TypedId> entries) {
    for (EpcisEvent.TypedId entry : entries) {
      if (entry.type() != null) {
        out.add(Map.entry(typedField(family, entry.type()), entry.id()));
      }
    }
  }

  private static void add(List<Map.Entry<String, String>> out, String field, String value) {
    if (value != null) {
      out.add(Map.entry(field, value));
    }
  }

  private static byte[] record(EpcisEvent event, String eventId, Capture capture, int index,
      byte[] captureFields) {
    byte[] fields = write(JSON.createObjectNode().put("eventId", eventId)
        .put("hashId", event.hashId()).put("type", event.type().name())
        .put("eventTime", event.eventTime().toString()).put("index", index));
    byte[] element = capture.elementJson().isEmpty() ? write(capture.elements().get(index))
        : capture.elementJson().get(index);
    // The capture's fields, then the element's JSON as the record's last field: the record's
    // closing brace moves after them.
    return concat(Arrays.copyOf(fields, fields.length - 1), captureFields, EVENT_FIELD, element,
        new byte[] {'}'});
  }

  /**
   * What the records of a capture's events share, written once for them all: {@code
   * ,"recordTime":...} up to its last field, to follow an event's own.
   */
  private static byte[] captureFields(Capture capture) {
    ObjectNode fields = JSON.createObjectNode()
        .put("recordTime", capture.recordTime().toString())
        .put("block", capture.blockNumber()).put("tx", Hex.encode0x(capture.txHash()))
        .put("root", Hex.encode0x(capture.root())).put("count", capture.digests().size())
        .put("capturer", Hex.encode0x(capture.capturer().toArray()));
    if (!capture.visibleTo().isEmpty()) {
      fields.set("visibleTo", names(capture.visibleTo()));
    }
    byte[] json = write(fields);
    json[0] = ',';
    return Arrays.copyOf(json, json.length - 1);
  }

  // ---- reads ---------------------------------------------------------------------------------

  /**
   * The event whose eventID, or else hash ID, is {@code id}, when {@code viewer} may read it:
   * an event it may not read is answered as one that does not exist.
   */
  public synchronized Optional<StoredEvent> find(String id, Viewer viewer) {
    return store.get(key('i', id)).or(() -> store.get(key('h', id)))
        .flatMap(seq -> event(ByteBuffer.wrap(seq).getLong()))
        .filter(event -> viewer.mayRead(event.visibleTo()));
  }

  /**
   * How many events of sealed captures, up to the last block indexed, this store cannot show
   * {@code viewer}: those sealed for organisations it is not in, and those this node could not
   * open. It does not depend on what this node holds of them, so it discloses nothing the
   * chain does not show (anyone can add up the counts of the sealed captures).
   */
  public synchronized long withheld(Viewer viewer) {
    long total = 0;
    byte[] prefix = {'w'};
    for (OrderedStore.Entry entry : store.scan(prefix, prefix, Integer.MAX_VALUE)) {
      byte[] key = entry.key();
      List<String> organisations = new ArrayList<>();
      for (int from = 2, at = 2; at < key.length; at++) {
        if (key[at] == 0) {
          organisations.add(new String(key, from, at - from, StandardCharsets.UTF_8));
          from = at + 1;
        }
      }
      if (key[1] == 0 || !viewer.mayRead(organisations)) {
        total += ByteBuffer.wrap(entry.value()).getLong();
      }
    }
    return total;
  }

  public synchronized boolean hasEventId(String eventId) {
    return store.get(key('i', eventId)).isPresent();
  }

  /** The capture that anchored {@code root}, when this store indexed it. */
  public synchronized Optional<Anchor> anchor(byte[] root) {
    return store.get(concat(new byte[] {'c'}, root)).map(bytes -> {
      JsonNode node = read(bytes);
      List<byte[]> digests = new ArrayList<>();
      node.path("digests").forEach(d -> digests.add(Hex.decode(d.asText())));
      return new Anchor(Hex.decode(node.path("tx").asText()), node.path("block").asLong(),
          digests);
    });
  }

  /**
   * Answers {@code query} for {@code viewer}: the events it may read that match every
   * parameter, one page of them, with {@link #withheld} for it. Its cost follows the page, not
   * the store ({@link QueryEngine}).
   */
  public synchronized TraceQuery.Page query(TraceQuery query, Viewer viewer) {
    QueryEngine.Found found = engine.page(withSubLocations(query), viewer, lastSeq());
    return new TraceQuery.Page(events(found.seqs()), found.next(), withheld(viewer));
  }

  /**
   * The events matching {@code query}'s filters that {@code viewer} may read and that were
   * stored after position {@code afterSeq}, in chain order (its order, count limit and page
   * are not used), at most {@code max}: what a subscription delivers next.
   */
  public synchronized List<StoredEvent> after(TraceQuery query, Viewer viewer, long afterSeq,
      int max) {
    return events(engine.after(withSubLocations(query), viewer, lastSeq(), afterSeq, max));
  }

  /**
   * {@code query} with each of its {@link TraceQuery#within} locations taken with its
   * sub-locations: those its GLN names ({@link EpcPatterns#withDescendants}) and, through the
   * master data's {@code children} of the field's vocabulary type, every descendant with its
   * own.
   */
  private TraceQuery withSubLocations(TraceQuery query) {
    if (query.within().isEmpty()) {
      return query;
    }
    Map<String, List<TraceQuery.ValuePattern>> patterns = new LinkedHashMap<>(query.patterns());
    query.within().forEach((field, roots) -> {
      String type = LOCATION_TYPES.get(field);
      Set<String> locations = new LinkedHashSet<>(roots);
      Deque<String> unread = new ArrayDeque<>(roots);
      while (!unread.isEmpty()) {
        for (MasterData.Element element : masterData(unread.poll())) {
          if (element.type().equals(type)) {
            element.children().stream().map(Gs1Identifiers::canonical)
                .filter(locations::add).forEach(unread::add);
          }
        }
        if (locations.size() > WITHIN_MAX) {
          throw Problem.invalidField("WD_" + field, "takes in more than " + WITHIN_MAX
              + " locations with their master data's children: ask for a location lower in"
              + " the hierarchy");
        }
      }
      List<TraceQuery.ValuePattern> covered = new ArrayList<>(patterns.getOrDefault(field,
          List.of()));
      locations.forEach(l -> covered.add(EpcPatterns.withDescendants(l)));
      patterns.put(field, covered);
    });
    return query.withPatterns(patterns);
  }

  /**
   * The events {@code viewer} may read with {@code value} in the indexed {@code field}
   * ({@link #FIELDS}), in chain order, at most {@code limit}: one walk of that value's index
   * entries, so its cost follows the answer, not the store's size.
   */
  public synchronized List<StoredEvent> eventsWith(String field, String value, Viewer viewer,
      int limit) {
    return events(engine.after(TraceQuery.matching(Map.of(field, List.of(value))), viewer,
        lastSeq(), -1, limit));
  }

  private List<StoredEvent> events(List<Long> seqs) {
    List<StoredEvent> out = new ArrayList<>(seqs.size());
    for (long seq : seqs) {
      event(seq).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The distinct values of the indexed {@code field} after {@code after} (exclusive; null for
   * the first), in byte order, each named by at least one event {@code viewer} may read, at
   * most {@code limit}: what the EPCIS binding's resource lists ({@code /epcs}, ...) answer.
   * One seek per value, so the cost follows the page.
   */
  public synchronized List<String> values(String field, String after, Viewer viewer,
      int limit) {
    byte[] prefix = concat(new byte[] {'x'}, field.getBytes(StandardCharsets.UTF_8),
        new byte[] {0});
    byte[] from = after == null ? prefix : pastValue(prefix, after);
    List<String> out = new ArrayList<>();
    while (out.size() < limit) {
      List<OrderedStore.Entry> next = store.scan(prefix, from, 1);
      if (next.isEmpty()) {
        break;
      }
      byte[] key = next.getFirst().key();
      // The key is prefix, value, 0 and the 8-byte position.
      String value = new String(key, prefix.length, key.length - prefix.length - 9,
          StandardCharsets.UTF_8);
      if (!eventsWith(field, value, viewer, 1).isEmpty()) {
        out.add(value);
      }
      from = pastValue(prefix, value);
    }
    return out;
  }

  // The first key after every entry of value: its 0 terminator raised to 1.
  private static byte[] pastValue(byte[] prefix, String value) {
    return concat(prefix, value.getBytes(StandardCharsets.UTF_8), new byte[] {1});
  }

  /** A record of this node's own under {@code key} (not from the chain), when there is one. */
  public synchronized Optional<byte[]> local(String key) {
    return store.get(key('s', key));
  }

  /** Writes a record of this node's own; the caller bounds how many keys it makes. */
  public synchronized void putLocal(String key, byte[] value) {
    store.write(Map.of(key('s', key), value));
  }

  /** The position of the last event stored, or -1 when none is. */
  public synchronized long lastSeq() {
    return store.get(NEXT).map(v -> ByteBuffer.wrap(v).getLong()).orElse(0L) - 1;
  }

  /**
   * The position just before the first event recorded at or after {@code recordTime} (whoever
   * may read it: a position says nothing of an event), or {@link #lastSeq} when none is.
   */
  public synchronized long seqBefore(Instant recordTime) {
    byte[] prefix = {'r'};
    for (OrderedStore.Entry entry : store.scan(prefix, concat(prefix, time(recordTime)), 1)) {
      return tailSeq(entry.key()) - 1;
    }
    return lastSeq();
  }

  private Optional<StoredEvent> event(long seq) {
    return store.get(key('e', seq)).map(bytes -> {
      JsonNode r = read(bytes);
      List<String> visibleTo = new ArrayList<>();
      r.path("visibleTo").forEach(name -> visibleTo.add(name.asText()));
      return new StoredEvent(seq, r.path("eventId").asText(), r.path("hashId").asText(),
          r.path("type").asText(), Instant.parse(r.path("eventTime").asText()),
          Instant.parse(r.path("recordTime").asText()), r.path("block").asLong(),
          Hex.decode(r.path("tx").asText()), Hex.decode(r.path("root").asText()),
          r.path("index").asInt(), r.path("count").asInt(),
          Address.parse(r.path("capturer").asText()), (ObjectNode) r.path("event"), visibleTo);
    });
  }

  // ---- keys ----------------------------------------------------------------------------------

  static byte[] key(char table, String text) {
    return concat(new byte[] {(byte) table}, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] key(char table, long seq) {
    return concat(new byte[] {(byte) table}, longBytes(seq));
  }

  static byte[] indexPrefix(String field, String value) {
    return concat(new byte[] {'x'}, field.getBytes(StandardCharsets.UTF_8), new byte[] {0},
        value.getBytes(StandardCharsets.UTF_8), new byte[] {0});
  }

  // indexPrefix then the seq, in one array: tens of these are built per event indexed.
  private static byte[] indexKey(String field, String value, long seq) {
    byte[] name = field.getBytes(StandardCharsets.UTF_8);
    byte[] text = value.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[name.length + text.length + 11];
    out[0] = 'x';
    System.arraycopy(name, 0, out, 1, name.length);
    System.arraycopy(text, 0, out, name.length + 2, text.length);
    putLong(out, out.length - 8, seq);
    return out;
  }

  static long tailSeq(byte[] key) {
    return ByteBuffer.wrap(key, key.length - 8, 8).getLong();
  }

  /** Milliseconds since the epoch, sign bit flipped so that byte order is time order. */
  static byte[] time(Instant instant) {
    return longBytes(instant.toEpochMilli() ^ Long.MIN_VALUE);
  }

  static byte[] longBytes(long value) {
    byte[] out = new byte[8];
    putLong(out, 0, value);
    return out;
  }

  private static void putLong(byte[] into, int at, long value) {
    for (int i = 7; i >= 0; i--) {
      into[at + i] = (byte) value;
      value >>>= 8;
    }
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  private static void put(List<OrderedStore.Entry> writes, byte[] key, byte[] value) {
    writes.add(new OrderedStore.Entry(key, value));
  }

  private static byte[] masterDataKey(String keyAndType) {
    return key('d', keyAndType);
  }

  // A vocabulary element as stored: its attributes by id, the newest capture's last.
  private static ObjectNode merged(ObjectNode was, MasterData.Element element, Capture capture) {
    ObjectNode out = JSON.createObjectNode().put("type", element.type()).put("id", element.id());
    ObjectNode attributes = out.putObject("attributes");
    if (was != null) {
      attributes.setAll((ObjectNode) was.path("attributes"));
    }
    element.attributes().forEach(attributes::set);
    ArrayNode children = out.putArray("children");
    if (element.children().isEmpty() && was != null) {
      was.path("children").forEach(children::add);
    } else {
      element.children().forEach(children::add);
    }
    String owner = Hex.encode0x((was == null ? capture.capturer() : owner(was)).toArray());
    return out.put("owner", owner).put("block", capture.blockNumber());
  }

  private static Address owner(JsonNode stored) {
    return Address.parse(stored.path("owner").asText());
  }

  /**
   * The account that first described a vocabulary element (canonical identifier and type), the
   * only one whose later captures change it; empty when none was captured.
   */
  public synchronized Optional<Address> masterDataOwner(String canonicalId, String type) {
    return store.get(masterDataKey(canonicalId + '\0' + type)).map(v -> owner(read(v)));
  }

  /**
   * The master data of an identifier (canonical form), one element per vocabulary type that
   * names it; empty when none was captured.
   */
  public synchronized List<MasterData.Element> masterData(String canonicalId) {
    byte[] prefix = key('d', canonicalId + '\0');
    List<MasterData.Element> out = new ArrayList<>();
    for (OrderedStore.Entry entry : store.scan(prefix, prefix, MasterData.ELEMENTS_MAX)) {
      out.add(element(canonicalId, read(entry.value())));
    }
    return out;
  }

  /** Every vocabulary element stored, by identifier, at most {@code max}. */
  public synchronized List<MasterData.Element> masterData(int max) {
    byte[] prefix = {'d'};
    List<MasterData.Element> out = new ArrayList<>();
    for (OrderedStore.Entry entry : store.scan(prefix, prefix, max)) {
      String key = new String(entry.key(), 1, entry.key().length - 1, StandardCharsets.UTF_8);
      out.add(element(key.substring(0, key.indexOf('\0')), read(entry.value())));
    }
    return out;
  }

  private static MasterData.Element element(String key, JsonNode stored) {
    Map<String, JsonNode> attributes = new LinkedHashMap<>();
    stored.path("attributes").properties().forEach(a -> attributes.put(a.getKey(),
        a.getValue()));
    List<String> children = new ArrayList<>();
    stored.path("children").forEach(c -> children.add(c.asText()));
    return new MasterData.Element(stored.path("type").asText(), stored.path("id").asText(), key,
        attributes, children);
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode read(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("a corrupt record in the trace store", e);
    }
  }

  @Override
  public synchronized void close() {
    store.close();
  }
}
