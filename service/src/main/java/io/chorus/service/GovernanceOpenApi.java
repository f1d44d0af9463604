package io.chorus.service;

import static io.chorus.rpc.rest.OpenApiParts.SCHEMAS;
import static io.chorus.rpc.rest.OpenApiParts.json;
import static io.chorus.rpc.rest.OpenApiParts.jsonBody;
import static io.chorus.rpc.rest.OpenApiParts.operation;
import static io.chorus.rpc.rest.OpenApiParts.problem;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.state.system.Governance;
import io.chorus.state.system.ProposalKind;

/**
 * The OpenAPI fragment of {@link GovernanceService}: one operation per route, with the request
 * and answer schemas (components named {@code Governance…}). The node adds the bearer security
 * and the problem responses every operation shares; this adds the ones particular to each.
 */
final class GovernanceOpenApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String WAIT = "wait: true waits up to 30 s for the block: 201 with the"
      + " transaction and the proposal after it; otherwise (or when the block is late) 202"
      + " with the pending transaction.";
  private static final String REFUSALS = " Refused before anything is sent: 403 not-a-member"
      + " when the token's account is off the committee; 409 account-locked when the node"
      + " holds no key for it; 422 call-fails with the contract's reason when the change"
      + " cannot apply.";

  private GovernanceOpenApi() {}

  static ObjectNode fragment() {
    ObjectNode doc = NODES.objectNode();
    ObjectNode paths = doc.putObject("paths");
    ObjectNode kinds = operation(paths, GovernanceService.KINDS, "get", "governanceKinds",
        "The proposal kinds, each with its fields and threshold", "What a proposal form"
            + " needs: types lists the ABI type of each field in order, describes names them.");
    kinds.putObject("responses").set("200", json("The kinds", "GovernanceKinds"));

    ObjectNode committee = operation(paths, GovernanceService.COMMITTEE, "get",
        "governanceCommittee", "The committee members and their voting weights", null);
    committee.putObject("responses").set("200", json("The committee", "GovernanceCommittee"));

    ObjectNode list = operation(paths, GovernanceService.PROPOSALS, "get",
        "governanceProposals", "A page of proposals, newest first", null);
    ArrayNode query = list.putArray("parameters");
    query(query, "limit", "How many (default " + GovernanceService.PAGE_DEFAULT + ", at most "
        + GovernanceService.PAGE_MAX + ")").put("maximum", GovernanceService.PAGE_MAX);
    query(query, "before", "Only proposals with a smaller id (the next page)");
    list.putObject("responses").set("200", json("The page", "GovernanceProposals"));

    ObjectNode propose = operation(paths, GovernanceService.PROPOSALS, "post",
        "governancePropose", "Propose a change as the token's committee member",
        "Signed with the member's keystore key; the proposer's vote is yes. " + WAIT
            + REFUSALS);
    jsonBody(propose, "GovernanceProposeRequest");
    written(propose);

    ObjectNode get = operation(paths, GovernanceService.PROPOSAL, "get", "governanceProposal",
        "A proposal with the committee's votes and the transactions that cast them", null);
    get.putObject("responses").set("200", json("The proposal", "GovernanceProposalDetail"));
    pathParameter(paths, GovernanceService.PROPOSAL);

    ObjectNode vote = operation(paths, GovernanceService.VOTES, "post", "governanceVote",
        "Vote yes or no as the token's committee member",
        "One vote per member. 404 for an unknown proposal; 409 votes-closed (with"
            + " proposalStatus) or already-voted. " + WAIT + REFUSALS);
    jsonBody(vote, "GovernanceVoteRequest");
    written(vote);
    pathParameter(paths, GovernanceService.VOTES);

    schemas(doc.putObject("components").putObject("schemas"));
    return doc;
  }

  private static void schemas(ObjectNode schemas) {
    ObjectNode propose = strict(schemas, "GovernanceProposeRequest");
    propose.putArray("required").add("kind").add("fields");
    ObjectNode p = propose.putObject("properties");
    ArrayNode labels = p.putObject("kind").put("type", "string").putArray("enum");
    for (ProposalKind kind : ProposalKind.values()) {
      labels.add(kind.label());
    }
    p.putObject("fields").put("type", "array").put("description", "The kind's fields in"
        + " order, as text: addresses and bytes in 0x-hex, numbers in decimal or 0x-hex,"
        + " flags true or false, an address list as [0x…,0x…] or an array of strings")
        .putObject("items");
    p.putObject("expiryBlocks").put("type", "integer").put("minimum", 1)
        .put("maximum", Governance.EXPIRY_BLOCKS_MAX).put("description", "Votes close this"
            + " many blocks later (default " + GovernanceService.EXPIRY_BLOCKS_DEFAULT + ")");
    p.putObject("wait").put("type", "boolean");

    ObjectNode vote = strict(schemas, "GovernanceVoteRequest");
    vote.putArray("required").add("approve");
    p = vote.putObject("properties");
    p.putObject("approve").put("type", "boolean").put("description", "true yes, false no");
    p.putObject("wait").put("type", "boolean");

    ObjectNode kinds = schemas.putObject("GovernanceKinds").put("type", "object");
    ObjectNode kind = kinds.putObject("properties").putObject("kinds").put("type", "array")
        .putObject("items").put("type", "object");
    p = kind.putObject("properties");
    p.putObject("kind").put("type", "string");
    p.putObject("code").put("type", "integer").put("description", "The number propose()"
        + " takes");
    p.putObject("describes").put("type", "string");
    p.putObject("types").put("type", "array").putObject("items").put("type", "string");
    p.putObject("threshold").put("$ref", SCHEMAS + "GovernanceThreshold");

    ObjectNode threshold = schemas.putObject("GovernanceThreshold").put("type", "object")
        .put("description", "Passes when yes weight × denominator ≥ numerator × total weight");
    p = threshold.putObject("properties");
    p.putObject("numerator").put("type", "string");
    p.putObject("denominator").put("type", "string");

    ObjectNode committee = schemas.putObject("GovernanceCommittee").put("type", "object");
    p = committee.putObject("properties");
    p.putObject("members").put("type", "array").putObject("items").put("type", "object")
        .putObject("properties").<ObjectNode>set("account", text())
        .set("weight", text());
    p.set("totalWeight", text());

    ObjectNode proposal = schemas.putObject("GovernanceProposal").put("type", "object");
    proposal.putArray("required").add("id").add("kind").add("status");
    p = proposal.putObject("properties");
    p.putObject("id").put("type", "integer");
    p.set("kind", text());
    p.putObject("fields").put("type", "array").putObject("items").put("type", "string");
    p.set("payload", text());
    p.set("proposer", text());
    p.putObject("createdAt").put("type", "integer");
    p.putObject("expiresAt").put("type", "integer");
    p.putObject("status").put("type", "string").putArray("enum").add("active").add("passed")
        .add("executed").add("rejected").add("failed").add("expired");
    p.set("yesWeight", text());
    p.set("noWeight", text());
    p.set("failure", text());

    ObjectNode page = schemas.putObject("GovernanceProposals").put("type", "object");
    p = page.putObject("properties");
    p.putObject("count").put("type", "integer").put("description", "How many were ever made");
    p.putObject("proposals").put("type", "array").putObject("items")
        .put("$ref", SCHEMAS + "GovernanceProposal");
    p.putObject("next").put("type", "string").put("description", "The next page, if any");

    ObjectNode detail = schemas.putObject("GovernanceProposalDetail");
    ArrayNode all = detail.putArray("allOf");
    all.addObject().put("$ref", SCHEMAS + "GovernanceProposal");
    p = all.addObject().put("type", "object").putObject("properties");
    p.set("totalWeight", text());
    p.putObject("threshold").put("$ref", SCHEMAS + "GovernanceThreshold");
    p.set("requiredWeight", text());
    p.putObject("proposed").put("type", "object").put("description", "The transaction that"
        + " made it: txHash, blockNumber").putObject("properties")
        .<ObjectNode>set("txHash", text()).putObject("blockNumber").put("type", "integer");
    ObjectNode member = p.putObject("committee").put("type", "array").putObject("items")
        .put("type", "object");
    ObjectNode m = member.putObject("properties");
    m.set("account", text());
    m.set("weight", text());
    m.putObject("vote").putArray("enum").add("yes").add("no").addNull();
    m.putObject("txHash").put("description", "The transaction that cast the vote, or null")
        .putArray("type").add("string").add("null");
    m.putObject("blockNumber").putArray("type").add("integer").add("null");

    ObjectNode written = schemas.putObject("GovernanceWritten").put("type", "object");
    written.putArray("required").add("transaction");
    p = written.putObject("properties");
    p.putObject("proposalId").put("type", "integer");
    p.putObject("approve").put("type", "boolean");
    ObjectNode tx = p.putObject("transaction").put("type", "object");
    ObjectNode t = tx.putObject("properties");
    t.set("hash", text());
    t.set("from", text());
    t.putObject("nonce").put("type", "integer");
    t.putObject("status").put("type", "string").putArray("enum").add("pending")
        .add("committed");
    t.putObject("blockNumber").put("type", "integer");
    t.set("blockHash", text());
    p.putObject("proposal").put("$ref", SCHEMAS + "GovernanceProposalDetail");
    p.putObject("links").put("type", "object").putObject("additionalProperties")
        .put("type", "string");
  }

  // ---- building blocks -----------------------------------------------------------------------

  private static void written(ObjectNode operation) {
    ObjectNode responses = operation.putObject("responses");
    responses.set("201", json("In a committed block (wait: true)", "GovernanceWritten"));
    responses.set("202", json("In the pool", "GovernanceWritten"));
    for (String status : new String[] {"404", "409", "422"}) {
      problem(responses, status);
    }
  }

  private static void pathParameter(ObjectNode paths, String path) {
    ((ObjectNode) paths.get(path)).putArray("parameters").addObject().put("name", "id")
        .put("in", "path").put("required", true).put("description", "The proposal's number")
        .putObject("schema").put("type", "integer").put("minimum", 1);
  }

  private static ObjectNode query(ArrayNode parameters, String name, String description) {
    return parameters.addObject().put("name", name).put("in", "query")
        .put("description", description).putObject("schema").put("type", "integer")
        .put("minimum", 1);
  }

  private static ObjectNode strict(ObjectNode schemas, String name) {
    return schemas.putObject(name).put("type", "object").put("additionalProperties", false);
  }

  private static ObjectNode text() {
    return NODES.objectNode().put("type", "string");
  }
}
