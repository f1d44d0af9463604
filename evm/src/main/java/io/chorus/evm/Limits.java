package io.chorus.evm;

/** The EVM's hard bounds (Cancun). */
public final class Limits {
  /** Frames may nest this deep beyond the transaction's own (the "1024 call depth"). */
  public static final int CALL_DEPTH_MAX = 1024;
  /** EIP-170: the largest code a creation may deposit. */
  public static final int CODE_BYTES_MAX = 24_576;
  /** EIP-3860: the largest initcode. */
  public static final int INITCODE_BYTES_MAX = 2 * CODE_BYTES_MAX;
  /**
   * Memory beyond this many bytes (what one Java array holds) is out of gas: its quadratic price,
   * over 2^43 gas, is beyond any transaction a chain admits.
   */
  static final long MEMORY_BYTES_MAX = (1L << 31) - 32;

  private Limits() {}
}
