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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sustained EPCIS capture through {@code POST /epcis/capture} on every member at once, and the
 * time from posting a document to its events' proofs being answered.
 *
 * <p>Each member gets {@code inFlight} senders (its operator token's keystore account signs the
 * captures). A sender loops until the run's end: it posts a fresh document of {@code events}
 * events ({@link EpcisLoadDocuments}), polls the capture job every {@link #POLL} until it is no
 * longer running, then asks the same member for the proofs of {@code proofsPerDocument} of its
 * events (first, last and evenly between), again every {@link #POLL} until each answers 200.
 * The first {@code warmup} is not counted. Counted: the events of the jobs that reached {@code
 * success} within the measured window (throughput), and, for each sampled event of a document
 * posted within it, the time from the post to its proof's 200 (latency). Sampling keeps the
 * proof reads from becoming the load: every event of a job that succeeded is anchored, so a
 * sample's proof time stands for its document's. A job that ends in {@code failure} fails the
 * run.
 */
public final class EpcisCaptureLoad {
  /** How often a sender asks for its job and for a proof not yet there. */
  static final Duration POLL = Duration.ofMillis(50);

  /** One member to capture on: its RPC URL and an API token with role trace.capturer. */
  public record Member(String url, String token) {}

  /** What to run. */
  public record Options(List<Member> members, int events, int inFlight, Duration warmup,
      Duration duration, int proofsPerDocument, Duration timeout) {
    /** Checks the bounds. */
    public Options {
      members = List.copyOf(members);
      if (members.isEmpty() || events < 1 || events > 10_000 || inFlight < 1 || inFlight > 64
          || proofsPerDocument < 1 || proofsPerDocument > events || duration.isZero()
          || duration.isNegative() || warmup.isNegative()) {
        throw new IllegalArgumentException("needs at least one member, 1 to 10,000 events a"
            + " document, 1 to 64 documents in flight per member, 1 to --events proofs per"
            + " document and a positive duration");
      }
    }
  }

  private EpcisCaptureLoad() {}

  /**
   * Runs it; one JSON object: eventsPerSecond, documents, events, proofLatencyMs {p50, p99,
   * max}, the samples, and the options.
   */
  public static ObjectNode run(Options o) throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + o.warmup().toNanos();
    long end = measureFrom + o.duration().toNanos();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    AtomicLong events = new AtomicLong();
    AtomicLong documents = new AtomicLong();
    AtomicLong posted = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(o.members().size() * o.inFlight());
    List<Future<?>> senders = new ArrayList<>();
    SplittableRandom seeds = new SplittableRandom();
    for (Member member : o.members()) {
      RestClient rest = new RestClient(member.url(), member.token());
      for (int i = 0; i < o.inFlight(); i++) {
        EpcisLoadDocuments maker = new EpcisLoadDocuments(seeds.split());
        senders.add(pool.submit(() -> {
          while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            List<Long> proofTimes = captureOne(rest, maker, o);
            long done = System.nanoTime();
            posted.incrementAndGet();
            if (done >= measureFrom && done < end) {
              documents.incrementAndGet();
              events.addAndGet(o.events());
            }
            if (sent >= measureFrom && sent < end) {
              proofTimes.forEach(t -> latencies.add((t - sent) / 1_000_000));
            }
          }
          return null;
        }));
      }
    }
    try {
      for (Future<?> f : senders) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ClientException c ? c
          : new ClientException("a sender failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return result(o, events.get(), documents.get(), posted.get(), latencies);
  }

  // Posts one document, waits for its job's success and its sampled proofs; the time each
  // proof was first answered (System.nanoTime), whose job succeeded before it.
  private static List<Long> captureOne(RestClient rest, EpcisLoadDocuments maker, Options o) {
    byte[] document = maker.document(o.events(), Instant.now());
    List<String> ids = EpcisLoadDocuments.eventIds(document);
    long deadline = System.nanoTime() + o.timeout().toNanos();
    JsonNode job = rest.postDocument("/epcis/capture", document,
        Map.of("GS1-Capture-Error-Behaviour", "rollback")).body();
    String captureId = job.path("captureID").asText();
    while (job.path("running").asBoolean()) {
      pause(deadline, "capture " + captureId + " still running");
      job = rest.get("/epcis/capture/" + captureId);
    }
    if (!job.path("success").asBoolean()) {
      throw new ClientException("capture " + captureId + " ended " + job.path("status")
          .asText() + ": " + job.path("errors"));
    }
    List<Long> answered = new ArrayList<>();
    for (int k = 0; k < o.proofsPerDocument(); k++) {
      int index = o.proofsPerDocument() == 1 ? 0
          : (int) ((long) k * (ids.size() - 1) / (o.proofsPerDocument() - 1));
      String path = "/epcis/events/" + URLEncoder.encode(ids.get(index),
          StandardCharsets.UTF_8) + "/proof";
      while (!proven(rest, path)) {
        pause(deadline, "no proof of " + ids.get(index) + " although its capture succeeded");
      }
      answered.add(System.nanoTime());
    }
    return answered;
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

  private static ObjectNode result(Options o, long events, long documents, long posted,
      List<Long> latencies) {
    if (latencies.isEmpty()) {
      throw new ClientException("no document posted after the warm-up had its proofs within"
          + " the run: lengthen --duration");
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("eventsPerSecond", Math.round(events * 1e9 / o.duration().toNanos()));
    out.put("events", events).put("documents", documents).put("documentsPosted", posted);
    ObjectNode lat = out.putObject("proofLatencyMs");
    lat.put("p50", sorted.get(sorted.size() / 2));
    lat.put("p99", sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))));
    lat.put("max", sorted.getLast());
    lat.put("samples", sorted.size());
    out.put("members", o.members().size()).put("eventsPerDocument", o.events())
        .put("inFlightPerMember", o.inFlight()).put("proofsPerDocument", o.proofsPerDocument())
        .put("warmupSeconds", o.warmup().toSeconds())
        .put("durationSeconds", o.duration().toSeconds());
    return out;
  }
}
