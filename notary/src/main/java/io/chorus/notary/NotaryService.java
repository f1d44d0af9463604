package io.chorus.notary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.ContentHash;
import io.chorus.crypto.MerkleBatch;
import io.chorus.proof.NotaryEvidence;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofException;
import io.chorus.proof.TrustRoot;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.RestService;
import io.chorus.rpc.rest.Route;
import io.chorus.service.RecordHistory;
import io.chorus.service.SearchMatch;
import io.chorus.service.SearchProvider;
import io.chorus.service.ServiceContext;
import io.chorus.service.TransactionSubmitter;
import io.chorus.service.certificate.CertificatePdf;
import io.chorus.state.WorldState;
import io.chorus.state.system.Notary;
import io.chorus.state.system.SystemContracts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The notarization service (存证), {@code /api/v1/notary}, over the notary system contract:
 * deposit a content hash as a record (or a file, hashed here and discarded), many records at
 * once, a new version, an attestation, a Merkle batch of digests; read records, versions and
 * batches; a version's proof bundle and PDF certificate; and a check of a bundle against this
 * node's genesis. Writes are signed as the caller's account ({@link TransactionSubmitter});
 * what the contract refuses comes back as 422 with its reason. Every node runs it.
 */
public final class NotaryService implements RestService, SearchProvider,
    RecordHistory.Provider {
  /** The role that may deposit, update and anchor. */
  public static final String WRITER_ROLE = "notary.writer";
  /** The role that may attest a record as a co-signer. */
  public static final String ATTESTER_ROLE = "notary.attester";
  /** The role that may ask the node to check a proof bundle (a POST, so not anonymous). */
  public static final String VERIFIER_ROLE = "notary.verifier";
  /** The most digests one {@code POST /batches} anchors. */
  public static final int DIGESTS_MAX = 4_096;
  /** The largest upload: the server's request bound (the file with its multipart framing). */
  public static final int UPLOAD_BYTES_MAX = RestApi.BODY_BYTES_MAX;

  static final String BASE = "/api/v1/notary";
  static final String RECORDS = BASE + "/records";
  static final String FILES = BASE + "/files";
  static final String RECORDS_BATCH = RECORDS + "/batch";
  static final String RECORD = RECORDS + "/{id}";
  static final String ATTESTATIONS = RECORD + "/attestations";
  static final String VERSIONS = RECORD + "/versions";
  static final String VERSION = VERSIONS + "/{version}";
  static final String BY_HASH = RECORDS + "/by-hash/{hash}";
  static final String PROOF = RECORD + "/proof";
  static final String HISTORY = RECORD + "/history";
  static final String CERTIFICATE = RECORD + "/certificate";
  static final String BATCHES = BASE + "/batches";
  static final String BATCH = BATCHES + "/{number}";
  static final String VERIFY = BASE + "/verify";

  private static final String TRANSACTIONS = "/api/v1/chain/transactions/";
  private static final long UINT32_MAX = 0xffff_ffffL;
  private static final List<String> FILE_FIELDS =
      List.of("file", "id", "type", "title", "algorithm", "wait");

  private final ServiceContext context;
  /** Empty on a dev chain whose genesis names no validators: nothing on it is provable. */
  private final Optional<TrustRoot> trustRoot;
  private final NotaryProofs proofs;
  private final Supplier<Path> font;
  private final NotarySearch search;
  private final RecordHistory history;

  public NotaryService(ServiceContext context) {
    this(context, CertificatePdf::findFont);
  }

  /**
   * @param font the CJK font certificates are rendered in; throws {@link
   *     IllegalStateException} saying what to install when there is none
   */
  NotaryService(ServiceContext context, Supplier<Path> font) {
    this.context = context;
    this.trustRoot = context.chain().genesis().validators().isEmpty() ? Optional.empty()
        : Optional.of(GenesisFile.trustRoot(context.chain().genesis()));
    this.proofs = new NotaryProofs(context.chain(), context.proofs());
    this.font = font;
    this.search = new NotarySearch(this::state);
    this.history = new RecordHistory(context.chain(), recordKinds());
  }

  /** A record's history: {@code notary} in {@code chorus_getRecordHistory}. */
  @Override
  public List<RecordHistory.Kind> recordKinds() {
    return List.of(RecordHistoryKind.KIND);
  }

  @Override
  public String name() {
    return "notary";
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post(RECORDS, WRITER_ROLE, this::notarize),
        Route.upload(FILES, WRITER_ROLE, UPLOAD_BYTES_MAX, this::notarizeFile),
        Route.post(RECORDS_BATCH, WRITER_ROLE, this::evidenceBatch),
        Route.put(RECORD, WRITER_ROLE, this::update),
        Route.post(ATTESTATIONS, ATTESTER_ROLE, this::attest),
        Route.post(BATCHES, WRITER_ROLE, this::anchor),
        Route.post(VERIFY, VERIFIER_ROLE, this::verify),
        Route.get(RECORD, this::record),
        Route.get(VERSIONS, this::versions),
        Route.get(VERSION, this::version),
        Route.get(BY_HASH, this::byHash),
        Route.get(PROOF, this::proof),
        Route.get(HISTORY, r -> history.rest(RecordHistoryKind.KIND, r.path("id"), r)),
        Route.get(CERTIFICATE, this::certificate),
        Route.get(BATCH, this::batch));
  }

  @Override
  public ObjectNode openApi() {
    return NotaryOpenApi.fragment();
  }

  /** A record by id or content digest, a batch by Merkle root (see {@link NotarySearch}). */
  @Override
  public List<SearchMatch> search(String query) {
    return search.search(query);
  }

  // ---- writes --------------------------------------------------------------------------------

  private RestResponse notarize(RestRequest request) {
    RestRequest.Fields f = request.fields();
    Optional<String> id = f.optionalText("id");
    byte[] hash = f.hex("hash", Notary.HASH_BYTES);
    Notary.Algorithm algorithm = algorithm(f.optionalText("algorithm"), "algorithm", f::bad);
    String type = f.optionalText("type").orElse(Notary.CMEVI_RECORD_TYPE);
    String metadata = NotaryInput.metadata(f.optionalJson("metadata"), "metadata", f::bad);
    boolean wait = f.optionalBoolean("wait").orElse(false);
    id.ifPresent(text -> NotaryInput.checkId(text, "id", f::bad));
    NotaryInput.checkType(type, "type", f::bad);
    f.check();
    return deposit(request, id.orElse(defaultId(algorithm, hash)), algorithm, hash, type,
        metadata, wait);
  }

  // The file is hashed in memory and dropped: never stored, logged or sent on.
  private RestResponse notarizeFile(RestRequest request) {
    List<Problem.FieldError> errors = new ArrayList<>();
    BiConsumer<String, String> bad = (field, detail) ->
        errors.add(new Problem.FieldError(field, detail));
    for (RestRequest.Part part : request.parts()) {
      if (!FILE_FIELDS.contains(part.name())) {
        bad.accept(part.name(), "unknown part; this form takes " + String.join(", ",
            FILE_FIELDS));
      }
    }
    Optional<RestRequest.Part> file = request.part("file");
    if (file.isEmpty() || file.get().fileName().isEmpty()) {
      bad.accept("file", "required: the file, as a part named 'file' with a filename");
    }
    Optional<String> id = text(request, "id");
    Notary.Algorithm algorithm = algorithm(text(request, "algorithm"), "algorithm", bad);
    String type = text(request, "type").orElse(Notary.CMEVI_RECORD_TYPE);
    Optional<String> wait = text(request, "wait");
    if (wait.isPresent() && !wait.get().equals("true") && !wait.get().equals("false")) {
      bad.accept("wait", "must be true or false, not '" + wait.get() + "'");
    }
    id.ifPresent(text -> NotaryInput.checkId(text, "id", bad));
    NotaryInput.checkType(type, "type", bad);
    ObjectNode metadata = NotaryJson.JSON.createObjectNode();
    byte[] digest = new byte[0];
    if (file.isPresent() && file.get().fileName().isPresent()) {
      metadata.put("file", file.get().fileName().get())
          .put("size", file.get().bytes().length);
      text(request, "title").ifPresent(title -> metadata.put("title", title));
      digest = ContentHash.byCode(algorithm.ordinal()).orElseThrow().digest(file.get().bytes());
    }
    String metadataText = NotaryInput.metadata(Optional.of(metadata), "title", bad);
    if (!errors.isEmpty()) {
      throw Problem.invalid(errors.size() == 1 ? "1 field is invalid"
          : errors.size() + " fields are invalid", errors);
    }
    return deposit(request, id.orElse(defaultId(algorithm, digest)), algorithm, digest, type,
        metadataText, wait.map(Boolean::parseBoolean).orElse(false));
  }

  private RestResponse deposit(RestRequest request, String id, Notary.Algorithm algorithm,
      byte[] hash, String type, String metadata, boolean wait) {
    return write(request, Notary.notarizeCall(id, algorithm, hash, type, metadata), wait,
        NotaryJson.JSON.createObjectNode().put("id", id),
        included -> {
          Notary.Record record = Notary.record(state(), id);
          return RestResponse.created(NotaryCertificates.recordPath(id),
              NotaryJson.record(record));
        });
  }

  private RestResponse evidenceBatch(RestRequest request) {
    RestRequest.Fields f = request.fields();
    Optional<JsonNode> records = f.optionalJson("records");
    boolean wait = f.optionalBoolean("wait").orElse(false);
    List<Notary.Entry> entries = new ArrayList<>();
    if (records.isEmpty() || !records.get().isArray() || records.get().isEmpty()
        || records.get().size() > Notary.EVIDENCE_BATCH_MAX) {
      f.bad("records", "required: an array of 1 to " + Notary.EVIDENCE_BATCH_MAX
          + " records {id, hash, metadata}");
    } else {
      for (int i = 0; i < records.get().size(); i++) {
        entries.add(entry(records.get().get(i), "records/" + i, f::bad));
      }
    }
    f.check();
    ObjectNode pending = NotaryJson.JSON.createObjectNode();
    ArrayNode ids = pending.putArray("ids");
    entries.forEach(e -> ids.add(e.id()));
    return write(request, Notary.evidenceBatchCall(entries), wait, pending, included -> {
      WorldState state = state();
      ObjectNode out = NotaryJson.JSON.createObjectNode();
      ArrayNode list = out.putArray("records");
      entries.forEach(e -> list.add(NotaryJson.record(Notary.record(state, e.id()))));
      return new RestResponse(201, out, Map.of());
    });
  }

  // One record of an EvidenceBatch, its errors reported under /records/i/...
  private static Notary.Entry entry(JsonNode item, String at, BiConsumer<String, String> bad) {
    if (!item.isObject()) {
      bad.accept(at, "must be an object {id, hash, metadata}");
      return new Notary.Entry("", new byte[0], "");
    }
    item.fieldNames().forEachRemaining(name -> {
      if (!List.of("id", "hash", "metadata").contains(name)) {
        bad.accept(at + "/" + name, "unknown field; a record takes id, hash, metadata");
      }
    });
    String id = item.path("id").isTextual() ? item.path("id").asText() : "";
    if (!item.path("id").isTextual()) {
      bad.accept(at + "/id", "required: a string of 1 to " + Notary.ID_BYTES_MAX + " bytes");
    } else {
      NotaryInput.checkId(id, at + "/id", bad);
    }
    byte[] hash = NotaryInput.hash(item.path("hash"), at + "/hash", bad);
    String metadata = NotaryInput.metadata(Optional.ofNullable(item.get("metadata"))
        .filter(m -> !m.isNull()), at + "/metadata", bad);
    return new Notary.Entry(id, hash, metadata);
  }

  private RestResponse update(RestRequest request) {
    String id = request.path("id");
    RestRequest.Fields f = request.fields();
    byte[] hash = f.hex("hash", Notary.HASH_BYTES);
    Optional<String> algorithmText = f.optionalText("algorithm");
    Notary.Algorithm algorithm = algorithm(algorithmText, "algorithm", f::bad);
    String metadata = NotaryInput.metadata(f.optionalJson("metadata"), "metadata", f::bad);
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    requireRecord(state(), id);
    // Without an algorithm, CMEVI's UpdateEvidence keeps the current version's.
    byte[] data = algorithmText.isPresent()
        ? Notary.updateCall(id, algorithm, hash, metadata)
        : Notary.updateEvidenceCall(id, hash, metadata);
    return write(request, data, wait, NotaryJson.JSON.createObjectNode().put("id", id),
        included -> versionCreated(Notary.record(state(), id)));
  }

  private RestResponse attest(RestRequest request) {
    String id = request.path("id");
    RestRequest.Fields f = request.fields();
    Optional<JsonNode> version = f.optionalJson("version");
    boolean wait = f.optionalBoolean("wait").orElse(false);
    if (version.isPresent() && !(version.get().canConvertToLong()
        && version.get().isIntegralNumber() && version.get().asLong() >= 1
        && version.get().asLong() <= UINT32_MAX)) {
      f.bad("version", "must be a version number from 1, not " + version.get());
    }
    f.check();
    Notary.Record current = requireRecord(state(), id);
    long attested = version.map(JsonNode::asLong).orElse(current.version());
    byte[] data = version.isPresent() ? Notary.attestVersionCall(id, attested)
        : Notary.attestCall(id);
    return write(request, data, wait,
        NotaryJson.JSON.createObjectNode().put("id", id).put("version", attested),
        included -> versionCreated(Notary.version(state(), id, attested)));
  }

  private RestResponse anchor(RestRequest request) {
    RestRequest.Fields f = request.fields();
    Optional<JsonNode> list = f.optionalJson("digests");
    String metadata = NotaryInput.metadata(f.optionalJson("metadata"), "metadata", f::bad);
    boolean wait = f.optionalBoolean("wait").orElse(false);
    List<byte[]> digests = new ArrayList<>();
    if (list.isEmpty() || !list.get().isArray() || list.get().isEmpty()
        || list.get().size() > DIGESTS_MAX) {
      f.bad("digests", "required: an array of 1 to " + DIGESTS_MAX + " digests, each 0x and"
          + " 64 hex digits");
    } else {
      for (int i = 0; i < list.get().size(); i++) {
        digests.add(NotaryInput.hash(list.get().get(i), "digests/" + i, f::bad));
      }
    }
    f.check();
    MerkleBatch tree = MerkleBatch.of(context.chain().suite().hashFunction(), digests);
    byte[] root = tree.root();
    ObjectNode pending = NotaryJson.JSON.createObjectNode().put("root", Hex.encode0x(root))
        .put("count", digests.size());
    return write(request, Notary.anchorBatchCall(root, digests.size(), metadata), wait,
        pending, included -> {
          Notary.Batch batch = Notary.batchByRoot(state(), root);
          ObjectNode out = NotaryJson.batch(batch);
          out.putObject("block").put("number", included.blockNumber())
              .put("hash", Hex.encode0x(included.blockHash()));
          ArrayNode bundles = out.putArray("proofs");
          for (ProofBundle bundle : proofs.batch(included.hash(), tree, digests)) {
            bundles.add(json(bundle.toJson()));
          }
          return RestResponse.created(BATCHES + "/" + batch.number(), out);
        });
  }

  /**
   * Signs {@code data} to the notary as the caller; with {@code wait}, waits for its block and
   * answers {@code done}'s; otherwise (or when the block is late) 202 with {@code pending} and
   * the transaction.
   */
  private RestResponse write(RestRequest request, byte[] data, boolean wait, ObjectNode pending,
      Function<TransactionSubmitter.Included, RestResponse> done) {
    TransactionSubmitter submitter = context.submitter();
    TransactionSubmitter.Submitted sent = submitter.submit(request.requireCaller(),
        SystemContracts.NOTARY, data);
    Optional<TransactionSubmitter.Included> included = submitter.awaitIfAsked(sent, wait);
    if (included.isEmpty()) {
      pending.put("status", "pending").put("txHash", sent.hashHex());
      pending.putObject("links").put("transaction", TRANSACTIONS + sent.hashHex());
      return new RestResponse(202, pending, Map.of("Location", TRANSACTIONS + sent.hashHex()));
    }
    if (!included.get().success()) {
      throw new Problem(422, "transaction-reverted", "The notary refused the transaction",
          "transaction " + sent.hashHex() + " reverted in block " + included.get().blockNumber()
              + ": the state changed after the node checked it (another deposit took the id"
              + " or hash first?); read the record, then send again")
          .with("txHash", sent.hashHex());
    }
    return done.apply(included.get());
  }

  // ---- reads ---------------------------------------------------------------------------------

  private RestResponse record(RestRequest request) {
    return RestResponse.ok(NotaryJson.record(requireRecord(state(), request.path("id"))));
  }

  private RestResponse versions(RestRequest request) {
    String id = request.path("id");
    long from = request.queryLong("from", 1, 1, UINT32_MAX);
    long count = request.queryLong("count", Notary.HISTORY_PAGE_MAX, 1,
        Notary.HISTORY_PAGE_MAX);
    WorldState state = state();
    Notary.Record current = requireRecord(state, id);
    ObjectNode out = NotaryJson.JSON.createObjectNode().put("id", id)
        .put("versions", current.version()).put("from", from);
    ArrayNode list = out.putArray("records");
    Notary.history(state, id, from, (int) count).forEach(r -> list.add(NotaryJson.record(r)));
    if (from + count <= current.version()) {
      out.put("next", NotaryCertificates.recordPath(id) + "/versions?from=" + (from + count)
          + "&count=" + count);
    }
    return RestResponse.ok(out);
  }

  private RestResponse version(RestRequest request) {
    return RestResponse.ok(NotaryJson.record(requireVersion(request.path("id"),
        NotaryInput.positive(request.path("version"), "version", UINT32_MAX))));
  }

  private RestResponse byHash(RestRequest request) {
    String text = request.path("hash");
    if (!text.matches("0x[0-9a-fA-F]{64}")) {
      throw Problem.invalidField("hash", "must be 0x and 64 hex digits (32 bytes), not '"
          + NotaryInput.abbreviate(text) + "'");
    }
    Notary.Record record = Notary.findByHash(state(), Hex.decode(text));
    if (record == null) {
      throw Problem.notFound("no record holds hash " + text.toLowerCase(java.util.Locale.ROOT));
    }
    return RestResponse.ok(NotaryJson.record(record));
  }

  private RestResponse batch(RestRequest request) {
    long number = NotaryInput.positive(request.path("number"), "number", Long.MAX_VALUE);
    Notary.Batch batch = Notary.batch(state(), number);
    if (batch == null) {
      throw Problem.notFound("no batch " + number + "; " + Notary.batchCount(state())
          + " were anchored, numbered from 1");
    }
    return RestResponse.ok(NotaryJson.batch(batch));
  }

  private RestResponse proof(RestRequest request) {
    return RestResponse.ok(json(proofs.record(requestedVersion(request)).toJson()));
  }

  private RestResponse certificate(RestRequest request) {
    Path fontFile;
    try {
      fontFile = font.get();
    } catch (IllegalStateException e) {
      throw new Problem(503, "font-missing", "The node cannot render certificates",
          e.getMessage());
    }
    String baseUrl = NotaryInput.baseUrl(request);
    TrustRoot root = trustRoot();
    Notary.Record record = requestedVersion(request);
    String proofJson = proofs.record(record).toJson();
    // Checked as any verifier will check it: a certificate is never made for a bad proof.
    NotaryEvidence.Evidence evidence = NotaryEvidence.verify(ProofBundle.fromJson(proofJson),
        root, record.hash());
    byte[] pdf = NotaryCertificates.pdf(NotaryCertificates.certificate(
        NotaryJson.fileName(record.metadata()), evidence, root, baseUrl, proofJson),
        fontFile);
    return RestResponse.bytes("application/pdf", pdf, Map.of("Content-Disposition",
        "inline; filename=\"notary-certificate-v" + record.version() + ".pdf\""));
  }

  private RestResponse verify(RestRequest request) {
    RestRequest.Fields f = request.fields();
    Optional<JsonNode> bundle = f.optionalJson("bundle");
    Optional<byte[]> digest = f.optionalHex("digest", Notary.HASH_BYTES);
    if (bundle.isEmpty() || !bundle.get().isObject()) {
      f.bad("bundle", "required: a proof bundle (" + ProofBundle.FORMAT + "), a JSON object");
    }
    f.check();
    TrustRoot root = trustRoot();
    try {
      ProofBundle parsed = ProofBundle.fromJson(bundle.orElseThrow().toString());
      NotaryEvidence.Evidence evidence = digest.isPresent()
          ? NotaryEvidence.verify(parsed, root, digest.get())
          : NotaryEvidence.verify(parsed, root);
      return RestResponse.ok(NotaryJson.evidence(evidence, root));
    } catch (ProofException | IllegalArgumentException e) {
      throw new Problem(422, "not-proven", "The proof does not hold", e.getMessage())
          .with("proven", BooleanNode.FALSE);
    }
  }

  private TrustRoot trustRoot() {
    return trustRoot.orElseThrow(() -> new Problem(409, "not-provable",
        "No proof for this block", "this chain's genesis names no validators, so no block"
            + " of it is final by consensus and nothing on it can be proven; run a BFT"
            + " network (chorus up) for proofs"));
  }

  // The version ?version= names (the current one without it).
  private Notary.Record requestedVersion(RestRequest request) {
    String id = request.path("id");
    long version = request.queryLong("version", 0, 1, UINT32_MAX);
    return version == 0 ? requireRecord(state(), id) : requireVersion(id, version);
  }

  private Notary.Record requireVersion(String id, long version) {
    WorldState state = state();
    Notary.Record record = Notary.version(state, id, version);
    if (record == null) {
      throw Problem.notFound(Notary.versionCount(state, id) == 0 ? "no record with id '" + id
          + "'" : "record '" + id + "' has no version " + version + "; it has "
          + Notary.versionCount(state, id));
    }
    return record;
  }

  private static Notary.Record requireRecord(WorldState state, String id) {
    Notary.Record record = Notary.record(state, id);
    if (record == null) {
      throw Problem.notFound("no record with id '" + id + "'");
    }
    return record;
  }

  private static RestResponse versionCreated(Notary.Record record) {
    return RestResponse.created(NotaryCertificates.recordPath(record.id()) + "/versions/"
        + record.version(), NotaryJson.record(record));
  }

  private WorldState state() {
    return context.chain().stateAt(context.chain().head());
  }

  // ---- input ---------------------------------------------------------------------------------

  private Notary.Algorithm algorithm(Optional<String> text, String field,
      BiConsumer<String, String> bad) {
    return NotaryInput.algorithm(text, Notary.Algorithm.of(
        ContentHash.defaultFor(context.chain().suite().name()).code()), field, bad);
  }

  private static String defaultId(Notary.Algorithm algorithm, byte[] hash) {
    return algorithm.label() + ":" + Hex.encode(hash);
  }

  private static Optional<String> text(RestRequest request, String part) {
    return request.part(part).map(p -> new String(p.bytes(), StandardCharsets.UTF_8))
        .filter(s -> !s.isBlank());
  }

  private static JsonNode json(String text) {
    try {
      return NotaryJson.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a bundle's JSON always parses", e);
    }
  }
}
