package io.chorus.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chorus.consensus.sim.FakeAuth;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Goal: the arithmetic every safety argument leans on (f, quorum, quorum intersection), proposer
 * rotation, the bounds between limits, timer bounds and state encoding. Method: exhaustive over
 * small sizes, examples elsewhere.
 */
class ValidatorSetTest {

  @Test
  void twoQuorumsShareAnHonestValidator() {
    for (int n = 1; n <= Limits.VALIDATORS_MAX; n++) {
      ValidatorSet set = new FakeAuth(n, 1).validators();
      int f = set.f();
      int q = set.quorum();
      assertEquals((n - 1) / 3, f);
      assertEquals((int) Math.ceil(2.0 * n / 3), q, "n=" + n);
      // two quorums overlap in 2q - n validators, more than f of them, so one is honest
      assertEquals(true, 2 * q - n >= f + 1, "n=" + n);
      // the honest validators alone make a quorum
      assertEquals(true, n - f >= q, "n=" + n);
    }
  }

  @Test
  void proposersRotateAndTheSetRoundTrips() {
    ValidatorSet set = new FakeAuth(4, 1).validators();
    assertEquals(set.get(1).address(), set.proposer(1, 0));
    assertEquals(set.get(2).address(), set.proposer(1, 1));
    assertEquals(set.get(0).address(), set.proposer(2, 2));
    assertEquals(set, ValidatorSet.decode(set.encode()));
    assertEquals(2, set.indexOf(set.get(2).address()));
    assertThrows(IllegalArgumentException.class,
        () -> new ValidatorSet(List.of(set.get(0), set.get(0))));
  }

  @Test
  void timeoutsDoubleUpToTheCapAndConfigRejectsNonsense() {
    Config config = new Config(1_000, 250, 1_000, 10_000);
    assertEquals(1_000, config.roundTimeoutMillis(0));
    assertEquals(8_000, config.roundTimeoutMillis(3));
    assertEquals(10_000, config.roundTimeoutMillis(4));
    assertEquals(10_000, config.roundTimeoutMillis(Limits.ROUND_MAX));
    assertThrows(IllegalArgumentException.class, () -> new Config(0, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Config(1, 0, 2, 1));
    assertThrows(IllegalArgumentException.class, () -> new Config(1, 0, 1, Config.MILLIS_MAX + 1));
    assertThrows(IllegalArgumentException.class, () -> new Config(1, 2, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Config(1, -1, 1, 1));
  }

  @Test
  void limitsAgree() {
    assertEquals(true, Limits.ROUND_STATES_MAX > Limits.FUTURE_ROUNDS_MAX);
    assertEquals(true, Limits.MESSAGE_BYTES_MAX > Limits.BLOCK_BYTES_MAX);
  }

  @Test
  void stateRoundTripsAndRejectsAClaimWithoutProof() {
    ConsensusState bare = new ConsensusState(3, 2, Optional.empty(), Optional.empty());
    assertEquals(bare, ConsensusState.decode(bare.encode()));
    assertThrows(IllegalArgumentException.class, () -> new ConsensusState(3, 2,
        Optional.of(new Prepared(1, new byte[32])), Optional.empty()));
    assertThrows(MalformedMessageException.class, () -> ConsensusState.decode(new byte[] {1}));
  }
}
