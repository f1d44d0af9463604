package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.ChainJson.NODES;
import static io.chorus.rpc.eth.ChainJson.data;
import static io.chorus.rpc.eth.ChainJson.quantity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.Blockchain;
import io.chorus.consensus.Limits;
import io.chorus.consensus.ValidatorSet;
import io.chorus.evm.Address;
import io.chorus.ledger.BlockHeader;
import io.chorus.rpc.JsonRpc;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Consensus as the chain records it, for the console's Block and Validators pages:
 * {@code chorus_getBlockConsensus(block)} shows who proposed and sealed a block, and
 * {@code chorus_validatorHealth([window])} each validator's recent proposals, seals and missed
 * rounds from stored certificates, with what this node sees of it live (session, announced
 * head, certificate) and a status. Both read only this node; docs/json-rpc.md has the shapes.
 */
public final class ConsensusApi {
  /** Blocks {@code chorus_validatorHealth} shows when no window is given. */
  static final int WINDOW_DEFAULT = 64;
  /** The widest window, and how far back the last proposal and seal are looked for. */
  static final int WINDOW_MAX = 1024;
  /** A connected peer whose announced head is further behind than this is lagging. */
  static final long HEAD_LAG_BLOCKS_MAX = 2;
  /** Identities remembered: validators of the sets seen while this node ran. */
  static final int IDENTITIES_MAX = 4 * Limits.VALIDATORS_MAX;
  /** Chain summaries kept for one head: one per window a console asks with. */
  static final int SUMMARIES_MAX = 8;

  private final Blockchain chain;
  private final PeerLinks links;
  private final InstantSource clock;
  private final Sealings sealings;
  /** The certificate each validator last presented, so one that is down still has a name. */
  private final Map<Address, PeerLinks.Identity> identities = new HashMap<>();
  /** The chain part of the answers at {@link #summaryHead}, by window. */
  private final Map<Integer, Summary> summaries = new HashMap<>();
  private byte[] summaryHead = new byte[0];

  /** The chain's part of a health answer: the same for every call at one head and window. */
  private record Summary(long head, List<Address> validators, ValidatorSet set,
      Map<Address, SealHistory> histories) {}

  /**
   * @param links what this node sees of the validators now ({@link PeerLinks#alone} on a dev
   *     node)
   * @param clock what certificates' days to expiry are counted from
   */
  public ConsensusApi(Blockchain chain, PeerLinks links, InstantSource clock) {
    this.chain = chain;
    this.links = links;
    this.clock = clock;
    this.sealings = new Sealings(chain);
  }

  public Map<String, JsonRpc.Method> methods() {
    return Map.of("chorus_getBlockConsensus", this::blockConsensus,
        "chorus_validatorHealth", this::validatorHealth);
  }

  /** Blocks read from the store so far rather than from the kept records (for tests). */
  long blocksRead() {
    return sealings.blocksRead();
  }

  // ---- chorus_getBlockConsensus ----

  private JsonNode blockConsensus(JsonNode p) {
    Params a = new Params("chorus_getBlockConsensus", p).count(1, 1);
    Optional<BlockHeader> header = block(a.required(0, "block"));
    if (header.isEmpty()) {
      return NODES.nullNode();
    }
    Sealings.Sealing s = sealings.at(header.get().number());
    List<Address> validators = Sealings.addresses(s.validators());
    ObjectNode out = NODES.objectNode();
    out.put("number", quantity(s.number()));
    out.put("hash", data(s.hash()));
    out.put("certified", s.certified());
    if (s.certified()) {
      out.put("round", s.round());
    } else {
      out.putNull("round");
    }
    out.put("proposer", s.proposer() == null ? null : s.proposer().toString());
    out.set("validators", addresses(validators));
    out.set("signers", addresses(List.copyOf(s.signers())));
    if (s.certified()) {
      out.put("quorum", s.validators().quorum());
    } else {
      out.putNull("quorum");
    }
    out.set("missing", addresses(s.certified() ? validators.stream()
        .filter(v -> !s.signers().contains(v)).toList() : List.of()));
    return out;
  }

  /** A block named by a tag, a number or a 32-byte hash; empty when there is no such block. */
  private Optional<BlockHeader> block(JsonNode param) {
    String what = "chorus_getBlockConsensus: param 1 (block)";
    if (!param.isTextual()) {
      throw new IllegalArgumentException(what + " must be a tag (latest, earliest), a 0x-hex"
          + " block number or a 32-byte block hash, got " + Params.abbreviate(param.toString()));
    }
    String text = param.asText();
    return switch (text) {
      case "latest", "pending", "safe", "finalized" -> Optional.of(chain.head());
      case "earliest" -> numbered(0);
      default -> text.length() == 2 + 2 * 32
          ? chain.store().headerByHash(Params.bytes(text, what))
          : numbered(Params.quantityLong(param, what));
    };
  }

  private Optional<BlockHeader> numbered(long number) {
    return chain.store().canonicalHash(number).flatMap(chain.store()::headerByHash);
  }

  // ---- chorus_validatorHealth ----

  private JsonNode validatorHealth(JsonNode p) {
    Params a = new Params("chorus_validatorHealth", p).count(0, 1);
    int window = a.has(0) ? Params.blockCount(a.get(0), WINDOW_MAX,
        "chorus_validatorHealth: param 1 (window)") : WINDOW_DEFAULT;
    BlockHeader head = chain.head();
    Summary summary = summary(head, window);
    ObjectNode out = NODES.objectNode();
    out.put("head", quantity(summary.head()));
    out.put("window", window);
    if (summary.set() == null) {
      out.putNull("quorum");
    } else {
      out.put("quorum", summary.set().quorum());
    }
    ArrayNode entries = out.putArray("validators");
    for (Address v : summary.validators()) {
      entries.add(entry(v, summary.head(), summary.histories().get(v)));
    }
    return out;
  }

  /**
   * The chain part at {@code head}, computed once per head and window: a new head costs the scan
   * of the window, whose blocks but the new one are records kept by {@link Sealings}.
   */
  private synchronized Summary summary(BlockHeader head, int window) {
    byte[] hash = chain.hashOf(head);
    if (!Arrays.equals(hash, summaryHead)) {
      summaries.clear();
      summaryHead = hash;
    }
    Summary known = summaries.get(window);
    if (known != null) {
      return known;
    }
    // The set that decides the next block, as governance keeps it; a dev node is alone.
    ValidatorSet set = links.networked() ? sealings.after(head) : null;
    List<Address> validators = links.networked() ? Sealings.addresses(set)
        : List.of(links.self());
    Summary computed = new Summary(head.number(), validators, set,
        SealHistory.of(sealings, head.number(), window, validators));
    if (summaries.size() >= SUMMARIES_MAX) {
      summaries.clear();
    }
    summaries.put(window, computed);
    return computed;
  }

  private ObjectNode entry(Address v, long head, SealHistory history) {
    boolean self = v.equals(links.self());
    PeerLinks.Link link = self ? new PeerLinks.Link(true, head, links.identity())
        : links.link(v);
    PeerLinks.Identity identity = remember(v, link.identity());
    ObjectNode out = NODES.objectNode();
    out.put("address", v.toString());
    out.put("organisation", identity == null ? null : identity.organisation());
    out.put("name", identity == null ? null : identity.name());
    out.put("self", self);
    out.put("connected", link.connected());
    out.put("peerHead", link.head() < 0 ? null : quantity(link.head()));
    out.put("lastProposed", history.lastProposed() < 0 ? null
        : quantity(history.lastProposed()));
    out.put("lastSigned", history.lastSigned() < 0 ? null : quantity(history.lastSigned()));
    out.put("missedRounds", history.missedRounds());
    out.put("signed", history.signed());
    if (identity == null) {
      out.putNull("certificateDaysToExpiry");
    } else {
      out.put("certificateDaysToExpiry", Math.floorDiv(Duration.between(clock.instant(),
          identity.certificateNotAfter()).toSeconds(), 86_400));
    }
    Health health = health(self, link, head, history);
    out.put("status", health.status());
    out.put("statusReason", health.reason());
    return out;
  }

  /** The identity a validator presents now, else the one it last presented. */
  private PeerLinks.Identity remember(Address v, PeerLinks.Identity now) {
    synchronized (identities) {
      if (now != null) {
        if (identities.size() >= IDENTITIES_MAX) {
          identities.clear(); // sets changed many times: start again with the validators now
        }
        identities.put(v, now);
        return now;
      }
      return identities.get(v);
    }
  }

  /** A status with why, for the console to show beside it. */
  record Health(String status, String reason) {}

  /**
   * The status rule (docs/json-rpc.md): <b>down</b> — no session with it and no seal in the last
   * {@link SealHistory#LOOKBACK_BLOCKS} blocks; <b>lagging</b> — no session though it sealed
   * recently (this node's link is broken, the network's is not), or its announced head is more
   * than {@link #HEAD_LAG_BLOCKS_MAX} behind, or it sealed none of the last blocks it could
   * have; <b>online</b> otherwise. This node is always connected to itself.
   */
  static Health health(boolean self, PeerLinks.Link link, long head, SealHistory history) {
    int lookback = SealHistory.LOOKBACK_BLOCKS;
    boolean silent = history.sealsExpected() && !history.sealedRecently();
    if (!self && !link.connected()) {
      return history.sealedRecently()
          ? new Health("lagging", "no session with this node, but it sealed block "
              + history.lastSigned())
          : new Health("down", "no session with this node and no seal in the last " + lookback
              + " blocks");
    }
    if (link.head() >= 0 && head - link.head() > HEAD_LAG_BLOCKS_MAX) {
      return new Health("lagging", "its announced head " + link.head() + " is "
          + (head - link.head()) + " blocks behind " + head);
    }
    if (silent) {
      return new Health("lagging", "connected, but it sealed none of the last " + lookback
          + " blocks");
    }
    return new Health("online", self ? "this node"
        : history.sealedRecently() ? "connected, sealing" : "connected");
  }

  private static ArrayNode addresses(List<Address> addresses) {
    ArrayNode out = NODES.arrayNode();
    addresses.forEach(a -> out.add(a.toString()));
    return out;
  }
}
