package io.chorus.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.crypto.HdWallet;
import io.chorus.proof.ProofBundle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Anchored digests per second through batching, and the time from sending a batch to holding
 * every digest's final proof: {@code senders} accounts of the mnemonic each anchor batches of
 * {@code batchSize} random digests one after another until {@code batches} are done.
 */
public final class NotaryLoad {
  private NotaryLoad() {}

  /** What to run. */
  public record Options(String url, int batches, int batchSize, int senders, String mnemonic,
      Duration timeout) {
    /** Checks the bounds. */
    public Options {
      if (batches < 1 || batchSize < 1 || batchSize > 4096 || senders < 1 || senders > 64) {
        throw new IllegalArgumentException("batches must be ≥ 1, the batch size 1 to 4,096 and"
            + " the senders 1 to 64");
      }
    }
  }

  /** Runs it; one JSON object: digestsPerSecond, latMs {p50, p99, max}, and the options. */
  public static ObjectNode run(Options o) throws InterruptedException {
    ChorusClient client = ChorusClient.connect(o.url());
    NotaryClient notary = new NotaryClient(client, o.timeout());
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(o.senders());
    long start = System.nanoTime();
    List<Future<?>> running = new ArrayList<>();
    for (int s = 0; s < o.senders(); s++) {
      Account from = client.account(HdWallet.ethereumAccountKey(o.mnemonic(), s));
      int mine = o.batches() / o.senders() + (s < o.batches() % o.senders() ? 1 : 0);
      SplittableRandom random = new SplittableRandom(); // fresh digests: a root anchors once
      running.add(pool.submit(() -> {
        for (int b = 0; b < mine; b++) {
          List<byte[]> digests = new ArrayList<>(o.batchSize());
          for (int i = 0; i < o.batchSize(); i++) {
            byte[] d = new byte[32];
            random.nextBytes(d);
            digests.add(d);
          }
          long sent = System.nanoTime();
          List<ProofBundle> proofs = notary.anchor(from, digests, "{\"bench\":true}");
          latencies.add((System.nanoTime() - sent) / 1_000_000);
          if (proofs.size() != digests.size()) {
            throw new ClientException("a batch of " + digests.size() + " came back with "
                + proofs.size() + " proofs");
          }
        }
        return null;
      }));
    }
    try {
      for (Future<?> f : running) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof ClientException c ? c
          : new ClientException("a sender failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    long digests = (long) o.batches() * o.batchSize();
    out.put("digestsPerSecond", Math.round(digests * 1000.0 / elapsedMs));
    ObjectNode lat = out.putObject("latMs");
    lat.put("p50", sorted.get(sorted.size() / 2));
    lat.put("p99", sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))));
    lat.put("max", sorted.getLast());
    out.put("elapsedMs", elapsedMs).put("digests", digests).put("batches", o.batches())
        .put("batchSize", o.batchSize()).put("senders", o.senders())
        .put("suite", client.suite().name());
    return out;
  }
}
