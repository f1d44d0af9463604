package io.chorus.network;

import io.chorus.consensus.ConsensusState;
import java.io.IOException;

/**
 * Makes a validator's consensus state durable. The driver writes through one before any vote
 * that depends on the state; a test puts one in front of the state file to make writes fail.
 */
@FunctionalInterface
public interface StateWriter {
  /** Returns once {@code state} is durable; throws when it may not be. */
  void write(ConsensusState state) throws IOException;
}
