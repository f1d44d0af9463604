package io.chorus.evm.trace;

import io.chorus.evm.Word;
import java.math.BigInteger;

/** The hex forms Geth's tracers print: quantities without leading zeros, data in full. */
final class TraceHex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private TraceHex() {}

  /** {@code 0x}-prefixed, no leading zeros, {@code 0x0} for zero. */
  static String quantity(long unsigned) {
    return "0x" + Long.toHexString(unsigned);
  }

  static String quantity(BigInteger value) {
    return "0x" + value.toString(16);
  }

  static String quantity(Word word) {
    long[] limbs = {word.u3(), word.u2(), word.u1(), word.u0()};
    int top = 0;
    while (top < 3 && limbs[top] == 0) {
      top++;
    }
    StringBuilder out = new StringBuilder(2 + 16 * (4 - top)).append("0x")
        .append(Long.toHexString(limbs[top]));
    for (int i = top + 1; i < 4; i++) {
      appendDigits(out, limbs[i]);
    }
    return out.toString();
  }

  /** {@code 0x}-prefixed bytes, {@code 0x} when empty. */
  static String data(byte[] bytes) {
    return "0x" + digits(bytes, 0, bytes.length);
  }

  /** All 64 digits of a word, without prefix (struct log storage). */
  static String word(Word word) {
    StringBuilder out = new StringBuilder(64);
    appendDigits(out, word.u3());
    appendDigits(out, word.u2());
    appendDigits(out, word.u1());
    appendDigits(out, word.u0());
    return out.toString();
  }

  /** Digits of {@code bytes[offset, offset + length)}, without prefix. */
  static String digits(byte[] bytes, int offset, int length) {
    char[] out = new char[length * 2];
    for (int i = 0; i < length; i++) {
      int b = bytes[offset + i];
      out[2 * i] = DIGITS[(b >> 4) & 0xf];
      out[2 * i + 1] = DIGITS[b & 0xf];
    }
    return new String(out);
  }

  private static void appendDigits(StringBuilder out, long limb) {
    for (int shift = 60; shift >= 0; shift -= 4) {
      out.append(DIGITS[(int) (limb >>> shift) & 0xf]);
    }
  }
}
