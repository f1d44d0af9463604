package io.chorus.crypto;

/**
 * Keccak-256 as Ethereum uses it (the original Keccak padding, not NIST SHA3-256). The
 * permutation keeps its 25 lanes in locals: KECCAK256 is the EVM's hottest opcode after the
 * arithmetic, and this beats BouncyCastle's array-based KeccakDigest (compare
 * {@code CryptoBenchmark.keccak256Of32Bytes*}), which stays as the test oracle.
 */
public final class Keccak256 implements HashFunction {
  public static final Keccak256 INSTANCE = new Keccak256();

  /** Bytes absorbed per permutation: 1600 bits minus twice the 256-bit output. */
  private static final int RATE = 136;

  private static final long[] ROUND_CONSTANTS = {
      0x0000000000000001L, 0x0000000000008082L, 0x800000000000808AL,
      0x8000000080008000L, 0x000000000000808BL, 0x0000000080000001L,
      0x8000000080008081L, 0x8000000000008009L, 0x000000000000008AL,
      0x0000000000000088L, 0x0000000080008009L, 0x000000008000000AL,
      0x000000008000808BL, 0x800000000000008BL, 0x8000000000008089L,
      0x8000000000008003L, 0x8000000000008002L, 0x8000000000000080L,
      0x000000000000800AL, 0x800000008000000AL, 0x8000000080008081L,
      0x8000000000008080L, 0x0000000080000001L, 0x8000000080008008L};

  private Keccak256() {}

  @Override
  public String name() {
    return "keccak256";
  }

  @Override
  public byte[] hash(byte[] data, int offset, int length) {
    java.util.Objects.checkFromIndexSize(offset, length, data.length);
    long[] state = new long[25];
    int end = offset + length;
    int at = offset;
    for (; end - at >= RATE; at += RATE) {
      for (int i = 0; i < RATE / 8; i++) {
        state[i] ^= littleEndian(data, at + 8 * i);
      }
      permute(state);
    }
    // The last, partial block: whole lanes, then the tail bytes with the 0x01 padding byte, and
    // the 0x80 that closes the rate.
    int lane = 0;
    for (; end - at >= 8; lane++, at += 8) {
      state[lane] ^= littleEndian(data, at);
    }
    long tail = 0;
    int tailBytes = end - at;
    for (int i = 0; i < tailBytes; i++) {
      tail |= (data[at + i] & 0xffL) << (8 * i);
    }
    state[lane] ^= tail ^ (0x01L << (8 * tailBytes));
    state[RATE / 8 - 1] ^= 0x80L << 56;
    permute(state);
    byte[] out = new byte[DIGEST_BYTES];
    for (int word = 0; word < DIGEST_BYTES / 8; word++) {
      long v = state[word];
      for (int i = 0; i < 8; i++) {
        out[8 * word + i] = (byte) (v >>> (8 * i));
      }
    }
    return out;
  }

  private static long littleEndian(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24 | (b[at + 4] & 0xffL) << 32 | (b[at + 5] & 0xffL) << 40
        | (b[at + 6] & 0xffL) << 48 | (b[at + 7] & 0xffL) << 56;
  }

  /**
   * keccak-f[1600]: lane (x, y) is s[x + 5y]. Two rounds per iteration, from the a-lanes to the
   * e-lanes and back, each output row computed from its five ρπ-moved lanes at once so that few
   * values are live at a time; each round is θ, ρ and π, χ, ι.
   */
  static void permute(long[] s) {
    long a00 = s[0], a10 = s[1], a20 = s[2], a30 = s[3], a40 = s[4], a01 = s[5], a11 = s[6], a21 = s[7], a31 = s[8], a41 = s[9], a02 = s[10], a12 = s[11], a22 = s[12], a32 = s[13], a42 = s[14], a03 = s[15], a13 = s[16], a23 = s[17], a33 = s[18], a43 = s[19], a04 = s[20], a14 = s[21], a24 = s[22], a34 = s[23], a44 = s[24];
    long e00, e10, e20, e30, e40, e01, e11, e21, e31, e41, e02, e12, e22, e32, e42, e03, e13, e23, e33, e43, e04, e14, e24, e34, e44;
    long c0, c1, c2, c3, c4, d0, d1, d2, d3, d4, b0, b1, b2, b3, b4;
    for (int round = 0; round < 24; round += 2) {
      c0 = a00 ^ a01 ^ a02 ^ a03 ^ a04;
      c1 = a10 ^ a11 ^ a12 ^ a13 ^ a14;
      c2 = a20 ^ a21 ^ a22 ^ a23 ^ a24;
      c3 = a30 ^ a31 ^ a32 ^ a33 ^ a34;
      c4 = a40 ^ a41 ^ a42 ^ a43 ^ a44;
      d0 = c4 ^ Long.rotateLeft(c1, 1);
      d1 = c0 ^ Long.rotateLeft(c2, 1);
      d2 = c1 ^ Long.rotateLeft(c3, 1);
      d3 = c2 ^ Long.rotateLeft(c4, 1);
      d4 = c3 ^ Long.rotateLeft(c0, 1);
      b0 = a00 ^ d0;
      b1 = Long.rotateLeft(a11 ^ d1, 44);
      b2 = Long.rotateLeft(a22 ^ d2, 43);
      b3 = Long.rotateLeft(a33 ^ d3, 21);
      b4 = Long.rotateLeft(a44 ^ d4, 14);
      e00 = b0 ^ (~b1 & b2);
      e10 = b1 ^ (~b2 & b3);
      e20 = b2 ^ (~b3 & b4);
      e30 = b3 ^ (~b4 & b0);
      e40 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(a30 ^ d3, 28);
      b1 = Long.rotateLeft(a41 ^ d4, 20);
      b2 = Long.rotateLeft(a02 ^ d0, 3);
      b3 = Long.rotateLeft(a13 ^ d1, 45);
      b4 = Long.rotateLeft(a24 ^ d2, 61);
      e01 = b0 ^ (~b1 & b2);
      e11 = b1 ^ (~b2 & b3);
      e21 = b2 ^ (~b3 & b4);
      e31 = b3 ^ (~b4 & b0);
      e41 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(a10 ^ d1, 1);
      b1 = Long.rotateLeft(a21 ^ d2, 6);
      b2 = Long.rotateLeft(a32 ^ d3, 25);
      b3 = Long.rotateLeft(a43 ^ d4, 8);
      b4 = Long.rotateLeft(a04 ^ d0, 18);
      e02 = b0 ^ (~b1 & b2);
      e12 = b1 ^ (~b2 & b3);
      e22 = b2 ^ (~b3 & b4);
      e32 = b3 ^ (~b4 & b0);
      e42 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(a40 ^ d4, 27);
      b1 = Long.rotateLeft(a01 ^ d0, 36);
      b2 = Long.rotateLeft(a12 ^ d1, 10);
      b3 = Long.rotateLeft(a23 ^ d2, 15);
      b4 = Long.rotateLeft(a34 ^ d3, 56);
      e03 = b0 ^ (~b1 & b2);
      e13 = b1 ^ (~b2 & b3);
      e23 = b2 ^ (~b3 & b4);
      e33 = b3 ^ (~b4 & b0);
      e43 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(a20 ^ d2, 62);
      b1 = Long.rotateLeft(a31 ^ d3, 55);
      b2 = Long.rotateLeft(a42 ^ d4, 39);
      b3 = Long.rotateLeft(a03 ^ d0, 41);
      b4 = Long.rotateLeft(a14 ^ d1, 2);
      e04 = b0 ^ (~b1 & b2);
      e14 = b1 ^ (~b2 & b3);
      e24 = b2 ^ (~b3 & b4);
      e34 = b3 ^ (~b4 & b0);
      e44 = b4 ^ (~b0 & b1);
      e00 ^= ROUND_CONSTANTS[round];
      c0 = e00 ^ e01 ^ e02 ^ e03 ^ e04;
      c1 = e10 ^ e11 ^ e12 ^ e13 ^ e14;
      c2 = e20 ^ e21 ^ e22 ^ e23 ^ e24;
      c3 = e30 ^ e31 ^ e32 ^ e33 ^ e34;
      c4 = e40 ^ e41 ^ e42 ^ e43 ^ e44;
      d0 = c4 ^ Long.rotateLeft(c1, 1);
      d1 = c0 ^ Long.rotateLeft(c2, 1);
      d2 = c1 ^ Long.rotateLeft(c3, 1);
      d3 = c2 ^ Long.rotateLeft(c4, 1);
      d4 = c3 ^ Long.rotateLeft(c0, 1);
      b0 = e00 ^ d0;
      b1 = Long.rotateLeft(e11 ^ d1, 44);
      b2 = Long.rotateLeft(e22 ^ d2, 43);
      b3 = Long.rotateLeft(e33 ^ d3, 21);
      b4 = Long.rotateLeft(e44 ^ d4, 14);
      a00 = b0 ^ (~b1 & b2);
      a10 = b1 ^ (~b2 & b3);
      a20 = b2 ^ (~b3 & b4);
      a30 = b3 ^ (~b4 & b0);
      a40 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(e30 ^ d3, 28);
      b1 = Long.rotateLeft(e41 ^ d4, 20);
      b2 = Long.rotateLeft(e02 ^ d0, 3);
      b3 = Long.rotateLeft(e13 ^ d1, 45);
      b4 = Long.rotateLeft(e24 ^ d2, 61);
      a01 = b0 ^ (~b1 & b2);
      a11 = b1 ^ (~b2 & b3);
      a21 = b2 ^ (~b3 & b4);
      a31 = b3 ^ (~b4 & b0);
      a41 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(e10 ^ d1, 1);
      b1 = Long.rotateLeft(e21 ^ d2, 6);
      b2 = Long.rotateLeft(e32 ^ d3, 25);
      b3 = Long.rotateLeft(e43 ^ d4, 8);
      b4 = Long.rotateLeft(e04 ^ d0, 18);
      a02 = b0 ^ (~b1 & b2);
      a12 = b1 ^ (~b2 & b3);
      a22 = b2 ^ (~b3 & b4);
      a32 = b3 ^ (~b4 & b0);
      a42 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(e40 ^ d4, 27);
      b1 = Long.rotateLeft(e01 ^ d0, 36);
      b2 = Long.rotateLeft(e12 ^ d1, 10);
      b3 = Long.rotateLeft(e23 ^ d2, 15);
      b4 = Long.rotateLeft(e34 ^ d3, 56);
      a03 = b0 ^ (~b1 & b2);
      a13 = b1 ^ (~b2 & b3);
      a23 = b2 ^ (~b3 & b4);
      a33 = b3 ^ (~b4 & b0);
      a43 = b4 ^ (~b0 & b1);
      b0 = Long.rotateLeft(e20 ^ d2, 62);
      b1 = Long.rotateLeft(e31 ^ d3, 55);
      b2 = Long.rotateLeft(e42 ^ d4, 39);
      b3 = Long.rotateLeft(e03 ^ d0, 41);
      b4 = Long.rotateLeft(e14 ^ d1, 2);
      a04 = b0 ^ (~b1 & b2);
      a14 = b1 ^ (~b2 & b3);
      a24 = b2 ^ (~b3 & b4);
      a34 = b3 ^ (~b4 & b0);
      a44 = b4 ^ (~b0 & b1);
      a00 ^= ROUND_CONSTANTS[round + 1];
    }
    s[0] = a00; s[1] = a10; s[2] = a20; s[3] = a30; s[4] = a40;
    s[5] = a01; s[6] = a11; s[7] = a21; s[8] = a31; s[9] = a41;
    s[10] = a02; s[11] = a12; s[12] = a22; s[13] = a32; s[14] = a42;
    s[15] = a03; s[16] = a13; s[17] = a23; s[18] = a33; s[19] = a43;
    s[20] = a04; s[21] = a14; s[22] = a24; s[23] = a34; s[24] = a44;
  }
}
