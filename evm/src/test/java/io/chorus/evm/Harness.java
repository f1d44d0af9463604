package io.chorus.evm;

import io.chorus.crypto.Keccak256;
import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One transaction for tests: a {@link Journal} and an {@link Evm} over a {@link MapState}, warmed
 * as a transaction would be, and run on a thread whose stack holds 1024 nested frames.
 */
final class Harness {
  static final Address SENDER = Address.parse("0x00000000000000000000000000000000000a11ce");
  static final Address CONTRACT = Address.parse("0x000000000000000000000000000000000000c0de");
  static final Address OTHER = Address.parse("0x0000000000000000000000000000000000000b0b");
  static final Address COINBASE = Address.parse("0x00000000000000000000000000000000000c0ba5");
  static final BigInteger ETHER = BigInteger.TEN.pow(18);
  static final BlockEnv BLOCK = new BlockEnv(COINBASE, 100, 1_700_000_000L, 30_000_000L,
      BigInteger.TEN, Word.of(7), BigInteger.ONE, BigInteger.ONE, Word::of);

  // One reusable thread: a fresh 256 MiB-stack thread per run would be wasteful.
  private static final ExecutorService BIG_STACK = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(null, r, "evm", Evm.STACK_BYTES);
    thread.setDaemon(true);
    return thread;
  });

  final MapState state;
  final Journal journal;
  final Evm evm;

  Harness(MapState state) {
    this(state, BLOCK);
  }

  Harness(MapState state, BlockEnv block) {
    this(state, block, null);
  }

  /** A transaction watched by {@code tracer} (null for none). */
  Harness(MapState state, BlockEnv block, Tracer tracer) {
    this.state = state;
    this.journal = new Journal(state, Keccak256.INSTANCE);
    this.evm = new Evm(journal, block, new TxEnv(SENDER, BigInteger.TEN, List.of()),
        Keccak256.INSTANCE, tracer);
    journal.warmAccount(SENDER);
    journal.warmAccount(COINBASE);
  }

  /** A sender with one ether and {@link #CONTRACT} (nonce 1, one ether) holding {@code code}. */
  static Harness withCode(byte[] code) {
    return new Harness(new MapState()
        .put(SENDER, 0, ETHER, new byte[0])
        .put(CONTRACT, 1, ETHER, code));
  }

  /** A call to {@link #CONTRACT} with no value and no calldata. */
  Result call(long gas) {
    return call(CONTRACT, new byte[0], gas);
  }

  /** A transaction's call from {@link #SENDER}: {@code to} is warm, as EIP-2929 has it. */
  Result call(Address to, byte[] data, long gas) {
    journal.warmAccount(to);
    return onBigStack(() -> evm.call(SENDER, to, BigInteger.ZERO, data, gas));
  }

  /** Runs {@code task} on the EVM's big-stack thread; whatever it throws is rethrown here. */
  static <T> T onBigStack(Callable<T> task) {
    Future<T> future = BIG_STACK.submit(task);
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Error error) {
        throw error;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
