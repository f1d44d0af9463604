package io.chorus.p2p;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the peer network did and refused, for the node's Prometheus export: every dropped frame,
 * refused connection and rejected peer is counted here (and logged at most once per interval).
 * Counters only grow. Thread-safe.
 */
public final class NetworkCounters {
  /** One counter each; its Prometheus name is {@link #metricName()}. */
  public enum Counter {
    /** Inbound TCP connections accepted for a TLS handshake. */
    CONNECTIONS_ACCEPTED,
    /** Inbound TCP connections closed at once: {@link PeerLimits#connectionsMax()} reached. */
    CONNECTIONS_REFUSED,
    /** Outbound dials that failed to connect at the TCP level. */
    DIAL_FAILURES,
    /**
     * TLS handshakes failed: no client certificate, not of a member organisation, expired,
     * revoked, not a node's, another TLS suite, not TLS at all.
     */
    TLS_FAILURES,
    /** Connected peers disconnected because their certificate (or its CA) was revoked. */
    REVOKED_PEERS,
    /** Certificates without a usable consensus key, of another suite, or our own key. */
    IDENTITY_REJECTED,
    /** Hellos refused: version, chain id, genesis hash or address mismatch, or malformed. */
    HELLO_REJECTED,
    /** Connections closed for not completing TLS and hello within the hello timeout. */
    HELLO_TIMEOUTS,
    /** Peers connected (hello completed and the connection kept). */
    PEERS_CONNECTED,
    /** A second connection to a peer already connected; one of the two was closed. */
    DUPLICATE_CONNECTIONS,
    /** Connections closed after a silent idle timeout. */
    IDLE_TIMEOUTS,
    /** Connections closed on an I/O or protocol error after the handshake. */
    CONNECTION_ERRORS,
    /** Application frames received and accepted. */
    FRAMES_RECEIVED,
    /** Payload bytes of the frames received and accepted. */
    BYTES_RECEIVED,
    /** Frames written to peers (application and hello). */
    FRAMES_SENT,
    /** Payload bytes of the frames written. */
    BYTES_SENT,
    /** Frames over {@link PeerLimits#frameBytesMax()}: the connection is closed. */
    OVERSIZE_FRAMES,
    /** Frames too short for a type, of a reserved type, or out of protocol order: dropped. */
    MALFORMED_FRAMES,
    /** Frames over a peer's message or byte rate: dropped. */
    RATE_LIMITED_FRAMES,
    /** Outbound messages dropped, oldest first, from a full per-peer queue. */
    OUTBOUND_DROPPED,
    /** Inbound messages dropped because the listener's queue was full. */
    INBOUND_DROPPED,
    /** Sends to a peer not connected. */
    SEND_NO_PEER,
    /** Listener calls that threw; the delivery thread goes on. */
    LISTENER_ERRORS;

    /** E.g. {@code chorus_p2p_oversize_frames_total}. */
    public String metricName() {
      return "chorus_p2p_" + name().toLowerCase(java.util.Locale.ROOT) + "_total";
    }
  }

  private final EnumMap<Counter, LongAdder> adders = new EnumMap<>(Counter.class);

  NetworkCounters() {
    for (Counter c : Counter.values()) {
      adders.put(c, new LongAdder());
    }
  }

  void increment(Counter counter) {
    adders.get(counter).increment();
  }

  void add(Counter counter, long amount) {
    adders.get(counter).add(amount);
  }

  /** The current value of one counter. */
  public long get(Counter counter) {
    return adders.get(counter).sum();
  }

  /** Every counter's current value, in declaration order. */
  public Map<Counter, Long> snapshot() {
    EnumMap<Counter, Long> values = new EnumMap<>(Counter.class);
    adders.forEach((c, a) -> values.put(c, a.sum()));
    return values;
  }
}
