package io.chorus.consensus.sim;

import io.chorus.consensus.BlockSource;
import io.chorus.consensus.SignatureVerifier;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.LongToIntFunction;
import java.util.function.LongUnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Blocks as small random blobs: {@code [height:8][round:4][change:1][time:8][random...]
 * [checksum:1]}. A block is valid at its height when its checksum holds, its change byte is
 * {@link #NO_CHANGE} or the next voted validator-set change that is due, and its time (seconds)
 * is above its parent's and at most {@link #FUTURE_SECONDS_MAX} ahead of the validator's clock,
 * so a Byzantine proposer can send invalid ones of each kind. Times follow the node's rule
 * (io.chorus.chain.BlockTime) with smaller bounds, so that short runs reach them: a proposer
 * with work keeps at most {@link #LEAD_SECONDS_MAX} ahead of its clock, an empty block none.
 * Whether a height has work is a fixed function of the seed, as a tx pool would be.
 */
final class SimBlocks implements BlockSource {
  static final byte NO_CHANGE = -1;
  static final long FUTURE_SECONDS_MAX = 6;
  static final long LEAD_SECONDS_MAX = 2;
  private static final int CHANGE_OFFSET = 12;
  private static final int TIME_OFFSET = 13;
  private static final int RANDOM_OFFSET = 21;

  private final RandomGenerator random;
  private final SignatureVerifier hasher;
  private final long workSeed;
  private final List<SimOptions.SetChange> changes;
  private final LongToIntFunction appliedBefore;
  private final LongUnaryOperator timeBefore;

  /**
   * @param appliedBefore how many of {@code changes} the node's chain below a height applies
   * @param timeBefore the time of the node's block below a height (0 below height 1)
   */
  SimBlocks(RandomGenerator random, SignatureVerifier hasher, long workSeed,
      List<SimOptions.SetChange> changes, LongToIntFunction appliedBefore,
      LongUnaryOperator timeBefore) {
    this.random = random;
    this.hasher = hasher;
    this.workSeed = workSeed;
    this.changes = changes;
    this.appliedBefore = appliedBefore;
    this.timeBefore = timeBefore;
  }

  @Override
  public boolean hasWork(long height) {
    return Long.remainderUnsigned((height + workSeed) * 0x9E3779B97F4A7C15L, 4) == 0
        || dueChange(height) != NO_CHANGE;
  }

  @Override
  public long proposeNotBeforeMillis(long height, boolean withWork) {
    return (timeBefore.applyAsLong(height) + 1 - (withWork ? LEAD_SECONDS_MAX : 0)) * 1000;
  }

  @Override
  public byte[] build(long height, int round, long nowMillis) {
    long time = Math.max(Math.floorDiv(nowMillis, 1000), timeBefore.applyAsLong(height) + 1);
    return make(height, round, dueChange(height), time, random, true);
  }

  /** The earliest time a block at {@code height} may carry: its parent's + 1. */
  long firstValidTime(long height) {
    return timeBefore.applyAsLong(height) + 1;
  }

  /**
   * A block without a set change at {@code time}: valid, or invalid by its checksum, by a bogus
   * change, or by a time that does not follow its parent's or runs an hour ahead.
   */
  static byte[] make(long height, int round, long time, RandomGenerator random, boolean valid) {
    if (valid) {
      return make(height, round, NO_CHANGE, time, random, true);
    }
    return switch (random.nextInt(4)) {
      case 0 -> make(height, round, (byte) 0x7f, time, random, true);
      case 1 -> make(height, round, NO_CHANGE, time - 1, random, true);
      case 2 -> make(height, round, NO_CHANGE, time + 3_600, random, true);
      default -> make(height, round, NO_CHANGE, time, random, false);
    };
  }

  private static byte[] make(long height, int round, byte change, long time,
      RandomGenerator random, boolean valid) {
    byte[] block = new byte[RANDOM_OFFSET + 1 + random.nextInt(24) + 1];
    ByteBuffer b = ByteBuffer.wrap(block).putLong(height).putInt(round).put(change).putLong(time);
    for (int i = RANDOM_OFFSET; i < block.length - 1; i++) {
      b.put(i, (byte) random.nextInt(256));
    }
    block[block.length - 1] = (byte) (checksum(block) + (valid ? 0 : 1));
    return block;
  }

  /** The set change a block applies, or {@link #NO_CHANGE}. */
  static byte change(byte[] block) {
    return block[CHANGE_OFFSET];
  }

  /** The time a block carries, seconds. */
  static long time(byte[] block) {
    return ByteBuffer.wrap(block).getLong(TIME_OFFSET);
  }

  /** The header fields of a block, for failure reports. */
  static String describe(byte[] block) {
    if (block.length < RANDOM_OFFSET + 2) {
      return block.length + " bytes, too short";
    }
    ByteBuffer b = ByteBuffer.wrap(block);
    return "height " + b.getLong(0) + " round " + b.getInt(8) + " change " + change(block)
        + " time " + time(block) + " checksum "
        + (block[block.length - 1] == checksum(block) ? "right" : "wrong");
  }

  @Override
  public boolean validate(long height, byte[] payload, long nowMillis) {
    if (payload.length < RANDOM_OFFSET + 2 || ByteBuffer.wrap(payload).getLong(0) != height
        || payload[payload.length - 1] != checksum(payload)) {
      return false;
    }
    long time = time(payload);
    if (time <= timeBefore.applyAsLong(height)
        || time > Math.floorDiv(nowMillis, 1000) + FUTURE_SECONDS_MAX) {
      return false;
    }
    byte change = change(payload);
    return change == NO_CHANGE || change == dueChange(height);
  }

  @Override
  public byte[] digest(byte[] payload) {
    return hasher.hash(payload);
  }

  /** The index of the next voted change when block {@code height} may apply it. */
  private byte dueChange(long height) {
    int next = appliedBefore.applyAsInt(height);
    return next < changes.size() && height >= changes.get(next).fromHeight()
        ? (byte) next : NO_CHANGE;
  }

  private static byte checksum(byte[] block) {
    int sum = 7;
    for (int i = 0; i < block.length - 1; i++) {
      sum = sum * 31 + block[i];
    }
    return (byte) sum;
  }
}
