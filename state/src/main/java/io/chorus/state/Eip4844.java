package io.chorus.state;

import java.math.BigInteger;

/** EIP-4844 blob gas: constants and the blob base fee of a block's excess blob gas. */
public final class Eip4844 {
  public static final long GAS_PER_BLOB = 131_072;
  public static final int MAX_BLOBS_PER_BLOCK = 6;
  private static final BigInteger MIN_BLOB_BASE_FEE = BigInteger.ONE;
  private static final BigInteger BLOB_BASE_FEE_UPDATE_FRACTION = BigInteger.valueOf(3_338_477);

  private Eip4844() {}

  /** The blob gas price: MIN_BLOB_BASE_FEE · e^(excess / UPDATE_FRACTION), by Taylor series. */
  public static BigInteger blobBaseFee(BigInteger excessBlobGas) {
    BigInteger i = BigInteger.ONE;
    BigInteger output = BigInteger.ZERO;
    BigInteger accumulator = MIN_BLOB_BASE_FEE.multiply(BLOB_BASE_FEE_UPDATE_FRACTION);
    while (accumulator.signum() > 0) {
      output = output.add(accumulator);
      accumulator = accumulator.multiply(excessBlobGas)
          .divide(BLOB_BASE_FEE_UPDATE_FRACTION.multiply(i));
      i = i.add(BigInteger.ONE);
    }
    return output.divide(BLOB_BASE_FEE_UPDATE_FRACTION);
  }
}
