package io.chorus.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.ledger.BlockHeader;
import io.chorus.rpc.eth.GovernanceApi;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.RestService;
import io.chorus.rpc.rest.Route;
import io.chorus.state.WorldState;
import io.chorus.state.system.Governance;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.SystemContracts;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Governance over REST, {@code /api/v1/governance}: the proposal kinds with their fields (what
 * a form needs), the committee, proposals with each member's vote and the transaction that
 * cast it; and, for a committee member's token, proposing and voting, signed with the member's
 * keystore key ({@link TransactionSubmitter}).
 *
 * <p>What the governance contract would refuse is refused before anything is sent, so a refusal
 * costs no fee and no nonce: a caller off the committee (403 {@code not-a-member}), an unknown
 * proposal (404), a vote on a closed proposal or a second vote (409); a change that cannot
 * apply to the current state comes back from the submitter's simulation as 422 {@code
 * call-fails} with the contract's reason.
 */
public final class GovernanceService implements RestService {
  /** The role that may propose and vote (the account must also be on the committee). */
  public static final String MEMBER_ROLE = "governance.member";
  /** Votes close this many blocks after a proposal unless it says otherwise, as in the CLI. */
  public static final long EXPIRY_BLOCKS_DEFAULT = 1_000;
  /** The most proposals one page lists. */
  static final int PAGE_MAX = 100;
  static final int PAGE_DEFAULT = 20;

  static final String BASE = "/api/v1/governance";
  static final String KINDS = BASE + "/kinds";
  static final String COMMITTEE = BASE + "/committee";
  static final String PROPOSALS = BASE + "/proposals";
  static final String PROPOSAL = PROPOSALS + "/{id}";
  static final String VOTES = PROPOSAL + "/votes";
  private static final String TRANSACTIONS = "/api/v1/chain/transactions/";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final ServiceContext context;
  private final GovernanceVotes votes;

  public GovernanceService(ServiceContext context) {
    this.context = context;
    this.votes = new GovernanceVotes(context.chain().store());
  }

  @Override
  public String name() {
    return "governance";
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get(KINDS, this::kinds),
        Route.get(COMMITTEE, this::committee),
        Route.get(PROPOSALS, this::proposals),
        Route.get(PROPOSAL, this::proposal),
        Route.post(PROPOSALS, MEMBER_ROLE, this::propose),
        Route.post(VOTES, MEMBER_ROLE, this::vote));
  }

  @Override
  public ObjectNode openApi() {
    return GovernanceOpenApi.fragment();
  }

  // ---- reads ---------------------------------------------------------------------------------

  private RestResponse kinds(RestRequest request) {
    WorldState state = state(head());
    ObjectNode out = NODES.objectNode();
    ArrayNode list = out.putArray("kinds");
    for (ProposalKind kind : ProposalKind.values()) {
      ObjectNode item = list.addObject().put("kind", kind.label()).put("code", kind.ordinal())
          .put("describes", kind.describes());
      kind.types().forEach(item.putArray("types")::add);
      threshold(item, Governance.threshold(state, kind));
    }
    return RestResponse.ok(out);
  }

  private RestResponse committee(RestRequest request) {
    ObjectNode out = NODES.objectNode();
    ArrayNode list = out.putArray("members");
    BigInteger total = BigInteger.ZERO;
    for (Governance.Member member : Governance.members(state(head()))) {
      list.addObject().put("account", member.account().toString())
          .put("weight", member.weight().toString());
      total = total.add(member.weight());
    }
    out.put("totalWeight", total.toString());
    return RestResponse.ok(out);
  }

  private RestResponse proposals(RestRequest request) {
    long limit = request.queryLong("limit", PAGE_DEFAULT, 1, PAGE_MAX);
    BlockHeader head = head();
    WorldState state = state(head);
    long count = Governance.proposalCount(state);
    long before = request.queryLong("before", count + 1, 1, Long.MAX_VALUE);
    ObjectNode out = NODES.objectNode().put("count", count);
    ArrayNode list = out.putArray("proposals");
    long id = Math.min(before - 1, count);
    for (; id >= 1 && list.size() < limit; id--) {
      list.add(GovernanceApi.json(Governance.proposal(state, id, head.number() + 1)));
    }
    if (id >= 1) {
      out.put("next", PROPOSALS + "?before=" + (id + 1) + "&limit=" + limit);
    }
    return RestResponse.ok(out);
  }

  private RestResponse proposal(RestRequest request) {
    long id = id(request);
    BlockHeader head = head();
    WorldState state = state(head);
    return RestResponse.ok(detail(state, head, requireProposal(state, head, id)));
  }

  /**
   * The proposal as {@code chorus_govProposal} shows it (the committee's votes, the weight it
   * needs), with the transaction that made it and, per member, the transaction that cast the
   * vote.
   */
  private ObjectNode detail(WorldState state, BlockHeader head, Governance.Proposal p) {
    ObjectNode out = GovernanceApi.withVotes(state, p);
    ArrayNode committee = (ArrayNode) out.remove("committee");
    Optional<GovernanceVotes.Cast> proposed = votes.proposed(p);
    if (proposed.isPresent()) {
      out.set("proposed", cast(proposed.get()));
    } else {
      out.putNull("proposed");
    }
    List<Address> voters = new ArrayList<>();
    for (JsonNode member : committee) {
      if (!member.path("vote").isNull()) {
        voters.add(Address.parse(member.path("account").asText()));
      }
    }
    Map<Address, GovernanceVotes.Cast> casts = votes.votes(p, head.number(), voters);
    for (JsonNode member : committee) {
      GovernanceVotes.Cast cast = casts.get(Address.parse(member.path("account").asText()));
      ((ObjectNode) member).put("txHash", cast == null ? null
          : Hex.encode0x(cast.transactionHash()));
      if (cast != null) {
        ((ObjectNode) member).put("blockNumber", cast.blockNumber());
      } else {
        ((ObjectNode) member).putNull("blockNumber");
      }
    }
    out.set("committee", committee);
    return out;
  }

  // ---- writes --------------------------------------------------------------------------------

  private RestResponse propose(RestRequest request) {
    RestRequest.Fields f = request.fields();
    Optional<String> kindText = f.optionalText("kind");
    Optional<JsonNode> fieldsJson = f.optionalJson("fields");
    Optional<JsonNode> expiryJson = f.optionalJson("expiryBlocks");
    boolean wait = f.optionalBoolean("wait").orElse(false);
    ProposalKind kind = null;
    if (kindText.isEmpty()) {
      f.bad("kind", "required: the kind of change, one of " + labels());
    } else {
      try {
        kind = ProposalKind.named(kindText.get());
      } catch (IllegalArgumentException e) {
        f.bad("kind", "unknown kind '" + kindText.get() + "'; send one of " + labels()
            + " (GET " + KINDS + " lists each with its fields)");
      }
    }
    long expiry = expiryJson.map(e -> expiry(e, f)).orElse(EXPIRY_BLOCKS_DEFAULT);
    List<String> texts = texts(fieldsJson, kind, f);
    byte[] payload = new byte[0];
    if (kind != null && texts != null) {
      try {
        payload = kind.encodeText(texts);
      } catch (ProposalKind.InvalidField e) {
        f.bad(e.index() < 0 ? "fields" : "fields/" + e.index(), e.getMessage());
      }
    }
    f.check();
    Caller caller = request.requireCaller();
    requireMember(state(head()), caller);
    TransactionSubmitter.Submitted sent = context.submitter().submit(caller,
        SystemContracts.GOVERNANCE, Governance.proposeCall(kind, payload, expiry));
    Optional<TransactionSubmitter.Included> included = context.submitter().awaitIfAsked(sent, wait);
    if (included.isEmpty()) {
      return pending(NODES.objectNode(), sent);
    }
    requireSuccess(sent, included.get());
    long id = votes.proposalId(included.get()).orElseThrow(() -> new IllegalStateException(
        "transaction " + sent.hashHex() + " succeeded without a Proposed event"));
    return written(NODES.objectNode().put("proposalId", id), sent, included.get(), id);
  }

  private RestResponse vote(RestRequest request) {
    long id = id(request);
    RestRequest.Fields f = request.fields();
    Optional<JsonNode> approve = f.optionalJson("approve");
    boolean wait = f.optionalBoolean("wait").orElse(false);
    if (approve.isEmpty() || !approve.get().isBoolean()) {
      f.bad("approve", "required: true (yes) or false (no)"
          + approve.map(a -> ", not " + a).orElse(""));
    }
    f.check();
    Caller caller = request.requireCaller();
    BlockHeader head = head();
    WorldState state = state(head);
    Governance.Proposal proposal = requireProposal(state, head, id);
    requireMember(state, caller);
    requireOpen(proposal);
    Boolean cast = Governance.voteOf(state, id, caller.account());
    if (cast != null) {
      throw new Problem(409, "already-voted", "Already voted", caller.account() + " voted "
          + (cast ? "yes" : "no") + " on proposal " + id + " already; a member votes once"
          + " and cannot change the vote");
    }
    boolean yes = approve.orElseThrow().booleanValue();
    TransactionSubmitter.Submitted sent = context.submitter().submit(caller,
        SystemContracts.GOVERNANCE, Governance.voteCall(id, yes));
    ObjectNode out = NODES.objectNode().put("proposalId", id).put("approve", yes);
    Optional<TransactionSubmitter.Included> included = context.submitter().awaitIfAsked(sent, wait);
    if (included.isEmpty()) {
      return pending(out, sent);
    }
    requireSuccess(sent, included.get());
    return written(out, sent, included.get(), id);
  }

  private static RestResponse pending(ObjectNode out, TransactionSubmitter.Submitted sent) {
    transaction(out, sent).put("status", "pending");
    out.putObject("links").put("transaction", TRANSACTIONS + sent.hashHex());
    return new RestResponse(202, out, Map.of("Location", TRANSACTIONS + sent.hashHex()));
  }

  /** 201 with the transaction in its block and the proposal as it stands after it. */
  private RestResponse written(ObjectNode out, TransactionSubmitter.Submitted sent,
      TransactionSubmitter.Included included, long id) {
    transaction(out, sent).put("status", "committed")
        .put("blockNumber", included.blockNumber())
        .put("blockHash", Hex.encode0x(included.blockHash()));
    BlockHeader head = head();
    WorldState state = state(head);
    out.set("proposal", detail(state, head, requireProposal(state, head, id)));
    return RestResponse.created(PROPOSALS + "/" + id, out);
  }

  private static ObjectNode transaction(ObjectNode out, TransactionSubmitter.Submitted sent) {
    return out.putObject("transaction").put("hash", sent.hashHex())
        .put("from", sent.sender().toString()).put("nonce", sent.nonce());
  }

  private static void requireSuccess(TransactionSubmitter.Submitted sent,
      TransactionSubmitter.Included included) {
    if (!included.success()) {
      throw new Problem(422, "transaction-reverted", "The governance contract refused the"
          + " transaction", "transaction " + sent.hashHex() + " reverted in block "
          + included.blockNumber() + ": the state changed after the node checked it (another"
          + " vote closed the proposal, or another proposal made the change first?); read the"
          + " proposal, then try again").with("txHash", sent.hashHex());
    }
  }

  // ---- checks --------------------------------------------------------------------------------

  private static void requireMember(WorldState state, Caller caller) {
    boolean member = Governance.members(state).stream()
        .anyMatch(m -> m.account().equals(caller.account()));
    if (!member) {
      throw new Problem(403, "not-a-member", "Not a committee member", "account "
          + caller.account() + " (" + caller.credential() + ") is not a member of the"
          + " governance committee, and only members propose and vote; nothing was sent"
          + " (the committee: GET " + COMMITTEE + ")");
    }
  }

  private static Governance.Proposal requireProposal(WorldState state, BlockHeader head,
      long id) {
    // As of the next block, where a vote sent now would run: expiry counts from there.
    Governance.Proposal proposal = Governance.proposal(state, id, head.number() + 1);
    if (proposal == null) {
      throw Problem.notFound("no proposal " + id + "; " + Governance.proposalCount(state)
          + " were made, numbered from 1");
    }
    return proposal;
  }

  private static void requireOpen(Governance.Proposal p) {
    String status = p.status().name().toLowerCase(Locale.ROOT);
    if (p.status() == Governance.Status.EXPIRED) {
      throw new Problem(409, "votes-closed", "Votes are closed", "proposal " + p.id()
          + " expired at block " + p.expiresAt() + " without reaching its threshold; votes"
          + " are closed").with("proposalStatus", status);
    }
    if (p.status() != Governance.Status.ACTIVE) {
      throw new Problem(409, "votes-closed", "Votes are closed", "proposal " + p.id() + " is "
          + status + ": votes are closed").with("proposalStatus", status);
    }
  }

  // ---- input ---------------------------------------------------------------------------------

  private static long id(RestRequest request) {
    String text = request.path("id");
    if (text.matches("[1-9][0-9]{0,17}")) {
      return Long.parseLong(text);
    }
    throw Problem.invalidField("id", "must be a proposal number from 1, not '"
        + (text.length() <= 20 ? text : text.substring(0, 20) + "…") + "'");
  }

  private static long expiry(JsonNode value, RestRequest.Fields f) {
    if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 1
        && value.asLong() <= Governance.EXPIRY_BLOCKS_MAX) {
      return value.asLong();
    }
    f.bad("expiryBlocks", "must be a whole number of blocks from 1 to "
        + Governance.EXPIRY_BLOCKS_MAX + ", not " + value);
    return EXPIRY_BLOCKS_DEFAULT;
  }

  /**
   * The fields as the text {@link ProposalKind#encodeText} takes, or null when they are not
   * there to encode. Each may be a string, a whole number or a flag; an address list may be an
   * array of strings.
   */
  private static List<String> texts(Optional<JsonNode> json, ProposalKind kind,
      RestRequest.Fields f) {
    String wanted = kind == null ? "an array of the kind's fields, as strings"
        : "an array of " + kind.types().size() + " string(s): " + kind.describes();
    if (json.isEmpty() || !json.get().isArray()) {
      f.bad("fields", "required: " + wanted + json.map(j -> ", not " + j.getNodeType().name()
          .toLowerCase(Locale.ROOT)).orElse(""));
      return null;
    }
    List<String> texts = new ArrayList<>();
    boolean readable = true;
    for (int i = 0; i < json.get().size(); i++) {
      String text = text(json.get().get(i));
      if (text == null) {
        f.bad("fields/" + i, "must be a string (or a number, true or false), not "
            + json.get().get(i));
        readable = false;
      }
      texts.add(text);
    }
    return readable ? texts : null;
  }

  private static String text(JsonNode value) {
    if (value.isTextual() || value.isBoolean()) {
      return value.asText();
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : value) {
        if (!item.isTextual()) {
          return null;
        }
        items.add(item.asText());
      }
      return "[" + String.join(",", items) + "]";
    }
    return null;
  }

  private static String labels() {
    return Arrays.stream(ProposalKind.values()).map(ProposalKind::label)
        .collect(Collectors.joining(", "));
  }

  // ---- output --------------------------------------------------------------------------------

  private static void threshold(ObjectNode out, BigInteger[] threshold) {
    out.putObject("threshold").put("numerator", threshold[0].toString())
        .put("denominator", threshold[1].toString());
  }

  private static ObjectNode cast(GovernanceVotes.Cast cast) {
    return NODES.objectNode().put("txHash", Hex.encode0x(cast.transactionHash()))
        .put("blockNumber", cast.blockNumber());
  }

  private BlockHeader head() {
    return context.chain().head();
  }

  private WorldState state(BlockHeader head) {
    return context.chain().stateAt(head);
  }
}
