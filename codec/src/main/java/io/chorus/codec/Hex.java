package io.chorus.codec;

import java.util.Arrays;

/** Hex text to bytes and back. Decoding accepts an optional {@code 0x} prefix and either case. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Lower-case hex without a prefix. */
  public static String encode(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** Lower-case hex with a {@code 0x} prefix, as Ethereum tools print it. */
  public static String encode0x(byte[] bytes) {
    return "0x" + encode(bytes);
  }

  /**
   * Decodes hex text; an odd number of digits is rejected rather than guessed at.
   *
   * @throws IllegalArgumentException naming the offending position
   */
  public static byte[] decode(String text) {
    int start = text.startsWith("0x") || text.startsWith("0X") ? 2 : 0;
    int digits = text.length() - start;
    if (digits % 2 != 0) {
      throw new IllegalArgumentException(
          "hex text has an odd number of digits (" + digits + "): " + abbreviate(text));
    }
    byte[] out = new byte[digits / 2];
    for (int i = 0; i < out.length; i++) {
      int at = start + 2 * i;
      out[i] = (byte) ((digit(text, at) << 4) | digit(text, at + 1));
    }
    return out;
  }

  // A digit's value by ASCII code, -1 for what is not one. Character.digit took 12 % of a
  // node's RPC workers (the trace capture's 13 KB of call data, decoded for its gas estimate),
  // and it also took other scripts' digits (Arabic-Indic, full-width), which hex is not.
  private static final byte[] VALUES = new byte[128];

  static {
    Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < 16; i++) {
      VALUES[DIGITS[i]] = (byte) i;
      VALUES[Character.toUpperCase(DIGITS[i])] = (byte) i;
    }
  }

  private static int digit(String text, int at) {
    char c = text.charAt(at);
    int d = c < 128 ? VALUES[c] : -1;
    if (d < 0) {
      throw new IllegalArgumentException(
          "not a hex digit '" + text.charAt(at) + "' at position " + at + ": " + abbreviate(text));
    }
    return d;
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
