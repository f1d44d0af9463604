package io.chorus.consensus;

/**
 * Timing of the core. Round r waits {@code roundTimeoutMillis * 2^r}, capped at
 * {@code roundTimeoutMillisMax}, so rounds lengthen until honest validators overlap after a
 * period of asynchrony; round 0 also waits the block interval.
 *
 * <p>A proposer with nothing to propose waits {@code blockIntervalMillis} from the height's
 * start (then proposes an empty block); one with transactions waits {@code busyIntervalMillis}
 * (0: proposes at once). Every block costs each validator the same whatever it carries (votes
 * signed and checked, state written and synced, trie tops rehashed), so under load a short wait
 * that lets more transactions into the block lowers the cost of each. Neither proposes before
 * its {@link BlockSource#proposeNotBeforeMillis}: the node's block timestamps set a pace of
 * their own.
 */
public record Config(long blockIntervalMillis, long busyIntervalMillis,
    long roundTimeoutMillis, long roundTimeoutMillisMax) {
  /** The longest any of these may be: an hour without a block is an outage, not a setting. */
  public static final long MILLIS_MAX = 3_600_000;

  /**
   * Rejects values outside [1 ms, 1 h], a busy interval outside [0, block interval] and a cap
   * below the base timeout.
   */
  public Config {
    Verify.argument(blockIntervalMillis >= 1 && blockIntervalMillis <= MILLIS_MAX,
        "blockIntervalMillis must be in [1, " + MILLIS_MAX + "]");
    Verify.argument(busyIntervalMillis >= 0 && busyIntervalMillis <= blockIntervalMillis,
        "busyIntervalMillis must be in [0, blockIntervalMillis]");
    Verify.argument(roundTimeoutMillis >= 1 && roundTimeoutMillis <= MILLIS_MAX,
        "roundTimeoutMillis must be in [1, " + MILLIS_MAX + "]");
    Verify.argument(roundTimeoutMillisMax >= roundTimeoutMillis,
        "roundTimeoutMillisMax must be at least roundTimeoutMillis");
    Verify.argument(roundTimeoutMillisMax <= MILLIS_MAX,
        "roundTimeoutMillisMax must be at most " + MILLIS_MAX);
  }

  /**
   * Defaults for a LAN consortium: a block every 2 s when idle, a proposal 100 ms into the
   * height when busy, rounds from 4 s up to 1 min.
   */
  public static Config defaults() {
    return new Config(2_000, 100, 4_000, 60_000);
  }

  /** How long round {@code round} lasts before the validator asks for the next one. */
  public long roundTimeoutMillis(int round) {
    Verify.argument(round >= 0, "negative round");
    if (round >= 32) {
      return roundTimeoutMillisMax;
    }
    return Math.min(roundTimeoutMillisMax, roundTimeoutMillis << round);
  }
}
