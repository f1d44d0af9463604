package io.chorus.trace;

import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.crypto.EnvelopeException;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.ledger.Block;
import io.chorus.ledger.Receipt;
import io.chorus.rpc.rest.Problem;
import io.chorus.state.system.SystemContracts;
import io.chorus.state.system.Trace;
import io.chorus.trace.epcis.CaptureCall;
import io.chorus.trace.epcis.CapturedEvents;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import io.chorus.tx.Transaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fills a {@link TraceStore} from committed blocks: for each successful {@code Capture}
 * transaction, its batch is inflated, each event read and its hash ID recomputed, and the
 * capture indexed only when those hash IDs give the anchored root and count back — otherwise it
 * is counted and logged, and nothing of it stored. Blocks go in order: a block the store has
 * not reached yet first makes it catch up from the chain's store, so the index missing or
 * behind (a new node, a deleted directory, a crash between the chain's commit and the
 * store's) is rebuilt from block 0 and every node ends with the same events.
 *
 * <p>A sealed capture ({@code CaptureSealed}) is opened with this node's consensus key pair when
 * its envelope names this node, then checked and indexed as any capture, its events visible to
 * its organisations only. A node it is not sealed for records only that it exists (its
 * organisations and count, for {@link TraceStore#withheld}) and never holds its events.
 *
 * <p>A capture read before its block ({@link ReadCaptures}: this node's own, and others' as they
 * reached the pool) is taken as read when the block carries the batch it was read from.
 *
 * <p>Only a capture sent as a transaction to the contract is read: its batch is the
 * transaction's call data. A contract calling {@code Capture} anchors a root the chain keeps,
 * but no node indexes its events (counted as ignored).
 *
 * <p>A node runs it under a {@link io.chorus.chain.BlockFollower}, on a thread of its own.
 */
public final class TraceIndexer implements Blockchain.Listener {
  private static final System.Logger LOG = System.getLogger(TraceIndexer.class.getName());

  private final Blockchain chain;
  private final TraceStore store;
  private final ConsortiumDirectory directory;
  private final ReadCaptures readAhead;
  private final HashFunction hash;
  private final EpcisReader reader = new EpcisReader(EpcisLimits.defaults());
  private final AtomicLong mismatches = new AtomicLong();
  private final List<Runnable> indexedListeners = new CopyOnWriteArrayList<>();
  // Captures of the block being indexed that cannot be: logged by ignore().
  private int ignoredInBlock;

  /** An indexer that opens no sealed capture: for a node in no organisation. */
  public TraceIndexer(Blockchain chain, TraceStore store) {
    this(chain, store, ConsortiumDirectory.NONE);
  }

  /**
   * An indexer that opens the captures sealed for a key pair {@code directory} holds: its
   * organisation's data keys, or (for captures sealed before data keys) the node's own.
   */
  public TraceIndexer(Blockchain chain, TraceStore store, ConsortiumDirectory directory) {
    this(chain, store, directory, new ReadCaptures(chain.suite().hashFunction()));
  }

  /** As above, taking the captures {@code readAhead} read before their blocks. */
  TraceIndexer(Blockchain chain, TraceStore store, ConsortiumDirectory directory,
      ReadCaptures readAhead) {
    this.chain = chain;
    this.store = store;
    this.directory = directory;
    this.readAhead = readAhead;
    this.hash = chain.suite().hashFunction();
  }

  /** Indexes every committed block the store has not: call once at start. */
  public synchronized void catchUp() {
    long head = chain.head().number();
    for (long n = store.indexedHeight() + 1; n <= head; n++) {
      long number = n;
      Block block = chain.store().blockByNumber(number).orElseThrow(() ->
          new IllegalStateException("the chain has no block " + number + " below its head"));
      byte[] blockHash = chain.hashOf(block.header());
      List<Receipt> receipts = chain.store().receipts(blockHash).orElseThrow(() ->
          new IllegalStateException("the chain has no receipts of block " + number));
      index(block, receipts);
    }
  }

  @Override
  public synchronized void onBlock(Blockchain.CommittedBlock committed) {
    long number = committed.block().header().number();
    long height = store.indexedHeight();
    if (number <= height) {
      return;
    }
    if (number > height + 1) {
      catchUp(); // reads this block too, from the store it was committed to
      return;
    }
    index(committed.block(), committed.receipts());
  }

  /**
   * Runs {@code listener} after each block's events are in the store (subscriptions deliver
   * from there); on the indexing thread, so it only signals.
   */
  public void addIndexedListener(Runnable listener) {
    indexedListeners.add(listener);
  }

  /** Captures whose events did not give their root back, since start. */
  public long mismatches() {
    return mismatches.get();
  }

  private void index(Block block, List<Receipt> receipts) {
    long number = block.header().number();
    Instant recordTime = Instant.ofEpochSecond(block.header().timestamp());
    List<TraceStore.Capture> captures = new ArrayList<>();
    List<TraceStore.Sealed> sealed = new ArrayList<>();
    ignoredInBlock = 0;
    for (int i = 0; i < receipts.size(); i++) {
      for (Log log : receipts.get(i).logs()) {
        if (!log.address().equals(SystemContracts.TRACE) || log.topics().size() != 4
            || !log.topics().getFirst().equals(Trace.CAPTURED_TOPIC)) {
          continue;
        }
        Transaction tx = block.transactions().get(i);
        TraceStore.Capture capture = capture(tx, log, number, recordTime, sealed);
        if (capture != null) {
          captures.add(capture);
        }
      }
    }
    store.commitBlock(number, captures, sealed, ignoredInBlock);
    indexedListeners.forEach(Runnable::run);
  }

  /** The {@code Capture} or {@code CaptureSealed} call {@code tx} sends the contract, or null. */
  static CaptureCall captureCall(Transaction tx) {
    return tx.to() != null && Arrays.equals(tx.to(), SystemContracts.TRACE.toArray())
        ? CaptureCall.decode(tx.data()) : null;
  }

  // The capture a Captured log announces, read from its transaction; null when it cannot be
  // indexed (logged and counted) or is sealed for other nodes. A sealed one is noted in
  // `sealed` either way.
  private TraceStore.Capture capture(Transaction tx, Log log, long number,
      Instant recordTime, List<TraceStore.Sealed> sealed) {
    byte[] root = log.topics().get(1).toBytes();
    Address capturer = Address.fromWord(log.topics().get(3).toBytes());
    byte[] txHash = hash.hash(tx.encoded());
    CaptureCall call = captureCall(tx);
    if (call == null || !Arrays.equals(call.root(), root)) {
      return ignore(number, txHash, "its batch is not in the transaction's call data (a"
          + " contract called Capture)");
    }
    if (!call.sealed()) {
      return capture(call, call.batch(), txHash, number, recordTime, capturer);
    }
    byte[] opened = open(call, number, txHash);
    TraceStore.Capture capture = opened == null ? null
        : capture(call, opened, txHash, number, recordTime, capturer);
    sealed.add(new TraceStore.Sealed(call.organisations(), call.count(), capture != null));
    return capture;
  }

  // The batch of a sealed capture when it is sealed for this node's organisation's data key
  // (the current one or an older one) or, as captures were before organisations had data keys,
  // for this node's own key; null when not (or it does not open: logged).
  private byte[] open(CaptureCall call, long number, byte[] txHash) {
    List<KeyPair> candidates = new ArrayList<>(directory.organisationDataKeys());
    directory.nodeKeyPair().ifPresent(candidates::add);
    for (KeyPair keys : candidates) {
      try {
        return SealedBatch.open(chain.suite(), call, keys);
      } catch (EnvelopeException e) {
        if (e.reason() != EnvelopeException.Reason.NOT_A_RECIPIENT) {
          ignore(number, txHash, "its sealed batch does not open: " + e.getMessage());
          return null;
        }
      }
    }
    return null;
  }

  private TraceStore.Capture capture(CaptureCall call, byte[] batch, byte[] txHash,
      long number, Instant recordTime, Address capturer) {
    CapturedEvents read = readAhead.take(call.root(), batch);
    if (read == null) {
      try {
        read = CapturedEvents.read(batch, call.count(), call.root(), hash, reader);
      } catch (CapturedEvents.Invalid e) {
        if (e.rootMismatch()) {
          mismatches.incrementAndGet();
        }
        return ignore(number, txHash, e.getMessage());
      }
    }
    List<MasterData.Element> masterData = List.of();
    if (read.masterData() != null) {
      try {
        masterData = MasterData.read(read.masterData(), "");
      } catch (Problem invalid) {
        return ignore(number, txHash, "its master data is invalid: " + invalid.getMessage());
      }
    }
    return new TraceStore.Capture(call.root(), txHash, number, recordTime, capturer,
        read.digests(), read.events(), read.elements(), read.json(), call.organisations(),
        call.sealed() ? List.of() : masterData);
  }

  private TraceStore.Capture ignore(long number, byte[] txHash, String why) {
    ignoredInBlock++;
    LOG.log(System.Logger.Level.WARNING, "block " + number + ": capture "
        + Hex.encode0x(txHash) + " is not indexed: " + why);
    return null;
  }
}
