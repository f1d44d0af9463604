package io.chorus.codec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** RLP encoding, and whole-input decoding into an {@link RlpItem} tree. */
public final class Rlp {
  /** The encoding of the empty byte string. */
  public static final byte[] EMPTY_STRING = {(byte) 0x80};
  /** The encoding of the empty list. */
  public static final byte[] EMPTY_LIST = {(byte) 0xc0};

  /** Nesting bound for tree decoding, so hostile input cannot exhaust the stack. */
  public static final int DEPTH_MAX = 1024;

  private Rlp() {}

  public static byte[] encodeBytes(byte[] value) {
    if (value.length == 1 && (value[0] & 0xff) < 0x80) {
      return value.clone();
    }
    byte[] out = headed(0x80, value.length);
    System.arraycopy(value, 0, out, out.length - value.length, value.length);
    return out;
  }

  /** An unsigned integer in minimal big-endian form; zero is the empty string. */
  public static byte[] encodeUnsignedLong(long value) {
    return encodeBytes(Bytes.ofUnsignedLong(value));
  }

  public static byte[] encodeBigInteger(BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("RLP scalars are unsigned, got " + value);
    }
    return encodeBytes(Bytes.trimLeadingZeros(value.toByteArray()));
  }

  public static byte[] encodeUInt256(UInt256 value) {
    return encodeBytes(value.toMinimalBytes());
  }

  /** A list of already-encoded items. */
  public static byte[] encodeList(byte[]... encodedItems) {
    int length = 0;
    for (byte[] item : encodedItems) {
      length = Math.addExact(length, item.length);
    }
    byte[] out = headed(0xc0, length);
    int at = out.length - length;
    for (byte[] item : encodedItems) {
      System.arraycopy(item, 0, out, at, item.length);
      at += item.length;
    }
    return out;
  }

  /** A list of already-encoded items. */
  public static byte[] encodeList(List<byte[]> encodedItems) {
    return encodeList(encodedItems.toArray(new byte[0][]));
  }

  public static byte[] encode(RlpItem item) {
    return switch (item) {
      case RlpItem.Bytes b -> encodeBytes(b.value());
      case RlpItem.List l -> {
        List<byte[]> encoded = new ArrayList<>(l.items().size());
        for (RlpItem child : l.items()) {
          encoded.add(encode(child));
        }
        yield encodeList(encoded);
      }
    };
  }

  /** Decodes exactly one item that must span the whole input: trailing bytes are an error. */
  public static RlpItem decode(byte[] input) {
    RlpReader reader = RlpReader.of(input);
    RlpItem item = read(reader, 0);
    reader.requireEnd("input after its first RLP item");
    return item;
  }

  private static RlpItem read(RlpReader reader, int depth) {
    if (!reader.nextIsList()) {
      return new RlpItem.Bytes(reader.readBytes());
    }
    if (depth >= DEPTH_MAX) {
      throw new RlpException("lists nested deeper than " + DEPTH_MAX, reader.position());
    }
    RlpReader list = reader.readList();
    List<RlpItem> items = new ArrayList<>();
    while (list.hasNext()) {
      items.add(read(list, depth + 1));
    }
    return new RlpItem.List(items);
  }

  /**
   * An array holding the header of a string ({@code base} 0x80) or list (0xc0) whose payload is
   * {@code length} bytes, sized to take the payload after it: encodings are written in place.
   */
  private static byte[] headed(int base, int length) {
    if (length <= 55) {
      byte[] out = new byte[1 + length];
      out[0] = (byte) (base + length);
      return out;
    }
    int lengthBytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
    byte[] out = new byte[1 + lengthBytes + length];
    out[0] = (byte) (base + 55 + lengthBytes);
    for (int i = 0; i < lengthBytes; i++) {
      out[lengthBytes - i] = (byte) (length >>> (8 * i));
    }
    return out;
  }
}
