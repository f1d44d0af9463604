package io.chorus.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The EIP-1559 base fee rule on the EIP's own cases (a full block raises it by 1/8, an empty
 * one lowers it by 1/8, a half-full one keeps it) and its bounds on any block.
 */
class Eip1559Test {
  private static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);

  @Test
  void fullHalfAndEmptyBlocks() {
    assertEquals(BigInteger.valueOf(1_125_000_000L),
        Eip1559.nextBaseFee(30_000_000, 30_000_000, GWEI));
    assertEquals(GWEI, Eip1559.nextBaseFee(30_000_000, 15_000_000, GWEI));
    assertEquals(BigInteger.valueOf(875_000_000L), Eip1559.nextBaseFee(30_000_000, 0, GWEI));
    // A just-over-target block still raises the fee by at least one wei.
    assertEquals(BigInteger.valueOf(8),
        Eip1559.nextBaseFee(30_000_000, 15_000_001, BigInteger.valueOf(7)));
    assertEquals(BigInteger.ZERO, Eip1559.nextBaseFee(30_000_000, 0, BigInteger.ZERO));
  }

  @Property
  void changesByAtMostAnEighth(@ForAll @LongRange(min = 1, max = 500_000_000L) long gasTarget,
      @ForAll @LongRange(min = 0, max = 1_000_000_000L) long gasUsedRaw,
      @ForAll @LongRange(min = 1, max = Long.MAX_VALUE) long baseFee) {
    long gasLimit = gasTarget * Eip1559.ELASTICITY_MULTIPLIER;
    long gasUsed = gasUsedRaw % (gasLimit + 1);
    BigInteger parent = BigInteger.valueOf(baseFee);
    BigInteger next = Eip1559.nextBaseFee(gasLimit, gasUsed, parent);
    BigInteger eighth = parent.divide(BigInteger.valueOf(8));
    assertTrue(next.compareTo(parent.add(eighth.max(BigInteger.ONE))) <= 0,
        next + " vs " + parent);
    assertTrue(next.compareTo(parent.subtract(eighth)) >= 0, next + " vs " + parent);
    assertTrue(next.signum() >= 0);
  }
}
