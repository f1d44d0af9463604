package io.chorus.evm.precompile;

import java.math.BigInteger;

// A point of the sextic twist y² = x³ + 3/ξ over Fp2 in Jacobian coordinates (z = 0 is infinity).
// Unlike G1, the twist has a large cofactor: G2 is its subgroup of order r.
record G2Point(Fp2 x, Fp2 y, Fp2 z) {
  static final G2Point INFINITY = new G2Point(Fp2.ONE, Fp2.ONE, Fp2.ZERO);
  static final Fp2 B = Fp2.ONE.mulByXi().inverse().mul(Fp.of(3));

  // The bn254 parameter u: p and r are polynomials in it, and the subgroup check uses it.
  static final BigInteger U = new BigInteger("4965661367192848881");

  // (0, 0) stands for infinity; null when the point is not on the twist.
  static G2Point fromAffine(Fp2 x, Fp2 y) {
    if (x.isZero() && y.isZero()) {
      return INFINITY;
    }
    boolean onCurve = y.square().equals(x.square().mul(x).add(B));
    return onCurve ? new G2Point(x, y, Fp2.ONE) : null;
  }

  boolean isInfinity() {
    return z.isZero();
  }

  // Same formulas as G1Point.doubled, over Fp2.
  G2Point doubled() {
    if (isInfinity()) {
      return this;
    }
    Fp2 a = x.square();
    Fp2 b = y.square();
    Fp2 c = b.square();
    Fp2 d = x.add(b).square().sub(a).sub(c).twice();
    Fp2 e = a.twice().add(a);
    Fp2 x3 = e.square().sub(d.twice());
    Fp2 y3 = e.mul(d.sub(x3)).sub(c.twice().twice().twice());
    return new G2Point(x3, y3, y.mul(z).twice());
  }

  G2Point plus(G2Point o) {
    if (isInfinity()) {
      return o;
    }
    if (o.isInfinity()) {
      return this;
    }
    Fp2 z1z1 = z.square();
    Fp2 z2z2 = o.z.square();
    Fp2 u1 = x.mul(z2z2);
    Fp2 u2 = o.x.mul(z1z1);
    Fp2 s1 = y.mul(o.z).mul(z2z2);
    Fp2 s2 = o.y.mul(z).mul(z1z1);
    Fp2 h = u2.sub(u1);
    Fp2 r = s2.sub(s1);
    if (h.isZero()) {
      return r.isZero() ? doubled() : INFINITY;
    }
    Fp2 hh = h.square();
    Fp2 hhh = h.mul(hh);
    Fp2 v = u1.mul(hh);
    Fp2 x3 = r.square().sub(hhh).sub(v.twice());
    Fp2 y3 = r.mul(v.sub(x3)).sub(s1.mul(hhh));
    return new G2Point(x3, y3, z.mul(o.z).mul(h));
  }

  G2Point times(BigInteger k) {
    G2Point result = INFINITY;
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      result = result.doubled();
      if (k.testBit(i)) {
        result = result.plus(this);
      }
    }
    return result;
  }

  // ψ = untwist, Frobenius, twist: an endomorphism that acts on G2 as multiplication by p.
  // Conjugation is a field automorphism, so it applies to Jacobian coordinates as they are.
  G2Point psi() {
    return new G2Point(
        x.conjugate().mul(Fp12.FROBENIUS[2]), y.conjugate().mul(Fp12.FROBENIUS[3]), z.conjugate());
  }

  // Membership in G2 by El Housni, Guillevic and Piellard's test for BN curves,
  // [u+1]Q + ψ([u]Q) + ψ²([u]Q) = ψ³([2u]Q): a 63-bit multiplication instead of one by r.
  boolean inSubgroup() {
    G2Point uq = times(U);
    G2Point psiUq = uq.psi();
    G2Point left = uq.plus(this).plus(psiUq).plus(psiUq.psi());
    G2Point right = uq.doubled().psi().psi().psi();
    return left.sameAs(right);
  }

  // Equality of the points, whatever their Jacobian scaling.
  boolean sameAs(G2Point o) {
    if (isInfinity() || o.isInfinity()) {
      return isInfinity() == o.isInfinity();
    }
    Fp2 z1z1 = z.square();
    Fp2 z2z2 = o.z.square();
    return x.mul(z2z2).equals(o.x.mul(z1z1))
        && y.mul(o.z).mul(z2z2).equals(o.y.mul(z).mul(z1z1));
  }

  // The affine (x, y) of a finite point.
  Fp2[] toAffine() {
    Fp2 zInverse = z.inverse();
    Fp2 zInverse2 = zInverse.square();
    return new Fp2[] {x.mul(zInverse2), y.mul(zInverse2).mul(zInverse)};
  }
}
