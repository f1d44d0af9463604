package io.chorus.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.codec.Hex;
import io.chorus.rpc.rest.Authenticator;
import io.chorus.trace.SubscriptionStore.Progress;
import io.chorus.trace.SubscriptionStore.Subscription;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Delivers named queries' new events, at least once and in chain order, to webhooks and
 * WebSocket streams, always from the event store: woken when the indexer stored a block (and
 * by retry timers and acknowledgements), each receiver gets the events after its acknowledged
 * cursor. A webhook delivery is acknowledged by a 2xx answer, which moves the subscription's
 * cursor and is written down before the next delivery; any other outcome is retried with
 * bounded exponential backoff, the failure visible in the subscription's progress. So a
 * receiver that was down, or a node that restarted, resumes right after the last acknowledged
 * event: nothing skipped, only unacknowledged deliveries repeated.
 *
 * <p>One thread does the deliveries' bookkeeping; webhook requests run asynchronously, one at
 * a time per subscription, so a slow receiver holds up only its own subscription.
 */
final class SubscriptionDeliverer implements AutoCloseable {
  /** The events one delivery carries at most. */
  static final int DELIVERY_EVENTS_MAX = 100;
  /** The header that carries a webhook delivery's cursor (also in its body). */
  static final String CURSOR_HEADER = "Chorus-Cursor";
  /** The header of a delivery's signature: {@code hmac-sha256=} and the hex HMAC of the body. */
  static final String SIGNATURE_HEADER = "GS1-Signature";
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(
      SubscriptionDeliverer.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The wait before retry {@code n} (1, 2, ...): {@code first} doubled each time, to {@code max}. */
  record Backoff(Duration first, Duration max) {
    static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));

    Backoff {
      if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
        throw new IllegalArgumentException("a backoff starts above 0 and its max is at least"
            + " its first wait: " + first + ", " + max);
      }
    }

    Duration before(int attempt) {
      Duration wait = first;
      for (int i = 1; i < attempt && wait.compareTo(max) < 0; i++) {
        wait = wait.multipliedBy(2);
      }
      return wait.compareTo(max) < 0 ? wait : max;
    }
  }

  // A webhook subscription's delivery state; touched on the deliverer's thread only, but for
  // progress, which the REST handlers read.
  private static final class Webhook {
    final Subscription subscription;
    final TraceQuery query;
    volatile Progress progress;
    boolean inFlight;
    long reportedBlocks;
    ScheduledFuture<?> retry;
    // A scheduled subscription: its next query time, and whether a run is delivering (from a
    // query time until it finds nothing more after the cursor).
    volatile Instant nextRun;
    boolean running;
    boolean deliveredInRun;
    ScheduledFuture<?> tick;

    Webhook(Subscription subscription, TraceQuery query, Progress progress, Instant now) {
      this.subscription = subscription;
      this.query = query;
      this.progress = progress;
      if (subscription.schedule() != null) {
        nextRun = subscription.schedule().next(now).orElse(null);
      }
    }
  }

  private final SubscribedEvents events;
  private final SubscriptionStore store;
  private final Authenticator authenticator;
  private final Clock clock;
  private final Backoff backoff;
  private final ScheduledExecutorService thread;
  private final HttpClient http;
  private final Map<String, Webhook> webhooks = new ConcurrentHashMap<>();
  private final Set<QueryStream> streams = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean pumpScheduled = new AtomicBoolean();
  private final AtomicLong blocksIndexed = new AtomicLong();

  SubscriptionDeliverer(SubscribedEvents events, SubscriptionStore store,
      Authenticator authenticator, Clock clock, Backoff backoff) {
    this.events = events;
    this.store = store;
    this.authenticator = authenticator;
    this.clock = clock;
    this.backoff = backoff;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "chorus-epcis-subscriptions");
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Starts delivering to a webhook subscription from its progress. */
  void add(Subscription subscription, TraceQuery query, Progress progress) {
    webhooks.put(subscription.id(), new Webhook(subscription, query, progress,
        clock.instant()));
    wake();
  }

  /** A scheduled subscription's next query time (empty for a stream, or while it runs). */
  Optional<Instant> nextRun(String subscriptionId) {
    return Optional.ofNullable(webhooks.get(subscriptionId)).map(w -> w.nextRun);
  }

  /** Stops delivering to a subscription; a delivery in flight is not acknowledged. */
  void remove(String subscriptionId) {
    webhooks.remove(subscriptionId);
  }

  Optional<Progress> progress(String subscriptionId) {
    return Optional.ofNullable(webhooks.get(subscriptionId)).map(w -> w.progress);
  }

  void addStream(QueryStream stream) {
    streams.add(stream);
    wake();
  }

  void removeStream(QueryStream stream) {
    streams.remove(stream);
  }

  /** The indexer stored a block: deliver what it brought (and empty reports that are due). */
  void onIndexed() {
    blocksIndexed.incrementAndGet();
    wake();
  }

  /** Looks for something to deliver, soon, on the deliverer's thread; calls coalesce. */
  void wake() {
    if (pumpScheduled.compareAndSet(false, true)) {
      try {
        thread.execute(this::pump);
      } catch (RejectedExecutionException closed) {
        pumpScheduled.set(false);
      }
    }
  }

  private void pump() {
    pumpScheduled.set(false);
    for (Webhook webhook : webhooks.values()) {
      try {
        pump(webhook);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "subscription " + webhook.subscription.id()
            + ": cannot read its next delivery", e);
      }
    }
    for (QueryStream stream : streams) {
      try {
        Optional<String> lapsed = authenticator.lapsed(stream.caller());
        if (lapsed.isPresent()) {
          stream.stop(lapsed.get() + ": this stream acted for it and is closed; open it again"
              + " with a valid token");
          streams.remove(stream);
          continue;
        }
        stream.pump(events);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a query stream failed", e);
      }
    }
  }

  private void pump(Webhook webhook) {
    if (webhook.inFlight) {
      return;
    }
    Progress progress = webhook.progress;
    Instant now = clock.instant();
    if (progress.nextAttemptAt() != null && now.isBefore(progress.nextAttemptAt())) {
      if (webhook.retry == null || webhook.retry.isDone()) { // e.g. after a restart
        webhook.retry = thread.schedule(this::wake, Duration.between(now,
            progress.nextAttemptAt()).toMillis(), TimeUnit.MILLISECONDS);
      }
      return;
    }
    Subscription subscription = webhook.subscription;
    // A subscription reads as its caller: once that caller's token is revoked or expired,
    // nothing more is delivered, and its progress says why.
    Optional<String> lapsed = authenticator.lapsed(subscription.caller());
    if (lapsed.isPresent()) {
      String why = "not delivered: " + lapsed.get() + " (the subscription reads as its token's"
          + " caller; subscribe again with a valid token)";
      if (!why.equals(progress.lastError())) {
        webhook.progress = new Progress(progress.cursor(), progress.delivered(),
            progress.attempts(), why, progress.lastAttemptAt(), progress.lastNotifiedAt(), null);
        store.put(subscription, webhook.progress);
      }
      return;
    }
    boolean scheduled = subscription.schedule() != null;
    if (scheduled && !webhook.running) {
      if (webhook.nextRun == null || now.isBefore(webhook.nextRun)) {
        if (webhook.nextRun != null && (webhook.tick == null || webhook.tick.isDone())) {
          webhook.tick = thread.schedule(this::wake, Duration.between(now, webhook.nextRun)
              .toMillis(), TimeUnit.MILLISECONDS);
        }
        return;
      }
      webhook.running = true; // a query time came: deliver what lies after the cursor
      webhook.deliveredInRun = false;
      webhook.nextRun = null;
    }
    List<StoredEvent> batch = events.readableEvents(subscription.caller(), webhook.query,
        progress.cursor(), DELIVERY_EVENTS_MAX);
    long blocks = blocksIndexed.get();
    if (scheduled) {
      if (batch.isEmpty() && (webhook.deliveredInRun || !subscription.reportIfEmpty())) {
        endRun(webhook, now);
        return;
      }
    } else if (batch.isEmpty()
        && !(subscription.reportIfEmpty() && webhook.reportedBlocks < blocks)) {
      return;
    }
    webhook.reportedBlocks = blocks;
    long cursor = batch.isEmpty() ? progress.cursor() : batch.getLast().seq();
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(events.document(subscription.queryName(),
          subscription.id(), batch, cursor));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a delivery", e);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(subscription.dest())
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .header("GS1-EPCIS-Version", EpcisService.EPCIS_VERSION)
        .header("GS1-CBV-Version", EpcisService.CBV_VERSION)
        .header(CURSOR_HEADER, Long.toString(cursor))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (subscription.signatureToken() != null) {
      request.header(SIGNATURE_HEADER, signature(subscription.signatureToken(), body));
    }
    webhook.inFlight = true;
    Optional<String> refused = WebhookDestinations.refusal(subscription.dest());
    if (refused.isPresent()) { // answered as a failed delivery: retried, as DNS may change
      answered(webhook, batch.size(), cursor, now, null, new IllegalStateException(
          "the destination is refused: " + refused.get()));
      return;
    }
    http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .whenComplete((response, error) -> {
          try {
            thread.execute(() -> answered(webhook, batch.size(), cursor, now, response, error));
          } catch (RejectedExecutionException closed) {
            // Shutting down: the delivery counts as not acknowledged, and is repeated.
          }
        });
  }

  // On the deliverer's thread: a webhook answered (or failed to).
  private void answered(Webhook webhook, int count, long cursor, Instant at,
      HttpResponse<Void> response, Throwable error) {
    webhook.inFlight = false;
    if (webhooks.get(webhook.subscription.id()) != webhook) {
      return; // deleted meanwhile
    }
    Progress was = webhook.progress;
    boolean acknowledged = error == null && response.statusCode() / 100 == 2;
    String why = acknowledged ? null : error != null ? describe(error)
        : "HTTP " + response.statusCode() + " (a delivery is acknowledged by a 2xx answer)";
    Progress now;
    if (count == 0) {
      // An empty report carries nothing to acknowledge, so a failed one is not retried.
      now = new Progress(was.cursor(), was.delivered(), was.attempts(),
          acknowledged ? was.lastError() : why, at, was.lastNotifiedAt(), was.nextAttemptAt());
      if (webhook.running) {
        endRun(webhook, clock.instant());
      }
    } else if (acknowledged) {
      now = new Progress(cursor, was.delivered() + count, 0, null, at, at, null);
      webhook.deliveredInRun = true;
    } else {
      int attempts = was.attempts() + 1;
      Duration wait = backoff.before(attempts);
      now = new Progress(was.cursor(), was.delivered(), attempts, why, at,
          was.lastNotifiedAt(), clock.instant().plus(wait));
      webhook.retry = thread.schedule(this::wake, wait.toMillis(), TimeUnit.MILLISECONDS);
    }
    webhook.progress = now;
    store.put(webhook.subscription, now);
    if (acknowledged) {
      wake(); // more may be waiting
    }
  }

  // A scheduled run found nothing more after the cursor: wait for the next query time.
  private void endRun(Webhook webhook, Instant now) {
    webhook.running = false;
    webhook.nextRun = webhook.subscription.schedule().next(now).orElse(null);
    if (webhook.nextRun != null) {
      webhook.tick = thread.schedule(this::wake, Duration.between(now, webhook.nextRun)
          .toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static String describe(Throwable error) {
    Throwable cause = error.getCause() != null ? error.getCause() : error;
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? ""
        : ": " + cause.getMessage());
  }

  /** The {@value #SIGNATURE_HEADER} of a body: its HMAC-SHA256 under the token, in hex. */
  static String signature(String token, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "hmac-sha256=" + Hex.encode(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    http.shutdownNow();
  }
}
