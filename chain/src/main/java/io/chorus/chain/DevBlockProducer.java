package io.chorus.chain;

import io.chorus.evm.Address;
import io.chorus.ledger.TxPool;
import java.lang.System.Logger.Level;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;

/**
 * A single validator's producer for a dev chain: a block as soon as there is work (the next
 * one starts while clients keep sending, so blocks fill up under load), and an empty block
 * after {@code intervalMs} without any, so that time moves on the chain. A dev chain has no
 * other clock to agree with, so, like hardhat's automine, a block with transactions never
 * waits for the clock: each is stamped a second after its parent, and under load the chain's
 * time runs ahead of the wall clock (a BFT proposer keeps within {@link BlockTime}'s lead
 * instead). An empty block waits for the clock's own second, so an idle chain wins the lead
 * back.
 */
public final class DevBlockProducer implements BlockProducer, Blockchain.Listener {
  private static final System.Logger LOG = System.getLogger(DevBlockProducer.class.getName());

  private final Blockchain chain;
  private final Address coinbase;
  private final long intervalNanos;
  private final InstantSource clock;
  private final Object signal = new Object();
  private final Thread thread;
  private boolean work;
  private volatile boolean stopping;

  /** @param clock the wall clock block timestamps come from */
  public DevBlockProducer(Blockchain chain, Address coinbase, long intervalMs,
      InstantSource clock) {
    if (intervalMs <= 0) {
      throw new IllegalArgumentException("block interval must be positive, got " + intervalMs);
    }
    this.chain = chain;
    this.coinbase = coinbase;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    this.clock = clock;
    this.thread = new Thread(this::run, "chorus-producer");
  }

  @Override
  public void start() {
    chain.addListener(this);
    // Transactions left in the pool by a previous run are work too.
    synchronized (signal) {
      work = chain.pool().size() > 0;
    }
    thread.start();
  }

  @Override
  public void onPending(TxPool.Pooled transaction) {
    synchronized (signal) {
      work = true;
      signal.notify();
    }
  }

  private void run() {
    long last = System.nanoTime();
    while (!stopping) {
      try {
        synchronized (signal) {
          long wait;
          while (!stopping && (wait = nanosUntilDue(last)) > 0) {
            TimeUnit.NANOSECONDS.timedWait(signal, wait);
          }
          work = false;
        }
        if (stopping) {
          return;
        }
        Blockchain.Proposal proposal = chain.buildNext(coinbase,
            Math.floorDiv(clock.millis(), 1000), new byte[0]);
        boolean idle = proposal.block().transactions().isEmpty();
        if (idle && System.nanoTime() - last < intervalNanos) {
          continue; // woken by transactions that cannot run yet (a nonce gap): wait on
        }
        chain.commit(proposal);
        last = System.nanoTime();
        if (!idle) {
          synchronized (signal) {
            // Whatever arrived while this block was built goes in the next one at once.
            work |= chain.pool().size() > 0;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        // A failed block must not kill the producer: log it and try again after the interval.
        LOG.log(Level.ERROR, "building block " + (chain.head().number() + 1) + " failed", e);
        last = System.nanoTime();
      }
    }
  }

  // How long until the next block is due (called holding the signal): with work, now; without,
  // after the interval, once the clock reaches the second after its parent's.
  private long nanosUntilDue(long last) {
    if (work) {
      return 0;
    }
    long allowedAtMillis = BlockTime.proposeNotBeforeMillis(chain.head().timestamp(), false);
    return Math.max(TimeUnit.MILLISECONDS.toNanos(allowedAtMillis - clock.millis()),
        last + intervalNanos - System.nanoTime());
  }

  @Override
  public void close() {
    stopping = true;
    synchronized (signal) {
      signal.notify();
    }
    chain.removeListener(this);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
