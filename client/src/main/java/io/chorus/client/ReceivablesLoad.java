package io.chorus.client;

import com.esaulpaugh.headlong.abi.Address;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.Signature;
import io.chorus.tx.Transaction;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Supply-chain finance under load, one operation at a time: {@code receivables} receivables
 * issued (each confirmed by the obligor's signature over its terms, as the contract requires),
 * then each split {@code splits} times by its supplier to tier-2 suppliers, then the piece the
 * supplier kept offered to a bank, then accepted by that bank (financed). Each operation is a
 * timed window of pre-signed transactions sent as {@link LoadGenerator} sends notarize calls
 * ({@code window} in flight per sender, each stamped when its block appears), so its tx/s and
 * latency percentiles read like load.js's; a window starts when the previous one's
 * transactions are all in blocks, since each acts on the pieces the one before made.
 *
 * <p>The parties come from the mnemonic: the suppliers are accounts 0 to 7, the banks 8 and 9
 * (the funded test accounts of {@code chorus up}), the obligor account 10 and the tier-2
 * suppliers 11 on (they send nothing, so need no funds). The obligor needs the role
 * receivables.obligor and the banks receivables.bank: {@link #missingRoles} names what is
 * missing, for a governance vote to grant.
 */
public final class ReceivablesLoad {
  /** The Receivables system contract. */
  public static final byte[] CONTRACT = Hex.decode("0000000000000000000000000000000000001004");
  private static final byte[] PERMISSIONS =
      Hex.decode("0000000000000000000000000000000000001001");
  /** Role bits of the permissions contract, as {@code grant-roles} takes them. */
  public static final long ROLE_OBLIGOR = 4;
  public static final long ROLE_BANK = 8;

  private static final int SUPPLIERS = 8;
  private static final int FIRST_BANK = 8;
  private static final int BANKS = 2;
  private static final int OBLIGOR = 10;
  private static final int FIRST_TIER2 = 11;
  /** 1,000,000.00 CNY in fen; each split takes a tenth of it. */
  private static final BigInteger FACE_VALUE = BigInteger.valueOf(100_000_000);
  private static final BigInteger SPLIT_VALUE = FACE_VALUE.divide(BigInteger.TEN);
  private static final long MATURITY_DAYS = 90;
  private static final int RECEIPTS_PER_BATCH = 200;
  private static final int CALLS_PER_BATCH = 200;

  private static final Function ROLES = Function.parse("roles(address)", "(uint256)");
  private static final Function TERMS_DIGEST = Function.parse(
      "termsDigest(address,address,uint256,string,uint64,bytes32[])", "(bytes32)");
  private static final Function ISSUE = Function.parse(
      "issue(address,uint256,string,uint64,bytes32[],bytes,bytes)");
  private static final Function SPLIT = Function.parse("transferFrom(uint256,address,uint256)");
  private static final Function OFFER = Function.parse("offerFinancing(uint256,address,uint256)");
  private static final Function ACCEPT = Function.parse("acceptFinancing(uint256)");
  private static final Function PIECES_OF = Function.parse("piecesOf(uint256)", "(uint256[])");
  private static final Function BALANCE_OF = Function.parse("balanceOf(uint256)", "(uint256)");
  private static final Function FINANCING_OF = Function.parse("financingOf(uint256)",
      "(address,uint256,uint256,uint64)");
  private static final byte[] ISSUED_TOPIC = Keccak256.INSTANCE.hash(("Issued(uint256,address,"
      + "address,uint256,string,uint64,bytes32,string)").getBytes(StandardCharsets.US_ASCII));

  /** What to run. */
  public record Options(String url, int receivables, int splits, int window, String mnemonic,
      Duration poll, Duration timeout, String label) {
    /** Checks the bounds. */
    public Options {
      require(receivables >= 1 && receivables <= 100_000,
          "--receivables must be 1 to 100000, got " + receivables);
      require(splits >= 0 && splits <= 9, "--splits must be 0 to 9 (each takes a tenth of the"
          + " face value), got " + splits);
      require(window >= 1 && window <= 64, "--window must be 1 to 64, got " + window);
      require(!poll.isNegative() && !poll.isZero(), "--poll must be positive");
      require(!timeout.isNegative() && !timeout.isZero(), "--timeout must be positive");
    }
  }

  /** One step of the lifecycle: who sends it and its call data. */
  private record Step(Account from, byte[] data) {}

  private final Options options;
  private final ChorusClient client;
  private final JsonRpcClient rpc;
  private final List<Account> suppliers = new ArrayList<>();
  private final List<Account> banks = new ArrayList<>();
  private final Account obligor;
  private final List<Address> tier2 = new ArrayList<>();
  private final Fees fees;
  private ObjectNode operations;
  private int totalTxs;
  private double totalMs;

  private ReceivablesLoad(Options options) {
    this.options = options;
    this.client = ChorusClient.connect(options.url());
    this.rpc = client.rpc();
    for (int i = 0; i < SUPPLIERS; i++) {
      suppliers.add(account(client, options.mnemonic(), i));
    }
    for (int i = 0; i < BANKS; i++) {
      banks.add(account(client, options.mnemonic(), FIRST_BANK + i));
    }
    obligor = account(client, options.mnemonic(), OBLIGOR);
    for (int i = 0; i < options.splits(); i++) {
      tier2.add(address(account(client, options.mnemonic(), FIRST_TIER2 + i).address()));
    }
    fees = LoadGenerator.fees(client);
  }

  /**
   * The roles the run's obligor and banks lack on the chain at {@code url}: each account
   * (0x-hex) with the role bits to grant it; empty when the run can start.
   */
  public static Map<String, Long> missingRoles(String url, String mnemonic) {
    ChorusClient client = ChorusClient.connect(url);
    Map<String, Long> needed = new LinkedHashMap<>();
    needed.put(account(client, mnemonic, OBLIGOR).addressHex(), ROLE_OBLIGOR);
    for (int i = 0; i < BANKS; i++) {
      needed.put(account(client, mnemonic, FIRST_BANK + i).addressHex(), ROLE_BANK);
    }
    Map<String, Long> missing = new LinkedHashMap<>();
    needed.forEach((account, role) -> {
      BigInteger held = uint(client.call(null, PERMISSIONS, call(ROLES, address(account))));
      if (!held.testBit(Long.numberOfTrailingZeros(role))) {
        missing.put(account, role);
      }
    });
    return missing;
  }

  /**
   * Runs the four operations and returns one JSON object: per operation (issue, split, offer,
   * accept) txs, tps, latMs {p50, p90, p99, max} and what the receipts said; the whole run's
   * txs, elapsedMs and tps; and a sample of receivables read back.
   *
   * @throws ClientException when a role is missing, or a transaction of the run failed
   */
  public static ObjectNode run(Options options) throws InterruptedException {
    return new ReceivablesLoad(options).run();
  }

  private ObjectNode run() throws InterruptedException {
    Map<String, Long> missing = missingRoles(options.url(), options.mnemonic());
    if (!missing.isEmpty()) {
      throw new ClientException("the run's parties lack their roles (account → role bits: "
          + missing + "): grant them by a governance vote (grant-roles) first");
    }
    int n = options.receivables();
    byte[] tag = new byte[8];
    new SecureRandom().nextBytes(tag); // fresh documents: the same terms issue once
    long maturity = Quantities.toLong(rpc.call("eth_getBlockByNumber", "latest", false)
        .path("timestamp")) + MATURITY_DAYS * 86_400;

    ObjectNode result = JsonRpcClient.JSON.createObjectNode();
    result.put("label", options.label()).put("url", options.url())
        .put("suite", client.suite().name()).put("receivables", n)
        .put("splits", options.splits()).put("window", options.window())
        .put("suppliers", SUPPLIERS).put("banks", BANKS);
    operations = result.putObject("operations");

    List<Step> issues = new ArrayList<>(n);
    List<byte[]> digests = termsDigests(tag, maturity);
    for (int i = 0; i < n; i++) {
      byte[] signature = rs(client.suite().sign(digests.get(i), obligor.keys()));
      issues.add(new Step(supplierOf(i), call(ISSUE, address(obligor.address()), FACE_VALUE,
          "CNY", BigInteger.valueOf(maturity), documents(tag, i), obligor.keys().publicKey(),
          signature)));
    }
    List<BigInteger> roots = new ArrayList<>(n);
    for (JsonNode receipt : phase("issue", issues)) {
      roots.add(issuedId(receipt));
    }

    List<Step> splits = new ArrayList<>(n * options.splits());
    for (int i = 0; i < n; i++) {
      for (Address to : tier2) {
        splits.add(new Step(supplierOf(i), call(SPLIT, roots.get(i), to, SPLIT_VALUE)));
      }
    }
    if (!splits.isEmpty()) {
      phase("split", splits);
    }

    BigInteger kept = FACE_VALUE.subtract(SPLIT_VALUE.multiply(BigInteger.valueOf(
        options.splits())));
    BigInteger price = kept.multiply(BigInteger.valueOf(98)).divide(BigInteger.valueOf(100));
    List<Step> offers = new ArrayList<>(n);
    List<Step> accepts = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      offers.add(new Step(supplierOf(i), call(OFFER, roots.get(i),
          address(bankOf(i).address()), price)));
      accepts.add(new Step(bankOf(i), call(ACCEPT, roots.get(i))));
    }
    phase("offer", offers);
    phase("accept", accepts);

    ObjectNode total = result.putObject("total");
    total.put("txs", totalTxs);
    total.set("elapsedMs", TimedWindow.round(totalMs, 0));
    total.set("tps", TimedWindow.round(totalTxs / (totalMs / 1000), 1));
    result.put("sampleChecked", checkSample(roots, kept, price));
    result.put("when", Instant.now().toString());
    return result;
  }

  /**
   * Sends one operation's transactions as a timed window, records its figures under {@code
   * name} and returns its receipts in order.
   *
   * @throws ClientException when a send is refused, the window times out or a step reverts
   */
  private List<JsonNode> phase(String name, List<Step> steps) throws InterruptedException {
    Step first = steps.get(0);
    long estimate = client.estimateGas(first.from().address(), CONTRACT, BigInteger.ZERO,
        first.data());
    long gasLimit = (estimate * 3 + 1) / 2;
    Map<Account, List<TimedWindow.Sent>> bySender = new LinkedHashMap<>();
    Map<Account, Long> nonces = new LinkedHashMap<>();
    List<TimedWindow.Sent> all = new ArrayList<>(steps.size());
    for (Step step : steps) {
      long nonce = nonces.computeIfAbsent(step.from(),
          a -> client.pendingNonce(a.address()));
      nonces.put(step.from(), nonce + 1);
      Transaction tx = client.sign(step.from(), nonce, CONTRACT, BigInteger.ZERO, step.data(),
          gasLimit, fees);
      TimedWindow.Sent sent = new TimedWindow.Sent(tx, client.hash(tx));
      bySender.computeIfAbsent(step.from(), a -> new ArrayList<>()).add(sent);
      all.add(sent);
    }
    TimedWindow.Outcome outcome = new TimedWindow(rpc, options.poll(), options.timeout())
        .run(new ArrayList<>(bySender.values()), options.window());
    if (outcome.errors() > 0 || outcome.timedOut()) {
      throw new ClientException(outcome.errors() + " of " + steps.size() + " sends refused"
          + (outcome.firstError() == null ? "" : " (first: " + outcome.firstError() + ")")
          + "; " + outcome.mined() + " mined within " + options.timeout().toSeconds() + " s");
    }
    List<JsonNode> receipts = receipts(all);
    long gasUsed = 0;
    for (int i = 0; i < receipts.size(); i++) {
      JsonNode receipt = receipts.get(i);
      if (receipt.isNull() || Quantities.toLong(receipt.path("status")) != 1) {
        throw new ClientException("transaction " + all.get(i).hash + " failed (status "
            + receipt.path("status").asText("none") + "): the run measures nothing if its "
            + "steps revert; its reason: eth_call the same data at its block's parent");
      }
      gasUsed += Quantities.toLong(receipt.path("gasUsed"));
    }
    ObjectNode json = JsonRpcClient.JSON.createObjectNode();
    json.put("txs", steps.size()).put("senders", bySender.size());
    json.set("tps", TimedWindow.round(outcome.tps(), 1));
    json.set("elapsedMs", TimedWindow.round(outcome.elapsedMs(), 0));
    TimedWindow.putPercentiles(json.putObject("latMs"), TimedWindow.latencies(all));
    json.put("receiptsOk", receipts.size()).put("avgGasUsed", gasUsed / receipts.size())
        .put("gasLimitPerTx", gasLimit).put("blocks", outcome.blocks())
        .put("blocksWithTx", outcome.blocksWithTx());
    operations.set(name, json);
    totalTxs += steps.size();
    totalMs += outcome.elapsedMs();
    System.err.println("receivables " + options.label() + ": " + steps.size() + " " + name
        + " at " + json.path("tps") + " tx/s, p50 / p99 " + json.path("latMs").path("p50")
        + " / " + json.path("latMs").path("p99") + " ms");
    return receipts;
  }

  /** The receipts of {@code sent}, in order (JSON null for one not found). */
  private List<JsonNode> receipts(List<TimedWindow.Sent> sent) {
    List<JsonNode> out = new ArrayList<>(sent.size());
    for (int i = 0; i < sent.size(); i += RECEIPTS_PER_BATCH) {
      List<JsonRpcClient.Call> calls = new ArrayList<>();
      for (int k = i; k < Math.min(sent.size(), i + RECEIPTS_PER_BATCH); k++) {
        calls.add(new JsonRpcClient.Call("eth_getTransactionReceipt",
            List.of(sent.get(k).hash)));
      }
      out.addAll(rpc.batch(calls));
    }
    return out;
  }

  /** The digest the obligor signs for each receivable's terms, asked of the contract. */
  private List<byte[]> termsDigests(byte[] tag, long maturity) {
    List<byte[]> out = new ArrayList<>(options.receivables());
    for (int i = 0; i < options.receivables(); i += CALLS_PER_BATCH) {
      List<JsonRpcClient.Call> calls = new ArrayList<>();
      for (int k = i; k < Math.min(options.receivables(), i + CALLS_PER_BATCH); k++) {
        byte[] data = call(TERMS_DIGEST, address(obligor.address()),
            address(supplierOf(k).address()), FACE_VALUE, "CNY", BigInteger.valueOf(maturity),
            documents(tag, k));
        calls.add(new JsonRpcClient.Call("eth_call", List.of(callObject(data), "latest")));
      }
      for (JsonNode digest : rpc.batch(calls)) {
        out.add(Hex.decode(digest.asText()));
      }
    }
    return out;
  }

  /**
   * Three receivables (first, middle, last) read back: their pieces sum to the face value,
   * the kept piece is financed by its bank at the price. Returns how many passed.
   */
  private int checkSample(List<BigInteger> roots, BigInteger kept, BigInteger price) {
    int n = roots.size();
    int passed = 0;
    for (int i : new int[] {0, n / 2, n - 1}) {
      BigInteger root = roots.get(i);
      BigInteger[] pieces = PIECES_OF.decodeReturn(client.call(null, CONTRACT,
          call(PIECES_OF, root))).get(0);
      BigInteger sum = BigInteger.ZERO;
      for (BigInteger piece : pieces) {
        sum = sum.add(uint(client.call(null, CONTRACT, call(BALANCE_OF, piece))));
      }
      Tuple financing = FINANCING_OF.decodeReturn(client.call(null, CONTRACT,
          call(FINANCING_OF, root)));
      if (pieces.length == 1 + options.splits() && sum.equals(FACE_VALUE)
          && uint(client.call(null, CONTRACT, call(BALANCE_OF, root))).equals(kept)
          && financing.get(0).equals(address(bankOf(i).address()))
          && financing.get(1).equals(price)) {
        passed++;
      }
    }
    return passed;
  }

  private Account supplierOf(int receivable) {
    return suppliers.get(receivable % SUPPLIERS);
  }

  private Account bankOf(int receivable) {
    return banks.get(receivable % BANKS);
  }

  // The trade's documents: a contract and an invoice hash, distinct per run and receivable.
  private static byte[][] documents(byte[] tag, int receivable) {
    return new byte[][] {document(tag, receivable, "contract"),
        document(tag, receivable, "invoice")};
  }

  private static byte[] document(byte[] tag, int receivable, String kind) {
    return Keccak256.INSTANCE.hash((Hex.encode(tag) + ":" + receivable + ":" + kind)
        .getBytes(StandardCharsets.UTF_8));
  }

  private static BigInteger issuedId(JsonNode receipt) {
    for (JsonNode log : receipt.path("logs")) {
      JsonNode topics = log.path("topics");
      if (Arrays.equals(Hex.decode(log.path("address").asText()), CONTRACT)
          && topics.size() == 4 && Arrays.equals(Hex.decode(topics.get(0).asText()),
              ISSUED_TOPIC)) {
        return new BigInteger(1, Hex.decode(topics.get(1).asText()));
      }
    }
    throw new ClientException("the issue " + receipt.path("transactionHash").asText()
        + " logged no Issued event");
  }

  private static ObjectNode callObject(byte[] data) {
    return JsonRpcClient.JSON.createObjectNode().put("to", Hex.encode0x(CONTRACT))
        .put("data", Hex.encode0x(data));
  }

  private static Account account(ChorusClient client, String mnemonic, int index) {
    return client.account(HdWallet.ethereumAccountKey(mnemonic, index));
  }

  private static Address address(byte[] address) {
    return address(Hex.encode0x(address));
  }

  private static Address address(String hex) {
    return Address.wrap(Address.toChecksumAddress(hex.toLowerCase(Locale.ROOT)));
  }

  private static byte[] call(Function function, Object... args) {
    ByteBuffer encoded = function.encodeCallWithArgs(args);
    return Arrays.copyOf(encoded.array(), encoded.limit());
  }

  private static BigInteger uint(byte[] word) {
    return new BigInteger(1, word);
  }

  // r || s, 32 bytes each: what issue() takes as the obligor's signature.
  private static byte[] rs(Signature signature) {
    byte[] out = new byte[64];
    byte[] r = signature.r().toByteArray();
    byte[] s = signature.s().toByteArray();
    int rLength = Math.min(32, r.length);
    int sLength = Math.min(32, s.length);
    System.arraycopy(r, r.length - rLength, out, 32 - rLength, rLength);
    System.arraycopy(s, s.length - sLength, out, 64 - sLength, sLength);
    return out;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
