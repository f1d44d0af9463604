package io.chorus.consensus.sim;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Goal: no fault schedule within the model (at most f Byzantine validators; any loss, delay,
 * duplication, partition and honest crash) breaks safety, certificate validity, block validity or
 * honest non-equivocation, and a healed network always makes progress, also across
 * validator-set changes voted through while faults last. Method: run many seeds of
 * {@link Simulation}, each a random scenario; a failing seed is replayed with a trace. A run of
 * {@value #FLOORS_FROM_SEEDS} seeds or more must also have exercised each fault often enough
 * ({@link Tally}'s floors, printed with the counts), or passing would prove little.
 *
 * <p>{@code -Dchorus.sim.seed=S} runs seed S alone with its trace; {@code -Dchorus.sim.seeds=N}
 * and {@code -Dchorus.sim.from=F} run seeds F..F+N-1 (nightly: millions from a random F).
 */
class SimulationTest {
  private static final long SEEDS_DEFAULT = 10_000;
  /** Fewer seeds (a replay, a short range) say too little to hold {@link Tally}'s floors. */
  private static final long FLOORS_FROM_SEEDS = 1_000;

  @Test
  void seedsKeepSafetyAndLiveness() {
    String single = System.getProperty("chorus.sim.seed", "");
    if (!single.isBlank()) {
      long seed = Long.parseLong(single.trim());
      describe(seed).ifPresent(report -> fail(report));
      return;
    }
    long count = Long.getLong("chorus.sim.seeds", SEEDS_DEFAULT);
    long from = Long.getLong("chorus.sim.from", 1);
    AtomicLong firstFailure = new AtomicLong(Long.MAX_VALUE);
    Tally tally = new Tally();
    long started = System.nanoTime();
    LongStream.range(from, from + count).parallel().forEach(seed -> {
      if (seed > firstFailure.get()) {
        return;
      }
      try {
        tally.add(run(seed, false).run());
      } catch (SimulationFailure e) {
        firstFailure.accumulateAndGet(seed, Math::min);
      }
    });
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("simulation: %d seeds from %d in %.1f s (%.0f seeds/s, %d messages)%n%s",
        count, from, seconds, count / seconds, tally.messages(), tally.describe(count));
    if (firstFailure.get() != Long.MAX_VALUE) {
      fail(describe(firstFailure.get()).orElse("seed " + firstFailure.get() + " flaked"));
    }
    if (count >= FLOORS_FROM_SEEDS) {
      tally.shortfalls(count).ifPresent(report -> fail(report));
    }
  }

  /** Replays a seed with tracing; empty when it passes. */
  static Optional<String> describe(long seed) {
    Simulation simulation = run(seed, true);
    try {
      simulation.run();
      return Optional.empty();
    } catch (SimulationFailure e) {
      StringBuilder report = new StringBuilder();
      report.append(e.getMessage()).append('\n')
          .append("seed: ").append(seed).append('\n')
          .append("options: ").append(SimOptions.choose(seed)).append('\n')
          .append("replay: mvn -o -pl consensus test -Dtest=SimulationTest -Dchorus.sim.seed=")
          .append(seed).append('\n')
          .append("trace tail:\n");
      simulation.traceTail().forEach(line -> report.append("  ").append(line).append('\n'));
      if (e.getCause() != null) {
        report.append("cause: ").append(stackOf(e.getCause()));
      }
      System.out.println(report);
      return Optional.of(report.toString());
    }
  }

  private static Simulation run(long seed, boolean tracing) {
    SimOptions options = SimOptions.choose(seed);
    return new Simulation(seed, options, new FakeAuth(options.members(), seed), tracing);
  }

  private static String stackOf(Throwable t) {
    var out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    return out.toString();
  }
}
