package io.chorus.evm;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import java.math.BigInteger;

/**
 * An immutable 256-bit word as four 64-bit limbs, most significant first: the key and value type
 * of contract storage. The interpreter's stack holds the same limbs in a flat {@code long[]}.
 */
public record Word(long u3, long u2, long u1, long u0) implements Comparable<Word> {
  public static final Word ZERO = new Word(0, 0, 0, 0);

  public static Word of(long unsigned) {
    return new Word(0, 0, 0, unsigned);
  }

  /** From big-endian bytes of at most 32 bytes (shorter input is left-padded). */
  public static Word fromBytes(byte[] bigEndian) {
    if (bigEndian.length > 32) {
      throw new IllegalArgumentException("word of " + bigEndian.length + " bytes exceeds 32");
    }
    byte[] b = Bytes.leftPad(bigEndian, 32);
    return new Word(limb(b, 0), limb(b, 8), limb(b, 16), limb(b, 24));
  }

  public static Word fromBigInteger(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("not an unsigned 256-bit value: " + value);
    }
    return fromBytes(Bytes.trimLeadingZeros(value.toByteArray()));
  }

  /** Reads the four limbs at {@code offset} of a stack array. */
  public static Word fromStack(long[] stack, int offset) {
    return new Word(stack[offset], stack[offset + 1], stack[offset + 2], stack[offset + 3]);
  }

  /** Writes the four limbs at {@code offset} of a stack array. */
  public void toStack(long[] stack, int offset) {
    stack[offset] = u3;
    stack[offset + 1] = u2;
    stack[offset + 2] = u1;
    stack[offset + 3] = u0;
  }

  public boolean isZero() {
    return (u3 | u2 | u1 | u0) == 0;
  }

  public byte[] toBytes() {
    byte[] out = new byte[32];
    put(out, 0, u3);
    put(out, 8, u2);
    put(out, 16, u1);
    put(out, 24, u0);
    return out;
  }

  public BigInteger toBigInteger() {
    return new BigInteger(1, toBytes());
  }

  @Override
  public int compareTo(Word o) {
    int c = Long.compareUnsigned(u3, o.u3);
    if (c == 0) {
      c = Long.compareUnsigned(u2, o.u2);
    }
    if (c == 0) {
      c = Long.compareUnsigned(u1, o.u1);
    }
    return c != 0 ? c : Long.compareUnsigned(u0, o.u0);
  }

  @Override
  public String toString() {
    return Hex.encode0x(toBytes());
  }

  private static long limb(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }

  private static void put(byte[] out, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      out[at + i] = (byte) v;
      v >>>= 8;
    }
  }
}
