package io.chorus.node;

import io.chorus.chain.Blockchain;
import io.chorus.rpc.JsonRpc;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Flow control for clients that send their next transaction when the last one is answered (as
 * wallets, gateways and load generators do). While the pool holds more than
 * {@code holdAbove} transactions, the answer to a submitted transaction waits — the transaction
 * itself is pooled already — until committed blocks bring the pool back to that size, or for at
 * most {@code holdMillisMax}. Without it such clients fill the pool faster than blocks finalize
 * it, and each transaction then waits behind the whole backlog: its latency grows with the
 * load instead of staying near a block's agreement time.
 */
final class TxPacer implements JsonRpc.Pacer, Blockchain.Listener, AutoCloseable {
  /** How often held answers are checked without a block (for those that waited their longest). */
  static final long CHECK_MILLIS = 50;

  private record Held(Runnable send, long deadlineNanos) {}

  private final IntSupplier poolSize;
  private final int holdAbove;
  private final long holdNanosMax;
  private final LongSupplier nanoTime;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  private final ScheduledExecutorService timer;
  private boolean checkScheduled; // guarded by held
  private long heldTotal; // guarded by held
  private boolean closed; // guarded by held: then answers go at once

  /**
   * @param poolSize the number of transactions in the pool
   * @param holdAbove the pool size above which answers wait
   * @param holdMillisMax the longest an answer waits, e.g. while the chain cannot finalize
   */
  TxPacer(IntSupplier poolSize, int holdAbove, long holdMillisMax) {
    this(poolSize, holdAbove, holdMillisMax, System::nanoTime, true);
  }

  // A timer-less pacer for tests, on their clock: they call releaseDue themselves.
  TxPacer(IntSupplier poolSize, int holdAbove, long holdMillisMax, LongSupplier nanoTime,
      boolean timer) {
    if (holdAbove < 0 || holdMillisMax < 0) {
      throw new IllegalArgumentException("pacing bounds must not be negative: " + holdAbove
          + ", " + holdMillisMax);
    }
    this.poolSize = poolSize;
    this.holdAbove = holdAbove;
    this.holdNanosMax = TimeUnit.MILLISECONDS.toNanos(holdMillisMax);
    this.nanoTime = nanoTime;
    this.timer = timer ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "chorus-rpc-pacer");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  @Override
  public void release(Runnable send) {
    synchronized (held) {
      // Behind earlier held answers even when the pool has room: first come, first answered.
      if (!closed && (!held.isEmpty() || poolSize.getAsInt() > holdAbove)) {
        scheduleCheck(); // only while answers wait: an idle node's timer sleeps
        held.addLast(new Held(send, nanoTime.getAsLong() + holdNanosMax));
        heldTotal++;
        return;
      }
    }
    send.run();
  }

  @Override
  public void onBlock(Blockchain.CommittedBlock block) {
    releaseDue();
  }

  /** The number of answers waiting. */
  int heldCount() {
    synchronized (held) {
      return held.size();
    }
  }

  /** The number of answers that have had to wait, since the start. */
  long heldTotal() {
    synchronized (held) {
      return heldTotal;
    }
  }

  /** Sends the held answers the pool has room for, and those that waited their longest. */
  void releaseDue() {
    List<Runnable> due = new ArrayList<>();
    synchronized (held) {
      if (held.isEmpty()) {
        return;
      }
      boolean room = poolSize.getAsInt() <= holdAbove;
      long now = nanoTime.getAsLong();
      while (!held.isEmpty() && (room || held.peekFirst().deadlineNanos() - now <= 0)) {
        due.add(held.pollFirst().send());
      }
      if (!held.isEmpty()) {
        scheduleCheck();
      }
    }
    due.forEach(Runnable::run);
  }

  // Releases what is due a little later, in case no block comes. Called holding the lock.
  private void scheduleCheck() {
    if (timer != null && !checkScheduled) {
      checkScheduled = true;
      try {
        timer.schedule(() -> {
          synchronized (held) {
            checkScheduled = false;
          }
          releaseDue();
        }, CHECK_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        checkScheduled = false; // closing: close() sends what is held
      }
    }
  }

  /** Sends every held answer, and later ones at once: the node is stopping. */
  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    List<Runnable> all = new ArrayList<>();
    synchronized (held) {
      closed = true;
      held.forEach(h -> all.add(h.send()));
      held.clear();
    }
    all.forEach(Runnable::run);
  }
}
