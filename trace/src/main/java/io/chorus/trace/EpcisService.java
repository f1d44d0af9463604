package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.crypto.MerkleBatch;
import io.chorus.evm.Log;
import io.chorus.ledger.Receipt;
import io.chorus.proof.ProofBundle;
import io.chorus.rpc.RpcException;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.RestService;
import io.chorus.rpc.rest.Route;
import io.chorus.service.ServiceContext;
import io.chorus.service.TransactionSubmitter;
import io.chorus.state.system.SystemContracts;
import io.chorus.state.system.Trace;
import io.chorus.storage.ChainStore;
import io.chorus.trace.epcis.EpcisDocument;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EpcisException;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisProblem;
import io.chorus.trace.epcis.EpcisReader;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GS1 EPCIS 2.0 REST binding at {@code /epcis}: capture of documents and single events,
 * anchored on the chain by the {@link Trace} contract, capture jobs, and queries answered from
 * this node's {@link TraceStore}, each event with its hash ID and its proof. See
 * {@code docs/traceability.md} for the routes and their rules.
 */
public final class EpcisService implements RestService, AutoCloseable {
  /** The role a caller needs to capture. */
  public static final String CAPTURER = "trace.capturer";
  /** Where the binding lives. */
  public static final String ROOT = "/epcis";
  /** The namespace of the fields Chorus adds to the events it answers with. */
  public static final String NAMESPACE = "https://chorus.io/ns/epcis/";
  static final String EPCIS_VERSION = "2.0.0";
  static final String CBV_VERSION = "2.0.0";
  /** The events one query page holds when the caller names no perPage, and at most. */
  static final int PER_PAGE_DEFAULT = 100;
  static final int PER_PAGE_MAX = 1_000;
  /** The document bytes a capture takes: the reader's bound within the server's. */
  static final int DOCUMENT_BYTES_MAX = Math.min(RestApi.BODY_BYTES_MAX,
      EpcisLimits.DOCUMENT_BYTES_MAX_DEFAULT);

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTEXT =
      "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

  private final Blockchain chain;
  private final TransactionSubmitter submitter;
  private final ProofApi proofs;
  private final TraceStore store;
  private final TraceIndexer indexer;
  private final Clock clock;
  private final EpcisReader reader = new EpcisReader(new EpcisLimits(DOCUMENT_BYTES_MAX,
      EpcisLimits.EVENTS_MAX_DEFAULT, EpcisLimits.DEPTH_MAX_DEFAULT,
      EpcisLimits.PROBLEMS_MAX_DEFAULT));
  private final CaptureJobs jobs = new CaptureJobs();
  private final Lineage lineage;

  /**
   * Opens the event store in {@code storeDir}, brings it up to the chain's head and keeps it
   * there as blocks commit.
   */
  public EpcisService(ServiceContext context, Path storeDir, Clock clock) {
    this.chain = context.chain();
    this.submitter = context.submitter();
    this.proofs = context.proofs();
    this.clock = clock;
    this.store = new TraceStore(storeDir);
    this.indexer = new TraceIndexer(chain, store);
    this.lineage = new Lineage(new ReadableEvents(store));
    indexer.catchUp();
    chain.addListener(indexer);
  }

  @Override
  public String name() {
    return "epcis";
  }

  @Override
  public String root() {
    return ROOT;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(ROOT + "/capture", this::listJobs),
        Route.document(ROOT + "/capture", CAPTURER, DOCUMENT_BYTES_MAX, this::captureDocument),
        Route.get(ROOT + "/capture/{captureID}", this::job),
        Route.document(ROOT + "/events", CAPTURER, DOCUMENT_BYTES_MAX, this::captureEvent),
        Route.get(ROOT + "/events", this::query),
        Route.get(ROOT + "/events/{eventID}", this::event),
        Route.get(ROOT + "/events/{eventID}/proof", this::proof),
        Route.get(ROOT + "/lineage", lineage::answer));
  }

  @Override
  public ObjectNode openApi() {
    return EpcisOpenApi.fragment();
  }

  /**
   * The GS1 Digital Link resolver over this service's events, which counts its scans in the
   * same store; to be served beside this service.
   */
  public DigitalLinkResolver resolver(ScanRules rules) {
    return new DigitalLinkResolver(new ReadableEvents(store), new ScanCounter(store, rules,
        clock));
  }

  /** The event store, for tests and the node's metrics. */
  TraceStore store() {
    return store;
  }

  @Override
  public void close() {
    chain.removeListener(indexer);
    store.close();
  }

  // ---- capture -------------------------------------------------------------------------------

  private RestResponse listJobs(RestRequest request) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("captureJobs");
    for (CaptureJobs.Job job : jobs.newest(PER_PAGE_DEFAULT)) {
      list.add(CaptureJobs.json(job, submitter));
    }
    return answer(200, out, limits());
  }

  private RestResponse job(RestRequest request) {
    CaptureJobs.Job job = jobs.get(request.path("captureID")).orElseThrow(() ->
        Problem.notFound("no capture job " + request.path("captureID") + " on this node (a"
            + " node remembers its newest " + CaptureJobs.JOBS_MAX + " jobs)"));
    return answer(200, CaptureJobs.json(job, submitter), Map.of());
  }

  private RestResponse captureDocument(RestRequest request) {
    String behaviour = behaviour(request);
    byte[] body = request.document();
    try {
      EpcisDocument document = reader.readDocument(body);
      if (document.kind() != EpcisDocument.Kind.EPCISDocument) {
        throw Problem.invalidField("/type", "capture takes an EPCISDocument, not an"
            + " EPCISQueryDocument");
      }
      JsonNode root = tree(body);
      List<ObjectNode> elements = new ArrayList<>();
      JsonNode list = root.path("epcisBody").path("eventList");
      for (JsonNode event : list) {
        elements.add(CaptureBatch.contextual((ObjectNode) event, root.get("@context")));
      }
      return capture(request, behaviour, document.events(), elements, new ArrayList<>());
    } catch (EpcisException e) {
      if (e.kind() != EpcisException.Kind.INVALID || behaviour.equals("rollback")) {
        throw refusal(e);
      }
      return proceed(request, e, tree(body));
    }
  }

  // Capture with errors and "proceed": each event read on its own; the valid ones captured.
  private RestResponse proceed(RestRequest request, EpcisException e, JsonNode root) {
    String listAt = "/epcisBody/eventList";
    for (EpcisProblem problem : e.problems()) {
      if (!problem.pointer().startsWith(listAt + "/")) {
        throw refusal(e); // the document itself is wrong: nothing can be captured from it
      }
    }
    List<EpcisEvent> events = new ArrayList<>();
    List<ObjectNode> elements = new ArrayList<>();
    List<ObjectNode> errors = new ArrayList<>();
    JsonNode list = root.path("epcisBody").path("eventList");
    for (int i = 0; i < list.size(); i++) {
      String at = listAt + "/" + i;
      if (!(list.get(i) instanceof ObjectNode event)) {
        errors.add(error(at, "an event is a JSON object"));
        continue;
      }
      ObjectNode element = CaptureBatch.contextual(event, root.get("@context"));
      try {
        events.add(reader.readEvent(JSON.writeValueAsBytes(element)));
        elements.add(element);
      } catch (EpcisException | IOException invalid) {
        if (invalid instanceof EpcisException epcis) {
          epcis.problems().forEach(p -> errors.add(error(at + p.pointer(), p.message())));
        } else {
          errors.add(error(at, invalid.getMessage()));
        }
      }
    }
    if (events.isEmpty()) {
      throw refusal(e);
    }
    return capture(request, "proceed", events, elements, errors);
  }

  private RestResponse captureEvent(RestRequest request) {
    String behaviour = behaviour(request);
    byte[] body = request.document();
    try {
      EpcisEvent event = reader.readEvent(body);
      return capture(request, behaviour, List.of(event),
          List.of(CaptureBatch.contextual((ObjectNode) tree(body), null)), new ArrayList<>());
    } catch (EpcisException e) {
      throw refusal(e);
    }
  }

  private RestResponse capture(RestRequest request, String behaviour, List<EpcisEvent> events,
      List<ObjectNode> elements, List<ObjectNode> errors) {
    List<EpcisEvent> kept = new ArrayList<>();
    List<ObjectNode> keptElements = new ArrayList<>();
    List<ObjectNode> duplicates = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      EpcisEvent event = events.get(i);
      String id = event.eventId() != null ? event.eventId() : event.hashId();
      if (store.hasEventId(id)) {
        duplicates.add(error(event.pointer().isEmpty() ? "/eventID" : event.pointer()
            + "/eventID", "eventID " + id + " is already captured"
            + (event.eventId() == null ? " (an event without eventID is named by its hash ID:"
                + " the same event was captured before)" : "")));
      } else {
        kept.add(event);
        keptElements.add(elements.get(i));
      }
    }
    if (!duplicates.isEmpty() && (behaviour.equals("rollback") || kept.isEmpty())) {
      ArrayNode list = JSON.createArrayNode();
      duplicates.forEach(list::add);
      throw new Problem(409, "duplicate-event", "Duplicate event", duplicates.size()
          + " event(s) are already captured: nothing of this request was captured")
          .with("errors", list);
    }
    errors.addAll(duplicates);
    List<CaptureBatch.Planned> plan;
    try {
      plan = CaptureBatch.plan(chain.suite().hashFunction(), keptElements,
          kept.stream().map(EpcisEvent::hashId).toList());
    } catch (IllegalArgumentException e) {
      throw new Problem(413, "too-large", "Event too large", e.getMessage());
    }
    List<CaptureJobs.Sent> sent = new ArrayList<>();
    for (CaptureBatch.Planned planned : plan) {
      try {
        sent.add(new CaptureJobs.Sent(submitter.submit(request.requireCaller(),
            SystemContracts.TRACE, planned.callData()), planned.first(), planned.count()));
      } catch (Problem refused) {
        if (sent.isEmpty()) {
          throw refused;
        }
        errors.add(error("", "events " + planned.first() + " to " + (planned.first()
            + planned.count() - 1) + " were not sent: " + refused.detail()));
      }
    }
    CaptureJobs.Job job = jobs.add(clock.instant(), behaviour, sent, errors);
    Map<String, String> headers = new LinkedHashMap<>(limits());
    headers.put("Location", ROOT + "/capture/" + job.id());
    return answer(202, CaptureJobs.json(job, submitter), headers);
  }

  private static String behaviour(RestRequest request) {
    String sent = request.header("GS1-Capture-Error-Behaviour");
    if (sent == null) {
      return "rollback";
    }
    if (!sent.equals("rollback") && !sent.equals("proceed")) {
      throw Problem.invalidField("GS1-Capture-Error-Behaviour", "is rollback or proceed, not '"
          + sent + "'");
    }
    return sent;
  }

  private static Problem refusal(EpcisException e) {
    List<Problem.FieldError> errors = e.problems().stream()
        .map(p -> new Problem.FieldError(p.pointer(), p.message())).toList();
    return switch (e.kind()) {
      case TOO_LARGE -> new Problem(413, "too-large", "Document too large", e.getMessage());
      case MALFORMED, INVALID -> Problem.invalid("the EPCIS document is invalid: "
          + e.problems().size() + " problem(s), each with its JSON pointer; nothing was"
          + " captured", errors);
    };
  }

  private static ObjectNode error(String pointer, String message) {
    return JSON.createObjectNode().put("pointer", pointer).put("detail", message);
  }

  private static Map<String, String> limits() {
    return Map.of("GS1-EPCIS-Capture-Limit", Integer.toString(EpcisLimits.EVENTS_MAX_DEFAULT),
        "GS1-EPCIS-Capture-File-Size-Limit", Integer.toString(DOCUMENT_BYTES_MAX));
  }

  // ---- query ---------------------------------------------------------------------------------

  private RestResponse query(RestRequest request) {
    EpcisQueryParameters.Parsed parsed = EpcisQueryParameters.parse(request);
    TraceQuery.Page page = store.query(parsed.query());
    ObjectNode document = JSON.createObjectNode();
    document.putArray("@context").add(CONTEXT).addObject().put("chorus", NAMESPACE);
    document.put("type", "EPCISQueryDocument").put("schemaVersion", "2.0")
        .put("creationDate", clock.instant().toString());
    ObjectNode results = document.putObject("epcisBody").putObject("queryResults")
        .put("queryName", "SimpleEventQuery");
    ArrayNode list = results.putObject("resultsBody").putArray("eventList");
    page.events().forEach(e -> list.add(answered(e)));
    Map<String, String> headers = new HashMap<>();
    if (page.more()) {
      String token = EpcisQueryParameters.token(parsed.query().offset()
          + parsed.query().perPage());
      headers.put("Link", "<" + ROOT + "/events?" + parsed.queryStringWithout()
          + "nextPageToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
          + ">; rel=\"next\"");
    }
    return answer(200, document, headers);
  }

  private RestResponse event(RestRequest request) {
    return answer(200, answered(stored(request)), Map.of());
  }

  /** An event as answered: its eventID (its hash ID when it had none), record time and proof. */
  static ObjectNode answered(StoredEvent stored) {
    ObjectNode event = stored.event().deepCopy();
    event.put("eventID", stored.eventId());
    event.put("recordTime", stored.recordTime().toString());
    JsonNode context = event.remove("@context");
    ObjectNode out = JSON.createObjectNode();
    ArrayNode contexts = out.putArray("@context");
    if (context != null && context.isArray()) {
      context.forEach(contexts::add);
    } else if (context != null) {
      contexts.add(context);
    }
    contexts.addObject().put("chorus", NAMESPACE);
    out.setAll(event);
    out.put("chorus:hashId", stored.hashId());
    out.put("chorus:proof", proofPath(stored.eventId()));
    return out;
  }

  /** Where an event's proof is served. */
  static String proofPath(String eventId) {
    return ROOT + "/events/" + URLEncoder.encode(eventId, StandardCharsets.UTF_8)
        .replace("+", "%20") + "/proof";
  }

  private StoredEvent stored(RestRequest request) {
    String id = request.path("eventID");
    return store.byEventId(id).or(() -> store.byHashId(id)).orElseThrow(() ->
        Problem.notFound("no captured event has eventID or hash ID " + id + " (an event is"
            + " found once its capture is in a block)"));
  }

  /**
   * The proof of an event: the log bundle of its capture's {@code Captured} event with the
   * path from its hash ID's digest to the capture's root, and the event.
   */
  private RestResponse proof(RestRequest request) {
    StoredEvent stored = stored(request);
    TraceStore.Anchor anchor = store.anchor(stored.root()).orElseThrow(() ->
        new IllegalStateException("event " + stored.eventId() + " names capture root "
            + Hex.encode0x(stored.root()) + ", which the store does not hold"));
    byte[] digest = anchor.digests().get(stored.index());
    ProofBundle bundle;
    try {
      bundle = proofs.included(anchor.txHash(), ProofBundle.Kind.LOG,
          capturedLogIndex(anchor.txHash(), stored.root()));
    } catch (RpcException e) {
      throw new Problem(409, "not-provable", "No proof for this block", e.getMessage());
    }
    bundle = bundle.withBatch(new ProofBundle.BatchPath(digest, stored.index(),
        anchor.digests().size(), MerkleBatch.of(chain.suite().hashFunction(),
            anchor.digests()).path(stored.index())));
    ObjectNode out = JSON.createObjectNode().put("eventID", stored.eventId())
        .put("hashId", stored.hashId());
    try {
      out.set("bundle", JSON.readTree(bundle.toJson()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read back a proof bundle", e);
    }
    // The event as captured, with its context: what a verifier hashes to the bundle's leaf.
    out.set("event", stored.event());
    return answer(200, out, Map.of());
  }

  private int capturedLogIndex(byte[] txHash, byte[] root) {
    ChainStore.TxLocation at = chain.store().transactionLocation(txHash).orElseThrow();
    Receipt receipt = chain.store().receipts(at.blockHash()).orElseThrow().get(at.index());
    for (int i = 0; i < receipt.logs().size(); i++) {
      Log log = receipt.logs().get(i);
      if (log.address().equals(SystemContracts.TRACE) && log.topics().size() == 4
          && log.topics().get(0).equals(Trace.CAPTURED_TOPIC)
          && Arrays.equals(log.topics().get(1).toBytes(), root)) {
        return i;
      }
    }
    throw new IllegalStateException("capture " + Hex.encode0x(txHash) + " has no Captured log"
        + " for root " + Hex.encode0x(root));
  }

  // ---- answers -------------------------------------------------------------------------------

  private static RestResponse answer(int status, JsonNode body, Map<String, String> headers) {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("GS1-EPCIS-Version", EPCIS_VERSION);
    all.put("GS1-CBV-Version", CBV_VERSION);
    return new RestResponse(status, body, all);
  }

  private static JsonNode tree(byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("a document the reader accepted is not JSON", e);
    }
  }
}
