package io.chorus.trace;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chorus.chain.BlockFollower;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.crypto.MerkleBatch;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.ledger.Receipt;
import io.chorus.ledger.TxPool;
import io.chorus.proof.ProofBundle;
import io.chorus.rpc.RpcException;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.RestService;
import io.chorus.rpc.rest.Route;
import io.chorus.rpc.rest.StreamRoute;
import io.chorus.service.ServiceContext;
import io.chorus.service.TransactionSubmitter;
import io.chorus.state.system.Governance;
import io.chorus.state.system.SystemContracts;
import io.chorus.state.system.Trace;
import io.chorus.storage.ChainStore;
import io.chorus.trace.epcis.CapturedEvents;
import io.chorus.trace.epcis.EpcisDocument;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EpcisException;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisProblem;
import io.chorus.trace.epcis.EpcisReader;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The GS1 EPCIS 2.0 REST binding at {@code /epcis}: capture of documents and single events,
 * anchored on the chain by the {@link Trace} contract, capture jobs, and queries answered from
 * this node's {@link TraceStore}, each event with its hash ID and its proof. See
 * {@code docs/traceability.md} for the routes and their rules.
 */
public final class EpcisService implements RestService, AutoCloseable {
  /** The role a caller needs to capture. */
  public static final String CAPTURER = "trace.capturer";
  /** The role a caller needs to make named queries and subscribe to them. */
  public static final String SUBSCRIBER = "trace.subscriber";
  /** Where the binding lives. */
  public static final String ROOT = "/epcis";
  /** The namespace of the fields Chorus adds to the events it answers with. */
  public static final String NAMESPACE = "https://chorus.io/ns/epcis/";
  /**
   * The capture header naming the organisations that alone may read the captured events,
   * comma-separated (this node's own is always one); without it, the whole consortium may.
   */
  public static final String VISIBLE_TO = "Chorus-Visible-To";
  static final String EPCIS_VERSION = "2.0.0";
  static final String CBV_VERSION = "2.0.0";
  /** The events one query page holds when the caller names no perPage, and at most. */
  static final int PER_PAGE_DEFAULT = 100;
  static final int PER_PAGE_MAX = 1_000;
  /** The document bytes a capture takes: the reader's bound within the server's. */
  static final int DOCUMENT_BYTES_MAX = Math.min(RestApi.BODY_BYTES_MAX,
      EpcisLimits.DOCUMENT_BYTES_MAX_DEFAULT);
  /**
   * Committed blocks waiting for the indexer; past it, they are read back from the chain's
   * store when the indexer gets to them.
   */
  static final int INDEX_QUEUE_BLOCKS = 64;
  /** The captures' leaves whose trees are kept for proofs: ~2 × 48 bytes each, ~12 MB. */
  static final long PROVABLE_LEAVES_CACHED = 1L << 17;

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String CONTEXT =
      "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

  private final Blockchain chain;
  private final TransactionSubmitter submitter;
  private final ProofApi proofs;
  private final TraceStore store;
  private final TraceIndexer indexer;
  // Indexes on a thread of its own: consensus does not wait for the events to be read.
  private final BlockFollower follower;
  private volatile boolean closed;
  private final Clock clock;
  private final EpcisReader reader = new EpcisReader(new EpcisLimits(DOCUMENT_BYTES_MAX,
      EpcisLimits.EVENTS_MAX_DEFAULT, EpcisLimits.DEPTH_MAX_DEFAULT,
      EpcisLimits.PROBLEMS_MAX_DEFAULT));
  private final CaptureJobs jobs;
  private final EpcisSubscriptions subscriptions;
  private final Lineage lineage;
  private final EpcisResources resources;
  private final ConsortiumDirectory directory;
  private final SecureRandom random = new SecureRandom();
  private final ReadCaptures readAhead;
  // Reads each capture as it reaches the pool, before its block (ReadCaptures).
  private final Blockchain.Listener poolReader;
  // Each proof of a capture's events needs its tree and log: built once, as a capture never
  // changes. Weighed in leaves, so that a few large captures cannot hold much memory.
  private final Cache<String, ProvableCapture> provable = Caffeine.newBuilder()
      .maximumWeight(PROVABLE_LEAVES_CACHED)
      .weigher((String root, ProvableCapture capture) -> capture.anchor().digests().size())
      .build();

  /**
   * As {@link #EpcisService(ServiceContext, Path, Clock, ConsortiumDirectory)} for a node in no
   * organisation: it captures for the whole consortium only and opens no sealed capture.
   */
  public EpcisService(ServiceContext context, Path storeDir, Clock clock) {
    this(context, storeDir, clock, ConsortiumDirectory.NONE);
  }

  /**
   * Opens the event store in {@code storeDir}, brings it up to the chain's head and keeps it
   * there as blocks commit; {@code directory} says which organisation this node is in, with
   * the key pairs that open what is sealed for it.
   */
  public EpcisService(ServiceContext context, Path storeDir, Clock clock,
      ConsortiumDirectory directory) {
    this(context, storeDir, clock, directory, SubscriptionDeliverer.Backoff.DEFAULT);
  }

  /**
   * As above, retrying webhook deliveries with {@code backoff}; the named queries and
   * subscriptions are kept beside the event store, in {@code storeDir}'s sibling {@code
   * <name>-subscriptions}.
   */
  EpcisService(ServiceContext context, Path storeDir, Clock clock,
      ConsortiumDirectory directory, SubscriptionDeliverer.Backoff backoff) {
    this.chain = context.chain();
    this.submitter = context.submitter();
    this.proofs = context.proofs();
    this.clock = clock;
    this.directory = directory;
    this.store = new TraceStore(storeDir);
    this.jobs = new CaptureJobs(storeDir.resolveSibling(storeDir.getFileName() + "-jobs"));
    this.readAhead = new ReadCaptures(chain.suite().hashFunction());
    this.indexer = new TraceIndexer(chain, store, directory, readAhead);
    this.subscriptions = new EpcisSubscriptions(store, storeDir.resolveSibling(
        storeDir.getFileName() + "-subscriptions"), context.authenticator(), clock, backoff,
        this::viewer);
    indexer.addIndexedListener(subscriptions::onIndexed);
    this.lineage = new Lineage(new ReadableEvents(store, this::viewer));
    this.resources = new EpcisResources(store, this::viewer, this::events);
    indexer.catchUp();
    this.follower = new BlockFollower("trace-indexer", chain, indexer, indexer::catchUp,
        store::indexedHeight, INDEX_QUEUE_BLOCKS);
    chain.addListener(follower);
    this.poolReader = new Blockchain.Listener() {
      @Override
      public void onPending(TxPool.Pooled transaction) {
        readAhead.readAhead(transaction.transaction());
      }
    };
    chain.addListener(poolReader);
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
    return Stream.of(Stream.of(
        Route.get(ROOT + "/capture", this::listJobs),
        Route.document(ROOT + "/capture", CAPTURER, DOCUMENT_BYTES_MAX, this::captureDocument),
        Route.get(ROOT + "/capture/{captureID}", this::job),
        Route.document(ROOT + "/events", CAPTURER, DOCUMENT_BYTES_MAX, this::captureEvent),
        Route.get(ROOT + "/events", this::query),
        Route.get(ROOT + "/events/{eventID}", this::event),
        Route.get(ROOT + "/events/{eventID}/proof", this::proof),
        Route.get(ROOT + "/lineage", lineage::answer),
        Route.get(ROOT + "/vocabularies", this::vocabularies)),
        resources.routes().stream(),
        subscriptions.routes().stream()).flatMap(routes -> routes).toList();
  }

  @Override
  public List<StreamRoute> streams() {
    return subscriptions.streams();
  }

  @Override
  public ObjectNode openApi() {
    return EpcisOpenApi.fragment();
  }

  /** The versions of the standards this binding speaks, on every answer, refusals included. */
  @Override
  public Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("GS1-EPCIS-Version", EPCIS_VERSION);
    headers.put("GS1-EPCIS-Min", EPCIS_VERSION);
    headers.put("GS1-EPCIS-Max", EPCIS_VERSION);
    headers.put("GS1-CBV-Version", CBV_VERSION);
    headers.put("GS1-CBV-Min", CBV_VERSION);
    headers.put("GS1-CBV-Max", CBV_VERSION);
    return headers;
  }

  /** OPTIONS on the capture routes advertises their limits, as the binding asks. */
  @Override
  public Map<String, String> discovery(String path) {
    return path.equals(ROOT + "/capture") || path.equals(ROOT + "/events") ? limits() : Map.of();
  }

  /**
   * The GS1 Digital Link resolver over this service's events, which counts its scans in the
   * same store; to be served beside this service.
   */
  public DigitalLinkResolver resolver(ScanRules rules) {
    return new DigitalLinkResolver(new ReadableEvents(store, this::viewer), new ScanCounter(store, rules,
        clock));
  }

  /** The event store, for tests and the node's metrics. */
  TraceStore store() {
    return store;
  }

  /**
   * Who {@code request} reads as: a caller this node authenticated (an API token of this
   * node) reads as this node's organisation; anyone else, and anyone on a node in no
   * organisation, reads what the whole consortium may. Every read of events is made for it.
   */
  public Viewer viewer(RestRequest request) {
    return viewer(request.caller());
  }

  /** Who {@code caller} reads as (anonymous when empty), as {@link #viewer(RestRequest)}. */
  Viewer viewer(Optional<Caller> caller) {
    return caller.isPresent() && directory.organisation().isPresent()
        ? Viewer.of(directory.organisation().get()) : Viewer.ANYONE;
  }

  /**
   * Whether this node's event store holds block {@code number}, or the service is closed: for
   * tests, which make blocks by hand and wait for the indexer's thread.
   */
  boolean hasIndexed(long number) {
    return closed || store.indexedHeight() >= number;
  }

  @Override
  public void close() {
    closed = true;
    chain.removeListener(poolReader);
    chain.removeListener(follower);
    follower.close();
    readAhead.close();
    subscriptions.close();
    jobs.close();
    store.close();
  }

  // ---- capture -------------------------------------------------------------------------------

  private RestResponse listJobs(RestRequest request) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode list = out.putArray("captureJobs");
    Viewer viewer = viewer(request);
    for (CaptureJobs.Job job : jobs.newest(PER_PAGE_DEFAULT)) {
      if (viewer.mayRead(job.visibleTo())) {
        list.add(CaptureJobs.json(job, submitter, store.indexedHeight()));
      }
    }
    return new RestResponse(200, out, limits());
  }

  private RestResponse job(RestRequest request) {
    // A sealed capture's job names its events' IDs and problems: shown as its events are.
    CaptureJobs.Job job = jobs.get(request.path("captureID"))
        .filter(j -> viewer(request).mayRead(j.visibleTo())).orElseThrow(() ->
        Problem.notFound("no capture job " + request.path("captureID") + " on this node (a"
            + " node remembers its newest " + CaptureJobs.JOBS_MAX + " jobs)"));
    return new RestResponse(200, CaptureJobs.json(job, submitter, store.indexedHeight()), Map.of());
  }

  private RestResponse captureDocument(RestRequest request) {
    String behaviour = behaviour(request);
    Sealing sealing = sealing(request);
    byte[] body = request.document();
    try {
      EpcisDocument document = reader.readDocument(body);
      if (document.kind() != EpcisDocument.Kind.EPCISDocument) {
        throw Problem.invalidField("/type", "capture takes an EPCISDocument, not an"
            + " EPCISQueryDocument");
      }
      ObjectNode root = document.json();
      List<ObjectNode> elements = new ArrayList<>();
      for (EpcisEvent event : document.events()) {
        elements.add(CaptureBatch.contextual(event.json(), root.get("@context")));
      }
      return capture(request, behaviour, sealing, document.events(), elements,
          new ArrayList<>(), masterData(request, root, sealing));
    } catch (EpcisException e) {
      if (e.kind() != EpcisException.Kind.INVALID || behaviour.equals("rollback")) {
        throw refusal(e);
      }
      return proceed(request, sealing, e, tree(body));
    }
  }

  // Capture with errors and "proceed": each event read on its own; the valid ones captured.
  private RestResponse proceed(RestRequest request, Sealing sealing, EpcisException e,
      JsonNode root) {
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
    return capture(request, "proceed", sealing, events, elements, errors,
        masterData(request, root, sealing));
  }

  // The document's master data as its first batch's last element, checked; null for none.
  // An element belongs to the account that first described it (every node's index keeps only
  // its updates), so another account's description is refused here rather than lost there.
  private ObjectNode masterData(RestRequest request, JsonNode root, Sealing sealing) {
    String at = "/epcisHeader/epcisMasterData";
    JsonNode masterData = root.path("epcisHeader").path("epcisMasterData");
    List<MasterData.Element> elements = MasterData.read(masterData, at);
    if (elements.isEmpty()) {
      return null;
    }
    if (!sealing.organisations().isEmpty()) {
      throw Problem.invalidField(at, "master data is shared with the whole consortium (every"
          + " node's scan pages show it): capture it in a document without " + VISIBLE_TO);
    }
    Address caller = request.requireCaller().account();
    for (MasterData.Element element : elements) {
      Optional<Address> owner = store.masterDataOwner(element.key(), element.type());
      if (owner.isPresent() && !owner.get().equals(caller)) {
        throw new Problem(409, "master-data-owned", "Master data of another account",
            element.id() + " (" + element.type() + ") was first described by " + owner.get()
                + ", the only account whose captures change it: leave it out of this document"
                + " or capture with that account");
      }
    }
    return CapturedEvents.masterDataElement(masterData);
  }

  private RestResponse captureEvent(RestRequest request) {
    String behaviour = behaviour(request);
    Sealing sealing = sealing(request);
    byte[] body = request.document();
    try {
      EpcisEvent event = reader.readEvent(body);
      return capture(request, behaviour, sealing, List.of(event),
          List.of(CaptureBatch.contextual(event.json(), null)), new ArrayList<>(),
          null);
    } catch (EpcisException e) {
      throw refusal(e);
    }
  }

  private RestResponse capture(RestRequest request, String behaviour, Sealing sealing,
      List<EpcisEvent> events, List<ObjectNode> elements, List<ObjectNode> errors,
      ObjectNode masterData) {
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
          kept.stream().map(EpcisEvent::hashId).toList(), sealing.organisations().isEmpty()
              ? Trace.BATCH_BYTES_MAX
              : SealedBatch.batchBytesMax(chain.suite(), sealing.recipients().size()),
          masterData);
    } catch (IllegalArgumentException e) {
      throw new Problem(413, "too-large", "Event too large", e.getMessage());
    }
    List<CaptureJobs.Sent> sent = new ArrayList<>();
    for (CaptureBatch.Planned planned : plan) {
      readAhead.put(planned, kept, keptElements,
          masterData == null ? null : masterData.get("epcisMasterData"));
      try {
        byte[] callData = sealing.organisations().isEmpty() ? planned.callData()
            : SealedBatch.callData(chain.suite(), planned, sealing.organisations(),
                sealing.recipients(), random);
        sent.add(new CaptureJobs.Sent(submitter.submit(request.requireCaller(),
            SystemContracts.TRACE, callData), planned.first(), planned.count()));
      } catch (Problem refused) {
        if (sent.isEmpty()) {
          throw refused;
        }
        errors.add(error("", "events " + planned.first() + " to " + (planned.first()
            + planned.count() - 1) + " were not sent: " + refused.detail()));
      }
    }
    CaptureJobs.Job job = jobs.add(clock.instant(), behaviour, sent, errors,
        sealing.organisations());
    Map<String, String> headers = new LinkedHashMap<>(limits());
    headers.put("Location", ROOT + "/capture/" + job.id());
    return new RestResponse(202, CaptureJobs.json(job, submitter, store.indexedHeight()), headers);
  }

  /**
   * Whom a capture is sealed for: the organisations that alone may read it and their public
   * data keys, in the same order; none for a capture the whole consortium reads.
   */
  private record Sealing(List<String> organisations, List<byte[]> recipients) {
    static final Sealing NONE = new Sealing(List.of(), List.of());
  }

  // The Chorus-Visible-To header read and its organisations' data keys taken from the state at
  // the head, or a refusal saying what to fix; before anything is sent.
  private Sealing sealing(RestRequest request) {
    String sent = request.header(VISIBLE_TO);
    if (sent == null) {
      return Sealing.NONE;
    }
    String own = directory.organisation().orElseThrow(() -> new Problem(422,
        "no-organisation", "This node is in no organisation", "this node runs without a"
            + " consortium PKI, so it knows no organisation to seal events for: send no "
            + VISIBLE_TO + " header, or capture on a member of a network whose node"
            + " certificates name organisations; nothing was captured"));
    TreeSet<String> names = new TreeSet<>(List.of(own));
    for (String part : sent.split(",", -1)) {
      String name = part.strip();
      if (name.isEmpty() || name.length() > Trace.ORGANISATION_CHARS_MAX
          || name.chars().anyMatch(Character::isISOControl)) {
        throw Problem.invalidField(VISIBLE_TO, "lists organisation names (the O of their node"
            + " certificates) separated by commas, each 1 to " + Trace.ORGANISATION_CHARS_MAX
            + " characters, e.g. 'org1, org2'; got '" + sent + "'");
      }
      names.add(name);
    }
    if (names.size() > Trace.ORGANISATIONS_MAX) {
      throw Problem.invalidField(VISIBLE_TO, "names " + names.size() + " organisations with"
          + " this node's own; a capture is visible to at most " + Trace.ORGANISATIONS_MAX);
    }
    Map<String, byte[]> onChain = Governance.organisationDataKeys(chain.stateAt(
        chain.head()));
    List<String> keyless = names.stream().filter(name -> !onChain.containsKey(name)).toList();
    if (!keyless.isEmpty()) {
      throw new Problem(422, "no-data-key", "Organisation without a data key", String.join(
          ", ", keyless) + (keyless.size() == 1 ? " has" : " have") + " no data key on the"
          + " chain: events visible to an organisation are sealed for its data key, which the"
          + " genesis file or a governance vote ('chorus gov propose org-data-key ORG"
          + " PUBLIC_KEY') sets. Check the name (its certificates' O, as 'chorus ca show'"
          + " prints it; organisations with a key: " + String.join(", ", onChain.keySet())
          + "), then capture again; nothing was captured");
    }
    // Two organisations may share a key; an envelope lists each key once.
    Map<String, byte[]> recipients = new LinkedHashMap<>();
    names.forEach(name -> recipients.putIfAbsent(Hex.encode(onChain.get(name)),
        onChain.get(name)));
    // The capturer reads back what it captures: a node that cannot open its own
    // organisation's captures would index them as withheld.
    byte[] ownKey = onChain.get(own);
    if (directory.organisationDataKeys().stream()
        .noneMatch(keys -> Arrays.equals(keys.publicKey(), ownKey))) {
      throw new Problem(422, "data-key-missing", "This node lacks its organisation's data key",
          "the chain seals " + own + "'s events for data key " + Hex.encode0x(ownKey)
              + ", whose private key this node does not hold, so it could not read what it"
              + " captured: add it to the node's organisation data key file (chorus ca"
              + " data-key --org " + own + " --node-dir DATA), then capture again; nothing"
              + " was captured");
    }
    return new Sealing(List.copyOf(names), List.copyOf(recipients.values()));
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
    return events(EpcisQueryParameters.parse(request), viewer(request));
  }

  private static final Set<String> VOCABULARY_PARAMETERS = Set.of("vocabularyName", "EQ_name",
      "includeAttributes", "includeChildren", "maxElementCount");

  /**
   * {@code GET /epcis/vocabularies}: the master data captured with documents' headers, as the
   * SimpleMasterDataQuery answers it (EPCIS 2.0 §8.2.7.2): {@code vocabularyName} (types) and
   * {@code EQ_name} (elements, any spelling of a GS1 key) select, {@code includeAttributes}
   * and {@code includeChildren} (default true) shape, {@code maxElementCount} bounds (413 past
   * it). Master data is the consortium's: anyone reads it.
   */
  private RestResponse vocabularies(RestRequest request) {
    for (String name : request.queryNames()) {
      if (!VOCABULARY_PARAMETERS.contains(name)) {
        throw Problem.invalidField(name, "is no parameter of the master data query, which takes"
            + " " + new TreeSet<>(VOCABULARY_PARAMETERS));
      }
    }
    Set<String> types = new HashSet<>(request.queryAll("vocabularyName"));
    List<String> names = request.queryAll("EQ_name").stream()
        .flatMap(v -> Stream.of(v.split(","))).map(Gs1Identifiers::canonical).toList();
    boolean attributes = flag(request, "includeAttributes");
    boolean children = flag(request, "includeChildren");
    int max = (int) request.queryLong("maxElementCount", MasterData.ELEMENTS_MAX, 1,
        MasterData.ELEMENTS_MAX);
    List<MasterData.Element> found = new ArrayList<>();
    if (names.isEmpty()) {
      found.addAll(store.masterData(max + 1));
    } else {
      names.forEach(name -> found.addAll(store.masterData(name)));
    }
    found.removeIf(e -> !types.isEmpty() && !types.contains(e.type()));
    if (found.size() > max) {
      throw new Problem(413, "query-too-large", "Query too large", "more than " + max
          + " vocabulary elements match; narrow the query with vocabularyName or EQ_name");
    }
    Map<String, ArrayNode> byType = new LinkedHashMap<>();
    for (MasterData.Element element : found) {
      ObjectNode json = element.json();
      if (!attributes) {
        json.remove("attributes");
      }
      if (!children) {
        json.remove("children");
      }
      byType.computeIfAbsent(element.type(), t -> JSON.createArrayNode()).add(json);
    }
    ObjectNode document = JSON.createObjectNode();
    document.putArray("@context").add(CONTEXT);
    document.put("type", "EPCISQueryDocument").put("schemaVersion", "2.0")
        .put("creationDate", clock.instant().toString());
    ArrayNode list = document.putObject("epcisBody").putObject("queryResults")
        .put("queryName", "SimpleMasterDataQuery").putObject("resultsBody")
        .putArray("vocabularyList");
    byType.forEach((type, elements) -> list.addObject().put("type", type)
        .set("vocabularyElementList", elements));
    return new RestResponse(200, document, Map.of());
  }

  private static boolean flag(RestRequest request, String name) {
    String value = request.query(name).orElse("true");
    if (!value.equals("true") && !value.equals("false")) {
      throw Problem.invalidField(name, "is true or false, not '" + value + "'");
    }
    return value.equals("true");
  }

  /** The EPCISQueryDocument of one page of a query's events that {@code viewer} may read. */
  RestResponse events(EpcisQueryParameters.Parsed parsed, Viewer viewer) {
    TraceQuery.Page page = store.query(parsed.query(), viewer);
    ObjectNode document = JSON.createObjectNode();
    document.putArray("@context").add(CONTEXT).addObject().put("chorus", NAMESPACE);
    document.put("type", "EPCISQueryDocument").put("schemaVersion", "2.0")
        .put("creationDate", clock.instant().toString());
    ObjectNode results = document.putObject("epcisBody").putObject("queryResults")
        .put("queryName", "SimpleEventQuery").put(WITHHELD, page.withheld());
    ArrayNode list = results.putObject("resultsBody").putArray("eventList");
    page.events().forEach(e -> list.add(answered(e)));
    Map<String, String> headers = new HashMap<>();
    if (page.more()) {
      String token = EpcisQueryParameters.token(page.next(),
          parsed.query().orderByEventTime());
      headers.put("Link", "<" + ROOT + "/events?" + parsed.queryStringWithout()
          + "nextPageToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8)
          + ">; rel=\"next\"");
    }
    return new RestResponse(200, document, headers);
  }

  /**
   * The field of query results that says how many events of sealed captures the caller may not
   * see ({@link TraceStore#withheld}): at most that many matching events are missing.
   */
  static final String WITHHELD = "chorus:withheld";

  private RestResponse event(RestRequest request) {
    return new RestResponse(200, answered(stored(request)), Map.of());
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
    if (!stored.visibleTo().isEmpty()) {
      ArrayNode visibleTo = out.putArray("chorus:visibleTo");
      stored.visibleTo().forEach(visibleTo::add);
    }
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
    // An event the caller may not see is answered as one that does not exist.
    return store.find(id, viewer(request)).orElseThrow(() ->
        Problem.notFound("no captured event has eventID or hash ID " + id + " (an event is"
            + " found once its capture is in a block)"));
  }

  /**
   * The proof of an event: the log bundle of its capture's {@code Captured} event with the
   * path from its hash ID's digest to the capture's root, and the event.
   */
  private RestResponse proof(RestRequest request) {
    StoredEvent stored = stored(request);
    ProvableCapture capture = provable.get(Hex.encode(stored.root()), root -> {
      TraceStore.Anchor anchor = store.anchor(stored.root()).orElseThrow(() ->
          new IllegalStateException("event " + stored.eventId() + " names capture root 0x"
              + root + ", which the store does not hold"));
      return new ProvableCapture(anchor,
          MerkleBatch.of(chain.suite().hashFunction(), anchor.digests()),
          capturedLogIndex(anchor.txHash(), stored.root()));
    });
    TraceStore.Anchor anchor = capture.anchor();
    ProofBundle bundle;
    try {
      bundle = proofs.included(anchor.txHash(), ProofBundle.Kind.LOG, capture.logIndex());
    } catch (RpcException e) {
      throw new Problem(409, "not-provable", "No proof for this block", e.getMessage());
    }
    bundle = bundle.withBatch(new ProofBundle.BatchPath(anchor.digests().get(stored.index()),
        stored.index(), anchor.digests().size(), capture.tree().path(stored.index())));
    ObjectNode out = JSON.createObjectNode().put("eventID", stored.eventId())
        .put("hashId", stored.hashId());
    try {
      out.set("bundle", JSON.readTree(bundle.toJson()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read back a proof bundle", e);
    }
    // The event as captured, with its context: what a verifier hashes to the bundle's leaf.
    out.set("event", stored.event());
    return new RestResponse(200, out, Map.of());
  }

  /** What every proof of a capture's events shares: its anchor, its tree, its log's index. */
  private record ProvableCapture(TraceStore.Anchor anchor, MerkleBatch tree, int logIndex) {}

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

  // Numbers as the reader takes them (decimals, not doubles), so that the batch keeps them as
  // sent and every node reads back the same elements.
  private static JsonNode tree(byte[] body) {
    try {
      return JSON.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException("a document the reader accepted is not JSON", e);
    }
  }
}
