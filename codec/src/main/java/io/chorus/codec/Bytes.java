package io.chorus.codec;

import java.util.Arrays;

/** Small byte-array helpers shared by every layer. */
public final class Bytes {
  public static final byte[] EMPTY = new byte[0];

  private Bytes() {}

  public static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length = Math.addExact(length, part.length);
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  /** Left-pads with zeros to {@code size} bytes; longer input is an error, never truncated. */
  public static byte[] leftPad(byte[] bytes, int size) {
    if (bytes.length > size) {
      throw new IllegalArgumentException(
          "value of " + bytes.length + " bytes does not fit in " + size + " bytes");
    }
    if (bytes.length == size) {
      return bytes;
    }
    byte[] out = new byte[size];
    System.arraycopy(bytes, 0, out, size - bytes.length, bytes.length);
    return out;
  }

  /** Drops leading zero bytes: the minimal big-endian form of an unsigned integer. */
  public static byte[] trimLeadingZeros(byte[] bytes) {
    int first = 0;
    while (first < bytes.length && bytes[first] == 0) {
      first++;
    }
    return first == 0 ? bytes : Arrays.copyOfRange(bytes, first, bytes.length);
  }

  /** Minimal big-endian bytes of an unsigned long (empty for zero). */
  public static byte[] ofUnsignedLong(long value) {
    int length = (Long.SIZE - Long.numberOfLeadingZeros(value) + 7) / 8;
    byte[] out = new byte[length];
    for (int i = length - 1; i >= 0; i--) {
      out[i] = (byte) value;
      value >>>= 8;
    }
    return out;
  }

  /** Big-endian unsigned value of up to 8 bytes. */
  public static long toUnsignedLong(byte[] bytes) {
    if (bytes.length > 8) {
      throw new IllegalArgumentException(bytes.length + " bytes do not fit in 64 bits");
    }
    long value = 0;
    for (byte b : bytes) {
      value = (value << 8) | (b & 0xff);
    }
    return value;
  }
}
