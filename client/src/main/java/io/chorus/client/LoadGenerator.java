package io.chorus.client;

import com.esaulpaugh.headlong.abi.Function;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.Keccak256;
import io.chorus.tx.Transaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Throughput and latency of a node under load, measured as {@code ../shared/peers/load.js}
 * measures it (same contract, calls, timing and result fields), with transactions signed in the
 * chain's suite, so that {@code sm} and {@code ethereum} chains are compared the same way.
 *
 * <p>It derives the senders from the mnemonic (BIP-32 path m/44'/60'/0'/0/i, the keys used in
 * the chain's suite), deploys the peers' Notary from sender 0, pre-signs n {@code notarize}
 * calls of distinct hashes round-robin over the senders (untimed), then in the timed window
 * each sender has {@code window} threads pushing its transactions with eth_sendRawTransaction
 * while a poller stamps each transaction when it first appears in a block. tps = mined / (last
 * seen mined - first send); latency = seen mined - send start. Afterwards (untimed) every
 * receipt is checked and a sample of the contract's state read back.
 */
public final class LoadGenerator {
  private static final BigInteger GWEI = BigInteger.TEN.pow(9);
  private static final long DEPLOY_GAS = 2_000_000;
  private static final int BLOCKS_PER_POLL_MAX = 50;
  private static final int RECEIPTS_PER_BATCH = 200;
  private static final Function NOTARIZE = Function.parse("notarize(bytes32)");
  private static final Function NOTARIZED_AT = Function.parse("notarizedAt(bytes32)");

  /**
   * What to run.
   *
   * @param suite the suite the caller expects ("sm" or "ethereum"), or null to take the chain's
   * @param gasLimit gas per transaction, or 0 for 1.5 × eth_estimateGas
   */
  public record Options(String url, int n, int accounts, int window, String mnemonic,
      String suite, long gasLimit, Duration poll, Duration timeout, String label) {
    public Options {
      require(n >= 1, "--n must be at least 1, got " + n);
      require(accounts >= 1 && accounts <= 1000, "--accounts must be 1 to 1000, got " + accounts);
      require(window >= 1 && window <= 64, "--window must be 1 to 64, got " + window);
      require(!poll.isNegative() && !poll.isZero(), "--poll must be positive");
      require(!timeout.isNegative() && !timeout.isZero(), "--timeout must be positive");
    }
  }

  private static final class Sent {
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

  private final Options options;
  private final List<String> notes = new ArrayList<>();
  private final long origin = System.nanoTime();

  private LoadGenerator(Options options) {
    this.options = options;
  }

  /** Runs the load and returns load.js's result object (one JSON line when printed). */
  public static ObjectNode run(Options options) throws InterruptedException {
    return new LoadGenerator(options).run();
  }

  private ObjectNode run() throws InterruptedException {
    ChorusClient client = ChorusClient.connect(options.url());
    if (options.suite() != null && !options.suite().equals(client.suite().name())) {
      throw new IllegalArgumentException("--suite " + options.suite() + " but the chain at "
          + options.url() + " uses the " + client.suite().name() + " suite");
    }
    JsonRpcClient rpc = client.rpc();
    String clientVersion = rpc.call("web3_clientVersion").asText("?");
    List<Account> senders = new ArrayList<>();
    for (int i = 0; i < options.accounts(); i++) {
      senders.add(client.account(HdWallet.ethereumAccountKey(options.mnemonic(), i)));
    }
    Fees fees = fees(client);

    // Deploy, untimed.
    byte[] notary = client.deploy(senders.get(0), notaryInitcode(), DEPLOY_GAS,
        Duration.ofSeconds(60)).contractAddress();
    long[] nonces = new long[senders.size()];
    for (int a = 0; a < nonces.length; a++) {
      nonces[a] = client.pendingNonce(senders.get(a).address());
    }
    byte[] runTag = new byte[8];
    new SecureRandom().nextBytes(runTag);
    String tag = Hex.encode0x(runTag);
    Long estimate = null;
    try {
      estimate = client.estimateGas(senders.get(1 % senders.size()).address(), notary,
          BigInteger.ZERO, notarize(tag, 0));
    } catch (ClientException e) {
      note("eth_estimateGas failed (" + e.getMessage() + "): gas limit 100000 per tx (set "
          + "--gas-limit)");
    }
    long gasLimit = options.gasLimit() > 0 ? options.gasLimit()
        : estimate != null ? (estimate * 3 + 1) / 2 : 100_000;

    // Pre-sign, untimed.
    int n = options.n();
    double signStart = now();
    List<List<Sent>> queues = new ArrayList<>();
    senders.forEach(s -> queues.add(new ArrayList<>()));
    Sent[] all = new Sent[n];
    for (int i = 0; i < n; i++) {
      int a = i % senders.size();
      Transaction tx = client.sign(senders.get(a), nonces[a]++, notary, BigInteger.ZERO,
          notarize(tag, i), gasLimit, fees);
      all[i] = new Sent(tx, client.hash(tx));
      queues.get(a).add(all[i]);
    }
    double signMs = now() - signStart;
    Map<String, Sent> byHash = new HashMap<>();
    for (Sent sent : all) {
      byHash.put(sent.hash, sent);
    }

    // The timed window: senders and the block poller.
    long startBlock = blockNumber(rpc);
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    AtomicLong expected = new AtomicLong(n);
    Poller poller = new Poller(rpc, byHash, startBlock, expected);
    double start = now();
    Thread pollerThread = Thread.ofPlatform().name("load-poller").start(poller);
    ExecutorService pool = Executors.newFixedThreadPool(senders.size() * options.window());
    List<Future<?>> running = new ArrayList<>();
    for (List<Sent> queue : queues) {
      AtomicInteger next = new AtomicInteger();
      for (int w = 0; w < options.window(); w++) {
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
    double lastAck = start;
    try {
      for (Future<?> f : running) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new ClientException("a sender failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    for (Sent sent : all) {
      lastAck = Math.max(lastAck, sent.ackAt);
    }
    double submitMs = lastAck - start;
    expected.set(n - errors.get()); // refused transactions are never mined
    pollerThread.join();
    if (poller.failure != null) {
      throw poller.failure;
    }
    if (poller.seen < expected.get()) {
      note("timed out after " + options.timeout().toSeconds() + " s with " + poller.seen
          + " of " + expected.get() + " accepted txs mined");
    }
    double elapsedMs = poller.seen > 0 ? poller.lastMined - start : Double.NaN;

    // Verify, untimed.
    int ok = 0;
    int failed = 0;
    BigInteger gasUsed = BigInteger.ZERO;
    for (int i = 0; i < n; i += RECEIPTS_PER_BATCH) {
      List<JsonRpcClient.Call> calls = new ArrayList<>();
      for (int k = i; k < Math.min(n, i + RECEIPTS_PER_BATCH); k++) {
        calls.add(new JsonRpcClient.Call("eth_getTransactionReceipt", List.of(all[k].hash)));
      }
      for (JsonNode receipt : rpc.batch(calls)) {
        if (!receipt.isNull() && Quantities.toLong(receipt.path("status")) == 1) {
          ok++;
          gasUsed = gasUsed.add(Quantities.toBigInteger(receipt.path("gasUsed")));
        } else {
          failed++;
        }
      }
    }
    int stateOk = 0;
    for (int i : new int[] {0, n / 2, n - 1}) {
      byte[] at = client.call(null, notary, call(NOTARIZED_AT, runHash(tag, i)));
      if (new BigInteger(1, at).signum() > 0) {
        stateOk++;
      }
    }
    double[] latency = Arrays.stream(all).filter(s -> s.minedAt > 0)
        .mapToDouble(s -> s.minedAt - s.sentAt).sorted().toArray();
    double[] ack = Arrays.stream(all).filter(s -> s.ackAt > 0 && s.error == null)
        .mapToDouble(s -> s.ackAt - s.sentAt).sorted().toArray();
    long endBlock = blockNumber(rpc);

    ObjectNode r = JsonRpcClient.JSON.createObjectNode();
    r.put("label", options.label()).put("url", options.url()).put("client", clientVersion)
        .put("chainId", client.chainId().longValueExact()).put("suite", client.suite().name())
        .put("txType", 2).put("maxFeeGwei", gwei(fees.maxFeePerGas()))
        .put("tipGwei", gwei(fees.maxPriorityFeePerGas())).put("mode", "notarize")
        .put("n", n).put("accounts", senders.size()).put("window", options.window())
        .put("gasLimitPerTx", gasLimit);
    if (estimate == null) {
      r.putNull("estGas");
    } else {
      r.put("estGas", estimate);
    }
    r.set("signMs", round(signMs, 0));
    r.set("submitMs", round(submitMs, 0));
    r.set("elapsedMs", round(elapsedMs, 0));
    r.set("tps", round(poller.seen / (elapsedMs / 1000), 1));
    r.set("submitTps", round(n / (submitMs / 1000), 1));
    r.put("mined", poller.seen).put("receiptsOk", ok).put("receiptsFailed", failed)
        .put("sendErrors", errors.get()).put("firstErr", firstError.get())
        .put("stateSample", stateOk)
        .put("avgGasUsed", ok == 0 ? 0 : gasUsed.divide(BigInteger.valueOf(ok)).longValue())
        .put("blocks", endBlock - startBlock).put("blocksWithTx", poller.blocksWithTx);
    ObjectNode lat = r.putObject("latMs");
    lat.set("p50", round(percentile(latency, 50), 1));
    lat.set("p90", round(percentile(latency, 90), 1));
    lat.set("p99", round(percentile(latency, 99), 1));
    lat.set("max", round(latency.length == 0 ? Double.NaN : latency[latency.length - 1], 1));
    ObjectNode ackMs = r.putObject("ackMs");
    ackMs.set("p50", round(percentile(ack, 50), 1));
    ackMs.set("p99", round(percentile(ack, 99), 1));
    ArrayNode noteArray = r.putArray("notes");
    notes.forEach(noteArray::add);
    r.put("when", Instant.now().toString());
    return r;
  }

  /** Polls the head and stamps each transaction of the run when its block first appears. */
  private final class Poller implements Runnable {
    final JsonRpcClient rpc;
    final Map<String, Sent> byHash;
    final AtomicLong expected;
    long next;
    volatile int seen;
    volatile int blocksWithTx;
    volatile double lastMined;
    volatile ClientException failure;

    Poller(JsonRpcClient rpc, Map<String, Sent> byHash, long startBlock, AtomicLong expected) {
      this.rpc = rpc;
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
                Sent sent = byHash.get(hash.asText().toLowerCase(java.util.Locale.ROOT));
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
          if (seen >= expected.get() || now() - start > options.timeout().toMillis()) {
            return;
          }
          Thread.sleep(options.poll());
        }
      } catch (ClientException e) {
        failure = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Fees fees(ChorusClient client) {
    // As load.js: the node's tip; a max fee of at least 200 gwei, with headroom for a base fee
    // that rises during the run, since every transaction is signed before it starts.
    Fees suggested = client.suggestFees();
    BigInteger tip = suggested.maxPriorityFeePerGas();
    BigInteger maxFee = GWEI.multiply(BigInteger.valueOf(200)).max(suggested.maxFeePerGas());
    return new Fees(maxFee, tip.min(maxFee));
  }

  private static byte[] notarize(String tag, int i) {
    return call(NOTARIZE, runHash(tag, i));
  }

  private static byte[] call(Function function, byte[] word) {
    ByteBuffer encoded = function.encodeCallWithArgs((Object) word);
    return Arrays.copyOf(encoded.array(), encoded.limit());
  }

  // keccak256(utf8(runTag + ':' + i)), as load.js names each notarized hash.
  private static byte[] runHash(String tag, int i) {
    return Keccak256.INSTANCE.hash((tag + ":" + i).getBytes(StandardCharsets.UTF_8));
  }

  /** The peers' Notary creation bytecode, committed with its source hash in Notary.json. */
  public static byte[] notaryInitcode() {
    try (InputStream in = LoadGenerator.class.getResourceAsStream("/Notary.json")) {
      if (in == null) {
        throw new IllegalStateException("Notary.json is missing from the client jar");
      }
      return Hex.decode(JsonRpcClient.JSON.readTree(in).get("bytecode").asText());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Notary.json", e);
    }
  }

  private static long blockNumber(JsonRpcClient rpc) {
    return Quantities.toLong(rpc.call("eth_blockNumber"));
  }

  private double now() {
    return (System.nanoTime() - origin) / 1e6;
  }

  private void note(String message) {
    if (!notes.contains(message)) {
      notes.add(message);
      System.err.println("note: " + message);
    }
  }

  private static double percentile(double[] sorted, int p) {
    return sorted.length == 0 ? Double.NaN
        : sorted[Math.min(sorted.length - 1, (int) Math.floor(p / 100.0 * sorted.length))];
  }

  private static JsonNode round(double value, int digits) {
    return Double.isFinite(value)
        ? JsonRpcClient.JSON.getNodeFactory().numberNode(
            BigDecimal.valueOf(value).setScale(digits, RoundingMode.HALF_UP).doubleValue())
        : JsonRpcClient.JSON.getNodeFactory().nullNode();
  }

  private static double gwei(BigInteger wei) {
    return new BigDecimal(wei).movePointLeft(9).doubleValue();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
