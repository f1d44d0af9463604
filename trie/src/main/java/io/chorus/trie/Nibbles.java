package io.chorus.trie;

import java.util.Arrays;

/** Keys as paths of 4-bit nibbles, one nibble per byte, high nibble first. */
final class Nibbles {
  static final byte[] EMPTY = new byte[0];

  private Nibbles() {}

  static byte[] of(byte[] key) {
    byte[] out = new byte[key.length * 2];
    for (int i = 0; i < key.length; i++) {
      out[2 * i] = (byte) ((key[i] >> 4) & 0xf);
      out[2 * i + 1] = (byte) (key[i] & 0xf);
    }
    return out;
  }

  /** Packs an even-length path back into the key bytes. */
  static byte[] toBytes(byte[] nibbles) {
    byte[] out = new byte[nibbles.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((nibbles[2 * i] << 4) | nibbles[2 * i + 1]);
    }
    return out;
  }

  /** How many leading nibbles {@code path} shares with {@code key[from..]}. */
  static int common(byte[] path, byte[] key, int from) {
    int at = Arrays.mismatch(path, 0, path.length, key, from, key.length);
    return at < 0 ? path.length : at;
  }

  /** Whether {@code key[from..]} begins with {@code path}. */
  static boolean startsWith(byte[] key, int from, byte[] path) {
    return key.length - from >= path.length
        && Arrays.equals(path, 0, path.length, key, from, from + path.length);
  }

  /** Whether {@code key[from..]} is exactly {@code path}. */
  static boolean matches(byte[] key, int from, byte[] path) {
    return Arrays.equals(path, 0, path.length, key, from, key.length);
  }

  static byte[] concat(byte[] first, byte[] second) {
    byte[] out = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, out, first.length, second.length);
    return out;
  }

  static byte[] append(byte[] path, int nibble) {
    byte[] out = Arrays.copyOf(path, path.length + 1);
    out[path.length] = (byte) nibble;
    return out;
  }
}
