package io.chorus.explorer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.abi.Values;
import io.chorus.evm.Address;
import io.chorus.rpc.rest.OpenApiParts;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.RestService;
import io.chorus.rpc.rest.Route;
import java.util.List;
import java.util.Optional;

/**
 * The contract registry's REST service, {@code /api/v1/contracts}: anyone reads a contract's
 * name and ABI; a caller with {@value #WRITER_ROLE} names a contract and gives its ABI, which
 * the decoder then uses for its calls, logs and custom errors.
 */
public final class ContractsService implements RestService {
  /** The role that may name a contract and upload its ABI. */
  public static final String WRITER_ROLE = "contracts.writer";
  /** The most entries one list answers. */
  static final int LIST_MAX = 200;

  static final String CONTRACTS = "/api/v1/contracts";
  static final String CONTRACT = CONTRACTS + "/{address}";

  private final ContractRegistry registry;

  public ContractsService(ContractRegistry registry) {
    this.registry = registry;
  }

  @Override
  public String name() {
    return "contracts";
  }

  @Override
  public List<Route> routes() {
    return List.of(Route.put(CONTRACT, WRITER_ROLE, this::upload),
        Route.get(CONTRACT, this::contract),
        Route.get(CONTRACTS, this::list));
  }

  private RestResponse upload(RestRequest request) {
    Address address = address(request);
    RestRequest.Fields fields = request.fields();
    String name = fields.text("name").strip();
    Optional<JsonNode> abi = fields.optionalJson("abi");
    if (!name.isEmpty() && !ContractRegistry.isValidName(name)) {
      fields.bad("name", "must be 1 to " + ContractRegistry.NAME_CHARS_MAX
          + " characters without control characters or surrounding spaces");
    }
    List<Problem.FieldError> abiErrors = AbiValidation.check(abi.orElse(null), "/abi");
    for (Problem.FieldError error : abiErrors) {
      fields.bad(error.field().substring(1), error.detail());
    }
    fields.check();
    boolean replacing = registry.get(address).isPresent();
    ContractRegistry.Entry entry;
    try {
      entry = registry.put(address, name, abi.orElseThrow(), request.requireCaller().account());
    } catch (ContractRegistry.Conflict e) {
      throw new Problem(409, "contract-conflict", "The contract cannot take this name or ABI",
          e.getMessage());
    }
    ObjectNode body = json(entry, true);
    return replacing ? RestResponse.ok(body)
        : RestResponse.created(CONTRACTS + "/" + entry.address(), body);
  }

  private RestResponse contract(RestRequest request) {
    Address address = address(request);
    return RestResponse.ok(json(registry.get(address).orElseThrow(() -> Problem.notFound(
        "the node has no name or ABI for " + address + "; upload one with PUT " + CONTRACTS
            + "/" + address)), true));
  }

  private RestResponse list(RestRequest request) {
    String prefix = request.query("name").orElse("");
    ObjectNode out = Values.NODES.objectNode();
    ArrayNode contracts = out.putArray("contracts");
    registry.byNamePrefix(prefix, LIST_MAX).forEach(e -> contracts.add(json(e, false)));
    return RestResponse.ok(out);
  }

  private static Address address(RestRequest request) {
    String text = request.path("address");
    if (!text.matches("0x[0-9a-fA-F]{40}")) {
      throw Problem.invalidField("address", "must be 0x and 40 hex digits, not '"
          + (text.length() > 50 ? text.substring(0, 50) + "…" : text) + "'");
    }
    return Address.parse(text);
  }

  private static ObjectNode json(ContractRegistry.Entry entry, boolean withAbi) {
    ObjectNode out = Values.NODES.objectNode()
        .put("address", Values.checksummed(entry.address().toArray()))
        .put("name", entry.name())
        .put("source", entry.source().label());
    entry.uploadedBy().ifPresent(a -> out.put("uploadedBy",
        Values.checksummed(a.toArray())));
    entry.uploadedAt().ifPresent(t -> out.put("uploadedAt", t.toString()));
    if (withAbi) {
      out.set("abi", entry.abi());
    }
    return out;
  }

  @Override
  public ObjectNode openApi() {
    ObjectNode doc = Values.NODES.objectNode();
    ObjectNode paths = doc.putObject("paths");
    ObjectNode one = paths.putObject(CONTRACT);
    ObjectNode put = one.putObject("put").put("operationId", "contractsUpload")
        .put("summary", "Name a contract and upload its ABI")
        .put("description", "The decoder (chorus_decodeTransaction) then reads the contract's"
            + " calls, logs and custom errors by this ABI. Replaces an earlier upload for the"
            + " address (200); a new one is 201. A name belongs to one address (compared"
            + " without case) and a system contract's entry is built in: either is 409.");
    addressParameter(put);
    put.putObject("requestBody").put("required", true).putObject("content")
        .putObject("application/json").putObject("schema")
        .put("$ref", "#/components/schemas/ContractsUploadRequest");
    ObjectNode putResponses = put.putObject("responses");
    putResponses.set("200", entryResponse("Replaced"));
    putResponses.set("201", entryResponse("Registered"));
    OpenApiParts.problem(putResponses, "409");
    ObjectNode get = one.putObject("get").put("operationId", "contractsGet")
        .put("summary", "A contract's name and ABI");
    addressParameter(get);
    get.putObject("responses").set("200", entryResponse("The contract"));
    ObjectNode list = paths.putObject(CONTRACTS).putObject("get")
        .put("operationId", "contractsList")
        .put("summary", "Registered contracts, by name (at most " + LIST_MAX + ")");
    list.putArray("parameters").addObject().put("name", "name").put("in", "query")
        .put("description", "a case-insensitive prefix of the name")
        .putObject("schema").put("type", "string");
    ObjectNode listSchema = list.putObject("responses").putObject("200")
        .put("description", "The contracts, without their ABIs").putObject("content")
        .putObject("application/json").putObject("schema").put("type", "object");
    listSchema.putObject("properties").putObject("contracts").put("type", "array")
        .putObject("items").put("$ref", "#/components/schemas/ContractsEntry");
    schemas(doc.putObject("components").putObject("schemas"));
    return doc;
  }

  private static void addressParameter(ObjectNode operation) {
    operation.putArray("parameters").addObject().put("name", "address").put("in", "path")
        .put("required", true).putObject("schema").put("type", "string")
        .put("pattern", "^0x[0-9a-fA-F]{40}$");
  }

  private static ObjectNode entryResponse(String description) {
    ObjectNode response = Values.NODES.objectNode().put("description", description);
    response.putObject("content").putObject("application/json").putObject("schema")
        .put("$ref", "#/components/schemas/ContractsEntry");
    return response;
  }

  private static void schemas(ObjectNode schemas) {
    ObjectNode upload = schemas.putObject("ContractsUploadRequest").put("type", "object")
        .put("additionalProperties", false);
    upload.putArray("required").add("name").add("abi");
    ObjectNode props = upload.putObject("properties");
    props.putObject("name").put("type", "string").put("minLength", 1)
        .put("maxLength", ContractRegistry.NAME_CHARS_MAX);
    props.putObject("abi").put("type", "array").put("description", "the JSON ABI, as solc"
        + " or hardhat writes it").put("maxItems", AbiValidation.ENTRIES_MAX)
        .putObject("items").put("type", "object");
    ObjectNode entry = schemas.putObject("ContractsEntry").put("type", "object");
    entry.putArray("required").add("address").add("name").add("source");
    ObjectNode fields = entry.putObject("properties");
    fields.putObject("address").put("type", "string");
    fields.putObject("name").put("type", "string");
    fields.putObject("source").put("type", "string").putArray("enum").add("system")
        .add("uploaded");
    fields.putObject("uploadedBy").put("type", "string");
    fields.putObject("uploadedAt").put("type", "string").put("format", "date-time");
    fields.putObject("abi").put("type", "array").putObject("items").put("type", "object");
  }
}
