package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Envelope;
import io.chorus.crypto.EnvelopeException;
import io.chorus.crypto.KeyPair;
import io.chorus.proof.ProofBundle;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Government data sharing (政务数据共享) for a Java application, over a node's REST API
 * ({@code /api/v1/sharing}, docs/sharing.md): the catalogue, applications and their decisions,
 * grants, the audit trail, and the exchange. Writes act as the API token's account (role
 * {@code sharing.writer}); reads of applications, grants and audit entries need {@code
 * sharing.reader} and show only what that account's department may see. A refusal throws
 * {@link ProblemException}: 422 {@code sharing-refused} with the contract's {@link #code} and
 * {@link #rule}, 403 {@code access-denied} for a fetch denied (and recorded), 400 naming each
 * bad field, 404 for what does not exist or may not be seen.
 *
 * <p>{@link #fetch} does not trust the node it fetches from: it opens the envelope with the
 * caller's own private key, and checks that the envelope's hash is the payload hash the chain
 * recorded for the delivery, throwing {@link DeliveryException} when either fails.
 */
public final class SharingClient {
  private static final String BASE = "/api/v1/sharing";
  /** What the node's envelopes bind as associated data (docs/sharing.md, the exchange). */
  private static final String DELIVERY_CONTEXT = "chorus/sharing/delivery/v1";
  /** The first line of a request signed by a user certificate. */
  private static final String FETCH_CONTEXT = "chorus/sharing/fetch/v1";
  private static final String DATA_SHARING = "0x0000000000000000000000000000000000001005";
  private static final com.esaulpaugh.headlong.abi.Function AUDIT_ENTRY =
      com.esaulpaugh.headlong.abi.Function.parse("auditEntry(uint64)",
          "(uint64,uint64,string,bytes32,uint8,uint8,uint64,bytes32,uint64,uint64)");
  /** The audit trail's outcome codes and their rules, as the contract names them. */
  private static final java.util.Map<String, String> RULES = java.util.Map.of("0x51", "ok",
      "0xc0", "no-grant", "0xc1", "expired", "0xc2", "revoked", "0xc3", "outside-mask",
      "0xc4", "wrong-department", "0xc5", "revoked-certificate", "0xc6", "failed");
  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  /**
   * A version of a data set's entry in the catalogue.
   *
   * @param sharingClass {@code unconditional}, {@code conditional} or {@code not-shared}
   * @param updateCycle {@code realtime}, {@code daily}, … {@code irregular}
   */
  public record Version(long number, String title, String sharingClass, String updateCycle,
      List<String> fields, String schemaHash, long publishedAt) {}

  /** A data set of the catalogue, with its latest version. */
  public record Dataset(long id, String code, String provider, long versions, long createdAt,
      Version latest) {}

  /**
   * An application, and once granted the grant (same id).
   *
   * @param state {@code applied}, {@code checked}, {@code granted}, {@code refused}, {@code
   *     revoked} or {@code expired}
   * @param deadline the awaited step's deadline, seconds since the epoch; 0 once decided
   * @param reason the refusal's or revocation's reason, or the authority's note
   */
  public record Application(long id, long dataset, long version, String requester,
      String applicant, String purpose, String scenario, String state, long expiresAt,
      long appliedAt, long deadline, boolean extended, long decidedAt, long revokedAt,
      Optional<String> decidedBy, String reason, List<String> requestedFields,
      List<String> grantedFields) {}

  /**
   * One access attempt on the audit trail.
   *
   * @param outcome what the provider's node answered, {@code 0x51} delivered or a denial's code
   * @param verdict what the chain's own check said at that block
   * @param requester the hash of the requester's key, 0x-hex
   * @param payloadHash a delivery's envelope hash; empty for a denial
   */
  public record AuditEntry(long id, long dataset, long grant, String department,
      String requester, String outcome, String outcomeRule, String verdict, String verdictRule,
      long fieldMask, long time, long purgedAt, Optional<String> payloadHash) {

    /** Whether the node delivered the payload. */
    public boolean delivered() {
      return outcome.equals(DELIVERED);
    }
  }

  /** A page of a list: {@code total} in the whole list, {@code items} from {@code offset}. */
  public record Page<T>(long total, long offset, List<T> items) {}

  /**
   * What a write sent: the data set or application after it once its block is in (with
   * {@code wait}), else only the pending transaction.
   */
  public record Sent<T>(String transactionHash, Optional<Long> blockNumber, Optional<T> result) {}

  /**
   * A delivery opened and checked: the granted fields of each record, the envelope's hash and
   * the chain's audit entry that recorded it.
   */
  public record Delivery(long dataset, long grant, long version, List<String> fields,
      List<JsonNode> records, String payloadHash, AuditEntry entry, String scheme) {}

  /** The code of a delivery on the trail. */
  public static final String DELIVERED = "0x51";

  private final String url;
  private final RestClient rest;
  private ChorusClient chain;

  /**
   * @param url the node's RPC URL ({@code http://127.0.0.1:8545})
   * @param token an API token, or null to read the catalogue only
   */
  public SharingClient(String url, String token) {
    this.url = url;
    this.rest = new RestClient(url, token);
  }

  /** The account the token acts for. */
  public String caller() {
    return rest.get("/api/v1/chain/caller").path("account").asText();
  }

  // ---- the catalogue -------------------------------------------------------------------------

  /** The catalogue, or with {@code provider} one department's, paged. */
  public Page<Dataset> datasets(Optional<String> provider, long offset, int count) {
    return page(rest.get(BASE + "/datasets?offset=" + offset + "&count=" + count
        + provider.map(p -> "&department=" + encode(p)).orElse("")), SharingClient::dataset);
  }

  public Dataset dataset(long id) {
    return dataset(rest.get(BASE + "/datasets/" + id));
  }

  /** Version {@code number} of a data set (from 1). */
  public Version version(long dataset, long number) {
    return version(rest.get(BASE + "/datasets/" + dataset + "/versions/" + number));
  }

  /** As the provider: publishes a data set. */
  public Sent<Dataset> publish(String code, String title, List<String> fields,
      String sharingClass, String updateCycle, boolean wait) {
    ObjectNode body = item(title, fields, sharingClass, updateCycle, wait).put("code", code);
    return sent(rest.post(BASE + "/datasets", body), SharingClient::dataset);
  }

  /** As the provider: a new version of data set {@code id}. */
  public Sent<Dataset> update(long id, String title, List<String> fields, String sharingClass,
      String updateCycle, boolean wait) {
    return sent(rest.post(BASE + "/datasets/" + id + "/versions", item(title, fields,
        sharingClass, updateCycle, wait)), SharingClient::dataset);
  }

  /**
   * As the provider: replaces the records this node serves of data set {@code id}, JSON
   * objects keyed by the latest schema's field names.
   *
   * @return how many records the node now holds
   */
  public int putRecords(long id, List<JsonNode> records) {
    ObjectNode body = JsonRpcClient.JSON.createObjectNode();
    ArrayNode list = body.putArray("records");
    records.forEach(list::add);
    return rest.put(BASE + "/datasets/" + id + "/data", body).path("records").asInt();
  }

  // ---- applications and decisions ------------------------------------------------------------

  /**
   * As the requester: applies for {@code fields} of data set {@code dataset} until {@code
   * expiresAt} (seconds since the epoch).
   */
  public Sent<Application> apply(long dataset, String purpose, String scenario,
      List<String> fields, long expiresAt, boolean wait) {
    ObjectNode body = JsonRpcClient.JSON.createObjectNode().put("dataset", dataset)
        .put("purpose", purpose).put("scenario", scenario).put("expiresAt", expiresAt)
        .put("wait", wait);
    names(body, fields);
    return sent(rest.post(BASE + "/requests", body), SharingClient::application);
  }

  /** As the data authority: passes the application, or refuses it with {@code reason}. */
  public Sent<Application> check(long id, boolean pass, String reason, boolean wait) {
    return decision(id, "check", JsonRpcClient.JSON.createObjectNode().put("pass", pass)
        .put("reason", reason).put("wait", wait));
  }

  /** As the provider: grants {@code fields} of those asked for (all of them when empty). */
  public Sent<Application> approve(long id, List<String> fields, boolean wait) {
    ObjectNode body = JsonRpcClient.JSON.createObjectNode().put("wait", wait);
    if (!fields.isEmpty()) {
      names(body, fields);
    }
    return decision(id, "approve", body);
  }

  /** As the provider: refuses the application with its reason. */
  public Sent<Application> refuse(long id, String reason, boolean wait) {
    return decision(id, "refuse", reasonBody(reason, wait));
  }

  /** As the provider, once: 5 more working days to decide, with its reason. */
  public Sent<Application> extend(long id, String reason, boolean wait) {
    return decision(id, "extend", reasonBody(reason, wait));
  }

  /** As the provider or the authority: ends a grant in force, with its reason. */
  public Sent<Application> revoke(long id, String reason, boolean wait) {
    return decision(id, "revoke", reasonBody(reason, wait));
  }

  public Application application(long id) {
    return application(rest.get(BASE + "/requests/" + id));
  }

  /** A department's applications (that department or the authority). */
  public Page<Application> applicationsOf(String department, long offset, int count) {
    return page(rest.get(BASE + "/departments/" + encode(department) + "/requests?offset="
        + offset + "&count=" + count), SharingClient::application);
  }

  /** The applications for a data set (its provider or the authority). */
  public Page<Application> applicationsFor(long dataset, long offset, int count) {
    return page(rest.get(BASE + "/datasets/" + dataset + "/requests?offset=" + offset
        + "&count=" + count), SharingClient::application);
  }

  /** {@code department}'s grants for a data set, whatever their state. */
  public List<Application> grants(long dataset, String department) {
    List<Application> out = new ArrayList<>();
    rest.get(BASE + "/datasets/" + dataset + "/grants?department=" + encode(department))
        .path("grants").forEach(g -> out.add(application(g)));
    return List.copyOf(out);
  }

  /** As the authority: undecided applications past their deadline. */
  public List<Application> overdue() {
    List<Application> out = new ArrayList<>();
    rest.get(BASE + "/overdue").path("items").forEach(a -> out.add(application(a)));
    return List.copyOf(out);
  }

  // ---- the audit trail -----------------------------------------------------------------------

  /** The access attempts on a data set, oldest first (its provider or the authority). */
  public Page<AuditEntry> auditOf(long dataset, long offset, int count) {
    return page(rest.get(BASE + "/datasets/" + dataset + "/audit?offset=" + offset + "&count="
        + count), SharingClient::entry);
  }

  /** A department's access attempts (that department or the authority). */
  public Page<AuditEntry> auditOfDepartment(String department, long offset, int count) {
    return page(rest.get(BASE + "/departments/" + encode(department) + "/audit?offset="
        + offset + "&count=" + count), SharingClient::entry);
  }

  public AuditEntry auditEntry(long id) {
    return entry(rest.get(BASE + "/audit/" + id));
  }

  /**
   * The proof bundle of audit entry {@code id} (its department, its provider or the
   * authority): the log bundle of the {@code Accessed} event that recorded it, which {@code
   * chorus verify} checks offline ({@code io.chorus.proof.SharingEvidence} reads it back).
   */
  public ProofBundle auditProof(long id) {
    return ProofBundle.fromJson(rest.get(BASE + "/audit/" + id + "/proof").toString());
  }

  /**
   * As the provider: erases the node's copy of a delivery's envelope and records the purge.
   *
   * @return the purge's transaction hash (pending)
   */
  public String purge(long entry, String reason) {
    return rest.delete(BASE + "/audit/" + entry + "/payload?reason=" + encode(reason))
        .path("txHash").asText();
  }

  // ---- the exchange --------------------------------------------------------------------------

  /**
   * Fetches a data set's granted fields from the provider's node, as the token's account whose
   * private key is {@code privateKey}, and checks the delivery: waits up to {@code timeout} for
   * the audit entry the node recorded to be in a block, checks that the envelope's hash is that
   * entry's payload hash, opens the envelope with the key.
   *
   * @param grant the grant to present, 0 for the department's grant in force that covers the
   *     fields
   * @param fields the fields wanted; empty for all the grant gives
   * @throws ProblemException a denial (403 {@code access-denied}, with its {@link #code}, and
   *     recorded on the trail all the same)
   * @throws DeliveryException when the envelope does not open or is not what the chain recorded
   */
  public Delivery fetch(long dataset, long grant, List<String> fields, byte[] privateKey,
      Duration timeout) {
    ChorusClient node = chain();
    KeyPair keys = node.suite().keyPair(privateKey);
    StringBuilder query = new StringBuilder("?key=" + Hex.encode0x(keys.publicKey()));
    if (grant > 0) {
      query.append("&grant=").append(grant);
    }
    if (!fields.isEmpty()) {
      query.append("&fields=").append(encode(String.join(",", fields)));
    }
    JsonNode served = rest.get(BASE + "/datasets/" + dataset + "/data" + query);
    String txHash = served.path("txHash").asText();
    node.waitForReceipt(Hex.decode(txHash), timeout);
    AuditEntry entry = entry(rest.get(BASE + "/transactions/" + txHash + "/entry"));
    return open(node.suite(), node.chainId(), keys, dataset, served.path("grant").asLong(),
        Hex.decode(served.path("envelope").asText()), served.path("payloadHash").asText(),
        entry);
  }

  /**
   * Fetches a data set's granted fields from the provider's node as a consortium user, with no
   * API token: the request carries {@code user}'s certificate chain and is signed with its key
   * (a fresh nonce, the time now); the node seals the granted fields for the certificate's key.
   * The delivery is checked as {@link #fetch(long, long, List, byte[], Duration)} checks it,
   * against the audit entry read from the chain ({@code auditEntry} by {@code eth_call}, the
   * entry's id from the recording transaction's receipt), so no token of the provider's node is
   * needed for that either.
   *
   * @throws ProblemException a denial (403 {@code access-denied}, recorded; {@code 0xc5} for a
   *     revoked certificate) or a refused certificate (401 {@code certificate-refused})
   * @throws DeliveryException when the envelope does not open or is not what the chain recorded
   */
  public Delivery fetch(long dataset, long grant, List<String> fields, UserCertificate user,
      Duration timeout) {
    ChorusClient node = chain();
    CryptoSuite suite = node.suite();
    boolean sm = suite.name().equals("sm");
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    long signedAt = java.time.Clock.systemUTC().millis();
    byte[] canonical = (FETCH_CONTEXT + "\n" + node.chainId() + "\n" + dataset + "\n" + grant
        + "\n" + String.join(",", fields) + "\n" + signedAt + "\n" + Hex.encode0x(nonce))
        .getBytes(StandardCharsets.UTF_8);
    StringBuilder query = new StringBuilder("?grant=" + grant);
    if (!fields.isEmpty()) {
      query.append("&fields=").append(encode(String.join(",", fields)));
    }
    JsonNode served = rest.get(BASE + "/datasets/" + dataset + "/data/by-certificate" + query,
        java.util.Map.of("Chorus-Certificate", user.header(), "Chorus-Signed-At",
            Long.toString(signedAt), "Chorus-Nonce", Hex.encode0x(nonce), "Chorus-Signature",
            Hex.encode0x(user.sign(canonical, sm))));
    String txHash = served.path("txHash").asText();
    Receipt receipt = node.waitForReceipt(Hex.decode(txHash), timeout);
    AuditEntry entry = chainEntry(node, receipt);
    KeyPair keys = sm ? suite.keyPair(user.privateScalar())
        : io.chorus.crypto.P256.keyPair(user.privateScalar());
    Envelope envelope = sm ? suite.envelope() : io.chorus.crypto.P256.envelope();
    return open(suite, envelope, node.chainId(), keys, dataset, served.path("grant").asLong(),
        Hex.decode(served.path("envelope").asText()), served.path("payloadHash").asText(),
        entry);
  }

  /** The audit entry a recordAccess transaction added, read from the chain's state. */
  private static AuditEntry chainEntry(ChorusClient node, Receipt receipt) {
    byte[] contract = Hex.decode(DATA_SHARING);
    Receipt.Log accessed = receipt.logs().stream()
        .filter(log -> java.util.Arrays.equals(log.address(), contract)
            && log.topics().size() == 4)
        .findFirst().orElseThrow(() -> new DeliveryException(
            DeliveryException.Failure.NOT_RECORDED, "transaction "
                + Hex.encode0x(receipt.transactionHash()) + " recorded no access on chain"));
    long id = new BigInteger(1, accessed.topics().get(1)).longValueExact();
    com.esaulpaugh.headlong.abi.Tuple e = AUDIT_ENTRY.decodeReturn(node.call(
        new byte[20], contract, Abi.encodeCall(AUDIT_ENTRY, List.of(Long.toString(id)))));
    byte[] payloadHash = e.get(7);
    String outcome = String.format("0x%02x", (Integer) e.get(4));
    String verdict = String.format("0x%02x", (Integer) e.get(5));
    // headlong reads uint64 as BigInteger, uint8 as Integer.
    return new AuditEntry(id, ((BigInteger) e.get(0)).longValue(),
        ((BigInteger) e.get(1)).longValue(), e.get(2), Hex.encode0x((byte[]) e.get(3)),
        outcome, RULES.getOrDefault(outcome, "unknown"), verdict,
        RULES.getOrDefault(verdict, "unknown"), ((BigInteger) e.get(6)).longValue(),
        ((BigInteger) e.get(8)).longValue(), ((BigInteger) e.get(9)).longValue(),
        java.util.Arrays.equals(payloadHash, new byte[32]) ? Optional.empty()
            : Optional.of(Hex.encode0x(payloadHash)));
  }

  static Delivery open(CryptoSuite suite, BigInteger chainId, KeyPair keys, long dataset,
      long grant, byte[] envelope, String namedHash, AuditEntry entry) {
    return open(suite, suite.envelope(), chainId, keys, dataset, grant, envelope, namedHash,
        entry);
  }

  /**
   * Checks and opens a delivery's envelope: its hash must be the one the node named and the
   * one the chain recorded in {@code entry}, a delivery of {@code dataset} under {@code grant};
   * it must open with {@code keys} and the delivery's associated data; and the payload must be
   * that data set's, under that grant, with records holding only the fields it lists.
   */
  static Delivery open(CryptoSuite suite, Envelope scheme, BigInteger chainId, KeyPair keys,
      long dataset, long grant, byte[] envelope, String namedHash, AuditEntry entry) {
    String hash = Hex.encode0x(suite.hash(envelope));
    if (!hash.equalsIgnoreCase(namedHash)) {
      throw new DeliveryException(DeliveryException.Failure.HASH_MISMATCH, "the envelope"
          + " hashes to " + hash + ", not the " + namedHash + " the node named: it was"
          + " changed on its way");
    }
    if (!entry.delivered() || entry.dataset() != dataset || entry.grant() != grant) {
      throw new DeliveryException(DeliveryException.Failure.NOT_RECORDED, "audit entry "
          + entry.id() + " records " + entry.outcome() + " " + entry.outcomeRule()
          + " of data set " + entry.dataset() + " under grant " + entry.grant() + ", not the"
          + " delivery of data set " + dataset + " under grant " + grant);
    }
    if (!hash.equalsIgnoreCase(entry.payloadHash().orElse(""))) {
      throw new DeliveryException(DeliveryException.Failure.HASH_MISMATCH, "the envelope"
          + " hashes to " + hash + ", but audit entry " + entry.id() + " on chain records "
          + entry.payloadHash().orElse("no payload") + ": this is not the payload the"
          + " provider recorded delivering");
    }
    String recipient = Hex.encode0x(suite.address(keys.publicKey()));
    byte[] plaintext;
    try {
      plaintext = scheme.open(envelope, (DELIVERY_CONTEXT + "\n" + chainId + "\n"
          + dataset + "\n" + grant + "\n" + recipient).getBytes(StandardCharsets.UTF_8), keys);
    } catch (EnvelopeException e) {
      throw new DeliveryException(DeliveryException.Failure.NOT_OPENED, "the envelope of data"
          + " set " + dataset + " under grant " + grant + " does not open with the key of "
          + recipient + " (" + e.reason() + "): " + e.getMessage(), e);
    }
    return payload(plaintext, dataset, grant, hash, entry, scheme.scheme());
  }

  private static Delivery payload(byte[] plaintext, long dataset, long grant, String hash,
      AuditEntry entry, String scheme) {
    JsonNode json;
    try {
      json = JsonRpcClient.JSON.readTree(plaintext);
    } catch (IOException e) {
      throw new DeliveryException(DeliveryException.Failure.WRONG_CONTENT, "the opened"
          + " payload is not JSON: " + e.getMessage(), e);
    }
    if (json.path("dataset").asLong() != dataset || json.path("grant").asLong() != grant) {
      throw new DeliveryException(DeliveryException.Failure.WRONG_CONTENT, "the payload is of"
          + " data set " + json.path("dataset") + " under grant " + json.path("grant")
          + ", not of data set " + dataset + " under grant " + grant);
    }
    List<String> fields = texts(json.path("fields"));
    Set<String> allowed = new HashSet<>(fields);
    List<JsonNode> records = new ArrayList<>();
    for (JsonNode record : json.path("records")) {
      for (String name : (Iterable<String>) record::fieldNames) {
        if (!allowed.contains(name)) {
          throw new DeliveryException(DeliveryException.Failure.WRONG_CONTENT, "record "
              + records.size() + " of the payload carries field " + name + ", outside the "
              + "fields " + fields + " it was delivered with");
        }
      }
      records.add(record);
    }
    return new Delivery(dataset, grant, json.path("version").asLong(), fields,
        List.copyOf(records), hash, entry, scheme);
  }

  /** The reason code of a refusal or a denial ({@code 0xb3}, {@code 0xc0}), if it is one. */
  public static Optional<String> code(ProblemException refusal) {
    return text(refusal.body().path("code"));
  }

  /** The rule a refusal or a denial names ({@code not-provider}, {@code no-grant}). */
  public static Optional<String> rule(ProblemException refusal) {
    return text(refusal.body().path("rule"));
  }

  /** A denied fetch's record on chain: the transaction that recorded it. */
  public static Optional<String> deniedTransaction(ProblemException denial) {
    return text(denial.body().path("txHash"));
  }

  // ---- JSON ----------------------------------------------------------------------------------

  private synchronized ChorusClient chain() {
    if (chain == null) {
      chain = ChorusClient.connect(url);
    }
    return chain;
  }

  private Sent<Application> decision(long id, String step, ObjectNode body) {
    return sent(rest.post(BASE + "/requests/" + id + "/" + step, body),
        SharingClient::application);
  }

  private static ObjectNode reasonBody(String reason, boolean wait) {
    return JsonRpcClient.JSON.createObjectNode().put("reason", reason).put("wait", wait);
  }

  private static ObjectNode item(String title, List<String> fields, String sharingClass,
      String updateCycle, boolean wait) {
    ObjectNode body = JsonRpcClient.JSON.createObjectNode().put("title", title)
        .put("sharingClass", sharingClass).put("updateCycle", updateCycle).put("wait", wait);
    names(body, fields);
    return body;
  }

  private static void names(ObjectNode body, List<String> fields) {
    ArrayNode list = body.putArray("fields");
    fields.forEach(list::add);
  }

  private static <T> Sent<T> sent(JsonNode out, Function<JsonNode, T> view) {
    if (out.path("status").asText().equals("pending")) {
      return new Sent<>(out.path("txHash").asText(), Optional.empty(), Optional.empty());
    }
    JsonNode tx = out.path("transaction");
    return new Sent<>(tx.path("hash").asText(), Optional.of(tx.path("blockNumber").asLong()),
        Optional.of(view.apply(out)));
  }

  private static <T> Page<T> page(JsonNode json, Function<JsonNode, T> view) {
    List<T> items = new ArrayList<>();
    json.path("items").forEach(i -> items.add(view.apply(i)));
    return new Page<>(json.path("total").asLong(), json.path("offset").asLong(),
        List.copyOf(items));
  }

  private static Dataset dataset(JsonNode d) {
    return new Dataset(d.path("id").asLong(), d.path("code").asText(),
        d.path("provider").asText(), d.path("versions").asLong(), d.path("createdAt").asLong(),
        version(d.path("latest")));
  }

  private static Version version(JsonNode v) {
    return new Version(v.path("version").asLong(), v.path("title").asText(),
        v.path("sharingClass").asText(), v.path("updateCycle").asText(),
        texts(v.path("fields")), v.path("schemaHash").asText(), v.path("publishedAt").asLong());
  }

  private static Application application(JsonNode r) {
    return new Application(r.path("id").asLong(), r.path("dataset").asLong(),
        r.path("version").asLong(), r.path("requester").asText(), r.path("applicant").asText(),
        r.path("purpose").asText(), r.path("scenario").asText(), r.path("state").asText(),
        r.path("expiresAt").asLong(), r.path("appliedAt").asLong(), r.path("deadline").asLong(),
        r.path("extended").asBoolean(), r.path("decidedAt").asLong(),
        r.path("revokedAt").asLong(), text(r.path("decidedBy")), r.path("reason").asText(),
        texts(r.path("requestedFields")), texts(r.path("grantedFields")));
  }

  private static AuditEntry entry(JsonNode e) {
    return new AuditEntry(e.path("id").asLong(), e.path("dataset").asLong(),
        e.path("grant").asLong(), e.path("department").asText(), e.path("requester").asText(),
        e.path("outcome").asText(), e.path("outcomeRule").asText(), e.path("verdict").asText(),
        e.path("verdictRule").asText(),
        Long.parseUnsignedLong(e.path("fieldMask").asText("0x0").substring(2), 16),
        e.path("time").asLong(), e.path("purgedAt").asLong(), text(e.path("payloadHash")));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }

  private static Optional<String> text(JsonNode value) {
    return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
  }

  /** A path segment or query value, percent-encoded (department names are Chinese). */
  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String toString() {
    return "SharingClient[" + url + "]";
  }
}
