package io.chorus.consensus.sim;

import io.chorus.consensus.BlockSource;
import io.chorus.consensus.SignatureVerifier;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.LongToIntFunction;
import java.util.random.RandomGenerator;

/**
 * Blocks as small random blobs: {@code [height:8][round:4][change:1][random...][checksum:1]}. A
 * block is valid at its height when its checksum holds and its change byte is {@link #NO_CHANGE}
 * or the next voted validator-set change that is due, so a Byzantine proposer can send invalid
 * ones of both kinds. Whether a height has work is a fixed function of the seed, as a tx pool
 * would be.
 */
final class SimBlocks implements BlockSource {
  static final byte NO_CHANGE = -1;
  private static final int CHANGE_OFFSET = 12;

  private final RandomGenerator random;
  private final SignatureVerifier hasher;
  private final long workSeed;
  private final List<SimOptions.SetChange> changes;
  private final LongToIntFunction appliedBefore;

  /**
   * @param appliedBefore how many of {@code changes} the node's chain below a height applies
   */
  SimBlocks(RandomGenerator random, SignatureVerifier hasher, long workSeed,
      List<SimOptions.SetChange> changes, LongToIntFunction appliedBefore) {
    this.random = random;
    this.hasher = hasher;
    this.workSeed = workSeed;
    this.changes = changes;
    this.appliedBefore = appliedBefore;
  }

  @Override
  public boolean hasWork(long height) {
    return Long.remainderUnsigned((height + workSeed) * 0x9E3779B97F4A7C15L, 4) == 0
        || dueChange(height) != NO_CHANGE;
  }

  @Override
  public byte[] build(long height, int round, long nowMillis) {
    return make(height, round, dueChange(height), random, true);
  }

  /** A block without a set change: valid, or invalid by its checksum or by a bogus change. */
  static byte[] make(long height, int round, RandomGenerator random, boolean valid) {
    if (!valid && random.nextBoolean()) {
      return make(height, round, (byte) 0x7f, random, true);
    }
    return make(height, round, NO_CHANGE, random, valid);
  }

  private static byte[] make(long height, int round, byte change, RandomGenerator random,
      boolean valid) {
    byte[] block = new byte[CHANGE_OFFSET + 1 + 1 + random.nextInt(24) + 1];
    ByteBuffer b = ByteBuffer.wrap(block).putLong(height).putInt(round).put(change);
    for (int i = CHANGE_OFFSET + 1; i < block.length - 1; i++) {
      b.put(i, (byte) random.nextInt(256));
    }
    block[block.length - 1] = (byte) (checksum(block) + (valid ? 0 : 1));
    return block;
  }

  /** The set change a block applies, or {@link #NO_CHANGE}. */
  static byte change(byte[] block) {
    return block[CHANGE_OFFSET];
  }

  @Override
  public boolean validate(long height, byte[] payload) {
    if (payload.length < CHANGE_OFFSET + 3 || ByteBuffer.wrap(payload).getLong(0) != height
        || payload[payload.length - 1] != checksum(payload)) {
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
