package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.ChainJson.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.Blockchain;
import io.chorus.evm.StateReader;
import io.chorus.ledger.BlockHeader;
import io.chorus.rpc.JsonRpc;
import io.chorus.state.WorldState;
import io.chorus.state.system.Governance;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;

/**
 * Governance as the chain records it, at the head: {@code chorus_govProposals} lists proposals
 * newest first, {@code chorus_govProposal} shows one with the committee's votes and the weight
 * it needs to pass. The same data is in the governance
 * contract's storage, for {@code eth_call} and {@code eth_getProof}.
 */
public final class GovernanceApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** The most proposals one call lists. */
  static final int PROPOSALS_MAX = 100;

  private final Blockchain chain;

  public GovernanceApi(Blockchain chain) {
    this.chain = chain;
  }

  public Map<String, JsonRpc.Method> methods() {
    return Map.of("chorus_govProposals", this::proposals, "chorus_govProposal", this::proposal);
  }

  /** Params: optional limit (default and most {@value #PROPOSALS_MAX}), newest first. */
  private JsonNode proposals(JsonNode p) {
    Params a = new Params("chorus_govProposals", p).count(0, 1);
    long limit = a.has(0) ? Params.quantityLong(a.get(0), "limit") : PROPOSALS_MAX;
    if (limit < 1 || limit > PROPOSALS_MAX) {
      throw new IllegalArgumentException("chorus_govProposals: limit must be 1 to "
          + PROPOSALS_MAX + ", got " + limit);
    }
    BlockHeader head = chain.head();
    WorldState state = chain.stateAt(head);
    ArrayNode out = NODES.arrayNode();
    for (long id = Governance.proposalCount(state); id >= 1 && out.size() < limit; id--) {
      out.add(json(Governance.proposal(state, id, head.number() + 1)));
    }
    return out;
  }

  private JsonNode proposal(JsonNode p) {
    Params a = new Params("chorus_govProposal", p).count(1, 1);
    long id = Params.quantityLong(a.required(0, "proposal id"), "proposal id");
    BlockHeader head = chain.head();
    WorldState state = chain.stateAt(head);
    Governance.Proposal proposal = Governance.proposal(state, id, head.number() + 1);
    if (proposal == null) {
      return NODES.nullNode();
    }
    return withVotes(state, proposal);
  }

  /**
   * A proposal as {@link #json} shows it, with the weight it needs to pass ({@code totalWeight},
   * {@code threshold}, {@code requiredWeight}) and {@code committee}: each member now, with its
   * weight and vote ({@code yes}, {@code no} or null), in the contract's order.
   */
  public static ObjectNode withVotes(StateReader state, Governance.Proposal proposal) {
    ObjectNode out = json(proposal);
    BigInteger[] threshold = Governance.threshold(state, proposal.kind());
    BigInteger total = BigInteger.ZERO;
    ArrayNode committee = out.putArray("committee");
    for (Governance.Member member : Governance.members(state)) {
      total = total.add(member.weight());
      Boolean vote = Governance.voteOf(state, proposal.id(), member.account());
      committee.addObject().put("account", member.account().toString())
          .put("weight", member.weight().toString())
          .put("vote", vote == null ? null : vote ? "yes" : "no");
    }
    out.put("totalWeight", total.toString());
    out.putObject("threshold").put("numerator", threshold[0].toString())
        .put("denominator", threshold[1].toString());
    // The least yes weight that passes: total × numerator / denominator, rounded up.
    BigInteger[] needed = total.multiply(threshold[0]).divideAndRemainder(threshold[1]);
    out.put("requiredWeight", needed[0].add(needed[1].signum() > 0 ? BigInteger.ONE
        : BigInteger.ZERO).toString());
    return out;
  }

  /**
   * A proposal as JSON-RPC and the REST service show it. Numbers in decimal: ids and weights are
   * counts people read, not quantities to sign.
   */
  public static ObjectNode json(Governance.Proposal p) {
    ObjectNode out = NODES.objectNode();
    out.put("id", p.id());
    out.put("kind", p.kind().label());
    ArrayNode fields = out.putArray("fields");
    p.kind().fields(p.payload()).forEach(fields::add);
    out.put("payload", data(p.payload()));
    out.put("proposer", p.proposer().toString());
    out.put("createdAt", p.createdAt());
    out.put("expiresAt", p.expiresAt());
    out.put("status", p.status().name().toLowerCase(Locale.ROOT));
    out.put("yesWeight", p.yesWeight().toString());
    out.put("noWeight", p.noWeight().toString());
    if (p.failure() != null) {
      out.put("failure", p.failure());
    }
    return out;
  }
}
