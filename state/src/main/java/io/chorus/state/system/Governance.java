package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.crosschain.GovernanceSlots;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The governance system contract: a committee of weighted members proposes changes and votes
 * on them. A proposal passes when its yes weight reaches its kind's threshold before it
 * expires; it is queued and takes effect at the start of the next block (before that block's
 * transactions), so every change lands at a block boundary. The validator set lives here: the
 * set that decides block h is the one in the state after block h - 1.
 */
public final class Governance {
  /** Proposal states as stored; {@link Status#EXPIRED} is derived from the block number. */
  public enum Status { NONE, ACTIVE, PASSED, EXECUTED, REJECTED, FAILED, EXPIRED }

  /** The longest a proposal may stay open. */
  public static final long EXPIRY_BLOCKS_MAX = 1_000_000;
  /**
   * Payloads are small (an address, a key; the largest, a notary policy of 16 co-signers, is
   * 704 bytes): a bound on what a proposal stores.
   */
  static final int PAYLOAD_BYTES_MAX = 1_024;
  /** Bounds the committee as consensus bounds the validators. */
  static final int MEMBERS_MAX = 256;
  static final int VALIDATORS_MAX = 256;
  /** Bounds the organisations with a data key as the committee is bounded. */
  static final int ORGANISATIONS_MAX = 256;
  /** Below this a block cannot hold even a plain transfer. */
  public static final long GAS_LIMIT_MIN = 21_000;
  /** The largest block gas limit: it bounds the work of one block. */
  public static final long GAS_LIMIT_MAX = 2_000_000_000L;
  /** The longest block interval: an hour without a block is an outage, not a setting. */
  public static final long BLOCK_INTERVAL_MS_MAX = 3_600_000;
  /** What a call costs before its storage: decoding and dispatch. */
  static final long CALL_GAS = 2_000;

  private static final Function PROPOSE =
      Function.parse("propose(uint8,bytes,uint64)", "(uint64)");
  private static final Function VOTE = Function.parse("vote(uint64,bool)");
  private static final Function PROPOSAL_COUNT = Function.parse("proposalCount()", "(uint64)");
  private static final Function PROPOSAL = Function.parse("proposal(uint64)",
      "(uint8,bytes,address,uint64,uint64,uint8,uint256,uint256)");
  private static final Function VOTE_OF = Function.parse("voteOf(uint64,address)", "(uint8)");
  private static final Function MEMBERS =
      Function.parse("members()", "(address[],uint256[])");
  private static final Function VALIDATORS = Function.parse("validators()", "(bytes[])");
  private static final Function THRESHOLD =
      Function.parse("threshold(uint8)", "(uint256,uint256)");
  /** Events, as Governance.sol declares them. */
  static final Event<?> PROPOSED = Event.create("Proposed",
      TupleType.parse("(uint64,uint8,address,uint64)"), true, false, true, false);
  static final Event<?> VOTED = Event.create("Voted",
      TupleType.parse("(uint64,address,bool,uint8)"), true, true, false, false);
  static final List<Function> FUNCTIONS = List.of(PROPOSE, VOTE, PROPOSAL_COUNT,
      PROPOSAL, VOTE_OF, MEMBERS, VALIDATORS, THRESHOLD);

  private static final Word MEMBER_COUNT = SystemStorage.slot("memberCount");
  private static final Word TOTAL_WEIGHT = SystemStorage.slot("totalWeight");
  // The validator set and its history are read by light clients of this chain through storage
  // proofs: their slots are the ones GovernanceSlots names, one definition for both sides.
  private static final Word VALIDATOR_COUNT = Word.fromBytes(GovernanceSlots.validatorCount());
  private static final Word VALIDATOR_CHANGES = Word.fromBytes(GovernanceSlots.changes());
  private static final Word PROPOSAL_COUNT_SLOT = SystemStorage.slot("proposalCount");
  private static final Word QUEUE_COUNT = SystemStorage.slot("queueCount");
  private static final Word GAS_LIMIT = SystemStorage.slot("gasLimit");
  private static final Word BLOCK_INTERVAL = SystemStorage.slot("blockIntervalMs");
  private static final Word FEE_MODE = SystemStorage.slot("feeMode");
  // The organisations with a data key, in the order they got one ("org" i holds a name), and
  // each one's key ("orgDataKey" by the name's UTF-8 bytes).
  private static final Word ORGANISATION_COUNT = SystemStorage.slot("orgCount");
  /** {@link #zeroFees} is false: EIP-1559 base fees. */
  public static final int FEE_MODE_ETHEREUM_1559 = 0;
  /** {@link #zeroFees} is true: every block's base fee is zero. */
  public static final int FEE_MODE_ZERO = 1;
  /**
   * The first topic of {@code Proposed(uint64 indexed id, uint8 kind, address indexed proposer,
   * uint64 expiresAt)}: topic 1 is the id, topic 2 the proposer; for finding the transaction
   * that made a proposal in the log index.
   */
  public static final Word PROPOSED_TOPIC = Abi.topic0(PROPOSED);
  /**
   * The first topic of {@code Voted(uint64 indexed id, address indexed member, bool approve,
   * uint8 status)}: topic 1 is the id, topic 2 the member; status is the proposal's after the
   * vote.
   */
  public static final Word VOTED_TOPIC = Abi.topic0(VOTED);

  private Governance() {}

  /** A proposal as stored, with its status as of block {@code number}. */
  public record Proposal(long id, ProposalKind kind, byte[] payload, Address proposer,
      long createdAt, long expiresAt, Status status, BigInteger yesWeight, BigInteger noWeight,
      String failure) {}

  // ---- genesis -------------------------------------------------------------------------------

  static void genesis(SystemStorage storage, Consortium consortium, List<byte[]> validators,
      long gasLimit, long blockIntervalMs, boolean zeroFees, HashFunction hash) {
    storage.write(GAS_LIMIT, gasLimit);
    storage.write(BLOCK_INTERVAL, blockIntervalMs);
    storage.write(FEE_MODE, zeroFees ? FEE_MODE_ZERO : FEE_MODE_ETHEREUM_1559);
    for (Consortium.Member member : consortium.committee()) {
      addMember(storage, member.account(), member.weight());
    }
    for (ProposalKind kind : ProposalKind.values()) {
      Consortium.Threshold t = consortium.thresholds().get(kind);
      storage.write(thresholdSlot(kind), BigInteger.valueOf(t.numerator()).shiftLeft(128)
          .or(BigInteger.valueOf(t.denominator())));
    }
    for (byte[] key : validators) {
      addValidator(storage, key, hash);
    }
    consortium.organisationDataKeys().forEach((name, key) ->
        setOrganisationDataKey(storage, name, key));
  }

  // ---- reads for the node --------------------------------------------------------------------

  /** The validators' 64-byte public keys in the state {@code state}, in proposer order. */
  public static List<byte[]> validators(StateReader state) {
    SystemStorage storage = SystemStorage.readOnly(SystemContracts.GOVERNANCE, state);
    long count = storage.readLong(VALIDATOR_COUNT);
    List<byte[]> keys = new ArrayList<>((int) count);
    for (long i = 0; i < count; i++) {
      keys.add(storage.readBytes("validator", i));
    }
    return keys;
  }

  /**
   * The gas limit of the block after the one whose state is {@code state}: the genesis value
   * until a proposal changes it.
   */
  public static long gasLimit(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.GOVERNANCE, state).readLong(GAS_LIMIT);
  }

  /**
   * The block interval (ms) of the height after the block whose state is {@code state}: how
   * long consensus waits for work before it makes an empty block.
   */
  public static long blockIntervalMs(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.GOVERNANCE, state).readLong(BLOCK_INTERVAL);
  }

  /**
   * Whether the block after the one whose state is {@code state} has a zero base fee (fee mode
   * zero) rather than EIP-1559's: the genesis mode until a proposal changes it.
   */
  public static boolean zeroFees(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.GOVERNANCE, state).readLong(FEE_MODE)
        == FEE_MODE_ZERO;
  }

  /**
   * The public data key (64 bytes) of organisation {@code name} in the state {@code state}:
   * what events visible to it are sealed for; null when it has none.
   */
  public static byte[] organisationDataKey(StateReader state, String name) {
    byte[] key = SystemStorage.readOnly(SystemContracts.GOVERNANCE, state)
        .readBytes("orgDataKey", name.getBytes(StandardCharsets.UTF_8));
    return key.length == 0 ? null : key;
  }

  /** Every organisation's public data key in the state {@code state}, in the order they got one. */
  public static Map<String, byte[]> organisationDataKeys(StateReader state) {
    SystemStorage storage = SystemStorage.readOnly(SystemContracts.GOVERNANCE, state);
    long count = storage.readLong(ORGANISATION_COUNT);
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (long i = 0; i < count; i++) {
      byte[] name = storage.readBytes("org", i);
      keys.put(new String(name, StandardCharsets.UTF_8), storage.readBytes("orgDataKey", name));
    }
    return keys;
  }

  static boolean isMember(StateReader state, Address account) {
    return SystemStorage.readOnly(SystemContracts.GOVERNANCE, state)
        .readBig(weightSlot(account)).signum() > 0;
  }

  /** How many proposals were ever made; their ids run from 1 to this. */
  public static long proposalCount(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.GOVERNANCE, state)
        .readLong(PROPOSAL_COUNT_SLOT);
  }

  /** Proposal {@code id} as of block {@code number}, or null when there is none. */
  public static Proposal proposal(StateReader state, long id, long number) {
    SystemStorage storage = SystemStorage.readOnly(SystemContracts.GOVERNANCE, state);
    if (id < 1 || id > storage.readLong(PROPOSAL_COUNT_SLOT)) {
      return null;
    }
    return read(storage, id, number);
  }

  /** A committee member and its voting weight. */
  public record Member(Address account, BigInteger weight) {}

  /** The committee in the state {@code state}, in the contract's order. */
  public static List<Member> members(StateReader state) {
    SystemStorage storage = SystemStorage.readOnly(SystemContracts.GOVERNANCE, state);
    long count = storage.readLong(MEMBER_COUNT);
    List<Member> members = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      Address account = storage.readAddress(SystemStorage.slot("member", i));
      members.add(new Member(account, storage.readBig(weightSlot(account))));
    }
    return members;
  }

  /**
   * The share of the committee's weight a proposal of {@code kind} needs: {@code [numerator,
   * denominator]}.
   */
  public static BigInteger[] threshold(StateReader state, ProposalKind kind) {
    BigInteger packed = SystemStorage.readOnly(SystemContracts.GOVERNANCE, state)
        .read(thresholdSlot(kind)).toBigInteger();
    return new BigInteger[] {packed.shiftRight(128),
        packed.and(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE))};
  }

  /** How {@code member} voted on proposal {@code id}: true yes, false no, null not at all. */
  public static Boolean voteOf(StateReader state, long id, Address member) {
    long vote = SystemStorage.readOnly(SystemContracts.GOVERNANCE, state)
        .readLong(voteSlot(id, member));
    return vote == 0 ? null : vote == 1;
  }

  /** Call data of {@code propose(kind, payload, expiryBlocks)}, for clients. */
  public static byte[] proposeCall(ProposalKind kind, byte[] payload, long expiryBlocks) {
    return Abi.bytes(PROPOSE.encodeCallWithArgs(kind.ordinal(), payload,
        BigInteger.valueOf(expiryBlocks)));
  }

  /** Call data of {@code vote(id, approve)}, for clients. */
  public static byte[] voteCall(long id, boolean approve) {
    return Abi.bytes(VOTE.encodeCallWithArgs(BigInteger.valueOf(id), approve));
  }

  // ---- calls ---------------------------------------------------------------------------------

  /** Runs a call from {@code sender}; null when the selector is none of the contract's. */
  static byte[] call(SystemStorage storage, Address sender, byte[] input, long number,
      boolean isStatic, HashFunction hash) {
    Function f = SystemContracts.match(FUNCTIONS, input);
    if (f == null) {
      return null;
    }
    Tuple args = f.decodeCall(input);
    if ((f == PROPOSE || f == VOTE) && isStatic) {
      throw new SystemContracts.Revert(f.getName() + " changes state: send it as a transaction");
    }
    if (f == PROPOSE) {
      long id = propose(storage, sender, ProposalKind.of(args.get(0)), args.get(1),
          ((BigInteger) args.get(2)).longValueExact(), number, hash);
      return encode(f, Tuple.singleton(BigInteger.valueOf(id)));
    } else if (f == VOTE) {
      vote(storage, sender, id(storage, args.get(0)), args.get(1), number);
      return new byte[0];
    } else if (f == PROPOSAL_COUNT) {
      return encode(f, Tuple.singleton(BigInteger.valueOf(
          storage.readLong(PROPOSAL_COUNT_SLOT))));
    } else if (f == PROPOSAL) {
      Proposal p = read(storage, id(storage, args.get(0)), number);
      return encode(f, Tuple.from(p.kind().ordinal(), p.payload(), Abi.toAbi(p.proposer()),
          BigInteger.valueOf(p.createdAt()), BigInteger.valueOf(p.expiresAt()),
          p.status().ordinal(), p.yesWeight(), p.noWeight()));
    } else if (f == VOTE_OF) {
      long id = id(storage, args.get(0));
      return encode(f, Tuple.singleton((int) storage.readLong(
          voteSlot(id, Abi.fromAbi(args.get(1))))));
    } else if (f == MEMBERS) {
      long count = storage.readLong(MEMBER_COUNT);
      com.esaulpaugh.headlong.abi.Address[] accounts =
          new com.esaulpaugh.headlong.abi.Address[(int) count];
      BigInteger[] weights = new BigInteger[(int) count];
      for (int i = 0; i < count; i++) {
        Address member = storage.readAddress(SystemStorage.slot("member", i));
        accounts[i] = Abi.toAbi(member);
        weights[i] = storage.readBig(weightSlot(member));
      }
      return encode(f, Tuple.of(accounts, weights));
    } else if (f == VALIDATORS) {
      long count = storage.readLong(VALIDATOR_COUNT);
      byte[][] keys = new byte[(int) count][];
      for (int i = 0; i < count; i++) {
        keys[i] = storage.readBytes("validator", (long) i);
      }
      return encode(f, Tuple.singleton(keys));
    } else {
      Word t = storage.read(thresholdSlot(ProposalKind.of(args.get(0))));
      BigInteger packed = t.toBigInteger();
      return encode(f, Tuple.of(packed.shiftRight(128),
          packed.and(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE))));
    }
  }

  private static byte[] encode(Function f, Tuple values) {
    return Abi.bytes(f.getOutputs().encode(values));
  }

  private static long id(SystemStorage storage, BigInteger id) {
    if (id.signum() <= 0 || id.compareTo(BigInteger.valueOf(
        storage.readLong(PROPOSAL_COUNT_SLOT))) > 0) {
      throw new SystemContracts.Revert("no proposal " + id);
    }
    return id.longValueExact();
  }

  private static long propose(SystemStorage storage, Address sender, ProposalKind kind,
      byte[] payload, long expiryBlocks, long number, HashFunction hash) {
    requireMember(storage, sender);
    if (expiryBlocks < 1 || expiryBlocks > EXPIRY_BLOCKS_MAX) {
      throw new SystemContracts.Revert("expiry must be 1 to " + EXPIRY_BLOCKS_MAX
          + " blocks, got " + expiryBlocks);
    }
    if (payload.length > PAYLOAD_BYTES_MAX) {
      throw new SystemContracts.Revert("payload exceeds " + PAYLOAD_BYTES_MAX + " bytes");
    }
    // Checked now against the current state, so a proposal that could never apply is refused
    // at once; checked again when it takes effect.
    enact(storage, null, null, null, null, null, kind, payload, hash);
    long id = storage.readLong(PROPOSAL_COUNT_SLOT) + 1;
    storage.write(PROPOSAL_COUNT_SLOT, id);
    storage.write(SystemStorage.slot("p.kind", id), kind.ordinal());
    storage.writeBytes("p.payload", id, payload);
    storage.write(SystemStorage.slot("p.proposer", id), sender);
    storage.write(SystemStorage.slot("p.created", id), number);
    storage.write(SystemStorage.slot("p.expires", id), number + expiryBlocks);
    storage.write(statusSlot(id), Status.ACTIVE.ordinal());
    storage.log(List.of(Abi.topic0(PROPOSED), Word.of(id), Abi.topic(sender)),
        Abi.bytes(PROPOSED.getNonIndexedParams().encode(Tuple.of(kind.ordinal(),
            BigInteger.valueOf(number + expiryBlocks)))));
    vote(storage, sender, id, true, number);
    return id;
  }

  private static void vote(SystemStorage storage, Address sender, long id, boolean approve,
      long number) {
    BigInteger weight = requireMember(storage, sender);
    Status status = Status.values()[(int) storage.readLong(statusSlot(id))];
    if (status != Status.ACTIVE) {
      throw new SystemContracts.Revert("proposal " + id + " is " + status.name().toLowerCase(
          Locale.ROOT) + ": votes are closed");
    }
    if (number > storage.readLong(SystemStorage.slot("p.expires", id))) {
      throw new SystemContracts.Revert("proposal " + id + " expired at block "
          + storage.readLong(SystemStorage.slot("p.expires", id)));
    }
    Word voteSlot = voteSlot(id, sender);
    if (!storage.read(voteSlot).isZero()) {
      throw new SystemContracts.Revert(sender + " has already voted on proposal " + id);
    }
    storage.write(voteSlot, approve ? 1 : 2);
    Word tally = SystemStorage.slot(approve ? "p.yes" : "p.no", id);
    BigInteger sum = storage.readBig(tally).add(weight);
    storage.write(tally, sum);
    ProposalKind kind = ProposalKind.values()[(int) storage.readLong(
        SystemStorage.slot("p.kind", id))];
    BigInteger packed = storage.read(thresholdSlot(kind)).toBigInteger();
    BigInteger numerator = packed.shiftRight(128);
    BigInteger denominator = packed.and(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
    BigInteger total = storage.readBig(TOTAL_WEIGHT);
    if (approve && sum.multiply(denominator).compareTo(numerator.multiply(total)) >= 0) {
      storage.write(statusSlot(id), Status.PASSED.ordinal());
      long queued = storage.readLong(QUEUE_COUNT);
      storage.write(SystemStorage.slot("queue", queued), id);
      storage.write(QUEUE_COUNT, queued + 1);
    } else if (!approve && sum.multiply(denominator).compareTo(
        denominator.subtract(numerator).multiply(total)) > 0) {
      storage.write(statusSlot(id), Status.REJECTED.ordinal()); // the threshold is out of reach
    }
    storage.log(List.of(Abi.topic0(VOTED), Word.of(id), Abi.topic(sender)),
        Abi.bytes(VOTED.getNonIndexedParams().encode(Tuple.of(approve,
            (int) storage.readLong(statusSlot(id))))));
  }

  private static BigInteger requireMember(SystemStorage storage, Address sender) {
    BigInteger weight = storage.readBig(weightSlot(sender));
    if (weight.signum() == 0) {
      throw new SystemContracts.Revert(sender + " is not a member of the governance committee");
    }
    return weight;
  }

  // ---- block boundary ------------------------------------------------------------------------

  /**
   * Applies the proposals that passed in the previous block, in the order they passed, at the
   * start of block {@code number}. One that no longer applies (its validator already removed,
   * say) is marked failed with the reason; the others take effect.
   */
  static void beginBlock(SystemStorage storage, SystemStorage permissions, SystemStorage notary,
      SystemStorage receivables, SystemStorage sharing, SystemStorage crossChain,
      HashFunction hash, long number) {
    long queued = storage.readLong(QUEUE_COUNT);
    for (long i = 0; i < queued; i++) {
      Word slot = SystemStorage.slot("queue", i);
      long id = storage.readLong(slot);
      storage.write(slot, 0);
      ProposalKind kind = ProposalKind.values()[(int) storage.readLong(
          SystemStorage.slot("p.kind", id))];
      try {
        enact(storage, permissions, notary, receivables, sharing, crossChain, kind,
            storage.readBytes("p.payload", id), hash);
        storage.write(statusSlot(id), Status.EXECUTED.ordinal());
        if (kind == ProposalKind.ADD_VALIDATOR || kind == ProposalKind.REMOVE_VALIDATOR) {
          recordValidatorChange(storage, number);
        }
      } catch (SystemContracts.Revert e) {
        storage.write(statusSlot(id), Status.FAILED.ordinal());
        storage.writeBytes("p.failure", id, e.getMessage().getBytes(
            StandardCharsets.UTF_8));
      }
    }
    if (queued > 0) {
      storage.write(QUEUE_COUNT, 0);
    }
  }

  /**
   * Checks a proposal against the state and, with {@code permissions}, {@code notary},
   * {@code receivables}, {@code sharing} and {@code crossChain} (null: only check), applies it.
   */
  private static void enact(SystemStorage storage, SystemStorage permissions,
      SystemStorage notary, SystemStorage receivables, SystemStorage sharing,
      SystemStorage crossChain, ProposalKind kind, byte[] payload, HashFunction hash) {
    Tuple args;
    try {
      args = kind.payload().decode(ByteBuffer.wrap(payload));
    } catch (IllegalArgumentException e) {
      throw new SystemContracts.Revert("payload of a " + kind.label() + " proposal must be the"
          + " ABI encoding of " + kind.payload().getCanonicalType() + " (" + kind.describes()
          + "): " + e.getMessage());
    }
    boolean apply = permissions != null;
    switch (kind) {
      case ADD_MEMBER, REMOVE_MEMBER, ADD_VALIDATOR, REMOVE_VALIDATOR, SET_GAS_LIMIT,
          SET_BLOCK_INTERVAL, SET_FEE_MODE ->
          enactChain(storage, kind, args, apply, hash);
      case GRANT_ROLES, REVOKE_ROLES, FREEZE, UNFREEZE, SET_METHOD_ACCESS, REVOKE_CERTIFICATE,
          SET_RESTRICTIONS -> enactPermission(permissions, kind, args, apply);
      case RECEIVABLE_FREEZE, RECEIVABLE_UNFREEZE, RECEIVABLE_FORCE_TRANSFER ->
          ReceivableCourt.enact(receivables, kind, args);
      case SHARING_DEPARTMENT -> SharingRules.setDepartment(sharing, Abi.fromAbi(args.get(0)),
          args.get(1));
      case CROSSCHAIN_CLIENT -> CrossChainContract.enact(crossChain, args);
      case ORG_DATA_KEY -> enactOrganisationDataKey(storage, args.get(0), args.get(1), apply,
          hash);
      case SET_NOTARY_POLICY -> {
        String recordType = args.get(0);
        List<Address> signers = Arrays.stream(
            (com.esaulpaugh.headlong.abi.Address[]) args.get(1)).map(Abi::fromAbi).toList();
        int threshold = args.get(2);
        NotaryContract.checkPolicy(recordType, signers, threshold);
        if (apply) {
          NotaryContract.setPolicy(notary, recordType, signers, threshold);
        }
      }
    }
  }

  /** The committee, the validators and the chain parameters. */
  private static void enactChain(SystemStorage storage, ProposalKind kind, Tuple args,
      boolean apply, HashFunction hash) {
    switch (kind) {
      case ADD_MEMBER -> {
        Address account = Abi.fromAbi(args.get(0));
        BigInteger weight = args.get(1);
        if (storage.readBig(weightSlot(account)).signum() > 0) {
          throw new SystemContracts.Revert(account + " is already a member");
        }
        if (weight.signum() == 0 || weight.bitLength() > 128) {
          throw new SystemContracts.Revert("a member's weight must be in [1, 2^128)");
        }
        if (storage.readLong(MEMBER_COUNT) >= MEMBERS_MAX) {
          throw new SystemContracts.Revert("the committee has its maximum of " + MEMBERS_MAX);
        }
        if (apply) {
          addMember(storage, account, weight);
        }
      }
      case REMOVE_MEMBER -> {
        Address account = Abi.fromAbi(args.get(0));
        if (storage.readBig(weightSlot(account)).signum() == 0) {
          throw new SystemContracts.Revert(account + " is not a member");
        }
        if (storage.readLong(MEMBER_COUNT) == 1) {
          throw new SystemContracts.Revert("the last member cannot be removed");
        }
        if (apply) {
          removeMember(storage, account);
        }
      }
      case ADD_VALIDATOR -> {
        byte[] key = args.get(0);
        if (key.length != 64) {
          throw new SystemContracts.Revert("a validator is a 64-byte public key, got "
              + key.length + " bytes");
        }
        Address address = Address.fromWord(hash.hash(key));
        if (storage.readLong(validatorIndexSlot(address)) != 0) {
          throw new SystemContracts.Revert(address + " is already a validator");
        }
        if (storage.readLong(VALIDATOR_COUNT) >= VALIDATORS_MAX) {
          throw new SystemContracts.Revert("the validator set has its maximum of "
              + VALIDATORS_MAX);
        }
        if (apply) {
          addValidator(storage, key, hash);
        }
      }
      case REMOVE_VALIDATOR -> {
        Address address = Abi.fromAbi(args.get(0));
        if (storage.readLong(validatorIndexSlot(address)) == 0) {
          throw new SystemContracts.Revert(address + " is not a validator");
        }
        if (storage.readLong(VALIDATOR_COUNT) == 1) {
          throw new SystemContracts.Revert("the last validator cannot be removed");
        }
        if (apply) {
          removeValidator(storage, address, hash);
        }
      }
      case SET_BLOCK_INTERVAL -> {
        BigInteger interval = args.get(0);
        if (interval.signum() <= 0
            || interval.compareTo(BigInteger.valueOf(BLOCK_INTERVAL_MS_MAX)) > 0) {
          throw new SystemContracts.Revert("a block interval must be 1 to "
              + BLOCK_INTERVAL_MS_MAX + " ms, got " + interval);
        }
        if (apply) {
          storage.write(BLOCK_INTERVAL, interval);
        }
      }
      case SET_GAS_LIMIT -> {
        BigInteger limit = args.get(0);
        if (limit.compareTo(BigInteger.valueOf(GAS_LIMIT_MIN)) < 0
            || limit.compareTo(BigInteger.valueOf(GAS_LIMIT_MAX)) > 0) {
          throw new SystemContracts.Revert("a block gas limit must be in [" + GAS_LIMIT_MIN
              + ", " + GAS_LIMIT_MAX + "], got " + limit);
        }
        if (apply) {
          storage.write(GAS_LIMIT, limit);
        }
      }
      case SET_FEE_MODE -> {
        int mode = args.get(0);
        if (mode != FEE_MODE_ETHEREUM_1559 && mode != FEE_MODE_ZERO) {
          throw new SystemContracts.Revert("a fee mode is " + FEE_MODE_ETHEREUM_1559
              + " (ethereum1559) or " + FEE_MODE_ZERO + " (zero), got " + mode);
        }
        if (apply) {
          storage.write(FEE_MODE, mode);
        }
      }
    }
  }

  /**
   * Adds organisation {@code name}'s data key, or rotates it: captures sealed from the next
   * block on are for the new key; its nodes keep the old private key to open older ones.
   */
  private static void enactOrganisationDataKey(SystemStorage storage, String name, byte[] key,
      boolean apply, HashFunction hash) {
    String problem = organisationDataKeyProblem(name, key);
    if (problem != null) {
      throw new SystemContracts.Revert(problem);
    }
    try {
      Receivables.suiteOf(hash).envelope().requireRecipient(key);
    } catch (IllegalArgumentException e) {
      throw new SystemContracts.Revert("the data key of " + name + " is not a public key of"
          + " the chain's suite (" + e.getMessage() + "): give the 64-byte public key (x || y)"
          + " of a key pair made for this chain");
    }
    byte[] current = storage.readBytes("orgDataKey", name.getBytes(StandardCharsets.UTF_8));
    if (Arrays.equals(current, key)) {
      throw new SystemContracts.Revert(name + " has this data key already");
    }
    if (current.length == 0 && storage.readLong(ORGANISATION_COUNT) >= ORGANISATIONS_MAX) {
      throw new SystemContracts.Revert("the chain has data keys for its maximum of "
          + ORGANISATIONS_MAX + " organisations");
    }
    if (apply) {
      setOrganisationDataKey(storage, name, key);
    }
  }

  /**
   * What is wrong with {@code key} as organisation {@code name}'s data key, short of its curve,
   * or null: a name as a sealed capture names its readers (1 to {@link
   * Trace#ORGANISATION_CHARS_MAX} characters, no control characters, no surrounding spaces) and
   * a 64-byte public key.
   */
  static String organisationDataKeyProblem(String name, byte[] key) {
    if (name.isBlank() || name.length() > Trace.ORGANISATION_CHARS_MAX
        || !name.equals(name.strip()) || name.chars().anyMatch(Character::isISOControl)) {
      return "an organisation's name is its certificates' subject O: 1 to "
          + Trace.ORGANISATION_CHARS_MAX + " characters, no control characters nor surrounding"
          + " spaces; got '" + (name.length() > Trace.ORGANISATION_CHARS_MAX
              ? name.substring(0, 16) + "...'" : name + "'");
    }
    if (key.length != 64) {
      return "the data key of " + name + " is a 64-byte public key (x || y), got " + key.length
          + " bytes";
    }
    return null;
  }

  private static void setOrganisationDataKey(SystemStorage storage, String name, byte[] key) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (storage.readBytes("orgDataKey", nameBytes).length == 0) {
      long count = storage.readLong(ORGANISATION_COUNT);
      storage.writeBytes("org", count, nameBytes);
      storage.write(ORGANISATION_COUNT, count + 1);
    }
    storage.writeBytes("orgDataKey", nameBytes, key);
  }

  /** The permissions contract's rules; {@code permissions} is null when only checking. */
  private static void enactPermission(SystemStorage permissions, ProposalKind kind, Tuple args,
      boolean apply) {
    switch (kind) {
      case GRANT_ROLES, REVOKE_ROLES -> {
        BigInteger bits = args.get(1);
        long known = Permissions.ROLES_KNOWN;
        if (bits.signum() == 0 || bits.bitLength() > 63 || (bits.longValue() & ~known) != 0) {
          throw new SystemContracts.Revert("roles are bits " + known + " at most, got " + bits);
        }
        if (apply) {
          Address account = Abi.fromAbi(args.get(0));
          long roles = Permissions.roles(permissions, account);
          Permissions.setRoles(permissions, account, kind == ProposalKind.GRANT_ROLES
              ? roles | bits.longValue() : roles & ~bits.longValue());
        }
      }
      case FREEZE, UNFREEZE -> {
        Address account = Abi.fromAbi(args.get(0));
        if (SystemContracts.isSystem(account)) {
          throw new SystemContracts.Revert("system contracts cannot be frozen");
        }
        if (apply) {
          Permissions.setFrozen(permissions, account, kind == ProposalKind.FREEZE);
        }
      }
      case SET_METHOD_ACCESS -> {
        int access = args.get(2);
        if (access > Permissions.METHOD_DENIED) {
          throw new SystemContracts.Revert("method access is 0 (default), 1 (allowed) or"
              + " 2 (denied), got " + access);
        }
        if (apply) {
          Permissions.setMethodAccess(permissions, Abi.fromAbi(args.get(0)), args.get(1),
              access);
        }
      }
      case REVOKE_CERTIFICATE -> {
        if (apply) {
          Permissions.revokeCertificate(permissions, args.get(0));
        }
      }
      case SET_RESTRICTIONS -> {
        if (apply) {
          Permissions.setRestrictions(permissions, args.get(0), args.get(1));
        }
      }
    }
  }

  /**
   * Counts a validator-set change enacted by block {@code number}, once per block: a light
   * client follows the set from one block to the next, so several changes in one block are one
   * step for it (counted apart, the client would be told to submit the same block twice).
   */
  private static void recordValidatorChange(SystemStorage storage, long number) {
    long changes = storage.readLong(VALIDATOR_CHANGES);
    if (changes > 0 && storage.readLong(changedAtSlot(changes)) == number) {
      return;
    }
    storage.write(VALIDATOR_CHANGES, changes + 1);
    storage.write(changedAtSlot(changes + 1), number);
  }

  /**
   * How many blocks changed the validator set since genesis, in the state {@code state}: the
   * count light clients of this chain follow (zero on a chain whose set never changed).
   */
  public static long validatorChanges(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.GOVERNANCE, state).readLong(VALIDATOR_CHANGES);
  }

  /** The block that made validator-set change {@code n} (from 1), or 0 when there is none. */
  public static long validatorChangedAt(StateReader state, long n) {
    return SystemStorage.readOnly(SystemContracts.GOVERNANCE, state).readLong(changedAtSlot(n));
  }

  // ---- storage layout ------------------------------------------------------------------------

  private static Word changedAtSlot(long n) {
    return Word.fromBytes(GovernanceSlots.changedAt(n));
  }

  private static Word weightSlot(Address account) {
    return SystemStorage.slot("weight", account);
  }

  private static Word thresholdSlot(ProposalKind kind) {
    return SystemStorage.slot("threshold", kind.ordinal());
  }

  private static Word statusSlot(long id) {
    return SystemStorage.slot("p.status", id);
  }

  private static Word voteSlot(long id, Address member) {
    return SystemStorage.slot("vote", id, member);
  }

  private static Word validatorIndexSlot(Address address) {
    return SystemStorage.slot("validatorIndex", address);
  }

  private static void addMember(SystemStorage storage, Address account, BigInteger weight) {
    long count = storage.readLong(MEMBER_COUNT);
    storage.write(SystemStorage.slot("member", count), account);
    storage.write(SystemStorage.slot("memberIndex", account), count + 1);
    storage.write(weightSlot(account), weight);
    storage.write(MEMBER_COUNT, count + 1);
    storage.write(TOTAL_WEIGHT, storage.readBig(TOTAL_WEIGHT).add(weight));
  }

  private static void removeMember(SystemStorage storage, Address account) {
    long count = storage.readLong(MEMBER_COUNT);
    long index = storage.readLong(SystemStorage.slot("memberIndex", account)) - 1;
    Address last = storage.readAddress(SystemStorage.slot("member", count - 1));
    storage.write(SystemStorage.slot("member", index), last);
    storage.write(SystemStorage.slot("memberIndex", last), index + 1);
    storage.write(SystemStorage.slot("member", count - 1), Word.ZERO);
    storage.write(SystemStorage.slot("memberIndex", account), 0);
    storage.write(TOTAL_WEIGHT, storage.readBig(TOTAL_WEIGHT).subtract(
        storage.readBig(weightSlot(account))));
    storage.write(weightSlot(account), 0);
    storage.write(MEMBER_COUNT, count - 1);
  }

  private static void addValidator(SystemStorage storage, byte[] key, HashFunction hash) {
    long count = storage.readLong(VALIDATOR_COUNT);
    storage.writeBytes("validator", count, key);
    storage.write(validatorIndexSlot(Address.fromWord(hash.hash(key))), count + 1);
    storage.write(VALIDATOR_COUNT, count + 1);
  }

  /** Removes a validator keeping the others in their order, so proposer rotation stays fair. */
  private static void removeValidator(SystemStorage storage, Address address,
      HashFunction hash) {
    long count = storage.readLong(VALIDATOR_COUNT);
    long index = storage.readLong(validatorIndexSlot(address)) - 1;
    for (long i = index; i < count - 1; i++) {
      byte[] next = storage.readBytes("validator", i + 1);
      storage.writeBytes("validator", i, next);
      storage.write(validatorIndexSlot(Address.fromWord(hash.hash(next))), i + 1);
    }
    storage.writeBytes("validator", count - 1, new byte[0]);
    storage.write(validatorIndexSlot(address), 0);
    storage.write(VALIDATOR_COUNT, count - 1);
  }

  private static Proposal read(SystemStorage storage, long id, long number) {
    Status status = Status.values()[(int) storage.readLong(statusSlot(id))];
    long expires = storage.readLong(SystemStorage.slot("p.expires", id));
    if (status == Status.ACTIVE && number > expires) {
      status = Status.EXPIRED;
    }
    byte[] failure = storage.readBytes("p.failure", id);
    return new Proposal(id, ProposalKind.values()[(int) storage.readLong(
        SystemStorage.slot("p.kind", id))], storage.readBytes("p.payload", id),
        storage.readAddress(SystemStorage.slot("p.proposer", id)),
        storage.readLong(SystemStorage.slot("p.created", id)), expires, status,
        storage.readBig(SystemStorage.slot("p.yes", id)),
        storage.readBig(SystemStorage.slot("p.no", id)),
        failure.length == 0 ? null : new String(failure, StandardCharsets.UTF_8));
  }
}
