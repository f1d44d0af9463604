package io.chorus.bench;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Evm;
import io.chorus.evm.Journal;
import io.chorus.evm.Result;
import io.chorus.evm.Status;
import io.chorus.evm.TxEnv;
import io.chorus.evm.Word;
import io.chorus.evm.precompile.Precompiles;
import io.chorus.tx.IntrinsicGas;
import io.chorus.tx.Transaction;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Raw EVM speed on the peers' Burner contract, in-process and comparable with hardhat's
 * {@code evm.js}: Burner is deployed once per trial, then every invocation is one
 * {@code eth_call}-like message call on a fresh {@link Journal} (nothing is committed).
 *
 * <p>Besides JMH's ms/op, each trial ends with one {@code evm-gas} line: the gas of a call and
 * Mgas/s over the measurement iterations, for tx gas (execution + intrinsic − refund, what a
 * receipt's gasUsed and evm.js' txGasUsed count) and for the executed gas alone.
 * {@code bench/evm-vs-hardhat.sh} reads that line.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EvmBenchmark {
  private static final long GAS = 1_000_000_000L;
  /** Hardhat's first test account, which evm.js calls from. */
  private static final Address SENDER = Address.parse("f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  private static final Address COINBASE = Address.parse("c014ba5ec014ba5ec014ba5ec014ba5ec014ba5e");
  private static final BigInteger CHAIN_ID = BigInteger.valueOf(31337);
  private static final BigInteger WORD_MASK =
      BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
  private static final BigInteger ARITH_MUL = new BigInteger("6364136223846793005");
  private static final BigInteger ARITH_ADD = new BigInteger("1442695040888963407");
  private static final BigInteger ARITH_MOD =
      new BigInteger("ffffffffffffffffffffffffffffff61", 16);

  /** {@code function:n}, as evm.js takes its --cases. */
  @Param({"hashLoop:100000", "arith:100000", "sstoreLoop:500"})
  public String fn;

  private final BlockEnv block = new BlockEnv(COINBASE, 1, 1_700_000_000L, GAS,
      BigInteger.ZERO, Word.ZERO, BigInteger.ONE, CHAIN_ID, number -> Word.ZERO);
  private final TxEnv txEnv = new TxEnv(SENDER, BigInteger.ZERO, List.of());
  private final MapState state = new MapState(Keccak256.INSTANCE);
  private Address burner;
  private byte[] calldata;
  private byte[] expected;
  private long intrinsicGas;
  private long executionGas;
  private long refund;

  // Calls and time over the measurement iterations, for Mgas/s at the end of the trial.
  private boolean measuring;
  private long iterationStart;
  private long iterationCalls;
  private long measuredCalls;
  private long measuredNanos;

  @Setup(Level.Trial)
  public void deploy() {
    PeerContract contract = PeerContract.load("Burner");
    contract.checkSource();
    String[] parts = fn.split(":");
    long n = Long.parseLong(parts[1]);
    calldata = PeerContract.calldata(parts[0] + "(uint256)",
        PeerContract.word(BigInteger.valueOf(n)));
    expected = expectedOutput(parts[0], n);

    state.fund(SENDER, BigInteger.TEN.pow(21));
    Journal journal = new Journal(state, Keccak256.INSTANCE);
    Evm evm = new Evm(journal, block, txEnv, Keccak256.INSTANCE);
    burner = evm.createAddress(SENDER, 0);
    journal.setNonce(SENDER, 1);
    Result created = evm.create(SENDER, burner, BigInteger.ZERO, contract.initcode(), GAS);
    if (!created.success()) {
      throw new IllegalStateException("Burner deployment failed: " + Status.name(created.status()));
    }
    state.apply(journal.finish());

    // The intrinsic gas of the same call sent as a transaction, by the node's own rule.
    intrinsicGas = IntrinsicGas.of(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, 1,
        BigInteger.ZERO, BigInteger.ZERO, GAS, burner.toArray(), BigInteger.ZERO, calldata,
        List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, Bytes.EMPTY,
        Bytes.EMPTY));
  }

  @Setup(Level.Iteration)
  public void startIteration(IterationParams iteration) {
    measuring = iteration.getType() == IterationType.MEASUREMENT;
    iterationCalls = 0;
    iterationStart = System.nanoTime();
  }

  @TearDown(Level.Iteration)
  public void endIteration() {
    if (measuring) {
      measuredNanos += System.nanoTime() - iterationStart;
      measuredCalls += iterationCalls;
    }
  }

  @Benchmark
  public byte[] call() {
    Journal journal = new Journal(state, Keccak256.INSTANCE);
    Evm evm = new Evm(journal, block, txEnv, Keccak256.INSTANCE);
    // Warm what a transaction starts with (EIP-2929, EIP-3651), so the gas matches a mined tx.
    journal.warmAccount(SENDER);
    journal.warmAccount(burner);
    journal.warmAccount(COINBASE);
    for (int i = 1; i <= Precompiles.COUNT; i++) {
      journal.warmAccount(Address.ofIndex(i));
    }
    Result result = evm.call(SENDER, burner, BigInteger.ZERO, calldata, GAS);
    if (!result.success()) {
      throw new IllegalStateException(fn + ": " + Status.name(result.status()));
    }
    if (!Arrays.equals(result.output(), expected)) {
      throw new IllegalStateException(fn + " returned " + Hex.encode0x(result.output()));
    }
    executionGas = GAS - result.gasLeft();
    refund = journal.refund();
    iterationCalls++;
    return result.output();
  }

  @TearDown(Level.Trial)
  public void report() {
    long used = intrinsicGas + executionGas;
    // EIP-3529: a receipt's gasUsed deducts the refund, capped at a fifth of the gas used.
    long txGas = used - Math.min(Math.max(refund, 0), used / 5);
    double ms = measuredNanos / 1e6 / measuredCalls;
    System.out.printf("%nevm-gas fn=%s txGas=%d executionGas=%d intrinsicGas=%d refund=%d"
        + " msPerOp=%.3f txMgasPerS=%.2f executionMgasPerS=%.2f calls=%d%n", fn, txGas,
        executionGas, intrinsicGas, refund, ms, txGas / ms / 1e3, executionGas / ms / 1e3,
        measuredCalls);
  }

  /** The 32-byte word Burner's {@code name(n)} returns, computed in Java from its source. */
  static byte[] expectedOutput(String name, long n) {
    return switch (name) {
      case "hashLoop" -> {
        byte[] h = new byte[32];
        byte[] buffer = new byte[64];
        for (long i = 0; i < n; i++) {
          System.arraycopy(h, 0, buffer, 0, 32);
          System.arraycopy(PeerContract.word(BigInteger.valueOf(i)), 0, buffer, 32, 32);
          h = Keccak256.INSTANCE.hash(buffer);
        }
        yield h;
      }
      case "arith" -> {
        BigInteger x = BigInteger.ONE;
        for (long i = 0; i < n; i++) { // unchecked: the mul and add wrap at 2^256
          x = x.multiply(ARITH_MUL).add(ARITH_ADD).and(WORD_MASK).mod(ARITH_MOD);
        }
        yield PeerContract.word(x);
      }
      case "sstoreLoop" -> PeerContract.word(
          BigInteger.valueOf(n).multiply(BigInteger.valueOf(n - 1)).shiftRight(1));
      default -> throw new IllegalArgumentException("Burner has no function " + name);
    };
  }
}
