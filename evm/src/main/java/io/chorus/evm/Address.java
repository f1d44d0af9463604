package io.chorus.evm;

import io.chorus.codec.Hex;
import java.util.Arrays;

/** A 20-byte account address; immutable, usable as a map key. */
public final class Address implements Comparable<Address> {
  public static final int BYTES = 20;

  private final byte[] bytes;
  private final int hash;

  private Address(byte[] bytes20) {
    this.bytes = bytes20;
    this.hash = Arrays.hashCode(bytes20);
  }

  /** Copies exactly 20 bytes; any other length is an error. */
  public static Address of(byte[] bytes20) {
    if (bytes20.length != BYTES) {
      throw new IllegalArgumentException("address must be 20 bytes, got " + bytes20.length);
    }
    return new Address(bytes20.clone());
  }

  /** The low 20 bytes of a 32-byte big-endian word, as the EVM truncates stack values. */
  public static Address fromWord(byte[] word32) {
    return new Address(Arrays.copyOfRange(word32, 12, 32));
  }

  /** 0x-prefixed or bare hex of exactly 20 bytes. */
  public static Address parse(String hex) {
    return of(Hex.decode(hex));
  }

  /** The address 0x00..0n, as precompiles are numbered. */
  public static Address ofIndex(int index) {
    byte[] b = new byte[BYTES];
    b[18] = (byte) (index >>> 8);
    b[19] = (byte) index;
    return new Address(b);
  }

  public byte[] toArray() {
    return bytes.clone();
  }

  /** Writes the 20 bytes at {@code offset}. */
  public void copyTo(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, BYTES);
  }

  /** The precompile number when the first 18 bytes are zero, else -1. */
  public int precompileIndex() {
    for (int i = 0; i < 18; i++) {
      if (bytes[i] != 0) {
        return -1;
      }
    }
    return ((bytes[18] & 0xff) << 8) | (bytes[19] & 0xff);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Address a && hash == a.hash && Arrays.equals(bytes, a.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(Address other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return Hex.encode0x(bytes);
  }
}
