package io.chorus.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Envelope;
import io.chorus.evm.Address;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.service.TransactionSubmitter;
import io.chorus.state.WorldState;
import io.chorus.state.system.DataSharing;
import io.chorus.state.system.DataSharing.Rule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The provider node's side of the exchange. The provider puts a data set's records in the
 * node ({@link PayloadStore}); a requester asks for them under a grant; the node checks the
 * grant on its head ({@code canUse}), keeps only the granted fields, seals them with a fresh
 * content key for the requester's public key ({@link io.chorus.crypto.Envelope}: SM2 + SM4-GCM
 * on {@code sm} chains, ECIES + AES-256-GCM on {@code ethereum} ones), and records the attempt
 * on chain with {@code recordAccess} as the account that put the records: a delivery with the
 * hash of its envelope, a denial with its reason. Every attempt that names a data set the node
 * serves is recorded, denied ones included; only a malformed request (no key, a key that is not
 * the token's account's, a field the schema lacks) is refused before it is one.
 *
 * <p>The requester is the account its API token acts for: it sends that account's 64-byte
 * public key as {@code key}, which the node checks hashes to the account (so only the holder
 * of the account's private key can open the envelope), and the chain's binding of the account
 * to a department ({@code departmentOf}) names its department. The audit entry's {@code
 * requester} is the chain's hash of that key. A requester with a consortium user certificate
 * instead comes through {@link CertificateFetch}; both end in {@link #serve}.
 */
final class Exchange {
  private static final System.Logger LOG = System.getLogger(Exchange.class.getName());

  /** What the envelope's associated data starts with: the delivery's context follows. */
  static final String CONTEXT = "chorus/sharing/delivery/v1";

  private final SharingService service;
  private final PayloadStore store;
  private final SecureRandom random = new SecureRandom();

  Exchange(SharingService service, PayloadStore store) {
    this.service = service;
    this.store = store;
  }

  /**
   * The envelope's associated data: the chain, data set, grant and recipient account, so that
   * an envelope shown for another delivery does not open.
   */
  static byte[] associatedData(BigInteger chainId, long dataset, long grant, Address recipient) {
    return (CONTEXT + "\n" + chainId + "\n" + dataset + "\n" + grant + "\n" + recipient)
        .getBytes(StandardCharsets.UTF_8);
  }

  // ---- the provider's records ----------------------------------------------------------------

  /** {@code PUT .../data}: the provider replaces a data set's records in its node. */
  RestResponse put(RestRequest request) {
    long dataset = SharingInput.id(request, "id");
    RestRequest.Fields f = request.fields();
    JsonNode records = f.optionalJson("records").orElse(null);
    if (records == null || !records.isArray()) {
      f.bad("records", "must be an array of records, JSON objects keyed by field name");
    }
    f.check();
    Caller caller = request.requireCaller();
    WorldState state = service.state();
    DataSharing.Dataset d = DataSharing.dataset(state, dataset);
    if (d == null) {
      throw Problem.notFound("no data set " + dataset + " in the catalogue");
    }
    requireServiceAccount(state, caller.account(), d);
    List<String> schema = DataSharing.version(state, dataset, 0).fields();
    int index = 0;
    for (JsonNode record : records) {
      if (!record.isObject()) {
        throw Problem.invalidField("/records/" + index, "must be a JSON object keyed by field"
            + " name, not " + record.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
      }
      for (String name : (Iterable<String>) record::fieldNames) {
        if (!schema.contains(name)) {
          throw Problem.invalidField("/records/" + index + "/" + name, "data set " + dataset
              + "'s latest schema has no field " + name + "; its fields are " + schema);
        }
      }
      index++;
    }
    store.put(new PayloadStore.Payload(dataset, caller.account(), (ArrayNode) records));
    return RestResponse.ok(SharingJson.JSON.createObjectNode().put("dataset", dataset)
        .put("records", records.size()).put("account", caller.account().toString()));
  }

  /** The account must act for the provider and the node hold its key, to record accesses. */
  private void requireServiceAccount(WorldState state, Address account, DataSharing.Dataset d) {
    if (!d.provider().equals(DataSharing.departmentOf(state, account))) {
      throw Problem.forbidden(account + " does not act for " + d.provider() + ", the provider"
          + " of data set " + d.id());
    }
    if (!service.context().submitter().signsFor(account)) {
      throw new Problem(409, "no-key", "The node cannot sign for this account", "the node"
          + " records every access as the account that put the records, and holds no unlocked"
          + " key for " + account + ": import it into this node's keystore");
    }
  }

  // ---- the requester's fetch -----------------------------------------------------------------

  /** {@code GET .../data?grant=&key=&fields=}: the granted fields, sealed for the requester. */
  RestResponse fetch(RestRequest request) {
    long dataset = SharingInput.id(request, "id");
    Caller caller = request.requireCaller();
    CryptoSuite suite = service.context().chain().suite();
    byte[] key = recipientKey(request, suite, caller.account());
    long grant = request.queryLong("grant", 0, 0, Long.MAX_VALUE);
    List<String> names = SharingInput.names(request.query("fields"));
    String department = DataSharing.departmentOf(service.state(), caller.account());
    // A requester of no department is recorded under its account's address, so that the
    // attempt is on the trail all the same.
    Requester requester = department == null
        ? Requester.denied(caller.account().toString(), suite.hash(key), Rule.WRONG_DEPARTMENT,
            caller.account() + " acts for no department")
        : new Requester(department, suite.hash(key), key, suite.envelope(), caller.account(),
            null, "");
    return serve(dataset, grant, names, requester);
  }

  /**
   * Who asks, as the exchange records and answers it: the department (or what the attempt is
   * recorded under), the audit entry's {@code requester} hash, and the key, envelope scheme and
   * recipient address a delivery is sealed for; or a denial found before the grant is checked
   * (an account of no department, a revoked certificate) with its detail.
   */
  record Requester(String department, byte[] hash, byte[] sealingKey, Envelope envelope,
      Address recipient, Rule denied, String deniedDetail) {
    static Requester denied(String recordedAs, byte[] hash, Rule rule, String detail) {
      return new Requester(recordedAs, hash, null, null, null, rule, detail);
    }
  }

  /**
   * Checks the grant for {@code requester}, records the attempt and answers it: 403 {@code
   * access-denied} for a denial, else the granted fields sealed for the requester's key.
   */
  RestResponse serve(long dataset, long grant, List<String> names, Requester requester) {
    long started = System.nanoTime();
    CryptoSuite suite = service.context().chain().suite();
    WorldState state = service.state();
    long now = service.now();
    DataSharing.Dataset d = DataSharing.dataset(state, dataset);
    if (d == null) {
      throw Problem.notFound("no data set " + dataset + " in the catalogue");
    }
    PayloadStore.Payload payload = store.payload(dataset).orElseThrow(() -> Problem.notFound(
        "this node serves no payload of data set " + dataset + ": ask the node of "
            + d.provider()));
    Address recorder = payload.account();
    if (!d.provider().equals(DataSharing.departmentOf(state, recorder))
        || !service.context().submitter().signsFor(recorder)) {
      throw new Problem(503, "cannot-record", "The node cannot record this access", "the"
          + " account " + recorder + " that put data set " + dataset + "'s records no longer"
          + " acts for " + d.provider() + " or its key is locked; nothing is served without"
          + " its audit record: the provider puts the records again");
    }
    // The version whose fields the grant counts; the latest when the grant is none of its.
    DataSharing.Request application = grant == 0 ? null
        : DataSharing.request(state, grant, now);
    boolean ofDataset = application != null && application.dataset() == dataset;
    DataSharing.Version version = DataSharing.version(state, dataset,
        ofDataset ? application.version() : 0);
    String department = requester.department();
    long mask = names.isEmpty()
        ? ofDataset && application.grantedMask() != 0 ? application.grantedMask()
            : allFields(version)
        : SharingInput.mask(names, version.fields(), "fields", dataset, version.number());
    Caller recorderCaller = new Caller(recorder, Set.of(), "the sharing service of data set "
        + dataset);

    Rule outcome;
    String detail;
    if (requester.denied() != null) {
      outcome = requester.denied();
      detail = requester.deniedDetail();
    } else {
      DataSharing.Check check;
      if (grant == 0) {
        // No grant named: the department's grant in force that covers the fields, if any,
        // as the chain's verdict looks for one.
        DataSharing.Granted found = DataSharing.isGranted(state, dataset, department, mask,
            now);
        check = found.check();
        if (check.allowed()) {
          grant = found.grant();
        }
      } else {
        check = DataSharing.canUse(state, dataset, grant, department, mask, now);
      }
      outcome = check.rule();
      detail = denial(check, grant, dataset, department);
    }
    if (outcome != Rule.OK) {
      TransactionSubmitter.Submitted sent = service.send(recorderCaller,
          DataSharing.recordAccessCall(dataset, grant, department, requester.hash(), outcome,
              mask, new byte[32]));
      throw new Problem(403, "access-denied", "Access denied", outcome.reason(detail))
          .with("code", SharingJson.code(outcome)).with("rule", outcome.label())
          .with("txHash", sent.hashHex());
    }

    long checked = System.nanoTime();
    Envelope envelope = requester.envelope();
    byte[] sealed;
    byte[] payloadHash;
    long sealedAt;
    try {
      byte[] plaintext = plaintext(dataset, grant, version, mask, payload.records());
      sealed = envelope.seal(plaintext, associatedData(
          service.context().chain().chainId(), dataset, grant, requester.recipient()),
          List.of(requester.sealingKey()), random);
      payloadHash = suite.hash(sealed);
      sealedAt = System.nanoTime();
      // Kept before it is recorded, so every delivery on the trail has its envelope here
      // until it is purged.
      store.keepServed(payloadHash, sealed);
    } catch (RuntimeException e) {
      throw failed(recorderCaller, dataset, grant, requester, mask, e);
    }
    long kept = System.nanoTime();
    // Recorded (pooled) before it is answered: no delivery leaves without its audit record.
    TransactionSubmitter.Submitted sent = service.send(recorderCaller,
        DataSharing.recordAccessCall(dataset, grant, department, requester.hash(), Rule.OK,
            mask, payloadHash));
    long recorded = System.nanoTime();
    ObjectNode out = SharingJson.JSON.createObjectNode().put("dataset", dataset)
        .put("grant", grant).put("version", version.number())
        .put("recipient", requester.recipient().toString())
        .put("scheme", envelope.scheme())
        .put("payloadHash", Hex.encode0x(payloadHash)).put("txHash", sent.hashHex())
        .put("envelope", Hex.encode0x(sealed));
    out.set("fields", SharingJson.fields(version.fields(), mask));
    out.putObject("links").put("auditEntry", SharingService.BASE + "/transactions/"
        + sent.hashHex() + "/entry");
    // Where the node's time went (W3C Server-Timing), for bench/sharing-fetch.sh's breakdown.
    return new RestResponse(200, out, Map.of("Server-Timing", String.format(Locale.ROOT,
        "check;dur=%.3f, seal;dur=%.3f, audit;dur=%.3f, keep;dur=%.3f", millis(checked
            - started), millis(sealedAt - checked), millis(recorded - kept), millis(kept
                - sealedAt))));
  }

  /**
   * An attempt the grant allowed that the node failed to serve (sealing, or keeping the
   * envelope): on the trail as {@code 0xc6 failed}, like a denial, and answered 500. The cause
   * goes to the node's log, not to the requester.
   */
  private Problem failed(Caller recorder, long dataset, long grant, Requester requester,
      long mask, RuntimeException cause) {
    LOG.log(System.Logger.Level.ERROR, "delivery of data set " + dataset + " under grant "
        + grant + " to " + requester.department() + " failed", cause);
    TransactionSubmitter.Submitted sent = service.send(recorder, DataSharing.recordAccessCall(
        dataset, grant, requester.department(), requester.hash(), Rule.FAILED, mask,
        new byte[32]));
    return new Problem(500, "delivery-failed", "The node failed to serve this delivery",
        Rule.FAILED.reason("the provider's node could not seal or keep the delivery; the"
            + " attempt is recorded as failed and its operator finds the cause in the node's"
            + " log")).with("code", SharingJson.code(Rule.FAILED))
        .with("rule", Rule.FAILED.label()).with("txHash", sent.hashHex());
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }

  private static long allFields(DataSharing.Version version) {
    int n = version.fields().size();
    return n == 64 ? -1L : (1L << n) - 1;
  }

  /**
   * What a denied requester is told: the contract's reason, but of another department's grant
   * only that it is not its own (not whose it is).
   */
  private static String denial(DataSharing.Check check, long grant, long dataset,
      String department) {
    return switch (check.rule()) {
      case OK -> "allowed";
      case WRONG_DEPARTMENT -> "grant " + grant + " is not " + department + "'s";
      case NO_GRANT -> department + " holds no grant " + (grant == 0 ? "in force" : grant)
          + " for data set " + dataset + ": apply for it (POST " + SharingService.REQUESTS
          + ")";
      default -> check.message().substring(check.message().indexOf(": ") + 2);
    };
  }

  private static byte[] plaintext(long dataset, long grant, DataSharing.Version version,
      long mask, ArrayNode records) {
    List<String> granted = SharingJson.names(version.fields(), mask);
    ObjectNode out = SharingJson.JSON.createObjectNode().put("dataset", dataset)
        .put("grant", grant).put("version", version.number());
    out.set("fields", SharingJson.fields(version.fields(), mask));
    ArrayNode rows = out.putArray("records");
    for (JsonNode record : records) {
      ObjectNode row = rows.addObject();
      for (String name : granted) {
        if (record.has(name)) {
          row.set(name, record.get(name));
        }
      }
    }
    try {
      return SharingJson.JSON.writeValueAsBytes(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code key} parameter: a public key of the chain's suite, of the token's account. */
  private static byte[] recipientKey(RestRequest request, CryptoSuite suite, Address account) {
    String text = request.query("key").orElseThrow(() -> Problem.invalidField("key", "send the"
        + " public key of the token's account (0x and 128 hex digits): the payload is sealed"
        + " for it"));
    if (!text.matches("0x[0-9a-fA-F]{128}")) {
      throw Problem.invalidField("key", "must be a 64-byte public key, 0x and 128 hex digits");
    }
    byte[] key = Hex.decode(text);
    Address of = Address.of(suite.address(key));
    if (!of.equals(account)) {
      throw Problem.invalidField("key", "this key is account " + of + "'s, but the token acts"
          + " for " + account + ": send the key of the token's account");
    }
    return key;
  }

  // ---- purge ---------------------------------------------------------------------------------

  /** {@code DELETE /audit/{id}/payload?reason=}: erase a served envelope, record the purge. */
  RestResponse purge(RestRequest request) {
    long entry = SharingInput.id(request, "id");
    String reason = request.query("reason").orElse("");
    Caller caller = request.requireCaller();
    WorldState state = service.state();
    DataSharing.AuditEntry e = service.visibleEntry(state, caller, entry);
    TransactionSubmitter.Submitted sent = service.send(caller,
        DataSharing.recordPurgeCall(entry, reason));
    boolean erased = e.outcome() == Rule.OK && store.purgeServed(e.payloadHash());
    return RestResponse.accepted(SharingJson.JSON.createObjectNode().put("entry", entry)
        .put("erased", erased).put("status", "pending").put("txHash", sent.hashHex()));
  }
}
