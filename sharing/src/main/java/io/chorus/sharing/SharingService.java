package io.chorus.sharing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.trace.RevertReason;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.RestService;
import io.chorus.rpc.rest.Route;
import io.chorus.service.RecordHistory;
import io.chorus.service.ServiceContext;
import io.chorus.service.TransactionSubmitter;
import io.chorus.service.WriteCheck;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.state.system.DataSharing;
import io.chorus.state.system.SystemContracts;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Government data sharing (政务数据共享), {@code /api/v1/sharing}, over the DataSharing system
 * contract: the catalogue, applications and their decisions, grants and the audit trail, and
 * the exchange ({@link Exchange}) by which a provider's node serves a data set to the
 * departments it granted. Writes are signed as the token's account after the node ran them on
 * the head's state: what the contract would refuse is 422 {@code sharing-refused} with its code
 * and rule, and nothing is sent. Reads of the catalogue are public; an application, its grant
 * and audit entries are shown only to the departments party to them and to the data authority,
 * and to anyone else they do not exist (404), so that a department learns nothing of others'
 * requests from this node.
 */
public final class SharingService implements RestService, RecordHistory.Provider {
  /** The role that may send the service's writes as the token's account. */
  public static final String WRITER_ROLE = "sharing.writer";
  /** The role that may read applications, grants and audit entries and fetch payloads. */
  public static final String READER_ROLE = "sharing.reader";

  static final String BASE = "/api/v1/sharing";
  static final String DATASETS = BASE + "/datasets";
  static final String DATASET = DATASETS + "/{id}";
  static final String DATASET_HISTORY = DATASET + "/history";
  static final String VERSIONS = DATASET + "/versions";
  static final String VERSION = VERSIONS + "/{version}";
  static final String DATA = DATASET + "/data";
  static final String DATA_BY_CERTIFICATE = DATA + "/by-certificate";
  static final String DATASET_REQUESTS = DATASET + "/requests";
  static final String DATASET_GRANTS = DATASET + "/grants";
  static final String DATASET_AUDIT = DATASET + "/audit";
  static final String REQUESTS = BASE + "/requests";
  static final String REQUEST = REQUESTS + "/{id}";
  static final String REQUEST_HISTORY = REQUEST + "/history";
  static final String CHECK = REQUEST + "/check";
  static final String EXTEND = REQUEST + "/extend";
  static final String APPROVE = REQUEST + "/approve";
  static final String REFUSE = REQUEST + "/refuse";
  static final String REVOKE = REQUEST + "/revoke";
  static final String DEPARTMENT_REQUESTS = BASE + "/departments/{department}/requests";
  static final String DEPARTMENT_AUDIT = BASE + "/departments/{department}/audit";
  static final String OVERDUE = BASE + "/overdue";
  static final String ENTRY = BASE + "/audit/{id}";
  static final String ENTRY_PAYLOAD = ENTRY + "/payload";
  static final String ENTRY_PROOF = ENTRY + "/proof";
  static final String TRANSACTION_ENTRY = BASE + "/transactions/{hash}/entry";

  private static final String TRANSACTIONS = "/api/v1/chain/transactions/";

  private final ServiceContext context;
  private final Exchange exchange;
  private final CertificateFetch certificateFetch;
  private final AuditProofs proofs;
  private final RecordHistory history;

  /**
   * The service; the provider's payloads and served envelopes are kept in {@code dir}. It
   * checks no certificate: fetches need an API token.
   */
  public SharingService(ServiceContext context, Path dir) {
    this(context, dir, RequesterTrust.NONE, Clock.systemUTC());
  }

  /**
   * The service, checking requesters' user certificates with {@code trust} and their
   * requests' times against {@code clock}.
   */
  public SharingService(ServiceContext context, Path dir, RequesterTrust trust, Clock clock) {
    this.context = context;
    this.exchange = new Exchange(this, new PayloadStore(dir));
    this.certificateFetch = new CertificateFetch(this, exchange, trust, clock);
    this.proofs = new AuditProofs(this);
    this.history = new RecordHistory(context.chain(), recordKinds());
  }

  /** Applications' and data sets' histories, in {@code chorus_getRecordHistory} too. */
  @Override
  public List<RecordHistory.Kind> recordKinds() {
    return List.of(SharingHistory.REQUEST, SharingHistory.DATASET);
  }

  @Override
  public String name() {
    return "sharing";
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post(DATASETS, WRITER_ROLE, this::publish),
        Route.post(VERSIONS, WRITER_ROLE, this::update),
        Route.post(REQUESTS, WRITER_ROLE, this::apply),
        Route.post(CHECK, WRITER_ROLE, this::check),
        Route.post(EXTEND, WRITER_ROLE, r -> withReason(r, DataSharing::extendCall)),
        Route.post(APPROVE, WRITER_ROLE, this::approve),
        Route.post(REFUSE, WRITER_ROLE, r -> withReason(r, DataSharing::refuseCall)),
        Route.post(REVOKE, WRITER_ROLE, r -> withReason(r, DataSharing::revokeCall)),
        Route.put(DATA, WRITER_ROLE, exchange::put),
        Route.get(DATA, exchange::fetch).withRole(READER_ROLE),
        // No token: the user certificate and the request's signature authenticate it.
        Route.get(DATA_BY_CERTIFICATE, certificateFetch::fetch),
        Route.delete(ENTRY_PAYLOAD, WRITER_ROLE, exchange::purge),
        Route.get(DATASETS, this::datasets),
        Route.get(DATASET, this::dataset),
        Route.get(DATASET_HISTORY, r -> history.rest(SharingHistory.DATASET, r.path("id"), r)),
        Route.get(VERSION, this::version),
        Route.get(REQUEST, this::request).withRole(READER_ROLE),
        Route.get(REQUEST_HISTORY, this::requestHistory).withRole(READER_ROLE),
        Route.get(DATASET_REQUESTS, this::datasetRequests).withRole(READER_ROLE),
        Route.get(DATASET_GRANTS, this::grants).withRole(READER_ROLE),
        Route.get(DATASET_AUDIT, this::datasetAudit).withRole(READER_ROLE),
        Route.get(DEPARTMENT_REQUESTS, this::departmentRequests).withRole(READER_ROLE),
        Route.get(DEPARTMENT_AUDIT, this::departmentAudit).withRole(READER_ROLE),
        Route.get(OVERDUE, this::overdue).withRole(READER_ROLE),
        Route.get(ENTRY, this::entry).withRole(READER_ROLE),
        Route.get(ENTRY_PROOF, proofs::proof).withRole(READER_ROLE),
        Route.get(TRANSACTION_ENTRY, this::transactionEntry).withRole(READER_ROLE));
  }

  @Override
  public ObjectNode openApi() {
    return SharingOpenApi.fragment();
  }

  // ---- writes --------------------------------------------------------------------------------

  private RestResponse publish(RestRequest request) {
    RestRequest.Fields f = request.fields();
    String code = f.text("code");
    Item item = item(f);
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    return write(request.requireCaller(), DataSharing.publishCall(code, item.title, item.fields,
        item.sharingClass, item.cycle), wait, json(), included -> created(DATASETS,
        firstId(included), this::datasetJson, included));
  }

  private RestResponse update(RestRequest request) {
    long id = SharingInput.id(request, "id");
    RestRequest.Fields f = request.fields();
    Item item = item(f);
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    return write(request.requireCaller(), DataSharing.updateCall(id, item.title, item.fields,
        item.sharingClass, item.cycle), wait, json().put("dataset", id), included ->
        created(DATASETS, id, this::datasetJson, included));
  }

  private record Item(String title, List<String> fields, DataSharing.SharingClass sharingClass,
      DataSharing.UpdateCycle cycle) {}

  private static Item item(RestRequest.Fields f) {
    String title = f.text("title");
    List<String> fields = SharingInput.names(f.optionalJson("fields"), "fields", f::bad);
    if (fields.isEmpty()) {
      f.bad("fields", "name the data set's fields: an array of 1 to " + DataSharing.FIELDS_MAX
          + " names");
    }
    DataSharing.SharingClass sharingClass = SharingInput.choice(f.optionalText("sharingClass"),
        "sharingClass", DataSharing.SharingClass.class, null, f::bad);
    if (sharingClass == null && f.optionalText("sharingClass").isEmpty()) {
      f.bad("sharingClass", "missing: unconditional, conditional or not-shared");
    }
    DataSharing.UpdateCycle cycle = SharingInput.choice(f.optionalText("updateCycle"),
        "updateCycle", DataSharing.UpdateCycle.class, DataSharing.UpdateCycle.IRREGULAR,
        f::bad);
    return new Item(title, fields, sharingClass, cycle);
  }

  private RestResponse apply(RestRequest request) {
    RestRequest.Fields f = request.fields();
    long dataset = f.optionalJson("dataset").filter(n -> n.canConvertToLong() && n.asLong() > 0)
        .map(n -> n.asLong()).orElseGet(() -> {
          f.bad("dataset", "missing or not a data set id (a number from 1)");
          return 0L;
        });
    String purpose = f.text("purpose");
    String scenario = f.text("scenario");
    List<String> names = SharingInput.names(f.optionalJson("fields"), "fields", f::bad);
    long expiresAt = f.optionalJson("expiresAt").filter(n -> n.canConvertToLong())
        .map(n -> n.asLong()).orElseGet(() -> {
          f.bad("expiresAt", "missing: the end of the period asked for, in seconds since the"
              + " epoch");
          return 0L;
        });
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    DataSharing.Version latest = requireVersion(state(), dataset, 0);
    long mask = SharingInput.mask(names, latest.fields(), "/fields", dataset, latest.number());
    return write(request.requireCaller(), DataSharing.applyCall(dataset, purpose, scenario,
        mask, expiresAt), wait, json().put("dataset", dataset), included -> created(REQUESTS,
        firstId(included), id -> requestJson(state(), id), included));
  }

  private RestResponse check(RestRequest request) {
    long id = SharingInput.id(request, "id");
    RestRequest.Fields f = request.fields();
    boolean pass = f.optionalBoolean("pass").orElseGet(() -> {
      f.bad("pass", "missing: true to pass the application, false to refuse it");
      return false;
    });
    String reason = f.optionalText("reason").orElse("");
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    return decision(request, id, DataSharing.checkCall(id, pass, reason), wait);
  }

  private RestResponse approve(RestRequest request) {
    long id = SharingInput.id(request, "id");
    RestRequest.Fields f = request.fields();
    List<String> names = SharingInput.names(f.optionalJson("fields"), "fields", f::bad);
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    WorldState state = state();
    DataSharing.Request application = visibleRequest(state, request.requireCaller(), id);
    DataSharing.Version version = requireVersion(state, application.dataset(),
        application.version());
    // Without fields, every field asked for.
    long mask = names.isEmpty() ? application.requestedMask()
        : SharingInput.mask(names, version.fields(), "/fields", application.dataset(),
            version.number());
    return decision(request, id, DataSharing.approveCall(id, mask), wait);
  }

  private RestResponse withReason(RestRequest request, ReasonCall call) {
    long id = SharingInput.id(request, "id");
    RestRequest.Fields f = request.fields();
    String reason = f.optionalText("reason").orElse("");
    boolean wait = f.optionalBoolean("wait").orElse(false);
    f.check();
    return decision(request, id, call.data(id, reason), wait);
  }

  @FunctionalInterface
  private interface ReasonCall {
    byte[] data(long request, String reason);
  }

  private RestResponse decision(RestRequest request, long id, byte[] data, boolean wait) {
    Caller caller = request.requireCaller();
    visibleRequest(state(), caller, id);
    return write(caller, data, wait, json().put("request", id), included ->
        created(REQUESTS, id, r -> requestJson(state(), r), included));
  }

  /**
   * Runs {@code data} as the caller on the head's state, refusing what the contract refuses;
   * then signs and pools it; with {@code wait}, waits for its block and answers {@code
   * done}'s, otherwise (or when the block is late) 202 with {@code pending} and the
   * transaction.
   */
  RestResponse write(Caller caller, byte[] data, boolean wait, ObjectNode pending,
      java.util.function.Function<TransactionSubmitter.Included, RestResponse> done) {
    TransactionSubmitter.Submitted sent = send(caller, data);
    Optional<TransactionSubmitter.Included> included = context.submitter().awaitIfAsked(sent,
        wait);
    if (included.isEmpty()) {
      pending.put("status", "pending").put("txHash", sent.hashHex());
      pending.putObject("links").put("transaction", TRANSACTIONS + sent.hashHex());
      return new RestResponse(202, pending, Map.of("Location", TRANSACTIONS + sent.hashHex()));
    }
    if (!included.get().success()) {
      throw new Problem(422, "transaction-reverted", "The data sharing contract refused the"
          + " transaction", "transaction " + sent.hashHex() + " reverted in block "
          + included.get().blockNumber() + ": the state changed after the node checked it;"
          + " read the application or data set, then send again")
          .with("txHash", sent.hashHex());
    }
    return done.apply(included.get());
  }

  /** Simulates {@code data} as the caller on the head, refusing what would fail, then pools it. */
  TransactionSubmitter.Submitted send(Caller caller, byte[] data) {
    TransactionResult tried = simulate(context.chain(), caller.account(), data);
    if (!tried.success()) {
      throw refusal(RevertReason.decode(tried.output()));
    }
    return context.submitter().submit(caller, SystemContracts.DATA_SHARING, data);
  }

  /**
   * The contract's refusal as a problem: 422 {@code sharing-refused} with its code and rule
   * when the reason is one of the contract's rules, else 422 {@code call-fails}.
   */
  static Problem refusal(String reason) {
    DataSharing.Rule rule = reason == null ? null : DataSharing.Rule.ofReason(reason);
    if (rule == null) {
      return new Problem(422, "call-fails", "The call would fail", "the transaction would"
          + " fail on the current state: " + (reason == null ? "it reverts without a reason"
              : reason));
    }
    return new Problem(422, "sharing-refused", "The data sharing contract refuses this",
        reason).with("code", SharingJson.code(rule)).with("rule", rule.label());
  }

  /** A call from {@code from} to the contract on the head's state, as eth_call runs it. */
  static TransactionResult simulate(Blockchain chain, Address from, byte[] data) {
    return WriteCheck.run(chain, SystemContracts.DATA_SHARING, from, data);
  }

  /** The id a publish, apply or recordAccess transaction made: its first log's first topic. */
  long firstId(TransactionSubmitter.Included included) {
    for (Log log : logs(included.hash()).orElseThrow()) {
      if (log.address().equals(SystemContracts.DATA_SHARING)) {
        return log.topics().get(1).toBigInteger().longValueExact();
      }
    }
    throw new IllegalStateException("transaction " + Hex.encode0x(included.hash())
        + " succeeded without a data sharing log");
  }

  /** The logs of committed transaction {@code hash}, if it is committed. */
  Optional<List<Log>> logs(byte[] hash) {
    return context.submitter().committed(hash).map(at -> context.chain().store()
        .receipts(at.blockHash()).orElseThrow().get(at.index()).logs());
  }

  private RestResponse created(String collection, long id, LongFunction<ObjectNode> view,
      TransactionSubmitter.Included included) {
    ObjectNode out = view.apply(id);
    out.putObject("transaction").put("hash", Hex.encode0x(included.hash()))
        .put("blockNumber", included.blockNumber())
        .put("blockHash", Hex.encode0x(included.blockHash()));
    return RestResponse.created(collection + "/" + id, out);
  }

  // ---- the catalogue (public) ----------------------------------------------------------------

  private RestResponse datasets(RestRequest request) {
    SharingInput.Paging paging = SharingInput.Paging.of(request);
    WorldState state = state();
    Optional<String> department = request.query("department");
    DataSharing.Page page;
    if (department.isPresent()) {
      page = DataSharing.datasetsOf(state, department.get(), paging.offset(), paging.count());
    } else {
      long total = DataSharing.datasetCount(state);
      List<Long> ids = new java.util.ArrayList<>();
      for (long id = paging.offset() + 1; id <= total && ids.size() < paging.count(); id++) {
        ids.add(id);
      }
      page = new DataSharing.Page(total, ids);
    }
    return RestResponse.ok(page(page, paging, id -> datasetJson(state, id)));
  }

  private RestResponse dataset(RestRequest request) {
    return RestResponse.ok(datasetJson(SharingInput.id(request, "id")));
  }

  private RestResponse version(RestRequest request) {
    long id = SharingInput.id(request, "id");
    long number = SharingInput.id(request, "version");
    return RestResponse.ok(SharingJson.version(requireVersion(state(), id, number)));
  }

  private ObjectNode datasetJson(long id) {
    return datasetJson(state(), id);
  }

  private ObjectNode datasetJson(WorldState state, long id) {
    DataSharing.Dataset dataset = DataSharing.dataset(state, id);
    if (dataset == null) {
      throw Problem.notFound("no data set " + id + " in the catalogue");
    }
    return SharingJson.dataset(dataset, DataSharing.version(state, id, 0));
  }

  static DataSharing.Version requireVersion(WorldState state, long dataset, long number) {
    DataSharing.Version version = DataSharing.version(state, dataset, number);
    if (version == null) {
      throw Problem.notFound(DataSharing.dataset(state, dataset) == null
          ? "no data set " + dataset + " in the catalogue"
          : "data set " + dataset + " has no version " + number);
    }
    return version;
  }

  // ---- applications, grants, audit (their parties and the authority) ------------------------

  private RestResponse request(RestRequest request) {
    long id = SharingInput.id(request, "id");
    WorldState state = state();
    visibleRequest(state, request.requireCaller(), id);
    return RestResponse.ok(requestJson(state, id));
  }

  /** An application's history, to whom may see the application now. */
  private RestResponse requestHistory(RestRequest request) {
    long id = SharingInput.id(request, "id");
    visibleRequest(state(), request.requireCaller(), id);
    return history.rest(SharingHistory.REQUEST, Long.toString(id), request);
  }

  private ObjectNode requestJson(WorldState state, long id) {
    DataSharing.Request r = DataSharing.request(state, id, now());
    return SharingJson.request(r, DataSharing.version(state, r.dataset(), r.version()));
  }

  /**
   * Application {@code id} if the caller's department applied for it or provides its data set,
   * or the caller is the data authority; otherwise 404, as if there were none.
   */
  DataSharing.Request visibleRequest(WorldState state, Caller caller, long id) {
    DataSharing.Request r = DataSharing.request(state, id, now());
    String department = DataSharing.departmentOf(state, caller.account());
    if (r == null || !DataSharing.isAuthority(state, caller.account()) && (department == null
        || !department.equals(r.requester())
        && !department.equals(DataSharing.dataset(state, r.dataset()).provider()))) {
      throw Problem.notFound("no application " + id + " that " + caller.account()
          + " may see: one its department made, one for its department's data, or any for"
          + " the data authority");
    }
    return r;
  }

  private RestResponse datasetRequests(RestRequest request) {
    long id = SharingInput.id(request, "id");
    WorldState state = state();
    requireProviderOrAuthority(state, request.requireCaller(), id);
    SharingInput.Paging paging = SharingInput.Paging.of(request);
    return RestResponse.ok(page(DataSharing.requestsOfDataset(state, id, paging.offset(),
        paging.count()), paging, r -> requestJson(state, r)));
  }

  private RestResponse grants(RestRequest request) {
    long id = SharingInput.id(request, "id");
    WorldState state = state();
    Caller caller = request.requireCaller();
    String department = request.query("department").orElseThrow(() -> Problem.invalidField(
        "department", "name the department whose grants to list"));
    if (!department.equals(DataSharing.departmentOf(state, caller.account()))) {
      requireProviderOrAuthority(state, caller, id);
    }
    ArrayNode items = SharingJson.JSON.createArrayNode();
    for (long grant : DataSharing.grantsOf(state, id, department)) {
      items.add(requestJson(state, grant));
    }
    ObjectNode out = SharingJson.JSON.createObjectNode().put("dataset", id)
        .put("department", department);
    out.set("grants", items);
    return RestResponse.ok(out);
  }

  private RestResponse datasetAudit(RestRequest request) {
    long id = SharingInput.id(request, "id");
    WorldState state = state();
    requireProviderOrAuthority(state, request.requireCaller(), id);
    SharingInput.Paging paging = SharingInput.Paging.of(request);
    return RestResponse.ok(page(DataSharing.auditOfDataset(state, id, paging.offset(),
        paging.count()), paging, e -> SharingJson.entry(DataSharing.auditEntry(state, e))));
  }

  private RestResponse departmentRequests(RestRequest request) {
    String department = request.path("department");
    WorldState state = state();
    requireDepartmentOrAuthority(state, request.requireCaller(), department);
    SharingInput.Paging paging = SharingInput.Paging.of(request);
    return RestResponse.ok(page(DataSharing.requestsOfDepartment(state, department,
        paging.offset(), paging.count()), paging, r -> requestJson(state, r)));
  }

  private RestResponse departmentAudit(RestRequest request) {
    String department = request.path("department");
    WorldState state = state();
    requireDepartmentOrAuthority(state, request.requireCaller(), department);
    SharingInput.Paging paging = SharingInput.Paging.of(request);
    return RestResponse.ok(page(DataSharing.auditOfDepartment(state, department,
        paging.offset(), paging.count()), paging,
        e -> SharingJson.entry(DataSharing.auditEntry(state, e))));
  }

  private RestResponse overdue(RestRequest request) {
    WorldState state = state();
    Caller caller = request.requireCaller();
    if (!DataSharing.isAuthority(state, caller.account())) {
      throw Problem.forbidden(caller.account() + " is not the data authority (chain role "
          + "sharing.authority): only it sees every department's overdue applications");
    }
    ArrayNode items = SharingJson.JSON.createArrayNode();
    for (long id : DataSharing.overdueRequests(state, now())) {
      items.add(requestJson(state, id));
    }
    ObjectNode out = SharingJson.JSON.createObjectNode().put("now", now());
    out.set("items", items);
    return RestResponse.ok(out);
  }

  private RestResponse entry(RestRequest request) {
    long id = SharingInput.id(request, "id");
    return RestResponse.ok(SharingJson.entry(visibleEntry(state(), request.requireCaller(),
        id)));
  }

  private RestResponse transactionEntry(RestRequest request) {
    String hash = request.path("hash");
    if (!hash.matches("0x[0-9a-fA-F]{64}")) {
      throw Problem.invalidField("hash", "must be a transaction hash, 0x and 64 hex digits");
    }
    long id = logs(Hex.decode(hash)).map(DataSharing::accessedEntry).orElse(-1L);
    if (id < 0) {
      throw Problem.notFound("transaction " + hash + " recorded no access attempt, or is not"
          + " in a block yet");
    }
    return RestResponse.ok(SharingJson.entry(visibleEntry(state(), request.requireCaller(),
        id)));
  }

  /** Audit entry {@code id} if the caller is its department, its provider or the authority. */
  DataSharing.AuditEntry visibleEntry(WorldState state, Caller caller, long id) {
    DataSharing.AuditEntry entry = DataSharing.auditEntry(state, id);
    String department = DataSharing.departmentOf(state, caller.account());
    if (entry == null || !DataSharing.isAuthority(state, caller.account()) && (department == null
        || !department.equals(entry.department())
        && !department.equals(DataSharing.dataset(state, entry.dataset()).provider()))) {
      throw Problem.notFound("no audit entry " + id + " that " + caller.account() + " may see:"
          + " its department's attempts, attempts on its department's data, or any for the"
          + " data authority");
    }
    return entry;
  }

  private void requireProviderOrAuthority(WorldState state, Caller caller, long dataset) {
    DataSharing.Dataset d = DataSharing.dataset(state, dataset);
    if (d == null) {
      throw Problem.notFound("no data set " + dataset + " in the catalogue");
    }
    if (!d.provider().equals(DataSharing.departmentOf(state, caller.account()))
        && !DataSharing.isAuthority(state, caller.account())) {
      throw Problem.forbidden(caller.account() + " acts neither for " + d.provider()
          + ", the provider of data set " + dataset + ", nor as the data authority");
    }
  }

  private void requireDepartmentOrAuthority(WorldState state, Caller caller, String name) {
    if (!name.equals(DataSharing.departmentOf(state, caller.account()))
        && !DataSharing.isAuthority(state, caller.account())) {
      throw Problem.forbidden(caller.account() + " acts neither for " + name + " nor as the"
          + " data authority");
    }
  }

  private static ObjectNode page(DataSharing.Page page, SharingInput.Paging paging,
      LongFunction<ObjectNode> item) {
    ObjectNode out = SharingJson.JSON.createObjectNode().put("total", page.total())
        .put("offset", paging.offset());
    ArrayNode items = out.putArray("items");
    page.ids().forEach(id -> items.add(item.apply(id)));
    return out;
  }

  // ---- the chain -----------------------------------------------------------------------------

  ServiceContext context() {
    return context;
  }

  WorldState state() {
    return context.chain().stateAt(context.chain().head());
  }

  long now() {
    return context.chain().head().timestamp();
  }

  private static ObjectNode json() {
    return SharingJson.JSON.createObjectNode();
  }
}
