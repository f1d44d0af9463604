package io.chorus.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.service.TransactionSubmitter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The capture jobs a node answers {@code GET /epcis/capture/{id}} with: the transactions a
 * document became and the events refused. A job's state is read from the chain when asked
 * (running until each of its transactions is in a block), so no thread watches it. Kept in
 * memory, the newest {@link #JOBS_MAX}: a job is a receipt for the caller, while what it
 * captured stays on the chain and in the event store.
 */
final class CaptureJobs {
  /** The jobs remembered; the oldest is forgotten first. */
  static final int JOBS_MAX = 10_000;

  /** One transaction of a job: its events, {@code first} to {@code first + count - 1}. */
  record Sent(TransactionSubmitter.Submitted tx, int first, int count) {}

  /**
   * A job: what was sent, what was refused and how the caller asked errors to be handled;
   * {@code visibleTo} the organisations its events are sealed for (empty: everyone's).
   */
  record Job(String id, Instant createdAt, String behaviour, List<Sent> sent,
      List<ObjectNode> errors, List<String> visibleTo) {}

  private final Map<String, Job> jobs = new LinkedHashMap<>();

  synchronized Job add(Instant now, String behaviour, List<Sent> sent, List<ObjectNode> errors,
      List<String> visibleTo) {
    Job job = new Job(UUID.randomUUID().toString(), now, behaviour, List.copyOf(sent),
        List.copyOf(errors), List.copyOf(visibleTo));
    jobs.put(job.id(), job);
    if (jobs.size() > JOBS_MAX) {
      jobs.remove(jobs.keySet().iterator().next());
    }
    return job;
  }

  synchronized Optional<Job> get(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  synchronized List<Job> newest(int limit) {
    List<Job> all = new ArrayList<>(jobs.values());
    return all.subList(Math.max(0, all.size() - limit), all.size()).reversed();
  }

  /**
   * The job as the EPCIS capture interface describes it ({@code captureID}, {@code running},
   * {@code success}, {@code errors}), with each transaction's block once it is in one and this
   * node's event store holds that block ({@code indexedHeight} is the last it holds).
   */
  static ObjectNode json(Job job, TransactionSubmitter submitter, long indexedHeight) {
    ObjectNode out = JsonNodeFactory.instance.objectNode().put("captureID", job.id())
        .put("createdAt", job.createdAt().toString())
        .put("captureErrorBehaviour", job.behaviour());
    ArrayNode transactions = out.putArray("transactions");
    boolean running = false;
    boolean failed = false;
    for (Sent sent : job.sent()) {
      ObjectNode tx = transactions.addObject().put("txHash", sent.tx().hashHex())
          .put("firstEvent", sent.first()).put("events", sent.count());
      Optional<TransactionSubmitter.Included> included = submitter.committed(sent.tx().hash());
      // In a block but not yet in this node's event store: a query would not find the events
      // yet, so the job is still running (the indexer follows the chain on its own thread).
      if (included.isEmpty() || included.get().blockNumber() > indexedHeight) {
        running = true;
        tx.put("status", "pending");
      } else {
        tx.put("status", included.get().success() ? "anchored" : "reverted")
            .put("blockNumber", included.get().blockNumber())
            .put("blockHash", Hex.encode0x(included.get().blockHash()));
        failed |= !included.get().success();
      }
    }
    out.put("running", running);
    out.put("success", !running && !failed && job.errors().isEmpty());
    out.put("status", running ? "running" : !failed && job.errors().isEmpty() ? "success"
        : "failure");
    ArrayNode errors = out.putArray("errors");
    job.errors().forEach(errors::add);
    return out;
  }
}
