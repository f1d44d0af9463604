package io.chorus.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.OpenApiParts;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.RestService;
import io.chorus.rpc.rest.Route;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The REST service every node runs, {@code /api/v1/chain}: send a transaction as the caller
 * (signed by the node's keystore, or by the client) and look one up. What the industry
 * services do with their own routes, in its plainest form.
 */
public final class ChainService implements RestService {
  /** The role that may send transactions. */
  public static final String SENDER_ROLE = "chain.sender";
  static final String TRANSACTIONS = "/api/v1/chain/transactions";
  static final String TRANSACTION = "/api/v1/chain/transactions/{hash}";
  static final String CALLER = "/api/v1/chain/caller";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ServiceContext context;

  public ChainService(ServiceContext context) {
    this.context = context;
  }

  @Override
  public String name() {
    return "chain";
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.post(TRANSACTIONS, SENDER_ROLE, this::send),
        Route.get(TRANSACTION, this::lookUp), Route.get(CALLER, this::caller));
  }

  private RestResponse send(RestRequest request) {
    RestRequest.Fields fields = request.fields();
    Optional<byte[]> raw = fields.optionalHex("raw", -1);
    Optional<byte[]> to = fields.optionalHex("to", Address.BYTES);
    Optional<byte[]> data = fields.optionalHex("data", -1);
    boolean wait = fields.optionalBoolean("wait").orElse(false);
    if (raw.isPresent() && (to.isPresent() || data.isPresent())) {
      fields.bad("raw", "send either raw (a transaction you signed) or to and data (for the"
          + " node to sign), not both");
    }
    fields.check();
    Caller caller = request.requireCaller();
    TransactionSubmitter submitter = context.submitter();
    TransactionSubmitter.Submitted sent = raw.isPresent()
        ? submitter.submitRaw(caller, raw.get())
        : submitter.submit(caller, to.map(Address::of).orElse(null),
            data.orElse(new byte[0]));
    ObjectNode out = NODES.objectNode().put("hash", sent.hashHex())
        .put("from", Hex.encode0x(sent.sender().toArray())).put("nonce", sent.nonce());
    Optional<TransactionSubmitter.Included> included = submitter.awaitIfAsked(sent, wait);
    if (included.isEmpty()) {
      out.put("status", "pending");
      return new RestResponse(202, out, Map.of("Location",
          TRANSACTIONS + "/" + sent.hashHex()));
    }
    put(out, included.get());
    return RestResponse.created(TRANSACTIONS + "/" + sent.hashHex(), out);
  }

  private RestResponse lookUp(RestRequest request) {
    String text = request.path("hash");
    if (!text.matches("0x[0-9a-fA-F]{64}")) {
      throw Problem.invalidField("hash", "must be 0x and 64 hex digits, not '" + text + "'");
    }
    byte[] hash = Hex.decode(text);
    ObjectNode out = NODES.objectNode().put("hash", Hex.encode0x(hash));
    Optional<TransactionSubmitter.Included> included = context.submitter().committed(hash);
    if (included.isPresent()) {
      put(out, included.get());
      return RestResponse.ok(out);
    }
    TxPool.Pooled pending = context.chain().pool().get(hash);
    if (pending == null) {
      throw Problem.notFound("no transaction " + Hex.encode0x(hash) + " in the pool or the"
          + " chain");
    }
    out.put("status", "pending").put("from", Hex.encode0x(pending.sender().toArray()));
    return RestResponse.ok(out);
  }

  /** Who the request's token says the caller is: how a page checks a login. */
  private RestResponse caller(RestRequest request) {
    Caller caller = request.caller().orElseThrow(() -> Problem.unauthorized(
        "send 'Authorization: Bearer <token>' to learn whom it names", false));
    ObjectNode out = NODES.objectNode().put("account", caller.account().toString())
        .put("credential", caller.credential());
    caller.roles().stream().sorted().forEach(out.putArray("roles")::add);
    return RestResponse.ok(out);
  }

  private static void put(ObjectNode out, TransactionSubmitter.Included included) {
    out.put("status", included.success() ? "committed" : "reverted")
        .put("blockNumber", included.blockNumber())
        .put("blockHash", Hex.encode0x(included.blockHash()))
        .put("index", included.index())
        .put("gasUsed", included.gasUsed());
  }

  @Override
  public ObjectNode openApi() {
    ObjectNode doc = NODES.objectNode();
    ObjectNode paths = doc.putObject("paths");
    ObjectNode send = paths.putObject(TRANSACTIONS).putObject("post")
        .put("operationId", "chainSendTransaction")
        .put("summary", "Send a transaction as the caller's account")
        .put("description", "With to and data, the node signs with the account's key from its"
            + " keystore; with raw, the client signed it and its sender must be the token's"
            + " account. wait: true waits up to 30 s for the block that holds it.");
    send.putObject("requestBody").put("required", true).putObject("content")
        .putObject("application/json").putObject("schema")
        .put("$ref", "#/components/schemas/ChainTransactionRequest");
    ObjectNode sendResponses = send.putObject("responses");
    sendResponses.set("201", result("In a committed block (wait: true)"));
    sendResponses.set("202", result("In the pool"));
    // 409: the node holds no unlocked key for the account; 422: the call would fail, or the
    // pool refused the transaction (its reason in 'reason').
    OpenApiParts.problem(sendResponses, "409");
    OpenApiParts.problem(sendResponses, "422");
    ObjectNode get = paths.putObject(TRANSACTION).putObject("get")
        .put("operationId", "chainGetTransaction").put("summary", "A transaction's status");
    get.putArray("parameters").addObject().put("name", "hash").put("in", "path")
        .put("required", true).putObject("schema").put("type", "string")
        .put("pattern", "^0x[0-9a-fA-F]{64}$");
    get.putObject("responses").set("200", result("Pending, committed or reverted"));
    ObjectNode who = paths.putObject(CALLER).putObject("get")
        .put("operationId", "chainCaller")
        .put("summary", "The account and roles the request's API token names");
    ObjectNode whoResponses = who.putObject("responses");
    whoResponses.putObject("200").put("description", "The caller").putObject("content")
        .putObject("application/json").putObject("schema")
        .put("$ref", "#/components/schemas/ChainCaller");
    OpenApiParts.problem(whoResponses, "401");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    ObjectNode input = schemas.putObject("ChainTransactionRequest").put("type", "object")
        .put("additionalProperties", false);
    ObjectNode props = input.putObject("properties");
    props.putObject("to").put("type", "string").put("pattern", "^0x[0-9a-fA-F]{40}$");
    props.putObject("data").put("type", "string").put("pattern", "^0x([0-9a-fA-F]{2})*$");
    props.putObject("raw").put("type", "string").put("pattern", "^0x([0-9a-fA-F]{2})*$");
    props.putObject("wait").put("type", "boolean");
    ObjectNode callerSchema = schemas.putObject("ChainCaller").put("type", "object");
    callerSchema.putArray("required").add("account").add("roles").add("credential");
    ObjectNode callerFields = callerSchema.putObject("properties");
    callerFields.putObject("account").put("type", "string");
    callerFields.putObject("credential").put("type", "string");
    callerFields.putObject("roles").put("type", "array").putObject("items")
        .put("type", "string");
    ObjectNode status = schemas.putObject("ChainTransactionStatus").put("type", "object");
    status.putArray("required").add("hash").add("status");
    ObjectNode fields = status.putObject("properties");
    fields.putObject("hash").put("type", "string");
    fields.putObject("status").put("type", "string").putArray("enum").add("pending")
        .add("committed").add("reverted");
    fields.putObject("from").put("type", "string");
    fields.putObject("nonce").put("type", "integer");
    fields.putObject("blockNumber").put("type", "integer");
    fields.putObject("blockHash").put("type", "string");
    fields.putObject("index").put("type", "integer");
    fields.putObject("gasUsed").put("type", "integer");
    return doc;
  }

  private static ObjectNode result(String description) {
    ObjectNode response = NODES.objectNode().put("description", description);
    response.putObject("content").putObject("application/json").putObject("schema")
        .put("$ref", "#/components/schemas/ChainTransactionStatus");
    return response;
  }
}
