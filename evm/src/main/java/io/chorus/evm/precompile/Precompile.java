package io.chorus.evm.precompile;

/**
 * A contract implemented natively at a fixed low address. The interpreter charges
 * {@link #gas(byte[])} first; if the caller's gas covers it, {@link #run(byte[])} produces the
 * output. A precompile never throws on any input: failures are a null result.
 */
public interface Precompile {

  /** The gas this input costs (saturating at {@link Long#MAX_VALUE}). */
  long gas(byte[] input);

  /** The output, or null when the input is invalid: the call fails and consumes all its gas. */
  byte[] run(byte[] input);
}
