package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.codec.ByteKey;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.MalformedMessageException;
import io.chorus.consensus.ValidatorSet;
import io.chorus.crosschain.AccountProof;
import io.chorus.crosschain.ConsensusState;
import io.chorus.crosschain.CrossChainException;
import io.chorus.crosschain.Evidence;
import io.chorus.crosschain.LightClient;
import io.chorus.crosschain.Packet;
import io.chorus.crosschain.PacketCommitment;
import io.chorus.crosschain.SourceChain;
import io.chorus.crosschain.SourceHeader;
import io.chorus.crosschain.Update;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The cross-chain router system contract ({@code CrossChain.sol}): light clients of other Chorus
 * chains, run by {@code crosschain.LightClient} inside the state transition, their state in this
 * contract's storage under the state root. A client is created only by a governance vote
 * ({@link ProposalKind#CROSSCHAIN_CLIENT}, which binds the trusted header by hash); anyone then
 * submits that header, updates the client with certified headers, or freezes it with two
 * certified blocks at one height. Every refusal of the core reverts with its reason.
 *
 * <p>Packets (IBC v2's, {@code crosschain.Packet}): {@code sendPacket} commits one under its
 * ICS-24 path in this contract's storage, where the other chain proves it by a storage proof
 * against a state root its client of this chain verified; {@code recvPacket} checks such a
 * proof, stores the receipt and the acknowledgement's commitment; {@code acknowledgePacket}
 * and {@code timeoutPacket} settle a sent packet on the source by a proof of the
 * acknowledgement, or of the receipt's absence past the timeout, deleting its commitment so
 * that only one of them happens, once. The packet's applications are called through their
 * ports ({@link CrossChainPorts}): the receiver on receipt, its return data the acknowledgement;
 * the sender once its packet is settled.
 */
final class CrossChainContract {
  /** Client states as stored. */
  enum ClientStatus { NONE, VOTED, ACTIVE, FROZEN }

  /** The verified heights kept per client (a ring): proofs go against these. */
  static final int STATES_KEPT = 256;
  /** What checking one seal costs, as ECRECOVER does. */
  static final long SEAL_GAS = 3_000;
  /** What hashing a 32-byte word of header or proof costs, as KECCAK256 does. */
  static final long WORD_GAS = 6;
  /** ICS-24's identifier characters and length. */
  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._+\\-#\\[\\]<>]{9,64}");
  /** Suites as the vote numbers them. */
  static final List<String> SUITES = List.of("ethereum", "sm");
  /**
   * How far ahead of the source's block time a packet's timeout may be, as IBC v2 bounds it:
   * a packet's effects stay pending until it is received or times out.
   */
  static final long TIMEOUT_AHEAD_MAX_SECONDS = 24 * 60 * 60;
  /** The most entries one {@code pendingPackets} call returns. */
  static final int PENDING_PAGE_MAX = 256;
  /** A packet as calls and logs carry it: IBC v2's fields, its payload a nested tuple. */
  static final String PACKET_TYPE =
      "(string,string,uint64,uint64,(string,string,string,string,bytes))";

  private static final Function SUBMIT_TRUSTED_HEADER =
      Function.parse("submitTrustedHeader(string,bytes,bytes)");
  private static final Function UPDATE_CLIENT =
      Function.parse("updateClient(string,bytes,bytes,bytes)", "(uint64)");
  private static final Function SUBMIT_MISBEHAVIOUR =
      Function.parse("submitMisbehaviour(string,bytes,bytes,bytes,bytes)");
  private static final Function CLIENT_STATE = Function.parse("clientState(string)",
      "(uint8,uint256,uint8,bytes32,uint64,bytes32,uint64,uint64,string)");
  private static final Function VERIFIED_HEIGHT =
      Function.parse("verifiedHeight(string)", "(uint64)");
  private static final Function STATE_ROOT_AT =
      Function.parse("stateRootAt(string,uint64)", "(bytes32)");
  private static final Function EVIDENCE = Function.parse("evidence(string)",
      "(uint64,bytes32,address[],bytes32,address[])");
  private static final Function SEND_PACKET = Function.parse(
      "sendPacket(string,uint64,string,string,string,bytes)", "(uint64)");
  private static final Function RECV_PACKET =
      Function.parse("recvPacket(" + PACKET_TYPE + ",uint64,bytes)");
  private static final Function ACKNOWLEDGE_PACKET = Function.parse(
      "acknowledgePacket(" + PACKET_TYPE + ",bytes[],uint64,bytes)");
  private static final Function TIMEOUT_PACKET =
      Function.parse("timeoutPacket(" + PACKET_TYPE + ",uint64,bytes)");
  private static final Function PENDING_PACKETS = Function.parse(
      "pendingPackets(string,uint64,uint64)", "(uint64,uint64[],uint64[])");
  private static final Function PACKET_COMMITMENT =
      Function.parse("packetCommitment(string,uint64)", "(bytes32)");
  private static final Function PACKET_RECEIPT =
      Function.parse("packetReceipt(string,uint64)", "(uint64)");
  private static final Function PACKET_ACKNOWLEDGEMENT =
      Function.parse("packetAcknowledgement(string,uint64)", "(bytes32)");
  static final List<Function> FUNCTIONS = List.of(SUBMIT_TRUSTED_HEADER, UPDATE_CLIENT,
      SUBMIT_MISBEHAVIOUR, CLIENT_STATE, VERIFIED_HEIGHT, STATE_ROOT_AT, EVIDENCE, SEND_PACKET,
      RECV_PACKET, ACKNOWLEDGE_PACKET, TIMEOUT_PACKET, PENDING_PACKETS, PACKET_COMMITMENT,
      PACKET_RECEIPT, PACKET_ACKNOWLEDGEMENT, CrossChainPorts.REGISTER_PORT,
      CrossChainPorts.PORT_GAS_LIMIT);

  static final Event<?> CLIENT_CREATED = Event.create("ClientCreated",
      TupleType.parse("(string,uint64,bytes32)"), false, false, false);
  static final Event<?> CLIENT_UPDATED = Event.create("ClientUpdated",
      TupleType.parse("(string,uint64,bytes32,bytes32)"), false, false, false, false);
  static final Event<?> CLIENT_FROZEN = Event.create("ClientFrozen",
      TupleType.parse("(string,uint64,bytes32,bytes32,address[])"), false, false, false, false,
      false);
  static final Event<?> PACKET_SENT = Event.create("PacketSent",
      TupleType.parse("(" + PACKET_TYPE + ")"), false);
  static final Event<?> PACKET_RECEIVED = Event.create("PacketReceived",
      TupleType.parse("(" + PACKET_TYPE + ")"), false);
  static final Event<?> WRITE_ACKNOWLEDGEMENT = Event.create("WriteAcknowledgement",
      TupleType.parse("(" + PACKET_TYPE + ",bytes[])"), false, false);
  static final Event<?> PACKET_ACKNOWLEDGED = Event.create("PacketAcknowledged",
      TupleType.parse("(" + PACKET_TYPE + ",bytes[])"), false, false);
  static final Event<?> PACKET_TIMED_OUT = Event.create("PacketTimedOut",
      TupleType.parse("(" + PACKET_TYPE + ")"), false);
  static final List<Event<?>> EVENTS = List.of(CLIENT_CREATED, CLIENT_UPDATED, CLIENT_FROZEN,
      PACKET_SENT, PACKET_RECEIVED, WRITE_ACKNOWLEDGEMENT, PACKET_ACKNOWLEDGED,
      PACKET_TIMED_OUT, CrossChainPorts.PORT_REGISTERED, CrossChainPorts.PORT_CALL_FAILED);

  private CrossChainContract() {}

  /** Runs a call; null when the selector is none of the contract's. */
  static byte[] call(SystemStorage storage, Address sender, byte[] input,
      SystemContracts.Context context, boolean isStatic, HashFunction hash) {
    Function f = SystemContracts.match(FUNCTIONS, input);
    if (f == null) {
      return null;
    }
    Tuple args = f.decodeCall(input);
    boolean writes = f == SUBMIT_TRUSTED_HEADER || f == UPDATE_CLIENT
        || f == SUBMIT_MISBEHAVIOUR || f == SEND_PACKET || f == RECV_PACKET
        || f == ACKNOWLEDGE_PACKET || f == TIMEOUT_PACKET || f == CrossChainPorts.REGISTER_PORT;
    if (writes && isStatic) {
      throw new SystemContracts.Revert(f.getName() + " changes state: send it as a transaction");
    }
    if (f == CrossChainPorts.REGISTER_PORT) {
      CrossChainPorts.register(storage, sender, ((BigInteger) args.get(0)).longValueExact());
      return new byte[0];
    }
    if (f == CrossChainPorts.PORT_GAS_LIMIT) {
      return encode(f, Tuple.singleton(BigInteger.valueOf(CrossChainPorts.gasLimit(storage,
          Abi.fromAbi(args.get(0))))));
    }
    if (f == RECV_PACKET) {
      Packet packet = packet(args.get(0));
      try {
        receive(storage, sender, packet, ((BigInteger) args.get(1)).longValueExact(),
            args.get(2), context, localSuite(hash));
      } catch (CrossChainException e) {
        throw new SystemContracts.Revert("client " + packet.destClient() + ": packet "
            + packet.sequence() + ": " + e.getMessage());
      }
      return new byte[0];
    }
    if (f == ACKNOWLEDGE_PACKET || f == TIMEOUT_PACKET) {
      Packet packet = packet(args.get(0));
      try {
        if (f == ACKNOWLEDGE_PACKET) {
          acknowledge(storage, sender, packet, List.of((byte[][]) args.get(1)),
              ((BigInteger) args.get(2)).longValueExact(), args.get(3), localSuite(hash));
        } else {
          timeout(storage, sender, packet, ((BigInteger) args.get(1)).longValueExact(),
              args.get(2), localSuite(hash));
        }
      } catch (CrossChainException e) {
        throw new SystemContracts.Revert("client " + packet.sourceClient() + ": packet "
            + packet.sequence() + ": " + e.getMessage());
      }
      return new byte[0];
    }
    String id = args.get(0);
    byte[] key = idKey(id);
    try {
      if (f == SUBMIT_TRUSTED_HEADER) {
        submitTrustedHeader(storage, id, key, args.get(1), args.get(2));
        return new byte[0];
      } else if (f == UPDATE_CLIENT) {
        return encode(f, Tuple.singleton(BigInteger.valueOf(
            update(storage, id, key, args.get(1), args.get(2), args.get(3)))));
      } else if (f == SUBMIT_MISBEHAVIOUR) {
        misbehaviour(storage, id, key, args.get(1), args.get(2), args.get(3), args.get(4));
        return new byte[0];
      } else if (f == SEND_PACKET) {
        return encode(f, Tuple.singleton(BigInteger.valueOf(send(storage, sender, id, key,
            args, context, localSuite(hash)))));
      }
    } catch (CrossChainException e) {
      throw new SystemContracts.Revert("client " + id + ": " + e.getMessage());
    }
    return view(storage, f, id, key, args);
  }

  private static byte[] view(SystemStorage storage, Function f, String id, byte[] key,
      Tuple args) {
    if (f == PENDING_PACKETS) {
      return pending(storage, key, ((BigInteger) args.get(1)).longValueExact(),
          ((BigInteger) args.get(2)).longValueExact());
    } else if (f == PACKET_COMMITMENT) {
      return encode(f, Tuple.singleton(storage.read(Word.fromBytes(PacketCommitment.slot(
          PacketCommitment.commitmentPath(id, ((BigInteger) args.get(1)).longValueExact())))).toBytes()));
    } else if (f == PACKET_RECEIPT) {
      return encode(f, Tuple.singleton(storage.readBig(Word.fromBytes(PacketCommitment.slot(
          PacketCommitment.receiptPath(id, ((BigInteger) args.get(1)).longValueExact()))))));
    } else if (f == PACKET_ACKNOWLEDGEMENT) {
      return encode(f, Tuple.singleton(storage.read(Word.fromBytes(PacketCommitment.slot(
          PacketCommitment.acknowledgementPath(id, ((BigInteger) args.get(1)).longValueExact()))))
          .toBytes()));
    }
    ClientStatus status = status(storage, key);
    if (f == CLIENT_STATE) {
      // A voted client reports the header it awaits, so that anyone can submit it.
      boolean voted = status == ClientStatus.VOTED;
      return encode(f, Tuple.from(status.ordinal(), storage.readBig(slot("chainId", key)),
          (int) storage.readLong(slot("suite", key)), storage.read(slot("genesis", key))
              .toBytes(), BigInteger.valueOf(storage.readLong(slot(voted ? "trustedHeight"
                  : "height", key))),
          storage.read(slot(voted ? "trustedHash" : "hash", key)).toBytes(),
          BigInteger.valueOf(storage.readLong(slot("time", key))),
          BigInteger.valueOf(storage.readLong(slot("changes", key))),
          new String(storage.readBytes("c.counterparty", Word.fromBytes(key)),
              StandardCharsets.UTF_8)));
    }
    if (status != ClientStatus.ACTIVE && status != ClientStatus.FROZEN) {
      throw new SystemContracts.Revert("client " + id + " has verified nothing: it is "
          + status.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (f == VERIFIED_HEIGHT) {
      return encode(f, Tuple.singleton(BigInteger.valueOf(
          storage.readLong(slot("height", key)))));
    } else if (f == STATE_ROOT_AT) {
      long height = ((BigInteger) args.get(1)).longValueExact();
      Optional<ConsensusState> state = consensusState(storage, key, height);
      if (state.isEmpty()) {
        throw new SystemContracts.Revert("client " + id + " has not verified block " + height
            + " (or no longer keeps it: it keeps the last " + STATES_KEPT + ")");
      }
      return encode(f, Tuple.singleton(state.get().stateRoot()));
    }
    if (status != ClientStatus.FROZEN) {
      throw new SystemContracts.Revert("client " + id + " is not frozen: no evidence");
    }
    Evidence e = evidence(storage, key).orElseThrow();
    return encode(f, Tuple.from(BigInteger.valueOf(e.height()), e.firstBlock(),
        abi(e.firstSigners()), e.secondBlock(), abi(e.secondSigners())));
  }

  // ---- creation by vote ----------------------------------------------------------------------

  /**
   * Checks a {@link ProposalKind#CROSSCHAIN_CLIENT} payload and, with {@code storage} (null:
   * only check), records it: the client awaits its trusted header. A vote on an existing client
   * replaces it (the way a frozen client is restored); its verified heights are dropped.
   */
  static void enact(SystemStorage storage, Tuple args) {
    String id = args.get(0);
    BigInteger chainId = args.get(1);
    int suite = args.get(2);
    byte[] genesis = args.get(3);
    long trustedHeight = ((BigInteger) args.get(4)).longValueExact();
    byte[] trustedHash = args.get(5);
    String counterparty = args.get(6);
    byte[] key = idKey(id);
    idKey(counterparty);
    if (suite < 0 || suite >= SUITES.size()) {
      throw new SystemContracts.Revert("a suite is 0 (ethereum) or 1 (sm), got " + suite);
    }
    try {
      new SourceChain(chainId, suiteOf(suite), genesis);
    } catch (IllegalArgumentException e) {
      throw new SystemContracts.Revert("the source chain is not valid: " + e.getMessage());
    }
    if (Word.fromBytes(trustedHash).isZero()) {
      throw new SystemContracts.Revert("the trusted header's hash is all zero");
    }
    if (trustedHeight < 0) {
      throw new SystemContracts.Revert("the trusted height is beyond 2^63");
    }
    if (storage == null) {
      return;
    }
    storage.write(slot("status", key), ClientStatus.VOTED.ordinal());
    storage.write(slot("chainId", key), chainId);
    storage.write(slot("suite", key), suite);
    storage.write(slot("genesis", key), Word.fromBytes(genesis));
    storage.write(slot("trustedHeight", key), trustedHeight);
    storage.write(slot("trustedHash", key), Word.fromBytes(trustedHash));
    storage.writeBytes("c.counterparty", Word.fromBytes(key),
        counterparty.getBytes(StandardCharsets.UTF_8));
    // A new generation: the heights the replaced client verified are no longer reachable.
    storage.write(slot("generation", key), storage.readLong(slot("generation", key)) + 1);
    storage.write(slot("height", key), 0);
    storage.write(slot("hash", key), Word.ZERO);
    storage.write(slot("time", key), 0);
    storage.write(slot("changes", key), 0);
  }

  private static void submitTrustedHeader(SystemStorage storage, String id, byte[] key,
      byte[] header, byte[] proof) {
    ClientStatus status = status(storage, key);
    if (status != ClientStatus.VOTED) {
      throw new SystemContracts.Revert("client " + id + " awaits no trusted header: it is "
          + status.name().toLowerCase(java.util.Locale.ROOT) + " (a client is created by a "
          + ProposalKind.CROSSCHAIN_CLIENT.label() + " vote)");
    }
    SourceChain chain = chain(storage, key);
    chargeWork(storage, header.length + proof.length, 0);
    SourceHeader decoded = SourceHeader.decode(chain.suite(), header);
    byte[] voted = storage.read(slot("trustedHash", key)).toBytes();
    long votedHeight = storage.readLong(slot("trustedHeight", key));
    if (!Arrays.equals(decoded.hash(), voted) || decoded.number() != votedHeight) {
      throw new SystemContracts.Revert("client " + id + ": the header is " + decoded
          + ", not block " + votedHeight + " (" + Word.fromBytes(voted) + ") the vote trusted");
    }
    Update.Advanced created = LightClient.create(chain, header, AccountProof.decode(proof));
    store(storage, key, created.client());
    keep(storage, key, created.state());
    storage.write(slot("status", key), ClientStatus.ACTIVE.ordinal());
    storage.log(List.of(Abi.topic0(CLIENT_CREATED)), Abi.bytes(CLIENT_CREATED
        .getNonIndexedParams().encode(Tuple.of(id, BigInteger.valueOf(decoded.number()),
            decoded.hash()))));
  }

  // ---- packets ------------------------------------------------------------------------------

  /**
   * Commits a packet from {@code sender} (its source port: the sender's address) through
   * {@code sourceClient} to the client's counterparty on the other chain; its sequence.
   */
  private static long send(SystemStorage storage, Address sender, String sourceClient,
      byte[] key, Tuple args, SystemContracts.Context context, CryptoSuite suite) {
    ClientStatus status = status(storage, key);
    if (status != ClientStatus.ACTIVE) {
      throw new SystemContracts.Revert("client " + sourceClient + " sends no packets: it is "
          + status.name().toLowerCase(java.util.Locale.ROOT)
          + (status == ClientStatus.FROZEN ? " (a vote replaces a frozen client)" : ""));
    }
    long timeout = ((BigInteger) args.get(1)).longValueExact();
    if (timeout <= context.timestamp()) {
      throw new SystemContracts.Revert("the timeout " + timeout + " has passed: this block's"
          + " time is " + context.timestamp() + "; give a time after it");
    }
    if (timeout - context.timestamp() > TIMEOUT_AHEAD_MAX_SECONDS) {
      throw new SystemContracts.Revert("the timeout " + timeout + " is more than "
          + TIMEOUT_AHEAD_MAX_SECONDS + " s after this block's time " + context.timestamp());
    }
    Word next = slot("p.sequence", key);
    long sequence = storage.readLong(next) + 1;
    String counterparty = new String(storage.readBytes("c.counterparty", Word.fromBytes(key)),
        StandardCharsets.UTF_8);
    Packet packet;
    try {
      packet = new Packet(sourceClient, counterparty, sequence, timeout, new Packet.Payload(
          sender.toString(), args.get(2), args.get(3), args.get(4), args.get(5)));
    } catch (IllegalArgumentException e) {
      throw new SystemContracts.Revert("the packet is refused: " + e.getMessage());
    }
    chargeWork(storage, packet.payload().value().length, 0);
    storage.write(next, sequence);
    storage.write(Word.fromBytes(PacketCommitment.slot(PacketCommitment.commitmentPath(
        sourceClient, sequence))), Word.fromBytes(PacketCommitment.commitment(suite, packet)));
    // The relayer's work list: pending sequences and where their PacketSent logs are.
    Word count = slot("p.pendingCount", key);
    long pending = storage.readLong(count);
    storage.write(slot("p.pending", key, pending), sequence);
    storage.write(slot("p.index", key, sequence), pending + 1);
    storage.write(slot("p.sentAt", key, sequence), context.blockNumber());
    storage.write(count, pending + 1);
    storage.log(List.of(Abi.topic0(PACKET_SENT)), Abi.bytes(PACKET_SENT.getNonIndexedParams()
        .encode(Tuple.singleton(abi(packet)))));
    return sequence;
  }

  /**
   * Records {@code packet} as received through its destination client, once its commitment is
   * proven in the source router's storage at a height the client verified.
   */
  private static void receive(SystemStorage storage, Address relayer, Packet packet,
      long proofHeight, byte[] proof, SystemContracts.Context context, CryptoSuite suite) {
    String id = packet.destClient();
    byte[] key = idKey(id);
    ClientStatus status = status(storage, key);
    if (status != ClientStatus.ACTIVE) {
      throw new CrossChainException("the client receives no packets: it is "
          + status.name().toLowerCase(java.util.Locale.ROOT));
    }
    String counterparty = new String(storage.readBytes("c.counterparty", Word.fromBytes(key)),
        StandardCharsets.UTF_8);
    if (!counterparty.equals(packet.sourceClient())) {
      throw new CrossChainException("the packet comes from client " + packet.sourceClient()
          + ", but this client's counterparty is " + counterparty);
    }
    if (context.timestamp() >= packet.timeoutSeconds()) {
      throw new CrossChainException("the packet timed out at " + packet.timeoutSeconds()
          + "; this block's time is " + context.timestamp());
    }
    Word receipt = Word.fromBytes(PacketCommitment.slot(PacketCommitment.receiptPath(id,
        packet.sequence())));
    long receivedAt = storage.readLong(receipt);
    if (receivedAt != 0) {
      throw new CrossChainException("already received, in block " + receivedAt);
    }
    LightClient client = load(storage, id, key);
    chargeWork(storage, proof.length + packet.payload().value().length, 0);
    client.verifyMembership(height -> consensusState(storage, key, height), proofHeight,
        SystemContracts.CROSSCHAIN.toArray(), PacketCommitment.slot(
            PacketCommitment.commitmentPath(packet.sourceClient(), packet.sequence())),
        PacketCommitment.commitment(client.chain().suite(), packet), AccountProof.decode(proof));
    storage.write(receipt, Word.fromBytes(PacketCommitment.receiptValue(context.blockNumber())));
    storage.log(List.of(Abi.topic0(PACKET_RECEIVED)), Abi.bytes(PACKET_RECEIVED
        .getNonIndexedParams().encode(Tuple.singleton(abi(packet)))));
    // The receipt is written before the receiver runs, so that it cannot receive it twice.
    // One result per payload, as IBC v2 acknowledges; the source proves its commitment.
    byte[][] acknowledgement = {CrossChainPorts.receive(storage, packet, abi(packet), relayer,
        PacketCommitment.errorAcknowledgement(suite))};
    storage.write(Word.fromBytes(PacketCommitment.slot(PacketCommitment.acknowledgementPath(id,
        packet.sequence()))), Word.fromBytes(PacketCommitment.acknowledgement(suite,
        List.of(acknowledgement))));
    storage.log(List.of(Abi.topic0(WRITE_ACKNOWLEDGEMENT)), Abi.bytes(WRITE_ACKNOWLEDGEMENT
        .getNonIndexedParams().encode(Tuple.of(abi(packet), acknowledgement))));
  }

  /**
   * Settles a sent packet by the destination's acknowledgement, once its commitment is proven
   * in the destination router's storage at a height the source client verified.
   */
  private static void acknowledge(SystemStorage storage, Address relayer, Packet packet,
      List<byte[]> acknowledgement, long proofHeight, byte[] proof, CryptoSuite suite) {
    byte[] key = idKey(packet.sourceClient());
    Word commitment = requireCommitted(storage, packet, suite);
    LightClient client = load(storage, packet.sourceClient(), key);
    if (acknowledgement.size() != 1) {
      throw new CrossChainException("an acknowledgement holds one result per payload, and the"
          + " packet has one; got " + acknowledgement.size());
    }
    chargeWork(storage, proof.length + acknowledgement.get(0).length, 0);
    client.verifyMembership(height -> consensusState(storage, key, height), proofHeight,
        SystemContracts.CROSSCHAIN.toArray(), PacketCommitment.slot(
            PacketCommitment.acknowledgementPath(packet.destClient(), packet.sequence())),
        PacketCommitment.acknowledgement(client.chain().suite(), acknowledgement),
        AccountProof.decode(proof));
    settle(storage, key, packet, commitment);
    storage.log(List.of(Abi.topic0(PACKET_ACKNOWLEDGED)), Abi.bytes(PACKET_ACKNOWLEDGED
        .getNonIndexedParams().encode(Tuple.of(abi(packet),
            acknowledgement.toArray(byte[][]::new)))));
    // The error acknowledgement is the destination's, in its suite: the sender refunds on it.
    byte[] result = acknowledgement.get(0);
    CrossChainPorts.settled(storage, packet, abi(packet), result, !Arrays.equals(result,
        PacketCommitment.errorAcknowledgement(client.chain().suite())), relayer);
  }

  /**
   * Settles a sent packet that was never received: its receipt proven absent on the destination
   * at a verified height whose time is at or after the timeout. The destination writes no
   * receipt from that time on, so the packet can no longer be received.
   */
  private static void timeout(SystemStorage storage, Address relayer, Packet packet,
      long proofHeight, byte[] proof, CryptoSuite suite) {
    byte[] key = idKey(packet.sourceClient());
    Word commitment = requireCommitted(storage, packet, suite);
    LightClient client = load(storage, packet.sourceClient(), key);
    Optional<ConsensusState> state = consensusState(storage, key, proofHeight);
    if (state.isPresent() && state.get().timestamp() < packet.timeoutSeconds()) {
      throw new CrossChainException("the destination's time at block " + proofHeight + " is "
          + state.get().timestamp() + ", before the timeout " + packet.timeoutSeconds()
          + ": the packet can still be received; prove against a later verified height");
    }
    chargeWork(storage, proof.length, 0);
    client.verifyNonMembership(height -> consensusState(storage, key, height), proofHeight,
        SystemContracts.CROSSCHAIN.toArray(), PacketCommitment.slot(
            PacketCommitment.receiptPath(packet.destClient(), packet.sequence())),
        AccountProof.decode(proof));
    settle(storage, key, packet, commitment);
    storage.log(List.of(Abi.topic0(PACKET_TIMED_OUT)), Abi.bytes(PACKET_TIMED_OUT
        .getNonIndexedParams().encode(Tuple.singleton(abi(packet)))));
    CrossChainPorts.settled(storage, packet, abi(packet), null, false, relayer);
  }

  /** The slot of the packet's commitment, refused unless it holds this packet's. */
  private static Word requireCommitted(SystemStorage storage, Packet packet, CryptoSuite suite) {
    Word slot = Word.fromBytes(PacketCommitment.slot(PacketCommitment.commitmentPath(
        packet.sourceClient(), packet.sequence())));
    Word stored = storage.read(slot);
    if (stored.isZero()) {
      throw new CrossChainException("no commitment: the packet was acknowledged or timed out"
          + " already, or never sent");
    }
    if (!Arrays.equals(stored.toBytes(), PacketCommitment.commitment(suite, packet))) {
      throw new CrossChainException("the packet is not the one committed at this sequence"
          + " (its fields differ from the PacketSent log's)");
    }
    return slot;
  }

  /**
   * Deletes the packet's commitment, so neither an acknowledgement nor a timeout follows, and
   * takes it off the pending list: the last entry moves into its place.
   */
  private static void settle(SystemStorage storage, byte[] key, Packet packet,
      Word commitment) {
    storage.write(commitment, Word.ZERO);
    long sequence = packet.sequence();
    Word count = slot("p.pendingCount", key);
    long last = storage.readLong(count) - 1;
    long position = storage.readLong(slot("p.index", key, sequence)) - 1;
    if (position < 0) {
      throw new CrossChainException("the packet is committed but has no pending entry: a"
          + " router from before pending entries were indexed sent it");
    }
    long moved = storage.readLong(slot("p.pending", key, last));
    storage.write(slot("p.pending", key, position), moved);
    storage.write(slot("p.index", key, moved), position + 1);
    storage.write(slot("p.pending", key, last), 0);
    storage.write(slot("p.index", key, sequence), 0);
    storage.write(slot("p.sentAt", key, sequence), 0);
    storage.write(count, last);
  }

  /** A page of the client's pending packets: their count, sequences and send blocks. */
  private static byte[] pending(SystemStorage storage, byte[] key, long from, long limit) {
    if (limit > PENDING_PAGE_MAX) {
      throw new SystemContracts.Revert("a page holds at most " + PENDING_PAGE_MAX
          + " packets, asked for " + limit);
    }
    long total = storage.readLong(slot("p.pendingCount", key));
    int size = (int) Math.max(0, Math.min(limit, total - from));
    BigInteger[] sequences = new BigInteger[size];
    BigInteger[] sentAt = new BigInteger[size];
    for (int i = 0; i < size; i++) {
      long sequence = storage.readLong(slot("p.pending", key, from + i));
      sequences[i] = BigInteger.valueOf(sequence);
      sentAt[i] = storage.readBig(slot("p.sentAt", key, sequence));
    }
    return encode(PENDING_PACKETS, Tuple.of(BigInteger.valueOf(total), sequences, sentAt));
  }

  private static Packet packet(Tuple t) {
    Tuple p = t.get(4);
    try {
      return new Packet(t.get(0), t.get(1), ((BigInteger) t.get(2)).longValueExact(),
          ((BigInteger) t.get(3)).longValueExact(), new Packet.Payload(p.get(0), p.get(1),
              p.get(2), p.get(3), p.get(4)));
    } catch (IllegalArgumentException e) {
      throw new SystemContracts.Revert("the packet is malformed: " + e.getMessage());
    }
  }

  static Tuple abi(Packet packet) {
    Packet.Payload p = packet.payload();
    return Tuple.of(packet.sourceClient(), packet.destClient(),
        BigInteger.valueOf(packet.sequence()), BigInteger.valueOf(packet.timeoutSeconds()),
        Tuple.of(p.sourcePort(), p.destPort(), p.version(), p.encoding(), p.value()));
  }

  /** This chain's suite, known to the state transition by its hash function. */
  private static CryptoSuite localSuite(HashFunction hash) {
    return hash.name().equals(CryptoSuite.sm().hashFunction().name()) ? CryptoSuite.sm()
        : CryptoSuite.ethereum();
  }

  // ---- updates and misbehaviour --------------------------------------------------------------

  private static long update(SystemStorage storage, String id, byte[] key, byte[] header,
      byte[] certificate, byte[] proof) {
    LightClient client = load(storage, id, key);
    chargeWork(storage, header.length + proof.length, seals(certificate));
    Update update = client.update(header, certificate, AccountProof.decode(proof),
        height -> consensusState(storage, key, height));
    switch (update) {
      case Update.Advanced advanced -> {
        store(storage, key, advanced.client());
        keep(storage, key, advanced.state());
        ConsensusState state = advanced.state();
        storage.log(List.of(Abi.topic0(CLIENT_UPDATED)), Abi.bytes(CLIENT_UPDATED
            .getNonIndexedParams().encode(Tuple.of(id, BigInteger.valueOf(state.height()),
                state.headerHash(), state.stateRoot()))));
        return state.height();
      }
      case Update.Known known -> {
        return known.state().height();
      }
      case Update.Frozen frozen -> {
        freeze(storage, id, key, frozen.client());
        return frozen.client().latestHeight();
      }
    }
  }

  private static void misbehaviour(SystemStorage storage, String id, byte[] key,
      byte[] firstHeader, byte[] firstCertificate, byte[] secondHeader,
      byte[] secondCertificate) {
    LightClient client = load(storage, id, key);
    chargeWork(storage, firstHeader.length + secondHeader.length,
        seals(firstCertificate) + seals(secondCertificate));
    freeze(storage, id, key, client.misbehaviour(firstHeader, firstCertificate, secondHeader,
        secondCertificate));
  }

  private static void freeze(SystemStorage storage, String id, byte[] key, LightClient frozen) {
    Evidence e = frozen.frozen().orElseThrow();
    storage.write(slot("status", key), ClientStatus.FROZEN.ordinal());
    storage.write(slot("e.height", key), e.height());
    storage.write(slot("e.first", key), Word.fromBytes(e.firstBlock()));
    storage.write(slot("e.second", key), Word.fromBytes(e.secondBlock()));
    storage.writeBytes("e.firstSigners", Word.fromBytes(key), joined(e.firstSigners()));
    storage.writeBytes("e.secondSigners", Word.fromBytes(key), joined(e.secondSigners()));
    storage.log(List.of(Abi.topic0(CLIENT_FROZEN)), Abi.bytes(CLIENT_FROZEN
        .getNonIndexedParams().encode(Tuple.of(id, BigInteger.valueOf(e.height()),
            e.firstBlock(), e.secondBlock(), abi(e.equivocators())))));
  }

  /** Charges the native work: hashing what was sent and checking each seal. */
  private static void chargeWork(SystemStorage storage, long bytes, int seals) {
    storage.charge(WORD_GAS * ((bytes + 31) / 32) + SEAL_GAS * seals);
  }

  private static int seals(byte[] certificate) {
    try {
      return CommitCertificate.decode(certificate).seals().size();
    } catch (MalformedMessageException e) {
      throw new CrossChainException("the commit certificate is malformed: " + e.getMessage());
    }
  }

  // ---- storage layout ------------------------------------------------------------------------

  /** A client's id as a slot key; refuses what is not an ICS-24 identifier. */
  private static byte[] idKey(String id) {
    if (!CLIENT_ID.matcher(id).matches()) {
      throw new SystemContracts.Revert("a client id is 9 to 64 of A-Z a-z 0-9 . _ + - # [ ] < >"
          + " (ICS-24), got '" + id + "'");
    }
    return id.getBytes(StandardCharsets.US_ASCII);
  }

  private static Word slot(String field, byte[] key, Object... more) {
    Object[] keys = new Object[more.length + 1];
    keys[0] = key;
    System.arraycopy(more, 0, keys, 1, more.length);
    return SystemStorage.slot("c." + field, keys);
  }

  private static ClientStatus status(SystemStorage storage, byte[] key) {
    return ClientStatus.values()[(int) storage.readLong(slot("status", key))];
  }

  private static CryptoSuite suiteOf(int suite) {
    return suite == 0 ? CryptoSuite.ethereum() : CryptoSuite.sm();
  }

  private static SourceChain chain(SystemStorage storage, byte[] key) {
    return new SourceChain(storage.readBig(slot("chainId", key)),
        suiteOf((int) storage.readLong(slot("suite", key))),
        storage.read(slot("genesis", key)).toBytes());
  }

  private static LightClient load(SystemStorage storage, String id, byte[] key) {
    ClientStatus status = status(storage, key);
    if (status != ClientStatus.ACTIVE && status != ClientStatus.FROZEN) {
      throw new SystemContracts.Revert("client " + id + " is not active: it is "
          + status.name().toLowerCase(java.util.Locale.ROOT));
    }
    SourceChain chain = chain(storage, key);
    long count = storage.readLong(slot("validatorCount", key));
    List<ValidatorSet.Validator> members = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      byte[] publicKey = storage.readBytes("c.validator", slot("validator", key, i));
      members.add(new ValidatorSet.Validator(
          new ByteKey(chain.suite().address(publicKey)), publicKey));
    }
    return LightClient.restore(chain, storage.readLong(slot("height", key)),
        storage.read(slot("hash", key)).toBytes(), storage.readLong(slot("time", key)),
        new ValidatorSet(members), storage.readLong(slot("changes", key)),
        storage.readLong(slot("validatorsAfter", key)),
        status == ClientStatus.FROZEN ? evidence(storage, key) : Optional.empty());
  }

  private static void store(SystemStorage storage, byte[] key, LightClient client) {
    storage.write(slot("height", key), client.latestHeight());
    storage.write(slot("hash", key), Word.fromBytes(client.latestHash()));
    storage.write(slot("time", key), client.latestTimestamp());
    storage.write(slot("changes", key), client.changes());
    long after = storage.readLong(slot("validatorsAfter", key));
    boolean created = storage.readLong(slot("status", key)) == ClientStatus.VOTED.ordinal();
    if (created || after != client.validatorsAfter()) {
      // The set changes only at a change block (or creation): written then, not every update.
      storage.write(slot("validatorsAfter", key), client.validatorsAfter());
      ValidatorSet set = client.validators();
      storage.write(slot("validatorCount", key), set.size());
      for (int i = 0; i < set.size(); i++) {
        storage.writeBytes("c.validator", slot("validator", key, (long) i),
            set.get(i).publicKey());
      }
    }
  }

  private static Optional<Evidence> evidence(SystemStorage storage, byte[] key) {
    return Optional.of(new Evidence(storage.readLong(slot("e.height", key)),
        storage.read(slot("e.first", key)).toBytes(),
        split(storage.readBytes("e.firstSigners", Word.fromBytes(key))),
        storage.read(slot("e.second", key)).toBytes(),
        split(storage.readBytes("e.secondSigners", Word.fromBytes(key)))));
  }

  /** Keeps a verified height, dropping the oldest once {@link #STATES_KEPT} are kept. */
  private static void keep(SystemStorage storage, byte[] key, ConsensusState state) {
    long generation = storage.readLong(slot("generation", key));
    Word count = slot("kept", key, generation);
    long kept = storage.readLong(count);
    Word ring = slot("ring", key, generation, kept % STATES_KEPT);
    if (kept >= STATES_KEPT) {
      long oldest = storage.readLong(ring) - 1;
      storage.write(slot("s.hash", key, generation, oldest), Word.ZERO);
    }
    storage.write(ring, state.height() + 1);
    storage.write(count, kept + 1);
    storage.write(slot("s.hash", key, generation, state.height()),
        Word.fromBytes(state.headerHash()));
    storage.write(slot("s.root", key, generation, state.height()),
        Word.fromBytes(state.stateRoot()));
    storage.write(slot("s.time", key, generation, state.height()), state.timestamp());
    storage.write(slot("s.signers", key, generation, state.height()), state.signers());
  }

  /** A verified height still kept; its hash slot tells whether it is. */
  private static Optional<ConsensusState> consensusState(SystemStorage storage, byte[] key,
      long height) {
    long generation = storage.readLong(slot("generation", key));
    Word hash = storage.read(slot("s.hash", key, generation, height));
    if (hash.isZero()) {
      return Optional.empty();
    }
    return Optional.of(new ConsensusState(height, hash.toBytes(),
        storage.read(slot("s.root", key, generation, height)).toBytes(),
        storage.readLong(slot("s.time", key, generation, height)),
        storage.readBig(slot("s.signers", key, generation, height))));
  }

  private static byte[] joined(List<ByteKey> addresses) {
    byte[] out = new byte[addresses.size() * 20];
    for (int i = 0; i < addresses.size(); i++) {
      System.arraycopy(addresses.get(i).bytes(), 0, out, i * 20, 20);
    }
    return out;
  }

  private static List<ByteKey> split(byte[] joined) {
    List<ByteKey> out = new ArrayList<>();
    for (int i = 0; i < joined.length; i += 20) {
      out.add(new ByteKey(Arrays.copyOfRange(joined, i, i + 20)));
    }
    return out;
  }

  private static com.esaulpaugh.headlong.abi.Address[] abi(List<ByteKey> addresses) {
    return addresses.stream().map(a -> Abi.toAbi(io.chorus.evm.Address.of(a.bytes())))
        .toArray(com.esaulpaugh.headlong.abi.Address[]::new);
  }

  private static byte[] encode(Function f, Tuple values) {
    return Abi.bytes(f.getOutputs().encode(values));
  }
}
