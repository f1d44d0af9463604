package io.chorus.codec;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * An immutable unsigned 256-bit integer, for values that cross module boundaries (balances,
 * fees, storage words). The EVM keeps its own mutable words on the hot path.
 */
public final class UInt256 implements Comparable<UInt256> {
  public static final UInt256 ZERO = new UInt256(new byte[32]);
  public static final UInt256 MAX = new UInt256(filled((byte) 0xff));
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

  /** Big-endian, always 32 bytes. */
  private final byte[] bytes;

  private UInt256(byte[] bytes32) {
    this.bytes = bytes32;
  }

  /** From big-endian bytes of at most 32 bytes; leading zeros are allowed here. */
  public static UInt256 fromBytes(byte[] bigEndian) {
    return new UInt256(Bytes.leftPad(bigEndian, 32).clone());
  }

  public static UInt256 valueOf(long unsigned) {
    return fromBytes(Bytes.ofUnsignedLong(unsigned));
  }

  public static UInt256 valueOf(BigInteger value) {
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException("not an unsigned 256-bit value: " + value);
    }
    return fromBytes(Bytes.trimLeadingZeros(value.toByteArray()));
  }

  /** Parses decimal or 0x-prefixed hex text. */
  public static UInt256 parse(String text) {
    BigInteger value = text.startsWith("0x") || text.startsWith("0X")
        ? (text.length() == 2 ? BigInteger.ZERO : new BigInteger(text.substring(2), 16))
        : new BigInteger(text);
    return valueOf(value);
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  public byte[] toMinimalBytes() {
    return Bytes.trimLeadingZeros(bytes).clone();
  }

  public BigInteger toBigInteger() {
    return new BigInteger(1, bytes);
  }

  public boolean isZero() {
    return Arrays.equals(bytes, ZERO.bytes);
  }

  public int bitLength() {
    return toBigInteger().bitLength();
  }

  /** True when the value fits a signed long without loss. */
  public boolean fitsLong() {
    return bitLength() < 64;
  }

  public long toLong() {
    if (!fitsLong()) {
      throw new ArithmeticException(this + " does not fit in a long");
    }
    return toBigInteger().longValue();
  }

  /** Sum modulo 2^256, as the EVM wraps. */
  public UInt256 addWrapping(UInt256 other) {
    return valueOf(toBigInteger().add(other.toBigInteger()).mod(TWO_256));
  }

  @Override
  public int compareTo(UInt256 other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof UInt256 u && Arrays.equals(bytes, u.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** 0x-prefixed minimal hex, as Ethereum's JSON-RPC prints quantities. */
  @Override
  public String toString() {
    return "0x" + toBigInteger().toString(16);
  }

  private static byte[] filled(byte value) {
    byte[] out = new byte[32];
    Arrays.fill(out, value);
    return out;
  }
}
