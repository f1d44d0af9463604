package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.tx.Transaction;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The timed part of a load run, as {@code ../shared/peers/load.js} times it: each sender's
 * pre-signed transactions are pushed with eth_sendRawTransaction by {@code window} threads of
 * that sender, while a poller stamps each transaction when it first appears in a block. The
 * load generators share it so that their figures mean the same: tps = mined / (last seen mined
 * − first send), latency = seen mined − send start.
 */
final class TimedWindow {
  private static final int BLOCKS_PER_POLL_MAX = 50;

  /** A pre-signed transaction and its times in ms since the window's clock started. */
  static final class Sent {
    final Transaction tx;
    final String hash;
    volatile double sentAt;
    volatile double ackAt;
    volatile double minedAt;
    volatile String error;

    Sent(Transaction tx, byte[] hash) {
      this.tx = tx;
      this.hash = Hex.encode0x(hash);
    }
  }

  /**
   * What a window saw.
   *
   * @param submitMs first send to the last send answered
   * @param elapsedMs first send to the last transaction seen mined (NaN when none was)
   * @param blocks blocks made during the window
   */
  record Outcome(int mined, int errors, String firstError, double submitMs, double elapsedMs,
      int blocksWithTx, long blocks, boolean timedOut) {
    double tps() {
      return mined / (elapsedMs / 1000);
    }
  }

  private final JsonRpcClient rpc;
  private final Duration poll;
  private final Duration timeout;
  private final long origin = System.nanoTime();

  TimedWindow(JsonRpcClient rpc, Duration poll, Duration timeout) {
    this.rpc = rpc;
    this.poll = poll;
    this.timeout = timeout;
  }

  /** Sends every queue (one per sender, in nonce order) with {@code window} in flight each. */
  Outcome run(List<List<Sent>> queues, int window) throws InterruptedException {
    Map<String, Sent> byHash = new HashMap<>();
    int n = 0;
    for (List<Sent> queue : queues) {
      for (Sent sent : queue) {
        byHash.put(sent.hash, sent);
        n++;
      }
    }
    long startBlock = blockNumber(rpc);
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    AtomicLong expected = new AtomicLong(n);
    Poller poller = new Poller(byHash, startBlock, expected);
    double start = now();
    Thread pollerThread = Thread.ofPlatform().name("load-poller").start(poller);
    int threads = 0;
    for (List<Sent> queue : queues) {
      threads += queue.isEmpty() ? 0 : window;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    List<Future<?>> running = new ArrayList<>();
    for (List<Sent> queue : queues) {
      AtomicInteger next = new AtomicInteger();
      for (int w = 0; w < window && !queue.isEmpty(); w++) {
        running.add(pool.submit(() -> {
          for (int k = next.getAndIncrement(); k < queue.size(); k = next.getAndIncrement()) {
            Sent sent = queue.get(k);
            sent.sentAt = now();
            try {
              rpc.call("eth_sendRawTransaction", Hex.encode0x(sent.tx.encoded()));
            } catch (ClientException e) {
              sent.error = e.getMessage();
              errors.incrementAndGet();
              firstError.compareAndSet(null, e.getMessage());
            }
            sent.ackAt = now();
          }
        }));
      }
    }
    try {
      for (Future<?> f : running) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new ClientException("a sender failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    double lastAck = start;
    for (Sent sent : byHash.values()) {
      lastAck = Math.max(lastAck, sent.ackAt);
    }
    expected.set(n - errors.get()); // refused transactions are never mined
    pollerThread.join();
    if (poller.failure != null) {
      throw poller.failure;
    }
    return new Outcome(poller.seen, errors.get(), firstError.get(), lastAck - start,
        poller.seen > 0 ? poller.lastMined - start : Double.NaN, poller.blocksWithTx,
        blockNumber(rpc) - startBlock, poller.seen < expected.get());
  }

  /** Polls the head and stamps each transaction of the window when its block first appears. */
  private final class Poller implements Runnable {
    final Map<String, Sent> byHash;
    final AtomicLong expected;
    long next;
    volatile int seen;
    volatile int blocksWithTx;
    volatile double lastMined;
    volatile ClientException failure;

    Poller(Map<String, Sent> byHash, long startBlock, AtomicLong expected) {
      this.byHash = byHash;
      this.next = startBlock + 1;
      this.expected = expected;
    }

    @Override
    public void run() {
      double start = now();
      try {
        while (true) {
          long head = blockNumber(rpc);
          while (next <= head) {
            long upto = Math.min(head, next + BLOCKS_PER_POLL_MAX - 1);
            List<JsonRpcClient.Call> calls = new ArrayList<>();
            for (long b = next; b <= upto; b++) {
              calls.add(new JsonRpcClient.Call("eth_getBlockByNumber",
                  List.of(Quantities.of(b), false)));
            }
            List<JsonNode> blocks = rpc.batch(calls);
            double t = now();
            for (JsonNode block : blocks) {
              int mine = 0;
              for (JsonNode hash : block.path("transactions")) {
                Sent sent = byHash.get(hash.asText().toLowerCase(Locale.ROOT));
                if (sent != null && sent.minedAt == 0) {
                  sent.minedAt = t;
                  seen++;
                  mine++;
                  lastMined = t;
                }
              }
              if (mine > 0) {
                blocksWithTx++;
              }
            }
            next = upto + 1;
          }
          if (seen >= expected.get() || now() - start > timeout.toMillis()) {
            return;
          }
          Thread.sleep(poll);
        }
      } catch (ClientException e) {
        failure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Latencies (seen mined − send start) of those mined, sorted. */
  static double[] latencies(List<Sent> sent) {
    return sent.stream().filter(s -> s.minedAt > 0).mapToDouble(s -> s.minedAt - s.sentAt)
        .sorted().toArray();
  }

  /** Sets p50, p90, p99 and max of sorted figures on {@code into}. */
  static void putPercentiles(ObjectNode into, double[] sorted) {
    into.set("p50", round(percentile(sorted, 50), 1));
    into.set("p90", round(percentile(sorted, 90), 1));
    into.set("p99", round(percentile(sorted, 99), 1));
    into.set("max", round(sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1], 1));
  }

  static double percentile(double[] sorted, int p) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) Math.floor(p / 100.0 * sorted.length))];
  }

  /** A number rounded to {@code digits}, or JSON null when it is not finite. */
  static JsonNode round(double value, int digits) {
    return Double.isFinite(value)
        ? JsonRpcClient.JSON.getNodeFactory().numberNode(
            BigDecimal.valueOf(value).setScale(digits, RoundingMode.HALF_UP).doubleValue())
        : JsonRpcClient.JSON.getNodeFactory().nullNode();
  }

  static long blockNumber(JsonRpcClient rpc) {
    return Quantities.toLong(rpc.call("eth_blockNumber"));
  }

  private double now() {
    return (System.nanoTime() - origin) / 1e6;
  }

  /** The sorted send-to-answer times of those the node accepted. */
  static double[] acks(List<Sent> sent) {
    return sent.stream().filter(s -> s.ackAt > 0 && s.error == null)
        .mapToDouble(s -> s.ackAt - s.sentAt).sorted().toArray();
  }
}
