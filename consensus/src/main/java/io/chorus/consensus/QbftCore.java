package io.chorus.consensus;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One validator's QBFT state machine (IBFT 2.0 with the round-change fix of Moniz, "The Istanbul
 * BFT Consensus Algorithm", 2020). It owns no thread, clock, socket or randomness: the driver
 * hands it messages and the time, and carries out the {@link Action}s each call returns, in
 * order. Being pure is what lets one simulator run thousands of fault schedules against it.
 *
 * <p>Safety rests on three rules kept here: an honest validator votes at most once per kind and
 * round (persisted before it sends, see {@link ConsensusState}); a proposal after round 0 is
 * accepted only with a quorum of round changes that proves which value it must carry; and a block
 * is final only with a quorum of commit seals, which become its {@link CommitCertificate}.
 */
public final class QbftCore {
  private Config config; // per height: governance may change the block interval
  private final MessageSigner signer;
  private final SignatureVerifier verifier;
  private final BlockSource blocks;
  private final Justifier justifier;
  private final EnumMap<Counter, Long> counters = new EnumMap<>(Counter.class);
  private final FutureMessages future = new FutureMessages();
  private final TreeMap<Integer, RoundVotes> rounds = new TreeMap<>();
  private final Map<ByteKey, byte[]> knownBlocks = new LinkedHashMap<>();
  private List<Action> out = new ArrayList<>();

  private long height;
  private ValidatorSet validators;
  private int round;
  private boolean started;
  private boolean resumed;
  private boolean decided;
  private long heightStartMillis;
  private long roundDeadlineMillis;
  private long behindReported;
  private Optional<Prepared> prepared = Optional.empty();
  private Optional<PreparedProof> proof = Optional.empty();

  private QbftCore(Config config, MessageSigner signer, SignatureVerifier verifier,
      BlockSource blocks, long height, ValidatorSet validators) {
    Verify.argument(height >= 0, "negative height");
    this.config = config;
    this.signer = signer;
    this.verifier = verifier;
    this.blocks = blocks;
    this.justifier = new Justifier(verifier, blocks);
    this.height = height;
    this.validators = validators;
    this.behindReported = height;
  }

  /** A core that has done nothing yet at {@code height} (the chain head + 1). */
  public static QbftCore create(Config config, MessageSigner signer, SignatureVerifier verifier,
      BlockSource blocks, long height, ValidatorSet validators) {
    return new QbftCore(config, signer, verifier, blocks, height, validators);
  }

  /**
   * The core after a restart. When {@code persisted} is for {@code nextHeight} the core resumes
   * there in the round after the persisted one (it may have voted in that one) and keeps its
   * prepared value; a state for an earlier height is spent and the core starts afresh.
   */
  public static QbftCore restore(Config config, MessageSigner signer, SignatureVerifier verifier,
      BlockSource blocks, ConsensusState persisted, long nextHeight, ValidatorSet validators) {
    Verify.argument(persisted.height() <= nextHeight, "persisted state ahead of the chain");
    Verify.argument(persisted.round() < Limits.ROUND_MAX, "persisted round at the limit");
    QbftCore core = create(config, signer, verifier, blocks, nextHeight, validators);
    if (persisted.height() == nextHeight) {
      core.round = persisted.round();
      core.prepared = persisted.prepared();
      core.proof = persisted.proof();
      core.resumed = true;
    }
    return core;
  }

  /** Starts the first round (or, after {@link #restore}, the next one, with a round change). */
  public List<Action> start(long nowMillis) {
    Verify.state(!started, "started twice");
    started = true;
    heightStartMillis = nowMillis;
    try {
      beginRound(resumed ? round + 1 : 0, nowMillis, resumed);
      tryPropose(nowMillis);
    } finally {
      invariants();
    }
    return flush();
  }

  /** Handles one message from the network; invalid ones are dropped and counted. */
  public List<Action> onMessage(SignedMessage message, long nowMillis) {
    Verify.state(started, "not started");
    increment(Counter.RECEIVED);
    try {
      handle(message, nowMillis, false);
      tryPropose(nowMillis);
    } finally {
      invariants();
    }
    return flush();
  }

  /** Decodes and handles wire bytes; undecodable ones are counted as {@link Counter#MALFORMED}. */
  public List<Action> onMessageBytes(byte[] bytes, long nowMillis) {
    SignedMessage message;
    try {
      message = MessageCodec.decode(bytes);
    } catch (MalformedMessageException e) {
      increment(Counter.RECEIVED);
      increment(Counter.MALFORMED);
      return List.of();
    }
    return onMessage(message, nowMillis);
  }

  /** Lets time pass: round timeouts and the round-0 block interval fire here. */
  public List<Action> onTick(long nowMillis) {
    Verify.state(started, "not started");
    try {
      if (!decided && nowMillis >= roundDeadlineMillis && round < Limits.ROUND_MAX) {
        onRoundTimeout(nowMillis);
      }
      tryPropose(nowMillis);
    } finally {
      invariants();
    }
    return flush();
  }

  /**
   * Moves to {@code nextHeight} once the node has durably stored every block below it (its own
   * finalized one, or blocks fetched by sync), with the validators of that height.
   */
  public List<Action> advanceTo(long nextHeight, ValidatorSet nextValidators, long nowMillis) {
    return advanceTo(nextHeight, nextValidators, config, nowMillis);
  }

  /** As {@link #advanceTo(long, ValidatorSet, long)}, with that height's timing. */
  public List<Action> advanceTo(long nextHeight, ValidatorSet nextValidators, Config nextConfig,
      long nowMillis) {
    Verify.state(started, "not started");
    Verify.argument(nextHeight > height, "advance to " + nextHeight + " from " + height);
    height = nextHeight;
    validators = nextValidators;
    config = nextConfig;
    round = 0;
    decided = false;
    prepared = Optional.empty();
    proof = Optional.empty();
    rounds.clear();
    knownBlocks.clear();
    heightStartMillis = nowMillis;
    try {
      beginRound(0, nowMillis, false);
      for (SignedMessage m : future.take(nextHeight)) {
        handle(m, nowMillis, false);
      }
      reportIfBehind();
      tryPropose(nowMillis);
    } finally {
      invariants();
    }
    return flush();
  }

  /** When the core next needs {@link #onTick}; {@link Long#MAX_VALUE} when only input can help. */
  public long wakeAtMillis() {
    if (!started || decided) {
      return Long.MAX_VALUE;
    }
    long wake = roundDeadlineMillis;
    if (round == 0 && isProposer() && !votes(0).proposed) {
      wake = Math.min(wake, roundZeroProposalMillis());
    }
    return wake;
  }

  // When the proposer of round 0 proposes: the busy interval after the height's start when it
  // has work, else the block interval; not before the block source allows.
  private long roundZeroProposalMillis() {
    boolean work = blocks.hasWork(height);
    long wait = work ? config.busyIntervalMillis() : config.blockIntervalMillis();
    return Math.max(heightStartMillis + wait, blocks.proposeNotBeforeMillis(height, work));
  }

  /** The height being agreed (the chain head + 1 once the node has stored its blocks). */
  public long height() {
    return height;
  }

  /** The current round of {@link #height()}, for logs and metrics. */
  public int round() {
    return round;
  }

  /** What must survive a crash now (also emitted as {@link Action.Persist} when it changes). */
  public ConsensusState state() {
    return new ConsensusState(height, round, prepared, proof);
  }

  /** A snapshot of the counters, for metrics. */
  public Map<Counter, Long> counters() {
    return new EnumMap<>(counters);
  }

  /** One counter, for tests and single metrics. */
  public long count(Counter counter) {
    return counters.getOrDefault(counter, 0L);
  }

  // ---- dispatch ----

  private void handle(SignedMessage m, long now, boolean own) {
    Message p = m.payload();
    if (p.height() < height || (p.height() == height && decided)) {
      increment(Counter.STALE);
      return;
    }
    if (!own && !authentic(m)) {
      return;
    }
    if (p.height() > height) {
      bufferFuture(m);
      return;
    }
    if (p.round() > round + Limits.FUTURE_ROUNDS_MAX) {
      increment(Counter.FUTURE_DROPPED);
      return;
    }
    if (p.round() < minRoundKept()) {
      increment(Counter.STALE);
      return;
    }
    switch (p) {
      case Proposal x -> onProposal(m, x, now, own);
      case Prepare x -> onPrepare(m, x, now);
      case Commit x -> onCommit(m, x, own);
      case RoundChange x -> onRoundChange(m, x, now, own);
    }
  }

  private boolean authentic(SignedMessage m) {
    if (!validators.contains(m.author())) {
      increment(Counter.NON_VALIDATOR);
      return false;
    }
    if (!m.isAuthentic(validators, verifier)) {
      increment(Counter.BAD_SIGNATURE);
      return false;
    }
    return true;
  }

  private void bufferFuture(SignedMessage m) {
    future.noteHeight(m.author(), m.payload().height());
    boolean near = m.payload().height() - height <= Limits.FUTURE_HEIGHTS_MAX;
    increment(near && future.add(m) ? Counter.FUTURE_BUFFERED : Counter.FUTURE_DROPPED);
    reportIfBehind();
  }

  private void reportIfBehind() {
    long proven = future.provenHeight(height, validators);
    if (proven > height && proven > behindReported) {
      behindReported = proven;
      increment(Counter.BEHIND);
      out.add(new Action.Behind(proven));
    }
  }

  // ---- handlers, one per message kind ----

  private void onProposal(SignedMessage m, Proposal p, long now, boolean own) {
    if (!m.author().equals(validators.proposer(height, p.round()))) {
      increment(Counter.INVALID_PROPOSAL);
      return;
    }
    RoundVotes rv = votes(p.round());
    if (rv.proposal != null) {
      boolean same = Arrays.equals(((Proposal) rv.proposal.payload()).block(), p.block());
      increment(same ? Counter.DUPLICATE : Counter.EQUIVOCATION);
      return;
    }
    byte[] digest = blocks.digest(p.block());
    Verify.that(digest.length > 0 && digest.length <= Limits.DIGEST_BYTES_MAX, "digest size");
    if (!own) {
      if (justifier.checkProposal(p, digest, validators).isPresent()) {
        increment(Counter.INVALID_PROPOSAL);
        return;
      }
      rv.proposal = m;
      if (!blocks.validate(height, p.block(), now)) {
        increment(Counter.INVALID_PAYLOAD);
        return;
      }
    }
    rv.proposal = m;
    rememberBlock(digest, p.block());
    if (p.round() > round) {
      beginRound(p.round(), now, false); // a justified proposal proves the round is due
    }
    if (p.round() == round && rv.acceptedDigest == null) {
      rv.acceptedDigest = digest;
      broadcast(new Prepare(height, round, digest), now);
      checkPrepared(rv, now);
    }
    checkDecisions(digest);
  }

  private void onPrepare(SignedMessage m, Prepare p, long now) {
    RoundVotes rv = votes(p.round());
    if (added(RoundVotes.add(rv.prepares, m)) && p.round() == round) {
      checkPrepared(rv, now);
    }
  }

  private void onCommit(SignedMessage m, Commit c, boolean own) {
    if (!own && !sealValid(m.author(), c)) {
      increment(Counter.BAD_SIGNATURE);
      return;
    }
    RoundVotes rv = votes(c.round());
    if (added(RoundVotes.add(rv.commits, m))) {
      checkDecision(c.round(), rv, c.digest());
    }
  }

  private void onRoundChange(SignedMessage m, RoundChange rc, long now, boolean own) {
    if (rc.round() < round) {
      increment(Counter.STALE);
      return;
    }
    RoundVotes rv = votes(rc.round());
    boolean held = rv.roundChanges.containsKey(m.author()); // a copy costs no proof check
    if (!own && !held && justifier.checkRoundChange(rc, validators).isPresent()) {
      increment(Counter.INVALID_ROUND_CHANGE);
      return;
    }
    if (!added(RoundVotes.add(rv.roundChanges, m))) {
      return;
    }
    if (rc.round() > round) {
      catchUp(now);
    } else if (rv.roundChanges.size() == validators.quorum()) {
      // A quorum has only now joined this round: give it a full round from here, or a validator
      // that arrived early (after a restart, say) leaves just as the others come, for ever.
      roundDeadlineMillis = Math.max(roundDeadlineMillis, now + config.roundTimeoutMillis(round));
    }
  }

  // ---- rules ----

  /** Once a quorum prepared the accepted digest: remember it as prepared (durably), commit. */
  private void checkPrepared(RoundVotes rv, long now) {
    if (rv.acceptedDigest == null || rv.committed) {
      return;
    }
    List<SignedMessage> votes = RoundVotes.matching(rv.prepares, rv.acceptedDigest);
    if (votes.size() < validators.quorum()) {
      return;
    }
    byte[] digest = rv.acceptedDigest;
    byte[] block = knownBlocks.get(new ByteKey(digest));
    Verify.that(block != null, "accepted a proposal whose block is unknown");
    rv.committed = true;
    prepared = Optional.of(new Prepared(round, digest));
    proof = Optional.of(new PreparedProof(block, votes.subList(0, validators.quorum())));
    persist();
    Signature seal = signer.sign(verifier.hash(MessageCodec.sealBody(height, round, digest)));
    broadcast(new Commit(height, round, digest, seal), now);
  }

  /** A block just became known: commits already held for it, in any round, may finalize it. */
  private void checkDecisions(byte[] digest) {
    for (Map.Entry<Integer, RoundVotes> e : rounds.entrySet()) {
      checkDecision(e.getKey(), e.getValue(), digest);
    }
  }

  /** A quorum of seals for a digest whose block is known finalizes it, whatever our round. */
  private void checkDecision(int r, RoundVotes rv, byte[] digest) {
    if (decided || rv.commits.size() < validators.quorum()) {
      return;
    }
    List<SignedMessage> matching = RoundVotes.matching(rv.commits, digest);
    byte[] block = blockOf(digest);
    if (matching.size() < validators.quorum() || block == null) {
      return;
    }
    List<CommitCertificate.Seal> seals = new ArrayList<>();
    for (SignedMessage c : matching) {
      seals.add(new CommitCertificate.Seal(c.author(), ((Commit) c.payload()).commitSeal()));
    }
    Verify.that(seals.size() <= validators.size(), "more seals than validators");
    decided = true;
    increment(Counter.FINALIZED);
    out.add(new Action.Finalized(height, block, new CommitCertificate(height, r, digest, seals)));
  }

  private byte[] blockOf(byte[] digest) {
    byte[] block = knownBlocks.get(new ByteKey(digest));
    if (block == null && prepared.isPresent() && Arrays.equals(prepared.get().digest(), digest)) {
      block = proof.orElseThrow().block();
    }
    return block;
  }

  /**
   * Moves on to the next round, unless this validator is alone in this one: then it stays and
   * asks again. With capped timeouts a validator that ran ahead (through a partition or a
   * restart) would otherwise stay ahead for ever, leaving each round just as the others arrive.
   */
  private void onRoundTimeout(long now) {
    RoundVotes rv = votes(round);
    boolean held = round == 0 || rv.roundChanges.size() >= validators.quorum()
        || rv.proposal != null;
    boolean othersAhead = false;
    for (RoundVotes later : rounds.tailMap(round, false).values()) {
      othersAhead |= !later.roundChanges.isEmpty();
    }
    if (held || othersAhead) {
      beginRound(round + 1, now, true);
      return;
    }
    roundDeadlineMillis = now + config.roundTimeoutMillis(round);
    // The same round change as before (signatures are deterministic): one may have been lost.
    if (validators.contains(signer.address())) {
      out.add(new Action.Broadcast(SignedMessage.sign(
          new RoundChange(height, round, prepared, proof), signer, verifier)));
    }
  }

  /** When f + 1 validators ask for later rounds, one honest one does: join the lowest of them. */
  private void catchUp(long now) {
    Map<ByteKey, Integer> highest = new HashMap<>();
    for (Map.Entry<Integer, RoundVotes> e : rounds.tailMap(round, false).entrySet()) {
      for (ByteKey author : e.getValue().roundChanges.keySet()) {
        highest.put(author, e.getKey());
      }
    }
    int needed = validators.f() + 1;
    if (highest.size() < needed) {
      return;
    }
    List<Integer> ahead = new ArrayList<>(highest.values());
    ahead.sort(null);
    beginRound(ahead.get(ahead.size() - needed), now, true);
  }

  private void tryPropose(long now) {
    if (decided || !isProposer()) {
      return;
    }
    RoundVotes rv = votes(round);
    if (rv.proposed) {
      return;
    }
    if (round == 0) {
      if (now < roundZeroProposalMillis()) {
        return;
      }
      rv.proposed = true;
      broadcast(new Proposal(height, 0, blocks.build(height, 0, now), List.of(), List.of()), now);
      return;
    }
    if (rv.roundChanges.size() >= validators.quorum()) {
      rv.proposed = true;
      broadcast(justifiedProposal(rv, now), now);
    }
  }

  /** Re-proposes the highest prepared block among the round changes, else a new block. */
  private Proposal justifiedProposal(RoundVotes rv, long now) {
    List<SignedMessage> stripped = new ArrayList<>();
    Optional<PreparedProof> best = Optional.empty();
    int bestRound = -1;
    for (SignedMessage m : rv.roundChanges.values()) {
      RoundChange rc = (RoundChange) m.payload();
      stripped.add(new SignedMessage(rc.withoutProof(), m.author(), m.signature()));
      if (rc.prepared().isPresent() && rc.prepared().get().round() > bestRound) {
        bestRound = rc.prepared().get().round();
        best = rc.proof();
      }
    }
    if (best.isEmpty()) {
      return new Proposal(height, round, blocks.build(height, round, now), stripped, List.of());
    }
    return new Proposal(height, round, best.get().block(), stripped, best.get().prepares());
  }

  private void beginRound(int r, long now, boolean sendRoundChange) {
    Verify.that(r >= round, "rounds only move forward");
    Verify.that(r <= Limits.ROUND_MAX, "round over the limit");
    if (r > round) {
      increment(Counter.ROUND_CHANGES);
    }
    round = r;
    // Round 0's proposer may wait past the block interval for the block source: the timeout
    // counts from then. With transactions in this member's pool (gossip gives every member the
    // same ones) the proposer has them too, and waits only for the lead, so a crashed proposer
    // costs a round timeout, not the chain's whole lead over the clock as well.
    long from = r == 0 ? Math.max(heightStartMillis + config.blockIntervalMillis(),
        blocks.proposeNotBeforeMillis(height, blocks.hasWork(height))) : now;
    roundDeadlineMillis = from + config.roundTimeoutMillis(r);
    rounds.headMap(minRoundKept()).clear();
    persist();
    if (sendRoundChange) {
      broadcast(new RoundChange(height, r, prepared, proof), now);
    }
  }

  // ---- helpers ----

  private void broadcast(Message payload, long now) {
    if (!validators.contains(signer.address())) {
      return; // an observer follows the chain but has no say
    }
    SignedMessage m = SignedMessage.sign(payload, signer, verifier);
    out.add(new Action.Broadcast(m));
    handle(m, now, true);
  }

  /** Keeps a proposed block by digest, forgetting the oldest beyond the bound on round states. */
  private void rememberBlock(byte[] digest, byte[] block) {
    if (knownBlocks.size() >= Limits.ROUND_STATES_MAX) {
      knownBlocks.remove(knownBlocks.keySet().iterator().next());
    }
    knownBlocks.put(new ByteKey(digest), block);
  }

  private boolean sealValid(ByteKey author, Commit c) {
    byte[] digest = verifier.hash(MessageCodec.sealBody(c.height(), c.round(), c.digest()));
    byte[] key = validators.get(validators.indexOf(author)).publicKey();
    return verifier.verify(digest, c.commitSeal(), key);
  }

  private boolean added(RoundVotes.Added result) {
    switch (result) {
      case NEW -> {
        return true;
      }
      case DUPLICATE -> increment(Counter.DUPLICATE);
      case EQUIVOCATION -> increment(Counter.EQUIVOCATION);
    }
    return false;
  }

  private RoundVotes votes(int r) {
    return rounds.computeIfAbsent(r, k -> new RoundVotes());
  }

  private int minRoundKept() {
    return Math.max(0, round - (Limits.ROUND_STATES_MAX - Limits.FUTURE_ROUNDS_MAX - 1));
  }

  private boolean isProposer() {
    return signer.address().equals(validators.proposer(height, round));
  }

  private void persist() {
    out.add(new Action.Persist(state()));
  }

  private void increment(Counter counter) {
    counters.merge(counter, 1L, Long::sum);
  }

  private List<Action> flush() {
    List<Action> result = List.copyOf(out);
    out = new ArrayList<>();
    return result;
  }

  private void invariants() {
    Verify.that(rounds.size() <= Limits.ROUND_STATES_MAX, "round states over their bound");
    Verify.that(prepared.isPresent() == proof.isPresent(), "prepared without proof");
    Verify.that(prepared.map(p -> p.round() <= round).orElse(true), "prepared in a later round");
    Verify.that(knownBlocks.size() <= Limits.ROUND_STATES_MAX, "known blocks over their bound");
  }
}
