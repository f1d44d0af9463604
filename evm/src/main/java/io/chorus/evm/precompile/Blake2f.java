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

  // Sequential by nature (CALLBlake2f_MaxRounds asks for 2^32 - 1 rounds), so the state lives in
  // sixteen locals and each round's message words are gathered once per schedule row.
  private static void compress(long rounds, long[] h, long[] m, long t0, long t1, boolean last) {
    long[][] schedule = new long[SIGMA.length][16];
    for (int r = 0; r < SIGMA.length; r++) {
      for (int i = 0; i < 16; i++) {
        schedule[r][i] = m[SIGMA[r][i]];
      }
    }
    long v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3], v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
    long v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3];
    long v12 = IV[4] ^ t0, v13 = IV[5] ^ t1, v14 = last ? ~IV[6] : IV[6], v15 = IV[7];
    int row = 0;
    for (long round = 0; round < rounds; round++) {
      long[] x = schedule[row];
      row = row == SIGMA.length - 1 ? 0 : row + 1;
      // G(v0, v4, v8, v12), G(v1, v5, v9, v13), G(v2, v6, v10, v14), G(v3, v7, v11, v15)
      v0 += v4 + x[0]; v12 = Long.rotateRight(v12 ^ v0, 32); v8 += v12;
      v4 = Long.rotateRight(v4 ^ v8, 24); v0 += v4 + x[1]; v12 = Long.rotateRight(v12 ^ v0, 16);
      v8 += v12; v4 = Long.rotateRight(v4 ^ v8, 63);
      v1 += v5 + x[2]; v13 = Long.rotateRight(v13 ^ v1, 32); v9 += v13;
      v5 = Long.rotateRight(v5 ^ v9, 24); v1 += v5 + x[3]; v13 = Long.rotateRight(v13 ^ v1, 16);
      v9 += v13; v5 = Long.rotateRight(v5 ^ v9, 63);
      v2 += v6 + x[4]; v14 = Long.rotateRight(v14 ^ v2, 32); v10 += v14;
      v6 = Long.rotateRight(v6 ^ v10, 24); v2 += v6 + x[5]; v14 = Long.rotateRight(v14 ^ v2, 16);
      v10 += v14; v6 = Long.rotateRight(v6 ^ v10, 63);
      v3 += v7 + x[6]; v15 = Long.rotateRight(v15 ^ v3, 32); v11 += v15;
      v7 = Long.rotateRight(v7 ^ v11, 24); v3 += v7 + x[7]; v15 = Long.rotateRight(v15 ^ v3, 16);
      v11 += v15; v7 = Long.rotateRight(v7 ^ v11, 63);
      // G(v0, v5, v10, v15), G(v1, v6, v11, v12), G(v2, v7, v8, v13), G(v3, v4, v9, v14)
      v0 += v5 + x[8]; v15 = Long.rotateRight(v15 ^ v0, 32); v10 += v15;
      v5 = Long.rotateRight(v5 ^ v10, 24); v0 += v5 + x[9]; v15 = Long.rotateRight(v15 ^ v0, 16);
      v10 += v15; v5 = Long.rotateRight(v5 ^ v10, 63);
      v1 += v6 + x[10]; v12 = Long.rotateRight(v12 ^ v1, 32); v11 += v12;
      v6 = Long.rotateRight(v6 ^ v11, 24); v1 += v6 + x[11]; v12 = Long.rotateRight(v12 ^ v1, 16);
      v11 += v12; v6 = Long.rotateRight(v6 ^ v11, 63);
      v2 += v7 + x[12]; v13 = Long.rotateRight(v13 ^ v2, 32); v8 += v13;
      v7 = Long.rotateRight(v7 ^ v8, 24); v2 += v7 + x[13]; v13 = Long.rotateRight(v13 ^ v2, 16);
      v8 += v13; v7 = Long.rotateRight(v7 ^ v8, 63);
      v3 += v4 + x[14]; v14 = Long.rotateRight(v14 ^ v3, 32); v9 += v14;
      v4 = Long.rotateRight(v4 ^ v9, 24); v3 += v4 + x[15]; v14 = Long.rotateRight(v14 ^ v3, 16);
      v9 += v14; v4 = Long.rotateRight(v4 ^ v9, 63);
    }
    h[0] ^= v0 ^ v8;
    h[1] ^= v1 ^ v9;
    h[2] ^= v2 ^ v10;
    h[3] ^= v3 ^ v11;
    h[4] ^= v4 ^ v12;
    h[5] ^= v5 ^ v13;
    h[6] ^= v6 ^ v14;
    h[7] ^= v7 ^ v15;
  }
}
