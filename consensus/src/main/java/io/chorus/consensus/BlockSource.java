package io.chorus.consensus;

/**
 * The application behind the core (the node's chain; the simulator's blobs). Payloads are opaque
 * to the core. Calls are synchronous and must be deterministic for a given chain state and time:
 * the source reads no clock, it is handed the driver's.
 */
public interface BlockSource {
  /** Whether there are transactions to propose: the proposer then waits the busy interval. */
  boolean hasWork(long height);

  /**
   * The earliest time, in this validator's clock, at which the block at this height may be
   * proposed ({@link Long#MIN_VALUE}: no earlier bound than the core's own intervals). The node
   * uses it to keep block timestamps rising without running far ahead of the clock; validators
   * start counting round 0's timeout from the later of it ({@code withWork} false) and the block
   * interval, so a proposer waiting for it is not replaced.
   *
   * @param withWork whether the block would carry transactions
   */
  default long proposeNotBeforeMillis(long height, boolean withWork) {
    return Long.MIN_VALUE;
  }

  /** A new block to propose at this height and round (may be empty of transactions). */
  byte[] build(long height, int round, long nowMillis);

  /**
   * Whether a peer's block is acceptable at this height (re-executes it in the node) when this
   * validator's clock reads {@code nowMillis}.
   */
  boolean validate(long height, byte[] payload, long nowMillis);

  /** The block's digest (its hash in the node): 1 to {@link Limits#DIGEST_BYTES_MAX} bytes. */
  byte[] digest(byte[] payload);
}
