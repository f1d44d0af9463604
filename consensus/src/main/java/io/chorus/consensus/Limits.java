package io.chorus.consensus;

/**
 * Bounds on everything peers can make the core hold or decode. Each map or buffer fed by the
 * network checks its bound at insert; the static initializer checks that the bounds agree.
 */
public final class Limits {
  /** The most validators a set may hold; bounds certificates and per-round maps. */
  public static final int VALIDATORS_MAX = 256;
  /** The largest block payload a proposal or round change may carry. */
  public static final int BLOCK_BYTES_MAX = 8 * 1024 * 1024;
  /** The largest encoded message accepted from the wire (a proposal with its justification). */
  public static final int MESSAGE_BYTES_MAX = BLOCK_BYTES_MAX + 2 * VALIDATORS_MAX * 1024;
  /** The longest digest the application may use (32 for keccak-256 and SM3). */
  public static final int DIGEST_BYTES_MAX = 64;
  /** Rounds ahead of the current one whose messages are kept rather than dropped. */
  public static final int FUTURE_ROUNDS_MAX = 10;
  /** Rounds of one height whose votes are kept; the lowest are forgotten beyond it. */
  public static final int ROUND_STATES_MAX = 2 * FUTURE_ROUNDS_MAX + 4;
  /** Heights ahead of the current one whose messages are buffered until the node gets there. */
  public static final int FUTURE_HEIGHTS_MAX = 4;
  /** Buffered future-height messages kept per sender. */
  public static final int MESSAGES_PER_SENDER_MAX = 4 * FUTURE_HEIGHTS_MAX;
  /** The highest round a message may name: 2^20 rounds of even 1 s outlast any deployment. */
  public static final int ROUND_MAX = 1 << 20;

  static {
    Verify.that(MESSAGE_BYTES_MAX > BLOCK_BYTES_MAX, "a message must fit its block");
    Verify.that(ROUND_STATES_MAX > FUTURE_ROUNDS_MAX, "the current round must fit beside the future");
    Verify.that(MESSAGES_PER_SENDER_MAX >= FUTURE_HEIGHTS_MAX, "one message per future height");
    Verify.that(VALIDATORS_MAX >= 4, "BFT needs at least 4 validators to tolerate one fault");
  }

  private Limits() {}
}
