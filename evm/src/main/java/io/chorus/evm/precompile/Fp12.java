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

  // Granger and Scott's squaring for the cyclotomic subgroup, where every element is left after
  // the easy part of the final exponentiation; about twice as fast as square(), and wrong
  // anywhere else. Over Fp4 = Fp2(t), t = w³, t² = ξ, the element is A0 + A1·w + A2·w² with
  // A0 = g0 + g3·t, A1 = g1 + g4·t, A2 = g2 + g5·t, and its square is
  // (3A0² - 2Ā0) + (3t·A2² + 2Ā1)·w + (3A1² - 2Ā2)·w², the bar negating t.
  Fp12 cyclotomicSquare() {
    Fp2 g0 = c0.c0();
    Fp2 g2 = c0.c1();
    Fp2 g4 = c0.c2();
    Fp2 g1 = c1.c0();
    Fp2 g3 = c1.c1();
    Fp2 g5 = c1.c2();
    Fp2[] a0 = fp4Square(g0, g3);
    Fp2[] a1 = fp4Square(g1, g4);
    Fp2[] a2 = fp4Square(g2, g5);
    Fp2 h0 = a0[0].sub(g0).twice().add(a0[0]);
    Fp2 h3 = a0[1].add(g3).twice().add(a0[1]);
    Fp2 xiA2 = a2[1].mulByXi();
    Fp2 h1 = xiA2.add(g1).twice().add(xiA2);
    Fp2 h4 = a2[0].sub(g4).twice().add(a2[0]);
    Fp2 h2 = a1[0].sub(g2).twice().add(a1[0]);
    Fp2 h5 = a1[1].add(g5).twice().add(a1[1]);
    return new Fp12(new Fp6(h0, h2, h4), new Fp6(h1, h3, h5));
  }

  // (a + b·t)² = a² + ξ·b² + 2ab·t, as {real, t-part}.
  private static Fp2[] fp4Square(Fp2 a, Fp2 b) {
    Fp2 aa = a.square();
    Fp2 bb = b.square();
    return new Fp2[] {bb.mulByXi().add(aa), a.add(b).square().sub(aa).sub(bb)};
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
