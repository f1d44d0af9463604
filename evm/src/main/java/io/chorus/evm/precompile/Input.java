package io.chorus.evm.precompile;

import java.math.BigInteger;
import java.util.Arrays;

// Reading call data as precompiles do: bytes past the end of the input read as zero.
final class Input {
  private Input() {}

  // The input right-padded with zeros or truncated to exactly `length` bytes.
  static byte[] padded(byte[] input, int length) {
    return Arrays.copyOf(input, length);
  }

  // `length` bytes from `offset`, which may lie anywhere, even past the end.
  static byte[] slice(byte[] input, long offset, int length) {
    byte[] out = new byte[length];
    if (offset < input.length) {
      int start = (int) offset;
      System.arraycopy(input, start, out, 0, Math.min(length, input.length - start));
    }
    return out;
  }

  // The unsigned big-endian 32-byte word at `offset`.
  static BigInteger word(byte[] input, long offset) {
    return new BigInteger(1, slice(input, offset, 32));
  }

  // The number of 32-byte words the input takes, rounding up, as gas formulas count them.
  static long words(byte[] input) {
    return (input.length + 31L) / 32;
  }
}
