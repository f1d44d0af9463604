package io.chorus.crosschain;

import java.util.Optional;

/**
 * The heights a light client verified, as its owner keeps them (the system contract: in its
 * storage, by height). Proofs are checked only against these, never against a root a caller
 * supplies.
 */
@FunctionalInterface
public interface ConsensusStates {
  /** The consensus state verified at {@code height}, if the owner still keeps one. */
  Optional<ConsensusState> at(long height);
}
