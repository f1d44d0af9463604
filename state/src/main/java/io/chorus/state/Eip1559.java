package io.chorus.state;

import java.math.BigInteger;

/**
 * EIP-1559's base fee: it moves toward keeping blocks half full, by at most 1/8 per block. A
 * chain that runs without fees keeps it at zero.
 */
public final class Eip1559 {
  /** A block may use up to twice its gas target. */
  public static final long ELASTICITY_MULTIPLIER = 2;
  /** The base fee changes by at most 1/8 from one block to the next. */
  public static final long BASE_FEE_MAX_CHANGE_DENOMINATOR = 8;
  /** The base fee of the first block under EIP-1559 rules: 1 gwei. */
  public static final BigInteger INITIAL_BASE_FEE = BigInteger.valueOf(1_000_000_000L);

  private Eip1559() {}

  /** The base fee of the block after one with these figures. */
  public static BigInteger nextBaseFee(long parentGasLimit, long parentGasUsed,
      BigInteger parentBaseFee) {
    long target = parentGasLimit / ELASTICITY_MULTIPLIER;
    if (target == 0 || parentGasUsed == target) {
      return parentBaseFee;
    }
    BigInteger denominator = BigInteger.valueOf(target)
        .multiply(BigInteger.valueOf(BASE_FEE_MAX_CHANGE_DENOMINATOR));
    if (parentGasUsed > target) {
      BigInteger delta = parentBaseFee.multiply(BigInteger.valueOf(parentGasUsed - target))
          .divide(denominator);
      return parentBaseFee.add(delta.max(BigInteger.ONE));
    }
    BigInteger delta = parentBaseFee.multiply(BigInteger.valueOf(target - parentGasUsed))
        .divide(denominator);
    return parentBaseFee.subtract(delta);
  }
}
