package io.chorus.consensus;

/**
 * What validators say to each other about one (height, round). Dispatch is by pattern
 * {@code switch} with no {@code default}, so a new kind fails to compile until it is handled.
 */
public sealed interface Message permits Proposal, Prepare, Commit, RoundChange {
  /** The block number being agreed. */
  long height();

  /** The attempt at this height, from 0; each round has its own proposer. */
  int round();
}
