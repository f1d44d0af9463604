package io.chorus.evm.precompile;

import java.math.BigInteger;

// A point of the bn254 curve y² = x³ + 3 over Fp in Jacobian coordinates: (x/z², y/z³), with
// z = 0 for the point at infinity. The group has prime order, so every curve point is in G1.
record G1Point(Fp x, Fp y, Fp z) {
  static final G1Point INFINITY = new G1Point(Fp.ONE, Fp.ONE, Fp.ZERO);
  private static final Fp B = Fp.of(3);

  // (0, 0) stands for infinity in EVM encodings; null when the point is not on the curve.
  static G1Point fromAffine(Fp x, Fp y) {
    if (x.isZero() && y.isZero()) {
      return INFINITY;
    }
    boolean onCurve = y.square().equals(x.square().mul(x).add(B));
    return onCurve ? new G1Point(x, y, Fp.ONE) : null;
  }

  boolean isInfinity() {
    return z.isZero();
  }

  // dbl-2009-l; a point with y = 0 would have order 2, which this curve has none of.
  G1Point doubled() {
    if (isInfinity()) {
      return this;
    }
    Fp a = x.square();
    Fp b = y.square();
    Fp c = b.square();
    Fp d = x.add(b).square().sub(a).sub(c).twice();
    Fp e = a.twice().add(a);
    Fp x3 = e.square().sub(d.twice());
    Fp y3 = e.mul(d.sub(x3)).sub(c.twice().twice().twice());
    return new G1Point(x3, y3, y.mul(z).twice());
  }

  // add-2007-bl, falling back to doubling when both are the same point.
  G1Point plus(G1Point o) {
    if (isInfinity()) {
      return o;
    }
    if (o.isInfinity()) {
      return this;
    }
    Fp z1z1 = z.square();
    Fp z2z2 = o.z.square();
    Fp u1 = x.mul(z2z2);
    Fp s1 = y.mul(o.z).mul(z2z2);
    Fp h = o.x.mul(z1z1).sub(u1);
    Fp r = o.y.mul(z).mul(z1z1).sub(s1);
    if (h.isZero()) {
      return r.isZero() ? doubled() : INFINITY;
    }
    Fp hh = h.square();
    Fp hhh = h.mul(hh);
    Fp v = u1.mul(hh);
    Fp x3 = r.square().sub(hhh).sub(v.twice());
    Fp y3 = r.mul(v.sub(x3)).sub(s1.mul(hhh));
    return new G1Point(x3, y3, z.mul(o.z).mul(h));
  }

  // Left-to-right double-and-add; the scalar may be any non-negative integer.
  G1Point times(BigInteger k) {
    G1Point result = INFINITY;
    for (int i = k.bitLength() - 1; i >= 0; i--) {
      result = result.doubled();
      if (k.testBit(i)) {
        result = result.plus(this);
      }
    }
    return result;
  }

  // The affine (x, y), or (0, 0) for infinity as the EVM encodes it.
  Fp[] toAffine() {
    if (isInfinity()) {
      return new Fp[] {Fp.ZERO, Fp.ZERO};
    }
    Fp zInverse = z.inverse();
    Fp zInverse2 = zInverse.square();
    return new Fp[] {x.mul(zInverse2), y.mul(zInverse2).mul(zInverse)};
  }
}
