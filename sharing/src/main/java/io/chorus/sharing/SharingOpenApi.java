package io.chorus.sharing;

import static io.chorus.rpc.rest.OpenApiParts.operation;
import static io.chorus.rpc.rest.OpenApiParts.problem;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.proof.ProofBundle;
import io.chorus.service.RecordHistory;
import java.util.List;

/**
 * The OpenAPI fragment of {@link SharingService}: one operation per route. Bodies and answers
 * are described in words (docs/sharing.md has their fields); the node adds the bearer security
 * and the problem responses every operation shares, this the ones particular to each.
 */
final class SharingOpenApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String WRITE = " The node runs the call on the head's state first: what"
      + " the contract would refuse is 422 sharing-refused with its code and rule, and nothing"
      + " is sent. wait: true waits up to 30 s for the block (201), otherwise 202 with the"
      + " transaction hash.";

  private SharingOpenApi() {}

  static ObjectNode fragment() {
    ObjectNode doc = NODES.objectNode();
    ObjectNode paths = doc.putObject("paths");
    write(paths, SharingService.DATASETS, "post", "sharingPublish", "Publish a data set",
        "publish(code, title, fields, sharingClass, updateCycle) by an account of the"
            + " providing department. Body: code, title, fields (names), sharingClass"
            + " (unconditional, conditional, not-shared), updateCycle (realtime, daily, weekly,"
            + " monthly, quarterly, yearly, irregular).");
    write(paths, SharingService.VERSIONS, "post", "sharingUpdate", "Add a version",
        "update(dataset, …) by the provider: title, fields, sharingClass, updateCycle.");
    write(paths, SharingService.REQUESTS, "post", "sharingApply", "Apply for a data set",
        "applyFor by an account of the requesting department. Body: dataset, purpose,"
            + " scenario, fields (names of the latest version), expiresAt (seconds).");
    write(paths, SharingService.CHECK, "post", "sharingCheck", "The authority's check",
        "check(request, pass, reason) by the data authority; a refusal needs its reason.");
    write(paths, SharingService.EXTEND, "post", "sharingExtend", "Extend the answer's"
        + " deadline", "extend(request, reason) by the provider, once.");
    write(paths, SharingService.APPROVE, "post", "sharingApprove", "Approve a conditional"
        + " application", "approve(request, mask) by the provider: fields, a subset of those"
        + " asked for (all of them when absent).");
    write(paths, SharingService.REFUSE, "post", "sharingRefuse", "Refuse an application",
        "refuse(request, reason) by the provider.");
    write(paths, SharingService.REVOKE, "post", "sharingRevoke", "Revoke a grant",
        "revoke(request, reason) by the provider or the authority.");
    ObjectNode put = operation(paths, SharingService.DATA, "put", "sharingPutData", "Put a data set's records in"
        + " this node", "By an account of the provider whose key the node holds: records, an"
        + " array of JSON objects keyed by the latest schema's field names, replacing those"
        + " held. They stay in the node (DIR/sharing/payloads); only hashes of deliveries go on"
        + " chain, recorded as this account. 200 with the count.");
    put.putObject("requestBody").put("required", true).putObject("content")
        .putObject("application/json").putObject("schema").put("type", "object");
    answer(put.putObject("responses"), "200", "The records are held");
    problem((ObjectNode) put.get("responses"), "409");
    get(paths, SharingService.DATA, "sharingFetch", "Fetch a data set under a grant",
        "Query: grant, key (the token account's 64-byte public key, 0x-hex), fields (comma"
            + " separated; the grant's when absent). The node checks canUse on its head, seals"
            + " the granted fields for key (SM2 + SM4-GCM on sm chains, ECIES + AES-256-GCM on"
            + " ethereum ones) and records the attempt with recordAccess: 200 with the envelope,"
            + " its payloadHash and the record's txHash; a denial is recorded too and answered"
            + " 403 access-denied with the outcome's code and rule; a delivery the node fails to"
            + " seal or keep is recorded as 0xc6 failed and answered 500 delivery-failed.",
        "403", "500");
    get(paths, SharingService.DATA_BY_CERTIFICATE, "sharingFetchByCertificate", "Fetch a data"
        + " set with a consortium user certificate", "No API token: the requester's user"
        + " certificate and a signature by its key authenticate the request. Query: grant,"
        + " fields (comma separated; the grant's when absent). Headers: Chorus-Certificate (the"
        + " user certificate then its organisation's CA, base64 DER, comma separated),"
        + " Chorus-Signed-At (milliseconds since the epoch, within 5 minutes of the node's"
        + " clock), Chorus-Nonce (0x and 32 hex digits, once only), Chorus-Signature (0x-hex"
        + " DER, SM3withSM2 on sm chains, SHA256withECDSA on ethereum ones, over the UTF-8"
        + " lines chorus/sharing/fetch/v1, chain id, data set, grant, fields, signed-at,"
        + " nonce). The department is the certificate's organisation (subject O); the"
        + " granted fields are sealed for the certificate's key (SM2 + SM4-GCM, or ECIES on"
        + " P-256 + AES-256-GCM). 400 malformed headers; 401 certificate-refused (a signature"
        + " that does not verify, a stale or replayed request, a chain that is not a"
        + " consortium user's), not recorded; 403 access-denied with the outcome's code"
        + " (0xc5 a revoked certificate), recorded; 500 delivery-failed (0xc6), recorded.",
        "400", "401", "403", "500");
    ArrayNode headers = ((ObjectNode) paths.get(
        SharingService.DATA_BY_CERTIFICATE).get("get")).putArray("parameters");
    for (String header : List.of(CertificateFetch.CERTIFICATE_HEADER,
        CertificateFetch.SIGNED_AT_HEADER, CertificateFetch.NONCE_HEADER,
        CertificateFetch.SIGNATURE_HEADER)) {
      headers.addObject().put("name", header).put("in", "header").put("required", true)
          .putObject("schema").put("type", "string");
    }
    ObjectNode purge = operation(paths, SharingService.ENTRY_PAYLOAD, "delete",
        "sharingPurge", "Purge a delivered payload", "By the provider, with reason as a query"
        + " parameter: the node erases its copy of the envelope and sends recordPurge. 202.");
    purge.putObject("responses").putObject("202").put("description", "The purge was sent");
    problem((ObjectNode) purge.get("responses"), "422");
    get(paths, SharingService.DATASETS, "sharingCatalogue", "The catalogue",
        "Data sets, paged (offset, count); department filters by provider.");
    get(paths, SharingService.DATASET, "sharingDataset", "A data set", "With its latest"
        + " version.");
    RecordHistory.openApi(paths, SharingService.DATASET_HISTORY, "sharingDatasetHistory",
        "a data set (after each version published)", null);
    get(paths, SharingService.VERSION, "sharingVersion", "A version of a data set", null);
    get(paths, SharingService.REQUEST, "sharingRequest", "An application", "To its"
        + " departments and the data authority; to others it does not exist (404).");
    RecordHistory.openApi(paths, SharingService.REQUEST_HISTORY, "sharingRequestHistory",
        "an application and its grant, to whom may see the application", null);
    get(paths, SharingService.DATASET_REQUESTS, "sharingDatasetRequests", "A data set's"
        + " applications", "To its provider and the authority; paged.", "403");
    get(paths, SharingService.DATASET_GRANTS, "sharingGrants", "A department's grants for a"
        + " data set", "Query department; to that department, the provider and the"
        + " authority.", "403");
    get(paths, SharingService.DATASET_AUDIT, "sharingDatasetAudit", "A data set's audit"
        + " trail", "To its provider and the authority; paged without a scan.", "403");
    get(paths, SharingService.DEPARTMENT_REQUESTS, "sharingDepartmentRequests", "A"
        + " department's applications", "With their deadlines; to that department and the"
        + " authority; paged.", "403");
    get(paths, SharingService.DEPARTMENT_AUDIT, "sharingDepartmentAudit", "A department's"
        + " access attempts", "To that department and the authority; paged.", "403");
    get(paths, SharingService.OVERDUE, "sharingOverdue", "Overdue applications", "To the data"
        + " authority only.", "403");
    get(paths, SharingService.ENTRY, "sharingEntry", "An audit entry", "To its department,"
        + " the provider and the authority.");
    get(paths, SharingService.TRANSACTION_ENTRY, "sharingTransactionEntry", "The audit entry"
        + " a transaction recorded", "What a requester checks a delivery's hash against.");
    get(paths, SharingService.ENTRY_PROOF, "sharingEntryProof", "An audit entry's proof"
        + " bundle", "A " + ProofBundle.FORMAT + " log bundle (docs/proofs.md) of the Accessed"
        + " event that recorded the entry: its block, time, data set, department, outcome,"
        + " verdict and payload hash, which chorus verify checks offline against the genesis"
        + " file. To the entry's department, the provider and the authority; to others it does"
        + " not exist (404). 409 when its block is not final by consensus (a dev chain).",
        "409");
    return doc;
  }

  private static void write(ObjectNode paths, String path, String method, String id,
      String summary, String description) {
    ObjectNode op = operation(paths, path, method, id, summary, description + WRITE);
    op.putObject("requestBody").put("required", true).putObject("content")
        .putObject("application/json").putObject("schema").put("type", "object");
    ObjectNode responses = op.putObject("responses");
    answer(responses, "201", "Done, in a block");
    answer(responses, "202", "Sent, pending");
    problem(responses, "422");
  }

  private static void get(ObjectNode paths, String path, String id, String summary,
      String description, String... problems) {
    ObjectNode op = operation(paths, path, "get", id, summary, description);
    ObjectNode responses = op.putObject("responses");
    answer(responses, "200", summary);
    for (String status : problems) {
      problem(responses, status);
    }
  }

  private static void answer(ObjectNode responses, String status, String description) {
    responses.putObject(status).put("description", description).putObject("content")
        .putObject("application/json").putObject("schema").put("type", "object");
  }
}
