package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Governance for a Java application, over a node's REST API ({@code /api/v1/governance}): the
 * proposal kinds, proposals with the committee's votes, and proposing and voting as the
 * committee member an API token names (role {@code governance.member}), signed by the node with
 * the member's keystore key. A refusal throws {@link ProblemException}: 403 {@code
 * not-a-member}, 404 for an unknown proposal, 409 {@code votes-closed} or {@code
 * already-voted}, 422 {@code call-fails} with the contract's reason, 400 naming the bad field.
 */
public final class GovernanceClient {
  private static final String BASE = "/api/v1/governance";

  /**
   * A kind of proposal and what its form takes.
   *
   * @param types the ABI type of each field, in order
   * @param describes the fields in words
   * @param threshold the share of the committee's weight it needs, as {@code n/d}
   */
  public record Kind(String kind, int code, List<String> types, String describes,
      String threshold) {}

  /**
   * A member's vote on a proposal.
   *
   * @param approve true yes, false no, empty when the member has not voted
   * @param transactionHash the transaction that cast it (0x-hex), empty when none
   */
  public record Vote(String account, BigInteger weight, Optional<Boolean> approve,
      Optional<String> transactionHash) {}

  /**
   * A proposal as the chain records it at the node's head.
   *
   * @param status active, passed, executed, rejected, failed or expired
   * @param proposedBy the transaction that made it (0x-hex)
   * @param committee each member of the committee now, with the vote
   */
  public record Proposal(long id, String kind, List<String> fields, String proposer,
      long createdAt, long expiresAt, String status, BigInteger yesWeight,
      BigInteger noWeight, BigInteger requiredWeight, Optional<String> proposedBy,
      List<Vote> committee, Optional<String> failure) {}

  /**
   * What a proposal or vote sent.
   *
   * @param transactionHash the transaction (0x-hex)
   * @param blockNumber its block, empty while it is pending (not awaited, or the block late)
   * @param proposalId the proposal (for a proposal still pending: empty)
   * @param proposal the proposal after the transaction; empty while it is pending
   */
  public record Sent(String transactionHash, Optional<Long> blockNumber,
      Optional<Long> proposalId, Optional<Proposal> proposal) {}

  private final RestClient rest;

  /**
   * @param url the node's RPC URL ({@code http://127.0.0.1:8545})
   * @param token the member's API token, or null to read only
   */
  public GovernanceClient(String url, String token) {
    this.rest = new RestClient(url, token);
  }

  /** Every kind of proposal, with its fields and threshold. */
  public List<Kind> kinds() {
    List<Kind> kinds = new ArrayList<>();
    for (JsonNode k : rest.get(BASE + "/kinds").path("kinds")) {
      List<String> types = new ArrayList<>();
      k.path("types").forEach(t -> types.add(t.asText()));
      kinds.add(new Kind(k.path("kind").asText(), k.path("code").asInt(), List.copyOf(types),
          k.path("describes").asText(), k.path("threshold").path("numerator").asText() + "/"
              + k.path("threshold").path("denominator").asText()));
    }
    return kinds;
  }

  /** Proposal {@code id} with the committee's votes. */
  public Proposal proposal(long id) {
    return proposal(rest.get(BASE + "/proposals/" + id));
  }

  /**
   * Proposes a change; the proposer's vote is yes.
   *
   * @param kind as {@link #kinds} names it ({@code add-member})
   * @param fields the kind's fields as text ({@code 0x…} addresses, decimal numbers)
   * @param expiryBlocks votes close this many blocks later
   * @param wait whether to wait (up to 30 s) for the block
   */
  public Sent propose(String kind, List<String> fields, long expiryBlocks, boolean wait) {
    ObjectNode body = JsonRpcClient.JSON.createObjectNode().put("kind", kind)
        .put("expiryBlocks", expiryBlocks).put("wait", wait);
    ArrayNode list = body.putArray("fields");
    fields.forEach(list::add);
    return sent(rest.post(BASE + "/proposals", body));
  }

  /** Votes yes ({@code approve}) or no on proposal {@code id}. */
  public Sent vote(long id, boolean approve, boolean wait) {
    return sent(rest.post(BASE + "/proposals/" + id + "/votes",
        JsonRpcClient.JSON.createObjectNode().put("approve", approve).put("wait", wait)));
  }

  private static Sent sent(JsonNode out) {
    JsonNode tx = out.path("transaction");
    return new Sent(tx.path("hash").asText(),
        tx.has("blockNumber") ? Optional.of(tx.path("blockNumber").asLong()) : Optional.empty(),
        out.has("proposalId") ? Optional.of(out.path("proposalId").asLong()) : Optional.empty(),
        out.has("proposal") ? Optional.of(proposal(out.path("proposal"))) : Optional.empty());
  }

  private static Proposal proposal(JsonNode p) {
    List<String> fields = new ArrayList<>();
    p.path("fields").forEach(f -> fields.add(f.asText()));
    List<Vote> committee = new ArrayList<>();
    for (JsonNode m : p.path("committee")) {
      committee.add(new Vote(m.path("account").asText(),
          new BigInteger(m.path("weight").asText()),
          m.path("vote").isTextual() ? Optional.of(m.path("vote").asText().equals("yes"))
              : Optional.empty(),
          text(m.path("txHash"))));
    }
    return new Proposal(p.path("id").asLong(), p.path("kind").asText(), List.copyOf(fields),
        p.path("proposer").asText(), p.path("createdAt").asLong(), p.path("expiresAt").asLong(),
        p.path("status").asText(), new BigInteger(p.path("yesWeight").asText()),
        new BigInteger(p.path("noWeight").asText()),
        new BigInteger(p.path("requiredWeight").asText()),
        text(p.path("proposed").path("txHash")), List.copyOf(committee),
        text(p.path("failure")));
  }

  private static Optional<String> text(JsonNode value) {
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }
}
