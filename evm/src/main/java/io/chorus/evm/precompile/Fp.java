package io.chorus.evm.precompile;

import java.math.BigInteger;

// An element of the base field of bn254 (alt_bn128), immutable, as four 64-bit limbs (least
// significant first) in Montgomery form a·2²⁵⁶ mod P. BigInteger arithmetic spends most of its
// time allocating and dividing: multiplying this way measured seven times faster, and a pairing
// check is some twenty thousand multiplications.
final class Fp {
  static final BigInteger P = new BigInteger(
      "21888242871839275222246405745257275088696311157297823662689037894645226208583");
  private static final long P0 = P.longValue();
  private static final long P1 = P.shiftRight(64).longValue();
  private static final long P2 = P.shiftRight(128).longValue();
  private static final long P3 = P.shiftRight(192).longValue();
  // -P⁻¹ mod 2⁶⁴: the factor that clears the low limb in each reduction round.
  private static final long INV =
      P.modInverse(BigInteger.ONE.shiftLeft(64)).negate().longValue();
  private static final Fp R2 = limbs(BigInteger.ONE.shiftLeft(512).mod(P));
  private static final Fp RAW_ONE = new Fp(1, 0, 0, 0);

  static final Fp ZERO = new Fp(0, 0, 0, 0);
  static final Fp ONE = of(BigInteger.ONE);

  private final long l0;
  private final long l1;
  private final long l2;
  private final long l3;

  private Fp(long l0, long l1, long l2, long l3) {
    this.l0 = l0;
    this.l1 = l1;
    this.l2 = l2;
    this.l3 = l3;
  }

  // The element of a value in [0, P).
  static Fp of(BigInteger value) {
    return limbs(value).mul(R2);
  }

  static Fp of(long value) {
    return of(BigInteger.valueOf(value));
  }

  private static Fp limbs(BigInteger value) {
    return new Fp(value.longValue(), value.shiftRight(64).longValue(),
        value.shiftRight(128).longValue(), value.shiftRight(192).longValue());
  }

  BigInteger toBigInteger() {
    Fp plain = mul(RAW_ONE);
    byte[] bigEndian = new byte[32];
    long[] limbs = {plain.l3, plain.l2, plain.l1, plain.l0};
    for (int i = 0; i < 32; i++) {
      bigEndian[i] = (byte) (limbs[i / 8] >>> (56 - 8 * (i % 8)));
    }
    return new BigInteger(1, bigEndian);
  }

  boolean isZero() {
    return (l0 | l1 | l2 | l3) == 0;
  }

  // P < 2²⁵⁴, so the sum of two reduced values cannot overflow 256 bits.
  Fp add(Fp o) {
    long s0 = l0 + o.l0;
    long c = carry(l0, o.l0, s0);
    long s1 = l1 + o.l1 + c;
    c = carry(l1, o.l1, s1);
    long s2 = l2 + o.l2 + c;
    c = carry(l2, o.l2, s2);
    return reduceOnce(s0, s1, s2, l3 + o.l3 + c);
  }

  // The difference, plus P when it went negative (mask is all ones then), without branching.
  Fp sub(Fp o) {
    long d0 = l0 - o.l0;
    long b = borrow(l0, o.l0, d0);
    long d1 = l1 - o.l1 - b;
    b = borrow(l1, o.l1, d1);
    long d2 = l2 - o.l2 - b;
    b = borrow(l2, o.l2, d2);
    long d3 = l3 - o.l3 - b;
    long mask = -borrow(l3, o.l3, d3);
    long s0 = d0 + (P0 & mask);
    long c = carry(d0, P0 & mask, s0);
    long s1 = d1 + (P1 & mask) + c;
    c = carry(d1, P1 & mask, s1);
    long s2 = d2 + (P2 & mask) + c;
    c = carry(d2, P2 & mask, s2);
    return new Fp(s0, s1, s2, d3 + (P3 & mask) + c);
  }

  Fp neg() {
    return isZero() ? this : ZERO.sub(this);
  }

  Fp twice() {
    return add(this);
  }

  // Montgomery multiplication, CIOS form without the extra carry word: P's top limb is below
  // 2⁶² (the "no-carry" condition), so the running total always fits four limbs.
  Fp mul(Fp o) {
    long t0 = 0;
    long t1 = 0;
    long t2 = 0;
    long t3 = 0;
    for (int i = 0; i < 4; i++) {
      long bi = i == 0 ? o.l0 : i == 1 ? o.l1 : i == 2 ? o.l2 : o.l3;
      long lo = l0 * bi;
      long s = t0 + lo;
      long a = Math.unsignedMultiplyHigh(l0, bi) + overflow(s, lo);
      t0 = s;
      long m = t0 * INV;
      lo = m * P0;
      long c = Math.unsignedMultiplyHigh(m, P0) + overflow(t0 + lo, lo);
      // Limb j: (a, t_j) = t_j + l_j·bi + a, then (c, t_{j-1}) = t_j + m·P_j + c.
      lo = l1 * bi;
      s = t1 + lo;
      long hi = Math.unsignedMultiplyHigh(l1, bi) + overflow(s, lo);
      t1 = s + a;
      a = hi + overflow(t1, a);
      lo = m * P1;
      s = t1 + lo;
      hi = Math.unsignedMultiplyHigh(m, P1) + overflow(s, lo);
      t0 = s + c;
      c = hi + overflow(t0, c);
      lo = l2 * bi;
      s = t2 + lo;
      hi = Math.unsignedMultiplyHigh(l2, bi) + overflow(s, lo);
      t2 = s + a;
      a = hi + overflow(t2, a);
      lo = m * P2;
      s = t2 + lo;
      hi = Math.unsignedMultiplyHigh(m, P2) + overflow(s, lo);
      t1 = s + c;
      c = hi + overflow(t1, c);
      lo = l3 * bi;
      s = t3 + lo;
      hi = Math.unsignedMultiplyHigh(l3, bi) + overflow(s, lo);
      t3 = s + a;
      a = hi + overflow(t3, a);
      lo = m * P3;
      s = t3 + lo;
      hi = Math.unsignedMultiplyHigh(m, P3) + overflow(s, lo);
      t2 = s + c;
      c = hi + overflow(t2, c);
      t3 = c + a;
    }
    return reduceOnce(t0, t1, t2, t3);
  }

  Fp square() {
    return mul(this);
  }

  // Inversion is rare (affine output, one per pairing): BigInteger's is fast enough.
  Fp inverse() {
    return of(toBigInteger().modInverse(P));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fp f && l0 == f.l0 && l1 == f.l1 && l2 == f.l2 && l3 == f.l3;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(l0 ^ l1 ^ l2 ^ l3);
  }

  @Override
  public String toString() {
    return toBigInteger().toString(16);
  }

  // A value below 2P, reduced to [0, P) by subtracting P unless that borrows. Carries and the
  // choice are computed without branches: they are data-dependent coin flips a CPU mispredicts.
  private static Fp reduceOnce(long v0, long v1, long v2, long v3) {
    long d0 = v0 - P0;
    long b = borrow(v0, P0, d0);
    long d1 = v1 - P1 - b;
    b = borrow(v1, P1, d1);
    long d2 = v2 - P2 - b;
    b = borrow(v2, P2, d2);
    long d3 = v3 - P3 - b;
    long keep = -borrow(v3, P3, d3);
    return new Fp(d0 ^ ((d0 ^ v0) & keep), d1 ^ ((d1 ^ v1) & keep), d2 ^ ((d2 ^ v2) & keep),
        d3 ^ ((d3 ^ v3) & keep));
  }

  // The carry out of sum = x + addend. This compiles to a compare and set, which measured a
  // third faster than the bit formula below; that one also takes a carry in.
  private static long overflow(long sum, long addend) {
    return Long.compareUnsigned(sum, addend) < 0 ? 1 : 0;
  }

  // The carry out of sum = x + y (+ a carry in), from the top bits (Hacker's Delight 2-13).
  private static long carry(long x, long y, long sum) {
    return ((x & y) | ((x | y) & ~sum)) >>> 63;
  }

  // The borrow out of difference = x - y (- a borrow in).
  private static long borrow(long x, long y, long difference) {
    return ((~x & y) | ((~x | y) & difference)) >>> 63;
  }
}
