package io.chorus.codec;

import java.util.Arrays;

/**
 * A byte array as a map key: arrays compare by identity, this by content. It keeps its own copy,
 * so a caller reusing its array cannot change a key already in a map.
 */
public record ByteKey(byte[] bytes) {
  public ByteKey {
    bytes = bytes.clone();
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ByteKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return Hex.encode0x(bytes);
  }
}
