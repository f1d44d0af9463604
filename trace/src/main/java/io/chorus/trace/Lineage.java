package io.chorus.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Recall lineage: from an EPC or a class (a lot), what was made from it or packed with it
 * (downstream), or where it came from (upstream), across aggregation and transformation events
 * whoever captured them. A breadth-first walk from the identifier: each identifier reached costs
 * two index walks of the store ({@code anyEPC} and {@code epcClass} by value), so the cost
 * follows the graph's size, never the store's.
 *
 * <p>Downstream, an identifier leads to: the outputs of a TransformationEvent that has it as an
 * input (EPC or class quantity); the parent of an AggregationEvent (ADD or OBSERVE) that has it
 * as a child, then on from the parent; and, for a recall, that parent's other children ("packed
 * with": shown, not followed, since they were not made from it). Upstream is the reverse: a
 * transformation's inputs, an aggregation's children. DELETE unpacks and adds no link: the
 * object was packed all the same. See {@code docs/traceability.md}.
 */
final class Lineage {
  static final int DEPTH_DEFAULT = 5;
  static final int DEPTH_MAX = 10;
  /** Identifiers in one answer; past it the answer says {@code truncated}. */
  static final int NODES_MAX = 10_000;
  static final int EDGES_MAX = 50_000;
  /** Events read for one identifier; past it the answer says {@code truncated}. */
  static final int EVENTS_PER_NODE_MAX = 1_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> PARAMETERS = Set.of("epc", "direction", "maxDepth");

  enum Direction { DOWNSTREAM, UPSTREAM }

  /** An identifier of one object, or of a class of them (a GTIN, a lot) counted by quantity. */
  enum Kind { INSTANCE, CLASS }

  /**
   * One identifier reached.
   *
   * @param depth the edges between it and the start
   * @param packedWith shown as another child of a parent reached (a recall's "packed with"),
   *     not followed
   * @param firstSeen the earliest event time among the events read that name it
   */
  record Node(String id, Kind kind, int depth, boolean packedWith, Instant firstSeen,
      Instant lastSeen) {}

  /** One link: {@code from} became or went into {@code to} by {@code event}. */
  record Edge(String from, String to, String relation, StoredEvent event, String bizStep) {}

  record Graph(String root, Direction direction, int maxDepth, List<Node> nodes,
      List<Edge> edges, int depthReached, boolean truncated) {}

  private final ReadableEvents events;
  private final int nodesMax;

  Lineage(ReadableEvents events) {
    this(events, NODES_MAX);
  }

  /** With a smaller node bound, for tests of the bound. */
  Lineage(ReadableEvents events, int nodesMax) {
    this.events = events;
    this.nodesMax = nodesMax;
  }

  // A node while the walk runs: its kind and times grow as events name it.
  private static final class Reached {
    final String id;
    final int depth;
    boolean followed;
    Kind kind = Kind.INSTANCE;
    Instant first;
    Instant last;

    Reached(String id, int depth, boolean followed) {
      this.id = id;
      this.depth = depth;
      this.followed = followed;
    }

    void namedBy(StoredEvent stored, EventFacts facts) {
      Instant time = stored.eventTime();
      first = first == null || time.isBefore(first) ? time : first;
      last = last == null || time.isAfter(last) ? time : last;
      if (facts.classes().contains(id) || facts.lots().containsKey(id)) {
        kind = Kind.CLASS;
      }
    }
  }

  // A link an event makes from the identifier being followed.
  private record Link(String from, String to, String relation, String next, boolean follow) {}

  /**
   * The lineage of {@code root} (canonical form) in {@code direction}, {@code maxDepth} edges
   * deep, through the events {@code caller} may read; empty when no such event names it.
   */
  Optional<Graph> trace(Optional<Caller> caller, String root, Direction direction,
      int maxDepth) {
    Map<String, Reached> nodes = new LinkedHashMap<>();
    // An event naming many identifiers (a case's packing) is read once per identifier reached:
    // its facts are worked out once per walk.
    Map<Long, EventFacts> factsBySeq = new HashMap<>();
    Set<String> edgeKeys = new HashSet<>();
    List<Edge> edges = new ArrayList<>();
    ArrayDeque<Reached> queue = new ArrayDeque<>();
    boolean truncated = false;
    Reached start = new Reached(root, 0, true);
    nodes.put(root, start);
    queue.add(start);
    while (!queue.isEmpty()) {
      Reached node = queue.poll();
      List<StoredEvent> read = eventsNaming(caller, node.id);
      if (read.size() > EVENTS_PER_NODE_MAX) {
        truncated = true;
        read = read.subList(0, EVENTS_PER_NODE_MAX);
      }
      for (StoredEvent stored : read) {
        EventFacts facts = factsBySeq.computeIfAbsent(stored.seq(), s -> EventFacts.of(stored));
        node.namedBy(stored, facts);
        if (node.depth >= maxDepth) {
          continue; // read for its times only: the walk ends here
        }
        for (Link link : links(facts, node.id, direction, node.depth + 2 <= maxDepth)) {
          Reached next = nodes.get(link.next());
          if (next == null) {
            if (nodes.size() >= nodesMax) {
              truncated = true;
              continue;
            }
            int depth = link.follow() ? node.depth + 1 : node.depth + 2;
            next = new Reached(link.next(), depth, link.follow());
            nodes.put(link.next(), next);
            if (link.follow()) {
              queue.add(next);
            }
          } else if (link.follow() && !next.followed) {
            next.followed = true; // packed with it, and also made from it: followed after all
            queue.add(next);
          }
          next.namedBy(stored, facts);
          if (edges.size() >= EDGES_MAX) {
            truncated = true;
          } else if (edgeKeys.add(link.from() + ' ' + link.to() + ' ' + stored.seq())) {
            edges.add(new Edge(link.from(), link.to(), link.relation(), stored,
                facts.bizStep()));
          }
        }
      }
    }
    if (start.first == null) {
      return Optional.empty();
    }
    List<Node> out = new ArrayList<>(nodes.size());
    int depthReached = 0;
    for (Reached r : nodes.values()) {
      if (r.first != null) {
        out.add(new Node(r.id, r.kind, r.depth, !r.followed, r.first, r.last));
        depthReached = Math.max(depthReached, r.depth);
      }
    }
    return Optional.of(new Graph(root, direction, maxDepth, out, edges, depthReached,
        truncated));
  }

  /** The events naming {@code id} as an EPC or a class, in chain order, one over the bound. */
  private List<StoredEvent> eventsNaming(Optional<Caller> caller, String id) {
    TreeMap<Long, StoredEvent> bySeq = new TreeMap<>();
    for (String field : List.of("anyEPC", "epcClass", TraceStore.ILMD_LOT)) {
      for (StoredEvent e : events.readableBy(caller, field, id, EVENTS_PER_NODE_MAX + 1)) {
        bySeq.put(e.seq(), e);
      }
    }
    return new ArrayList<>(bySeq.values());
  }

  private static List<Link> links(EventFacts facts, String id, Direction direction,
      boolean siblingsWithinDepth) {
    List<Link> out = new ArrayList<>();
    if (direction == Direction.DOWNSTREAM) {
      // The items an event's ILMD puts in this lot; a GTIN class (/01/{gtin}) counted into
      // the lot is not followed, since it names every lot of the GTIN.
      facts.lots().getOrDefault(id, List.of()).stream().filter(m -> m.contains("/21/"))
          .forEach(m -> out.add(new Link(id, m, "lotMember", m, true)));
      if (facts.transforms() && facts.inputs().contains(id)) {
        facts.outputs().forEach(o -> out.add(new Link(id, o, "transformedInto", o, true)));
      }
      if (facts.packs() && facts.children().contains(id)) {
        String parent = facts.parent();
        out.add(new Link(id, parent, "packedInto", parent, true));
        if (siblingsWithinDepth) {
          facts.children().stream().filter(c -> !c.equals(id)).distinct()
              .forEach(c -> out.add(new Link(parent, c, "contains", c, false)));
        }
      }
    } else {
      facts.lots().forEach((lot, members) -> {
        if (members.contains(id)) {
          out.add(new Link(lot, id, "lotMember", lot, true));
        }
      });
      if (facts.transforms() && facts.outputs().contains(id)) {
        facts.inputs().forEach(i -> out.add(new Link(i, id, "transformedInto", i, true)));
      }
      if (facts.packs() && id.equals(facts.parent())) {
        facts.children().forEach(c -> out.add(new Link(c, id, "packedInto", c, true)));
      }
    }
    return out;
  }

  // ---- GET /epcis/lineage --------------------------------------------------------------------

  /** {@code GET /epcis/lineage?epc=URI&direction=downstream|upstream&maxDepth=N}. */
  RestResponse answer(RestRequest request) {
    for (String name : request.queryNames()) {
      if (!PARAMETERS.contains(name)) {
        throw Problem.invalidField(name, "is no parameter of lineage, which takes epc,"
            + " direction and maxDepth");
      }
    }
    String epc = request.query("epc").orElseThrow(() -> Problem.invalidField("epc",
        "required: the EPC or class to trace, e.g. urn:epc:id:sgtin:4012345.011111.9876 or"
        + " https://id.gs1.org/01/04012345111118/10/L42"));
    Gs1Identifiers.Reading reading = Gs1Identifiers.read(epc);
    if (!reading.valid()) {
      throw Problem.invalidField("epc", reading.problem());
    }
    String sent = request.query("direction").orElse("downstream");
    Direction direction = switch (sent) {
      case "downstream" -> Direction.DOWNSTREAM;
      case "upstream" -> Direction.UPSTREAM;
      default -> throw Problem.invalidField("direction", "is downstream (what was made from"
          + " it or packed with it) or upstream (where it came from), not '" + sent + "'");
    };
    int maxDepth = (int) request.queryLong("maxDepth", DEPTH_DEFAULT, 1, DEPTH_MAX);
    Graph graph = trace(request.caller(), reading.canonical(), direction, maxDepth)
        .orElseThrow(() -> Problem.notFound("no captured event you may read names "
            + reading.canonical() + (reading.canonical().equals(epc) ? "" : " (" + epc + ")")));
    return RestResponse.ok(json(graph));
  }

  static ObjectNode json(Graph graph) {
    ObjectNode out = JSON.createObjectNode().put("root", graph.root())
        .put("direction", graph.direction().name().toLowerCase(Locale.ROOT))
        .put("maxDepth", graph.maxDepth()).put("depthReached", graph.depthReached())
        .put("truncated", graph.truncated());
    ArrayNode nodes = out.putArray("nodes");
    for (Node node : graph.nodes()) {
      ObjectNode n = nodes.addObject().put("id", node.id())
          .put("kind", node.kind().name().toLowerCase(Locale.ROOT)).put("depth", node.depth())
          .put("firstSeen", node.firstSeen().toString())
          .put("lastSeen", node.lastSeen().toString());
      if (node.packedWith()) {
        n.put("packedWith", true);
      }
    }
    ArrayNode edges = out.putArray("edges");
    for (Edge edge : graph.edges()) {
      StoredEvent e = edge.event();
      edges.addObject().put("from", edge.from()).put("to", edge.to())
          .put("relation", edge.relation()).put("eventID", e.eventId())
          .put("hashId", e.hashId()).put("eventType", e.type())
          .put("eventTime", e.eventTime().toString()).put("bizStep", edge.bizStep())
          .put("proof", EpcisService.proofPath(e.eventId()));
    }
    return out;
  }
}
