package io.chorus.codec;

import java.io.ByteArrayOutputStream;
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
    return Bytes.concat(header(0x80, value.length), value);
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
    return encodeList(List.of(encodedItems));
  }

  /** A list of already-encoded items. */
  public static byte[] encodeList(List<byte[]> encodedItems) {
    int length = 0;
    for (byte[] item : encodedItems) {
      length = Math.addExact(length, item.length);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(length + 9);
    out.writeBytes(header(0xc0, length));
    for (byte[] item : encodedItems) {
      out.writeBytes(item);
    }
    return out.toByteArray();
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

  private static byte[] header(int base, int length) {
    if (length <= 55) {
      return new byte[] {(byte) (base + length)};
    }
    byte[] lengthBytes = Bytes.ofUnsignedLong(length);
    byte[] out = new byte[1 + lengthBytes.length];
    out[0] = (byte) (base + 55 + lengthBytes.length);
    System.arraycopy(lengthBytes, 0, out, 1, lengthBytes.length);
    return out;
  }
}
