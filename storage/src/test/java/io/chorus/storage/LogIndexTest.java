package io.chorus.storage;

import static io.chorus.storage.TestChain.HASH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Receipt;
import io.chorus.tx.Transaction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksIterator;

/**
 * {@link ChainStore#logs} finds exactly what a brute-force scan of the committed logs finds, by
 * the log index or by the bloom scan, after the store is reopened; topic alternatives are OR
 * within a position and AND across positions; the range and result bounds are errors, not
 * truncations; a block writes one index key per address and topic position; and commits whose
 * logs the index could not serve are refused. The random test's seed is printed on failure; set
 * {@code -Dchorus.logSeed=N} to replay it.
 */
class LogIndexTest {
  private static final Address A = Address.parse("0x" + "a1".repeat(20));
  private static final Address B = Address.parse("0x" + "b2".repeat(20));
  private static final Word T1 = Word.of(0x71);
  private static final Word T2 = Word.of(0x72);
  private static final Word T3 = Word.of(0x73);
  private static final int RANDOM_BLOCKS = 120;
  private static final int RANDOM_QUERIES = 600;

  @TempDir Path dir;

  private static Log log(Address address, int label, Word... topics) {
    return new Log(address, List.of(topics), new byte[] {(byte) label});
  }

  @SafeVarargs
  private static LogFilter filter(long from, long to, Set<Address> addresses,
      Set<Word>... topics) {
    // Copied element by element: the generic array must not escape (heap pollution lint).
    List<Set<Word>> positions = new ArrayList<>();
    for (Set<Word> position : topics) {
      positions.add(position);
    }
    return new LogFilter(from, to, addresses, positions);
  }

  /** The labels (data bytes) of the logs found, in order. */
  private static List<Integer> labels(ChainStore store, LogFilter filter) {
    return store.logs(filter).stream().map(e -> (int) e.log().data()[0]).toList();
  }

  @Test
  void queriesMatchABruteForceScanAfterReopening() {
    long seed = Long.getLong("chorus.logSeed", System.nanoTime());
    String context = "seed " + seed + " (replay with -Dchorus.logSeed=" + seed + ")";
    Random random = new Random(seed);
    // Few addresses and topics, so that filters often match; one of each never occurs.
    List<Address> emitters = List.of(A, B, TestChain.CONTRACT, TestChain.RECIPIENT);
    List<Address> addresses = new ArrayList<>(emitters);
    addresses.add(Address.parse("0x" + "ee".repeat(20)));
    List<Word> usedTopics = List.of(T1, T2, T3, Word.of(1), Word.ZERO, Word.of(-1));
    List<Word> topics = new ArrayList<>(usedTopics);
    topics.add(Word.of(0xdead));

    List<Committed> chain = new ArrayList<>();
    try (ChainStore store = new ChainStore(dir, HASH)) {
      for (int n = 0; n < RANDOM_BLOCKS; n++) {
        List<List<Log>> logs = randomLogs(random, emitters, usedTopics);
        Block block = TestChain.commitNext(store, logs);
        chain.add(new Committed(block.header().hash(HASH), block.transactions().stream()
            .map(tx -> HASH.hash(tx.encoded())).toList(), logs));
      }
    }
    int found = 0;
    int scanned = 0;
    try (ChainStore store = new ChainStore(dir, HASH)) {
      for (int q = 0; q < RANDOM_QUERIES; q++) {
        LogFilter filter = randomFilter(random, addresses, topics);
        List<String> expected = bruteForce(chain, filter);
        List<String> actual = store.logs(filter).stream().map(LogIndexTest::describe).toList();
        assertEquals(expected, actual, filter + ", " + context);
        found += actual.isEmpty() ? 0 : 1;
        scanned += filter.isSelective() ? 0 : 1;
      }
    }
    // Guards against a generator whose filters never match or never take the scan path.
    assertTrue(found > RANDOM_QUERIES / 4, found + " queries found logs, " + context);
    assertTrue(scanned > RANDOM_QUERIES / 20, scanned + " queries scanned, " + context);
  }

  /** Up to five transactions of up to four logs, sometimes a burst from one address. */
  private static List<List<Log>> randomLogs(Random random, List<Address> emitters,
      List<Word> topics) {
    List<List<Log>> block = new ArrayList<>();
    int txs = random.nextInt(6);
    for (int t = 0; t < txs; t++) {
      boolean burst = random.nextInt(10) == 0;
      Address burstEmitter = emitters.get(random.nextInt(emitters.size()));
      int count = burst ? 40 : random.nextInt(5);
      List<Log> txLogs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        List<Word> logTopics = new ArrayList<>();
        for (int p = random.nextInt(5); p > 0; p--) {
          logTopics.add(topics.get(random.nextInt(topics.size())));
        }
        byte[] data = new byte[random.nextInt(4)];
        random.nextBytes(data);
        Address emitter = burst ? burstEmitter : emitters.get(random.nextInt(emitters.size()));
        txLogs.add(new Log(emitter, logTopics, data));
      }
      block.add(txLogs);
    }
    return block;
  }

  private static LogFilter randomFilter(Random random, List<Address> addresses,
      List<Word> topics) {
    long from = random.nextInt(RANDOM_BLOCKS + 3);
    long to = random.nextInt(8) == 0 ? Long.MAX_VALUE : from + random.nextInt(RANDOM_BLOCKS / 2);
    Set<Address> chosen = random.nextInt(5) < 2 ? Set.of()
        : randomSubset(random, addresses, 1 + random.nextInt(3));
    List<Set<Word>> positions = new ArrayList<>();
    for (int p = random.nextInt(5); p > 0; p--) {
      int kind = random.nextInt(20);
      positions.add(kind < 7 ? null : kind < 9 ? Set.of()
          : randomSubset(random, topics, 1 + random.nextInt(3)));
    }
    return new LogFilter(from, to, chosen, positions);
  }

  private static <T> Set<T> randomSubset(Random random, List<T> pool, int size) {
    Set<T> out = new HashSet<>();
    while (out.size() < size) {
      out.add(pool.get(random.nextInt(pool.size())));
    }
    return out;
  }

  /** A committed block as the brute-force scan sees it: its hashes and each tx's logs. */
  private record Committed(byte[] hash, List<byte[]> txHashes, List<List<Log>> logs) {}

  /** Every committed log in range that the filter's conditions allow, read from memory. */
  private static List<String> bruteForce(List<Committed> chain, LogFilter filter) {
    List<String> out = new ArrayList<>();
    long to = Math.min(filter.toBlock(), chain.size() - 1);
    for (long n = filter.fromBlock(); n <= to; n++) {
      Committed block = chain.get((int) n);
      int logIndex = 0;
      for (int t = 0; t < block.logs().size(); t++) {
        for (Log log : block.logs().get(t)) {
          if (allows(filter, log)) {
            out.add(describe(new LogEntry(n, block.hash(), block.txHashes().get(t), t,
                logIndex, log)));
          }
          logIndex++;
        }
      }
    }
    return out;
  }

  /** eth_getLogs matching spelled out independently of {@link LogFilter#matches}. */
  private static boolean allows(LogFilter filter, Log log) {
    boolean address = filter.addresses().isEmpty()
        || filter.addresses().contains(log.address());
    boolean topics = log.topics().size() >= filter.topics().size();
    for (int i = 0; topics && i < filter.topics().size(); i++) {
      Set<Word> allowed = filter.topics().get(i);
      topics = allowed.isEmpty() || allowed.contains(log.topics().get(i));
    }
    return address && topics;
  }

  private static String describe(LogEntry e) {
    return "block " + e.blockNumber() + " " + Hex.encode0x(e.blockHash()) + " tx "
        + e.transactionIndex() + " " + Hex.encode0x(e.transactionHash()) + " log "
        + e.logIndex() + " " + e.log().address() + " " + e.log().topics() + " "
        + Hex.encode0x(e.log().data());
  }

  @Test
  void alternativesAreOrWithinAPositionAndAndAcrossPositions() {
    try (ChainStore store = new ChainStore(dir, HASH)) {
      // Logs labelled 0 to 5; transaction 1 of block 0 emits none.
      TestChain.commitNext(store, List.of(
          List.of(log(A, 0, T1, T2), log(A, 1, T1, T3)),
          List.of(),
          List.of(log(B, 2, T2, T1), log(B, 3, T1), log(A, 4))));
      TestChain.commitNext(store, List.of(List.of(log(B, 5, T3, T1))));

      assertEquals(List.of(0, 1, 3), labels(store, filter(0, 1, null, Set.of(T1))));
      assertEquals(List.of(0, 1, 2, 3), labels(store, filter(0, 1, null, Set.of(T1, T2))));
      assertEquals(List.of(1), labels(store, filter(0, 1, null, Set.of(T1), Set.of(T3))));
      assertEquals(List.of(2, 5), labels(store, filter(0, 1, null, null, Set.of(T1))));
      assertEquals(List.of(2, 5), labels(store, filter(0, 1, null, Set.of(), Set.of(T1))));
      // A wildcard position still needs the log to have a topic there, as in go-ethereum.
      assertEquals(List.of(0, 1), labels(store, filter(0, 1, null, Set.of(T1), null)));
      assertEquals(List.of(0, 1, 2, 5), labels(store, filter(0, 1, null, null, null)));
      assertEquals(List.of(), labels(store, filter(0, 1, null, Set.of(T2), Set.of(T2))));
      assertEquals(List.of(3), labels(store, filter(0, 1, Set.of(B), Set.of(T1))));
      assertEquals(List.of(2, 5), labels(store, filter(0, 1, Set.of(A, B), Set.of(T2, T3))));
      assertEquals(List.of(0, 1, 4), labels(store, filter(0, 1, Set.of(A))));
      assertEquals(List.of(5), labels(store, filter(1, 1, Set.of(B))));

      List<LogEntry> all = store.logs(filter(0, 1, null));
      assertEquals(List.of(0, 1, 2, 3, 4, 0), all.stream().map(LogEntry::logIndex).toList());
      assertEquals(List.of(0, 0, 2, 2, 2, 0),
          all.stream().map(LogEntry::transactionIndex).toList());
      assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 1L),
          all.stream().map(LogEntry::blockNumber).toList());
    }
  }

  @Test
  void readsOnlyIndexCandidatesOrBlocksWhoseBloomShowsLogs() throws Exception {
    List<byte[]> hashes = new ArrayList<>();
    try (ChainStore store = new ChainStore(dir, HASH)) {
      hashes.add(TestChain.commitNext(store, List.of(List.of(log(A, 0, T1)))).header().hash(HASH));
      hashes.add(TestChain.commitNext(store, List.of(List.of(log(B, 1, T2)))).header().hash(HASH));
      hashes.add(TestChain.commitNext(store, List.of(List.of())).header().hash(HASH));
      hashes.add(TestChain.commitNext(store, List.of(List.of(log(A, 3, T1)))).header().hash(HASH));
    }
    // Blocks 1 and 2 hold no log from A or with T1, and block 2 no log at all.
    RawStore.open(dir, (db, family) -> {
      db.put(family.get("receipts"), hashes.get(1), new byte[] {1});
      db.put(family.get("receipts"), hashes.get(2), new byte[] {1});
    });
    try (ChainStore store = new ChainStore(dir, HASH)) {
      assertEquals(List.of(0, 3), labels(store, filter(0, 3, Set.of(A))));
      assertEquals(List.of(0, 3), labels(store, filter(0, 3, null, Set.of(T1))));
      assertEquals(List.of(3), labels(store, filter(2, 3, null)));
      StorageException unrestricted = assertThrows(StorageException.class,
          () -> store.logs(filter(0, 3, null)));
      assertTrue(unrestricted.getMessage().contains("receipts of block "
          + Hex.encode0x(hashes.get(1))), unrestricted.getMessage());
    }
  }

  @Test
  void toBlockBeyondTheHeadIsClampedAndAnEmptyStoreHasNoLogs() {
    try (ChainStore store = new ChainStore(dir, HASH)) {
      assertEquals(List.of(), store.logs(filter(0, Long.MAX_VALUE, null)));
      TestChain.commitNext(store, List.of(List.of(log(A, 0, T1))));
      TestChain.commitNext(store, List.of(List.of(log(A, 1, T1))));
      assertEquals(List.of(1), labels(store, filter(1, 1_000_000, Set.of(A))));
      assertEquals(List.of(0, 1), labels(store, filter(0, Long.MAX_VALUE, null)));
      assertEquals(List.of(), labels(store, filter(2, 5, null, Set.of(T1))));
    }
  }

  @Test
  void moreResultsThanTheMaximumIsAnErrorAndABlockIndexesEachKeyOnce() throws Exception {
    List<Log> burst = new ArrayList<>();
    for (int i = 0; i < ChainStore.LOG_RESULTS_MAX; i++) {
      burst.add(log(A, 0, T1));
    }
    burst.add(log(A, 1, T2));
    try (ChainStore store = new ChainStore(dir, HASH)) {
      TestChain.commitNext(store, List.of(burst));
      assertEquals(ChainStore.LOG_RESULTS_MAX, store.logs(filter(0, 0, null, Set.of(T1))).size());
      for (LogFilter tooMany : List.of(filter(0, 0, Set.of(A)), filter(0, 0, null))) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> store.logs(tooMany));
        assertEquals("query returned more than 10000 results; narrow the block range",
            e.getMessage());
      }
    }
    // 10,001 logs from one address with two distinct first topics: three keys in all.
    RawStore.open(dir, (db, family) -> {
      assertEquals(1, count(db.newIterator(family.get("logAddresses"))));
      assertEquals(2, count(db.newIterator(family.get("logTopics"))));
    });
  }

  private static int count(RocksIterator it) {
    try (it) {
      int keys = 0;
      for (it.seekToFirst(); it.isValid(); it.next()) {
        keys++;
      }
      return keys;
    }
  }

  @Test
  void aRangeOfMoreBlocksThanTheMaximumIsAnError() throws Exception {
    try (ChainStore store = new ChainStore(dir, HASH)) {
      TestChain.commitNext(store, 1);
    }
    // Committing 20,000 blocks would take a minute; a head header numbered 20,000 is enough,
    // as the range is checked before any block is read.
    RawStore.open(dir, (db, family) -> {
      byte[] head = db.get(family.get("meta"), "head".getBytes(StandardCharsets.US_ASCII));
      BlockHeader far = withNumber(BlockHeader.decode(db.get(family.get("headers"), head)),
          20_000);
      byte[] farHash = far.hash(HASH);
      db.put(family.get("headers"), farHash, far.encode());
      db.put(family.get("meta"), "head".getBytes(StandardCharsets.US_ASCII), farHash);
    });
    try (ChainStore store = new ChainStore(dir, HASH)) {
      IllegalArgumentException wide = assertThrows(IllegalArgumentException.class,
          () -> store.logs(filter(0, 10_000, Set.of(A))));
      assertEquals("blocks 0 to 10000 are 10001 blocks, more than 10000; narrow the block range",
          wide.getMessage());
      IllegalArgumentException clamped = assertThrows(IllegalArgumentException.class,
          () -> store.logs(filter(10_000, Long.MAX_VALUE, Set.of(A))));
      assertTrue(clamped.getMessage().startsWith("blocks 10000 to 20000 are 10001 blocks"),
          clamped.getMessage());
      assertEquals(List.of(), store.logs(filter(10_001, Long.MAX_VALUE, Set.of(A))));
    }
  }

  private static BlockHeader withNumber(BlockHeader h, long number) {
    return new BlockHeader(h.parentHash(), h.ommersHash(), h.coinbase(), h.stateRoot(),
        h.transactionsRoot(), h.receiptsRoot(), h.logsBloom(), h.difficulty(), number,
        h.gasLimit(), h.gasUsed(), h.timestamp(), h.extraData(), h.mixHash(), h.nonce(),
        h.baseFeePerGas(), h.withdrawalsRoot(), h.blobGasUsed(), h.excessBlobGas(),
        h.parentBeaconBlockRoot());
  }

  @Test
  void badFiltersAreRefusedWithMessagesForTheCaller() {
    assertRefused("fromBlock must not be negative, got -1",
        () -> new LogFilter(-1, 5, null, null));
    assertRefused("fromBlock 6 is after toBlock 5", () -> new LogFilter(6, 5, null, null));
    assertRefused("a log has at most 4 topics, but the filter has 5 topic positions",
        () -> new LogFilter(0, 5, null, Arrays.asList(null, null, null, null, null)));
    Set<Address> many = new HashSet<>();
    for (int i = 0; i <= LogFilter.ALTERNATIVES_MAX; i++) {
      many.add(Address.ofIndex(i));
    }
    assertRefused("addresses has 1001 alternatives, more than 1000",
        () -> new LogFilter(0, 5, many, null));
    Set<Word> manyTopics = new HashSet<>();
    for (int i = 0; i <= LogFilter.ALTERNATIVES_MAX; i++) {
      manyTopics.add(Word.of(i));
    }
    assertRefused("topic position 2 has 1001 alternatives, more than 1000",
        () -> new LogFilter(0, 5, null, Arrays.asList(null, null, manyTopics)));
    assertRefused("addresses must not contain null",
        () -> new LogFilter(0, 5, new HashSet<>(Arrays.asList(A, null)), null));
    assertRefused("topic position 0 must not contain null",
        () -> new LogFilter(0, 5, null, List.of(new HashSet<>(Arrays.asList(T1, null)))));

    // The filter keeps its own copies; null positions become wildcards.
    Set<Address> mutable = new HashSet<>(Set.of(A));
    LogFilter filter = new LogFilter(0, 5, mutable, Arrays.asList(null, Set.of(T1)));
    mutable.add(B);
    assertEquals(Set.of(A), filter.addresses());
    assertEquals(List.of(Set.of(), Set.of(T1)), filter.topics());
  }

  private static void assertRefused(String message, Executable construct) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construct);
    assertEquals(message, e.getMessage());
  }

  @Test
  void commitsTheIndexCouldNotServeAreRefused() {
    try (ChainStore store = new ChainStore(dir, HASH)) {
      TestChain.Next next = TestChain.next(store, List.of(List.of(log(A, 0, T1))));
      List<Receipt> withoutLogs = List.of(
          Receipt.of(Transaction.DYNAMIC_FEE, true, 21_000, List.of()));
      IllegalArgumentException bloom = assertThrows(IllegalArgumentException.class,
          () -> store.commit(next.block(), withoutLogs, next.senders(), next.recipients(),
              next.state()));
      assertEquals("block 0 has a logs bloom that is not the union of its receipts' blooms",
          bloom.getMessage());

      TestChain.Next five = TestChain.next(store,
          List.of(List.of(log(A, 0, T1, T1, T1, T1, T1))));
      IllegalArgumentException topics = assertThrows(IllegalArgumentException.class,
          () -> store.commit(five.block(), five.receipts(), five.senders(), five.recipients(),
              five.state()));
      assertEquals("transaction 0 of block 0 has a log with 5 topics, more than 4",
          topics.getMessage());

      assertTrue(store.head().isEmpty());
      TestChain.commitNext(store, List.of(List.of(log(B, 0, T2))));
      assertEquals(List.of(), store.logs(new LogFilter(0, 0, Set.of(A), null)));
      assertEquals(List.of(0), labels(store, new LogFilter(0, 0, Set.of(B), null)));
    }
  }
}
