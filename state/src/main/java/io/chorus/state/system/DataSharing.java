package io.chorus.state.system;

import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
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

  private static SystemStorage view(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.DATA_SHARING, state);
  }
}
