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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
    List<List<TimedWindow.Sent>> queues = new ArrayList<>();
    senders.forEach(s -> queues.add(new ArrayList<>()));
    TimedWindow.Sent[] all = new TimedWindow.Sent[n];
    for (int i = 0; i < n; i++) {
      int a = i % senders.size();
      Transaction tx = client.sign(senders.get(a), nonces[a]++, notary, BigInteger.ZERO,
          notarize(tag, i), gasLimit, fees);
      all[i] = new TimedWindow.Sent(tx, client.hash(tx));
      queues.get(a).add(all[i]);
    }
    double signMs = now() - signStart;

    // The timed window.
    TimedWindow.Outcome timed = new TimedWindow(rpc, options.poll(), options.timeout())
        .run(queues, options.window());
    if (timed.timedOut()) {
      note("timed out after " + options.timeout().toSeconds() + " s with " + timed.mined()
          + " of " + (n - timed.errors()) + " accepted txs mined");
    }

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
    List<TimedWindow.Sent> sent = Arrays.asList(all);

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
    r.set("signMs", TimedWindow.round(signMs, 0));
    r.set("submitMs", TimedWindow.round(timed.submitMs(), 0));
    r.set("elapsedMs", TimedWindow.round(timed.elapsedMs(), 0));
    r.set("tps", TimedWindow.round(timed.tps(), 1));
    r.set("submitTps", TimedWindow.round(n / (timed.submitMs() / 1000), 1));
    r.put("mined", timed.mined()).put("receiptsOk", ok).put("receiptsFailed", failed)
        .put("sendErrors", timed.errors()).put("firstErr", timed.firstError())
        .put("stateSample", stateOk)
        .put("avgGasUsed", ok == 0 ? 0 : gasUsed.divide(BigInteger.valueOf(ok)).longValue())
        .put("blocks", timed.blocks()).put("blocksWithTx", timed.blocksWithTx());
    ObjectNode lat = r.putObject("latMs");
    TimedWindow.putPercentiles(lat, TimedWindow.latencies(sent));
    ObjectNode ackMs = r.putObject("ackMs");
    double[] ack = TimedWindow.acks(sent);
    ackMs.set("p50", TimedWindow.round(TimedWindow.percentile(ack, 50), 1));
    ackMs.set("p99", TimedWindow.round(TimedWindow.percentile(ack, 99), 1));
    ArrayNode noteArray = r.putArray("notes");
    notes.forEach(noteArray::add);
    r.put("when", Instant.now().toString());
    return r;
  }

  static Fees fees(ChorusClient client) {
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

  private double now() {
    return (System.nanoTime() - origin) / 1e6;
  }

  private void note(String message) {
    if (!notes.contains(message)) {
      notes.add(message);
      System.err.println("note: " + message);
    }
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
