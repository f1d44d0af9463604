package io.chorus.evm.precompile;

import java.math.BigInteger;

// The optimal ate pairing on bn254: a Miller loop over 6u + 2 shared by all pairs, then one final
// exponentiation to the power (p¹² - 1)/r. Lines are evaluated up to factors in Fp2, which the
// final exponentiation sends to 1, so no step needs an inversion.
final class Pairing {
  // The signed binary (NAF) digits of 6u + 2, most significant first: fewer additions.
  private static final int[] LOOP = nonAdjacentForm(G2Point.U.multiply(BigInteger.valueOf(6))
      .add(BigInteger.TWO));
  private static final int[] U_DIGITS = nonAdjacentForm(G2Point.U);

  private Pairing() {}

  // The product of e(P_i, Q_i), taking e = 1 where either point is at infinity.
  static Fp12 pairing(G1Point[] g1, G2Point[] g2) {
    Line[] lines = new Line[g1.length];
    int count = 0;
    for (int i = 0; i < g1.length; i++) {
      if (!g1[i].isInfinity() && !g2[i].isInfinity()) {
        lines[count++] = new Line(g1[i].toAffine(), g2[i].toAffine());
      }
    }
    return count == 0 ? Fp12.ONE : finalExponentiation(millerLoop(lines, count));
  }

  private static Fp12 millerLoop(Line[] lines, int count) {
    Fp12 f = Fp12.ONE;
    for (int i = 1; i < LOOP.length; i++) {
      f = f.square();
      for (int j = 0; j < count; j++) {
        f = lines[j].doubling(f);
      }
      if (LOOP[i] != 0) {
        for (int j = 0; j < count; j++) {
          Line line = lines[j];
          f = line.addition(f, line.qx, LOOP[i] > 0 ? line.qy : line.qyNegated);
        }
      }
    }
    // The optimal ate pairing's two closing lines, through π(Q) and then -π²(Q).
    for (int j = 0; j < count; j++) {
      Line line = lines[j];
      Fp2 x1 = line.qx.conjugate().mul(Fp12.FROBENIUS[2]);
      Fp2 y1 = line.qy.conjugate().mul(Fp12.FROBENIUS[3]);
      Fp2 x2 = x1.conjugate().mul(Fp12.FROBENIUS[2]);
      Fp2 y2 = y1.conjugate().mul(Fp12.FROBENIUS[3]);
      f = line.addition(f, x1, y1);
      f = line.addition(f, x2, y2.neg());
    }
    return f;
  }

  // f^((p¹² - 1)/r) = f^((p⁶ - 1)(p² + 1)) ^ ((p⁴ - p² + 1)/r). The hard part uses its base-p
  // digits λ0 + λ1·p + λ2·p² + λ3·p³, each a polynomial in u, so only three exponentiations by
  // the 63-bit u remain (Scott et al., "On the final exponentiation for calculating pairings").
  private static Fp12 finalExponentiation(Fp12 f) {
    Fp12 easy = f.conjugate().mul(f.inverse());
    easy = easy.frobenius().frobenius().mul(easy);
    // In the cyclotomic subgroup now: inverses are conjugates.
    Fp12 a = powU(easy);
    Fp12 b = powU(a);
    Fp12 c = powU(b);
    Fp12 a6 = a.cyclotomicSquare().mul(a).cyclotomicSquare();
    Fp12 a12 = a6.cyclotomicSquare();
    Fp12 a18 = a12.mul(a6);
    Fp12 b6 = b.cyclotomicSquare().mul(b).cyclotomicSquare();
    Fp12 b12 = b6.cyclotomicSquare();
    Fp12 b18 = b12.mul(b6);
    Fp12 b30 = b18.mul(b12);
    Fp12 c4 = c.cyclotomicSquare().cyclotomicSquare();
    Fp12 c36 = c4.cyclotomicSquare().cyclotomicSquare().cyclotomicSquare().mul(c4);
    // λ0 = -36u³ - 30u² - 18u - 2, λ1 = -36u³ - 18u² - 12u + 1, λ2 = 6u² + 1, λ3 = 1.
    Fp12 y0 = c36.mul(b30).mul(a18).mul(easy.cyclotomicSquare()).conjugate();
    Fp12 y1 = c36.mul(b18).mul(a12).conjugate().mul(easy);
    Fp12 y2 = b6.mul(easy);
    return y0.mul(y1.frobenius())
        .mul(y2.frobenius().frobenius())
        .mul(easy.frobenius().frobenius().frobenius());
  }

  // f^u for f in the cyclotomic subgroup, where a digit -1 costs no more than 1: f⁻¹ = f̄.
  private static Fp12 powU(Fp12 f) {
    Fp12 inverse = f.conjugate();
    Fp12 result = f;
    for (int i = 1; i < U_DIGITS.length; i++) {
      result = result.cyclotomicSquare();
      if (U_DIGITS[i] != 0) {
        result = result.mul(U_DIGITS[i] > 0 ? f : inverse);
      }
    }
    return result;
  }

  private static int[] nonAdjacentForm(BigInteger k) {
    int[] digits = new int[k.bitLength() + 1];
    int length = 0;
    while (k.signum() > 0) {
      int digit = k.testBit(0) ? 2 - (k.intValue() & 3) : 0;
      k = k.subtract(BigInteger.valueOf(digit)).shiftRight(1);
      digits[length++] = digit;
    }
    int[] mostSignificantFirst = new int[length];
    for (int i = 0; i < length; i++) {
      mostSignificantFirst[i] = digits[length - 1 - i];
    }
    return mostSignificantFirst;
  }

  // One pair's running point T (Jacobian, on the twist) and the fixed P and Q it works with. Each
  // step moves T and multiplies f by the line it went along, evaluated at P.
  private static final class Line {
    private final Fp px;
    private final Fp py;
    private final Fp2 qx;
    private final Fp2 qy;
    private final Fp2 qyNegated;
    private Fp2 tx;
    private Fp2 ty;
    private Fp2 tz;

    Line(Fp[] p, Fp2[] q) {
      px = p[0];
      py = p[1];
      qx = q[0];
      qy = q[1];
      qyNegated = qy.neg();
      tx = qx;
      ty = qy;
      tz = Fp2.ONE;
    }

    // The tangent at T, scaled by 2YZ³ (T = (X, Y, Z)) to clear its denominators.
    Fp12 doubling(Fp12 f) {
      Fp2 a = tx.square();
      Fp2 b = ty.square();
      Fp2 c = b.square();
      Fp2 d = tx.add(b).square().sub(a).sub(c).twice();
      Fp2 e = a.twice().add(a);
      Fp2 zz = tz.square();
      Fp2 z3 = ty.mul(tz).twice();
      Fp2 l0 = z3.mul(zz).mul(py);
      Fp2 l1 = e.mul(zz).mul(px).neg();
      Fp2 l3 = e.mul(tx).sub(b.twice());
      Fp2 x3 = e.square().sub(d.twice());
      ty = e.mul(d.sub(x3)).sub(c.twice().twice().twice());
      tx = x3;
      tz = z3;
      return f.mulByLine(l0, l1, l3);
    }

    // The chord through T and the affine point (x2, y2), scaled by T's new Z to clear its
    // denominators.
    Fp12 addition(Fp12 f, Fp2 x2, Fp2 y2) {
      Fp2 zz = tz.square();
      Fp2 h = x2.mul(zz).sub(tx);
      Fp2 r = y2.mul(tz).mul(zz).sub(ty);
      Fp2 hh = h.square();
      Fp2 hhh = h.mul(hh);
      Fp2 v = tx.mul(hh);
      Fp2 x3 = r.square().sub(hhh).sub(v.twice());
      Fp2 y3 = r.mul(v.sub(x3)).sub(ty.mul(hhh));
      Fp2 z3 = tz.mul(h);
      Fp2 l0 = z3.mul(py);
      Fp2 l1 = r.mul(px).neg();
      Fp2 l3 = r.mul(x2).sub(z3.mul(y2));
      tx = x3;
      ty = y3;
      tz = z3;
      return f.mulByLine(l0, l1, l3);
    }
  }
}
