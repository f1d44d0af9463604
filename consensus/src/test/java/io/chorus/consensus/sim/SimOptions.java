package io.chorus.consensus.sim;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

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
    int spares,
    List<SetChange> changes) {

  /**
   * A validator-set change the committee has voted through: from block {@code fromHeight} on, a
   * proposer may include it (changes apply in list order); it takes effect at the next height.
   * Members 0..n-1 start as validators, the last {@code byzantine} of them Byzantine; members n..
   * n+spares-1 are honest nodes that follow the chain until a change adds them.
   */
  record SetChange(long fromHeight, boolean add, int member) {
    void applyTo(Set<Integer> validators) {
      if (add) {
        validators.add(member);
      } else {
        validators.remove(member);
      }
    }

    @Override
    public String toString() {
      return (add ? "+" : "-") + member + "@" + fromHeight;
    }
  }

  /** What the Byzantine validators of a run may do: SILENT alone, or a set of the others. */
  enum Behaviour { SILENT, EQUIVOCATE, INVALID_PAYLOAD, FORGE, REPLAY, WITHHOLD, IGNORE_PREPARED }

  static SimOptions choose(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = new int[] {4, 4, 7, 10}[r.nextInt(4)];
    int f = (n - 1) / 3;
    if (r.nextInt(8) == 0) {
      return lockAttack(r, n, f);
    }
    int byzantine = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(f);
    Set<Behaviour> behaviours = byzantine == 0 ? EnumSet.noneOf(Behaviour.class) : misbehaviour(r);
    boolean calm = r.nextInt(8) == 0;
    return withChanges(r, new SimOptions(n, byzantine, behaviours,
        calm ? 0 : r.nextDouble(0.3),
        calm || r.nextInt(3) != 0 ? 0 : 0.3 + r.nextDouble(0.6),
        calm ? 0 : r.nextDouble(0.2),
        1 + r.nextLong(calm ? 20 : 300),
        calm ? 0 : r.nextDouble(0.5),
        calm ? 0 : r.nextDouble(0.3),
        r.nextInt(4) == 0 ? r.nextDouble(0.2) : 0,
        300 + r.nextLong(8_000),
        2_000 + r.nextLong(8_000), 0, List.of()));
  }

  /**
   * What the Byzantine validators do: in 1 run in 8 they are silent (a crash that never ends),
   * otherwise each other behaviour is drawn with even odds, at least one of them. Silence is
   * drawn alone because it would drown every lie it were drawn with.
   */
  private static Set<Behaviour> misbehaviour(SplittableRandom r) {
    if (r.nextInt(8) == 0) {
      return EnumSet.of(Behaviour.SILENT);
    }
    List<Behaviour> active = List.copyOf(EnumSet.complementOf(EnumSet.of(Behaviour.SILENT)));
    Set<Behaviour> drawn = EnumSet.noneOf(Behaviour.class);
    for (Behaviour b : active) {
      if (r.nextBoolean()) {
        drawn.add(b);
      }
    }
    if (drawn.isEmpty()) {
      drawn.add(active.get(r.nextInt(active.size())));
    }
    return drawn;
  }

  /**
   * The scenario the round-change justification exists for: commits get lost, so a block is
   * final at some honest nodes only, sync is slow, and f Byzantine proposers offer a fresh block
   * in later rounds instead of the prepared one.
   */
  private static SimOptions lockAttack(SplittableRandom r, int n, int f) {
    Set<Behaviour> behaviours = EnumSet.of(Behaviour.IGNORE_PREPARED);
    if (r.nextBoolean()) {
      behaviours.add(Behaviour.EQUIVOCATE);
    }
    return withChanges(r, new SimOptions(n, f, behaviours, r.nextDouble(0.1),
        0.5 + r.nextDouble(0.45), 0, 1 + r.nextLong(100), r.nextDouble(0.2), 0, 0,
        4_000 + r.nextLong(6_000), 4_000 + r.nextLong(6_000), 0, List.of()));
  }

  /**
   * Half the runs also vote validator-set changes through: up to 3 spare nodes and up to 4
   * additions or removals, each keeping at least 4 validators and the Byzantine ones within f.
   */
  private static SimOptions withChanges(SplittableRandom r, SimOptions o) {
    if (r.nextBoolean()) {
      return o;
    }
    int spares = r.nextInt(4);
    Set<Integer> set = initialValidators(o.n);
    List<SetChange> changes = new ArrayList<>();
    long from = 1 + r.nextLong(6);
    for (int c = 1 + r.nextInt(4); c > 0; c--) {
      List<SetChange> possible = new ArrayList<>();
      for (int m = 0; m < o.n + spares; m++) {
        if (!set.contains(m)) {
          possible.add(new SetChange(from, true, m));
        } else if (set.size() > 4 && o.byzantineIn(set, m) <= (set.size() - 2) / 3) {
          possible.add(new SetChange(from, false, m));
        }
      }
      if (possible.isEmpty()) {
        break;
      }
      SetChange change = possible.get(r.nextInt(possible.size()));
      changes.add(change);
      change.applyTo(set);
      from += 1 + r.nextLong(4);
    }
    return new SimOptions(o.n, o.byzantine, o.behaviours, o.dropRate, o.commitDropRate,
        o.duplicateRate, o.delayMillisMax, o.crashesPerSecond, o.partitionsPerSecond,
        o.tornListRate, o.syncPeriodMillis, o.faultMillis, spares, List.copyOf(changes));
  }

  /** The validators' member indexes at the start and after each change, in order. */
  List<List<Integer>> validatorsAfterChanges() {
    Set<Integer> set = initialValidators(n);
    List<List<Integer>> sets = new ArrayList<>();
    sets.add(List.copyOf(set));
    for (SetChange change : changes) {
      change.applyTo(set);
      sets.add(List.copyOf(set));
    }
    return sets;
  }

  private static Set<Integer> initialValidators(int n) {
    Set<Integer> set = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      set.add(i);
    }
    return set;
  }

  /** All nodes of the run: the initial validators and the spares. */
  int members() {
    return n + spares;
  }

  boolean isByzantine(int member) {
    return member >= n - byzantine && member < n;
  }

  /** How many Byzantine members {@code set} would hold without {@code removed}. */
  private int byzantineIn(Set<Integer> set, int removed) {
    return (int) set.stream().filter(m -> m != removed && isByzantine(m)).count();
  }

  @Override
  public String toString() {
    return String.format("n=%d byzantine=%d %s drop=%.2f commitDrop=%.2f dup=%.2f "
        + "delayMax=%dms crash/s=%.2f "
        + "partition/s=%.2f tornList=%.2f syncPeriod=%dms faultPhase=%dms spares=%d "
        + "setChanges=%s", n, byzantine, behaviours, dropRate, commitDropRate, duplicateRate,
        delayMillisMax, crashesPerSecond, partitionsPerSecond, tornListRate, syncPeriodMillis,
        faultMillis, spares, changes);
  }
}
