package io.chorus.consensus.sim;

import io.chorus.consensus.BlockSource;
import io.chorus.consensus.SignatureVerifier;
import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;

/**
 * Blocks as small random blobs: {@code [height:8][round:4][random...][checksum:1]}. A block is
 * valid at its height when its checksum holds, so a Byzantine proposer can send invalid ones.
 * Whether a height has work is a fixed function of the seed, as a tx pool would be.
 */
final class SimBlocks implements BlockSource {
  private final RandomGenerator random;
  private final SignatureVerifier hasher;
  private final long workSeed;

  SimBlocks(RandomGenerator random, SignatureVerifier hasher, long workSeed) {
    this.random = random;
    this.hasher = hasher;
    this.workSeed = workSeed;
  }

  @Override
  public boolean hasWork(long height) {
    return Long.remainderUnsigned((height + workSeed) * 0x9E3779B97F4A7C15L, 4) == 0;
  }

  @Override
  public byte[] build(long height, int round, long nowMillis) {
    return make(height, round, random, true);
  }

  static byte[] make(long height, int round, RandomGenerator random, boolean valid) {
    byte[] block = new byte[8 + 4 + 1 + random.nextInt(24) + 1];
    ByteBuffer b = ByteBuffer.wrap(block).putLong(height).putInt(round);
    for (int i = 12; i < block.length - 1; i++) {
      b.put(i, (byte) random.nextInt(256));
    }
    block[block.length - 1] = (byte) (checksum(block) + (valid ? 0 : 1));
    return block;
  }

  @Override
  public boolean validate(long height, byte[] payload) {
    return payload.length >= 14 && ByteBuffer.wrap(payload).getLong(0) == height
        && payload[payload.length - 1] == checksum(payload);
  }

  @Override
  public byte[] digest(byte[] payload) {
    return hasher.hash(payload);
  }

  private static byte checksum(byte[] block) {
    int sum = 7;
    for (int i = 0; i < block.length - 1; i++) {
      sum = sum * 31 + block[i];
    }
    return (byte) sum;
  }
}
