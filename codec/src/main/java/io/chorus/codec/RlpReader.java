package io.chorus.codec;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Strict, streaming RLP decoder over a window of a byte array. It accepts only the canonical
 * encoding: single bytes below 0x80 must stand alone, short forms must be used up to 55 bytes,
 * lengths carry no leading zeros, and no item may run past its enclosing list or the input.
 *
 * <p>A reader is positioned before an item; {@link #readList()} returns a child reader over the
 * list's payload and moves this reader past the list.
 */
public final class RlpReader {
  private final byte[] data;
  private int position;
  private final int end;
  /** What bounds this window, for error messages: "input" or "enclosing list". */
  private final String scope;

  private RlpReader(byte[] data, int start, int end, String scope) {
    this.data = data;
    this.position = start;
    this.end = end;
    this.scope = scope;
  }

  /** A reader over all of {@code input}, which may hold several consecutive items. */
  public static RlpReader of(byte[] input) {
    return new RlpReader(input, 0, input.length, "input");
  }

  /** A reader over {@code input[from, to)}. Offsets in errors stay relative to the whole array. */
  public static RlpReader of(byte[] input, int from, int to) {
    if (from < 0 || to > input.length || from > to) {
      throw new IllegalArgumentException(
          "window [" + from + ", " + to + ") outside input of " + input.length + " bytes");
    }
    return new RlpReader(input, from, to, "input");
  }

  public boolean hasNext() {
    return position < end;
  }

  public int position() {
    return position;
  }

  /** True when the next item is a list; fails at the end of the window. */
  public boolean nextIsList() {
    requireNext();
    return (data[position] & 0xff) >= 0xc0;
  }

  /** Reads a byte string item. */
  public byte[] readBytes() {
    long header = header(false);
    position = payloadEnd(header);
    return Arrays.copyOfRange(data, payloadStart(header), payloadEnd(header));
  }

  /** Reads a byte string of exactly {@code size} bytes, such as an address or a hash. */
  public byte[] readBytes(int size, String field) {
    int at = position;
    byte[] bytes = readBytes();
    if (bytes.length != size) {
      throw new RlpException(field + " must be " + size + " bytes, found " + bytes.length, at);
    }
    return bytes;
  }

  /** Reads a list item and returns a reader over its payload. */
  public RlpReader readList() {
    long header = header(true);
    position = payloadEnd(header);
    return new RlpReader(data, payloadStart(header), payloadEnd(header), "enclosing list");
  }

  /** Returns the complete encoding (header and payload) of the next item and skips it. */
  public byte[] readRaw() {
    requireNext();
    int start = position;
    long header = header((data[position] & 0xff) >= 0xc0);
    position = payloadEnd(header);
    return Arrays.copyOfRange(data, start, position);
  }

  /** Skips the next item, whatever it is. */
  public void skip() {
    requireNext();
    position = payloadEnd(header((data[position] & 0xff) >= 0xc0));
  }

  /**
   * Reads an unsigned scalar of at most 8 bytes with no leading zeros; the result carries all
   * 64 bits, so callers that need a signed range check it.
   */
  public long readUnsignedLong(String field) {
    return Bytes.toUnsignedLong(readScalar(field, 8));
  }

  /** Reads an unsigned scalar of at most {@code maxBytes} bytes with no leading zeros. */
  public BigInteger readBigInteger(String field, int maxBytes) {
    return new BigInteger(1, readScalar(field, maxBytes));
  }

  /** Reads an unsigned 256-bit scalar with no leading zeros. */
  public UInt256 readUInt256(String field) {
    return UInt256.fromBytes(readScalar(field, 32));
  }

  private byte[] readScalar(String field, int maxBytes) {
    int at = position;
    if (hasNext() && nextIsList()) {
      throw new RlpException(field + " must be a byte string, found a list", at);
    }
    byte[] bytes = readBytes();
    if (bytes.length > maxBytes) {
      throw new RlpException(
          field + " is " + bytes.length + " bytes, more than the " + maxBytes + " allowed", at);
    }
    if (bytes.length > 0 && bytes[0] == 0) {
      throw new RlpException(field + " has leading zero bytes", at);
    }
    return bytes;
  }

  /** Fails unless every item of this window has been read. */
  public void requireEnd(String what) {
    if (position != end) {
      throw new RlpException(what + " has unexpected extra data", position);
    }
  }

  private void requireNext() {
    if (position >= end) {
      throw new RlpException("expected an item, found the end of the input", position);
    }
  }

  // An item's header as its payload's start and end offsets packed in a long: every item read
  // goes through here, and an object per item would be garbage wherever the JIT does not
  // eliminate it (the quick compiler never does).
  private static long packed(int payloadStart, int payloadEnd) {
    return (long) payloadStart << 32 | payloadEnd;
  }

  private static int payloadStart(long header) {
    return (int) (header >>> 32);
  }

  private static int payloadEnd(long header) {
    return (int) header;
  }

  private long header(boolean wantList) {
    requireNext();
    int at = position;
    int prefix = data[at] & 0xff;
    boolean isList = prefix >= 0xc0;
    if (isList != wantList) {
      throw new RlpException(wantList ? "expected a list, found a byte string"
          : "expected a byte string, found a list", at);
    }
    int base = isList ? 0xc0 : 0x80;
    if (!isList && prefix < 0x80) {
      return packed(at, at + 1);
    }
    int payloadStart;
    long length;
    if (prefix - base <= 55) {
      length = prefix - base;
      payloadStart = at + 1;
      if (!isList && length == 1) {
        requireAvailable(at, payloadStart, 1);
        if ((data[payloadStart] & 0xff) < 0x80) {
          throw new RlpException("single byte below 0x80 must be encoded as itself", at);
        }
      }
    } else {
      int lengthOfLength = prefix - base - 55;
      requireAvailable(at, at + 1, lengthOfLength);
      if (data[at + 1] == 0) {
        throw new RlpException("length has leading zero bytes", at);
      }
      length = 0;
      for (int i = 0; i < lengthOfLength; i++) {
        if (length > (Long.MAX_VALUE >>> 8)) {
          throw new RlpException("length does not fit in 63 bits", at);
        }
        length = (length << 8) | (data[at + 1 + i] & 0xff);
      }
      if (length <= 55) {
        throw new RlpException("length " + length + " must use the short form", at);
      }
      payloadStart = at + 1 + lengthOfLength;
    }
    requireAvailable(at, payloadStart, length);
    return packed(payloadStart, payloadStart + (int) length);
  }

  private void requireAvailable(int itemStart, int from, long length) {
    if (length > end - from) {
      throw new RlpException("item of " + length + " bytes runs past the end of its " + scope
          + " (" + (end - from) + " bytes left)", itemStart);
    }
  }
}
