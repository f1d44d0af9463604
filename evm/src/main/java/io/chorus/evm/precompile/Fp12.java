package io.chorus.evm.precompile;

import java.math.BigInteger;

// The quadratic extension Fp6[w]/(w² - v): c0 + c1·w, where pairings take their values. As a
// vector over Fp2 its basis is 1, w², w⁴ (in c0) and w, w³, w⁵ (in c1), with w⁶ = ξ.
record Fp12(Fp6 c0, Fp6 c1) {
  static final Fp12 ONE = new Fp12(Fp6.ONE, Fp6.ZERO);

  // ξ^(k(p-1)/6) for k = 0..5: the p-th power map sends g·w^k to conj(g)·ξ^(k(p-1)/6)·w^k.
  static final Fp2[] FROBENIUS = frobeniusCoefficients();

  private static Fp2[] frobeniusCoefficients() {
    BigInteger sixth = Fp.P.subtract(BigInteger.ONE).divide(BigInteger.valueOf(6));
    Fp2 base = Fp2.ONE.mulByXi().pow(sixth);
    Fp2[] coefficients = new Fp2[6];
    coefficients[0] = Fp2.ONE;
    for (int k = 1; k < 6; k++) {
      coefficients[k] = coefficients[k - 1].mul(base);
    }
    return coefficients;
  }

  boolean isOne() {
    return equals(ONE);
  }

  Fp12 mul(Fp12 o) {
    Fp6 t0 = c0.mul(o.c0);
    Fp6 t1 = c1.mul(o.c1);
    Fp6 r1 = c0.add(c1).mul(o.c0.add(o.c1)).sub(t0).sub(t1);
    return new Fp12(t1.mulByV().add(t0), r1);
  }

  // Complex squaring: (c0 + c1·w)² = c0² + v·c1² + 2·c0·c1·w, with two Fp6 products.
  Fp12 square() {
    Fp6 t = c0.mul(c1);
    Fp6 r0 = c0.add(c1).mul(c0.add(c1.mulByV())).sub(t).sub(t.mulByV());
    return new Fp12(r0, t.add(t));
  }

  // The product with a line value l0 + l1·w + l3·w³ (coordinates in Fp2): sparse, so it costs
  // about two thirds of a full product.
  Fp12 mulByLine(Fp2 l0, Fp2 l1, Fp2 l3) {
    Fp6 t0 = c0.mul(l0);
    Fp6 t1 = c1.mulBy01(l1, l3);
    Fp6 r1 = c0.add(c1).mulBy01(l0.add(l1), l3).sub(t0).sub(t1);
    return new Fp12(t1.mulByV().add(t0), r1);
  }

  // The p⁶-th power, and so the inverse of any element of the cyclotomic subgroup.
  Fp12 conjugate() {
    return new Fp12(c0, c1.neg());
  }

  Fp12 inverse() {
    Fp6 inverse = c0.square().sub(c1.square().mulByV()).inverse();
    return new Fp12(c0.mul(inverse), c1.mul(inverse).neg());
  }

  Fp12 frobenius() {
    return new Fp12(
        new Fp6(
            c0.c0().conjugate(),
            c0.c1().conjugate().mul(FROBENIUS[2]),
            c0.c2().conjugate().mul(FROBENIUS[4])),
        new Fp6(
            c1.c0().conjugate().mul(FROBENIUS[1]),
            c1.c1().conjugate().mul(FROBENIUS[3]),
            c1.c2().conjugate().mul(FROBENIUS[5])));
  }
}
