package io.chorus.network;

import io.chorus.chain.Blockchain;
import io.chorus.consensus.Action;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.Config;
import io.chorus.consensus.ConsensusState;
import io.chorus.consensus.MessageCodec;
import io.chorus.consensus.QbftCore;
import io.chorus.ledger.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Runs the pure consensus core against the real world on one thread, {@code chorus-consensus}:
 * network messages, new transactions and clock ticks in; broadcasts, durable state, finalized
 * blocks and sync requests out. Everything that appends to the chain (a finalized block, blocks
 * from sync) happens on this thread, so the core and the chain never disagree about the head.
 */
final class ConsensusDriver implements AutoCloseable {
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
  private volatile QbftCore core; // null until this member is a validator
  private final ConsensusStateFile stateFile;
  private final BlockingQueue<Runnable> events = new ArrayBlockingQueue<>(EVENTS_MAX);
  private final AtomicBoolean workSignalled = new AtomicBoolean();
  private final AtomicLong droppedEvents = new AtomicLong();
  private final Thread thread;
  private final InstantSource clock;
  private Peers peers;
  private BlockSync sync;
  private volatile boolean stopping;

  ConsensusDriver(Blockchain chain, ChainBlockSource blocks, ValidatorSchedule validators,
      LongFunction<Config> timing, LongFunction<QbftCore> cores, ConsensusStateFile stateFile,
      InstantSource clock) {
    this.timing = timing;
    this.clock = clock;
    this.chain = chain;
    this.blocks = blocks;
    this.validators = validators;
    this.cores = cores;
    this.core = cores.apply(chain.head().number() + 1);
    this.stateFile = stateFile;
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
      submit(() -> act(core.onMessageBytes(bytes, now())));
    }
  }

  /**
   * A member that governance made a validator at height {@code next} starts its core there;
   * until then it follows the chain by sync.
   */
  private void joinIfValidator(long next) {
    if (core == null) {
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
      submit(() -> act(core.onTick(now())));
    }
  }

  /** After sync appended blocks: the core moves on to the height after the new head. */
  void onHeadAdvanced() {
    headMoved();
    long next = chain.head().number() + 1;
    if (core != null && core.height() < next) {
      act(core.advanceTo(next, validators.at(next), timing.apply(next), now()));
    }
    joinIfValidator(next);
  }

  /** Blocks proposed to this member that it refused. */
  long invalidBlocks() {
    return blocks.invalidBlocks();
  }

  long droppedEvents() {
    return droppedEvents.get();
  }

  QbftCore core() {
    return core;
  }

  private void run() {
    if (core != null) {
      act(core.start(now()));
    }
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
        if (core != null && now() >= core.wakeAtMillis()) {
          act(core.onTick(now()));
        }
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

  private void act(List<Action> actions) {
    Deque<Action> todo = new ArrayDeque<>(actions);
    while (!todo.isEmpty()) {
      switch (todo.removeFirst()) {
        case Action.Broadcast b ->
            peers.broadcast(MessageType.CONSENSUS, MessageCodec.encode(b.message()));
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
          .orElseGet(() -> chain.validate(Block.decode(f.payload())));
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
      stateFile.write(state);
    } catch (IOException e) {
      // Voting on without the state on disk could make this validator equivocate after a
      // crash: stop here instead.
      throw new UncheckedIOException("cannot persist the consensus state to " + stateFile
          + ": " + e.getMessage(), e);
    }
  }

  // The one clock the core sees: its deadlines and the blocks' timestamps both come from it.
  private long now() {
    return clock.millis();
  }

  @Override
  public void close() {
    // No interrupt: it would close a state file mid-write. The thread wakes within a tick.
    stopping = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!thread.isAlive()) {
      stateFile.close();
    }
  }
}
