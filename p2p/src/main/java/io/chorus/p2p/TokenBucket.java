package io.chorus.p2p;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens accrue continuously up to {@code capacity}; a
 * take succeeds only if the bucket holds enough. Not thread-safe: each connection's buckets are
 * used on its event loop only.
 */
final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double capacity;
  private final double ratePerNano;
  private final LongSupplier nanoTime;
  private double tokens;
  private long refilledAt;

  TokenBucket(long capacity, long ratePerSecond, LongSupplier nanoTime) {
    if (capacity < 1 || ratePerSecond < 1) {
      throw new IllegalArgumentException("a bucket needs a positive capacity and rate");
    }
    this.capacity = capacity;
    this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
    this.nanoTime = nanoTime;
    this.tokens = capacity;
    this.refilledAt = nanoTime.getAsLong();
  }

  /** Takes {@code amount} tokens if the bucket holds them; false leaves it unchanged. */
  boolean tryTake(long amount) {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - refilledAt) * ratePerNano);
    refilledAt = now;
    if (tokens < amount) {
      return false;
    }
    tokens -= amount;
    return true;
  }
}
