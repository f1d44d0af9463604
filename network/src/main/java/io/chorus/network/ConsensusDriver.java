package io.chorus.network;

import io.chorus.chain.Blockchain;
import io.chorus.consensus.Action;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.Config;
import io.chorus.consensus.ConsensusState;
import io.chorus.consensus.Message;
import io.chorus.consensus.MessageCodec;
import io.chorus.consensus.QbftCore;
import io.chorus.consensus.SignedMessage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Runs the pure consensus core against the real world on one thread, {@code chorus-consensus}:
 * network messages, new transactions and clock ticks in; broadcasts, durable state, finalized
 * blocks and sync requests out. Everything that appends to the chain (a finalized block, blocks
 * from sync) happens on this thread, so the core and the chain never disagree about the head.
 *
 * <p>Write-ahead is enforced here, not trusted: a message leaves only if the state written last
 * covers it ({@link ConsensusState#covers}), and a state that cannot be written halts consensus
 * on this member for good (fail-stop). It then drops its core, votes no more, and follows the
 * chain by sync until an operator restarts it; {@link #haltReason} says why.
 */
final class ConsensusDriver {
  private static final System.Logger LOG = System.getLogger(ConsensusDriver.class.getName());
  /** Events waiting for the consensus thread; beyond this, peers' messages are dropped. */
  static final int EVENTS_MAX = 20_000;
  /** The longest the thread sleeps without a tick, so sync and status keep their rhythm. */
  static final long TICK_MILLIS_MAX = 50;

  private final Blockchain chain;
  private final ChainBlockSource blocks;
  private final ValidatorSchedule validators;
  /** The timing of each height: its block interval is a chain parameter. */
  private final LongFunction<Config> timing;
  /** Makes the core for a height at which this member validates; null while it does not. */
  private final LongFunction<QbftCore> cores;
  private volatile QbftCore core; // null until this member is a validator, and once halted
  /** Why consensus stopped on this member; null while it runs. Set once, on this thread. */
  private volatile String haltReason;
  /** The state written last in this process: what a message must be covered by to leave. */
  private ConsensusState durable;
  private final StateWriter stateWriter;
  private final BlockingQueue<Runnable> events = new ArrayBlockingQueue<>(EVENTS_MAX);
  private final AtomicBoolean workSignalled = new AtomicBoolean();
  private final AtomicLong droppedEvents = new AtomicLong();
  private final Thread thread;
  private final InstantSource clock;
  private Peers peers;
  private BlockSync sync;
  private volatile boolean stopping;

  ConsensusDriver(Blockchain chain, ChainBlockSource blocks, ValidatorSchedule validators,
      LongFunction<Config> timing, LongFunction<QbftCore> cores, StateWriter stateWriter,
      InstantSource clock) {
    this.timing = timing;
    this.clock = clock;
    this.chain = chain;
    this.blocks = blocks;
    this.validators = validators;
    this.cores = cores;
    this.core = cores.apply(chain.head().number() + 1);
    this.stateWriter = stateWriter;
    this.thread = new Thread(this::run, "chorus-consensus");
  }

  void start(Peers peers, BlockSync sync) {
    this.peers = peers;
    this.sync = sync;
    thread.start();
  }

  /** Hands work to the consensus thread; counted and dropped when it is too far behind. */
  void submit(Runnable event) {
    if (!events.offer(event)) {
      if (droppedEvents.getAndIncrement() % 1000 == 0) {
        LOG.log(Level.WARNING, "consensus thread overloaded: " + droppedEvents.get()
            + " events dropped so far");
      }
    }
  }

  void onConsensusMessage(byte[] bytes) {
    if (core != null) {
      submit(() -> step(c -> c.onMessageBytes(bytes, now())));
    }
  }

  /** Runs one step of the core, if this member still has one, and carries out its actions. */
  private void step(Function<QbftCore, List<Action>> input) {
    QbftCore current = core; // read once: a halt in act() clears it
    if (current != null) {
      act(input.apply(current));
    }
  }

  /**
   * A member that governance made a validator at height {@code next} starts its core there;
   * until then it follows the chain by sync.
   */
  private void joinIfValidator(long next) {
    if (core == null && haltReason == null) {
      core = cores.apply(next);
      if (core != null) {
        LOG.log(Level.INFO, "this member validates from height " + next);
        act(core.start(now()));
      }
    }
  }

  /**
   * New transactions: a proposer waiting for work may propose now. Once per height: within a
   * height the pool only grows, and the core asks the pool itself when it next wakes.
   */
  void onWork() {
    if (core != null && workSignalled.compareAndSet(false, true)) {
      submit(() -> step(c -> c.onTick(now())));
    }
  }

  /** After sync appended blocks: the core moves on to the height after the new head. */
  void onHeadAdvanced() {
    headMoved();
    long next = chain.head().number() + 1;
    step(c -> c.height() < next
        ? c.advanceTo(next, validators.at(next), timing.apply(next), now()) : List.of());
    joinIfValidator(next);
  }

  /** Blocks proposed to this member that it refused. */
  long invalidBlocks() {
    return blocks.invalidBlocks();
  }

  long droppedEvents() {
    return droppedEvents.get();
  }

  /** Why this member stopped voting, once it has: shown by status and metrics. */
  Optional<String> haltReason() {
    return Optional.ofNullable(haltReason);
  }

  QbftCore core() {
    return core;
  }

  private void run() {
    step(c -> c.start(now()));
    while (!stopping) {
      try {
        long wake = core == null ? Long.MAX_VALUE : core.wakeAtMillis();
        long wait = Math.max(0, Math.min(TICK_MILLIS_MAX, wake - now()));
        Runnable event = events.poll(wait, TimeUnit.MILLISECONDS);
        if (event != null) {
          event.run();
          for (int i = 0; i < 256 && (event = events.poll()) != null; i++) {
            event.run();
          }
        }
        step(c -> now() >= c.wakeAtMillis() ? c.onTick(now()) : List.of());
        sync.tick(now());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // A failure here must not stop consensus on this member: log it and carry on.
        LOG.log(Level.ERROR, "consensus step failed", e);
      }
    }
  }

  /** Carries out the core's actions in order; after a halt, none of what is left. */
  private void act(List<Action> actions) {
    Deque<Action> todo = new ArrayDeque<>(actions);
    while (!todo.isEmpty() && haltReason == null) {
      switch (todo.removeFirst()) {
        case Action.Broadcast b -> broadcast(b.message());
        case Action.Persist p -> persist(p.state());
        case Action.Finalized f -> {
          List<Action> next = finalized(f);
          for (int i = next.size() - 1; i >= 0; i--) {
            todo.addFirst(next.get(i)); // before what the core asked for earlier
          }
        }
        case Action.Behind b -> sync.behind(b.height());
      }
    }
  }

  private List<Action> finalized(Action.Finalized f) {
    if (f.height() == chain.head().number() + 1) {
      CommitCertificate certificate = f.certificate();
      Blockchain.Proposal proposal = blocks.executed(certificate.blockDigest())
          .orElseGet(() -> chain.validate(chain.decode(f.payload())));
      chain.commit(proposal, certificate.encode());
    }
    headMoved();
    sync.onCommitted();
    long next = chain.head().number() + 1;
    return core.advanceTo(next, validators.at(next), timing.apply(next), now());
  }

  // A new height: the block source forgets the blocks it executed on the old head, and the
  // next transaction may wake an idle proposer again.
  private void headMoved() {
    blocks.onNewHead();
    workSignalled.set(false);
  }

  /** Write-ahead: the state is on disk before the messages that follow it leave. */
  private void persist(ConsensusState state) {
    try {
      stateWriter.write(state);
      durable = state;
    } catch (IOException e) {
      // Voting on without the state on disk could make this validator equivocate after a
      // crash, and retrying could let a vote out between a failed write and a good one.
      halt("cannot make the consensus state durable (" + e.getMessage() + ")", e);
    }
  }

  /** Sends a vote the durable state covers; anything else is a bug that halts consensus. */
  private void broadcast(SignedMessage message) {
    Message vote = message.payload();
    if (durable == null || !durable.covers(vote)) {
      String written = durable == null ? "none yet"
          : "height " + durable.height() + " round " + durable.round();
      halt("the core asked to send a " + vote.getClass().getSimpleName() + " of height "
          + vote.height() + " round " + vote.round() + " that the state written last ("
          + written + ") does not cover: a bug, report it", null);
      return;
    }
    peers.broadcast(MessageType.CONSENSUS, MessageCodec.encode(message));
  }

  /**
   * Fail-stop: this member votes no more until it is restarted. It keeps following the chain
   * by sync and serving it, so status and metrics show the halt; after the restart the core
   * resumes from the last state written, past every round this member sent anything in.
   */
  private void halt(String why, Throwable cause) {
    QbftCore halted = core;
    haltReason = "consensus halted at height " + halted.height() + " round " + halted.round()
        + ": " + why + "; this member no longer votes and follows the chain by sync: fix the"
        + " cause, then restart it";
    core = null;
    LOG.log(Level.ERROR, haltReason, cause);
  }

  // The one clock the core sees: its deadlines and the blocks' timestamps both come from it.
  private long now() {
    return clock.millis();
  }

  /** Stops the thread; true once it has ended, so that the state file may be closed. */
  boolean stop() {
    // No interrupt: it would close a state file mid-write. The thread wakes within a tick.
    stopping = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }
}
