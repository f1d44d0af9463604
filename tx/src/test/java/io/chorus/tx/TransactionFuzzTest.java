package io.chorus.tx;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chorus.crypto.CryptoSuite;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes decoding and validation (in both suites): any input either yields a transaction whose
 * encoding is the input itself, or fails with {@link TransactionException} — never another
 * exception.
 */
public class TransactionFuzzTest {
  private static final List<TransactionValidator> VALIDATORS = List.of(
      new TransactionValidator(CryptoSuite.ethereum(), BigInteger.ONE),
      new TransactionValidator(CryptoSuite.sm(), BigInteger.ONE));

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    decodeIsTotal(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    decodeIsTotal(input);
  }

  private static void decodeIsTotal(byte[] input) {
    Transaction tx;
    try {
      tx = TransactionDecoder.decode(input);
    } catch (TransactionException rejected) {
      return;
    }
    if (!Arrays.equals(tx.encoded(), input)) {
      throw new AssertionError("decoded transaction does not keep its input bytes");
    }
    for (TransactionValidator validator : VALIDATORS) {
      try {
        validator.validate(tx);
      } catch (TransactionException rejected) {
        // invalid transactions are expected; anything else escapes and fails the run
      }
    }
  }
}
