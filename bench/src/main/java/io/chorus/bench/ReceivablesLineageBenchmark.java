package io.chorus.bench;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Signature;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Word;
import io.chorus.state.StateTransition;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.Receivables;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
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
 * The lineage of a receivable's piece split {@code depth} levels deep over {@code receivables}
 * issued receivables (issue 22: 10 levels over 100,000, p99 ≤ 20 ms). The state is made as a
 * node makes it: every issue (signed by the obligor over its terms, the signature checked by
 * the contract) and split is a transaction through the state transition, blocks of {@link
 * #BLOCK_TXS} committed to the trie in a RocksDB store ({@link ChainStore}, with the node's
 * node cache). Every {@link #DEEP_EVERY}th receivable is split {@code depth} times, each piece
 * by its holder to the next holder. The operation is what {@code GET
 * /api/v1/receivables/pieces/{id}/tree} reads for the deepest piece of one of them, drawn at
 * random: a fresh view of the head's state (as each request gets), the piece, its receivable's
 * terms, every piece of the receivable with its overdue flag, and their sum; without JSON and
 * HTTP. Sample time gives p50 and p99.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class ReceivablesLineageBenchmark {
  static final int DEEP_EVERY = 1_000;
  static final int BLOCK_TXS = 1_000;
  private static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  private static final long GENESIS_TIME = 1_764_500_000L;
  private static final long FACE = 100_000_000L; // 1,000,000.00

  @Param({"100000"})
  public int receivables;

  @Param({"10"})
  public int depth;

  private final CryptoSuite suite = CryptoSuite.ethereum();
  private final HashFunction hash = suite.hashFunction();
  private final SplittableRandom random = new SplittableRandom(22);
  private Path directory;
  private ChainStore store;
  private byte[] root;
  private long now;
  private long[] deepest;

  // The fill's parties: the obligor, the supplier, and two tiers passing the deep pieces on.
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
    directory = Files.createTempDirectory("chorus-receivables-bench-");
    store = new ChainStore(directory, hash);
    state = new WorldState(hash, store.nodeStore());
    for (int i = 0; i < keys.length; i++) {
      keys[i] = suite.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      accounts[i] = Address.of(suite.address(keys[i].publicKey()));
      state.put(accounts[i], 0, BigInteger.TEN.pow(24), new byte[0], Map.of());
    }
    SystemContracts.genesis(state, new Consortium(List.of(new Consortium.Member(accounts[0],
        BigInteger.ONE)), Map.of(), false, false, Map.of(accounts[0],
        Permissions.ROLE_RECEIVABLES_OBLIGOR)), List.of(keys[0].publicKey()), 100_000_000, 1000,
        true, hash);
    long started = System.nanoTime();
    List<Long> deep = new ArrayList<>();
    for (int r = 0; r < receivables; r++) {
      long id = issue(r);
      if (r % DEEP_EVERY == 0) {
        deep.add(splitDeep(id));
      }
    }
    root = state.commit();
    now = timestamp();
    deepest = deep.stream().mapToLong(Long::longValue).toArray();
    System.out.printf("receivables-fill receivables=%d pieces=%d deep=%d blocks=%d fill=%ds%n",
        receivables, Receivables.pieceCount(state), deepest.length, number,
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

  /** The lineage of a deep piece as the tree route reads it: its pieces' total value. */
  @Benchmark
  public BigInteger lineageOfADeepPiece() {
    WorldState head = new WorldState(hash, store.nodeStore(), root);
    Receivables.Piece asked = Receivables.piece(head, deepest[random.nextInt(deepest.length)]);
    Receivables.Terms terms = Receivables.terms(head, asked.root());
    Map<Long, Integer> depths = new HashMap<>();
    BigInteger sum = BigInteger.ZERO;
    for (long id : Receivables.pieces(head, asked.root())) {
      Receivables.Piece piece = Receivables.piece(head, id);
      depths.put(id, piece.parent() == 0 ? 0 : depths.get(piece.parent()) + 1);
      Receivables.isOverdue(head, id, now);
      sum = sum.add(piece.value());
    }
    if (!sum.equals(terms.faceValue()) || depths.get(asked.id()) != depth) {
      throw new IllegalStateException("piece " + asked.id() + ": sum " + sum + ", depth "
          + depths.get(asked.id()));
    }
    return sum;
  }

  // ---- the fill ------------------------------------------------------------------------------

  private long issue(int r) {
    long maturity = timestamp() + 90 * 86_400L;
    List<byte[]> documents = List.of(hash.hash(("invoice " + r).getBytes(
        StandardCharsets.UTF_8)));
    BigInteger face = BigInteger.valueOf(FACE);
    byte[] digest = Receivables.termsDigest(hash, CHAIN_ID, accounts[0], accounts[1], face,
        "CNY", maturity, documents);
    Signature signed = suite.sign(digest, keys[0]);
    byte[] signature = new byte[65];
    System.arraycopy(Word.fromBigInteger(signed.r()).toBytes(), 0, signature, 0, 32);
    System.arraycopy(Word.fromBigInteger(signed.s()).toBytes(), 0, signature, 32, 32);
    signature[64] = (byte) signed.recoveryId();
    return Receivables.decodeId(send(1, Receivables.issueCall(accounts[0], face, "CNY",
        maturity, documents, keys[0].publicKey(), signature)).output());
  }

  // Splits half of each new piece on, alternating between the two tiers: the last piece's id.
  private long splitDeep(long id) {
    long piece = id;
    int holder = 1;
    for (int level = 1; level <= depth; level++) {
      int to = holder == 2 ? 3 : 2;
      BigInteger value = BigInteger.valueOf(FACE >> level);
      piece = Receivables.decodeId(send(holder, Receivables.splitCall(piece, accounts[to],
          value)).output());
      holder = to;
    }
    return piece;
  }

  private TransactionResult send(int from, byte[] data) {
    Transaction tx = new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, nonces[from]++,
        BigInteger.ZERO, BigInteger.ZERO, 20_000_000, SystemContracts.RECEIVABLES.toArray(),
        BigInteger.ZERO, data, List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO,
        BigInteger.ZERO, new byte[0], new byte[0]);
    TransactionResult result = rules.apply(state, tx, accounts[from], new BlockEnv(
        Address.of(new byte[20]), number, timestamp(), 100_000_000, BigInteger.ZERO,
        Word.of(number), BigInteger.ONE, CHAIN_ID, Word::of));
    if (!result.success()) {
      throw new IllegalStateException("the fill's transaction reverted: "
          + new String(result.output(), StandardCharsets.UTF_8));
    }
    if (++inBlock == BLOCK_TXS) {
      state.commit();
      number++;
      inBlock = 0;
      rules.beginBlock(state, number);
    }
    return result;
  }

  private long timestamp() {
    return GENESIS_TIME + 2 * number;
  }
}
