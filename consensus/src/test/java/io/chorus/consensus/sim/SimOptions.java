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
    long faultMillis) {

  /** What a Byzantine validator may do; each one draws a subset. */
  enum Behaviour { SILENT, EQUIVOCATE, INVALID_PAYLOAD, FORGE, REPLAY, WITHHOLD, IGNORE_PREPARED }

  static SimOptions choose(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = new int[] {4, 4, 7, 10}[r.nextInt(4)];
    int f = (n - 1) / 3;
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
        2_000 + r.nextLong(8_000));
  }

  @Override
  public String toString() {
    return String.format("n=%d byzantine=%d %s drop=%.2f commitDrop=%.2f dup=%.2f delayMax=%dms crash/s=%.2f "
        + "partition/s=%.2f tornList=%.2f syncPeriod=%dms faultPhase=%dms", n, byzantine,
        behaviours, dropRate, commitDropRate, duplicateRate, delayMillisMax, crashesPerSecond, partitionsPerSecond,
        tornListRate, syncPeriodMillis, faultMillis);
  }
}
