package io.chorus.receivables;

import io.chorus.chain.Blockchain;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.StateReader;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.LogsBloom;
import io.chorus.ledger.Receipt;
import io.chorus.state.system.Receivables;
import io.chorus.state.system.SystemContracts;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the contract cannot list without a scan, kept by the node from committed blocks: the
 * pieces each account holds, the pieces each bank financed, the receivables each obligor
 * confirmed, and each piece's steps (the logs that issued, split, moved, offered, financed and
 * paid it), which name the transaction a step's proof is built from.
 *
 * <p>A block's receivables logs name the pieces it touched; those, and any piece the count in
 * the state says is new (a court's forced transfer mints one without a log), are read again
 * from the state after the block, so the index holds what the state holds and never what a log
 * alone claims. It lives in memory: at start it reads every block's receipts whose bloom may
 * hold a receivables log (a few hundred bytes per piece: 100,000 pieces are some tens of
 * MB), and a block arriving past a gap makes it read the blocks in between from the store
 * first.
 */
final class ReceivableIndex implements Blockchain.Listener {
  /** The steps kept per piece: the first (its birth) and the latest others. */
  static final int STEPS_PER_PIECE_MAX = 64;

  /** What happened to a piece. */
  enum StepKind { ISSUED, SPLIT_FROM, SPLIT_TO, TRANSFERRED, OFFERED, CANCELLED, FINANCED, PAID }

  /**
   * One step of a piece's life, with what proves it: the log at {@code logIndex} (its position
   * in the transaction's receipt) of transaction {@code txHash}.
   *
   * @param other the piece split from (SPLIT_FROM) or to (SPLIT_TO); 0 for other steps
   */
  record Step(StepKind kind, long blockNumber, byte[] txHash, int logIndex, long other) {}

  private record Entry(Address holder, Address lien) {}

  private final Blockchain chain;
  private final Map<Long, Entry> pieces = new HashMap<>();
  private final Map<Long, List<Step>> steps = new HashMap<>();
  private final Map<Address, NavigableSet<Long>> holdings = new HashMap<>();
  private final Map<Address, NavigableSet<Long>> books = new HashMap<>();
  private final Map<Address, NavigableSet<Long>> receivables = new HashMap<>();
  private long height = -1;
  private long count;

  ReceivableIndex(Blockchain chain) {
    this.chain = chain;
  }

  /** Indexes every committed block not yet indexed: call once at start. */
  synchronized void catchUp() {
    BlockHeader head = chain.head();
    index(head.number(), null, chain.stateAt(head));
  }

  @Override
  public synchronized void onBlock(Blockchain.CommittedBlock committed) {
    long number = committed.block().header().number();
    if (number <= height) {
      return;
    }
    index(number, committed, chain.stateAt(committed.block().header()));
  }

  /** Blocks height+1 to {@code number} (the last given, or all read from the store). */
  private void index(long number, Blockchain.CommittedBlock last, StateReader state) {
    Set<Long> touched = new TreeSet<>();
    for (long n = height + 1; n <= number; n++) {
      if (last != null && n == number) {
        logs(n, committed(last), touched);
        continue;
      }
      long missing = n;
      byte[] hash = chain.store().canonicalHash(n).orElseThrow(() ->
          new IllegalStateException("the chain has no block " + missing + " below its head"));
      BlockHeader header = chain.store().headerByHash(hash).orElseThrow();
      if (LogsBloom.mightContain(header.logsBloom(), SystemContracts.RECEIVABLES.toArray())) {
        Block block = chain.store().blockByHash(hash).orElseThrow();
        List<byte[]> txHashes = block.transactions().stream()
            .map(tx -> chain.suite().hashFunction().hash(tx.encoded())).toList();
        logs(n, new Committed(txHashes, chain.store().receipts(hash).orElseThrow()), touched);
      }
    }
    long now = Receivables.pieceCount(state);
    for (long id = count + 1; id <= now; id++) {
      touched.add(id);
    }
    for (long id : touched) {
      refresh(state, id);
    }
    count = now;
    height = number;
  }

  private record Committed(List<byte[]> txHashes, List<Receipt> receipts) {}

  private static Committed committed(Blockchain.CommittedBlock block) {
    return new Committed(block.transactionHashes(), block.receipts());
  }

  private void logs(long number, Committed block, Set<Long> touched) {
    for (int t = 0; t < block.receipts().size(); t++) {
      List<Log> logs = block.receipts().get(t).logs();
      for (int i = 0; i < logs.size(); i++) {
        Log log = logs.get(i);
        Receivables.Event event = Receivables.Event.of(log);
        // A sealing key names an account, not a piece.
        if (event != null && event != Receivables.Event.SEALING_KEY_PUBLISHED) {
          step(event, log, number, block.txHashes().get(t), i, touched);
        }
      }
    }
  }

  private void step(Receivables.Event event, Log log, long number, byte[] txHash, int index,
      Set<Long> touched) {
    switch (event) {
      case TRANSFER -> {
        long id = word(log, 3);
        touched.add(id);
        if (word(log, 1) != 0) { // a mint is its Issued or TransferValue step
          add(id, new Step(StepKind.TRANSFERRED, number, txHash, index, 0));
        }
      }
      case TRANSFER_VALUE -> {
        long from = word(log, 1);
        long to = word(log, 2);
        touched.add(to);
        if (from != 0) {
          touched.add(from);
          add(from, new Step(StepKind.SPLIT_TO, number, txHash, index, to));
          add(to, new Step(StepKind.SPLIT_FROM, number, txHash, index, from));
        }
      }
      case ISSUED -> add(word(log, 1), new Step(StepKind.ISSUED, number, txHash, index, 0));
      case FINANCING_OFFERED -> add(word(log, 1),
          new Step(StepKind.OFFERED, number, txHash, index, 0));
      case FINANCING_CANCELLED -> add(word(log, 1),
          new Step(StepKind.CANCELLED, number, txHash, index, 0));
      case FINANCED -> add(word(log, 1), new Step(StepKind.FINANCED, number, txHash, index, 0));
      case PAID -> add(word(log, 1), new Step(StepKind.PAID, number, txHash, index, 0));
    }
    if (event != Receivables.Event.TRANSFER && event != Receivables.Event.TRANSFER_VALUE) {
      touched.add(word(log, 1));
    }
  }

  private void add(long id, Step step) {
    List<Step> list = steps.computeIfAbsent(id, k -> new ArrayList<>());
    if (list.size() == STEPS_PER_PIECE_MAX) {
      list.remove(1);
    }
    list.add(step);
  }

  private static long word(Log log, int topic) {
    BigInteger value = log.topics().get(topic).toBigInteger();
    return value.bitLength() < 64 ? value.longValue() : -1;
  }

  private void refresh(StateReader state, long id) {
    Receivables.Piece piece = Receivables.piece(state, id);
    if (piece == null) {
      return;
    }
    Entry old = pieces.get(id);
    if (old == null && piece.root() == id) {
      receivables.computeIfAbsent(Receivables.terms(state, id).obligor(), a -> new TreeSet<>())
          .add(id);
    }
    if (old != null && !old.holder().equals(piece.holder())) {
      remove(holdings, old.holder(), id);
    }
    holdings.computeIfAbsent(piece.holder(), a -> new TreeSet<>()).add(id);
    if (piece.lienHolder() != null) {
      books.computeIfAbsent(piece.lienHolder(), a -> new TreeSet<>()).add(id);
    }
    pieces.put(id, new Entry(piece.holder(), piece.lienHolder()));
  }

  private static void remove(Map<Address, NavigableSet<Long>> index, Address key, long id) {
    NavigableSet<Long> ids = index.get(key);
    if (ids != null) {
      ids.remove(id);
      if (ids.isEmpty()) {
        index.remove(key);
      }
    }
  }

  /** The ids of the pieces {@code account} holds, above {@code after}, at most {@code limit}. */
  synchronized List<Long> held(Address account, long after, int limit) {
    return page(holdings, account, after, limit);
  }

  /** The ids of the pieces {@code bank} financed, above {@code after}, at most {@code limit}. */
  synchronized List<Long> financed(Address bank, long after, int limit) {
    return page(books, bank, after, limit);
  }

  /** The root ids of the receivables {@code obligor} confirmed, above {@code after}. */
  synchronized List<Long> confirmed(Address obligor, long after, int limit) {
    return page(receivables, obligor, after, limit);
  }

  /** Piece {@code id}'s steps, oldest first. */
  synchronized List<Step> steps(long id) {
    return List.copyOf(steps.getOrDefault(id, List.of()));
  }

  /** The last block indexed. */
  synchronized long height() {
    return height;
  }

  private static List<Long> page(Map<Address, NavigableSet<Long>> index, Address key,
      long after, int limit) {
    NavigableSet<Long> ids = index.getOrDefault(key, Collections.emptyNavigableSet());
    List<Long> out = new ArrayList<>(Math.min(limit, ids.size()));
    for (long id : ids.tailSet(after, false)) {
      if (out.size() == limit) {
        break;
      }
      out.add(id);
    }
    return out;
  }
}
