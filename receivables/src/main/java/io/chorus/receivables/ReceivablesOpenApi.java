package io.chorus.receivables;

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
import io.chorus.state.system.Permissions;
import io.chorus.state.system.Receivables;

/**
 * The OpenAPI fragment of {@link ReceivablesService}: one operation per route, with the request
 * and answer schemas (components named {@code Receivable…}). The node adds the bearer security
 * and the problem responses every operation shares; this adds the ones particular to each.
 */
final class ReceivablesOpenApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String HASH_PATTERN = "^0x[0-9a-fA-F]{64}$";
  private static final String ACCOUNT_PATTERN = "^0x[0-9a-fA-F]{40}$";
  private static final String WAIT = " The node runs the call first: what the contract would"
      + " refuse is 422 receivable-refused with its code and rule, and nothing is sent. wait:"
      + " true waits up to 30 s for the block: 201 with the piece; otherwise (or when the block"
      + " is late) 202 with the transaction hash.";

  private ReceivablesOpenApi() {}

  static ObjectNode fragment() {
    ObjectNode doc = NODES.objectNode();
    ObjectNode paths = doc.putObject("paths");
    writes(paths);
    confidential(paths);
    reads(paths);
    lists(paths);
    schemas(doc.putObject("components").putObject("schemas"));
    return doc;
  }

  private static void writes(ObjectNode paths) {
    ObjectNode confirm = operation(paths, ReceivablesService.CONFIRMATIONS, "post",
        "receivablesConfirm", "Confirm terms as the obligor (the node signs them)",
        "The token's account is the obligor (a core enterprise with the chain role"
            + " receivables.obligor) and the node holds its key: it signs the terms digest and"
            + " answers the terms with obligorKey and signature, which the supplier sends to"
            + " POST /receivables. Nothing is sent to the chain. With confidential: true the"
            + " node commits the face value under a blinding it draws and signs the"
            + " confidential terms digest (the commitment in place of the amount); the answer"
            + " carries faceCommitment and faceBlinding, which open the amount: keep the"
            + " confirmation as secret as the amount itself.");
    jsonBody(confirm, "ReceivableTermsRequest");
    ObjectNode responses = confirm.putObject("responses");
    responses.set("200", json("The signed terms", "ReceivableConfirmation"));
    problem(responses, "409");

    write(paths, ReceivablesService.RECEIVABLES, "receivablesIssue",
        "Issue a receivable as the supplier",
        "issue(obligor, faceValue, currency, maturity, documents, obligorKey, signature) from"
            + " the token's account; a confirmation's fields are this body. With faceCommitment"
            + " and faceBlinding (a confidential confirmation's), issueConfidential: the node"
            + " checks that they open to faceValue (400 naming faceBlinding otherwise), proves"
            + " the face value and seals its opening for the supplier, the obligor and every"
            + " regulator (422 no-sealing-key for a party that published no key).",
        "ReceivableIssueRequest");
    write(paths, ReceivablesService.SPLIT, "receivablesSplit", "Split value off a piece to"
        + " another account", "transferFrom(id, to, value): a new piece of the receiver, whose"
        + " parent is this one; 201 answers the new piece. Of a confidential piece,"
        + " splitConfidential from the caller's opening: an amount above it is 422 0x52"
        + " insufficient-value before anything is sent; the part is sealed for the receiver,"
        + " the obligor, the regulators and the caller, what is kept for the holder, the"
        + " obligor and the regulators.", "ReceivableSplitRequest");
    write(paths, ReceivablesService.TRANSFER, "receivablesTransfer", "Move a whole piece",
        "transferFrom(holder, to, id): the piece keeps its id. A confidential piece's opening"
            + " is first shared with the receiver (shareOpening, a transaction before the"
            + " transfer).", "ReceivableTransferRequest");
    write(paths, ReceivablesService.OFFER, "receivablesOffer", "Offer a piece to a bank",
        "offerFinancing(id, bank, price) by the holder: the piece is locked until the bank"
            + " accepts or either cancels. Of a confidential piece, offerConfidential: the"
            + " price committed and proven at most the value (else 422 0xac bad-price), value"
            + " and price sealed for the bank, the regulators and the holder.",
        "ReceivableOfferRequest");
    write(paths, ReceivablesService.CANCEL_OFFER, "receivablesCancelOffer",
        "Withdraw (holder) or decline (bank) an open offer", "cancelFinancing(id).",
        "ReceivableWaitRequest");
    write(paths, ReceivablesService.ACCEPT, "receivablesAccept",
        "Accept an offer as the bank", "acceptFinancing(id): financed, the bank its lien"
            + " holder; one financing per piece, ever.", "ReceivableWaitRequest");
    write(paths, ReceivablesService.PAY, "receivablesPay", "Pay a piece as the obligor",
        "pay(id, paymentRef) at or after maturity; the payee is the lien holder of a financed"
            + " piece, else the holder.", "ReceivablePayRequest");
  }

  private static void confidential(ObjectNode paths) {
    ObjectNode publish = operation(paths, ReceivablesService.SEALING_KEY, "put",
        "receivablesPublishSealingKey", "Publish the token's account key for sealed amounts",
        "publishSealingKey(key) with the account's public key from the node's keystore, so"
            + " that confidential amounts can be sealed for it (a regulator's key joins those"
            + " every opening is sealed for). Nothing is sent when that key is published"
            + " already: 200 with status published.");
    jsonBody(publish, "ReceivableWaitRequest");
    ObjectNode responses = publish.putObject("responses");
    responses.set("200", json("Published", "ReceivableSealingKey"));
    responses.set("202", json("In the pool", "ReceivableSealingKey"));
    problem(responses, "409");

    ObjectNode key = operation(paths, ReceivablesService.SEALING_KEYS, "get",
        "receivablesSealingKey", "The sealing key an account published",
        "404 says how the account publishes one.");
    responses = key.putObject("responses");
    responses.set("200", json("The key", "ReceivableSealingKey"));
    problem(responses, "404");

    ObjectNode opening = operation(paths, ReceivablesService.OPENING, "get",
        "receivablesOpening", "The amount of a confidential piece, for a party to it",
        "Role receivables.reader or receivables.writer. The node opens, with the token's"
            + " account key, the latest opening of the piece sealed for it that opens the"
            + " piece's current commitment, and answers the value and blinding (with an"
            + " offer's or financing's price, for whom it was sealed). 403 not-a-party when"
            + " the key opens none, 409 not-confidential for a piece in clear.");
    responses = opening.putObject("responses");
    responses.set("200", json("The opening", "ReceivableOpening"));
    problem(responses, "403");
    problem(responses, "409");
  }

  private static void write(ObjectNode paths, String path, String id, String summary,
      String description, String body) {
    ObjectNode operation = operation(paths, path, "post", id, summary, description + WAIT);
    jsonBody(operation, body);
    ObjectNode responses = operation.putObject("responses");
    responses.set("201", json("The piece after the transaction, with it", "ReceivablePiece"));
    responses.set("202", json("In the pool", "ReceivablePending"));
    problem(responses, "404");
    problem(responses, "409");
    problem(responses, "422");
  }

  private static void reads(ObjectNode paths) {
    ObjectNode digest = operation(paths, ReceivablesService.TERMS_DIGEST, "get",
        "receivablesTermsDigest", "The digest an obligor signs to confirm terms",
        "H(\"" + Receivables.TERMS_DOMAIN + "\" || abi.encode(chainId, 0x…1004, obligor,"
            + " supplier, faceValue, currency, maturity, documents)) in the chain's hash.");
    ArrayNode q = digest.putArray("parameters");
    query(q, "obligor", true, account());
    query(q, "supplier", true, account());
    query(q, "faceValue", true, NODES.objectNode().put("type", "string")
        .put("description", ReceivablesInput.AMOUNT));
    query(q, "currency", true, NODES.objectNode().put("type", "string")
        .put("pattern", "^[A-Z]{3}$"));
    query(q, "maturity", true, NODES.objectNode().put("type", "string")
        .put("description", "Seconds since the epoch, or ISO-8601 with its offset"));
    query(q, "document", true, NODES.objectNode().put("type", "array")
        .set("items", hash())).put("explode", true);
    digest.putObject("responses").set("200", json("The terms and their digest",
        "ReceivableTerms"));

    ObjectNode piece = operation(paths, ReceivablesService.PIECE, "get", "receivablesPiece",
        "A piece: state, terms, offer, financing, court orders, overdue, children, steps",
        null);
    piece.putObject("responses").set("200", json("The piece", "ReceivablePiece"));

    RecordHistory.openApi(paths, ReceivablesService.HISTORY, "receivablesPieceHistory",
        "a piece (its steps left out)", "ReceivablePiece");

    ObjectNode tree = operation(paths, ReceivablesService.TREE, "get", "receivablesTree",
        "The lineage of a piece's receivable: every piece, root first, with parent and depth",
        "The values of the pieces always sum to the face value (sum).");
    tree.putObject("responses").set("200", json("The receivable's pieces", "ReceivableTree"));

    ObjectNode proof = operation(paths, ReceivablesService.PROOF, "get", "receivablesProof",
        "The proof bundle of a step of a piece",
        "A " + ProofBundle.FORMAT + " log bundle (docs/proofs.md) of the step's event, which"
            + " 'chorus verify' checks offline: ?step= issued, split-from, split-to,"
            + " transferred, offered, cancelled, financed or paid (the latest such); without"
            + " it, the latest step. 409 on a chain without commit certificates.");
    query(proof.putArray("parameters"), "step", false, NODES.objectNode().put("type",
        "string"));
    ObjectNode proofResponses = proof.putObject("responses");
    proofResponses.set("200", json("The bundle", "ReceivableProofBundle"));
    problem(proofResponses, "409");

    ObjectNode canTransfer = operation(paths, ReceivablesService.CAN_TRANSFER, "get",
        "receivablesCanTransfer", "Would this split-transfer pass?", "canTransfer(id, to,"
            + " value) as ?from= (default: the token's account), from the contract's own"
            + " checks.");
    q = canTransfer.putArray("parameters");
    query(q, "to", true, account());
    query(q, "value", true, NODES.objectNode().put("type", "string"));
    query(q, "from", false, account());
    canTransfer.putObject("responses").set("200", json("The answer", "ReceivableCheck"));

    ObjectNode canFinance = operation(paths, ReceivablesService.CAN_FINANCE, "get",
        "receivablesCanFinance", "Would this financing step pass?", "canFinance(id, bank) as"
            + " ?from=: asked as the bank, its acceptance; else that account's offer.");
    q = canFinance.putArray("parameters");
    query(q, "bank", true, account());
    query(q, "from", false, account());
    canFinance.putObject("responses").set("200", json("The answer", "ReceivableCheck"));
  }

  private static void lists(ObjectNode paths) {
    list(paths, ReceivablesService.HOLDINGS, "receivablesHoldings",
        "The pieces an account holds (with value; ?all=true for every one)");
    list(paths, ReceivablesService.BOOK, "receivablesBook",
        "The pieces a bank financed, with price and discount, and totals per currency");
    list(paths, ReceivablesService.OVERDUE, "receivablesOverdue",
        "The overdue pieces of an obligor's receivables (a page of receivables at a time)");
  }

  private static void list(ObjectNode paths, String path, String id, String summary) {
    ObjectNode operation = operation(paths, path, "get", id, summary, "Shown to the account"
        + " itself, or to an account with the chain role " + Permissions.RECEIVABLES_REGULATOR
        + " (granted by governance); read from the node's index of committed blocks.");
    ArrayNode q = operation.putArray("parameters");
    query(q, "after", false, NODES.objectNode().put("type", "integer").put("minimum", 0));
    query(q, "limit", false, NODES.objectNode().put("type", "integer").put("minimum", 1)
        .put("maximum", ReceivableViews.PAGE_MAX));
    if (path.equals(ReceivablesService.HOLDINGS)) {
      query(q, "all", false, NODES.objectNode().put("type", "boolean"));
    }
    operation.putObject("responses").set("200", json("A page", "ReceivableList"));
  }

  private static void schemas(ObjectNode schemas) {
    ObjectNode terms = strict(schemas, "ReceivableTermsRequest", "supplier", "faceValue",
        "currency", "maturity", "documents");
    ObjectNode tp = termsProperties(terms.putObject("properties"));
    tp.set("supplier", account());
    tp.putObject("confidential").put("type", "boolean").put("description", "Commit the face"
        + " value: a confidential receivable");

    ObjectNode issue = strict(schemas, "ReceivableIssueRequest", "obligor", "faceValue",
        "currency", "maturity", "documents", "obligorKey", "signature");
    ObjectNode p = termsProperties(issue.putObject("properties"));
    p.set("obligor", account());
    p.putObject("obligorKey").put("type", "string").put("pattern", "^0x[0-9a-fA-F]{128}$");
    p.putObject("signature").put("type", "string")
        .put("pattern", "^0x([0-9a-fA-F]{128}|[0-9a-fA-F]{130})$");
    p.set("termsDigest", hash().put("description", "Optional, as a confirmation carries it:"
        + " checked against the terms"));
    p.set("supplier", account().put("description", "Optional, as a confirmation carries it:"
        + " must be the token's account"));
    p.putObject("faceCommitment").put("type", "string").put("pattern", "^0x[0-9a-fA-F]{66}$");
    p.putObject("faceBlinding").put("type", "string").put("pattern", HASH_PATTERN);
    p.putObject("confidential").put("type", "boolean");
    p.putObject("wait").put("type", "boolean");

    p = strict(schemas, "ReceivableSplitRequest", "to", "value").putObject("properties");
    p.set("to", account());
    p.set("value", amount());
    p.putObject("wait").put("type", "boolean");
    p = strict(schemas, "ReceivableTransferRequest", "to").putObject("properties");
    p.set("to", account());
    p.putObject("wait").put("type", "boolean");
    p = strict(schemas, "ReceivableOfferRequest", "bank", "price").putObject("properties");
    p.set("bank", account());
    p.set("price", amount());
    p.putObject("wait").put("type", "boolean");
    p = strict(schemas, "ReceivablePayRequest", "paymentRef").putObject("properties");
    p.putObject("paymentRef").put("type", "string").put("description", "1 to 32 bytes of"
        + " text, or 0x and 64 hex digits");
    p.putObject("wait").put("type", "boolean");
    schemas.putObject("ReceivableWaitRequest").put("type", "object")
        .put("additionalProperties", false).putObject("properties").putObject("wait")
        .put("type", "boolean");

    answers(schemas);
  }

  private static void answers(ObjectNode schemas) {
    ObjectNode terms = schemas.putObject("ReceivableTerms").put("type", "object");
    ObjectNode p = terms.putObject("properties");
    p.set("obligor", account());
    p.set("supplier", account());
    p.putObject("faceValue").put("type", "string");
    p.putObject("currency").put("type", "string");
    p.putObject("maturity").put("type", "integer");
    p.putObject("documents").put("type", "array").set("items", hash());
    p.set("termsDigest", hash());

    ObjectNode confirmation = schemas.putObject("ReceivableConfirmation");
    ArrayNode all = confirmation.putArray("allOf");
    all.addObject().put("$ref", SCHEMAS + "ReceivableTerms");
    p = all.addObject().put("type", "object").putObject("properties");
    p.putObject("obligorKey").put("type", "string");
    p.putObject("signature").put("type", "string");
    p.putObject("confidential").put("type", "boolean");
    p.putObject("faceCommitment").put("type", "string");
    p.putObject("faceBlinding").put("type", "string").put("description", "Opens the"
        + " commitment with the face value: as secret as the amount");

    ObjectNode sealingKey = schemas.putObject("ReceivableSealingKey").put("type", "object");
    p = sealingKey.putObject("properties");
    p.set("account", account());
    p.putObject("key").put("type", "string").put("pattern", "^0x[0-9a-fA-F]{128}$");
    p.putObject("regulator").put("type", "boolean");
    p.putObject("status").put("type", "string");

    ObjectNode opening = schemas.putObject("ReceivableOpening").put("type", "object");
    opening.putArray("required").add("piece").add("account").add("commitment").add("value")
        .add("blinding");
    p = opening.putObject("properties");
    p.putObject("piece").put("type", "integer");
    p.set("account", account());
    p.putObject("commitment").put("type", "string");
    p.putObject("value").put("type", "string");
    p.putObject("blinding").put("type", "string");
    p.putObject("priceCommitment").put("type", "string");
    p.putObject("price").put("type", "string");
    p.putObject("priceBlinding").put("type", "string");

    ObjectNode piece = schemas.putObject("ReceivablePiece").put("type", "object")
        .put("description", "Values in hundredths of the currency unit, as strings");
    piece.putArray("required").add("id").add("root").add("holder").add("value").add("state");
    p = piece.putObject("properties");
    p.putObject("id").put("type", "integer");
    p.putObject("root").put("type", "integer");
    p.putObject("parent").put("type", "integer").put("description", "0 for a root");
    p.set("holder", account());
    p.putObject("value").putArray("type").add("string").add("null");
    p.putObject("faceValue").putArray("type").add("string").add("null");
    p.putObject("confidential").put("type", "boolean").put("description", "Amounts"
        + " committed: value and faceValue are null, GET .../opening gives a party its amount");
    p.putObject("commitment").put("type", "string");
    p.putObject("state").put("type", "string").putArray("enum").add("active").add("offered")
        .add("financed").add("paid");
    p.putObject("frozen").put("type", "boolean");
    p.putObject("overdue").put("type", "boolean");
    p.putObject("lienHolder").put("type", "string");
    p.putObject("terms").put("$ref", SCHEMAS + "ReceivableTerms");
    p.putObject("offer").put("type", "object");
    p.putObject("financing").put("type", "object");
    p.putObject("courtOrders").put("type", "array").putObject("items").put("type", "object");
    p.putObject("children").put("type", "array").putObject("items").put("type", "integer");
    p.putObject("steps").put("type", "array").putObject("items").put("type", "object");
    p.putObject("transaction").put("type", "object");

    ObjectNode pending = schemas.putObject("ReceivablePending").put("type", "object");
    pending.putArray("required").add("status").add("txHash");
    p = pending.putObject("properties");
    p.putObject("status").put("type", "string").putArray("enum").add("pending");
    p.set("txHash", hash());
    p.putObject("piece").put("type", "integer");

    ObjectNode tree = schemas.putObject("ReceivableTree").put("type", "object");
    p = tree.putObject("properties");
    p.putObject("root").put("type", "integer");
    p.putObject("terms").put("$ref", SCHEMAS + "ReceivableTerms");
    p.putObject("pieces").put("type", "array").putObject("items").put("type", "object");
    p.putObject("count").put("type", "integer");
    p.putObject("sum").put("type", "string");

    ObjectNode check = schemas.putObject("ReceivableCheck").put("type", "object");
    p = check.putObject("properties");
    p.putObject("allowed").put("type", "boolean");
    p.putObject("code").put("type", "string").put("pattern", "^0x[0-9a-f]{2}$");
    p.putObject("rule").put("type", "string");
    p.putObject("message").put("type", "string");
    p.set("from", account());

    ObjectNode list = schemas.putObject("ReceivableList").put("type", "object");
    p = list.putObject("properties");
    p.putObject("pieces").put("type", "array").putObject("items").put("type", "object");
    p.putObject("next").put("type", "string").put("description", "The next page, if any");

    ObjectNode bundle = schemas.putObject("ReceivableProofBundle").put("type", "object")
        .put("description", "A proof bundle, format " + ProofBundle.FORMAT
            + " (docs/proofs.md)");
    bundle.putArray("required").add("format").add("kind").add("chain").add("block");
  }

  private static ObjectNode termsProperties(ObjectNode p) {
    p.set("faceValue", amount());
    p.putObject("currency").put("type", "string").put("pattern", "^[A-Z]{3}$");
    p.putObject("maturity").put("description", "Seconds since the epoch (integer), or"
        + " ISO-8601 with its offset (string)");
    p.putObject("documents").put("type", "array").put("minItems", 1)
        .put("maxItems", Receivables.DOCUMENTS_MAX).set("items", hash());
    return p;
  }

  private static ObjectNode query(ArrayNode parameters, String name, boolean required,
      ObjectNode schema) {
    ObjectNode parameter = parameters.addObject().put("name", name).put("in", "query")
        .put("required", required);
    parameter.set("schema", schema);
    return parameter;
  }

  private static ObjectNode strict(ObjectNode schemas, String name, String... required) {
    ObjectNode schema = schemas.putObject(name).put("type", "object")
        .put("additionalProperties", false);
    ArrayNode list = schema.putArray("required");
    for (String field : required) {
      list.add(field);
    }
    return schema;
  }

  private static ObjectNode amount() {
    return NODES.objectNode().put("description", ReceivablesInput.AMOUNT);
  }

  private static ObjectNode account() {
    return NODES.objectNode().put("type", "string").put("pattern", ACCOUNT_PATTERN);
  }

  private static ObjectNode hash() {
    return NODES.objectNode().put("type", "string").put("pattern", HASH_PATTERN);
  }
}
