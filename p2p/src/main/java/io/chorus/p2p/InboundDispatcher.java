package io.chorus.p2p;

import io.chorus.codec.ByteKey;
import io.chorus.p2p.NetworkCounters.Counter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that calls the {@link PeerListener}, and the bounded queue feeding it.
 *
 * <p>Messages count against {@link PeerLimits#inboundQueueMessagesMax()} and
 * {@link PeerLimits#inboundQueueBytesMax()}. Past half of either, the connection that delivered
 * stops reading (TCP backpressure reaches the peer, whose outbound queue then drops its oldest)
 * until the listener has drained the queue below a quarter; at the bound itself a message is
 * dropped and counted. Connect and disconnect events are never dropped: there is at most one of
 * each per connection, and connections are bounded.
 */
final class InboundDispatcher {
  private sealed interface Event {}

  private record Message(ByteKey peer, int type, byte[] payload) implements Event {}

  private record Connected(ByteKey peer) implements Event {}

  private record Disconnected(ByteKey peer) implements Event {}

  private record Stop() implements Event {}

  private final PeerListener listener;
  private final PeerLimits limits;
  private final NetworkCounters counters;
  private final RateLimitedLog log;
  // Bounded by the checks in offerMessage, not by the queue itself (control events bypass).
  private final LinkedBlockingQueue<Event> queue = new LinkedBlockingQueue<>();
  private final AtomicInteger queuedMessages = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Set<PeerSession> paused = ConcurrentHashMap.newKeySet();
  private final Thread thread;

  InboundDispatcher(PeerListener listener, PeerLimits limits, NetworkCounters counters,
      RateLimitedLog log) {
    this.listener = listener;
    this.limits = limits;
    this.counters = counters;
    this.log = log;
    this.thread = new Thread(this::run, "chorus-p2p-deliver");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Queues a message for the listener; false when the queue is full and it was dropped. Pauses
   * reading from {@code from} when the queue is past its high-water mark.
   */
  boolean offerMessage(ByteKey peer, int type, byte[] payload, PeerSession from) {
    int messages = queuedMessages.incrementAndGet();
    long bytes = queuedBytes.addAndGet(payload.length);
    if (messages > limits.inboundQueueMessagesMax() || bytes > limits.inboundQueueBytesMax()) {
      queuedMessages.decrementAndGet();
      queuedBytes.addAndGet(-payload.length);
      counters.increment(Counter.INBOUND_DROPPED);
      log.warn("inbound queue full: dropped a message of type " + type + " from " + peer);
      return false;
    }
    queue.add(new Message(peer, type, payload));
    if (messages > limits.inboundQueueMessagesMax() / 2
        || bytes > limits.inboundQueueBytesMax() / 2) {
      paused.add(from);
      from.pauseReading();
    }
    return true;
  }

  void peerConnected(ByteKey peer) {
    queue.add(new Connected(peer));
  }

  void peerDisconnected(ByteKey peer) {
    queue.add(new Disconnected(peer));
  }

  /** Delivers what is queued, then stops the thread; waits for it unless called from it. */
  void stop(long waitMillis) throws InterruptedException {
    queue.add(new Stop());
    if (Thread.currentThread() != thread) {
      thread.join(waitMillis);
    }
  }

  private void run() {
    while (true) {
      Event event;
      try {
        event = queue.take();
      } catch (InterruptedException e) {
        // Nobody interrupts this thread but the JVM going down: stop delivering.
        Thread.currentThread().interrupt();
        return;
      }
      if (event instanceof Stop) {
        return;
      }
      deliver(event);
    }
  }

  private void deliver(Event event) {
    try {
      switch (event) {
        case Message m -> {
          released(m.payload().length);
          listener.onMessage(m.peer(), m.type(), m.payload());
        }
        case Connected c -> listener.onPeerConnected(c.peer());
        case Disconnected d -> listener.onPeerDisconnected(d.peer());
        case Stop s -> throw new IllegalStateException("stop is handled by the loop");
      }
    } catch (RuntimeException e) {
      counters.increment(Counter.LISTENER_ERRORS);
      log.warn("the peer listener threw on a " + event.getClass().getSimpleName() + ": "
          + e);
    }
  }

  private void released(int payloadBytes) {
    int messages = queuedMessages.decrementAndGet();
    long bytes = queuedBytes.addAndGet(-payloadBytes);
    if (!paused.isEmpty() && messages <= limits.inboundQueueMessagesMax() / 4
        && bytes <= limits.inboundQueueBytesMax() / 4) {
      for (PeerSession session : paused) {
        paused.remove(session);
        session.resumeReading();
      }
    }
  }
}
