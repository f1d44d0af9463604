package io.chorus.cli;

import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.codec.Hex;
import io.chorus.crosschain.GovernanceSlots;
import io.chorus.crosschain.PacketCommitment;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cross-chain relayer between two chains, each holding a light client of the other: one
 * {@link #step} reads what is pending from the routers' state only (the source's pending list,
 * the destination's receipts, the packets' logs) and carries it across: a packet to its
 * destination ({@code recvPacket}), an acknowledgement back to its source
 * ({@code acknowledgePacket}), or, once the destination's time passed the packet's timeout, the
 * proof that it was not received ({@code timeoutPacket}); each after bringing the light client
 * that checks the proof to a height that covers it, validator-set change blocks first. It keeps
 * no state of its own, so a relayer killed at any point and started again, or two at once, only
 * find what is left to do; what another did first is refused by the chain and logged.
 */
final class Relayer {
  /** What one pass did; {@code refused} counts submissions the chain turned down. */
  record Report(int updates, int received, int acknowledged, int timedOut, int refused,
      int pending) {
    /** Whether the pass got anything done on chain. */
    boolean progressed() {
      return updates + received + acknowledged + timedOut > 0;
    }

    @Override
    public String toString() {
      return received + " received, " + acknowledged + " acknowledged, " + timedOut
          + " timed out, " + updates + " client updates, " + refused + " refused; " + pending
          + " were pending";
    }
  }

  private final RelayChain a;
  private final String aClient;
  private final RelayChain b;
  private final String bClient;
  private final Consumer<String> log;
  private int updates;
  private int received;
  private int acknowledged;
  private int timedOut;
  private int refused;

  /**
   * Pairs A's client {@code aClient} of B with its counterparty on B, after checking that each
   * is active and tracks the other chain (its chain id and genesis hash).
   *
   * @throws IllegalArgumentException naming the mismatch
   */
  Relayer(RelayChain a, String aClient, RelayChain b, Consumer<String> log) {
    this.a = a;
    this.aClient = aClient;
    this.b = b;
    this.log = log;
    RelayChain.ClientState onA = requireTracks(a, aClient, b);
    this.bClient = onA.counterparty();
    RelayChain.ClientState onB = requireTracks(b, bClient, a);
    if (!onB.counterparty().equals(aClient)) {
      throw new IllegalArgumentException(b.name + "'s client " + bClient + " names "
          + onB.counterparty() + " as its counterparty, not " + aClient + ": the two clients"
          + " were not voted as a pair");
    }
  }

  private static RelayChain.ClientState requireTracks(RelayChain on, String id,
      RelayChain tracked) {
    RelayChain.ClientState state = on.clientState(id);
    if (state.status() != RelayChain.ClientState.ACTIVE) {
      throw new IllegalArgumentException(on.name + "'s client " + id + " is " + switch (
          state.status()) {
        case 0 -> "unknown: create it by a crosschain-client vote";
        case 1 -> "voted but has no trusted header yet: submit it (submitTrustedHeader)";
        default -> "frozen: governance must replace it by a new vote";
      });
    }
    if (!state.chainId().equals(tracked.chainId())
        || !Arrays.equals(state.genesis(), tracked.genesisHash())) {
      throw new IllegalArgumentException(on.name + "'s client " + id + " tracks chain "
          + state.chainId() + " (genesis " + Hex.encode0x(state.genesis()) + "), not "
          + tracked.describe());
    }
    return state;
  }

  String bClient() {
    return bClient;
  }

  /** One pass, A to B then B to A. */
  Report step() {
    updates = 0;
    received = 0;
    acknowledged = 0;
    timedOut = 0;
    refused = 0;
    int pending = relay(a, aClient, b, bClient) + relay(b, bClient, a, aClient);
    return new Report(updates, received, acknowledged, timedOut, refused, pending);
  }

  /** Carries what {@code source} has pending through {@code sourceClient}; their count. */
  private int relay(RelayChain source, String sourceClient, RelayChain dest, String destClient) {
    List<RelayChain.Pending> pending = source.pending(sourceClient);
    if (pending.isEmpty()) {
      return 0;
    }
    long destHead = dest.head();
    long destTime = dest.block(destHead).timestamp();
    List<Tuple> toReceive = new ArrayList<>();
    long sentAtMost = 0;
    List<Tuple> toAcknowledge = new ArrayList<>();
    List<byte[][]> results = new ArrayList<>();
    long receivedAtMost = 0;
    List<Tuple> toTimeOut = new ArrayList<>();
    long timeoutAtMost = 0;
    for (RelayChain.Pending p : pending) {
      String name = source.name + "→" + dest.name + " packet " + sourceClient + "#"
          + p.sequence();
      Optional<Tuple> packet = source.sentPacket(p.sentAt(), sourceClient, p.sequence());
      if (packet.isEmpty()) {
        log.accept(name + ": no PacketSent log in block " + p.sentAt() + " of " + source.name
            + ", where the router says it was sent; skipped");
        continue;
      }
      long receipt = dest.receipt(destClient, p.sequence(), destHead);
      if (receipt != 0) {
        Optional<byte[][]> acknowledgement = dest.acknowledgement(receipt, destClient,
            p.sequence());
        if (acknowledgement.isEmpty()) {
          log.accept(name + ": no WriteAcknowledgement log in block " + receipt + " of "
              + dest.name + ", where its receipt says it was received; skipped");
          continue;
        }
        toAcknowledge.add(packet.get());
        results.add(acknowledgement.get());
        receivedAtMost = Math.max(receivedAtMost, receipt);
      } else if (destTime < RelayChain.timeout(packet.get())) {
        toReceive.add(packet.get());
        sentAtMost = Math.max(sentAtMost, p.sentAt());
      } else {
        toTimeOut.add(packet.get());
        timeoutAtMost = Math.max(timeoutAtMost, RelayChain.timeout(packet.get()));
      }
    }
    if (!toReceive.isEmpty()) {
      receive(source, dest, destClient, toReceive, sentAtMost);
    }
    if (!toAcknowledge.isEmpty()) {
      acknowledge(source, sourceClient, dest, destClient, toAcknowledge, results,
          receivedAtMost);
    }
    if (!toTimeOut.isEmpty()) {
      timeOut(source, sourceClient, dest, destClient, toTimeOut, timeoutAtMost);
    }
    return pending.size();
  }

  private void receive(RelayChain source, RelayChain dest, String destClient,
      List<Tuple> packets, long sentAtMost) {
    long height = cover(dest, destClient, source, sentAtMost, 0);
    if (height < 0) {
      return;
    }
    List<RelayChain.Submission> sent = new ArrayList<>();
    for (Tuple packet : packets) {
      byte[] slot = PacketCommitment.slot(PacketCommitment.commitmentPath(packet.get(0),
          RelayChain.sequence(packet)));
      byte[] proof = source.proof(RelayChain.ROUTER, List.of(slot), height).encode();
      sent.add(dest.submit(describe(packet, source, dest) + ": recvPacket on " + dest.name,
          RelayChain.RECV_PACKET.encodeCallWithArgs(packet, BigInteger.valueOf(height), proof)
              .array()));
    }
    sent.forEach(s -> {
      if (settle(dest, s, "received")) {
        received++;
      }
    });
  }

  private void acknowledge(RelayChain source, String sourceClient, RelayChain dest,
      String destClient, List<Tuple> packets, List<byte[][]> results, long receivedAtMost) {
    long height = cover(source, sourceClient, dest, receivedAtMost, 0);
    if (height < 0) {
      return;
    }
    List<RelayChain.Submission> sent = new ArrayList<>();
    for (int i = 0; i < packets.size(); i++) {
      Tuple packet = packets.get(i);
      byte[] slot = PacketCommitment.slot(PacketCommitment.acknowledgementPath(destClient,
          RelayChain.sequence(packet)));
      byte[] proof = dest.proof(RelayChain.ROUTER, List.of(slot), height).encode();
      sent.add(source.submit(describe(packet, source, dest) + ": acknowledgePacket on "
          + source.name, RelayChain.ACKNOWLEDGE_PACKET.encodeCallWithArgs(packet,
              results.get(i), BigInteger.valueOf(height), proof).array()));
    }
    sent.forEach(s -> {
      if (settle(source, s, "acknowledged")) {
        acknowledged++;
      }
    });
  }

  private void timeOut(RelayChain source, String sourceClient, RelayChain dest,
      String destClient, List<Tuple> packets, long timeoutAtMost) {
    long height = cover(source, sourceClient, dest, 0, timeoutAtMost);
    if (height < 0) {
      return;
    }
    List<RelayChain.Submission> sent = new ArrayList<>();
    for (Tuple packet : packets) {
      byte[] slot = PacketCommitment.slot(PacketCommitment.receiptPath(destClient,
          RelayChain.sequence(packet)));
      byte[] proof = dest.proof(RelayChain.ROUTER, List.of(slot), height).encode();
      sent.add(source.submit(describe(packet, source, dest) + ": timeoutPacket on "
          + source.name, RelayChain.TIMEOUT_PACKET.encodeCallWithArgs(packet,
              BigInteger.valueOf(height), proof).array()));
    }
    sent.forEach(s -> {
      if (settle(source, s, "timed out")) {
        timedOut++;
      }
    });
  }

  private static String describe(Tuple packet, RelayChain source, RelayChain dest) {
    return source.name + "→" + dest.name + " packet " + packet.get(0) + "#"
        + RelayChain.sequence(packet);
  }

  /** Waits for a submission and logs how it ended; whether it was done. */
  private boolean settle(RelayChain chain, RelayChain.Submission submission, String done) {
    RelayChain.Outcome outcome = chain.await(submission);
    if (outcome.done()) {
      log.accept(submission.what() + ": " + done + " in block " + outcome.block());
      return true;
    }
    refused++;
    log.accept(submission.what() + ": refused, moving on: " + outcome.refusal());
    return false;
  }

  /**
   * Brings {@code tracker}'s client {@code id} of {@code tracked} to a verified height at or
   * above {@code minHeight} whose time is at or after {@code minTime}: each validator-set change
   * block the client has not followed first (the client refuses a header past one), then
   * {@code tracked}'s head. Returns the client's latest height then, or -1 when it still does
   * not cover (the pass leaves the work to the next).
   */
  long cover(RelayChain tracker, String id, RelayChain tracked, long minHeight, long minTime) {
    RelayChain.ClientState state = tracker.clientState(id);
    if (covers(state, minHeight, minTime)) {
      return state.height();
    }
    long head = tracked.head();
    byte[] governance = GovernanceSlots.address();
    long changes = tracked.storage(governance, GovernanceSlots.changes(), head);
    while (state.changes() < changes) {
      long changeBlock = tracked.storage(governance,
          GovernanceSlots.changedAt(state.changes() + 1), head);
      long followed = state.changes();
      update(tracker, id, tracked, changeBlock, followed);
      state = tracker.clientState(id);
      if (state.changes() == followed) {
        log.accept(tracker.name + "'s client " + id + " did not follow " + tracked.name
            + "'s validator change " + (followed + 1) + " (block " + changeBlock
            + "); trying again next pass");
        return -1;
      }
    }
    if (state.height() < head) {
      update(tracker, id, tracked, head, state.changes());
      state = tracker.clientState(id);
    }
    if (!covers(state, minHeight, minTime)) {
      log.accept(tracker.name + "'s client " + id + " is at " + tracked.name + "'s block "
          + state.height() + " (time " + state.time() + "), short of block " + minHeight
          + " and time " + minTime + "; trying again next pass");
      return -1;
    }
    return state.height();
  }

  private static boolean covers(RelayChain.ClientState state, long minHeight, long minTime) {
    return state.status() == RelayChain.ClientState.ACTIVE && state.height() >= minHeight
        && state.time() >= minTime;
  }

  /** Submits block {@code height} of {@code tracked} to the client, with its governance proof. */
  private void update(RelayChain tracker, String id, RelayChain tracked, long height,
      long clientChanges) {
    RelayChain.Submission submission = tracker.submit(tracker.name + "'s client " + id + " of "
        + tracked.name + ": updateClient to block " + height, updateCall(id, tracked, height,
            clientChanges, tracked.certificate(height)));
    if (settle(tracker, submission, "updated")) {
      updates++;
    }
  }

  /**
   * The {@code updateClient} call that brings client {@code id} (which has followed
   * {@code clientChanges} validator changes) to block {@code height} of {@code tracked}, with
   * {@code certificate} and the governance proof of that block's state.
   */
  static byte[] updateCall(String id, RelayChain tracked, long height, long clientChanges,
      byte[] certificate) {
    RelayChain.Block block = tracked.block(height);
    byte[] governance = GovernanceSlots.address();
    long changes = tracked.storage(governance, GovernanceSlots.changes(), height);
    long nextChangeAt = changes > clientChanges
        ? tracked.storage(governance, GovernanceSlots.changedAt(clientChanges + 1), height) : 0;
    long validators = tracked.storage(governance, GovernanceSlots.validatorCount(), height);
    byte[] proof = tracked.proof(governance, GovernanceSlots.forUpdate(clientChanges, changes,
        nextChangeAt, height, validators), height).encode();
    return RelayChain.UPDATE_CLIENT.encodeCallWithArgs(id, block.header(), certificate, proof)
        .array();
  }

  /**
   * Activates A's client {@code aClient} of B and its counterparty on B, whichever a vote
   * created but no one activated yet: each gets the header its vote trusted. Logs what it did;
   * a client that is unknown, already active or frozen is left to the pairing check.
   */
  static void trustVoted(RelayChain a, String aClient, RelayChain b, Consumer<String> log) {
    RelayChain.ClientState onA = a.clientState(aClient);
    trustVoted(a, aClient, onA, b, log);
    if (onA.status() != 0) {
      trustVoted(b, onA.counterparty(), b.clientState(onA.counterparty()), a, log);
    }
  }

  private static void trustVoted(RelayChain tracker, String id, RelayChain.ClientState state,
      RelayChain tracked, Consumer<String> log) {
    if (state.status() != RelayChain.ClientState.VOTED) {
      return;
    }
    RelayChain.Outcome outcome = submitTrustedHeader(tracker, id, tracked, state.height());
    log.accept(tracker.name + "'s client " + id + " of " + tracked.name
        + ": submitTrustedHeader of block " + state.height() + ": " + (outcome.done()
            ? "active from block " + outcome.block() : "refused: " + outcome.refusal()));
  }

  /**
   * Submits the header a {@code crosschain-client} vote on {@code tracker} trusted (block
   * {@code height} of {@code tracked}) with its governance proof, which makes the client active.
   */
  static RelayChain.Outcome submitTrustedHeader(RelayChain tracker, String id,
      RelayChain tracked, long height) {
    RelayChain.Block block = tracked.block(height);
    byte[] governance = GovernanceSlots.address();
    long validators = tracked.storage(governance, GovernanceSlots.validatorCount(), height);
    byte[] proof = tracked.proof(governance, GovernanceSlots.forCreate(validators), height)
        .encode();
    return tracker.await(tracker.submit("submitTrustedHeader " + id,
        RelayChain.SUBMIT_TRUSTED_HEADER.encodeCallWithArgs(id, block.header(), proof)
            .array()));
  }
}
