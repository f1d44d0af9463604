package io.chorus.bench;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.KeyPair;
import io.chorus.chain.Blockchain;
import io.chorus.evm.Address;
import io.chorus.evm.Evm;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * What a node spends per transaction without its RPC layer, on the transaction
 * {@code ../shared/peers/load.js} sends: the peers' {@code Notary.notarize(bytes32)} from ten
 * senders, EIP-1559 signed. One operation is one block on RocksDB: admit its transactions into the
 * pool (signature recovery and the pool's checks), build the block (execution, state and receipt
 * roots) and commit it (one atomic write). The transactions are signed before the timed part.
 *
 * <p>Each trial ends with one {@code chain-phases} line: thread CPU µs and allocated bytes per
 * transaction for each phase over the measurement iterations, which stay meaningful on a busy
 * machine where the wall time does not (allocation is what the collector later pays for).
 *
 * <p>With {@code -p role=validator} the measured node is a BFT validator that did not build the
 * block: it admits the transactions as gossip, then checks the proposal another node built (its
 * encoded bytes decoded and executed as {@code ChainBlockSource.validate} does them) and commits it.
 * The proposer is a second chain in the same process whose work is not counted.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 10)
@Measurement(iterations = 30)
public class ChainBenchmark {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  private static final int SENDERS = 10;
  private static final long GAS_LIMIT = 300_000_000L;
  private static final long TX_GAS = 100_000;
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Param({"1000"})
  public int txsPerBlock;

  /** {@code proposer}: the measured node builds each block; {@code validator}: it checks it. */
  @Param({"proposer"})
  public String role;

  private final List<KeyPair> keys = new ArrayList<>();
  private final List<Address> senders = new ArrayList<>();
  private final long[] nonces = new long[SENDERS];
  private Path directory;
  private Blockchain chain;
  // The node that builds the blocks the measured one validates; null for role=proposer.
  private Blockchain proposer;
  private Address notary;
  private long notarized;
  private List<Transaction> batch;

  private boolean measuring;
  private final Map<String, Long> cpuNanos = new LinkedHashMap<>();
  private final Map<String, Long> allocatedBytes = new LinkedHashMap<>();
  private long measuredTxs;

  @Setup(Level.Trial)
  public void openChain() throws IOException {
    Map<Address, Genesis.Allocation> alloc = new LinkedHashMap<>();
    for (int i = 0; i < SENDERS; i++) {
      KeyPair pair = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      keys.add(pair);
      senders.add(Address.of(SUITE.address(pair.publicKey())));
      alloc.put(senders.get(i), Genesis.Allocation.funded(BigInteger.TEN.pow(24)));
    }
    Genesis genesis = new Genesis(CHAIN_ID, SUITE.name(), Genesis.FeeMode.ETHEREUM_1559,
        GAS_LIMIT, 1000, 0, new byte[0], List.of(keys.get(0).publicKey()), alloc);
    directory = Files.createTempDirectory("chorus-chain-bench");
    chain = Blockchain.open(directory.resolve("measured"), genesis, TxPool.Limits.defaults());
    switch (role) {
      case "proposer" -> proposer = null;
      case "validator" -> proposer = Blockchain.open(directory.resolve("proposer"), genesis,
          TxPool.Limits.defaults());
      default -> throw new IllegalArgumentException("role must be proposer or validator, not "
          + role);
    }
    PeerContract contract = PeerContract.load("Notary");
    contract.checkSource();
    Transaction deploy = sign(0, null, contract.initcode(), 1_000_000);
    Blockchain.CommittedBlock block;
    if (proposer == null) {
      chain.submit(deploy);
      block = chain.commit(chain.buildNext(senders.get(0), 1, new byte[0]));
    } else {
      block = validateAndCommit(List.of(deploy), new Phases());
    }
    if (!block.receipts().get(0).success()) {
      throw new IllegalStateException("Notary deployment failed");
    }
    notary = Evm.createAddress(SUITE.hashFunction(), senders.get(0), 0);
  }

  @Setup(Level.Iteration)
  public void startIteration(IterationParams iteration) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
  }

  @Setup(Level.Invocation)
  public void signBatch() {
    batch = new ArrayList<>(txsPerBlock);
    for (int i = 0; i < txsPerBlock; i++) {
      int sender = i % SENDERS;
      // A distinct hash per transaction, as load.js sends: each one writes a new storage slot.
      byte[] hash = Keccak256.INSTANCE.hash(ByteBuffer.allocate(8).putLong(notarized++).array());
      batch.add(sign(sender, notary, PeerContract.calldata("notarize(bytes32)", hash), TX_GAS));
    }
  }

  @Benchmark
  public Blockchain.CommittedBlock block() {
    Blockchain.CommittedBlock committed;
    if (proposer == null) {
      Phases phases = new Phases();
      for (Transaction tx : batch) {
        chain.submit(tx);
      }
      phases.end("admit");
      Blockchain.Proposal proposal = chain.buildNext(senders.get(0),
          chain.head().timestamp() + 1, new byte[0]);
      phases.end("build");
      committed = chain.commit(proposal);
      phases.end("commit");
    } else {
      committed = validateAndCommit(batch, null);
    }
    if (committed.block().transactions().size() != batch.size()) {
      throw new IllegalStateException("block " + committed.block().header().number() + " holds "
          + committed.block().transactions().size() + " of " + batch.size() + " transactions");
    }
    if (measuring) {
      measuredTxs += batch.size();
    }
    return committed;
  }

  // The proposer builds a block of txs (not measured); the measured chain admits them as gossip,
  // then decodes, executes and commits the proposal. Measured from here when phases is null.
  private Blockchain.CommittedBlock validateAndCommit(List<Transaction> txs, Phases phases) {
    for (Transaction tx : txs) {
      proposer.submit(tx);
    }
    Blockchain.Proposal built = proposer.buildNext(senders.get(0),
        proposer.head().timestamp() + 1, new byte[0]);
    byte[] payload = built.block().encode();
    Phases measured = phases != null ? phases : new Phases();
    for (Transaction tx : txs) {
      chain.submit(tx);
    }
    measured.end("admit");
    Blockchain.Proposal checked = chain.validate(chain.decode(payload));
    measured.end("validate");
    Blockchain.CommittedBlock committed = chain.commit(checked);
    measured.end("commit");
    proposer.commit(built);
    return committed;
  }

  // This thread's CPU time and allocated bytes per phase, summed while measuring.
  private final class Phases {
    private long cpu = THREADS.getCurrentThreadCpuTime();
    private long allocated = THREADS.getCurrentThreadAllocatedBytes();

    void end(String phase) {
      long cpuNow = THREADS.getCurrentThreadCpuTime();
      long allocatedNow = THREADS.getCurrentThreadAllocatedBytes();
      if (measuring) {
        cpuNanos.merge(phase, cpuNow - cpu, Long::sum);
        allocatedBytes.merge(phase, allocatedNow - allocated, Long::sum);
      }
      cpu = cpuNow;
      allocated = allocatedNow;
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    chain.close();
    if (proposer != null) {
      proposer.close();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    StringBuilder line = new StringBuilder("%nchain-phases role=" + role + " txsPerBlock="
        + txsPerBlock + " txs=" + measuredTxs);
    long total = 0;
    for (Map.Entry<String, Long> phase : cpuNanos.entrySet()) {
      line.append(String.format(" %sCpuUsPerTx=%.1f %sBytesPerTx=%d", phase.getKey(),
          phase.getValue() / 1e3 / measuredTxs, phase.getKey(),
          allocatedBytes.get(phase.getKey()) / measuredTxs));
      total += phase.getValue();
    }
    line.append(String.format(" totalCpuUsPerTx=%.1f%n", total / 1e3 / measuredTxs));
    System.out.printf(line.toString());
  }

  private Transaction sign(int sender, Address to, byte[] data, long gas) {
    Transaction template = new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, nonces[sender]++,
        BigInteger.valueOf(1_000_000_000L), BigInteger.valueOf(200_000_000_000L), gas,
        to == null ? null : to.toArray(), BigInteger.ZERO, data, List.of(), BigInteger.ZERO,
        List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]);
    return TransactionSigner.sign(template, keys.get(sender), SUITE);
  }
}
