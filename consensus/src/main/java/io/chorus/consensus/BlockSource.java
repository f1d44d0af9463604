package io.chorus.consensus;

/**
 * The application behind the core (the node's chain; the simulator's blobs). Payloads are opaque
 * to the core. Calls are synchronous and must be deterministic for a given chain state.
 */
public interface BlockSource {
  /** Whether there are transactions to propose: the proposer then waits the busy interval. */
  boolean hasWork(long height);

  /** A new block to propose at this height and round (may be empty of transactions). */
  byte[] build(long height, int round, long nowMillis);

  /** Whether a peer's block is acceptable at this height (re-executes it in the node). */
  boolean validate(long height, byte[] payload);

  /** The block's digest (its hash in the node): 1 to {@link Limits#DIGEST_BYTES_MAX} bytes. */
  byte[] digest(byte[] payload);
}
