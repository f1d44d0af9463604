package io.chorus.trie;

/**
 * Hex-prefix encoding (Yellow Paper, appendix C): a nibble path and a leaf flag packed into bytes.
 * The first nibble holds the flags (2 = leaf, 1 = odd length); an even path pads it with a zero
 * nibble so the rest stays byte-aligned.
 */
final class HexPrefix {
  private HexPrefix() {}

  /** A decoded path and whether it ends in a leaf. */
  record Path(byte[] nibbles, boolean leaf) {}

  static byte[] encode(byte[] nibbles, boolean leaf) {
    boolean odd = (nibbles.length & 1) == 1;
    int flags = (leaf ? 2 : 0) | (odd ? 1 : 0);
    byte[] out = new byte[nibbles.length / 2 + 1];
    out[0] = (byte) ((flags << 4) | (odd ? nibbles[0] : 0));
    for (int i = odd ? 1 : 0, o = 1; o < out.length; i += 2, o++) {
      out[o] = (byte) ((nibbles[i] << 4) | nibbles[i + 1]);
    }
    return out;
  }

  /** Decodes a path, accepting only the canonical form (zero padding nibble). */
  static Path decode(byte[] encoded) {
    if (encoded.length == 0) {
      throw new IllegalArgumentException("hex-prefix path is empty");
    }
    int flags = (encoded[0] >> 4) & 0xf;
    if (flags > 3) {
      throw new IllegalArgumentException("hex-prefix flag nibble " + flags + " is not 0 to 3");
    }
    boolean odd = (flags & 1) == 1;
    if (!odd && (encoded[0] & 0xf) != 0) {
      throw new IllegalArgumentException("hex-prefix padding nibble of an even path is not 0");
    }
    byte[] nibbles = new byte[2 * (encoded.length - 1) + (odd ? 1 : 0)];
    int n = 0;
    if (odd) {
      nibbles[n++] = (byte) (encoded[0] & 0xf);
    }
    for (int i = 1; i < encoded.length; i++) {
      nibbles[n++] = (byte) ((encoded[i] >> 4) & 0xf);
      nibbles[n++] = (byte) (encoded[i] & 0xf);
    }
    return new Path(nibbles, flags >= 2);
  }
}
