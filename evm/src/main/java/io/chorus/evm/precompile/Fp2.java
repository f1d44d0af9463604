package io.chorus.evm.precompile;

import java.math.BigInteger;

// The quadratic extension Fp[i]/(i² + 1): a + b·i.
record Fp2(Fp a, Fp b) {
  static final Fp2 ZERO = new Fp2(Fp.ZERO, Fp.ZERO);
  static final Fp2 ONE = new Fp2(Fp.ONE, Fp.ZERO);

  boolean isZero() {
    return a.isZero() && b.isZero();
  }

  Fp2 add(Fp2 o) {
    return new Fp2(a.add(o.a), b.add(o.b));
  }

  Fp2 sub(Fp2 o) {
    return new Fp2(a.sub(o.a), b.sub(o.b));
  }

  Fp2 neg() {
    return new Fp2(a.neg(), b.neg());
  }

  Fp2 twice() {
    return new Fp2(a.twice(), b.twice());
  }

  Fp2 conjugate() {
    return new Fp2(a, b.neg());
  }

  // Karatsuba: three multiplications instead of four.
  Fp2 mul(Fp2 o) {
    Fp v0 = a.mul(o.a);
    Fp v1 = b.mul(o.b);
    return new Fp2(v0.sub(v1), a.add(b).mul(o.a.add(o.b)).sub(v0).sub(v1));
  }

  // (a + bi)² = (a + b)(a - b) + 2ab·i.
  Fp2 square() {
    return new Fp2(a.add(b).mul(a.sub(b)), a.mul(b).twice());
  }

  Fp2 mul(Fp k) {
    return new Fp2(a.mul(k), b.mul(k));
  }

  // ξ = 9 + i is the non-residue the tower is built on: v³ = ξ in Fp6.
  Fp2 mulByXi() {
    Fp a9 = a.twice().twice().twice().add(a);
    Fp b9 = b.twice().twice().twice().add(b);
    return new Fp2(a9.sub(b), b9.add(a));
  }

  // 1/(a + bi) = (a - bi)/(a² + b²); never called on zero.
  Fp2 inverse() {
    Fp normInverse = a.square().add(b.square()).inverse();
    return new Fp2(a.mul(normInverse), b.mul(normInverse).neg());
  }

  Fp2 pow(BigInteger exponent) {
    Fp2 result = ONE;
    for (int i = exponent.bitLength() - 1; i >= 0; i--) {
      result = result.square();
      if (exponent.testBit(i)) {
        result = result.mul(this);
      }
    }
    return result;
  }
}
