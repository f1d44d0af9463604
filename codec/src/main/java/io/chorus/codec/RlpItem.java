package io.chorus.codec;

import java.util.Arrays;
import java.util.List;

/** A decoded RLP value as a tree: a byte string or a list of items. */
public sealed interface RlpItem {

  /** A byte string. */
  record Bytes(byte[] value) implements RlpItem {
    @Override
    public boolean equals(Object other) {
      return other instanceof Bytes b && Arrays.equals(value, b.value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "0x" + Hex.encode(value);
    }
  }

  /** A list of items. */
  record List(java.util.List<RlpItem> items) implements RlpItem {
    public List {
      items = java.util.List.copyOf(items);
    }
  }

  static RlpItem bytes(byte[] value) {
    return new Bytes(value);
  }

  static RlpItem list(RlpItem... items) {
    return new List(java.util.List.of(items));
  }

  static RlpItem list(java.util.List<RlpItem> items) {
    return new List(items);
  }
}
