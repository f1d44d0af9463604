package io.chorus.consensus.sim;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The swarm options of one run, all drawn from its seed (so a seed names a whole scenario): size,
 * Byzantine count and behaviours, network faults, crash and partition rates, phase lengths.
 */
record SimOptions(
    int n,
    int byzantine,
    Set<Behaviour> behaviours,
    double dropRate,
    double commitDropRate,
    double duplicateRate,
    long delayMillisMax,
    double crashesPerSecond,
    double partitionsPerSecond,
    double tornListRate,
    long syncPeriodMillis,
    long faultMillis,
    SetChange setChange) {

  /**
   * Validator-set changes the chain votes in: from height {@code swapAt} a spare honest member
   * (index n, a validator of no earlier height) takes the place of honest validator
   * {@code outgoing}; from {@code swapBackAt} (0: never) the set is the first one again. The
   * size stays n, so the Byzantine count stays within f.
   */
  record SetChange(long swapAt, long swapBackAt, int outgoing) {
    /** Drawn apart from the other options, so a seed without changes runs as it always did. */
    static SetChange draw(long seed, int n, int byzantine) {
      SplittableRandom r = new SplittableRandom(seed ^ 0x5E7C4A9EL);
      if (r.nextInt(3) != 0) {
        return null;
      }
      long at = 2 + r.nextLong(6);
      return new SetChange(at, r.nextBoolean() ? at + 1 + r.nextLong(6) : 0,
          r.nextInt(n - byzantine));
    }
  }

  /** Members of the run: the n validators of height 1, and the spare when the set changes. */
  int members() {
    return setChange == null ? n : n + 1;
  }

  /** What a Byzantine validator may do; each one draws a subset. */
  enum Behaviour { SILENT, EQUIVOCATE, INVALID_PAYLOAD, FORGE, REPLAY, WITHHOLD, IGNORE_PREPARED }

  static SimOptions choose(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = new int[] {4, 4, 7, 10}[r.nextInt(4)];
    int f = (n - 1) / 3;
    if (r.nextInt(8) == 0) {
      return lockAttack(r, n, f, SetChange.draw(seed, n, f));
    }
    int byzantine = r.nextInt(4) == 0 ? 0 : r.nextInt(f + 1);
    Set<Behaviour> behaviours = EnumSet.noneOf(Behaviour.class);
    for (Behaviour b : Behaviour.values()) {
      if (r.nextInt(3) == 0) {
        behaviours.add(b);
      }
    }
    boolean calm = r.nextInt(8) == 0;
    return new SimOptions(n, byzantine, behaviours,
        calm ? 0 : r.nextDouble(0.3),
        calm || r.nextInt(3) != 0 ? 0 : 0.3 + r.nextDouble(0.6),
        calm ? 0 : r.nextDouble(0.2),
        1 + r.nextLong(calm ? 20 : 300),
        calm ? 0 : r.nextDouble(0.5),
        calm ? 0 : r.nextDouble(0.3),
        r.nextInt(4) == 0 ? r.nextDouble(0.2) : 0,
        300 + r.nextLong(8_000),
        2_000 + r.nextLong(8_000), SetChange.draw(seed, n, byzantine));
  }

  /**
   * The scenario the round-change justification exists for: commits get lost, so a block is
   * final at some honest nodes only, sync is slow, and f Byzantine proposers offer a fresh block
   * in later rounds instead of the prepared one.
   */
  private static SimOptions lockAttack(SplittableRandom r, int n, int f, SetChange setChange) {
    Set<Behaviour> behaviours = EnumSet.of(Behaviour.IGNORE_PREPARED);
    if (r.nextBoolean()) {
      behaviours.add(Behaviour.EQUIVOCATE);
    }
    return new SimOptions(n, f, behaviours, r.nextDouble(0.1), 0.5 + r.nextDouble(0.45), 0,
        1 + r.nextLong(100), r.nextDouble(0.2), 0, 0, 4_000 + r.nextLong(6_000),
        4_000 + r.nextLong(6_000), setChange);
  }

  @Override
  public String toString() {
    return String.format("n=%d byzantine=%d %s drop=%.2f commitDrop=%.2f dup=%.2f "
        + "delayMax=%dms crash/s=%.2f "
        + "partition/s=%.2f tornList=%.2f syncPeriod=%dms faultPhase=%dms setChange=%s", n,
        byzantine, behaviours, dropRate, commitDropRate, duplicateRate, delayMillisMax,
        crashesPerSecond, partitionsPerSecond,
        tornListRate, syncPeriodMillis, faultMillis, setChange);
  }
}
