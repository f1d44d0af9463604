package io.chorus.evm.precompile;

// The cubic extension Fp2[v]/(v³ - ξ): c0 + c1·v + c2·v².
record Fp6(Fp2 c0, Fp2 c1, Fp2 c2) {
  static final Fp6 ZERO = new Fp6(Fp2.ZERO, Fp2.ZERO, Fp2.ZERO);
  static final Fp6 ONE = new Fp6(Fp2.ONE, Fp2.ZERO, Fp2.ZERO);

  Fp6 add(Fp6 o) {
    return new Fp6(c0.add(o.c0), c1.add(o.c1), c2.add(o.c2));
  }

  Fp6 sub(Fp6 o) {
    return new Fp6(c0.sub(o.c0), c1.sub(o.c1), c2.sub(o.c2));
  }

  Fp6 neg() {
    return new Fp6(c0.neg(), c1.neg(), c2.neg());
  }

  // Karatsuba over three coefficients: six Fp2 products.
  Fp6 mul(Fp6 o) {
    Fp2 t0 = c0.mul(o.c0);
    Fp2 t1 = c1.mul(o.c1);
    Fp2 t2 = c2.mul(o.c2);
    Fp2 r0 = c1.add(c2).mul(o.c1.add(o.c2)).sub(t1).sub(t2).mulByXi().add(t0);
    Fp2 r1 = c0.add(c1).mul(o.c0.add(o.c1)).sub(t0).sub(t1).add(t2.mulByXi());
    Fp2 r2 = c0.add(c2).mul(o.c0.add(o.c2)).sub(t0).sub(t2).add(t1);
    return new Fp6(r0, r1, r2);
  }

  // Chung-Hasan squaring (SQR2): two multiplications and three squarings.
  Fp6 square() {
    Fp2 s0 = c0.square();
    Fp2 s1 = c0.mul(c1).twice();
    Fp2 s2 = c0.sub(c1).add(c2).square();
    Fp2 s3 = c1.mul(c2).twice();
    Fp2 s4 = c2.square();
    return new Fp6(
        s3.mulByXi().add(s0), s4.mulByXi().add(s1), s1.add(s2).add(s3).sub(s0).sub(s4));
  }

  Fp6 mul(Fp2 k) {
    return new Fp6(c0.mul(k), c1.mul(k), c2.mul(k));
  }

  // The product with b0 + b1·v, the shape a line function takes here: five Fp2 products.
  Fp6 mulBy01(Fp2 b0, Fp2 b1) {
    Fp2 t0 = c0.mul(b0);
    Fp2 t1 = c1.mul(b1);
    Fp2 r0 = c2.mul(b1).mulByXi().add(t0);
    Fp2 r1 = c0.add(c1).mul(b0.add(b1)).sub(t0).sub(t1);
    Fp2 r2 = c2.mul(b0).add(t1);
    return new Fp6(r0, r1, r2);
  }

  // Multiplying by v shifts the coefficients, the top one wrapping round through v³ = ξ.
  Fp6 mulByV() {
    return new Fp6(c2.mulByXi(), c0, c1);
  }

  Fp6 inverse() {
    Fp2 t0 = c0.square().sub(c1.mul(c2).mulByXi());
    Fp2 t1 = c2.square().mulByXi().sub(c0.mul(c1));
    Fp2 t2 = c1.square().sub(c0.mul(c2));
    Fp2 determinant = c0.mul(t0).add(c2.mul(t1).add(c1.mul(t2)).mulByXi());
    Fp2 inverse = determinant.inverse();
    return new Fp6(t0.mul(inverse), t1.mul(inverse), t2.mul(inverse));
  }
}
