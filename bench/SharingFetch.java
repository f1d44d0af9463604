import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.GenesisFile;
import io.chorus.client.SharingClient;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.node.Node;
import io.chorus.service.ApiTokens;
import io.chorus.service.Keystore;
import io.chorus.sharing.SharingService;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.Permissions;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * bench/sharing-fetch.sh's two halves, run with the CLI's jars (java -cp 'cli/target/lib/*'
 * bench/SharingFetch.java ...):
 *
 * <p>{@code init DIR}: an sm dev node's data directory: a genesis whose one committee member is
 * the data authority, the parties' keys in its keystore (password "bench"), a token of each
 * party (DIR/../PARTY.token) and its key (DIR/../PARTY.key).
 *
 * <p>{@code run URL DIR N CONCURRENCY}: after the script bound the departments by vote, 市公安局
 * publishes an unconditional data set whose one record is 1,000,000 bytes of JSON, 市民政局 is
 * granted it, then fetches it N times one at a time (latency: the client's total, the node's
 * Server-Timing phases, transfer = total minus them, the requester's open and hash check),
 * waits for a sample of deliveries' audit entries to be in a block, and fetches it N times from
 * CONCURRENCY threads (throughput). Prints one JSON line.
 */
public final class SharingFetch {
  static final CryptoSuite SUITE = CryptoSuite.sm();
  static final List<String> PARTIES = List.of("authority", "gaj", "mzj");
  static final int RECORD_BYTES = 1_000_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern PHASE = Pattern.compile("(\\w+);dur=([0-9.]+)");

  public static void main(String[] args) throws Exception {
    if (args[0].equals("init")) {
      init(Path.of(args[1]));
    } else {
      run(args[1], Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    }
  }

  static void init(Path data) throws Exception {
    Map<String, KeyPair> keys = new HashMap<>();
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    for (int i = 0; i < PARTIES.size(); i++) {
      byte[] secret = HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i);
      KeyPair pair = SUITE.keyPair(secret);
      keys.put(PARTIES.get(i), pair);
      funded.put(account(pair), Genesis.Allocation.funded(BigInteger.TEN.pow(24)));
      Files.writeString(data.resolveSibling(PARTIES.get(i) + ".key"), Hex.encode(secret));
    }
    Address authority = account(keys.get("authority"));
    GenesisFile.write(new Genesis(BigInteger.valueOf(779), "sm", Genesis.FeeMode.ETHEREUM_1559,
        60_000_000, 1000, 0, new byte[0], List.of(keys.get("authority").publicKey()), funded,
        new Consortium(List.of(new Consortium.Member(authority, BigInteger.ONE)), Map.of(),
            false, false, Map.of(authority, Permissions.ROLE_SHARING_AUTHORITY))),
        data.resolve(Node.Config.GENESIS_FILE));
    for (String party : PARTIES) {
      Keystore.importKey(data, SUITE, keys.get(party).privateKey(), "bench".toCharArray(),
          new SecureRandom());
      Files.writeString(data.resolveSibling(party + ".token"), ApiTokens.issue(data,
          account(keys.get(party)), Set.of(SharingService.WRITER_ROLE,
              SharingService.READER_ROLE), Optional.empty(), Clock.systemUTC(),
          new SecureRandom()).token());
      System.out.println(party + " " + account(keys.get(party)));
    }
  }

  static Address account(KeyPair pair) {
    return Address.of(SUITE.address(pair.publicKey()));
  }

  static String token(Path data, String party) throws Exception {
    return Files.readString(data.resolveSibling(party + ".token")).trim();
  }

  static void run(String url, Path data, int n, int concurrency) throws Exception {
    SharingClient gaj = new SharingClient(url, token(data, "gaj"));
    SharingClient mzj = new SharingClient(url, token(data, "mzj"));
    SharingClient authority = new SharingClient(url, token(data, "authority"));
    gaj.publish("330100-GA-0009", "不动产登记扫描件", List.of("name", "id_number", "scan"),
        "unconditional", "daily", true);
    ObjectNode record = JSON.createObjectNode().put("name", "张三")
        .put("id_number", "330102199001011234").put("scan", "");
    int padding = RECORD_BYTES - JSON.writeValueAsBytes(record).length;
    record.put("scan", base64Like(padding));
    if (JSON.writeValueAsBytes(record).length != RECORD_BYTES) {
      throw new IllegalStateException("the record is not " + RECORD_BYTES + " bytes");
    }
    gaj.putRecords(1, List.of(record));
    mzj.apply(1, "不动产核查", "住房保障资格审核", List.of("name", "id_number", "scan"),
        System.currentTimeMillis() / 1000 + 90 * 86_400L, true);
    authority.check(1, true, "用途合规", true);

    KeyPair requester = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 2));
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest fetch = HttpRequest.newBuilder(URI.create(url
        + "/api/v1/sharing/datasets/1/data?grant=1&key=" + Hex.encode0x(
            requester.publicKey()))).header("Authorization", "Bearer " + token(data, "mzj"))
        .GET().build();
    for (int i = 0; i < 5; i++) {
      once(http, fetch, requester); // warm-up
    }
    Map<String, List<Double>> phases = new HashMap<>();
    List<String> txs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Fetched f = once(http, fetch, requester);
      f.phases().forEach((k, v) -> phases.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
      txs.add(f.txHash());
    }
    // The audit write as the requester sees it: from the answer to the entry in a block.
    List<Double> recorded = new ArrayList<>();
    for (int i = 0; i < Math.min(n, 20); i++) {
      Fetched f = once(http, fetch, requester);
      long answered = System.nanoTime();
      HttpRequest entry = HttpRequest.newBuilder(URI.create(url + "/api/v1/sharing/transactions/"
          + f.txHash() + "/entry")).header("Authorization", "Bearer " + token(data, "mzj"))
          .GET().build();
      while (true) {
        HttpResponse<String> r = http.send(entry, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          if (!JSON.readTree(r.body()).path("payloadHash").asText().equals(f.payloadHash())) {
            throw new IllegalStateException("entry's payload hash differs: " + r.body());
          }
          break;
        }
        Thread.sleep(10);
      }
      recorded.add((System.nanoTime() - answered) / 1e6);
    }
    // Throughput: CONCURRENCY requesters' threads at once.
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<Fetched>> futures = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < n; i++) {
      futures.add(pool.submit(() -> once(http, fetch, requester)));
    }
    List<Double> loaded = new ArrayList<>();
    for (Future<Fetched> f : futures) {
      loaded.add(f.get().phases().get("total"));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();

    ObjectNode out = JSON.createObjectNode().put("n", n).put("recordBytes", RECORD_BYTES)
        .put("envelopeBytes", lastEnvelope);
    ObjectNode one = out.putObject("sequentialMs");
    for (String phase : List.of("total", "check", "seal", "audit", "keep", "transfer", "open")) {
      one.set(phase, stats(phases.get(phase)));
    }
    out.set("auditEntryInBlockMs", stats(recorded));
    out.put("concurrency", concurrency)
        .put("fetchesPerSecond", Math.round(n / seconds * 10) / 10.0)
        .put("recordMBPerSecond", Math.round(n * RECORD_BYTES / 1e6 / seconds * 10) / 10.0);
    out.set("concurrentTotalMs", stats(loaded));
    System.out.println(out);
  }

  static volatile int lastEnvelope;

  record Fetched(Map<String, Double> phases, String txHash, String payloadHash) {}

  static Fetched once(HttpClient http, HttpRequest fetch, KeyPair requester) throws Exception {
    long sent = System.nanoTime();
    HttpResponse<byte[]> r = http.send(fetch, HttpResponse.BodyHandlers.ofByteArray());
    double total = (System.nanoTime() - sent) / 1e6;
    if (r.statusCode() != 200) {
      throw new IllegalStateException("fetch answered " + r.statusCode() + ": "
          + new String(r.body(), StandardCharsets.UTF_8));
    }
    Map<String, Double> phases = new HashMap<>();
    Matcher m = PHASE.matcher(r.headers().firstValue("Server-Timing").orElseThrow());
    double server = 0;
    while (m.find()) {
      phases.put(m.group(1), Double.parseDouble(m.group(2)));
      server += Double.parseDouble(m.group(2));
    }
    phases.put("total", total);
    phases.put("transfer", total - server);
    long opening = System.nanoTime();
    JsonNode body = JSON.readTree(r.body());
    byte[] envelope = Hex.decode(body.path("envelope").asText());
    lastEnvelope = envelope.length;
    if (!Hex.encode0x(SUITE.hash(envelope)).equals(body.path("payloadHash").asText())) {
      throw new IllegalStateException("the envelope does not hash to its payload hash");
    }
    byte[] context = ("chorus/sharing/delivery/v1\n779\n1\n1\n" + account(requester))
        .getBytes(StandardCharsets.UTF_8);
    byte[] plain = SUITE.envelope().open(envelope, context, requester);
    if (plain.length < RECORD_BYTES) {
      throw new IllegalStateException("opened " + plain.length + " bytes");
    }
    phases.put("open", (System.nanoTime() - opening) / 1e6);
    return new Fetched(phases, body.path("txHash").asText(), body.path("payloadHash").asText());
  }

  static ObjectNode stats(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return JSON.createObjectNode().put("p50", round(at(sorted, 0.50)))
        .put("p99", round(at(sorted, 0.99))).put("max", round(sorted[sorted.length - 1]));
  }

  static double at(double[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
  }

  static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  // Random characters of base64's alphabet: what a scanned document's text looks like.
  static String base64Like(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    SplittableRandom random = new SplittableRandom(23);
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = alphabet.charAt(random.nextInt(64));
    }
    return new String(out);
  }
}
