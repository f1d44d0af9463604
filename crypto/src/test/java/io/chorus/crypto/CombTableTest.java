package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The comb's k·A + l·B against BouncyCastle's generic curve arithmetic (the curves of
 * GMNamedCurves and SECNamedCurves, none of the custom field code the comb runs on), for random
 * and edge scalars and for the sums where an addition meets its own point or its negation.
 */
class CombTableTest {
  private static final BigInteger TWO_256 = BigInteger.ONE.shiftLeft(256);

  private record Curves(X9ECParameters fast, X9ECParameters oracle) {
    BigInteger n() {
      return fast.getN();
    }

    ECPoint fastMultipleOfG(BigInteger k) {
      return fast.getG().multiply(k).normalize();
    }

    // The oracle's k·A + l·B, with A and B given as multiples of G.
    ECPoint oracleSum(BigInteger a, BigInteger k, BigInteger b, BigInteger l) {
      ECPoint g = oracle.getG();
      return g.multiply(a.multiply(k).mod(n())).add(g.multiply(b.multiply(l).mod(n())))
          .normalize();
    }
  }

  private static Curves curves(String name) {
    return name.equals("sm2p256v1")
        ? new Curves(CustomNamedCurves.getByName(name), GMNamedCurves.getByName(name))
        : new Curves(CustomNamedCurves.getByName(name), SECNamedCurves.getByName(name));
  }

  private static void assertSum(Curves c, BigInteger a, BigInteger k, BigInteger b,
      BigInteger l) {
    assertSum(c, a, new CombTable(c.fastMultipleOfG(a)), k, b,
        new CombTable(c.fastMultipleOfG(b)), l);
  }

  private static void assertSum(Curves c, BigInteger a, CombTable aTable, BigInteger k,
      BigInteger b, CombTable bTable, BigInteger l) {
    ECPoint sum = CombTable.sumOfTwoMultiplies(aTable, k, bTable, l).normalize();
    ECPoint expected = c.oracleSum(a, k, b, l);
    String what = "a=" + a.toString(16) + " k=" + k.toString(16) + " b=" + b.toString(16)
        + " l=" + l.toString(16);
    assertEquals(expected.isInfinity(), sum.isInfinity(), what);
    if (!expected.isInfinity()) {
      assertEquals(expected.getAffineXCoord().toBigInteger(),
          sum.getAffineXCoord().toBigInteger(), what);
      assertEquals(expected.getAffineYCoord().toBigInteger(),
          sum.getAffineYCoord().toBigInteger(), what);
    }
  }

  private static List<BigInteger> edgeScalars(BigInteger n) {
    List<BigInteger> out = new ArrayList<>(List.of(BigInteger.ZERO, BigInteger.ONE,
        BigInteger.TWO, n.subtract(BigInteger.ONE), n.subtract(BigInteger.TWO),
        BigInteger.ONE.shiftLeft(255), BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE),
        TWO_256.subtract(BigInteger.ONE), n, n.add(BigInteger.ONE)));
    for (int tooth = 0; tooth < 16; tooth++) {
      out.add(BigInteger.ONE.shiftLeft(16 * tooth)); // each tooth's lowest bit alone
      out.add(BigInteger.ONE.shiftLeft(16 * tooth + 15)); // and its highest
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm2p256v1", "secp256k1"})
  void randomSumsMatchTheGenericArithmetic(String name) {
    Curves c = curves(name);
    Random random = new Random(name.hashCode());
    for (int i = 0; i < 60; i++) {
      BigInteger a = new BigInteger(256, random).mod(c.n().subtract(BigInteger.ONE)).add(
          BigInteger.ONE);
      BigInteger b = new BigInteger(256, random).mod(c.n().subtract(BigInteger.ONE)).add(
          BigInteger.ONE);
      assertSum(c, a, new BigInteger(256, random), b, new BigInteger(256, random));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm2p256v1", "secp256k1"})
  void edgeScalarsMatchTheGenericArithmetic(String name) {
    Curves c = curves(name);
    Random random = new Random(7);
    BigInteger a = new BigInteger(255, random);
    BigInteger b = new BigInteger(255, random);
    CombTable aTable = new CombTable(c.fastMultipleOfG(a));
    CombTable bTable = new CombTable(c.fastMultipleOfG(b));
    BigInteger other = new BigInteger(256, random);
    for (BigInteger edge : edgeScalars(c.n())) {
      assertSum(c, a, aTable, edge, b, bTable, other);
      assertSum(c, a, aTable, other, b, bTable, edge);
      assertSum(c, a, aTable, edge, b, bTable, edge);
    }
  }

  // A = B or A = -B: additions inside the comb meet equal and opposite points, so the sum needs
  // BouncyCastle's doubling and infinity cases.
  @ParameterizedTest
  @ValueSource(strings = {"sm2p256v1", "secp256k1"})
  void sumsThroughEqualAndOppositePointsMatch(String name) {
    Curves c = curves(name);
    BigInteger n = c.n();
    Random random = new Random(11);
    for (int i = 0; i < 10; i++) {
      BigInteger a = new BigInteger(255, random).add(BigInteger.ONE);
      BigInteger k = new BigInteger(256, random).mod(n);
      assertSum(c, a, k, a, k); // every column adds the same entry twice
      assertSum(c, a, k, n.subtract(a), k); // 0
      assertSum(c, a, k, a, n.subtract(k)); // 0 again
      assertSum(c, a, k, BigInteger.TWO.multiply(a).mod(n), k);
    }
    assertSum(c, BigInteger.ONE, BigInteger.ONE, n.subtract(BigInteger.ONE), BigInteger.ONE);
  }

  @Test
  void aPointGetsItsTableOnItsSecondUse() {
    ECPoint point = curves("sm2p256v1").fastMultipleOfG(BigInteger.valueOf(123_456_789));
    assertNull(CombTable.ofRepeatedPoint(point));
    CombTable table = CombTable.ofRepeatedPoint(point);
    assertNotNull(table);
    assertSame(table, CombTable.ofRepeatedPoint(point));
    assertTrue(CombTable.sumOfTwoMultiplies(table, BigInteger.ZERO, table, BigInteger.ZERO)
        .isInfinity());
  }
}
