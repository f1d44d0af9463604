package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Traceability (产品溯源) for a Java application, over a node's GS1 EPCIS 2.0 REST binding
 * ({@code /epcis}): capture EPCIS documents (role {@code trace.capturer}, signed by the node with
 * the token's keystore key), follow the capture job until its events are in blocks, query
 * events with the standard's parameters, and fetch an event's proof, which {@link EventProof}
 * checks offline against the genesis file. A refusal throws {@link ProblemException}: 400 with
 * each bad field's JSON pointer, 409 for events already captured, 413 for a document over the
 * advertised limits, 404 for an unknown event or job.
 */
public final class TraceClient {
  private static final String ROOT = "/epcis";
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"next\"");
  private static final Duration POLL = Duration.ofMillis(200);

  /** What a capture does with invalid or duplicate events: the standard's header values. */
  public enum ErrorBehaviour {
    /** Any invalid or duplicate event refuses the whole document; nothing is captured. */
    ROLLBACK,
    /** The valid events are captured; the others are listed in the job's errors. */
    PROCEED
  }

  /**
   * A capture job as the node reports it.
   *
   * @param status {@code running}, {@code success} or {@code failure}
   * @param transactions the capture transactions the document became, in order
   * @param errors the events refused (their JSON pointer and why)
   */
  public record CaptureJob(String captureId, String status, List<CaptureTransaction> transactions,
      List<CaptureError> errors) {
    public boolean running() {
      return status.equals("running");
    }
  }

  /**
   * One capture transaction of a job.
   *
   * @param firstEvent the index in the document of its first event
   * @param status {@code pending}, {@code anchored} or {@code reverted}
   */
  public record CaptureTransaction(String txHash, int firstEvent, int events, String status,
      Optional<Long> blockNumber) {}

  /** An event a capture refused: a JSON pointer into the document and what was wrong. */
  public record CaptureError(String pointer, String detail) {}

  /**
   * One page of a query's events.
   *
   * @param events each event's JSON as the node answers it: with its {@code eventID},
   *     {@code recordTime}, {@code chorus:hashId} and {@code chorus:proof}
   * @param next the path of the next page, empty on the last
   * @param withheld how many events on the chain the caller may not read here (sealed for
   *     other organisations): at most that many matching events are missing; 0 when complete
   */
  public record EventPage(List<ObjectNode> events, Optional<String> next, long withheld) {}

  /**
   * An EPCIS query: the standard's parameters ({@code MATCH_epc}, {@code EQ_bizStep},
   * {@code GE_eventTime}, …) with their values. Identifiers may be EPC URNs or Digital Links,
   * vocabulary bare words or URIs: the node normalises both.
   */
  public static final class Query {
    private final Map<String, List<String>> parameters = new LinkedHashMap<>();

    /** Adds {@code values} to parameter {@code name}. */
    public Query with(String name, String... values) {
      parameters.computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.of(values));
      return this;
    }

    /** Events that name {@code epc} in their EPC list or as a child. */
    public Query epc(String epc) {
      return with("MATCH_epc", epc);
    }

    /** Events that name {@code epc} in any role. */
    public Query anyEpc(String epc) {
      return with("MATCH_anyEPC", epc);
    }

    public Query bizStep(String bizStep) {
      return with("EQ_bizStep", bizStep);
    }

    public Query eventType(String eventType) {
      return with("eventType", eventType);
    }

    /** Events that happened at or after {@code from} and before {@code until}. */
    public Query eventTime(Instant from, Instant until) {
      return with("GE_eventTime", from.toString()).with("LT_eventTime", until.toString());
    }

    public Query perPage(int perPage) {
      return with("perPage", Integer.toString(perPage));
    }

    String queryString() {
      StringBuilder out = new StringBuilder();
      parameters.forEach((name, values) -> values.forEach(value -> out.append(
          out.isEmpty() ? "?" : "&").append(encode(name)).append('=').append(encode(value))));
      return out.toString();
    }
  }

  /**
   * What was made from or packed with an identifier (downstream), or where it came from
   * (upstream), as {@code GET /epcis/lineage} answers it.
   *
   * @param truncated whether a bound of the walk was reached, so the graph may be larger
   */
  public record Lineage(String root, String direction, int depthReached, boolean truncated,
      List<LineageNode> nodes, List<LineageEdge> edges) {}

  /**
   * An identifier of a lineage graph.
   *
   * @param kind {@code instance} or {@code class}
   * @param packedWith whether it is only packed with a followed identifier (not followed)
   */
  public record LineageNode(String id, String kind, int depth, boolean packedWith) {}

  /**
   * A link of a lineage graph, and the event that made it.
   *
   * @param relation {@code transformedInto}, {@code packedInto} or {@code contains}
   */
  public record LineageEdge(String from, String to, String relation, String eventId,
      String eventType, String eventTime, String bizStep) {}

  private final RestClient rest;

  /**
   * @param url the node's RPC URL ({@code http://127.0.0.1:8545})
   * @param token an API token with role {@code trace.capturer} to capture, or null to read only
   */
  public TraceClient(String url, String token) {
    this.rest = new RestClient(url, token);
  }

  /**
   * Captures an EPCISDocument; the answer is the job, usually still running.
   *
   * @param document the document's bytes, sent as they are
   * @param visibleTo the organisations (their names in the consortium PKI) that may read the
   *     events, or empty for the whole consortium
   */
  public CaptureJob capture(byte[] document, ErrorBehaviour behaviour, List<String> visibleTo) {
    return job(rest.postDocument(ROOT + "/capture", document, headers(behaviour, visibleTo))
        .body());
  }

  /** Captures one event (with its own {@code @context}). */
  public CaptureJob captureEvent(byte[] event, List<String> visibleTo) {
    return job(rest.postDocument(ROOT + "/events", event,
        headers(ErrorBehaviour.ROLLBACK, visibleTo)).body());
  }

  /** The job {@code captureId} now. */
  public CaptureJob job(String captureId) {
    return job(rest.get(ROOT + "/capture/" + encode(captureId)));
  }

  /**
   * Waits until every transaction of the job is in a block.
   *
   * @throws ClientException when it takes longer than {@code timeout}
   */
  public CaptureJob awaitJob(String captureId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    CaptureJob job = job(captureId);
    while (job.running()) {
      if (Instant.now().isAfter(deadline)) {
        throw new ClientException("capture " + captureId + " is still running after "
            + timeout.toSeconds() + " s: " + job.transactions().size() + " transaction(s), "
            + job.transactions().stream().filter(t -> t.status().equals("pending")).count()
            + " not in a block yet");
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientException("interrupted while waiting for capture " + captureId, e);
      }
      job = job(captureId);
    }
    return job;
  }

  /** The first page of the events {@code query} selects. */
  public EventPage events(Query query) {
    return page(ROOT + "/events" + query.queryString());
  }

  /** The page after {@code page}; empty when it was the last. */
  public Optional<EventPage> next(EventPage page) {
    return page.next().map(this::page);
  }

  /** The event named by its eventID or its hash ID. */
  public ObjectNode event(String eventId) {
    return (ObjectNode) rest.get(ROOT + "/events/" + encode(eventId));
  }

  /** The proof of the event named by its eventID or its hash ID, to check offline. */
  public EventProof proof(String eventId) {
    return EventProof.fromJson(rest.get(ROOT + "/events/" + encode(eventId) + "/proof")
        .toString());
  }

  /**
   * The lineage of {@code epc} (an EPC, a class or lot, as a URN or a Digital Link).
   *
   * @param downstream what was made from it or packed with it; false: where it came from
   * @param maxDepth the links followed from it, 1 to 10
   */
  public Lineage lineage(String epc, boolean downstream, int maxDepth) {
    JsonNode json = rest.get(ROOT + "/lineage?epc=" + encode(epc) + "&direction="
        + (downstream ? "downstream" : "upstream") + "&maxDepth=" + maxDepth);
    List<LineageNode> nodes = new ArrayList<>();
    json.path("nodes").forEach(n -> nodes.add(new LineageNode(n.path("id").asText(),
        n.path("kind").asText(), n.path("depth").asInt(), n.path("packedWith").asBoolean())));
    List<LineageEdge> edges = new ArrayList<>();
    json.path("edges").forEach(e -> edges.add(new LineageEdge(e.path("from").asText(),
        e.path("to").asText(), e.path("relation").asText(), e.path("eventID").asText(),
        e.path("eventType").asText(), e.path("eventTime").asText(),
        e.path("bizStep").asText(""))));
    return new Lineage(json.path("root").asText(), json.path("direction").asText(),
        json.path("depthReached").asInt(), json.path("truncated").asBoolean(),
        List.copyOf(nodes), List.copyOf(edges));
  }

  private EventPage page(String path) {
    RestClient.Answer answer = rest.getAnswer(path);
    List<ObjectNode> events = new ArrayList<>();
    JsonNode results = answer.body().path("epcisBody").path("queryResults");
    results.path("resultsBody").path("eventList").forEach(e -> events.add((ObjectNode) e));
    Optional<String> next = Optional.ofNullable(answer.headers().get("link"))
        .map(NEXT::matcher).filter(Matcher::find).map(m -> m.group(1));
    return new EventPage(List.copyOf(events), next, results.path("chorus:withheld").asLong());
  }

  private static Map<String, String> headers(ErrorBehaviour behaviour, List<String> visibleTo) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("GS1-Capture-Error-Behaviour", behaviour.name().toLowerCase(Locale.ROOT));
    if (!visibleTo.isEmpty()) {
      headers.put("Chorus-Visible-To", String.join(", ", visibleTo));
    }
    return headers;
  }

  private static CaptureJob job(JsonNode json) {
    List<CaptureTransaction> transactions = new ArrayList<>();
    for (JsonNode tx : json.path("transactions")) {
      transactions.add(new CaptureTransaction(tx.path("txHash").asText(),
          tx.path("firstEvent").asInt(), tx.path("events").asInt(), tx.path("status").asText(),
          tx.has("blockNumber") ? Optional.of(tx.path("blockNumber").asLong())
              : Optional.empty()));
    }
    List<CaptureError> errors = new ArrayList<>();
    json.path("errors").forEach(e -> errors.add(new CaptureError(e.path("pointer").asText(),
        e.path("detail").asText())));
    return new CaptureJob(json.path("captureID").asText(), json.path("status").asText(),
        List.copyOf(transactions), List.copyOf(errors));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
