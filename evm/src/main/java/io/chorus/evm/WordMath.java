package io.chorus.evm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The EVM's 256-bit arithmetic on the interpreter's flat stack: a word at offset {@code o} of
 * {@code s} is the four limbs {@code s[o]} (most significant) .. {@code s[o+3]} (least
 * significant), as in {@link Word}. Nothing here allocates: this is the interpreter's hot path.
 *
 * <p>Binary operations take the first operand at {@code a} (the top of the stack, the Yellow
 * Paper's μs[0]) and the second at {@code b} (μs[1]) and write the result over {@code b}, leaving
 * {@code a} as it was. Unary operations work in place at {@code a}; ADDMOD and MULMOD take
 * μs[0..2] at {@code a}, {@code b}, {@code n} and write over {@code n}. Signed operations read
 * words as two's complement. Division by zero gives zero, as the EVM defines it.
 */
public final class WordMath {
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private WordMath() {}

  /** a + b mod 2^256. */
  public static void add(long[] s, int a, int b) {
    long x = s[a + 3], y = s[b + 3], r = x + y;
    long c = carry(x, y, r);
    s[b + 3] = r;
    x = s[a + 2];
    y = s[b + 2];
    r = x + y + c;
    c = carry(x, y, r);
    s[b + 2] = r;
    x = s[a + 1];
    y = s[b + 1];
    r = x + y + c;
    c = carry(x, y, r);
    s[b + 1] = r;
    s[b] = s[a] + s[b] + c;
  }

  /** a − b mod 2^256. */
  public static void sub(long[] s, int a, int b) {
    long x = s[a + 3], y = s[b + 3], r = x - y;
    long c = borrow(x, y, r);
    s[b + 3] = r;
    x = s[a + 2];
    y = s[b + 2];
    r = x - y - c;
    c = borrow(x, y, r);
    s[b + 2] = r;
    x = s[a + 1];
    y = s[b + 1];
    r = x - y - c;
    c = borrow(x, y, r);
    s[b + 1] = r;
    s[b] = s[a] - s[b] - c;
  }

  /** a · b mod 2^256. */
  public static void mul(long[] s, int a, int b) {
    multiply(s, a, b, b);
  }

  /** a / b, rounding down; 0 when b = 0. */
  public static void div(long[] s, int a, int b) {
    if (!isZeroAt(s, b)) {
      WordDivision.divide(s[a], s[a + 1], s[a + 2], s[a + 3], 0, 0, 0, 0, 4,
          s[b], s[b + 1], s[b + 2], s[b + 3], false, s, b);
    }
  }

  /** a mod b; 0 when b = 0. */
  public static void mod(long[] s, int a, int b) {
    if (!isZeroAt(s, b)) {
      WordDivision.divide(s[a], s[a + 1], s[a + 2], s[a + 3], 0, 0, 0, 0, 4,
          s[b], s[b + 1], s[b + 2], s[b + 3], true, s, b);
    }
  }

  /**
   * Signed a / b, truncating toward zero; 0 when b = 0. The one overflow, −2^255 / −1, wraps to
   * −2^255.
   */
  public static void sdiv(long[] s, int a, int b) {
    signedDivide(s, a, b, false);
  }

  /** Signed a mod b: the remainder of truncating division, with the sign of a; 0 when b = 0. */
  public static void smod(long[] s, int a, int b) {
    signedDivide(s, a, b, true);
  }

  /** (a + b) mod n over the full 257-bit sum; 0 when n = 0. */
  public static void addMod(long[] s, int a, int b, int n) {
    if (isZeroAt(s, n)) {
      return;
    }
    long x = s[a + 3], y = s[b + 3], r0 = x + y;
    long c = carry(x, y, r0);
    x = s[a + 2];
    y = s[b + 2];
    long r1 = x + y + c;
    c = carry(x, y, r1);
    x = s[a + 1];
    y = s[b + 1];
    long r2 = x + y + c;
    c = carry(x, y, r2);
    x = s[a];
    y = s[b];
    long r3 = x + y + c;
    c = carry(x, y, r3);
    WordDivision.divide(c, r3, r2, r1, r0, 0, 0, 0, 5,
        s[n], s[n + 1], s[n + 2], s[n + 3], true, s, n);
  }

  /** (a · b) mod n over the full 512-bit product; 0 when n = 0. */
  public static void mulMod(long[] s, int a, int b, int n) {
    if (isZeroAt(s, n)) {
      return;
    }
    long a3 = s[a], a2 = s[a + 1], a1 = s[a + 2], a0 = s[a + 3];
    long b3 = s[b], b2 = s[b + 1], b1 = s[b + 2], b0 = s[b + 3];
    // Schoolbook by rows of a·b_i: p3..p0 accumulates the high part, and each row's lowest limb
    // is final and shifts into l3..l0.
    long p3 = 0, p2 = 0, p1 = 0, p0 = 0, l3 = 0, l2 = 0, l1 = 0, l0 = 0;
    for (int i = 0; i < 4; i++) {
      long bi = b0;
      b0 = b1;
      b1 = b2;
      b2 = b3;
      // (p3..p0) + a·bi, limb by limb; x·y plus two limbs never overflows 128 bits.
      long lo = a0 * bi;
      long t0 = lo + p0;
      long c = Math.unsignedMultiplyHigh(a0, bi) + carry(lo, p0, t0);
      lo = a1 * bi;
      long t = lo + c;
      c = Math.unsignedMultiplyHigh(a1, bi) + carry(lo, c, t);
      long t1 = t + p1;
      c += carry(t, p1, t1);
      lo = a2 * bi;
      t = lo + c;
      c = Math.unsignedMultiplyHigh(a2, bi) + carry(lo, c, t);
      long t2 = t + p2;
      c += carry(t, p2, t2);
      lo = a3 * bi;
      t = lo + c;
      c = Math.unsignedMultiplyHigh(a3, bi) + carry(lo, c, t);
      long t3 = t + p3;
      p3 = c + carry(t, p3, t3);
      p2 = t3;
      p1 = t2;
      p0 = t1;
      l0 = l1;
      l1 = l2;
      l2 = l3;
      l3 = t0;
    }
    WordDivision.divide(p3, p2, p1, p0, l3, l2, l1, l0, 8,
        s[n], s[n + 1], s[n + 2], s[n + 3], true, s, n);
  }

  /** a^b mod 2^256, by left-to-right square-and-multiply. */
  public static void exp(long[] s, int a, int b) {
    long e3 = s[b], e2 = s[b + 1], e1 = s[b + 2], e0 = s[b + 3];
    int bits = 256 - numberOfLeadingZeros(e3, e2, e1, e0);
    if (bits == 0) {
      setLong(s, b, 1);
      return;
    }
    // The top bit is 1: start from the base, then square per bit and multiply per set bit.
    System.arraycopy(s, a, s, b, 4);
    for (int i = bits - 2; i >= 0; i--) {
      multiply(s, b, b, b);
      long limb = i >= 192 ? e3 : i >= 128 ? e2 : i >= 64 ? e1 : e0;
      if ((limb >>> i & 1) != 0) { // the shift distance is taken mod 64
        multiply(s, a, b, b);
      }
    }
  }

  /**
   * SIGNEXTEND: with a = k and b = x, extends the sign bit of byte k of x (k = 0 is the least
   * significant byte) over all higher bytes; x is unchanged when k ≥ 31, however large k is.
   */
  public static void signExtend(long[] s, int a, int b) {
    if ((s[a] | s[a + 1] | s[a + 2]) != 0 || Long.compareUnsigned(s[a + 3], 31) >= 0) {
      return;
    }
    int signBit = 8 * (int) s[a + 3] + 7;
    int limb = b + 3 - (signBit >>> 6);
    int up = 63 - (signBit & 63);
    long v = s[limb] << up >> up; // arithmetic shift copies the sign bit up
    s[limb] = v;
    long fill = v >> 63;
    for (int i = b; i < limb; i++) {
      s[i] = fill;
    }
  }

  /** a < b, unsigned: 1 or 0. */
  public static void lt(long[] s, int a, int b) {
    setLong(s, b, less(s, a, b, 0));
  }

  /** a > b, unsigned: 1 or 0. */
  public static void gt(long[] s, int a, int b) {
    setLong(s, b, less(s, b, a, 0));
  }

  /** a < b, signed: 1 or 0. */
  public static void slt(long[] s, int a, int b) {
    setLong(s, b, less(s, a, b, Long.MIN_VALUE));
  }

  /** a > b, signed: 1 or 0. */
  public static void sgt(long[] s, int a, int b) {
    setLong(s, b, less(s, b, a, Long.MIN_VALUE));
  }

  /** a = b: 1 or 0. */
  public static void eq(long[] s, int a, int b) {
    setLong(s, b, equalsAt(s, a, b) ? 1 : 0);
  }

  /** In place at a: 1 if the word is zero, else 0. */
  public static void isZero(long[] s, int a) {
    setLong(s, a, isZeroAt(s, a) ? 1 : 0);
  }

  public static void and(long[] s, int a, int b) {
    s[b] &= s[a];
    s[b + 1] &= s[a + 1];
    s[b + 2] &= s[a + 2];
    s[b + 3] &= s[a + 3];
  }

  public static void or(long[] s, int a, int b) {
    s[b] |= s[a];
    s[b + 1] |= s[a + 1];
    s[b + 2] |= s[a + 2];
    s[b + 3] |= s[a + 3];
  }

  public static void xor(long[] s, int a, int b) {
    s[b] ^= s[a];
    s[b + 1] ^= s[a + 1];
    s[b + 2] ^= s[a + 2];
    s[b + 3] ^= s[a + 3];
  }

  /** In place at a: the bitwise complement. */
  public static void not(long[] s, int a) {
    s[a] = ~s[a];
    s[a + 1] = ~s[a + 1];
    s[a + 2] = ~s[a + 2];
    s[a + 3] = ~s[a + 3];
  }

  /** BYTE: with a = i and b = x, byte i of x from the most significant (i = 0); 0 if i ≥ 32. */
  public static void byteAt(long[] s, int a, int b) {
    long i = s[a + 3];
    if ((s[a] | s[a + 1] | s[a + 2]) != 0 || Long.compareUnsigned(i, 32) >= 0) {
      setLong(s, b, 0);
    } else {
      setLong(s, b, s[b + (int) (i >>> 3)] >>> (56 - 8 * (i & 7)) & 0xff);
    }
  }

  /** SHL: b shifted left by a bits; 0 when a ≥ 256. */
  public static void shl(long[] s, int a, int b) {
    int shift = shiftAmount(s, a);
    if (shift == 256) {
      setLong(s, b, 0);
      return;
    }
    int bits = shift & 63, rs = 63 - bits; // (x >>> 1) >>> rs is x >>> (64 - bits), 0 for bits == 0
    long x3 = s[b], x2 = s[b + 1], x1 = s[b + 2], x0 = s[b + 3];
    x3 = x3 << bits | (x2 >>> 1) >>> rs;
    x2 = x2 << bits | (x1 >>> 1) >>> rs;
    x1 = x1 << bits | (x0 >>> 1) >>> rs;
    x0 <<= bits;
    for (int i = shift >>> 6; i > 0; i--) {
      x3 = x2;
      x2 = x1;
      x1 = x0;
      x0 = 0;
    }
    s[b] = x3;
    s[b + 1] = x2;
    s[b + 2] = x1;
    s[b + 3] = x0;
  }

  /** SHR: b shifted right by a bits, filling with zeros; 0 when a ≥ 256. */
  public static void shr(long[] s, int a, int b) {
    shiftRight(s, b, shiftAmount(s, a), 0);
  }

  /** SAR: b shifted right by a bits, copying the sign bit; 0 or all ones when a ≥ 256. */
  public static void sar(long[] s, int a, int b) {
    shiftRight(s, b, shiftAmount(s, a), s[b] >> 63);
  }

  public static boolean isZeroAt(long[] s, int o) {
    return (s[o] | s[o + 1] | s[o + 2] | s[o + 3]) == 0;
  }

  public static boolean equalsAt(long[] s, int a, int b) {
    return ((s[a] ^ s[b]) | (s[a + 1] ^ s[b + 1]) | (s[a + 2] ^ s[b + 2]) | (s[a + 3] ^ s[b + 3]))
        == 0;
  }

  /** The minimal big-endian byte length of the word: 0 for zero (EXP charges gas per byte). */
  public static int byteLength(long[] s, int o) {
    return (256 - numberOfLeadingZeros(s[o], s[o + 1], s[o + 2], s[o + 3]) + 7) >>> 3;
  }

  /** The word as a long if it is below 2^63, else {@link Long#MAX_VALUE}: for offsets and sizes. */
  public static long toLongSaturated(long[] s, int o) {
    long low = s[o + 3];
    return (s[o] | s[o + 1] | s[o + 2]) != 0 || low < 0 ? Long.MAX_VALUE : low;
  }

  /** Writes an unsigned 64-bit value as a word. */
  public static void setLong(long[] s, int o, long unsignedValue) {
    s[o] = 0;
    s[o + 1] = 0;
    s[o + 2] = 0;
    s[o + 3] = unsignedValue;
  }

  /**
   * Reads {@code len} (0 to 32) big-endian bytes at {@code src[off]} as a word, left-padded with
   * zeros: PUSHn and CALLDATALOAD.
   */
  public static void fromBytes(byte[] src, int off, int len, long[] s, int o) {
    int end = off + len;
    for (int i = o + 3; i >= o; i--) {
      if (end - off >= 8) {
        end -= 8;
        s[i] = (long) BIG_ENDIAN_LONG.get(src, end);
      } else {
        long v = 0;
        for (int j = off; j < end; j++) {
          v = v << 8 | (src[j] & 0xff);
        }
        s[i] = v;
        end = off;
      }
    }
  }

  /** Writes the word as 32 big-endian bytes at {@code dst[off]}. */
  public static void toBytes(long[] s, int o, byte[] dst, int off) {
    BIG_ENDIAN_LONG.set(dst, off, s[o]);
    BIG_ENDIAN_LONG.set(dst, off + 8, s[o + 1]);
    BIG_ENDIAN_LONG.set(dst, off + 16, s[o + 2]);
    BIG_ENDIAN_LONG.set(dst, off + 24, s[o + 3]);
  }

  /** The carry out of x + y (+ a carry in) = r: 0 or 1. */
  static long carry(long x, long y, long r) {
    return ((x & y) | ((x | y) & ~r)) >>> 63;
  }

  /** The borrow out of x − y (− a borrow in) = r: 0 or 1. */
  static long borrow(long x, long y, long r) {
    return ((~x & y) | ((~x | y) & r)) >>> 63;
  }

  /** Shifts the word at o right by 0 ≤ shift ≤ 256 bits, shifting in {@code fill} (0 or −1). */
  private static void shiftRight(long[] s, int o, int shift, long fill) {
    if (shift == 256) {
      s[o] = fill;
      s[o + 1] = fill;
      s[o + 2] = fill;
      s[o + 3] = fill;
      return;
    }
    int bits = shift & 63, ls = 63 - bits; // (x << 1) << ls is x << (64 - bits), 0 for bits == 0
    long x3 = s[o], x2 = s[o + 1], x1 = s[o + 2], x0 = s[o + 3];
    x0 = x0 >>> bits | (x1 << 1) << ls;
    x1 = x1 >>> bits | (x2 << 1) << ls;
    x2 = x2 >>> bits | (x3 << 1) << ls;
    x3 = x3 >>> bits | (fill << 1) << ls;
    for (int i = shift >>> 6; i > 0; i--) {
      x0 = x1;
      x1 = x2;
      x2 = x3;
      x3 = fill;
    }
    s[o] = x3;
    s[o + 1] = x2;
    s[o + 2] = x1;
    s[o + 3] = x0;
  }

  /** s[out] = x · y mod 2^256; out may be x or y, as every limb is read before any is written. */
  private static void multiply(long[] s, int x, int y, int out) {
    long a3 = s[x], a2 = s[x + 1], a1 = s[x + 2], a0 = s[x + 3];
    long b3 = s[y], b2 = s[y + 1], b1 = s[y + 2], b0 = s[y + 3];
    boolean smallB = (b3 | b2 | b1) == 0;
    if (smallB || (a3 | a2 | a1) == 0) {
      // One factor fits in a limb, as constants mostly do: a single row of products.
      long m = smallB ? b0 : a0;
      long w1 = smallB ? a1 : b1, w2 = smallB ? a2 : b2, w3 = smallB ? a3 : b3;
      long w0 = smallB ? a0 : b0;
      long c = Math.unsignedMultiplyHigh(w0, m);
      long lo = w1 * m;
      long r1 = lo + c;
      c = Math.unsignedMultiplyHigh(w1, m) + carry(lo, c, r1);
      lo = w2 * m;
      long r2 = lo + c;
      c = Math.unsignedMultiplyHigh(w2, m) + carry(lo, c, r2);
      s[out] = w3 * m + c;
      s[out + 1] = r2;
      s[out + 2] = r1;
      s[out + 3] = w0 * m;
      return;
    }
    // Schoolbook by rows, keeping only the products that reach the low four limbs. A carry limb
    // never overflows: x·y plus two limbs fits in 128 bits.
    long r0 = a0 * b0;
    long c = Math.unsignedMultiplyHigh(a0, b0);
    long lo = a1 * b0;
    long r1 = lo + c;
    c = Math.unsignedMultiplyHigh(a1, b0) + carry(lo, c, r1);
    lo = a2 * b0;
    long r2 = lo + c;
    c = Math.unsignedMultiplyHigh(a2, b0) + carry(lo, c, r2);
    long r3 = a3 * b0 + c;
    lo = a0 * b1;
    long t = r1 + lo;
    c = Math.unsignedMultiplyHigh(a0, b1) + carry(r1, lo, t);
    r1 = t;
    lo = a1 * b1;
    t = lo + c;
    long hi = Math.unsignedMultiplyHigh(a1, b1) + carry(lo, c, t);
    lo = r2 + t;
    hi += carry(r2, t, lo);
    r2 = lo;
    r3 += a2 * b1 + hi;
    lo = a0 * b2;
    t = r2 + lo;
    c = Math.unsignedMultiplyHigh(a0, b2) + carry(r2, lo, t);
    r2 = t;
    r3 += a1 * b2 + c + a0 * b3;
    s[out] = r3;
    s[out + 1] = r2;
    s[out + 2] = r1;
    s[out + 3] = r0;
  }

  /**
   * 1 if x < y else 0, from the borrow out of x − y. {@code topFlip} = {@link Long#MIN_VALUE}
   * flips both sign bits, turning the unsigned comparison into a signed one.
   */
  private static long less(long[] s, int x, int y, long topFlip) {
    long p = s[x + 3], q = s[y + 3];
    long b = borrow(p, q, p - q);
    p = s[x + 2];
    q = s[y + 2];
    b = borrow(p, q, p - q - b);
    p = s[x + 1];
    q = s[y + 1];
    b = borrow(p, q, p - q - b);
    p = s[x] ^ topFlip;
    q = s[y] ^ topFlip;
    return borrow(p, q, p - q - b);
  }

  private static void signedDivide(long[] s, int a, int b, boolean remainder) {
    if (isZeroAt(s, b)) {
      return;
    }
    // Divide magnitudes: conditional two's complement negation, (x ^ m) + 1 when m = −1.
    long ma = s[a] >> 63, mb = s[b] >> 63;
    long c = ma & 1;
    long x0 = (s[a + 3] ^ ma) + c;
    c &= x0 == 0 ? 1 : 0;
    long x1 = (s[a + 2] ^ ma) + c;
    c &= x1 == 0 ? 1 : 0;
    long x2 = (s[a + 1] ^ ma) + c;
    c &= x2 == 0 ? 1 : 0;
    long x3 = (s[a] ^ ma) + c;
    c = mb & 1;
    long y0 = (s[b + 3] ^ mb) + c;
    c &= y0 == 0 ? 1 : 0;
    long y1 = (s[b + 2] ^ mb) + c;
    c &= y1 == 0 ? 1 : 0;
    long y2 = (s[b + 1] ^ mb) + c;
    c &= y2 == 0 ? 1 : 0;
    long y3 = (s[b] ^ mb) + c;
    WordDivision.divide(x3, x2, x1, x0, 0, 0, 0, 0, 4, y3, y2, y1, y0, remainder, s, b);
    // The quotient is negative when the signs differ; the remainder takes the dividend's sign.
    if ((remainder ? ma : ma ^ mb) != 0) {
      negate(s, b);
    }
  }

  private static void negate(long[] s, int o) {
    long x = s[o + 3];
    long b = x != 0 ? 1 : 0;
    s[o + 3] = -x;
    x = s[o + 2];
    s[o + 2] = -x - b;
    b |= x != 0 ? 1 : 0;
    x = s[o + 1];
    s[o + 1] = -x - b;
    b |= x != 0 ? 1 : 0;
    s[o] = -s[o] - b;
  }

  /** The shift distance at a, or 256 for any distance of 256 or more. */
  private static int shiftAmount(long[] s, int a) {
    long low = s[a + 3];
    return (s[a] | s[a + 1] | s[a + 2]) != 0 || Long.compareUnsigned(low, 256) >= 0
        ? 256
        : (int) low;
  }

  private static int numberOfLeadingZeros(long x3, long x2, long x1, long x0) {
    return x3 != 0 ? Long.numberOfLeadingZeros(x3)
        : x2 != 0 ? 64 + Long.numberOfLeadingZeros(x2)
        : x1 != 0 ? 128 + Long.numberOfLeadingZeros(x1)
        : 192 + Long.numberOfLeadingZeros(x0);
  }
}
