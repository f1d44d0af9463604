package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained EPCIS capture through {@code POST /epcis/capture} on every member at once, and the
 * time from posting a document to its events' proofs being answered.
 *
 * <p>A document is a fresh one of {@code events} events ({@link EpcisLoadDocuments}), posted
 * with a member's operator token (its keystore account signs the captures). Its sender polls
 * the capture job every {@link #POLL} until it is no longer running, then asks the same member
 * for the proofs of {@code proofsPerDocument} of its events (first, last and evenly between),
 * all at once, again every {@link #POLL} until each answers 200. Sampling keeps the proof reads from
 * becoming the load: every event of a job that succeeded is anchored, so a sample's proof time
 * stands for its document's. A job that ends in {@code failure} fails the run.
 *
 * <p>Two ways to load it:
 *
 * <ul>
 *   <li><b>Closed</b> ({@code rate} 0): each member gets {@code inFlight} senders, each posting
 *       its next document once the last one's proofs are answered: the most the network
 *       carries with that many documents waiting. Latency runs from the post.
 *   <li><b>Open</b> ({@code rate} events/s): documents are due at a fixed pace, the members in
 *       turn, each posted when due whatever the network's answers so far, as a fixed-rate
 *       benchmark (Hyperledger Caliper's) offers load. Latency runs from when the document was
 *       due, so a sender held up does not hide the wait. A run with more than {@link
 *       #OPEN_BACKLOG_MAX} documents unanswered fails: the network does not sustain the rate.
 * </ul>
 *
 * <p>The first {@code warmup} is not counted. Counted: the events of the documents whose
 * proofs were all answered within the measured window (throughput) and, for each document due
 * or posted within it, the time to its job's 202, to its success, and to each sampled proof.
 */
public final class EpcisCaptureLoad {
  /** How often a sender asks for its job and for a proof not yet there. */
  static final Duration POLL = Duration.ofMillis(50);

  /** The most documents of an open run awaiting their proofs at once, all members together. */
  static final int OPEN_BACKLOG_MAX = 256;

  /** One member to capture on: its RPC URL and an API token with role trace.capturer. */
  public record Member(String url, String token) {}

  /** What to run: {@code rate} 0 for closed loops of {@code inFlight} per member. */
  public record Options(List<Member> members, int events, int inFlight, int rate,
      Duration warmup, Duration duration, int proofsPerDocument, Duration timeout) {
    /** Checks the bounds. */
    public Options {
      members = List.copyOf(members);
      if (members.isEmpty() || events < 1 || events > 10_000 || inFlight < 1 || inFlight > 64
          || rate < 0 || rate > 1_000_000 || proofsPerDocument < 1 || proofsPerDocument > events
          || duration.isZero() || duration.isNegative() || warmup.isNegative()) {
        throw new IllegalArgumentException("needs at least one member, 1 to 10,000 events a"
            + " document, 1 to 64 documents in flight per member, a rate of 0 (closed loops)"
            + " to 1,000,000 events/s, 1 to --events proofs per document and a positive"
            + " duration");
      }
    }
  }

  private EpcisCaptureLoad() {}

  /**
   * Runs it; one JSON object: eventsPerSecond, documents, events, proofLatencyMs, acceptedMs and
   * anchoredMs {p50, p99, max, samples}, and the options.
   */
  public static ObjectNode run(Options o) throws InterruptedException {
    Tally tally = new Tally(o);
    List<RestClient> members = o.members().stream()
        .map(m -> new RestClient(m.url(), m.token())).toList();
    SplittableRandom seeds = new SplittableRandom();
    ExecutorService pool = o.rate() == 0
        ? Executors.newFixedThreadPool(members.size() * o.inFlight())
        : Executors.newCachedThreadPool();
    List<Future<?>> sent = new ArrayList<>();
    try {
      if (o.rate() == 0) {
        for (RestClient rest : members) {
          for (int i = 0; i < o.inFlight(); i++) {
            EpcisLoadDocuments maker = new EpcisLoadDocuments(seeds.split());
            sent.add(pool.submit(() -> {
              while (System.nanoTime() < tally.end) {
                EpcisLoadDocuments.Document document = maker.document(o.events(),
                    Instant.now());
                long posted = System.nanoTime();
                tally.add(posted, captureOne(rest, document, o));
              }
              return null;
            }));
          }
        }
      } else {
        offer(o, members, new EpcisLoadDocuments(seeds.split()), pool, tally, sent);
      }
      for (Future<?> f : sent) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ClientException c ? c
          : new ClientException("a sender failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return tally.result();
  }

  // An open run: the next document made ahead, then posted when due, the members in turn.
  private static void offer(Options o, List<RestClient> members, EpcisLoadDocuments maker,
      ExecutorService pool, Tally tally, List<Future<?>> sent) throws InterruptedException,
      ExecutionException {
    double nanosPerDocument = o.events() * 1e9 / o.rate();
    for (long k = 0; ; k++) {
      long due = tally.start + Math.round(k * nanosPerDocument);
      if (due >= tally.end) {
        return;
      }
      EpcisLoadDocuments.Document document = maker.document(o.events(), Instant.now());
      for (Iterator<Future<?>> it = sent.iterator(); it.hasNext(); ) {
        Future<?> f = it.next();
        if (f.isDone()) {
          f.get(); // a failed document fails the run now, not at its end
          it.remove();
        }
      }
      if (sent.size() > OPEN_BACKLOG_MAX) {
        throw new ClientException(sent.size() + " documents await their proofs at "
            + o.rate() + " events/s: the network does not sustain that rate; lower --rate");
      }
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      RestClient rest = members.get((int) (k % members.size()));
      sent.add(pool.submit(() -> {
        tally.add(due, captureOne(rest, document, o));
        return null;
      }));
    }
  }

  /** What the documents of a run counted, from the run's start. */
  private static final class Tally {
    final Options o;
    final long start = System.nanoTime();
    final long measureFrom;
    final long end;
    final List<Long> proven = Collections.synchronizedList(new ArrayList<>());
    final List<Long> accepted = Collections.synchronizedList(new ArrayList<>());
    final List<Long> anchored = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong events = new AtomicLong();
    final AtomicLong documents = new AtomicLong();
    final AtomicLong posted = new AtomicLong();

    Tally(Options o) {
      this.o = o;
      this.measureFrom = start + o.warmup().toNanos();
      this.end = measureFrom + o.duration().toNanos();
    }

    /** A document posted (or due) at {@code from}, with its phases. */
    void add(long from, Phases times) {
      long done = System.nanoTime();
      posted.incrementAndGet();
      if (done >= measureFrom && done < end) {
        documents.incrementAndGet();
        events.addAndGet(o.events());
      }
      if (from >= measureFrom && from < end) {
        times.proofs().forEach(t -> proven.add((t - from) / 1_000_000));
        accepted.add((times.accepted() - from) / 1_000_000);
        anchored.add((times.anchored() - from) / 1_000_000);
      }
    }

    ObjectNode result() {
      if (proven.isEmpty()) {
        throw new ClientException("no document posted after the warm-up had its proofs within"
            + " the run: lengthen --duration");
      }
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      out.put("eventsPerSecond", Math.round(events.get() * 1e9 / o.duration().toNanos()));
      out.put("events", events.get()).put("documents", documents.get())
          .put("documentsPosted", posted.get());
      percentiles(out.putObject("proofLatencyMs"), proven);
      // Where a document's time goes: to its job's 202, and to its job seen succeeded.
      percentiles(out.putObject("acceptedMs"), accepted);
      percentiles(out.putObject("anchoredMs"), anchored);
      out.put("members", o.members().size()).put("eventsPerDocument", o.events());
      if (o.rate() == 0) {
        out.put("inFlightPerMember", o.inFlight());
      } else {
        out.put("offeredEventsPerSecond", o.rate());
      }
      out.put("proofsPerDocument", o.proofsPerDocument())
          .put("warmupSeconds", o.warmup().toSeconds())
          .put("durationSeconds", o.duration().toSeconds());
      return out;
    }
  }

  /**
   * When (System.nanoTime) a document's capture was accepted (202), its job seen succeeded, and
   * each sampled proof first answered.
   */
  private record Phases(long accepted, long anchored, List<Long> proofs) {}

  // Posts one document, waits for its job's success and its sampled proofs.
  private static Phases captureOne(RestClient rest, EpcisLoadDocuments.Document document,
      Options o) throws InterruptedException {
    List<String> ids = document.eventIds();
    long deadline = System.nanoTime() + o.timeout().toNanos();
    JsonNode job = rest.postDocument("/epcis/capture", document.json(),
        Map.of("GS1-Capture-Error-Behaviour", "rollback")).body();
    long accepted = System.nanoTime();
    String captureId = job.path("captureID").asText();
    while (job.path("running").asBoolean()) {
      pause(deadline, "capture " + captureId + " still running");
      job = rest.get("/epcis/capture/" + captureId);
    }
    if (!job.path("success").asBoolean()) {
      throw new ClientException("capture " + captureId + " ended " + job.path("status")
          .asText() + ": " + job.path("errors"));
    }
    long anchored = System.nanoTime();
    // The sampled proofs are asked for at once, so that each one's time is its own, not the
    // sum of the fetches before it.
    List<Callable<Long>> fetches = new ArrayList<>();
    for (int k = 0; k < o.proofsPerDocument(); k++) {
      int index = o.proofsPerDocument() == 1 ? 0
          : (int) ((long) k * (ids.size() - 1) / (o.proofsPerDocument() - 1));
      String path = "/epcis/events/" + URLEncoder.encode(ids.get(index),
          StandardCharsets.UTF_8) + "/proof";
      fetches.add(() -> {
        while (!proven(rest, path)) {
          pause(deadline, "no proof of " + ids.get(index) + " although its capture succeeded");
        }
        return System.nanoTime();
      });
    }
    List<Long> answered = new ArrayList<>();
    try (ExecutorService fetching = Executors.newVirtualThreadPerTaskExecutor()) {
      for (Future<Long> fetch : fetching.invokeAll(fetches)) {
        answered.add(fetch.get());
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ClientException c ? c
          : new ClientException("a proof fetch failed: " + e.getCause(), e.getCause());
    }
    return new Phases(accepted, anchored, answered);
  }

  // Whether the proof is answered; false while the member has not indexed the event yet.
  private static boolean proven(RestClient rest, String path) {
    try {
      return rest.get(path).has("bundle");
    } catch (ProblemException e) {
      if (e.status() == 404) {
        return false;
      }
      throw e;
    }
  }

  private static void pause(long deadlineNanos, String what) {
    if (System.nanoTime() > deadlineNanos) {
      throw new ClientException(what + " after the timeout");
    }
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted: " + what, e);
    }
  }

  private static void percentiles(ObjectNode out, List<Long> samples) {
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    out.put("p50", sorted.get(sorted.size() / 2));
    out.put("p99", sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))));
    out.put("max", sorted.getLast());
    out.put("samples", sorted.size());
  }
}
