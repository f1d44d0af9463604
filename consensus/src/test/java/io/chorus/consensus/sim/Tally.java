package io.chorus.consensus.sim;

import io.chorus.consensus.sim.SimOptions.Behaviour;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many seeds of a run of the simulator really exercised each fault, and the floors a CI run
 * must reach: a generator change that quietly stopped lying, crashing, partitioning or changing
 * the validator set would otherwise still pass every safety check. Floors are fractions of the
 * seeds run, set below what 10,000 seeds give (printed by every run) by several standard
 * deviations.
 */
final class Tally {
  /** Seeds in which a Byzantine validator sent something false (not only less). */
  static final double LYING_MIN = 0.60;
  /** Seeds in which each Byzantine behaviour changed at least one message. */
  static final double EACH_BEHAVIOUR_MIN = 0.06;
  static final double CRASHED_MIN = 0.55;
  static final double PARTITIONED_MIN = 0.35;
  /** Seeds whose honest chains applied at least one validator-set change. */
  static final double CHANGED_MIN = 0.25;

  private long messages;
  private long lying;
  private long crashed;
  private long crashes;
  private long partitioned;
  private long partitions;
  private long changed;
  private final Map<Behaviour, Long> behaviours = new EnumMap<>(Behaviour.class);

  synchronized void add(Simulation.Exercised run) {
    messages += run.messages();
    lying += run.lied() ? 1 : 0;
    crashed += run.crashes() > 0 ? 1 : 0;
    crashes += run.crashes();
    partitioned += run.partitions() > 0 ? 1 : 0;
    partitions += run.partitions();
    changed += run.changesApplied() > 0 ? 1 : 0;
    run.behaviours().forEach(b -> behaviours.merge(b, 1L, Long::sum));
  }

  synchronized long messages() {
    return messages;
  }

  /** The counts with their floors, one line per kind of fault. */
  synchronized String describe(long seeds) {
    StringBuilder out = new StringBuilder();
    out.append(String.format("  seeds with a lying Byzantine validator: %d (floor %d)%n", lying,
        floor(LYING_MIN, seeds)));
    out.append("  seeds with each Byzantine behaviour (floor ")
        .append(floor(EACH_BEHAVIOUR_MIN, seeds)).append("):");
    for (Behaviour b : Behaviour.values()) {
      out.append(' ').append(b).append(' ').append(behaviours.getOrDefault(b, 0L));
    }
    out.append(String.format("%n  seeds with crashes: %d (floor %d, %d crashes)%n", crashed,
        floor(CRASHED_MIN, seeds), crashes));
    out.append(String.format("  seeds with partitions: %d (floor %d, %d partitions)%n",
        partitioned, floor(PARTITIONED_MIN, seeds), partitions));
    out.append(String.format("  seeds with validator-set changes applied: %d (floor %d)%n",
        changed, floor(CHANGED_MIN, seeds)));
    return out.toString();
  }

  /** Each floor missed, or empty. */
  synchronized Optional<String> shortfalls(long seeds) {
    List<String> missed = new ArrayList<>();
    check(missed, "with a lying Byzantine validator", lying, LYING_MIN, seeds);
    for (Behaviour b : Behaviour.values()) {
      check(missed, "with Byzantine behaviour " + b, behaviours.getOrDefault(b, 0L),
          EACH_BEHAVIOUR_MIN, seeds);
    }
    check(missed, "with crashes", crashed, CRASHED_MIN, seeds);
    check(missed, "with partitions", partitioned, PARTITIONED_MIN, seeds);
    check(missed, "with validator-set changes applied", changed, CHANGED_MIN, seeds);
    if (missed.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("the simulator exercised less than it claims (SimOptions draws the "
        + "faults, Tally holds the floors):\n  " + String.join("\n  ", missed));
  }

  private static void check(List<String> missed, String what, long seen, double min,
      long seeds) {
    if (seen < floor(min, seeds)) {
      missed.add("seeds " + what + ": " + seen + " of " + seeds + ", floor "
          + floor(min, seeds));
    }
  }

  private static long floor(double min, long seeds) {
    return (long) Math.ceil(min * seeds);
  }
}
