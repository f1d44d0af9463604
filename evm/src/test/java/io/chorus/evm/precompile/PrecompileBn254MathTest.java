package io.chorus.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bn254 arithmetic under the precompiles, checked against definitions rather than vectors:
 * the Montgomery field against BigInteger, the tower's Frobenius against raising to p, the pairing
 * against bilinearity, and the fast G2 subgroup test against multiplication by the group order.
 */
class PrecompileBn254MathTest {
  static final BigInteger R = new BigInteger(
      "21888242871839275222246405745257275088548364400416034343698204186575808495617");
  private static final G1Point G1 = G1Point.fromAffine(Fp.of(1), Fp.of(2));
  private static final G2Point G2 = G2Point.fromAffine(
      new Fp2(fp("1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"),
          fp("198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2")),
      new Fp2(fp("12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"),
          fp("090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b")));

  @Test
  void montgomeryFieldAgreesWithBigInteger() {
    Random random = new Random(7);
    List<BigInteger> values = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE,
        Fp.P.subtract(BigInteger.ONE), Fp.P.subtract(BigInteger.TWO), BigInteger.TWO.pow(253)));
    for (int i = 0; i < 300; i++) {
      values.add(new BigInteger(254, random).mod(Fp.P));
    }
    for (int i = 0; i < values.size(); i++) {
      BigInteger a = values.get(i);
      BigInteger b = values.get((i * 7 + 3) % values.size());
      Fp x = Fp.of(a);
      Fp y = Fp.of(b);
      assertEquals(a, x.toBigInteger());
      assertEquals(a.add(b).mod(Fp.P), x.add(y).toBigInteger());
      assertEquals(a.subtract(b).mod(Fp.P), x.sub(y).toBigInteger());
      assertEquals(a.multiply(b).mod(Fp.P), x.mul(y).toBigInteger());
      assertEquals(a.negate().mod(Fp.P), x.neg().toBigInteger());
      if (a.signum() != 0) {
        assertEquals(a.modInverse(Fp.P), x.inverse().toBigInteger());
      }
    }
  }

  @Test
  void towerFrobeniusIsRaisingToP() {
    Fp12 x = randomFp12(new Random(11));
    assertEquals(pow(x, Fp.P), x.frobenius());
    Fp12 twelfth = x;
    for (int i = 0; i < 12; i++) {
      twelfth = twelfth.frobenius();
    }
    assertEquals(x, twelfth);
  }

  @Test
  void towerInversesAndSquares() {
    Random random = new Random(13);
    for (int i = 0; i < 5; i++) {
      Fp12 x = randomFp12(random);
      Fp12 y = randomFp12(random);
      assertEquals(Fp12.ONE, x.mul(x.inverse()));
      assertEquals(x.mul(x), x.square());
      assertEquals(x.mul(y), y.mul(x));
      assertEquals(x.c0().mul(x.c0()), x.c0().square());
      assertEquals(Fp6.ONE, x.c1().mul(x.c1().inverse()));
    }
  }

  @Test
  void cyclotomicSquaringMatchesSquaringInTheCyclotomicSubgroup() {
    Fp12 x = randomFp12(new Random(37));
    // x^((p⁶ - 1)(p² + 1)), the easy part of the final exponentiation, is in the subgroup.
    Fp12 y = x.conjugate().mul(x.inverse());
    y = y.frobenius().frobenius().mul(y);
    assertEquals(y.square(), y.cyclotomicSquare());
    assertNotEquals(x.square(), x.cyclotomicSquare(), "outside the subgroup it must differ");
  }

  @Test
  void sparseLineProductMatchesTheFullProduct() {
    Random random = new Random(17);
    Fp12 f = randomFp12(random);
    Fp2 l0 = randomFp2(random);
    Fp2 l1 = randomFp2(random);
    Fp2 l3 = randomFp2(random);
    Fp12 line = new Fp12(new Fp6(l0, Fp2.ZERO, Fp2.ZERO), new Fp6(l1, l3, Fp2.ZERO));
    assertEquals(f.mul(line), f.mulByLine(l0, l1, l3));
  }

  @Test
  void pairingIsBilinearAndNonDegenerate() {
    Random random = new Random(19);
    BigInteger a = new BigInteger(250, random);
    BigInteger b = new BigInteger(250, random);
    Fp12 e = pairing(G1, G2);
    assertFalse(e.isOne());
    assertTrue(pow(e, R).isOne(), "e(P, Q) has order r");
    Fp12 eab = pairing(G1.times(a), G2.times(b));
    assertEquals(pow(e, a.multiply(b)), eab);
    assertEquals(eab, pairing(G1.times(a.multiply(b).mod(R)), G2));
    assertTrue(Pairing.pairing(new G1Point[] {G1.times(a), G1.times(R.subtract(a))},
        new G2Point[] {G2, G2}).isOne(), "e(aP, Q)·e(-aP, Q) = 1");
  }

  @Test
  void generatorsHaveOrderR() {
    assertTrue(G1.times(R).isInfinity());
    assertTrue(G2.times(R).isInfinity());
    assertFalse(G1.times(R.subtract(BigInteger.ONE)).isInfinity());
    assertEquals(G1.doubled().toAffine()[0], G1.plus(G1).toAffine()[0]);
  }

  @Test
  void fastSubgroupCheckAgreesWithMultiplicationByR() {
    Random random = new Random(23);
    for (int i = 0; i < 4; i++) {
      G2Point inside = G2.times(new BigInteger(250, random));
      assertTrue(inside.inSubgroup());
    }
    for (int i = 0; i < 4; i++) {
      G2Point outside = twistPoint(random);
      assertFalse(outside.times(R).isInfinity());
      assertFalse(outside.inSubgroup());
      // Clearing the cofactor h = 2p - r lands in G2, which both tests must agree on.
      G2Point cleared = outside.times(Fp.P.shiftLeft(1).subtract(R));
      assertTrue(cleared.times(R).isInfinity());
      assertTrue(cleared.inSubgroup());
    }
  }

  @Test
  void twistPointsOffTheCurveAreRejected() {
    Fp2[] affine = G2.toAffine();
    assertNotNull(G2Point.fromAffine(affine[0], affine[1]));
    assertEquals(null, G2Point.fromAffine(affine[0], affine[1].add(Fp2.ONE)));
    assertNotEquals(null, G2Point.fromAffine(Fp2.ZERO, Fp2.ZERO), "(0, 0) encodes infinity");
  }

  // A point of the twist outside G2: almost every twist point is, as G2 is 1/h of the group.
  static G2Point twistPointOutsideG2() {
    return twistPoint(new Random(29));
  }

  private static G2Point twistPoint(Random random) {
    while (true) {
      Fp2 x = randomFp2(random);
      Fp2 y = sqrt(x.square().mul(x).add(G2Point.B));
      if (y != null) {
        return G2Point.fromAffine(x, y);
      }
    }
  }

  // A square root in Fp2 for p ≡ 3 (mod 4) (Adj and Rodríguez-Henríquez, algorithm 9), checked.
  private static Fp2 sqrt(Fp2 a) {
    BigInteger p = Fp.P;
    Fp2 a1 = a.pow(p.subtract(BigInteger.valueOf(3)).shiftRight(2));
    Fp2 alpha = a1.mul(a1.mul(a));
    Fp2 x0 = a1.mul(a);
    Fp2 minusOne = Fp2.ONE.neg();
    Fp2 root = alpha.equals(minusOne)
        ? new Fp2(Fp.ZERO, Fp.ONE).mul(x0)
        : alpha.add(Fp2.ONE).pow(p.subtract(BigInteger.ONE).shiftRight(1)).mul(x0);
    return root.square().equals(a) ? root : null;
  }

  private static Fp12 pairing(G1Point p, G2Point q) {
    return Pairing.pairing(new G1Point[] {p}, new G2Point[] {q});
  }

  private static Fp12 pow(Fp12 x, BigInteger exponent) {
    Fp12 result = Fp12.ONE;
    for (int i = exponent.bitLength() - 1; i >= 0; i--) {
      result = result.square();
      if (exponent.testBit(i)) {
        result = result.mul(x);
      }
    }
    return result;
  }

  private static Fp12 randomFp12(Random random) {
    return new Fp12(randomFp6(random), randomFp6(random));
  }

  private static Fp6 randomFp6(Random random) {
    return new Fp6(randomFp2(random), randomFp2(random), randomFp2(random));
  }

  private static Fp2 randomFp2(Random random) {
    return new Fp2(Fp.of(new BigInteger(254, random).mod(Fp.P)),
        Fp.of(new BigInteger(254, random).mod(Fp.P)));
  }

  private static Fp fp(String hex) {
    return Fp.of(new BigInteger(hex, 16));
  }
}
