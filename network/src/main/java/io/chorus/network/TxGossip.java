package io.chorus.network;

import io.chorus.chain.Blockchain;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.ledger.TxPool;
import io.chorus.tx.TransactionDecoder;
import io.chorus.tx.TransactionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shares the transactions a member's clients send with every other member, so that whichever
 * validator proposes next has them. Batched (a message per {@link #FLUSH_MILLIS} or per
 * {@link #BATCH_TRANSACTIONS_MAX}) to keep messages few; the network is a full mesh, so what a
 * member received from a peer is not sent on again. Peers' batches are admitted on a thread of
 * their own, as a client's transactions are: the same checks, the same pool.
 */
final class TxGossip implements Blockchain.Listener, AutoCloseable {
  static final int BATCH_TRANSACTIONS_MAX = 256;
  static final long FLUSH_MILLIS = 10;
  /** Peers' batches waiting for admission; beyond this they are dropped and counted. */
  static final int INBOUND_BATCHES_MAX = 1_024;

  private final Blockchain chain;
  private final Peers peers;
  private final List<byte[]> batch = new ArrayList<>();
  private final ScheduledExecutorService flusher;
  private final ThreadPoolExecutor admitter;
  private volatile Thread admitterThread;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong droppedBatches = new AtomicLong();

  TxGossip(Blockchain chain, Peers peers) {
    this.chain = chain;
    this.peers = peers;
    this.flusher = Executors.newSingleThreadScheduledExecutor(
        r -> new Thread(r, "chorus-gossip-flush"));
    this.admitter = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(INBOUND_BATCHES_MAX), r -> {
          Thread t = new Thread(r, "chorus-gossip-admit");
          admitterThread = t;
          return t;
        });
  }

  @Override
  public void onPending(TxPool.Pooled transaction) {
    if (Thread.currentThread() == admitterThread) {
      return; // from a peer: every member has it already
    }
    boolean first;
    boolean full;
    synchronized (batch) {
      first = batch.isEmpty();
      batch.add(transaction.transaction().encoded());
      full = batch.size() >= BATCH_TRANSACTIONS_MAX;
    }
    if (full) {
      flush();
    } else if (first) {
      // A flush only when there is something to send: an idle member's flusher sleeps.
      try {
        flusher.schedule(this::flush, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        // the member is stopping: its peers get the transaction in a block, if at all
      }
    }
  }

  /** A peer's batch; runs on the network's delivery thread, so it only queues the work. */
  void onTransactions(byte[] payload) {
    try {
      admitter.execute(() -> admit(payload));
    } catch (RejectedExecutionException e) {
      droppedBatches.incrementAndGet();
    }
  }

  long received() {
    return received.get();
  }

  long refused() {
    return refused.get();
  }

  long droppedBatches() {
    return droppedBatches.get();
  }

  private void admit(byte[] payload) {
    try {
      RlpReader list = RlpReader.of(payload).readList();
      while (list.hasNext()) {
        received.incrementAndGet();
        try {
          chain.submit(TransactionDecoder.decode(list.readBytes()));
        } catch (TxPool.Rejected | TransactionException | RlpException e) {
          refused.incrementAndGet(); // known already, or invalid here: the peer's client hears
        }
      }
    } catch (RlpException e) {
      refused.incrementAndGet();
    }
  }

  private void flush() {
    List<byte[]> out;
    synchronized (batch) {
      if (batch.isEmpty()) {
        return;
      }
      out = new ArrayList<>(batch.size());
      for (byte[] tx : batch) {
        out.add(Rlp.encodeBytes(tx));
      }
      batch.clear();
    }
    peers.broadcast(MessageType.TRANSACTIONS, Rlp.encodeList(out));
  }

  @Override
  public void close() {
    flusher.shutdown();
    admitter.shutdown();
    try {
      flusher.awaitTermination(5, TimeUnit.SECONDS);
      admitter.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
