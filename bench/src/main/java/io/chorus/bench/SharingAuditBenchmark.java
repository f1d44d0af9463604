package io.chorus.bench;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Word;
import io.chorus.state.StateTransition;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.DataSharing;
import io.chorus.state.system.Governance;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.SystemContracts;
import io.chorus.storage.ChainStore;
import io.chorus.tx.Transaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One page of a data set's audit trail over {@code entries} access attempts on it (issue 23:
 * 100,000 entries, p99 ≤ 50 ms). The state is made as a node makes it: three departments bound
 * by governance vote, the provider's two data sets, one grant, then every attempt a {@code
 * recordAccess} transaction by the provider through the state transition — deliveries under
 * the grant and denials (no grant) by turns, and every {@link #OTHER_EVERY}th attempt on the
 * other data set, in between — blocks of {@link #BLOCK_TXS} committed to the trie in a RocksDB
 * store ({@link ChainStore}, with the node's node cache). The operation is what {@code GET
 * /api/v1/sharing/datasets/1/audit?offset=&count=} reads (or {@code
 * /departments/{name}/audit}) at an offset drawn at random: a fresh view of the head's state,
 * the list's count, the page's ids and each entry's five slots; without JSON and HTTP. Sample
 * time gives p50 and p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class SharingAuditBenchmark {
  static final int BLOCK_TXS = 1_000;
  static final int OTHER_EVERY = 10;
  private static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  private static final long GENESIS_TIME = 1_764_500_000L;
  private static final int AUTHORITY = 0;
  private static final int PROVIDER = 1;
  private static final int REQUESTER = 2;
  private static final int OTHER = 3;
  private static final String[] DEPARTMENTS = {null, "市公安局", "市民政局", "市卫生健康委员会"};

  /** Access attempts on the data set queried (others' are made in between). */
  @Param({"100000"})
  public int entries;

  /** Entries per page: the REST default is 20, the CLI pages by 100. */
  @Param({"20"})
  public int count;

  private final CryptoSuite suite = CryptoSuite.ethereum();
  private final HashFunction hash = suite.hashFunction();
  private final SplittableRandom random = new SplittableRandom(23);
  private Path directory;
  private ChainStore store;
  private byte[] root;
  private long requesterEntries;

  private final KeyPair[] keys = new KeyPair[4];
  private final Address[] accounts = new Address[4];
  private final long[] nonces = new long[4];
  private final StateTransition rules = new StateTransition(hash, StateTransition.BaseFee.BURN,
      true);
  private WorldState state;
  private long number = 1;
  private int inBlock;

  @Setup(Level.Trial)
  public void fill() throws IOException {
    directory = Files.createTempDirectory("chorus-sharing-bench-");
    store = new ChainStore(directory, hash);
    state = new WorldState(hash, store.nodeStore());
    for (int i = 0; i < keys.length; i++) {
      keys[i] = suite.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      accounts[i] = Address.of(suite.address(keys[i].publicKey()));
      state.put(accounts[i], 0, BigInteger.TEN.pow(24), new byte[0], Map.of());
    }
    // The authority is the committee's one member: its proposals pass as it makes them.
    SystemContracts.genesis(state, new Consortium(List.of(new Consortium.Member(
        accounts[AUTHORITY], BigInteger.ONE)), Map.of(), false, false, Map.of(
            accounts[AUTHORITY], Permissions.ROLE_SHARING_AUTHORITY)),
        List.of(keys[AUTHORITY].publicKey()), 100_000_000, 1000, true, hash);
    long started = System.nanoTime();
    for (int party = PROVIDER; party <= OTHER; party++) {
      ProposalKind kind = ProposalKind.SHARING_DEPARTMENT;
      send(AUTHORITY, SystemContracts.GOVERNANCE, Governance.proposeCall(kind,
          kind.encode(accounts[party], DEPARTMENTS[party]), 10));
    }
    endBlock(); // the bindings take effect at the start of the next block
    List<String> fields = List.of("name", "id_number", "address", "household", "birth_date");
    for (String code : List.of("330100-GA-0001", "330100-GA-0002")) {
      send(PROVIDER, SystemContracts.DATA_SHARING, DataSharing.publishCall(code, "人口基本信息",
          fields, DataSharing.SharingClass.UNCONDITIONAL, DataSharing.UpdateCycle.DAILY));
    }
    send(REQUESTER, SystemContracts.DATA_SHARING, DataSharing.applyCall(1, "核查低保申请人户籍",
        "最低生活保障审核", 0b01011, timestamp() + 3 * 365 * 86_400L - 86_400));
    send(AUTHORITY, SystemContracts.DATA_SHARING, DataSharing.checkCall(1, true, "用途合规"));
    byte[] requesterKey = hash.hash(keys[REQUESTER].publicKey());
    byte[] otherKey = hash.hash(keys[OTHER].publicKey());
    long onDataset = 0;
    for (long attempt = 0; onDataset < entries; attempt++) {
      long dataset = attempt % OTHER_EVERY == OTHER_EVERY - 1 ? 2 : 1;
      onDataset += dataset == 1 ? 1 : 0;
      if (attempt % 2 == 0) {
        requesterEntries++;
        send(PROVIDER, SystemContracts.DATA_SHARING, DataSharing.recordAccessCall(dataset,
            dataset == 1 ? 1 : 0, DEPARTMENTS[REQUESTER], requesterKey, dataset == 1
                ? DataSharing.Rule.OK : DataSharing.Rule.NO_GRANT, 0b00011, dataset == 1
                ? hash.hash(("envelope " + attempt).getBytes(StandardCharsets.US_ASCII))
                : new byte[32]));
      } else {
        send(PROVIDER, SystemContracts.DATA_SHARING, DataSharing.recordAccessCall(dataset, 0,
            DEPARTMENTS[OTHER], otherKey, DataSharing.Rule.NO_GRANT, 0b00100, new byte[32]));
      }
    }
    root = state.commit();
    System.out.printf("sharing-fill dataset1=%d dataset2=%d requester=%d blocks=%d fill=%ds%n",
        DataSharing.auditCount(state, 1), DataSharing.auditCount(state, 2), requesterEntries,
        number,
        Duration.ofNanos(System.nanoTime() - started).toSeconds());
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    store.close();
    try (var walk = Files.walk(directory)) {
      walk.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  /** A page of data set 1's trail at a random offset, each entry read. */
  @Benchmark
  public long datasetPage() {
    WorldState head = new WorldState(hash, store.nodeStore(), root);
    long offset = random.nextLong(entries - count + 1);
    return read(head, DataSharing.auditOfDataset(head, 1, offset, count), entries);
  }

  /** A page of the requester's own attempts (its department's list) at a random offset. */
  @Benchmark
  public long departmentPage() {
    WorldState head = new WorldState(hash, store.nodeStore(), root);
    long offset = random.nextLong(requesterEntries - count + 1);
    return read(head, DataSharing.auditOfDepartment(head, DEPARTMENTS[REQUESTER], offset,
        count), requesterEntries);
  }

  private long read(WorldState head, DataSharing.Page page, long total) {
    if (page.total() != total || page.ids().size() != count) {
      throw new IllegalStateException("a page of " + page.ids().size() + " of " + page.total()
          + ", not " + count + " of " + total);
    }
    long sum = 0;
    for (long id : page.ids()) {
      DataSharing.AuditEntry entry = DataSharing.auditEntry(head, id);
      sum += entry.time() + entry.outcome().code();
    }
    return sum;
  }

  // ---- the fill ------------------------------------------------------------------------------

  private void send(int from, Address to, byte[] data) {
    Transaction tx = new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, nonces[from]++,
        BigInteger.ZERO, BigInteger.ZERO, 20_000_000, to.toArray(), BigInteger.ZERO, data,
        List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO,
        new byte[0], new byte[0]);
    TransactionResult result = rules.apply(state, tx, accounts[from], new BlockEnv(
        Address.of(new byte[20]), number, timestamp(), 100_000_000, BigInteger.ZERO,
        Word.of(number), BigInteger.ONE, CHAIN_ID, Word::of));
    if (!result.success()) {
      throw new IllegalStateException("the fill's transaction reverted: "
          + new String(result.output(), StandardCharsets.UTF_8));
    }
    if (++inBlock == BLOCK_TXS) {
      endBlock();
    }
  }

  private void endBlock() {
    state.commit();
    number++;
    inBlock = 0;
    rules.beginBlock(state, number);
  }

  private long timestamp() {
    return GENESIS_TIME + 2 * number;
  }
}
