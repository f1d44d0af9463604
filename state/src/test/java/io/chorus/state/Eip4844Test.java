package io.chorus.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The blob base fee follows EIP-4844's fake_exponential. Method: fixed points computed outside
 * Java with the EIP's Python, the e^k values they approximate, and a property against the EIP's
 * loop written out again here.
 */
class Eip4844Test {
  private static final long FRACTION = 3_338_477;

  @Test
  void noExcessCostsTheMinimumOfOne() {
    assertEquals(BigInteger.ONE, fee(0));
    assertEquals(BigInteger.ONE, fee(1));
  }

  @Test
  void feeApproximatesEToTheExcessOverTheFraction() {
    assertEquals(BigInteger.valueOf(2), fee(FRACTION)); // e = 2.718...
    assertEquals(BigInteger.valueOf(7), fee(2 * FRACTION)); // e^2 = 7.389...
    assertEquals(BigInteger.valueOf(22_026), fee(10 * FRACTION)); // e^10 = 22026.46...
    assertEquals(new BigInteger("26881171418145248466094636047260812877840124"),
        fee(100 * FRACTION));
  }

  @Test
  void feeFirstReachesTwoAtTheExpectedExcess() {
    // ln 2 · 3338477 = 2314058.3; the series' truncation lands exactly on 2314058.
    assertEquals(BigInteger.ONE, fee(2_314_057));
    assertEquals(BigInteger.TWO, fee(2_314_058));
  }

  @Test
  void oneBlockAtTargetLeavesTheFeeAtOne() {
    // Three blobs (the target) of excess after one full block.
    assertEquals(BigInteger.ONE, fee(3 * Eip4844.GAS_PER_BLOB));
    assertEquals(131_072, Eip4844.GAS_PER_BLOB);
  }

  @Property(tries = 200)
  void matchesTheEipFormula(@ForAll @LongRange(min = 0, max = 200_000_000L) long excess) {
    assertEquals(fakeExponential(BigInteger.ONE, BigInteger.valueOf(excess),
        BigInteger.valueOf(FRACTION)), fee(excess));
  }

  @Property(tries = 100)
  void neverFallsAsExcessGrows(@ForAll @LongRange(min = 0, max = 100_000_000L) long excess,
      @ForAll @LongRange(min = 0, max = 10_000_000L) long more) {
    assertTrue(fee(excess + more).compareTo(fee(excess)) >= 0);
  }

  private static BigInteger fee(long excess) {
    return Eip4844.blobBaseFee(BigInteger.valueOf(excess));
  }

  /** EIP-4844's fake_exponential(factor, numerator, denominator), line for line. */
  private static BigInteger fakeExponential(BigInteger factor, BigInteger numerator,
      BigInteger denominator) {
    BigInteger i = BigInteger.ONE;
    BigInteger output = BigInteger.ZERO;
    BigInteger numeratorAccum = factor.multiply(denominator);
    while (numeratorAccum.signum() > 0) {
      output = output.add(numeratorAccum);
      numeratorAccum = numeratorAccum.multiply(numerator).divide(denominator.multiply(i));
      i = i.add(BigInteger.ONE);
    }
    return output.divide(denominator);
  }
}
