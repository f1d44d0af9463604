package io.chorus.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.client.JsonRpcClient;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the exporter reads from a node over JSON-RPC, in batches: each block with its
 * transactions, receipts and consensus (who proposed it, which validators decided it), then
 * the ABIs of the contracts that logged ({@link LogDecoder}, which decodes the logs as the
 * node's {@code chorus_decodeTransaction} would), then {@code chorus_govProposal} of each
 * proposal those logs created.
 */
final class ChainSource {
  /** Calls per JSON-RPC batch: the node takes up to 1,000. */
  static final int BATCH_CALLS_MAX = 500;
  static final String GOVERNANCE = "ChorusGovernance";
  static final String NOTARY = "ChorusNotary";

  /** A block and everything the exporter writes for it. */
  record Fetched(long number, JsonNode block, JsonNode receipts, JsonNode consensus,
      List<String> validatorsBefore, Map<String, JsonNode> decodedByTx,
      Map<Long, JsonNode> proposals) {}

  /** How long reading a range may take before the exporter says the node is slow. */
  static final Duration SLOW_AFTER = Duration.ofSeconds(10);

  private final JsonRpcClient rpc;
  private final LogDecoder decoder;
  private final InstantSource clock;
  private final Consumer<String> log;
  /** While a range is read: when it started, which, and whether it was reported slow. */
  private Instant rangeStarted;
  private String range;
  private boolean slowReported;

  ChainSource(JsonRpcClient rpc, InstantSource clock, Consumer<String> log) {
    this.rpc = rpc;
    this.decoder = new LogDecoder(rpc.url(), rpc.callTimeout());
    this.clock = clock;
    this.log = log;
  }

  String url() {
    return rpc.url().toString();
  }

  BigInteger chainId() {
    return quantity(rpc.call("eth_chainId"));
  }

  long head() {
    return quantity(rpc.call("eth_blockNumber")).longValueExact();
  }

  /** Checks that the node serves the contracts' ABIs the exporter decodes logs with. */
  void checkRegistry() {
    decoder.checkRegistry();
  }

  /** The block's hash, or null when the node has no such block. */
  String blockHash(long number) {
    JsonNode block = rpc.call("eth_getBlockByNumber", hex(number), false);
    return block == null || block.isNull() ? null : block.path("hash").asText().toLowerCase();
  }

  /** Blocks {@code from} to {@code to}, each complete. */
  List<Fetched> fetch(long from, long to) {
    rangeStarted = clock.instant();
    range = "blocks " + from + " to " + to;
    slowReported = false;
    List<JsonRpcClient.Call> calls = new ArrayList<>();
    long first = Math.max(0, from - 1); // the block before's validators, to compare with
    for (long n = first; n <= to; n++) {
      calls.add(new JsonRpcClient.Call("chorus_getBlockConsensus", List.of(hex(n))));
      if (n >= from) {
        calls.add(new JsonRpcClient.Call("eth_getBlockByNumber", List.of(hex(n), true)));
        calls.add(new JsonRpcClient.Call("eth_getBlockReceipts", List.of(hex(n))));
      }
    }
    List<JsonNode> answers = batch(calls);
    List<String> before = from == 0 ? List.of() : validators(answers.get(0), from - 1);
    int at = from == 0 ? 0 : 1;
    List<JsonNode[]> raw = new ArrayList<>();
    Set<String> logged = new HashSet<>();
    for (long n = from; n <= to; n++, at += 3) {
      JsonNode consensus = answers.get(at);
      JsonNode block = answers.get(at + 1);
      JsonNode receipts = answers.get(at + 2);
      if (block.isNull() || receipts.isNull() || consensus.isNull()) {
        throw new ExportException(ExportException.Kind.FAILED, "the node at " + url()
            + " has no block " + n + " although its head is past it");
      }
      raw.add(new JsonNode[] {block, receipts, consensus});
      for (JsonNode receipt : receipts) {
        receipt.path("logs").forEach(l -> logged.add(l.path("address").asText().toLowerCase()));
      }
    }
    Map<String, LogDecoder.Contract> contracts = decoder.contracts(logged);
    Map<String, JsonNode> decoded = new LinkedHashMap<>();
    for (JsonNode[] r : raw) {
      for (JsonNode receipt : r[1]) {
        if (!receipt.path("logs").isEmpty()) {
          decoded.put(receipt.path("transactionHash").asText().toLowerCase(),
              decoder.decode(receipt, contracts));
        }
      }
    }
    Map<Long, JsonNode> proposals = proposals(decoded.values());
    List<Fetched> out = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      JsonNode[] r = raw.get(i);
      Map<String, JsonNode> ofBlock = new HashMap<>();
      for (JsonNode receipt : r[1]) {
        String hash = receipt.path("transactionHash").asText().toLowerCase();
        if (decoded.containsKey(hash)) {
          ofBlock.put(hash, decoded.get(hash));
        }
      }
      out.add(new Fetched(from + i, r[0], r[1], r[2], before, ofBlock, proposals));
      before = validators(r[2], from + i);
    }
    return out;
  }

  /** Kind and fields of each proposal created in these transactions (they never change). */
  private Map<Long, JsonNode> proposals(Iterable<JsonNode> decoded) {
    List<Long> ids = new ArrayList<>();
    for (JsonNode tx : decoded) {
      for (JsonNode log : tx.path("logs")) {
        if (isSystemEvent(log, GOVERNANCE, "Proposed")) {
          ids.add(Long.parseLong(argument(log, "id")));
        }
      }
    }
    List<JsonNode> answers = batch(ids.stream()
        .map(id -> new JsonRpcClient.Call("chorus_govProposal", List.of(hex(id)))).toList());
    Map<Long, JsonNode> out = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      out.put(ids.get(i), answers.get(i));
    }
    return out;
  }

  private List<JsonNode> batch(List<JsonRpcClient.Call> calls) {
    List<JsonNode> out = new ArrayList<>(calls.size());
    for (int i = 0; i < calls.size(); i += BATCH_CALLS_MAX) {
      out.addAll(rpc.batch(calls.subList(i, Math.min(calls.size(), i + BATCH_CALLS_MAX))));
      // Each batch has the client's timeout; a range of many batches each under it could still
      // take minutes, which the log must show rather than fall silent.
      Duration taken = Duration.between(rangeStarted, clock.instant());
      if (!slowReported && taken.compareTo(SLOW_AFTER) > 0) {
        slowReported = true;
        log.accept("the node at " + url() + " is slow: reading " + range + " has taken "
            + taken.toSeconds() + " s so far (" + out.size() + " of this step's " + calls.size()
            + " calls answered); still reading");
      }
    }
    return out;
  }

  private List<String> validators(JsonNode consensus, long number) {
    if (consensus.isNull()) {
      throw new ExportException(ExportException.Kind.FAILED, "the node at " + url()
          + " has no consensus record of block " + number);
    }
    List<String> out = new ArrayList<>();
    consensus.path("validators").forEach(v -> out.add(v.asText().toLowerCase()));
    return out;
  }

  /** Whether a decoded log is the named event of a system contract (not an uploaded look-alike). */
  static boolean isSystemEvent(JsonNode log, String contract, String event) {
    JsonNode e = log.path("event");
    return contract.equals(log.path("contractName").asText())
        && "system".equals(e.path("source").asText())
        && event.equals(e.path("name").asText());
  }

  /** A decoded argument's value as text, by name. */
  static String argument(JsonNode log, String name) {
    for (JsonNode a : log.path("arguments")) {
      if (name.equals(a.path("name").asText())) {
        return a.path("value").asText();
      }
    }
    throw new ExportException(ExportException.Kind.FAILED, "event "
        + log.path("event").path("signature").asText() + " decoded without argument " + name);
  }

  static String hex(long number) {
    return "0x" + Long.toHexString(number);
  }

  static BigInteger quantity(JsonNode node) {
    String text = node.asText();
    if (!text.startsWith("0x")) {
      throw new ExportException(ExportException.Kind.FAILED, "expected a 0x quantity, got "
          + node);
    }
    return new BigInteger(text.substring(2), 16);
  }
}
