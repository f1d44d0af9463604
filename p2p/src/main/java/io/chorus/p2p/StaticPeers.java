package io.chorus.p2p;

import io.chorus.codec.ByteKey;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this node connected to its static peers: dials each at start, and again whenever its
 * connection ends, after a delay that doubles with each consecutive failure from
 * {@link PeerLimits#reconnectDelayMin()} up to {@link PeerLimits#reconnectDelayMax()}. A dial is
 * a failure unless it reached a completed hello.
 *
 * <p>Once a target's identity is known, it is not dialed while that peer is connected by any
 * connection (for instance the one it dialed to us, kept by the duplicate tie-break); its
 * disconnection schedules the next dial. All state lives on one event executor, so no locks.
 */
final class StaticPeers {
  // 2^16 times the minimum delay is beyond any sensible cap; stop doubling there.
  private static final int DOUBLINGS_MAX = 16;

  /** One configured peer endpoint and its redial state. */
  final class Target {
    private final PeerEndpoint endpoint;
    private volatile ByteKey address;
    private volatile boolean reached;
    private int failures;
    private boolean dialing;

    private Target(PeerEndpoint endpoint) {
      this.endpoint = endpoint;
    }

    /** Called from the connection once the peer's certificate has named it. */
    void learned(ByteKey peer) {
      address = peer;
    }

    /** Called from the connection when its hello exchange has completed. */
    void reached() {
      reached = true;
    }
  }

  private final PeerNetwork network;
  private final EventExecutor executor;
  private final List<Target> targets;
  private volatile boolean closed;

  StaticPeers(PeerNetwork network, EventExecutor executor, List<PeerEndpoint> endpoints) {
    this.network = network;
    this.executor = executor;
    this.targets = endpoints.stream().map(Target::new).toList();
  }

  void start() {
    executor.execute(() -> targets.forEach(this::dial));
  }

  void close() {
    closed = true;
  }

  /** A peer has disconnected: redial the targets that lead to it (soon, not at once). */
  void peerDisconnected(ByteKey peer) {
    if (closed) {
      return;
    }
    executor.execute(() -> {
      for (Target t : targets) {
        if (!t.dialing && peer.equals(t.address)) {
          schedule(t);
        }
      }
    });
  }

  private void dial(Target t) {
    if (closed) {
      return;
    }
    ByteKey known = t.address;
    if (known != null && network.isConnected(known)) {
      t.dialing = false;
      t.failures = 0;
      return;
    }
    t.dialing = true;
    ChannelFuture connect = network.dial(t.endpoint, t);
    connect.addListener(f -> {
      if (closed) {
        return;
      }
      if (f.isSuccess()) {
        connect.channel().closeFuture().addListener(c -> ended(t));
      } else {
        network.dialFailed(t.endpoint, f.cause());
        executor.execute(() -> {
          t.failures++;
          schedule(t);
        });
      }
    });
  }

  // A dialed connection closed: it counts as a success if it got as far as a connected peer.
  private void ended(Target t) {
    if (closed) {
      return;
    }
    executor.execute(() -> {
      t.failures = t.reached ? 0 : t.failures + 1;
      t.reached = false;
      schedule(t);
    });
  }

  private void schedule(Target t) {
    if (closed) {
      return;
    }
    t.dialing = true;
    executor.schedule(() -> dial(t), delayMillis(t.failures, network.limits()),
        TimeUnit.MILLISECONDS);
  }

  /** The wait before the next dial after {@code failures} consecutive failed ones. */
  static long delayMillis(int failures, PeerLimits limits) {
    long min = limits.reconnectDelayMin().toMillis();
    long max = limits.reconnectDelayMax().toMillis();
    return Math.min(max, min << Math.min(failures, DOUBLINGS_MAX));
  }
}
