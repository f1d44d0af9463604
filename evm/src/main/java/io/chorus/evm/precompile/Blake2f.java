package io.chorus.evm.precompile;

// 0x09: the BLAKE2b compression function F (EIP-152, RFC 7693 section 3.2), so contracts can
// verify Zcash and other BLAKE2b-based proofs. Input: rounds(4, big-endian) h(64) m(128) t(16)
// f(1), the words little-endian; one gas per round.
final class Blake2f implements Precompile {
  private static final int INPUT_BYTES = 213;

  private static final long[] IV = {
      0x6a09e667f3bcc908L, 0xbb67ae8584caa73bL, 0x3c6ef372fe94f82bL, 0xa54ff53a5f1d36f1L,
      0x510e527fade682d1L, 0x9b05688c2b3e6c1fL, 0x1f83d9abfb41bd6bL, 0x5be0cd19137e2179L};

  // The message word permutation of each round; round i uses row i mod 10.
  private static final byte[][] SIGMA = {
      {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
      {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
      {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
      {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
      {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
      {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
      {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
      {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
      {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
      {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0}};

  // Malformed input costs nothing here: the call fails and forfeits its gas anyway.
  @Override
  public long gas(byte[] input) {
    return input.length == INPUT_BYTES ? rounds(input) : 0;
  }

  @Override
  public byte[] run(byte[] input) {
    if (input.length != INPUT_BYTES || (input[212] & 0xff) > 1) {
      return null;
    }
    long[] h = new long[8];
    long[] m = new long[16];
    for (int i = 0; i < 8; i++) {
      h[i] = littleEndian(input, 4 + 8 * i);
    }
    for (int i = 0; i < 16; i++) {
      m[i] = littleEndian(input, 68 + 8 * i);
    }
    compress(rounds(input), h, m, littleEndian(input, 196), littleEndian(input, 204),
        input[212] == 1);
    byte[] out = new byte[64];
    for (int i = 0; i < 8; i++) {
      for (int b = 0; b < 8; b++) {
        out[8 * i + b] = (byte) (h[i] >>> (8 * b));
      }
    }
    return out;
  }

  private static long rounds(byte[] input) {
    return ((input[0] & 0xffL) << 24) | ((input[1] & 0xff) << 16) | ((input[2] & 0xff) << 8)
        | (input[3] & 0xff);
  }

  private static long littleEndian(byte[] input, int offset) {
    long value = 0;
    for (int b = 7; b >= 0; b--) {
      value = (value << 8) | (input[offset + b] & 0xff);
    }
    return value;
  }

  private static void compress(long rounds, long[] h, long[] m, long t0, long t1, boolean last) {
    long[] v = new long[16];
    System.arraycopy(h, 0, v, 0, 8);
    System.arraycopy(IV, 0, v, 8, 8);
    v[12] ^= t0;
    v[13] ^= t1;
    if (last) {
      v[14] = ~v[14];
    }
    for (long round = 0; round < rounds; round++) {
      byte[] s = SIGMA[(int) (round % 10)];
      mix(v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
      mix(v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
      mix(v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
      mix(v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
      mix(v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
      mix(v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
      mix(v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
      mix(v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++) {
      h[i] ^= v[i] ^ v[i + 8];
    }
  }

  // The mixing function G.
  private static void mix(long[] v, int a, int b, int c, int d, long x, long y) {
    v[a] += v[b] + x;
    v[d] = Long.rotateRight(v[d] ^ v[a], 32);
    v[c] += v[d];
    v[b] = Long.rotateRight(v[b] ^ v[c], 24);
    v[a] += v[b] + y;
    v[d] = Long.rotateRight(v[d] ^ v[a], 16);
    v[c] += v[d];
    v[b] = Long.rotateRight(v[b] ^ v[c], 63);
  }
}
