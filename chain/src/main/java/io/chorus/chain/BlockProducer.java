package io.chorus.chain;

/**
 * What decides the next block. The dev node runs {@link DevBlockProducer}; a BFT network runs
 * its consensus engine in its place. Either one builds on and commits to the same
 * {@link Blockchain}, so the ledger does not change with it.
 */
public interface BlockProducer extends AutoCloseable {
  /** Starts producing in the background. */
  void start();

  /** Stops producing and waits for a block in progress to finish. */
  @Override
  void close();
}
