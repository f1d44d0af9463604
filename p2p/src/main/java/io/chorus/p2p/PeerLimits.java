package io.chorus.p2p;

import java.time.Duration;
import java.util.Objects;

/**
 * Every bound of the peer network, each checked where data from a peer enters: no queue, buffer
 * or map fed by peers grows without one. Start from {@link #defaults()} and change with the
 * {@code with} methods; relations between bounds (a queue holds at least one largest frame, the
 * byte-rate burst admits one) are checked here, at construction.
 *
 * @param frameBytesMax the largest frame (message type and payload) accepted or sent; a larger
 *     incoming frame is counted and its connection closed, since the stream cannot be trusted
 *     past it
 * @param outboundQueueMessagesMax messages waiting to be written to one peer
 * @param outboundQueueBytesMax payload bytes waiting to be written to one peer
 * @param inboundQueueMessagesMax messages received from all peers, waiting for the listener
 * @param inboundQueueBytesMax payload bytes received from all peers, waiting for the listener
 * @param messagesPerSecondMax messages accepted from one peer per second (the bucket holds one
 *     second's worth, so bursts up to that size pass)
 * @param bytesPerSecondMax payload bytes accepted from one peer per second (the bucket holds a
 *     second's worth or one largest frame, whichever is more)
 * @param connectionsMax open connections, authenticated or not; more are refused at accept
 * @param helloTimeout time from TCP connect to a completed TLS handshake and hello exchange
 * @param idleTimeout a connection silent this long is closed; pings go out at a third of it
 * @param reconnectDelayMin the first delay before redialing a static peer
 * @param reconnectDelayMax the cap of the doubling redial delay
 */
public record PeerLimits(
    int frameBytesMax,
    int outboundQueueMessagesMax,
    long outboundQueueBytesMax,
    int inboundQueueMessagesMax,
    long inboundQueueBytesMax,
    int messagesPerSecondMax,
    long bytesPerSecondMax,
    int connectionsMax,
    Duration helloTimeout,
    Duration idleTimeout,
    Duration reconnectDelayMin,
    Duration reconnectDelayMax) {
  /** Default largest frame: 16 MiB, room for a full block with its commit certificate. */
  public static final int FRAME_BYTES_MAX_DEFAULT = 16 << 20;
  // The wire's length prefix is a signed 32-bit int; keep clear of its edge.
  static final int FRAME_BYTES_MAX_LIMIT = 1 << 30;

  public PeerLimits {
    if (frameBytesMax < Wire.TYPE_BYTES + 1 || frameBytesMax > FRAME_BYTES_MAX_LIMIT) {
      throw new IllegalArgumentException("frameBytesMax must be in 3.." + FRAME_BYTES_MAX_LIMIT
          + ", not " + frameBytesMax);
    }
    positive("outboundQueueMessagesMax", outboundQueueMessagesMax);
    positive("inboundQueueMessagesMax", inboundQueueMessagesMax);
    positive("messagesPerSecondMax", messagesPerSecondMax);
    positive("bytesPerSecondMax", bytesPerSecondMax);
    positive("connectionsMax", connectionsMax);
    atLeastOneFrame("outboundQueueBytesMax", outboundQueueBytesMax, frameBytesMax);
    atLeastOneFrame("inboundQueueBytesMax", inboundQueueBytesMax, frameBytesMax);
    for (Duration d : new Duration[] {helloTimeout, idleTimeout, reconnectDelayMin,
        reconnectDelayMax}) {
      if (Objects.requireNonNull(d, "a duration").toMillis() < 1) {
        throw new IllegalArgumentException("durations must be at least 1 ms, not " + d);
      }
    }
    if (reconnectDelayMin.compareTo(reconnectDelayMax) > 0) {
      throw new IllegalArgumentException("reconnectDelayMin " + reconnectDelayMin
          + " exceeds reconnectDelayMax " + reconnectDelayMax);
    }
  }

  /**
   * 16 MiB frames; per peer 4096 queued messages or 64 MiB outbound and 2000 messages/s and
   * 64 MiB/s inbound; 16384 messages or 128 MiB waiting for the listener in all; 256
   * connections; 10 s to say hello; 30 s idle timeout; redial after 100 ms doubling up to 10 s.
   */
  public static PeerLimits defaults() {
    return new PeerLimits(FRAME_BYTES_MAX_DEFAULT, 4096, 64L << 20, 16_384, 128L << 20, 2000,
        64L << 20, 256, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(100),
        Duration.ofSeconds(10));
  }

  /** The bytes bucket's capacity: one second of traffic, or one largest frame if more. */
  long bytesBurstMax() {
    return Math.max(bytesPerSecondMax, frameBytesMax);
  }

  public PeerLimits withFrameBytesMax(int frameBytesMax) {
    return new PeerLimits(frameBytesMax, outboundQueueMessagesMax, outboundQueueBytesMax,
        inboundQueueMessagesMax, inboundQueueBytesMax, messagesPerSecondMax, bytesPerSecondMax,
        connectionsMax, helloTimeout, idleTimeout, reconnectDelayMin, reconnectDelayMax);
  }

  public PeerLimits withOutboundQueue(int messagesMax, long bytesMax) {
    return new PeerLimits(frameBytesMax, messagesMax, bytesMax, inboundQueueMessagesMax,
        inboundQueueBytesMax, messagesPerSecondMax, bytesPerSecondMax, connectionsMax,
        helloTimeout, idleTimeout, reconnectDelayMin, reconnectDelayMax);
  }

  public PeerLimits withInboundQueue(int messagesMax, long bytesMax) {
    return new PeerLimits(frameBytesMax, outboundQueueMessagesMax, outboundQueueBytesMax,
        messagesMax, bytesMax, messagesPerSecondMax, bytesPerSecondMax, connectionsMax,
        helloTimeout, idleTimeout, reconnectDelayMin, reconnectDelayMax);
  }

  public PeerLimits withRates(int messagesPerSecondMax, long bytesPerSecondMax) {
    return new PeerLimits(frameBytesMax, outboundQueueMessagesMax, outboundQueueBytesMax,
        inboundQueueMessagesMax, inboundQueueBytesMax, messagesPerSecondMax, bytesPerSecondMax,
        connectionsMax, helloTimeout, idleTimeout, reconnectDelayMin, reconnectDelayMax);
  }

  public PeerLimits withConnectionsMax(int connectionsMax) {
    return new PeerLimits(frameBytesMax, outboundQueueMessagesMax, outboundQueueBytesMax,
        inboundQueueMessagesMax, inboundQueueBytesMax, messagesPerSecondMax, bytesPerSecondMax,
        connectionsMax, helloTimeout, idleTimeout, reconnectDelayMin, reconnectDelayMax);
  }

  public PeerLimits withTimeouts(Duration helloTimeout, Duration idleTimeout) {
    return new PeerLimits(frameBytesMax, outboundQueueMessagesMax, outboundQueueBytesMax,
        inboundQueueMessagesMax, inboundQueueBytesMax, messagesPerSecondMax, bytesPerSecondMax,
        connectionsMax, helloTimeout, idleTimeout, reconnectDelayMin, reconnectDelayMax);
  }

  public PeerLimits withReconnectDelay(Duration min, Duration max) {
    return new PeerLimits(frameBytesMax, outboundQueueMessagesMax, outboundQueueBytesMax,
        inboundQueueMessagesMax, inboundQueueBytesMax, messagesPerSecondMax, bytesPerSecondMax,
        connectionsMax, helloTimeout, idleTimeout, min, max);
  }

  private static void positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, not " + value);
    }
  }

  private static void atLeastOneFrame(String name, long value, int frameBytesMax) {
    if (value < frameBytesMax) {
      throw new IllegalArgumentException(name + " " + value + " cannot hold one frame of"
          + " frameBytesMax " + frameBytesMax);
    }
  }
}
