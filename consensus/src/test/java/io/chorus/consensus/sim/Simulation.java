package io.chorus.consensus.sim;

import io.chorus.codec.ByteKey;
import io.chorus.consensus.Action;
import io.chorus.consensus.Commit;
import io.chorus.consensus.Config;
import io.chorus.consensus.MessageCodec;
import io.chorus.consensus.QbftCore;
import io.chorus.consensus.SignatureVerifier;
import io.chorus.consensus.SignedMessage;
import io.chorus.consensus.ValidatorSet;
import io.chorus.consensus.sim.SimOptions.Behaviour;
import io.chorus.consensus.sim.SimulationFailure.Kind;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Validators running the real {@link QbftCore} in one thread on virtual time, driven by one seed.
 * A fault phase (message loss, duplication, delay and reordering, partitions, crashes with
 * restarts from persisted state, Byzantine validators) is followed by a healed phase in which only
 * the Byzantine validators misbehave. Safety, certificates and honest non-equivocation are checked
 * at every step; liveness at the end: every honest node must gain {@link #LIVENESS_HEIGHTS}
 * heights within {@link #LIVENESS_MILLIS} of the heal. Every block an honest node finalizes
 * must also be valid by the honest rules, as each honest validator checks a proposal.
 * Validator-set changes voted through ({@link SimOptions#changes()}) ride in blocks and take
 * effect at the next height: each node starts a height, and checks a certificate, with the set
 * its own chain defines. Each node's clock is off the simulation's by up to
 * {@link #CLOCK_SKEW_MILLIS_MAX} either way; the blocks carry times, which must rise along every
 * honest chain and stay within what honest clocks accept.
 */
final class Simulation {
  static final Config CONFIG = new Config(500, 200, 400, 3_200);
  static final long LIVENESS_MILLIS = 60_000;
  static final int LIVENESS_HEIGHTS = 3;
  static final long CLOCK_SKEW_MILLIS_MAX = 1_000;
  private static final int TRACE_LINES = 60;

  private enum EventKind { DELIVER, TICK, CRASH, RESTART, PARTITION, HEAL_PARTITION, HEAL, SYNC }

  private record Event(long time, long seq, EventKind kind, int node, byte[] bytes)
      implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
    }
  }

  private final long seed;
  private final SimOptions options;
  private final SplittableRandom random;
  private final SignatureVerifier verifier;
  private final List<ValidatorSet.Validator> members;
  /** The validators after the first i voted changes: changes apply in order. */
  private final ValidatorSet[] setAfter;
  private final SimNode[] nodes;
  private final Byzantine byzantine;
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final Map<Long, ByteKey> finalized = new HashMap<>();
  private final Map<String, ByteKey> honestVotes = new HashMap<>();
  private final ArrayDeque<String> trace;
  private long now;
  private long seq;
  private boolean faults = true;
  private int[] side;
  private long livenessTarget = Long.MAX_VALUE;
  private long deliveries;
  private int crashes;
  private int partitions;

  /**
   * What a run really exercised, as opposed to what its options allowed: the messages delivered,
   * the honest crashes (scheduled or between two actions) and partitions that happened, the most
   * validator-set changes an honest chain applied, and the Byzantine behaviours that changed at
   * least one message.
   */
  record Exercised(long messages, int crashes, int partitions, int changesApplied,
      Set<Behaviour> behaviours) {
    /** The behaviours that send something false, not merely less. */
    static final Set<Behaviour> LIES = EnumSet.complementOf(
        EnumSet.of(Behaviour.SILENT, Behaviour.WITHHOLD));

    boolean lied() {
      return behaviours.stream().anyMatch(LIES::contains);
    }
  }

  Simulation(long seed, SimOptions options, SimAuth auth, boolean tracing) {
    this.seed = seed;
    this.options = options;
    this.random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    this.verifier = auth.verifier();
    this.members = auth.members();
    this.setAfter = options.validatorsAfterChanges().stream()
        .map(indexes -> new ValidatorSet(indexes.stream().map(members::get).toList()))
        .toArray(ValidatorSet[]::new);
    this.trace = tracing ? new ArrayDeque<>() : null;
    this.byzantine = new Byzantine(random.split(), verifier, new ValidatorSet(members));
    this.nodes = new SimNode[options.members()];
    for (int i = 0; i < nodes.length; i++) {
      SplittableRandom blockRandom = random.split();
      long offset = random.nextLong(-CLOCK_SKEW_MILLIS_MAX, CLOCK_SKEW_MILLIS_MAX + 1);
      nodes[i] = new SimNode(i, options.isByzantine(i), auth.signer(i), offset,
          (appliedBefore, timeBefore) -> new SimBlocks(blockRandom, verifier, seed,
              options.changes(), appliedBefore, timeBefore));
    }
  }

  /** The validators of {@code height} at {@code node}, from the changes its own chain applies. */
  private ValidatorSet validatorsAt(SimNode node, long height) {
    return setAfter[node.appliedBefore(height)];
  }

  /** The most set changes any honest node's chain applies. */
  private int changesApplied() {
    return Arrays.stream(nodes).filter(n -> !n.byzantine && n.head() > 0)
        .mapToInt(n -> n.applied.lastEntry().getValue()).max().orElse(0);
  }

  /** Runs to the end; returns what the run exercised. */
  Exercised run() {
    try {
      for (SimNode node : nodes) {
        node.core = QbftCore.create(CONFIG, node.signer, verifier, node.blocks, 1,
            validatorsAt(node, 1));
        apply(node, node.core.start(node.clock(0)));
        long period = options.syncPeriodMillis();
        push(period + random.nextLong(period), EventKind.SYNC, node.index);
      }
      scheduleFaults();
      push(options.faultMillis(), EventKind.HEAL, -1);
      long deadline = options.faultMillis() + LIVENESS_MILLIS;
      while (!queue.isEmpty() && !livenessReached()) {
        Event e = queue.poll();
        if (e.time > deadline) {
          break;
        }
        now = e.time;
        dispatch(e);
      }
      if (!livenessReached()) {
        throw fail(Kind.LIVENESS, "honest heads " + heads() + " below " + livenessTarget
            + " " + LIVENESS_MILLIS + " ms after the heal");
      }
      return new Exercised(deliveries, crashes, partitions, changesApplied(), byzantine.used());
    } catch (SimulationFailure e) {
      throw e;
    } catch (RuntimeException | AssertionError e) {
      throw fail(Kind.CRASH, e.toString(), e);
    }
  }

  /** The last events, when tracing. */
  List<String> traceTail() {
    return trace == null ? List.of() : List.copyOf(trace);
  }

  private void scheduleFaults() {
    for (long t = next(options.crashesPerSecond()); t < options.faultMillis();
        t += next(options.crashesPerSecond())) {
      int victim = random.nextInt(options.members());
      if (options.isByzantine(victim)) {
        continue;
      }
      push(t, EventKind.CRASH, victim);
      push(t + 50 + random.nextLong(3_000), EventKind.RESTART, victim);
    }
    for (long t = next(options.partitionsPerSecond()); t < options.faultMillis();
        t += next(options.partitionsPerSecond())) {
      push(t, EventKind.PARTITION, -1);
      push(t + 100 + random.nextLong(4_000), EventKind.HEAL_PARTITION, -1);
    }
  }

  private long next(double perSecond) {
    return perSecond <= 0 ? Long.MAX_VALUE / 2 : 1 + (long) (-Math.log(1 - random.nextDouble())
        * 1000 / perSecond);
  }

  private void dispatch(Event e) {
    SimNode node = e.node >= 0 ? nodes[e.node] : null;
    if (trace != null) {
      record(e);
    }
    switch (e.kind) {
      case DELIVER -> {
        if (node.up()) {
          deliveries++;
          if (node.byzantine) {
            byzantine.remember(node, e.bytes);
          }
          apply(node, node.core.onMessageBytes(e.bytes, node.clock(now)));
        }
      }
      case TICK -> {
        if (node.up() && node.tickAt == e.time) {
          node.tickAt = Long.MAX_VALUE;
          apply(node, node.core.onTick(node.clock(now)));
        }
      }
      case CRASH -> crash(node);
      case RESTART -> restart(node);
      case PARTITION -> {
        partitions++;
        side = new int[nodes.length];
        for (int i = 0; i < side.length; i++) {
          side[i] = random.nextInt(2);
        }
      }
      case HEAL_PARTITION -> side = null;
      case HEAL -> heal();
      case SYNC -> {
        sync(node);
        push(now + options.syncPeriodMillis(), EventKind.SYNC, node.index);
      }
    }
  }

  private void heal() {
    faults = false;
    side = null;
    for (SimNode node : nodes) {
      if (!node.up()) {
        restart(node);
      }
    }
    livenessTarget = heads().stream().mapToLong(Long::longValue).max().orElse(0)
        + LIVENESS_HEIGHTS;
  }

  private void crash(SimNode node) {
    if (node.up()) {
      crashes++;
    }
    node.core = null;
    node.tickAt = Long.MAX_VALUE;
  }

  private void restart(SimNode node) {
    if (node.up()) {
      return;
    }
    long next = node.head() + 1;
    ValidatorSet validators = validatorsAt(node, next);
    node.core = node.persisted == null
        ? QbftCore.create(CONFIG, node.signer, verifier, node.blocks, next, validators)
        : QbftCore.restore(CONFIG, node.signer, verifier, node.blocks, node.persisted, next,
            validators);
    apply(node, node.core.start(node.clock(now)));
  }

  /** Carries out a core's actions in order; a torn list models a crash between two of them. */
  private void apply(SimNode node, List<Action> actions) {
    int cut = actions.size();
    if (faults && !node.byzantine && actions.size() > 1
        && random.nextDouble() < options.tornListRate()) {
      cut = random.nextInt(actions.size());
    }
    for (int i = 0; i < cut && node.up(); i++) {
      switch (actions.get(i)) {
        case Action.Persist p -> node.persisted = p.state();
        case Action.Broadcast b -> broadcast(node, b.message());
        case Action.Finalized f -> {
          append(node, f);
          apply(node, node.core.advanceTo(f.height() + 1, validatorsAt(node, f.height() + 1),
              node.clock(now)));
        }
        case Action.Behind b -> push(now + 5, EventKind.SYNC, node.index);
      }
    }
    if (cut < actions.size()) {
      crash(node);
      push(now + 50 + random.nextLong(2_000), EventKind.RESTART, node.index);
      return;
    }
    scheduleTick(node);
  }

  private void scheduleTick(SimNode node) {
    if (!node.up()) {
      return;
    }
    long wake = node.core.wakeAtMillis(); // on the node's clock
    if (wake == Long.MAX_VALUE) {
      return;
    }
    long at = Math.max(wake - node.clockOffsetMillis, now);
    if (at != node.tickAt) {
      node.tickAt = at;
      push(at, EventKind.TICK, node.index);
    }
  }

  private void broadcast(SimNode from, SignedMessage message) {
    if (!from.byzantine) {
      checkPersisted(from, message);
      checkNotEquivocating(from, message);
    }
    byte[] bytes = from.byzantine ? null : MessageCodec.encode(message);
    SignedMessage meant = from.byzantine
        ? byzantine.rewrite(from, options.behaviours(), message) : message;
    for (SimNode to : nodes) {
      if (to == from) {
        continue;
      }
      boolean commit = message.payload() instanceof Commit;
      if (!from.byzantine) {
        send(from, to, bytes, commit);
        continue;
      }
      for (byte[] lie : byzantine.forPeer(from, options.behaviours(), meant)) {
        send(from, to, lie, commit);
      }
    }
  }

  /** Commits may be lost more often: that leaves a block final at some nodes only. */
  private void send(SimNode from, SimNode to, byte[] bytes, boolean commit) {
    if (faults && side != null && side[from.index] != side[to.index]) {
      return;
    }
    double dropRate = commit ? Math.max(options.dropRate(), options.commitDropRate())
        : options.dropRate();
    if (faults && random.nextDouble() < dropRate) {
      return;
    }
    push(now + 1 + random.nextLong(options.delayMillisMax()), EventKind.DELIVER, to.index, bytes);
    if (faults && random.nextDouble() < options.duplicateRate()) {
      push(now + 1 + random.nextLong(options.delayMillisMax()), EventKind.DELIVER, to.index,
          bytes);
    }
  }

  /**
   * Sync as the p2p layer does it: the node fetches what a peer has beyond its own head
   * (Byzantine peers serve nothing). While faults last, head announcements get lost too, so it
   * asks one random peer; once healed, it finds the highest reachable one.
   */
  private void sync(SimNode node) {
    if (!node.up()) {
      return;
    }
    SimNode best = null;
    List<SimNode> candidates = faults
        ? List.of(nodes[random.nextInt(nodes.length)]) : Arrays.asList(nodes);
    for (SimNode peer : candidates) {
      boolean reachable = !faults || side == null || side[peer.index] == side[node.index];
      if (peer != node && !peer.byzantine && peer.up() && reachable
          && (best == null || peer.head() > best.head())) {
        best = peer;
      }
    }
    if (best == null || best.head() <= node.head()) {
      return;
    }
    for (long h = node.head() + 1; h <= best.head(); h++) {
      append(node, best.chain.get(h));
    }
    if (node.core.height() <= best.head()) {
      apply(node, node.core.advanceTo(best.head() + 1, validatorsAt(node, best.head() + 1),
          node.clock(now)));
    }
  }

  private void append(SimNode node, Action.Finalized f) {
    if (f.height() != node.head() + 1) {
      throw fail(Kind.SAFETY, "node " + node.index + " finalized height " + f.height()
          + " on head " + node.head());
    }
    ByteKey digest = new ByteKey(node.blocks.digest(f.payload()));
    var problem = f.certificate().verify(validatorsAt(node, f.height()), verifier);
    if (problem.isPresent() || !Arrays.equals(f.certificate().blockDigest(), digest.bytes())
        || f.certificate().height() != f.height()) {
      throw fail(Kind.BAD_CERTIFICATE, "height " + f.height() + " at node " + node.index + ": "
          + problem.orElse("certificate for another block or height"));
    }
    if (!node.byzantine) {
      checkTime(node, f);
      checkValid(node, f);
    }
    node.chain.put(f.height(), f);
    node.applied.put(f.height(), node.appliedBefore(f.height())
        + (SimBlocks.change(f.payload()) == SimBlocks.NO_CHANGE ? 0 : 1));
    if (node.byzantine) {
      return;
    }
    ByteKey first = finalized.putIfAbsent(f.height(), digest);
    if (first != null && !first.equals(digest)) {
      throw fail(Kind.SAFETY, "height " + f.height() + ": node " + node.index + " finalized "
          + digest + " but another honest node finalized " + first);
    }
  }

  /** Write-ahead, as the real driver enforces it: what a node sends, its durable state covers. */
  private void checkPersisted(SimNode from, SignedMessage m) {
    if (from.persisted == null || !from.persisted.covers(m.payload())) {
      throw fail(Kind.UNPERSISTED_VOTE, "honest node " + from.index + " sent "
          + m.payload().getClass().getSimpleName() + " of height " + m.payload().height()
          + " round " + m.payload().round() + " beyond its persisted state " + from.persisted);
    }
  }

  /**
   * A block's time rises above its parent's, and is not beyond what the fastest honest clock
   * accepts: at least f + 1 honest validators checked it against theirs before it was final.
   */
  private void checkTime(SimNode node, Action.Finalized f) {
    long time = SimBlocks.time(f.payload());
    long parent = node.timeBefore(f.height());
    if (time <= parent) {
      throw fail(Kind.TIMESTAMP, "node " + node.index + " finalized height " + f.height()
          + " at time " + time + ", not after its parent's " + parent);
    }
    long latest = Math.floorDiv(now + CLOCK_SKEW_MILLIS_MAX, 1000) + SimBlocks.FUTURE_SECONDS_MAX;
    if (time > latest) {
      throw fail(Kind.TIMESTAMP, "node " + node.index + " finalized height " + f.height()
          + " at time " + time + ", beyond " + latest + " which no honest clock accepts");
    }
  }

  /**
   * A certificate proves agreement, not validity: the block must pass the honest rules (the
   * check the core asks of every proposal) on this node's chain. Its time was checked above
   * against the fastest honest clock; the rest of the rules do not depend on the clock.
   */
  private void checkValid(SimNode node, Action.Finalized f) {
    if (!node.blocks.validate(f.height(), f.payload(), now + CLOCK_SKEW_MILLIS_MAX)) {
      throw fail(Kind.INVALID_BLOCK, "node " + node.index + " finalized height " + f.height()
          + " with a block the honest rules refuse: " + SimBlocks.describe(f.payload()));
    }
  }

  private void checkNotEquivocating(SimNode from, SignedMessage m) {
    String key = from.index + "/" + m.payload().getClass().getSimpleName() + "/"
        + m.payload().height() + "/" + m.payload().round();
    ByteKey what = new ByteKey(verifier.hash(MessageCodec.signedBody(m.payload())));
    ByteKey before = honestVotes.putIfAbsent(key, what);
    if (before != null && !before.equals(what)) {
      throw fail(Kind.HONEST_EQUIVOCATION, "honest node " + from.index + " sent two different "
          + key);
    }
  }

  private boolean livenessReached() {
    for (SimNode node : nodes) {
      if (!node.byzantine && node.head() < livenessTarget) {
        return false;
      }
    }
    return true;
  }

  private List<Long> heads() {
    return Arrays.stream(nodes).filter(n -> !n.byzantine).map(SimNode::head).toList();
  }

  private int memberIndex(ByteKey address) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).address().equals(address)) {
        return i;
      }
    }
    return -1;
  }

  private void push(long time, EventKind kind, int node) {
    push(time, kind, node, null);
  }

  private void push(long time, EventKind kind, int node, byte[] bytes) {
    queue.add(new Event(time, seq++, kind, node, bytes));
  }

  private void record(Event e) {
    String what = e.kind.toString();
    if (e.bytes != null) {
      try {
        SignedMessage m = MessageCodec.decode(e.bytes);
        what += " " + m.payload().getClass().getSimpleName() + " h=" + m.payload().height()
            + " r=" + m.payload().round() + " from " + memberIndex(m.author());
      } catch (RuntimeException malformed) {
        what += " malformed";
      }
    }
    SimNode node = e.node >= 0 ? nodes[e.node] : null;
    String state = node == null || !node.up() ? "" : " [h=" + node.core.height() + " r="
        + node.core.round() + " head=" + node.head() + "]";
    trace.addLast(now + "ms node " + e.node + " " + what + state);
    if (trace.size() > TRACE_LINES) {
      trace.removeFirst();
    }
  }

  private SimulationFailure fail(Kind kind, String message) {
    return new SimulationFailure(kind, message + " (seed " + seed + ", t=" + now + "ms)");
  }

  private SimulationFailure fail(Kind kind, String message, Throwable cause) {
    return new SimulationFailure(kind, message + " (seed " + seed + ", t=" + now + "ms)", cause);
  }
}
