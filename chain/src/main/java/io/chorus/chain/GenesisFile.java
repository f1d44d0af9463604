package io.chorus.chain;


import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.ledger.Genesis;
import io.chorus.proof.TrustRoot;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.ProposalKind;
import io.chorus.trie.InMemoryNodeStore;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The genesis file: a {@link Genesis} as JSON, read strictly (an unknown or misspelt field is an
 * error that names it, never ignored) and written in the same shape.
 *
 * <pre>{@code
 * { "chainId": 1337, "suite": "ethereum", "feeMode": "ethereum1559", "gasLimit": 100000000,
 *   "blockIntervalMs": 1000, "timestamp": 0, "extraData": "0x",
 *   "validators": ["0x…(a 64-byte public key)"],
 *   "alloc": { "0x…": { "balance": "1000000000000000000000", "nonce": 0, "code": "0x…",
 *                       "storage": { "0x01": "0x02" } } },
 *   "governance": { "committee": [ { "account": "0x…", "weight": 1 } ],
 *                   "thresholds": { "add-validator": "2/3" } },
 *   "permissions": { "restrictSenders": false, "restrictDeployers": true,
 *                    "roles": { "0x…": ["sender", "deployer", "receivables.obligor",
 *                                       "receivables.bank", "sharing.authority",
 *                                       "receivables.regulator"] } },
 *   "organisations": { "org0": { "dataKey": "0x…(a 64-byte public key)" } } }
 * }</pre>
 * Without {@code governance} the committee is the validators' accounts with weight 1 each;
 * thresholds not listed are 2/3. Without {@code permissions} anyone may send and deploy.
 * Balances are decimal strings or 0x-hex quantities; fee modes are {@code ethereum1559} and
 * {@code zero}; suites {@code ethereum} and {@code sm}.
 */
public final class GenesisFile {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final Set<String> FIELDS = Set.of("chainId", "suite", "feeMode", "gasLimit",
      "blockIntervalMs", "timestamp", "extraData", "validators", "alloc", "governance",
      "permissions", "organisations");
  private static final Set<String> GOVERNANCE_FIELDS = Set.of("committee", "thresholds");
  private static final Set<String> MEMBER_FIELDS = Set.of("account", "weight");
  private static final Set<String> PERMISSION_FIELDS = Set.of("restrictSenders",
      "restrictDeployers", "roles");
  private static final Set<String> ORGANISATION_FIELDS = Set.of("dataKey");
  private static final Set<String> ACCOUNT_FIELDS = Set.of("balance", "nonce", "code",
      "storage");
  /** A genesis file larger than this is refused rather than read into memory. */
  public static final long BYTES_MAX = 64L * 1024 * 1024;

  private GenesisFile() {}

  /**
   * What an offline verifier trusts for the chain this genesis starts: its id, suite, genesis
   * block hash (computed here, as a node computes block 0) and validators.
   */
  public static TrustRoot trustRoot(Genesis genesis) {
    byte[] hash = genesis.build(new InMemoryNodeStore()).hash(
        genesis.cryptoSuite().hashFunction());
    return new TrustRoot(genesis.chainId(), genesis.cryptoSuite(), hash, genesis.validators());
  }

  /**
   * Reads and checks a genesis file.
   *
   * @throws IllegalArgumentException naming the file, the field and what is wrong
   */
  public static Genesis read(Path file) {
    try {
      if (Files.size(file) > BYTES_MAX) {
        throw new IllegalArgumentException(file + " is larger than " + BYTES_MAX + " bytes");
      }
      return parse(JSON.readTree(file.toFile()));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(file + " is not valid JSON: " + e.getOriginalMessage(),
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read genesis file " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses a genesis from its JSON tree. */
  public static Genesis parse(JsonNode root) {
    if (!root.isObject()) {
      throw new IllegalArgumentException("a genesis file holds one JSON object");
    }
    requireKnown(root, FIELDS, "genesis");
    List<byte[]> validators = new ArrayList<>();
    for (JsonNode v : array(root, "validators")) {
      byte[] key = hex(v, "validators");
      if (key.length != 64) {
        throw new IllegalArgumentException("validators: " + v.asText() + " is not a 64-byte"
            + " public key (x || y, hex, no 04 prefix)");
      }
      validators.add(key);
    }
    Map<Address, Genesis.Allocation> alloc = new HashMap<>();
    JsonNode accounts = root.path("alloc");
    if (!accounts.isMissingNode() && !accounts.isObject()) {
      throw new IllegalArgumentException("alloc must be an object of address to account");
    }
    for (Map.Entry<String, JsonNode> entry : accounts.properties()) {
      String where = "alloc." + entry.getKey();
      JsonNode account = entry.getValue();
      requireKnown(account, ACCOUNT_FIELDS, where);
      Map<Word, Word> storage = new HashMap<>();
      for (Map.Entry<String, JsonNode> slot : account.path("storage").properties()) {
        storage.put(word(slot.getKey(), where + ".storage"),
            word(slot.getValue().asText(), where + ".storage." + slot.getKey()));
      }
      alloc.put(address(entry.getKey(), "alloc"), new Genesis.Allocation(
          quantity(account.path("balance"), where + ".balance", BigInteger.ZERO),
          quantity(account.path("nonce"), where + ".nonce", BigInteger.ZERO).longValueExact(),
          hex(account.path("code"), where + ".code"), storage));
    }
    String suite = required(root, "suite").asText();
    CryptoSuite cryptoSuite = CryptoSuite.byName(suite);
    List<Address> validatorAccounts = validators.stream()
        .map(k -> Address.of(cryptoSuite.address(k))).toList();
    return new Genesis(
        quantity(required(root, "chainId"), "chainId", null),
        suite,
        feeMode(root.path("feeMode")),
        quantity(required(root, "gasLimit"), "gasLimit", null).longValueExact(),
        quantity(required(root, "blockIntervalMs"), "blockIntervalMs", null).longValueExact(),
        quantity(root.path("timestamp"), "timestamp", BigInteger.ZERO).longValueExact(),
        hex(root.path("extraData"), "extraData"),
        validators, alloc, consortium(root, validatorAccounts)
            .withOrganisationDataKeys(organisationDataKeys(root, cryptoSuite)));
  }

  private static Map<String, byte[]> organisationDataKeys(JsonNode root, CryptoSuite suite) {
    JsonNode organisations = root.path("organisations");
    Map<String, byte[]> keys = new HashMap<>();
    if (organisations.isMissingNode()) {
      return keys;
    }
    if (!organisations.isObject()) {
      throw new IllegalArgumentException("organisations must be an object of organisation"
          + " name to {\"dataKey\": \"0x…\"}");
    }
    for (Map.Entry<String, JsonNode> entry : organisations.properties()) {
      String where = "organisations." + entry.getKey();
      requireKnown(entry.getValue(), ORGANISATION_FIELDS, where);
      byte[] key = hex(required(entry.getValue(), "dataKey"), where + ".dataKey");
      try {
        suite.envelope().requireRecipient(key);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ".dataKey is not a public key of suite "
            + suite.name() + " (" + e.getMessage() + "): give x || y in hex, no 04 prefix", e);
      }
      keys.put(entry.getKey(), key);
    }
    return keys;
  }

  private static Consortium consortium(JsonNode root, List<Address> validatorAccounts) {
    JsonNode governance = root.path("governance");
    List<Consortium.Member> committee = new ArrayList<>();
    Map<ProposalKind, Consortium.Threshold> thresholds = new HashMap<>();
    if (governance.isMissingNode()) {
      validatorAccounts.forEach(a -> committee.add(new Consortium.Member(a, BigInteger.ONE)));
    } else {
      requireKnown(governance, GOVERNANCE_FIELDS, "governance");
      for (JsonNode member : array(governance, "committee")) {
        requireKnown(member, MEMBER_FIELDS, "governance.committee[]");
        committee.add(new Consortium.Member(
            address(required(member, "account").asText(), "governance.committee[].account"),
            quantity(member.path("weight"), "governance.committee[].weight", BigInteger.ONE)));
      }
      JsonNode limits = governance.path("thresholds");
      if (!limits.isMissingNode() && !limits.isObject()) {
        throw new IllegalArgumentException("governance.thresholds must be an object of"
            + " proposal kind to n/d");
      }
      for (Map.Entry<String, JsonNode> entry : limits.properties()) {
        thresholds.put(ProposalKind.named(entry.getKey()),
            Consortium.Threshold.parse(entry.getValue().asText()));
      }
    }
    JsonNode permissions = root.path("permissions");
    Map<Address, Long> roles = new HashMap<>();
    if (!permissions.isMissingNode()) {
      requireKnown(permissions, PERMISSION_FIELDS, "permissions");
      JsonNode granted = permissions.path("roles");
      if (!granted.isMissingNode() && !granted.isObject()) {
        throw new IllegalArgumentException("permissions.roles must be an object of address to"
            + " a list of roles");
      }
      for (Map.Entry<String, JsonNode> entry : granted.properties()) {
        long bits = 0;
        for (JsonNode role : array(granted, entry.getKey())) {
          Long bit = Permissions.ROLE_NAMES.get(role.asText());
          if (bit == null) {
            throw new IllegalArgumentException("permissions.roles." + entry.getKey()
                + ": unknown role '" + role.asText() + "'; roles are "
                + String.join(", ", Permissions.ROLE_NAMES.keySet()));
          }
          bits |= bit;
        }
        roles.put(address(entry.getKey(), "permissions.roles"), bits);
      }
    }
    return new Consortium(committee, thresholds,
        permissions.path("restrictSenders").asBoolean(false),
        permissions.path("restrictDeployers").asBoolean(false), roles);
  }

  /** Writes {@code genesis} to {@code file} in the shape {@link #read} takes. */
  public static void write(Genesis genesis, Path file) {
    ObjectNode root = JSON.createObjectNode();
    root.put("chainId", genesis.chainId());
    root.put("suite", genesis.suite());
    root.put("feeMode", genesis.feeMode() == Genesis.FeeMode.ZERO ? "zero" : "ethereum1559");
    root.put("gasLimit", genesis.gasLimit());
    root.put("blockIntervalMs", genesis.blockIntervalMs());
    root.put("timestamp", genesis.timestamp());
    root.put("extraData", Hex.encode0x(genesis.extraData()));
    genesis.validators().forEach(v -> root.withArray("validators").add(Hex.encode0x(v)));
    ObjectNode alloc = root.putObject("alloc");
    for (Map.Entry<Address, Genesis.Allocation> entry : genesis.alloc().entrySet()) {
      Genesis.Allocation a = entry.getValue();
      ObjectNode account = alloc.putObject(entry.getKey().toString());
      account.put("balance", a.balance().toString());
      if (a.nonce() != 0) {
        account.put("nonce", a.nonce());
      }
      if (a.code().length > 0) {
        account.put("code", Hex.encode0x(a.code()));
      }
      if (!a.storage().isEmpty()) {
        ObjectNode storage = account.putObject("storage");
        new java.util.TreeMap<>(a.storage()).forEach((k, v) ->
            storage.put(Hex.encode0x(k.toBytes()), Hex.encode0x(v.toBytes())));
      }
    }
    writeConsortium(genesis.consortium(), root);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      JSON.writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write genesis file " + file + ": " + e, e);
    }
  }

  private static void writeConsortium(Consortium consortium, ObjectNode root) {
    ObjectNode governance = root.putObject("governance");
    for (Consortium.Member member : consortium.committee()) {
      governance.withArray("committee").addObject().put("account", member.account().toString())
          .put("weight", member.weight());
    }
    ObjectNode thresholds = governance.putObject("thresholds");
    consortium.thresholds().forEach((kind, t) -> thresholds.put(kind.label(), t.toString()));
    ObjectNode permissions = root.putObject("permissions");
    permissions.put("restrictSenders", consortium.restrictSenders());
    permissions.put("restrictDeployers", consortium.restrictDeployers());
    ObjectNode roles = permissions.putObject("roles");
    consortium.roles().forEach((account, bits) -> {
      var list = roles.putArray(account.toString());
      Permissions.ROLE_NAMES.forEach((name, bit) -> {
        if ((bits & bit) != 0) {
          list.add(name);
        }
      });
    });
    if (!consortium.organisationDataKeys().isEmpty()) {
      ObjectNode organisations = root.putObject("organisations");
      consortium.organisationDataKeys().forEach((name, key) ->
          organisations.putObject(name).put("dataKey", Hex.encode0x(key)));
    }
  }

  private static void requireKnown(JsonNode node, Set<String> known, String where) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(where + " must be a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + name + "' in " + where
            + "; known fields: " + new java.util.TreeSet<>(known));
      }
    }
  }

  private static JsonNode required(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      throw new IllegalArgumentException("missing required field '" + field + "'");
    }
    return value;
  }

  private static Iterable<JsonNode> array(JsonNode root, String field) {
    JsonNode value = root.path(field);
    if (value.isMissingNode()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException(field + " must be an array");
    }
    return value;
  }

  private static Genesis.FeeMode feeMode(JsonNode node) {
    if (node.isMissingNode()) {
      return Genesis.FeeMode.ETHEREUM_1559;
    }
    return switch (node.asText()) {
      case "ethereum1559" -> Genesis.FeeMode.ETHEREUM_1559;
      case "zero" -> Genesis.FeeMode.ZERO;
      default -> throw new IllegalArgumentException("feeMode must be 'ethereum1559' or 'zero', "
          + "got '" + node.asText() + "'");
    };
  }

  /** A number, a decimal string or a 0x-hex string; {@code absent} when missing (null: required). */
  private static BigInteger quantity(JsonNode node, String where, BigInteger absent) {
    if (node.isMissingNode() || node.isNull()) {
      if (absent == null) {
        throw new IllegalArgumentException("missing required field '" + where + "'");
      }
      return absent;
    }
    BigInteger value;
    try {
      if (node.isIntegralNumber()) {
        value = node.bigIntegerValue();
      } else if (node.isTextual() && node.asText().startsWith("0x")) {
        value = new BigInteger(node.asText().substring(2), 16);
      } else if (node.isTextual()) {
        value = new BigInteger(node.asText());
      } else {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + " must be an integer (number, decimal string "
          + "or 0x-hex), got " + node);
    }
    if (value.signum() < 0 || value.bitLength() > 256) {
      throw new IllegalArgumentException(where + " must be in [0, 2^256), got " + value);
    }
    return value;
  }

  private static byte[] hex(JsonNode node, String where) {
    if (node.isMissingNode() || node.isNull()) {
      return new byte[0];
    }
    try {
      return Hex.decode(node.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + " must be 0x-hex bytes: " + e.getMessage(), e);
    }
  }

  private static Address address(String text, String where) {
    try {
      return Address.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": '" + text + "' is not a 20-byte 0x address",
          e);
    }
  }

  private static Word word(String text, String where) {
    byte[] bytes = hex(new com.fasterxml.jackson.databind.node.TextNode(text), where);
    if (bytes.length > 32) {
      throw new IllegalArgumentException(where + ": '" + text + "' is longer than 32 bytes");
    }
    byte[] padded = new byte[32];
    System.arraycopy(bytes, 0, padded, 32 - bytes.length, bytes.length);
    return Word.fromBytes(padded);
  }
}
