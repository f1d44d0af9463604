package io.chorus.chain;

import java.util.Optional;

/**
 * Block timestamps (seconds, as Ethereum has them): each block's is above its parent's, so that
 * {@code block.timestamp} moves between any two blocks (contracts divide by the time elapsed,
 * e.g. a Uniswap V2 price oracle). Chorus makes several blocks a second under load, so the
 * chain's clock may run ahead of wall time; two bounds keep that lead small (docs/timestamps.md).
 *
 * <ul>
 *   <li>A validator refuses a proposal stamped more than {@link #FUTURE_SECONDS_MAX} ahead of its
 *       own clock: a proposer whose clock runs far ahead cannot drag the chain's time with it.
 *   <li>A proposer keeps the chain at most {@link #LEAD_SECONDS_MAX} ahead of its own clock: past
 *       that lead, a block with transactions waits until the clock allows its timestamp, so
 *       under sustained load blocks come once a second and grow. An empty block never puts the
 *       chain ahead at all, so an idle chain wins its lead back.
 * </ul>
 *
 * <p>A validator whose clock is up to {@code FUTURE_SECONDS_MAX - LEAD_SECONDS_MAX} behind the
 * proposer's still accepts its blocks at the full lead.
 */
public final class BlockTime {
  /**
   * How far ahead of a validator's clock a proposed block's timestamp may be: what geth allowed
   * before the merge. Ten times NTP's worst everyday error, and it lets bursts run ahead.
   */
  public static final long FUTURE_SECONDS_MAX = 15;
  /**
   * How far ahead of its own clock a proposer stamps a block with transactions: a third of
   * {@link #FUTURE_SECONDS_MAX}, so validators up to 10 s behind it still accept, and contracts
   * never see a time more than 5 s early.
   */
  public static final long LEAD_SECONDS_MAX = 5;

  static {
    if (LEAD_SECONDS_MAX >= FUTURE_SECONDS_MAX) {
      throw new ExceptionInInitializerError("a proposer's lead must stay below what validators"
          + " accept, or a validator with a clock slightly behind refuses every block");
    }
  }

  private BlockTime() {}

  /**
   * The earliest wall time, in ms of the proposer's clock, at which it builds the block after
   * {@code parentSeconds}: with transactions, once {@code parentSeconds + 1} is within the lead;
   * empty, once it is the clock's own second (the block is then stamped with the clock's).
   */
  public static long proposeNotBeforeMillis(long parentSeconds, boolean withWork) {
    long leadSeconds = withWork ? LEAD_SECONDS_MAX : 0;
    return Math.multiplyExact(parentSeconds + 1 - leadSeconds, 1000L);
  }

  /** Why every node refuses a block's timestamp; empty when it follows its parent's. */
  static Optional<String> parentRuleBroken(long timestamp, long parentSeconds) {
    return timestamp > parentSeconds ? Optional.empty() : Optional.of("timestamp " + timestamp
        + " is not after its parent's " + parentSeconds
        + ": each block's timestamp must be above its parent's");
  }

  /**
   * Why a validator whose clock reads {@code nowMillis} refuses a proposed block's timestamp;
   * empty when it is not too far ahead.
   */
  public static Optional<String> futureRuleBroken(long timestamp, long nowMillis) {
    long nowSeconds = Math.floorDiv(nowMillis, 1000);
    return timestamp <= nowSeconds + FUTURE_SECONDS_MAX ? Optional.empty()
        : Optional.of("timestamp " + timestamp + " is more than " + FUTURE_SECONDS_MAX
            + " s ahead of this validator's clock (" + nowSeconds
            + "): check the proposer's clock (NTP)");
  }
}
