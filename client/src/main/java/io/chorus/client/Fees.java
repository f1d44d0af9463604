package io.chorus.client;

import java.math.BigInteger;

/** EIP-1559 fee fields for a transaction. */
public record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
  public Fees {
    if (maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
      throw new IllegalArgumentException("the priority fee " + maxPriorityFeePerGas
          + " exceeds the max fee " + maxFeePerGas);
    }
  }
}
