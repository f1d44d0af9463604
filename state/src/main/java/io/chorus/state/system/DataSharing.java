package io.chorus.state.system;

import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The government data sharing (政务数据共享) system contract at {@code 0x…1005}: departments
 * publish a catalogue of data sets (each shared unconditionally, on conditions or not at all),
 * other departments apply for one, the data authority checks each application, the provider
 * approves or refuses conditional ones with a reason, and the grant that results is revoked or
 * expires; deadlines count working days. The provider's node records every access attempt it
 * answers, delivered or denied, and every purge of a payload it served: only hashes go on chain.
 * A department is an organisation of the consortium PKI (its certificates' subject O), and the
 * accounts acting for it are bound to it by governance vote ({@link
 * ProposalKind#SHARING_DEPARTMENT}). {@code DataSharing.sol} and {@code docs/sharing.md}
 * describe the rules; {@link SharingRules} holds them.
 */
public final class DataSharing {
  /** The longest data set code (目录编码), in bytes of UTF-8. */
  public static final int CODE_BYTES_MAX = 64;
  /** The longest title, in bytes of UTF-8. */
  public static final int TITLE_BYTES_MAX = 256;
  /** The most fields a schema has: a field mask is one 64-bit word. */
  public static final int FIELDS_MAX = 64;
  /** The longest field name, in bytes of UTF-8. */
  public static final int FIELD_BYTES_MAX = 64;
  /** The longest purpose, scenario or reason, in bytes of UTF-8. */
  public static final int TEXT_BYTES_MAX = 512;
  /** The longest department name, in characters: X.520's upper bound on an O, as Trace's. */
  public static final int DEPARTMENT_CHARS_MAX = Trace.ORGANISATION_CHARS_MAX;
  /** The longest period a grant may be asked for: three years. */
  public static final long PERIOD_SECONDS_MAX = 3 * 365L * 86_400;
  /** Applications not yet decided, at most: what {@code overdueRequests} scans. */
  public static final int OPEN_REQUESTS_MAX = 1_024;
  /** The most ids one page of a listing returns. */
  public static final int PAGE_MAX = 1_000;
  /** How many of a department's newest grants for a data set {@code isGranted} looks at. */
  public static final int GRANT_SCAN_MAX = 32;
  /** The data authority's check: 2 working days. */
  public static final int CHECK_WORKING_DAYS = 2;
  /** The provider's answer to a conditional application: 5 working days, once extended by 5. */
  public static final int ANSWER_WORKING_DAYS = 5;

  /**
   * Why a call is refused, or an access attempt's outcome, with its one-byte code: ERC-1066's
   * 0x51 for allowed, application codes 0xB0-0xBE for the rules of the catalogue and requests
   * and 0xC0-0xC6 for access. A revert's reason is {@code "0xb5 not-shared: …"}: the code, the
   * rule's name, what was wrong.
   */
  public enum Rule {
    /** Allowed; as an access outcome, delivered. */
    OK(0x51, "ok"),
    NO_DATASET(0xB0, "no-dataset"),
    NO_REQUEST(0xB1, "no-request"),
    NOT_DEPARTMENT(0xB2, "not-department"),
    NOT_PROVIDER(0xB3, "not-provider"),
    NOT_AUTHORITY(0xB4, "not-authority"),
    NOT_SHARED(0xB5, "not-shared"),
    BAD_FIELDS(0xB6, "bad-fields"),
    BAD_PERIOD(0xB7, "bad-period"),
    BAD_STATE(0xB8, "bad-state"),
    NO_REASON(0xB9, "no-reason"),
    BAD_DATASET(0xBA, "bad-dataset"),
    LIMIT(0xBB, "limit"),
    OWN_DEPARTMENT(0xBC, "own-department"),
    BAD_ENTRY(0xBD, "bad-entry"),
    BAD_TEXT(0xBE, "bad-text"),
    NO_GRANT(0xC0, "no-grant"),
    EXPIRED(0xC1, "expired"),
    REVOKED(0xC2, "revoked"),
    OUTSIDE_MASK(0xC3, "outside-mask"),
    WRONG_DEPARTMENT(0xC4, "wrong-department"),
    REVOKED_CERTIFICATE(0xC5, "revoked-certificate"),
    FAILED(0xC6, "failed");

    /** What a provider's node may record as an access attempt's outcome. */
    public static final List<Rule> OUTCOMES = List.of(OK, NO_GRANT, EXPIRED, REVOKED,
        OUTSIDE_MASK, WRONG_DEPARTMENT, REVOKED_CERTIFICATE, FAILED);

    private final int code;
    private final String label;

    Rule(int code, String label) {
      this.code = code;
      this.label = label;
    }

    /** The one-byte code. */
    public int code() {
      return code;
    }

    /** The rule's name as reasons write it. */
    public String label() {
      return label;
    }

    /** A revert reason or pre-check message: {@code "0xb5 not-shared: " + detail}. */
    public String reason(String detail) {
      return String.format("0x%02x %s: %s", code, label, detail);
    }

    /** The rule whose code is {@code code}, or null. */
    public static Rule ofCode(int code) {
      for (Rule rule : values()) {
        if (rule.code == code) {
          return rule;
        }
      }
      return null;
    }

    /** The rule whose reason {@code reason} is, or null when it is none of them. */
    public static Rule ofReason(String reason) {
      for (Rule rule : values()) {
        if (reason.startsWith(String.format("0x%02x %s:", rule.code, rule.label))) {
          return rule;
        }
      }
      return null;
    }
  }

  /** A catalogue item's sharing class (共享属性), as numbered in the ABI. */
  public enum SharingClass {
    /** 无条件共享: granted once the data authority has checked the application. */
    UNCONDITIONAL,
    /** 有条件共享: the provider approves or refuses, with a reason, after the check. */
    CONDITIONAL,
    /** 不予共享: applications are refused. */
    NOT_SHARED
  }

  /** How often a data set is updated (更新周期), as numbered in the ABI. */
  public enum UpdateCycle { REALTIME, DAILY, WEEKLY, MONTHLY, QUARTERLY, YEARLY, IRREGULAR }

  /**
   * Where an application is; {@link #EXPIRED} is a grant past its expiry, derived from the
   * block time, and {@link #NONE} an application that does not exist.
   */
  public enum RequestState { NONE, APPLIED, CHECKED, GRANTED, REFUSED, REVOKED, EXPIRED }

  /**
   * A data set of the catalogue.
   *
   * @param code its catalogue code (目录编码), unique on the chain
   * @param provider the department that owns it
   * @param versions how many versions it has; they are numbered from 1
   */
  public record Dataset(long id, String code, String provider, long versions, long createdAt) {}

  /**
   * One version of a data set: each update makes a new one and keeps the others.
   *
   * @param fields the schema's field names; a field mask's bit i is field i
   * @param schemaHash the chain's hash of the ABI encoding of {@code fields} as a string[]
   */
  public record Version(long number, String title, List<String> fields, byte[] schemaHash,
      SharingClass sharingClass, UpdateCycle updateCycle, long publishedAt) {}

  /**
   * An application and, once granted, its grant (a grant's id is its application's).
   *
   * @param version the data set's version applied for: the one whose fields the masks count
   * @param requester the applying department
   * @param applicant the account that applied for it
   * @param expiresAt the end of the period asked for, and of the grant
   * @param deadline when the step awaited (the authority's check, the provider's answer) is
   *     due; 0 once decided
   * @param extended whether the provider extended its deadline (to 10 working days)
   * @param decidedAt when it was granted or refused; 0 before
   * @param revokedAt when its grant was revoked; 0 if not
   * @param decidedBy who granted (the authority for unconditional items, else the provider),
   *     refused or revoked it
   * @param reason the authority's note or the reason of a refusal or revocation
   */
  public record Request(long id, long dataset, long version, String requester, Address applicant,
      String purpose, String scenario, long requestedMask, long grantedMask, long expiresAt,
      long appliedAt, RequestState state, long deadline, boolean extended, long decidedAt,
      long revokedAt, Address decidedBy, String reason) {}

  /**
   * An access attempt as the provider's node recorded it.
   *
   * @param grant the grant the requester presented, 0 for none
   * @param department the department of the requester's certificate
   * @param requester the hash of the requester's certificate
   * @param outcome what the node did: delivered ({@link Rule#OK}) or why it denied or failed
   * @param verdict the chain's own check of that grant, department and mask at the block time
   * @param payloadHash the hash of what was delivered, else 32 zero bytes
   * @param purgedAt when the provider recorded the payload's erasure; 0 if not
   */
  public record AuditEntry(long id, long dataset, long grant, String department,
      byte[] requester, Rule outcome, Rule verdict, long fieldMask, byte[] payloadHash,
      long time, long purgedAt) {}

  private DataSharing() {}

  /**
   * A department's id: keccak256 of its name in UTF-8, on every chain, as Solidity hashes an
   * indexed string (the events' department topics).
   */
  public static byte[] departmentId(String name) {
    return Keccak256.INSTANCE.hash(name.getBytes(StandardCharsets.UTF_8));
  }

  /** The department {@code account} acts for in {@code state}, or null. */
  public static String departmentOf(StateReader state, Address account) {
    return SharingLayout.departmentName(view(state), account);
  }

  /** Data set {@code id}, or null when there is none. */
  public static Dataset dataset(StateReader state, long id) {
    SystemStorage storage = view(state);
    return SharingLayout.datasetExists(storage, id) ? SharingLayout.dataset(storage, id) : null;
  }

  /** Version {@code number} of data set {@code id}, 0 for its latest, or null. */
  public static Version version(StateReader state, long id, long number) {
    SystemStorage storage = view(state);
    if (!SharingLayout.datasetExists(storage, id)) {
      return null;
    }
    long versions = SharingLayout.versions(storage, id);
    long v = number == 0 ? versions : number;
    return v >= 1 && v <= versions ? SharingLayout.version(storage, id, v) : null;
  }

  /** Application (and grant) {@code id} as of block time {@code now}, or null. */
  public static Request request(StateReader state, long id, long now) {
    SystemStorage storage = view(state);
    return SharingLayout.requestExists(storage, id) ? SharingLayout.request(storage, id, now)
        : null;
  }

  /**
   * The storage slots application {@code id}'s fields live in: what was asked (with the
   * deadline), the terms granted, its state, who decided and the reason's length. A block in
   * which none changed left it as it was, but for a grant expiring, which its time does.
   */
  public static List<Word> requestSlots(long id) {
    return List.of(SharingLayout.requestWhat(id), SharingLayout.requestTerms(id),
        SharingLayout.requestState(id), SharingLayout.decidedBy(id),
        SystemStorage.slot("rq.reason.length", Word.of(id)));
  }

  /** The storage slots data set {@code id}'s own fields live in: its provider and versions. */
  public static List<Word> datasetSlots(long id) {
    return List.of(SharingLayout.provider(id), SharingLayout.datasetInfo(id));
  }

  /** Audit entry {@code id}, or null. */
  public static AuditEntry auditEntry(StateReader state, long id) {
    SystemStorage storage = view(state);
    return SharingLayout.entryExists(storage, id) ? SharingLayout.entry(storage, id) : null;
  }

  /** How many audit entries data set {@code id} has; they page by index without a scan. */
  public static long auditCount(StateReader state, long dataset) {
    return view(state).readLong(SharingLayout.datasetAuditCount(dataset));
  }

  /** The ids of data set {@code dataset}'s audit entries {@code offset} on, at most count. */
  public static List<Long> auditPage(StateReader state, long dataset, long offset, int count) {
    SystemStorage storage = view(state);
    return SharingLayout.page(storage, SharingLayout.datasetAuditCount(dataset),
        i -> SharingLayout.datasetAudit(dataset, i), offset, count);
  }

  /** One page of a list: its length and the ids asked for. */
  public record Page(long total, List<Long> ids) {}

  /** An access check's answer: {@link Rule#OK}, or the rule that refuses it and why. */
  public record Check(Rule rule, String message) {
    public boolean allowed() {
      return rule == Rule.OK;
    }
  }

  /** How many data sets the catalogue holds; their ids run from 1. */
  public static long datasetCount(StateReader state) {
    return view(state).readLong(SharingLayout.DATASET_COUNT);
  }

  /** Whether {@code account} has the data authority's role in {@code state}. */
  public static boolean isAuthority(StateReader state, Address account) {
    return SharingRules.isAuthority(view(state), account);
  }

  /** The data sets department {@code name} published, {@code offset} on, at most count. */
  public static Page datasetsOf(StateReader state, String name, long offset, int count) {
    Word department = Word.fromBytes(departmentId(name));
    return page(view(state), SharingLayout.departmentDatasetCount(department),
        i -> SharingLayout.departmentDataset(department, i), offset, count);
  }

  /** The applications department {@code name} made, {@code offset} on, at most count. */
  public static Page requestsOfDepartment(StateReader state, String name, long offset,
      int count) {
    Word department = Word.fromBytes(departmentId(name));
    return page(view(state), SharingLayout.departmentRequestCount(department),
        i -> SharingLayout.departmentRequest(department, i), offset, count);
  }

  /** The applications for data set {@code dataset}, {@code offset} on, at most count. */
  public static Page requestsOfDataset(StateReader state, long dataset, long offset,
      int count) {
    return page(view(state), SharingLayout.datasetRequestCount(dataset),
        i -> SharingLayout.datasetRequest(dataset, i), offset, count);
  }

  /** The audit entries of department {@code name}'s attempts, {@code offset} on. */
  public static Page auditOfDepartment(StateReader state, String name, long offset,
      int count) {
    Word department = Word.fromBytes(departmentId(name));
    return page(view(state), SharingLayout.departmentAuditCount(department),
        i -> SharingLayout.departmentAudit(department, i), offset, count);
  }

  /** The audit entries of data set {@code dataset}, {@code offset} on, at most count. */
  public static Page auditOfDataset(StateReader state, long dataset, long offset, int count) {
    return page(view(state), SharingLayout.datasetAuditCount(dataset),
        i -> SharingLayout.datasetAudit(dataset, i), offset, count);
  }

  /** The applications not yet decided whose deadline is past at {@code now}. */
  public static List<Long> overdueRequests(StateReader state, long now) {
    SystemStorage storage = view(state);
    return SharingLayout.openRequests(storage).stream()
        .filter(id -> storage.read(SharingLayout.requestWhat(id)).u0() <= now).toList();
  }

  /** Department {@code name}'s grants (granted applications) for data set {@code dataset}. */
  public static List<Long> grantsOf(StateReader state, long dataset, String name) {
    Word department = Word.fromBytes(departmentId(name));
    return page(view(state), SharingLayout.grantCount(dataset, department),
        i -> SharingLayout.grant(dataset, department, i), 0, PAGE_MAX).ids();
  }

  /**
   * {@code canUse}: whether department {@code name} may receive {@code mask} of data set
   * {@code dataset}'s fields under {@code grant} at {@code now}, the check {@code
   * recordAccess}'s verdict runs.
   */
  public static Check canUse(StateReader state, long dataset, long grant, String name,
      long mask, long now) {
    SharingRules.Refusal refusal = SharingRules.checkUse(view(state), grant, dataset,
        Word.fromBytes(departmentId(name)), mask, now);
    return refusal == null ? new Check(Rule.OK, Rule.OK.reason("allowed"))
        : new Check(refusal.rule(), refusal.reason());
  }

  /** {@code isGranted}'s answer: the grant that allows it or that best explains why not. */
  public record Granted(long grant, Check check) {}

  /**
   * {@code isGranted}: whether department {@code name} may receive {@code mask} of data set
   * {@code dataset}'s fields under any of its newest grants at {@code now}, the check {@code
   * recordAccess}'s verdict runs for an attempt that names no grant.
   */
  public static Granted isGranted(StateReader state, long dataset, String name, long mask,
      long now) {
    SharingRules.Answer answer = SharingRules.isGranted(view(state), dataset,
        Word.fromBytes(departmentId(name)), mask, now);
    SharingRules.Refusal refusal = answer.refusal();
    return new Granted(answer.grant(), refusal == null ? new Check(Rule.OK,
        Rule.OK.reason("allowed")) : new Check(refusal.rule(), refusal.reason()));
  }

  // ---- call data -----------------------------------------------------------------------------

  /** {@code publish(code, title, fields, sharingClass, updateCycle)}: the new data set's id. */
  public static byte[] publishCall(String code, String title, List<String> fields,
      SharingClass sharingClass, UpdateCycle cycle) {
    return call(DataSharingContract.PUBLISH, code, title, fields.toArray(String[]::new),
        sharingClass.ordinal(), cycle.ordinal());
  }

  /** {@code update(dataset, title, fields, sharingClass, updateCycle)}: a new version. */
  public static byte[] updateCall(long dataset, String title, List<String> fields,
      SharingClass sharingClass, UpdateCycle cycle) {
    return call(DataSharingContract.UPDATE, u64(dataset), title, fields.toArray(String[]::new),
        sharingClass.ordinal(), cycle.ordinal());
  }

  /** {@code applyFor(dataset, purpose, scenario, fieldMask, expiresAt)}: the request's id. */
  public static byte[] applyCall(long dataset, String purpose, String scenario, long fieldMask,
      long expiresAt) {
    return call(DataSharingContract.APPLY, u64(dataset), purpose, scenario, u64(fieldMask),
        u64(expiresAt));
  }

  /** The data authority's {@code check(request, pass, reason)}. */
  public static byte[] checkCall(long request, boolean pass, String reason) {
    return call(DataSharingContract.CHECK, u64(request), pass, reason);
  }

  /** The provider's {@code extend(request, reason)}. */
  public static byte[] extendCall(long request, String reason) {
    return call(DataSharingContract.EXTEND, u64(request), reason);
  }

  /** The provider's {@code approve(request, fieldMask)}. */
  public static byte[] approveCall(long request, long fieldMask) {
    return call(DataSharingContract.APPROVE, u64(request), u64(fieldMask));
  }

  /** The provider's {@code refuse(request, reason)}. */
  public static byte[] refuseCall(long request, String reason) {
    return call(DataSharingContract.REFUSE, u64(request), reason);
  }

  /** {@code revoke(request, reason)}, by the provider or the authority. */
  public static byte[] revokeCall(long request, String reason) {
    return call(DataSharingContract.REVOKE, u64(request), reason);
  }

  /**
   * {@code recordAccess(...)} by the provider: one access attempt its node answered.
   *
   * @param requester the 32-byte hash identifying the requester
   * @param payloadHash the hash of what was delivered; 32 zero bytes for a denial
   */
  public static byte[] recordAccessCall(long dataset, long grant, String department,
      byte[] requester, Rule outcome, long fieldMask, byte[] payloadHash) {
    return call(DataSharingContract.RECORD_ACCESS, u64(dataset), u64(grant), department,
        requester, outcome.code(), u64(fieldMask), payloadHash);
  }

  /** {@code recordPurge(entry, reason)} by the provider. */
  public static byte[] recordPurgeCall(long entry, String reason) {
    return call(DataSharingContract.RECORD_PURGE, u64(entry), reason);
  }

  /** The uint64 a publish, apply or recordAccess returns. */
  public static long decodeId(byte[] output) {
    return ((java.math.BigInteger) DataSharingContract.PUBLISH.getOutputs().decode(output)
        .get(0)).longValue();
  }

  /**
   * The audit entry an {@code Accessed} log among {@code logs} records, or -1 when none does:
   * how a client finds the entry its delivery's transaction made.
   */
  public static long accessedEntry(List<io.chorus.evm.Log> logs) {
    Word topic0 = Abi.topic0(SharingEvents.ACCESSED);
    for (io.chorus.evm.Log log : logs) {
      if (log.address().equals(SystemContracts.DATA_SHARING) && !log.topics().isEmpty()
          && log.topics().get(0).equals(topic0)) {
        return log.topics().get(1).toBigInteger().longValueExact();
      }
    }
    return -1;
  }

  private static byte[] call(com.esaulpaugh.headlong.abi.Function f, Object... args) {
    return Abi.bytes(f.encodeCallWithArgs(args));
  }

  private static java.math.BigInteger u64(long value) {
    return SharingEvents.u64(value);
  }

  private static Page page(SystemStorage storage, Word countSlot,
      java.util.function.LongFunction<Word> item, long offset, int count) {
    return new Page(storage.readLong(countSlot), SharingLayout.page(storage, countSlot, item,
        offset, Math.min(count, PAGE_MAX)));
  }

  private static SystemStorage view(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.DATA_SHARING, state);
  }
}
