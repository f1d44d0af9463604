package io.chorus.export;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.client.ClientException;
import io.chorus.client.JsonRpcClient;
import io.chorus.client.RpcException;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the exporter reads from a node over JSON-RPC: ranges of blocks as the node stores them
 * ({@code chorus_getRawBlocks}: RLP of blocks, receipts and commit certificates, with each
 * height's validators), decoded here ({@link RawBlock}); then the ABIs of the contracts that
 * logged ({@link LogDecoder}, which decodes the logs as the node's
 * {@code chorus_decodeTransaction} would), then {@code chorus_govProposal} of each proposal
 * those logs created.
 */
final class ChainSource {
  /** Calls per JSON-RPC batch: the node takes up to 1,000. */
  static final int BATCH_CALLS_MAX = 500;
  /** Blocks per {@code chorus_getRawBlocks} call: the node serves up to 256. */
  static final int RAW_BLOCKS_MAX = 256;
  /** JSON-RPC's code for a method the node does not have. */
  static final int METHOD_NOT_FOUND = -32601;
  static final String GOVERNANCE = "ChorusGovernance";
  static final String NOTARY = "ChorusNotary";

  /** A block and everything the exporter writes for it. */
  record Fetched(RawBlock block, List<String> validatorsBefore,
      Map<String, JsonNode> decodedByTx, Map<Long, JsonNode> proposals) {
    long number() {
      return block.number();
    }
  }

  /** The last block read and its validators: the next range's first block compares with them. */
  private record Validators(long number, List<String> validators) {}

  /** How long reading a range may take before the exporter says the node is slow. */
  static final Duration SLOW_AFTER = Duration.ofSeconds(10);

  private final JsonRpcClient rpc;
  private final LogDecoder decoder;
  private final InstantSource clock;
  private final Consumer<String> log;
  private CryptoSuite suite;
  private TransactionValidator senders;
  private volatile Validators lastRead;
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

  /** The node's chain id; learns its crypto suite too, which hashes and senders need. */
  BigInteger chainId() {
    BigInteger chainId = quantity(rpc.call("eth_chainId"));
    String name = rpc.call("chorus_nodeStatus").path("suite").asText("");
    try {
      suite = CryptoSuite.byName(name);
    } catch (IllegalArgumentException e) {
      throw new ClientException("the node at " + url() + " names no crypto suite the exporter"
          + " knows in chorus_nodeStatus (\"" + name + "\"): is it a Chorus node?", e);
    }
    senders = new TransactionValidator(suite, chainId);
    return chainId;
  }

  /** The chain's hash function: known after {@link #chainId()}. */
  HashFunction hashFunction() {
    return suite.hashFunction();
  }

  long head() {
    return quantity(rpc.call("eth_blockNumber")).longValueExact();
  }

  /**
   * Checks that the node serves {@code chorus_getRawBlocks}, the only way the exporter reads
   * blocks: a node older than the method would otherwise look away at every range.
   *
   * @throws ClientException saying to upgrade the node
   */
  void checkRawBlocks() {
    try {
      rpc.call("chorus_getRawBlocks", hex(0), 1);
    } catch (RpcException e) {
      if (e.code() != METHOD_NOT_FOUND) {
        throw e;
      }
      throw new ClientException("the node at " + url() + " does not serve chorus_getRawBlocks,"
          + " which the exporter reads blocks with: it is older than this exporter; upgrade"
          + " the node", e);
    }
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
    List<RawBlock> raw = new ArrayList<>();
    Set<String> logged = new HashSet<>();
    long next = from;
    while (next <= to) {
      JsonNode answer = rpc.call("chorus_getRawBlocks", hex(next),
          (int) Math.min(RAW_BLOCKS_MAX, to - next + 1));
      JsonNode blocks = answer.path("blocks");
      if (blocks.isEmpty()) {
        throw new ExportException(ExportException.Kind.FAILED, "the node at " + url()
            + " answered chorus_getRawBlocks from block " + next + " with no block");
      }
      for (JsonNode entry : blocks) {
        RawBlock block = RawBlock.read(entry, suite, senders);
        if (block.number() != next) {
          throw new ExportException(ExportException.Kind.FAILED, "the node at " + url()
              + " answered block " + block.number() + " where block " + next + " was due");
        }
        raw.add(block);
        for (RawBlock.Tx tx : block.transactions()) {
          tx.logs().forEach(l -> logged.add(l.address()));
        }
        next++;
      }
      reportIfSlow(next - from, to - from + 1, "blocks");
    }
    Map<String, LogDecoder.Contract> contracts = decoder.contracts(logged);
    Map<String, JsonNode> decoded = new LinkedHashMap<>();
    for (RawBlock block : raw) {
      for (RawBlock.Tx tx : block.transactions()) {
        if (!tx.logs().isEmpty()) {
          decoded.put(tx.hash(), decoder.decode(tx.logs(), contracts));
        }
      }
    }
    Map<Long, JsonNode> proposals = proposals(decoded.values());
    List<String> before = validatorsBefore(from);
    List<Fetched> out = new ArrayList<>();
    for (RawBlock block : raw) {
      Map<String, JsonNode> ofBlock = new HashMap<>();
      for (RawBlock.Tx tx : block.transactions()) {
        if (decoded.containsKey(tx.hash())) {
          ofBlock.put(tx.hash(), decoded.get(tx.hash()));
        }
      }
      out.add(new Fetched(block, before, ofBlock, proposals));
      before = block.validators();
    }
    RawBlock last = raw.get(raw.size() - 1);
    lastRead = new Validators(last.number(), last.validators());
    return out;
  }

  /** The validators of block {@code from - 1}: remembered from the range before, else asked. */
  private List<String> validatorsBefore(long from) {
    if (from == 0) {
      return List.of();
    }
    Validators known = lastRead;
    if (known != null && known.number() == from - 1) {
      return known.validators();
    }
    JsonNode consensus = rpc.call("chorus_getBlockConsensus", hex(from - 1));
    if (consensus.isNull()) {
      throw new ExportException(ExportException.Kind.FAILED, "the node at " + url()
          + " has no consensus record of block " + (from - 1));
    }
    List<String> out = new ArrayList<>();
    consensus.path("validators").forEach(v -> out.add(v.asText().toLowerCase(Locale.ROOT)));
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
      reportIfSlow(out.size(), calls.size(), "calls");
    }
    return out;
  }

  /**
   * Each request has the client's timeout; a range of many requests each under it could still
   * take minutes, which the log must show rather than fall silent.
   */
  private void reportIfSlow(long done, long all, String what) {
    Duration taken = Duration.between(rangeStarted, clock.instant());
    if (!slowReported && taken.compareTo(SLOW_AFTER) > 0) {
      slowReported = true;
      log.accept("the node at " + url() + " is slow: reading " + range + " has taken "
          + taken.toSeconds() + " s so far (" + done + " of this step's " + all + " " + what
          + " answered); still reading");
    }
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
