package io.chorus.evm;

/**
 * Unsigned division of up to 512 bits by up to 256 bits without allocating: Knuth's algorithm D
 * (TAOCP vol. 2, 4.3.1) on 64-bit limbs, with each quotient digit estimated by the
 * reciprocal-based 2-by-1 and 3-by-2 divisions of Möller and Granlund ("Improved division by
 * invariant integers", IEEE Trans. Computers, 2011), so the loop multiplies instead of dividing.
 *
 * <p>Everything lives in locals: the dividend in eight used as a shift register, the divisor and
 * the partial remainder in four each. A divisor of n limbs is kept "top-aligned" (shifted up so
 * its highest bit is bit 255), which lets one loop serve every n from 2 to 4: the limbs below the
 * divisor stay zero throughout.
 */
final class WordDivision {
  /** ⌊(2^19 − 3·2^8) / d9⌋ for the top nine bits d9 of a normalised divisor, 256 ≤ d9 < 512. */
  private static final short[] RECIPROCAL_TABLE = new short[256];

  static {
    for (int i = 0; i < 256; i++) {
      RECIPROCAL_TABLE[i] = (short) (0x7fd00 / (0x100 | i));
    }
  }

  private WordDivision() {}

  /**
   * Divides the dividend in the top {@code m} limbs of {@code x7..x0} (most significant first; the
   * limbs below are zero) by the nonzero {@code y3..y0}, and writes the quotient (its low 256 bits)
   * or the remainder at {@code s[o..o+3]}.
   */
  static void divide(
      long x7, long x6, long x5, long x4, long x3, long x2, long x1, long x0, int m,
      long y3, long y2, long y1, long y0, boolean remainder, long[] s, int o) {
    while (m > 0 && x7 == 0) { // drop leading zero limbs
      x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = x0; x0 = 0;
      m--;
    }
    int n = y3 != 0 ? 4 : y2 != 0 ? 3 : y1 != 0 ? 2 : 1;
    if (m < n) { // dividend < divisor
      if (!remainder) {
        WordMath.setLong(s, o, 0);
        return;
      }
      for (int i = m; i < 4; i++) { // the dividend is the remainder, moved down to four limbs
        x4 = x5; x5 = x6; x6 = x7; x7 = 0;
      }
      s[o] = x7;
      s[o + 1] = x6;
      s[o + 2] = x5;
      s[o + 3] = x4;
      return;
    }
    if (m == 1) { // both fit in a long: the hardware divides
      long v = remainder ? Long.remainderUnsigned(x7, y0) : Long.divideUnsigned(x7, y0);
      WordMath.setLong(s, o, v);
      return;
    }
    // Normalise: shift both so the divisor's top bit is set; the dividend spills into a 9th limb.
    int sh = Long.numberOfLeadingZeros(n == 4 ? y3 : n == 3 ? y2 : n == 2 ? y1 : y0);
    int rs = 63 - sh; // (x >>> 1) >>> rs is x >>> (64 - sh), and 0 when sh == 0; likewise <<
    long spill = (x7 >>> 1) >>> rs;
    x7 = x7 << sh | (x6 >>> 1) >>> rs;
    x6 = x6 << sh | (x5 >>> 1) >>> rs;
    x5 = x5 << sh | (x4 >>> 1) >>> rs;
    x4 = x4 << sh | (x3 >>> 1) >>> rs;
    x3 = x3 << sh | (x2 >>> 1) >>> rs;
    x2 = x2 << sh | (x1 >>> 1) >>> rs;
    x1 = x1 << sh | (x0 >>> 1) >>> rs;
    x0 <<= sh;
    long d3 = y3 << sh | (y2 >>> 1) >>> rs;
    long d2 = y2 << sh | (y1 >>> 1) >>> rs;
    long d1 = y1 << sh | (y0 >>> 1) >>> rs;
    long d0 = y0 << sh;
    for (int i = n; i < 4; i++) {
      d3 = d2; d2 = d1; d1 = d0; d0 = 0;
    }
    if (spill == 0 && Long.compareUnsigned(x7, d3) < 0) {
      // The top quotient digit would be 0: start the partial remainder one limb lower.
      spill = x7;
      x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = x0;
      m--;
    }
    long q3 = 0, q2 = 0, q1 = 0, q0 = 0;
    if (n == 1) {
      long v = reciprocal(d3);
      long r = spill; // < d3: the spill has fewer than 64 - sh bits, or passed the test above
      for (int i = m; i > 0; i--) {
        long u = x7;
        x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = x0;
        // Möller–Granlund algorithm 4: (r, u) / d3. Its first correction is a coin toss on
        // random data, so it is done with a mask rather than a branch.
        long lo = v * r;
        long sum = lo + u;
        long hi = Math.unsignedMultiplyHigh(v, r) + r + 1
            + (Long.compareUnsigned(sum, lo) < 0 ? 1 : 0);
        long rem = u - hi * d3;
        long mask = Long.compareUnsigned(rem, sum) > 0 ? -1 : 0;
        hi += mask;
        rem += d3 & mask;
        if (Long.compareUnsigned(rem, d3) >= 0) { // rare
          hi++;
          rem -= d3;
        }
        r = rem;
        q3 = q2; q2 = q1; q1 = q0; q0 = hi;
      }
      if (remainder) {
        WordMath.setLong(s, o, r >>> sh);
        return;
      }
    } else {
      long v = reciprocal3by2(d3, d2);
      // The partial remainder r3..r0 (top-aligned, like the divisor) starts as the top n limbs
      // of the dividend, which are below the divisor because the spill is below its top limb.
      long r3 = spill, r2 = x7, r1 = 0, r0 = 0;
      x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = x0;
      if (n > 2) {
        r1 = x7;
        x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = x0;
      }
      if (n > 3) {
        r0 = x7;
        x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = x0;
      }
      for (int i = m + 1 - n; i > 0; i--) {
        // Bring down the next dividend limb: the window w4..w0 is n + 1 limbs, top-aligned.
        long u = x7;
        x7 = x6; x6 = x5; x5 = x4; x4 = x3; x3 = x2; x2 = x1; x1 = x0;
        long w4 = r3, w3 = r2, w2 = n == 2 ? u : r1, w1 = n == 3 ? u : r0, w0 = n == 4 ? u : 0;
        long q;
        long over = 0; // a carry out of w3, possible only in the q̂ = β−1 case
        if (w4 == d3 && w3 == d2) {
          // Knuth's q̂ = β−1 case (only for n > 2), and here it is exact: (w4, w3, w2) less
          // (β−1)·(d3, d2) is (d3, d2) + w2, which may carry out of 128 bits.
          q = -1;
          long sum = w2 + d2;
          w3 = d3 + WordMath.carry(w2, d2, sum);
          over = WordMath.carry(d3, 0, w3);
          w2 = sum;
        } else {
          // Möller–Granlund algorithm 5: (w4, w3, w2) / (d3, d2), remainder into (w3, w2).
          long ql = v * w4;
          long sum = ql + w3;
          q = Math.unsignedMultiplyHigh(v, w4) + w4 + (Long.compareUnsigned(sum, ql) < 0 ? 1 : 0);
          ql = sum;
          long t0 = d2 * q;
          long hi = w3 - q * d3 - Math.unsignedMultiplyHigh(d2, q)
              - (Long.compareUnsigned(w2, t0) < 0 ? 1 : 0);
          long lo = w2 - t0;
          hi -= d3 + (Long.compareUnsigned(lo, d2) < 0 ? 1 : 0);
          lo -= d2;
          q++;
          if (Long.compareUnsigned(hi, ql) >= 0) {
            q--;
            lo += d2;
            hi += d3 + (Long.compareUnsigned(lo, d2) < 0 ? 1 : 0);
          }
          if (Long.compareUnsigned(hi, d3) > 0 || (hi == d3 && Long.compareUnsigned(lo, d2) >= 0)) {
            q++;
            hi -= d3 + (Long.compareUnsigned(lo, d2) < 0 ? 1 : 0);
            lo -= d2;
          }
          w3 = hi;
          w2 = lo;
        }
        if (n > 2) {
          // Subtract q·(d1, d0) from the low limbs. q was exact for the top three limbs, so it is
          // now at most one too big: then the window went negative, and D is added back.
          long p0 = q * d0;
          long c = Math.unsignedMultiplyHigh(q, d0);
          long m1 = q * d1;
          long p1 = m1 + c;
          long p2 = Math.unsignedMultiplyHigh(q, d1) + WordMath.carry(m1, c, p1);
          long z = w0 - p0;
          long b = WordMath.borrow(w0, p0, z);
          w0 = z;
          z = w1 - p1 - b;
          b = WordMath.borrow(w1, p1, z);
          w1 = z;
          z = w2 - p2 - b;
          b = WordMath.borrow(w2, p2, z);
          w2 = z;
          z = w3 - b;
          b = WordMath.borrow(w3, 0, z);
          w3 = z;
          if (b > over) {
            q--;
            z = w0 + d0;
            c = WordMath.carry(w0, d0, z);
            w0 = z;
            z = w1 + d1 + c;
            c = WordMath.carry(w1, d1, z);
            w1 = z;
            z = w2 + d2 + c;
            c = WordMath.carry(w2, d2, z);
            w2 = z;
            w3 += d3 + c;
          }
        }
        r3 = w3;
        r2 = w2;
        r1 = w1;
        r0 = w0;
        q3 = q2; q2 = q1; q1 = q0; q0 = q;
      }
      if (remainder) { // undo the normalisation and the top alignment
        r0 = r0 >>> sh | (r1 << 1) << rs;
        r1 = r1 >>> sh | (r2 << 1) << rs;
        r2 = r2 >>> sh | (r3 << 1) << rs;
        r3 >>>= sh;
        for (int i = n; i < 4; i++) {
          r0 = r1; r1 = r2; r2 = r3; r3 = 0;
        }
        s[o] = r3;
        s[o + 1] = r2;
        s[o + 2] = r1;
        s[o + 3] = r0;
        return;
      }
    }
    s[o] = q3;
    s[o + 1] = q2;
    s[o + 2] = q1;
    s[o + 3] = q0;
  }

  /**
   * ⌊(β²−1)/d⌋ − β for a normalised d: Möller–Granlund algorithm 2, a table lookup refined by
   * Newton steps. Java has no 128-by-64-bit division, and this needs no loop nor any hardware
   * divide, whose speed varies widely between processors.
   */
  private static long reciprocal(long d) {
    long v0 = RECIPROCAL_TABLE[(int) (d >>> 55) - 256];
    long d40 = (d >>> 24) + 1;
    long v1 = (v0 << 11) - (v0 * v0 * d40 >>> 40) - 1;
    long v2 = (v1 << 13) + (v1 * (0x1000000000000000L - v1 * d40) >>> 47);
    long d0 = d & 1;
    long d63 = (d >>> 1) + d0; // ⌈d/2⌉
    long e = ((v2 >>> 1) & -d0) - v2 * d63;
    long v3 = (Math.unsignedMultiplyHigh(v2, e) >>> 1) + (v2 << 31);
    long lo = v3 * d;
    long hi = Math.unsignedMultiplyHigh(v3, d) + (Long.compareUnsigned(lo + d, lo) < 0 ? 1 : 0);
    return v3 - hi - d;
  }

  /** ⌊(β³−1)/(d1·β + d0)⌋ − β for a normalised d1: Möller–Granlund algorithm 6. */
  private static long reciprocal3by2(long d1, long d0) {
    long v = reciprocal(d1);
    long p = d1 * v + d0;
    if (Long.compareUnsigned(p, d0) < 0) {
      v--;
      if (Long.compareUnsigned(p, d1) >= 0) {
        v--;
        p -= d1;
      }
      p -= d1;
    }
    long t1 = Math.unsignedMultiplyHigh(v, d0);
    long t0 = v * d0;
    p += t1;
    if (Long.compareUnsigned(p, t1) < 0) {
      v--;
      if (Long.compareUnsigned(p, d1) > 0 || (p == d1 && Long.compareUnsigned(t0, d0) >= 0)) {
        v--;
      }
    }
    return v;
  }
}
