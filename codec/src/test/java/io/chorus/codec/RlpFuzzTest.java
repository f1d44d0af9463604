package io.chorus.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes the RLP decoder: any input either decodes to an item whose encoding is the input itself
 * (strictness means one canonical form), or fails with {@link RlpException} — nothing else.
 */
public class RlpFuzzTest {

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    decodeIsStrictAndTotal(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    decodeIsStrictAndTotal(input);
  }

  private static void decodeIsStrictAndTotal(byte[] input) {
    RlpItem item;
    try {
      item = Rlp.decode(input);
    } catch (RlpException rejected) {
      return;
    }
    byte[] again = Rlp.encode(item);
    if (!Arrays.equals(again, input)) {
      throw new AssertionError("accepted non-canonical input " + Hex.encode(input)
          + ", canonical form is " + Hex.encode(again));
    }
  }
}
