package io.chorus.chain;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Runs a slow listener of committed blocks, such as a service's index, on a thread of its own,
 * so that the committing thread (consensus) never waits for it. Blocks reach the listener in
 * order through a bounded queue. When the queue is full a block is dropped, and once the
 * listener has taken what was queued before it, {@code catchUp} reads what it missed from the
 * chain's store: memory stays bounded and nothing is skipped.
 *
 * <p>The listener must accept a block it already has (ignore it) and one past a gap (catch up
 * first), as {@code TraceIndexer} does; {@code height} says how far it has got.
 */
public final class BlockFollower implements Blockchain.Listener, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(BlockFollower.class.getName());

  private final Blockchain chain;
  private final Blockchain.Listener listener;
  private final Runnable catchUp;
  private final LongSupplier height;
  private final BlockingQueue<Blockchain.CommittedBlock> queue;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * Starts the thread ({@code name}) that hands {@code listener} the blocks of {@code chain}
   * as they commit, at most {@code capacity} waiting; {@code catchUp} brings the listener to
   * the chain's head from its store, {@code height} is the last block the listener has.
   */
  public BlockFollower(String name, Blockchain chain, Blockchain.Listener listener,
      Runnable catchUp, LongSupplier height, int capacity) {
    this.chain = chain;
    this.listener = listener;
    this.catchUp = catchUp;
    this.height = height;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    thread.start();
  }

  @Override
  public void onBlock(Blockchain.CommittedBlock block) {
    queue.offer(block); // when full, dropped: run() catches up once the queue is drained
  }

  /** Blocks committed that the listener has not taken in yet. */
  public long behind() {
    return Math.max(0, chain.head().number() - height.getAsLong());
  }

  private void run() {
    boolean failed = false;
    while (!closed) {
      try {
        // Woken each second without a block too: blocks committed between the listener's
        // first catch-up and this follower joining the chain are read then.
        Blockchain.CommittedBlock block = queue.poll(1, TimeUnit.SECONDS);
        if (block != null) {
          failed = false;
          listener.onBlock(block);
        }
        // The head moves before the listeners hear of its block, so a block dropped while
        // the queue was full is at or below the head seen here, once the queue is empty.
        if (!failed && queue.isEmpty() && height.getAsLong() < chain.head().number()) {
          catchUp.run();
        }
      } catch (InterruptedException e) {
        return; // closed
      } catch (RuntimeException e) {
        // The listener stays where it was and the next block retries (by catching up); the
        // chain goes on either way.
        failed = true;
        LOG.log(System.Logger.Level.ERROR, thread.getName() + " failed after block "
            + height.getAsLong() + "; it retries with the next block", e);
      }
    }
  }

  /** Stops the thread, leaving what is queued: the listener catches up when started again. */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
