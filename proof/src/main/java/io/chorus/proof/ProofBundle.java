package io.chorus.proof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A self-contained proof of one fact on a Chorus chain, format {@value #FORMAT} (see
 * {@code docs/proofs.md}): the block header the fact hangs from and its commit certificate, the
 * validator-set changes from genesis up to that block, and the Merkle paths from the header's
 * roots to the fact. {@link ProofVerifier} checks it against a {@link TrustRoot} alone.
 *
 * @param kind what is proven
 * @param chain what the bundle says of its chain (checked against the trust root, not trusted)
 * @param block the header the fact is proven under, with its certificate
 * @param validatorChanges each block, in order, whose state changed the validator set before
 *     {@code block}, with the governance storage proving the new set
 * @param transaction the transaction at its index in the block (kinds transaction, receipt, log)
 * @param receipt its receipt, same index (kinds receipt, log)
 * @param logIndex the log's position in the receipt (kind log)
 * @param account an account and storage slots (kind state), proven against the state root
 * @param batch a digest's place in a Merkle batch whose root is the log's first indexed topic
 *     (kind log; how the notarization service anchors many digests in one transaction)
 */
public record ProofBundle(Kind kind, Chain chain, Sealed block, List<ValidatorChange>
    validatorChanges, Included transaction, Included receipt, Integer logIndex,
    AccountProof account, BatchPath batch) {

  /** A bundle without a batch path. */
  public ProofBundle(Kind kind, Chain chain, Sealed block, List<ValidatorChange>
      validatorChanges, Included transaction, Included receipt, Integer logIndex,
      AccountProof account) {
    this(kind, chain, block, validatorChanges, transaction, receipt, logIndex, account, null);
  }

  /** The format name and version every bundle carries. */
  public static final String FORMAT = "chorus-proof/1";
  /** The largest bundle read: more than any honest one, small enough to refuse at once. */
  public static final int BYTES_MAX = 16 * 1024 * 1024;

  /** What a bundle proves. */
  public enum Kind {
    /** A transaction was included in a final block. */
    TRANSACTION,
    /** ... and its receipt (status, gas, logs) is this. */
    RECEIPT,
    /** ... and it emitted this log. */
    LOG,
    /** An account's fields and storage values in the state after a final block. */
    STATE;

    /** The kind as bundles and messages name it: {@code transaction}, {@code log}, … */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The chain as the bundle names it. */
  public record Chain(BigInteger chainId, String suite, byte[] genesisHash) {}

  /** A block header (its RLP) and the commit certificate that finalized it (its RLP). */
  public record Sealed(byte[] header, byte[] certificate) {}

  /** A validator-set change: the block whose state holds the new set, and that state's proof. */
  public record ValidatorChange(Sealed block, AccountProof governance) {}

  /**
   * Leaf {@code index} of a batch of {@code count} digests ({@code MerkleBatch}: RFC 6962's tree
   * over the suite hash), with the sibling hashes from the leaf up.
   */
  public record BatchPath(byte[] leaf, long index, long count, List<byte[]> path) {}

  /** The same bundle with a batch path. */
  public ProofBundle withBatch(BatchPath path) {
    return new ProofBundle(kind, chain, block, validatorChanges, transaction, receipt, logIndex,
        account, path);
  }

  /** An item of a block's transaction or receipt trie: its encoding and path from the root. */
  public record Included(int index, byte[] encoded, List<byte[]> proof) {}

  /**
   * An account's path from a state root and, per storage slot (32-byte key), its path from the
   * account's storage root.
   */
  public record AccountProof(byte[] address, List<byte[]> proof,
      Map<ByteKey, List<byte[]>> storage) {}

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  /** The bundle as JSON, every byte string as 0x-hex. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("kind", kind.label());
    ObjectNode c = root.putObject("chain");
    c.put("chainId", chain.chainId().toString());
    c.put("suite", chain.suite());
    c.put("genesisHash", Hex.encode0x(chain.genesisHash()));
    root.set("block", sealed(block));
    ArrayNode changes = root.putArray("validatorChanges");
    for (ValidatorChange change : validatorChanges) {
      ObjectNode o = changes.addObject();
      o.set("block", sealed(change.block()));
      o.set("governance", account(change.governance()));
    }
    if (transaction != null) {
      root.set("transaction", included(transaction));
    }
    if (receipt != null) {
      root.set("receipt", included(receipt));
    }
    if (logIndex != null) {
      root.put("logIndex", logIndex);
    }
    if (account != null) {
      root.set("account", account(account));
    }
    if (batch != null) {
      ObjectNode b = root.putObject("batch");
      b.put("leaf", Hex.encode0x(batch.leaf()));
      b.put("index", batch.index());
      b.put("count", batch.count());
      b.set("path", hexList(batch.path()));
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /**
   * Reads a bundle strictly: an unknown or missing field, a wrong type or a malformed hex string
   * is an error that names the field.
   *
   * @throws ProofException saying what to fix
   */
  public static ProofBundle fromJson(String text) {
    if (text.length() > BYTES_MAX) {
      throw new ProofException("a proof bundle is at most " + BYTES_MAX + " bytes, got "
          + text.length());
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ProofException("not JSON: " + e.getOriginalMessage());
    }
    Fields f = new Fields(root, "bundle", Set.of("format", "kind", "chain", "block",
        "validatorChanges", "transaction", "receipt", "logIndex", "account", "batch"));
    String format = f.text("format");
    if (!FORMAT.equals(format)) {
      throw new ProofException("format is '" + format + "', this verifier reads '" + FORMAT
          + "'");
    }
    Kind kind = kind(f.text("kind"));
    Fields c = f.object("chain", Set.of("chainId", "suite", "genesisHash"));
    BigInteger chainId;
    try {
      chainId = new BigInteger(c.text("chainId"));
    } catch (NumberFormatException e) {
      throw new ProofException("chain.chainId must be a decimal integer");
    }
    Chain chain = new Chain(chainId, c.text("suite"), c.hex("genesisHash"));
    Sealed block = sealed(f.object("block", SEALED));
    List<ValidatorChange> changes = new ArrayList<>();
    for (Fields change : f.array("validatorChanges", Set.of("block", "governance"))) {
      changes.add(new ValidatorChange(sealed(change.object("block", SEALED)),
          account(change.object("governance", ACCOUNT))));
    }
    Included transaction = f.has("transaction")
        ? included(f.object("transaction", INCLUDED)) : null;
    Included receipt = f.has("receipt") ? included(f.object("receipt", INCLUDED)) : null;
    Integer logIndex = f.has("logIndex") ? f.index("logIndex") : null;
    AccountProof account = f.has("account") ? account(f.object("account", ACCOUNT)) : null;
    BatchPath batch = null;
    if (f.has("batch")) {
      Fields b = f.object("batch", Set.of("leaf", "index", "count", "path"));
      batch = new BatchPath(b.hex("leaf"), b.index("index"), b.index("count"),
          b.hexList("path"));
    }
    return new ProofBundle(kind, chain, block, changes, transaction, receipt, logIndex, account,
        batch);
  }

  private static final Set<String> SEALED = Set.of("header", "certificate");
  private static final Set<String> INCLUDED = Set.of("index", "encoded", "proof");
  private static final Set<String> ACCOUNT = Set.of("address", "proof", "storage");

  private static Kind kind(String label) {
    for (Kind k : Kind.values()) {
      if (k.label().equals(label)) {
        return k;
      }
    }
    throw new ProofException("kind '" + label + "' is none of transaction, receipt, log, state");
  }

  private static ObjectNode sealed(Sealed s) {
    ObjectNode o = JSON.createObjectNode();
    o.put("header", Hex.encode0x(s.header()));
    o.put("certificate", Hex.encode0x(s.certificate()));
    return o;
  }

  private static Sealed sealed(Fields f) {
    return new Sealed(f.hex("header"), f.hex("certificate"));
  }

  private static ObjectNode included(Included i) {
    ObjectNode o = JSON.createObjectNode();
    o.put("index", i.index());
    o.put("encoded", Hex.encode0x(i.encoded()));
    o.set("proof", hexList(i.proof()));
    return o;
  }

  private static Included included(Fields f) {
    return new Included(f.index("index"), f.hex("encoded"), f.hexList("proof"));
  }

  private static ObjectNode account(AccountProof a) {
    ObjectNode o = JSON.createObjectNode();
    o.put("address", Hex.encode0x(a.address()));
    o.set("proof", hexList(a.proof()));
    ObjectNode storage = o.putObject("storage");
    a.storage().forEach((key, nodes) -> storage.set(Hex.encode0x(key.bytes()), hexList(nodes)));
    return o;
  }

  private static AccountProof account(Fields f) {
    Map<ByteKey, List<byte[]>> storage = new LinkedHashMap<>();
    JsonNode slots = f.node("storage");
    if (!slots.isObject()) {
      throw new ProofException(f.path + ".storage must be an object of slot → proof nodes");
    }
    for (Map.Entry<String, JsonNode> e : slots.properties()) {
      String where = f.path + ".storage key " + e.getKey();
      byte[] key = Fields.hex(e.getKey(), where);
      if (key.length != 32) {
        throw new ProofException(where + " must be 32 bytes, got " + key.length);
      }
      storage.put(new ByteKey(key), Fields.hexList(e.getValue(), f.path + ".storage." + e.getKey()));
    }
    byte[] address = f.hex("address");
    if (address.length != 20) {
      throw new ProofException(f.path + ".address must be 20 bytes, got " + address.length);
    }
    return new AccountProof(address, f.hexList("proof"), storage);
  }

  private static ArrayNode hexList(List<byte[]> items) {
    ArrayNode out = JSON.createArrayNode();
    items.forEach(b -> out.add(Hex.encode0x(b)));
    return out;
  }

  /** An object's fields, read strictly, with the path to name in errors. */
  private record Fields(JsonNode node, String path) {
    Fields(JsonNode node, String path, Set<String> allowed) {
      this(node, path);
      if (node == null || !node.isObject()) {
        throw new ProofException(path + " must be a JSON object");
      }
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!allowed.contains(name)) {
          throw new ProofException(path + " has an unknown field '" + name + "'");
        }
      }
    }

    boolean has(String name) {
      return node.has(name) && !node.get(name).isNull();
    }

    JsonNode node(String name) {
      JsonNode value = node.get(name);
      if (value == null || value.isNull()) {
        throw new ProofException(path + "." + name + " is missing");
      }
      return value;
    }

    String text(String name) {
      JsonNode value = node(name);
      if (!value.isTextual()) {
        throw new ProofException(path + "." + name + " must be a string");
      }
      return value.asText();
    }

    int index(String name) {
      JsonNode value = node(name);
      if (!value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < 0) {
        throw new ProofException(path + "." + name + " must be a non-negative integer");
      }
      return value.asInt();
    }

    byte[] hex(String name) {
      return hex(text(name), path + "." + name);
    }

    List<byte[]> hexList(String name) {
      return hexList(node(name), path + "." + name);
    }

    Fields object(String name, Set<String> allowed) {
      return new Fields(node(name), path + "." + name, allowed);
    }

    List<Fields> array(String name, Set<String> allowed) {
      JsonNode value = node(name);
      if (!value.isArray()) {
        throw new ProofException(path + "." + name + " must be an array");
      }
      List<Fields> out = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        out.add(new Fields(value.get(i), path + "." + name + "[" + i + "]", allowed));
      }
      return out;
    }

    static byte[] hex(String text, String where) {
      if (!text.startsWith("0x")) {
        throw new ProofException(where + " must be 0x-prefixed hex");
      }
      try {
        return Hex.decode(text);
      } catch (IllegalArgumentException e) {
        throw new ProofException(where + ": " + e.getMessage());
      }
    }

    static List<byte[]> hexList(JsonNode value, String where) {
      if (!value.isArray()) {
        throw new ProofException(where + " must be an array of hex strings");
      }
      List<byte[]> out = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        if (!value.get(i).isTextual()) {
          throw new ProofException(where + "[" + i + "] must be a hex string");
        }
        out.add(hex(value.get(i).asText(), where + "[" + i + "]"));
      }
      return out;
    }
  }
}
