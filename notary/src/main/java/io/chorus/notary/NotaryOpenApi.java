package io.chorus.notary;

import static io.chorus.rpc.rest.OpenApiParts.SCHEMAS;
import static io.chorus.rpc.rest.OpenApiParts.json;
import static io.chorus.rpc.rest.OpenApiParts.jsonBody;
import static io.chorus.rpc.rest.OpenApiParts.operation;
import static io.chorus.rpc.rest.OpenApiParts.problem;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.proof.ProofBundle;
import io.chorus.service.RecordHistory;
import io.chorus.state.system.Notary;

/**
 * The OpenAPI fragment of {@link NotaryService}: one operation per route, with the request
 * and answer schemas (components named {@code Notary…}). The node adds the bearer security
 * and the problem responses every operation shares; this adds the ones particular to each.
 */
final class NotaryOpenApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String HASH_PATTERN = "^0x[0-9a-fA-F]{64}$";
  private static final String WAIT = "wait: true waits up to 30 s for the block: 201 with the"
      + " result; otherwise (or when the block is late) 202 with the transaction hash.";

  private NotaryOpenApi() {}

  static ObjectNode fragment() {
    ObjectNode doc = NODES.objectNode();
    ObjectNode paths = doc.putObject("paths");
    writes(paths);
    reads(paths);
    schemas(doc.putObject("components").putObject("schemas"));
    return doc;
  }

  private static void writes(ObjectNode paths) {
    ObjectNode notarize = operation(paths, NotaryService.RECORDS, "post", "notaryNotarize",
        "Deposit a content hash as a record",
        "Signed as the token's account (Notarize). id defaults to ALG:HEX of the hash; the"
            + " algorithm to sm3 on sm chains, else sha256; the type to evidence; metadata is a"
            + " JSON object of at most " + Notary.METADATA_BYTES_MAX + " bytes. " + WAIT);
    jsonBody(notarize, "NotaryRecordRequest");
    written(notarize, "NotaryRecord", "The record, final in its block");

    ObjectNode file = operation(paths, NotaryService.FILES, "post", "notaryNotarizeFile",
        "Hash an uploaded file and deposit the hash",
        "The node hashes the file part in memory and discards it (never stored or logged);"
            + " the record's metadata holds the file's name and size, and the title. Then as"
            + " POST /records.");
    file.putObject("requestBody").put("required", true).putObject("content")
        .putObject("multipart/form-data").putObject("schema")
        .put("$ref", SCHEMAS + "NotaryFileUpload");
    written(file, "NotaryRecord", "The record, final in its block");

    ObjectNode batch = operation(paths, NotaryService.RECORDS_BATCH, "post",
        "notaryEvidenceBatch", "Deposit up to " + Notary.EVIDENCE_BATCH_MAX + " records at once",
        "CMEVI's EvidenceBatch: all or none; the algorithm is unspecified and the type"
            + " evidence. " + WAIT);
    jsonBody(batch, "NotaryEvidenceBatchRequest");
    written(batch, "NotaryRecords", "The records, final in their block");

    ObjectNode update = operation(paths, NotaryService.RECORD, "put", "notaryUpdate",
        "Add a version to a record (its depositor only)",
        "Update, or without an algorithm UpdateEvidence (keeps the current version's). "
            + WAIT);
    jsonBody(update, "NotaryUpdateRequest");
    written(update, "NotaryRecord", "The new version, final in its block");

    ObjectNode attest = operation(paths, NotaryService.ATTESTATIONS, "post", "notaryAttest",
        "Attest a version as a co-signer of its record type",
        "Attest (the current version) or, with version, AttestVersion. Send {} for the"
            + " current one. " + WAIT);
    jsonBody(attest, "NotaryAttestRequest");
    written(attest, "NotaryRecord", "The version with its attestations, final in its block");

    ObjectNode anchor = operation(paths, NotaryService.BATCHES, "post", "notaryAnchorBatch",
        "Anchor up to " + NotaryService.DIGESTS_MAX + " digests under one Merkle root",
        "The node builds the batch tree (RFC 6962 over the chain's hash) and sends"
            + " AnchorBatch(root, count, metadata). With wait, the answer holds one proof"
            + " bundle per digest, in order: the BatchAnchored log and the digest's path."
            + " Nothing is kept: the digests come from the request. " + WAIT);
    jsonBody(anchor, "NotaryAnchorRequest");
    written(anchor, "NotaryAnchored", "The batch, final in its block, with a proof per digest");

    ObjectNode verify = operation(paths, NotaryService.VERIFY, "post", "notaryVerify",
        "Check a proof bundle against this node's genesis",
        "A convenience: 'chorus notary verify' checks the same offline, trusting only the"
            + " genesis file. 422 with proven: false and the failed step when it does not hold.");
    jsonBody(verify, "NotaryVerifyRequest");
    ObjectNode verifyResponses = verify.putObject("responses");
    verifyResponses.set("200", json("What the proof shows", "NotaryVerified"));
    problem(verifyResponses, "422");
  }

  private static void reads(ObjectNode paths) {
    ObjectNode record = operation(paths, NotaryService.RECORD, "get", "notaryGetRecord",
        "A record's current version", null);
    record.putObject("responses").set("200", json("The current version", "NotaryRecord"));
    RecordHistory.openApi(paths, NotaryService.HISTORY, "notaryRecordHistory",
        "a record (its latest version after each new version or attestation)", "NotaryRecord");
    pathParameter(paths, NotaryService.RECORD, "id", idSchema());

    ObjectNode versions = operation(paths, NotaryService.VERSIONS, "get",
        "notaryGetVersions", "A page of a record's versions, oldest first", null);
    ArrayNode query = versions.putArray("parameters");
    query(query, "from", "The first version of the page (default 1)", 1);
    query(query, "count", "How many versions (default and at most " + Notary.HISTORY_PAGE_MAX
        + ")", 1).put("maximum", Notary.HISTORY_PAGE_MAX);
    versions.putObject("responses").set("200", json("The page", "NotaryVersions"));
    pathParameter(paths, NotaryService.VERSIONS, "id", idSchema());

    ObjectNode version = operation(paths, NotaryService.VERSION, "get", "notaryGetVersion",
        "One version of a record", null);
    version.putObject("responses").set("200", json("The version", "NotaryRecord"));
    pathParameter(paths, NotaryService.VERSION, "id", idSchema());
    pathParameter(paths, NotaryService.VERSION, "version",
        NODES.objectNode().put("type", "integer").put("minimum", 1));

    ObjectNode byHash = operation(paths, NotaryService.BY_HASH, "get", "notaryFindByHash",
        "The version that holds a content hash", null);
    byHash.putObject("responses").set("200", json("The version", "NotaryRecord"));
    pathParameter(paths, NotaryService.BY_HASH, "hash", hashSchema());

    ObjectNode proof = operation(paths, NotaryService.PROOF, "get", "notaryGetProof",
        "The proof bundle of a version's Recorded event",
        "A chorus-proof/1 log bundle (docs/proofs.md) that 'chorus notary verify' checks"
            + " offline. 409 on a chain whose blocks carry no commit certificate (a dev chain).");
    versionQuery(proof);
    ObjectNode proofResponses = proof.putObject("responses");
    proofResponses.set("200", json("The bundle", "NotaryProofBundle"));
    problem(proofResponses, "409");
    pathParameter(paths, NotaryService.PROOF, "id", idSchema());

    ObjectNode certificate = operation(paths, NotaryService.CERTIFICATE, "get",
        "notaryGetCertificate", "A version's certificate (PDF)",
        "One A4 page in Chinese and English, a QR code linking to the record on this node"
            + " (by the request's Host), and the proof bundle embedded as proof.json for"
            + " offline checks. 503 when the node has no CJK font installed.");
    versionQuery(certificate);
    ObjectNode pdf = certificate.putObject("responses").putObject("200")
        .put("description", "The certificate");
    pdf.putObject("content").putObject("application/pdf").putObject("schema")
        .put("type", "string").put("format", "binary");
    problem((ObjectNode) certificate.get("responses"), "409");
    problem((ObjectNode) certificate.get("responses"), "503");
    pathParameter(paths, NotaryService.CERTIFICATE, "id", idSchema());

    ObjectNode batch = operation(paths, NotaryService.BATCH, "get", "notaryGetBatch",
        "An anchored batch", null);
    batch.putObject("responses").set("200", json("The batch", "NotaryBatch"));
    pathParameter(paths, NotaryService.BATCH, "number",
        NODES.objectNode().put("type", "integer").put("minimum", 1));
  }

  private static void schemas(ObjectNode schemas) {
    ObjectNode request = strict(schemas, "NotaryRecordRequest", "hash");
    ObjectNode p = request.putObject("properties");
    p.set("id", idSchema());
    p.set("hash", hashSchema());
    p.set("algorithm", algorithmSchema());
    p.set("type", typeSchema());
    p.set("metadata", metadataSchema());
    p.putObject("wait").put("type", "boolean");

    ObjectNode upload = schemas.putObject("NotaryFileUpload").put("type", "object");
    upload.putArray("required").add("file");
    p = upload.putObject("properties");
    p.putObject("file").put("type", "string").put("format", "binary")
        .put("description", "The file; hashed, then discarded");
    p.set("id", idSchema());
    p.set("type", typeSchema());
    p.putObject("title").put("type", "string").put("description", "Kept in the metadata");
    p.set("algorithm", algorithmSchema());
    p.putObject("wait").put("type", "string").putArray("enum").add("true").add("false");

    ObjectNode batch = strict(schemas, "NotaryEvidenceBatchRequest", "records");
    p = batch.putObject("properties");
    ObjectNode item = p.putObject("records").put("type", "array").put("minItems", 1)
        .put("maxItems", Notary.EVIDENCE_BATCH_MAX).putObject("items").put("type", "object")
        .put("additionalProperties", false);
    item.putArray("required").add("id").add("hash");
    ObjectNode itemProperties = item.putObject("properties");
    itemProperties.set("id", idSchema());
    itemProperties.set("hash", hashSchema());
    itemProperties.set("metadata", metadataSchema());
    p.putObject("wait").put("type", "boolean");

    ObjectNode update = strict(schemas, "NotaryUpdateRequest", "hash");
    p = update.putObject("properties");
    p.set("hash", hashSchema());
    p.set("algorithm", algorithmSchema());
    p.set("metadata", metadataSchema());
    p.putObject("wait").put("type", "boolean");

    ObjectNode attest = schemas.putObject("NotaryAttestRequest").put("type", "object")
        .put("additionalProperties", false);
    p = attest.putObject("properties");
    p.putObject("version").put("type", "integer").put("minimum", 1)
        .put("description", "The version checked (default: the current one)");
    p.putObject("wait").put("type", "boolean");

    ObjectNode anchor = strict(schemas, "NotaryAnchorRequest", "digests");
    p = anchor.putObject("properties");
    p.putObject("digests").put("type", "array").put("minItems", 1)
        .put("maxItems", NotaryService.DIGESTS_MAX).set("items", hashSchema());
    p.set("metadata", metadataSchema());
    p.putObject("wait").put("type", "boolean");

    ObjectNode verify = strict(schemas, "NotaryVerifyRequest", "bundle");
    p = verify.putObject("properties");
    p.putObject("bundle").put("$ref", SCHEMAS + "NotaryProofBundle");
    p.set("digest", hashSchema().put("description", "The digest the bundle must prove"));

    results(schemas);
  }

  private static void results(ObjectNode schemas) {
    ObjectNode record = schemas.putObject("NotaryRecord").put("type", "object");
    record.putArray("required").add("id").add("version").add("hash").add("txHash");
    ObjectNode p = record.putObject("properties");
    p.putObject("id").put("type", "string");
    p.putObject("version").put("type", "integer");
    p.putObject("algorithm").put("type", "string").putArray("enum").add("unspecified")
        .add("sm3").add("sha256").add("keccak256");
    p.set("hash", hashSchema());
    p.putObject("type").put("type", "string");
    p.putObject("metadata").put("description", "The stored metadata: JSON as deposited, or a"
        + " string when it is not JSON");
    p.putObject("depositor").put("type", "string");
    p.set("txHash", hashSchema());
    p.putObject("blockNumber").put("type", "integer");
    p.putObject("timestamp").put("type", "integer").put("description", "Unix seconds");
    p.putObject("time").put("type", "string").put("description", "ISO-8601, UTC");
    p.putObject("cosigners").put("type", "array").putObject("items").put("type", "string");
    p.putObject("attested").put("type", "boolean");
    p.putObject("links").put("type", "object").putObject("additionalProperties")
        .put("type", "string");

    schemas.putObject("NotaryRecords").put("type", "object").putObject("properties")
        .putObject("records").put("type", "array").putObject("items")
        .put("$ref", SCHEMAS + "NotaryRecord");

    ObjectNode versions = schemas.putObject("NotaryVersions").put("type", "object");
    p = versions.putObject("properties");
    p.putObject("id").put("type", "string");
    p.putObject("versions").put("type", "integer").put("description", "How many it has");
    p.putObject("from").put("type", "integer");
    p.putObject("records").put("type", "array").putObject("items")
        .put("$ref", SCHEMAS + "NotaryRecord");
    p.putObject("next").put("type", "string").put("description", "The next page, if any");

    ObjectNode pending = schemas.putObject("NotaryPending").put("type", "object");
    pending.putArray("required").add("status").add("txHash");
    p = pending.putObject("properties");
    p.putObject("status").put("type", "string").putArray("enum").add("pending");
    p.set("txHash", hashSchema());
    p.putObject("id").put("type", "string");
    p.putObject("ids").put("type", "array").putObject("items").put("type", "string");
    p.putObject("version").put("type", "integer");
    p.set("root", hashSchema());
    p.putObject("count").put("type", "integer");
    p.putObject("links").put("type", "object").putObject("additionalProperties")
        .put("type", "string");

    ObjectNode batch = schemas.putObject("NotaryBatch").put("type", "object");
    p = batch.putObject("properties");
    p.putObject("number").put("type", "integer");
    p.set("root", hashSchema());
    p.putObject("count").put("type", "integer");
    p.putObject("metadata");
    p.putObject("depositor").put("type", "string");
    p.set("txHash", hashSchema());
    p.putObject("blockNumber").put("type", "integer");
    p.putObject("timestamp").put("type", "integer");
    p.putObject("time").put("type", "string");

    ObjectNode anchored = schemas.putObject("NotaryAnchored");
    ArrayNode all = anchored.putArray("allOf");
    all.addObject().put("$ref", SCHEMAS + "NotaryBatch");
    p = all.addObject().put("type", "object").putObject("properties");
    block(p.putObject("block"));
    p.putObject("proofs").put("type", "array")
        .put("description", "One bundle per digest, in order; absent on a chain whose blocks"
            + " carry no commit certificate")
        .putObject("items").put("$ref", SCHEMAS + "NotaryProofBundle");

    ObjectNode bundle = schemas.putObject("NotaryProofBundle").put("type", "object")
        .put("description", "A proof bundle, format " + ProofBundle.FORMAT + " (docs/proofs.md)");
    bundle.putArray("required").add("format").add("kind").add("chain").add("block");
    bundle.putObject("properties").putObject("format").put("type", "string")
        .put("const", ProofBundle.FORMAT);

    ObjectNode verified = schemas.putObject("NotaryVerified").put("type", "object");
    verified.putArray("required").add("proven").add("how").add("digest");
    p = verified.putObject("properties");
    p.putObject("proven").put("type", "boolean").put("const", true);
    p.putObject("how").put("type", "string").putArray("enum").add("record").add("batch");
    p.set("digest", hashSchema());
    p.putObject("record").put("type", "object")
        .put("description", "id, version, algorithm, type, metadata (how: record)");
    p.putObject("batch").put("type", "object")
        .put("description", "number, index, count, metadata (how: batch)");
    p.putObject("depositor").put("type", "string");
    block(p.putObject("block"));
    p.putObject("timestamp").put("type", "integer");
    p.putObject("time").put("type", "string");
    p.set("txHash", hashSchema());
    p.putObject("chain").put("type", "object")
        .put("description", "chainId, suite, genesisHash: this node's trust root");
    p.putObject("signers").put("type", "array").put("description", "The validators whose"
        + " seals made the block final").putObject("items").put("type", "string");
  }

  // ---- building blocks -----------------------------------------------------------------------

  // 201 with the result, 202 pending, and what the contract and the submitter refuse.
  private static void written(ObjectNode operation, String schema, String description) {
    ObjectNode responses = operation.putObject("responses");
    responses.set("201", json(description + " (wait: true)", schema));
    responses.set("202", json("In the pool", "NotaryPending"));
    problem(responses, "409"); // the node holds no unlocked key for the token's account
    problem(responses, "422"); // the contract refuses: its revert reason in detail
  }

  private static void pathParameter(ObjectNode paths, String path, String name,
      ObjectNode schema) {
    ObjectNode item = (ObjectNode) paths.get(path);
    ArrayNode parameters = item.has("parameters") ? (ArrayNode) item.get("parameters")
        : item.putArray("parameters");
    parameters.addObject().put("name", name).put("in", "path").put("required", true)
        .set("schema", schema);
  }

  private static ObjectNode query(ArrayNode parameters, String name, String description,
      long minimum) {
    return parameters.addObject().put("name", name).put("in", "query")
        .put("description", description).putObject("schema").put("type", "integer")
        .put("minimum", minimum);
  }

  private static void versionQuery(ObjectNode operation) {
    query(operation.putArray("parameters"), "version", "The version (default: the current"
        + " one)", 1);
  }

  private static ObjectNode strict(ObjectNode schemas, String name, String required) {
    ObjectNode schema = schemas.putObject(name).put("type", "object")
        .put("additionalProperties", false);
    schema.putArray("required").add(required);
    return schema;
  }

  private static void block(ObjectNode block) {
    block.put("type", "object");
    ObjectNode p = block.putObject("properties");
    p.putObject("number").put("type", "integer");
    p.set("hash", hashSchema());
  }

  private static ObjectNode idSchema() {
    return NODES.objectNode().put("type", "string").put("minLength", 1)
        .put("description", "1 to " + Notary.ID_BYTES_MAX + " bytes of UTF-8, no control"
            + " characters; percent-encode it in a path");
  }

  private static ObjectNode hashSchema() {
    return NODES.objectNode().put("type", "string").put("pattern", HASH_PATTERN);
  }

  private static ObjectNode algorithmSchema() {
    ObjectNode schema = NODES.objectNode().put("type", "string");
    schema.putArray("enum").add("sm3").add("sha256").add("keccak256");
    return schema;
  }

  private static ObjectNode typeSchema() {
    return NODES.objectNode().put("type", "string")
        .put("pattern", "^[a-z0-9_-]{1," + Notary.RECORD_TYPE_BYTES_MAX + "}$")
        .put("description", "The record type (default evidence)");
  }

  private static ObjectNode metadataSchema() {
    return NODES.objectNode().put("type", "object").put("description", "At most "
        + Notary.METADATA_BYTES_MAX + " bytes as compact JSON");
  }
}
