package io.chorus.bench;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionDecoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Decoding a typical signed EIP-1559 transfer with calldata: the first step of admission. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RlpBenchmark {
  /** An ERC-20 transfer as a type-2 transaction on chain 1, with a 65-byte-style signature. */
  private final byte[] eip1559 = Bytes.concat(new byte[] {2}, Rlp.encodeList(
      Rlp.encodeUnsignedLong(1),
      Rlp.encodeUnsignedLong(1000),
      Rlp.encodeUnsignedLong(1_000_000_000L),
      Rlp.encodeUnsignedLong(20_000_000_000L),
      Rlp.encodeUnsignedLong(200_000),
      Rlp.encodeBytes(Hex.decode("a0b86991c6218b36c1d19d4a2e9eb0ce3606eb48")),
      Rlp.EMPTY_STRING,
      Rlp.encodeBytes(Hex.decode("a9059cbb" + "00".repeat(12) + "35".repeat(20)
          + "00".repeat(29) + "0f4240")),
      Rlp.EMPTY_LIST,
      Rlp.encodeUnsignedLong(1),
      Rlp.encodeBytes(Hex.decode("11".repeat(32))),
      Rlp.encodeBytes(Hex.decode("22".repeat(32)))));

  @Benchmark
  public Transaction decodeEip1559() {
    return TransactionDecoder.decode(eip1559);
  }
}
