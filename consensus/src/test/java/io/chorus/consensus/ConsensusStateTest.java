package io.chorus.consensus;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.crypto.Signature;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Goal: the write-ahead rule the driver enforces before each send. Method: a state at height 5,
 * round 2 (prepared digest A in round 1, or nothing prepared) against messages around it.
 */
class ConsensusStateTest {
  static final byte[] A = {0x0a};
  static final byte[] B = {0x0b};
  static final Signature SEAL = new Signature(BigInteger.ONE, BigInteger.ONE, 0);

  private static ConsensusState preparedInRoundOne() {
    return new ConsensusState(5, 2, Optional.of(new Prepared(1, A)),
        Optional.of(new PreparedProof(A, List.of())));
  }

  @Test
  void votesOfTheDurableHeightUpToItsRoundAreCovered() {
    ConsensusState state = new ConsensusState(5, 2, Optional.empty(), Optional.empty());
    assertTrue(state.covers(new Prepare(5, 2, A)));
    assertTrue(state.covers(new Prepare(5, 0, A)), "a restart resumes in round 3");
    assertFalse(state.covers(new Prepare(5, 3, A)), "round 3 is not durable yet");
    assertFalse(state.covers(new Prepare(6, 0, A)), "height 6 is not durable yet");
    assertFalse(state.covers(new Prepare(4, 2, A)), "a state of height 5 says nothing of 4");
    assertTrue(state.covers(new RoundChange(5, 2, Optional.empty(), Optional.empty())));
  }

  @Test
  void aCommitNeedsItsBlockDurablyPrepared() {
    assertFalse(new ConsensusState(5, 2, Optional.empty(), Optional.empty())
        .covers(new Commit(5, 1, A, SEAL)), "nothing prepared");
    ConsensusState state = preparedInRoundOne();
    assertTrue(state.covers(new Commit(5, 1, A, SEAL)));
    assertFalse(state.covers(new Commit(5, 1, B, SEAL)), "another block prepared");
    assertTrue(state.covers(new Commit(5, 0, B, SEAL)), "prepared later, so carried instead");
    assertFalse(state.covers(new Commit(5, 2, A, SEAL)), "prepared in round 1 only");
  }
}
