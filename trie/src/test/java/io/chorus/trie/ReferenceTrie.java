package io.chorus.trie;

import io.chorus.codec.Rlp;
import io.chorus.crypto.HashFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Yellow Paper's TRIE function (appendix D) computed straight from its definition over the
 * whole key set at once. Slow, but shares nothing with the incremental trie apart from RLP, so
 * it is an independent oracle for the root hash.
 */
final class ReferenceTrie {
  private record Item(byte[] nibbles, byte[] value) {}

  private final HashFunction hash;

  ReferenceTrie(HashFunction hash) {
    this.hash = hash;
  }

  byte[] root(Map<byte[], byte[]> entries) {
    List<Item> items = new ArrayList<>();
    entries.forEach((key, value) -> items.add(new Item(nibbles(key), value)));
    return hash.hash(structure(items, 0));
  }

  /** c(J, i): the RLP of the node for items that agree on their first i nibbles. */
  private byte[] structure(List<Item> items, int i) {
    if (items.isEmpty()) {
      return Rlp.EMPTY_STRING;
    }
    if (items.size() == 1) {
      Item only = items.get(0);
      return Rlp.encodeList(Rlp.encodeBytes(hexPrefix(only.nibbles(), i, true)),
          Rlp.encodeBytes(only.value()));
    }
    int shared = sharedLength(items, i);
    if (shared > i) {
      return Rlp.encodeList(Rlp.encodeBytes(hexPrefix(items.get(0).nibbles(), i, shared, false)),
          reference(items, shared));
    }
    List<byte[]> slots = new ArrayList<>();
    byte[] value = new byte[0];
    for (int nibble = 0; nibble < 16; nibble++) {
      List<Item> under = new ArrayList<>();
      for (Item item : items) {
        if (item.nibbles().length > i && item.nibbles()[i] == nibble) {
          under.add(item);
        }
      }
      slots.add(reference(under, i + 1));
    }
    for (Item item : items) {
      if (item.nibbles().length == i) {
        value = item.value();
      }
    }
    slots.add(Rlp.encodeBytes(value));
    return Rlp.encodeList(slots);
  }

  /** n(J, i): a node's encoding if shorter than 32 bytes, else its hash. */
  private byte[] reference(List<Item> items, int i) {
    if (items.isEmpty()) {
      return Rlp.EMPTY_STRING;
    }
    byte[] node = structure(items, i);
    return node.length < 32 ? node : Rlp.encodeBytes(hash.hash(node));
  }

  private static int sharedLength(List<Item> items, int i) {
    byte[] first = items.get(0).nibbles();
    int end = first.length;
    for (Item item : items) {
      int j = i;
      while (j < end && j < item.nibbles().length && item.nibbles()[j] == first[j]) {
        j++;
      }
      end = j;
    }
    return end;
  }

  private static byte[] hexPrefix(byte[] nibbles, int from, boolean leaf) {
    return hexPrefix(nibbles, from, nibbles.length, leaf);
  }

  private static byte[] hexPrefix(byte[] nibbles, int from, int to, boolean leaf) {
    int length = to - from;
    List<Integer> all = new ArrayList<>();
    all.add((leaf ? 2 : 0) + length % 2);
    if (length % 2 == 0) {
      all.add(0);
    }
    for (int k = from; k < to; k++) {
      all.add((int) nibbles[k]);
    }
    byte[] out = new byte[all.size() / 2];
    for (int k = 0; k < out.length; k++) {
      out[k] = (byte) (all.get(2 * k) << 4 | all.get(2 * k + 1));
    }
    return out;
  }

  private static byte[] nibbles(byte[] key) {
    byte[] out = new byte[2 * key.length];
    for (int k = 0; k < key.length; k++) {
      out[2 * k] = (byte) ((key[k] & 0xff) >>> 4);
      out[2 * k + 1] = (byte) (key[k] & 0x0f);
    }
    return out;
  }
}
