package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.RestStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;

/**
 * A named query's new events streamed over a WebSocket ({@code GET
 * /epcis/queries/{queryName}/events} with an upgrade): each message an EPCISQueryDocument of
 * at most {@link SubscriptionDeliverer#DELIVERY_EVENTS_MAX} events after the previous one, its
 * cursor in {@code queryResults."chorus:cursor"}. The client acknowledges a message by sending
 * {@code {"ack": cursor}} (which acknowledges every message before it too); at most {@link
 * #UNACKNOWLEDGED_MAX} messages go out unacknowledged. The stream keeps no state beyond its
 * connection: a client that reconnects with {@code cursor=} its last acknowledged cursor
 * resumes right after it.
 */
final class QueryStream implements RestStream {
  /** Messages sent and not yet acknowledged, before the stream waits for an ack. */
  static final int UNACKNOWLEDGED_MAX = 8;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SubscriptionDeliverer deliverer;
  private final Caller caller;
  private final String queryName;
  private final TraceQuery query;
  // Guarded by this.
  private JsonRpc.Session session;
  private long acknowledged;
  private long sent;
  private final ArrayDeque<Long> unacknowledged = new ArrayDeque<>();

  QueryStream(SubscriptionDeliverer deliverer, Caller caller, String queryName,
      TraceQuery query, long cursor) {
    this.deliverer = deliverer;
    this.caller = caller;
    this.queryName = queryName;
    this.query = query;
    this.acknowledged = cursor;
    this.sent = cursor;
  }

  @Override
  public void onOpen(JsonRpc.Session opened) {
    synchronized (this) {
      session = opened;
    }
    opened.onClose(() -> deliverer.removeStream(this));
    deliverer.addStream(this);
  }

  @Override
  public void onMessage(String text) {
    String problem = acknowledge(text);
    if (problem != null) {
      JsonRpc.Session to;
      synchronized (this) {
        to = session;
      }
      if (to != null) {
        to.send(JSON.createObjectNode().put("error", problem).toString());
      }
    }
  }

  // Takes an acknowledgement; null when it is one, else what is wrong with the message.
  private String acknowledge(String text) {
    JsonNode ack;
    try {
      ack = JSON.readTree(text).path("ack");
    } catch (IOException e) {
      return "not JSON; acknowledge a message with {\"ack\": <its chorus:cursor>}";
    }
    if (!ack.canConvertToLong() || !ack.isIntegralNumber()) {
      return "acknowledge a message with {\"ack\": <its chorus:cursor>}, a whole number";
    }
    long cursor = ack.longValue();
    synchronized (this) {
      if (cursor <= acknowledged) {
        return null; // acknowledged already: acknowledgements are cumulative
      }
      if (!unacknowledged.contains(cursor)) {
        return "no message sent has cursor " + cursor + "; the messages awaiting an ack have "
            + unacknowledged;
      }
      while (!unacknowledged.isEmpty() && unacknowledged.peekFirst() <= cursor) {
        unacknowledged.pollFirst();
      }
      acknowledged = cursor;
    }
    deliverer.wake();
    return null;
  }

  Caller caller() {
    return caller;
  }

  /** On the deliverer's thread: says why the stream ends, then closes it. */
  synchronized void stop(String why) {
    if (session != null) {
      session.send(JSON.createObjectNode().put("error", why).toString());
      session.close("credentials lapsed");
    }
  }

  /** On the deliverer's thread: sends what is new while the window has room. */
  synchronized void pump(SubscribedEvents events) {
    while (session != null && session.isOpen() && unacknowledged.size() < UNACKNOWLEDGED_MAX) {
      List<StoredEvent> batch = events.readableEvents(caller, query, sent,
          SubscriptionDeliverer.DELIVERY_EVENTS_MAX);
      if (batch.isEmpty()) {
        return;
      }
      long cursor = batch.getLast().seq();
      session.send(events.document(queryName, null, batch, cursor).toString());
      unacknowledged.addLast(cursor);
      sent = cursor;
    }
  }
}
