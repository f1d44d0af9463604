package io.chorus.state.system;

import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.system.DataSharing.RequestState;
import io.chorus.state.system.DataSharing.Rule;
import io.chorus.state.system.DataSharing.SharingClass;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of data sharing: each operation checks first and changes nothing until every check
 * passed (a refusal reverts with its code), then writes and logs. The access check is one
 * function that {@code isGranted}, {@code canUse} and the verdict of {@code recordAccess} share,
 * so that they cannot disagree.
 */
final class SharingRules {
  private SharingRules() {}

  /** A rule broken, and what broke it. */
  record Refusal(Rule rule, String detail) {
    String reason() {
      return rule.reason(detail);
    }

    SystemContracts.Revert revert() {
      return new SystemContracts.Revert(reason());
    }
  }

  static SystemContracts.Revert refuse(Rule rule, String detail) {
    return new Refusal(rule, detail).revert();
  }

  /** An id from a uint64 argument; -1 (none) when it is beyond any id. */
  static long id(java.math.BigInteger id) {
    return id.bitLength() < 64 ? id.longValue() : -1;
  }

  // ---- departments ---------------------------------------------------------------------------

  /**
   * Binds {@code account} to department {@code name} (empty: unbinds it), as a passed
   * governance proposal does; with {@code storage} null only the shape is checked.
   */
  static void setDepartment(SystemStorage storage, Address account, String name) {
    if (ReceivableLayout.isZero(account) || SystemContracts.isSystem(account)) {
      throw refuse(Rule.NOT_DEPARTMENT, "cannot bind " + account + " to a department");
    }
    if (!name.isEmpty()) {
      checkDepartmentName(name);
    }
    if (storage == null) {
      return;
    }
    Word slot = SharingLayout.departmentOf(account);
    if (name.isEmpty()) {
      if (storage.read(slot).isZero()) {
        throw refuse(Rule.NOT_DEPARTMENT, account + " is bound to no department");
      }
      storage.write(slot, Word.ZERO);
    } else {
      storage.write(slot, SharingLayout.remember(storage, name));
    }
  }

  // A department is named as the consortium PKI names organisations (subject O): 1 to 64
  // characters, no control characters, as a sealed capture's organisations are.
  static void checkDepartmentName(String name) {
    if (name.isBlank() || name.length() > DataSharing.DEPARTMENT_CHARS_MAX
        || name.chars().anyMatch(Character::isISOControl)) {
      throw refuse(Rule.NOT_DEPARTMENT, "a department is named as its certificates' subject O:"
          + " 1 to " + DataSharing.DEPARTMENT_CHARS_MAX + " characters, not blank, no control"
          + " characters");
    }
  }

  /** The department {@code account} acts for; refused when it acts for none. */
  static Word department(SystemStorage storage, Address account) {
    Word department = storage.read(SharingLayout.departmentOf(account));
    if (department.isZero()) {
      throw refuse(Rule.NOT_DEPARTMENT, account + " acts for no department (governance binds"
          + " an account to its department: sharing-department ACCOUNT NAME)");
    }
    return department;
  }

  static boolean isAuthority(SystemStorage storage, Address account) {
    return ReceivableRules.hasRole(storage, account, Permissions.ROLE_SHARING_AUTHORITY);
  }

  private static void requireAuthority(SystemStorage storage, Address account) {
    if (!isAuthority(storage, account)) {
      throw refuse(Rule.NOT_AUTHORITY, account + " lacks the role "
          + Permissions.SHARING_AUTHORITY + " (governance grants it)");
    }
  }

  /** The provider department of a data set, which exists, must be the caller's. */
  private static void requireProvider(SystemStorage storage, Address caller, long dataset) {
    Word provider = storage.read(SharingLayout.provider(dataset));
    if (!provider.equals(storage.read(SharingLayout.departmentOf(caller)))) {
      throw refuse(Rule.NOT_PROVIDER, caller + " does not act for "
          + SharingLayout.name(storage, provider) + ", the provider of data set " + dataset);
    }
  }

  // ---- the catalogue -------------------------------------------------------------------------

  /** What a version of a catalogue item says, as its provider sends it. */
  record Item(String title, List<String> fields, int sharingClass, int updateCycle) {}

  static long publish(SystemStorage storage, Address caller, String code, Item item, long now,
      HashFunction hash) {
    Word department = department(storage, caller);
    int codeBytes = code.getBytes(StandardCharsets.UTF_8).length;
    if (code.isBlank() || codeBytes > DataSharing.CODE_BYTES_MAX
        || code.chars().anyMatch(Character::isISOControl)) {
      throw refuse(Rule.BAD_DATASET, "a catalogue code is 1 to " + DataSharing.CODE_BYTES_MAX
          + " bytes, not blank, no control characters; got " + codeBytes + " bytes");
    }
    checkItem(item);
    long existing = storage.readLong(SharingLayout.byCode(code));
    if (existing != 0) {
      throw refuse(Rule.BAD_DATASET, "catalogue code '" + code + "' is data set " + existing
          + "'s: publish a new version of it with update");
    }
    long id = storage.readLong(SharingLayout.DATASET_COUNT) + 1;
    storage.write(SharingLayout.DATASET_COUNT, id);
    storage.write(SharingLayout.byCode(code), id);
    storage.write(SharingLayout.provider(id), department);
    storage.writeBytes("ds.code", Word.of(id), code.getBytes(StandardCharsets.UTF_8));
    SharingLayout.append(storage, SharingLayout.departmentDatasetCount(department),
        i -> SharingLayout.departmentDataset(department, i), id);
    storage.write(SharingLayout.datasetInfo(id), new Word(0, 0, 0, now));
    addVersion(storage, id, item, now, hash, department, code);
    return id;
  }

  static long update(SystemStorage storage, Address caller, long dataset, Item item, long now,
      HashFunction hash) {
    requireDataset(storage, dataset);
    requireProvider(storage, caller, dataset);
    checkItem(item);
    return addVersion(storage, dataset, item, now, hash,
        storage.read(SharingLayout.provider(dataset)), null);
  }

  private static long addVersion(SystemStorage storage, long dataset, Item item, long now,
      HashFunction hash, Word provider, String code) {
    Word info = storage.read(SharingLayout.datasetInfo(dataset));
    long version = info.u1() + 1;
    storage.write(SharingLayout.datasetInfo(dataset), new Word(0, 0, version, info.u0()));
    storage.write(SharingLayout.versionInfo(dataset, version), new Word(item.fields().size(),
        item.sharingClass(), item.updateCycle(), now));
    byte[] encoded = SharingLayout.encodeFields(item.fields());
    byte[] schemaHash = hash.hash(encoded);
    storage.write(SharingLayout.schemaHash(dataset, version), Word.fromBytes(schemaHash));
    Word key = SharingLayout.versionKey(dataset, version);
    storage.writeBytes("v.title", key, item.title().getBytes(StandardCharsets.UTF_8));
    storage.writeBytes("v.fields", key, encoded);
    SharingEvents.published(storage, dataset, provider, version, item, schemaHash,
        code != null ? code : SharingLayout.dataset(storage, dataset).code());
    return version;
  }

  private static void checkItem(Item item) {
    int titleBytes = item.title().getBytes(StandardCharsets.UTF_8).length;
    if (item.title().isBlank() || titleBytes > DataSharing.TITLE_BYTES_MAX) {
      throw refuse(Rule.BAD_DATASET, "a title is 1 to " + DataSharing.TITLE_BYTES_MAX
          + " bytes, not blank; got " + titleBytes);
    }
    List<String> fields = item.fields();
    if (fields.isEmpty() || fields.size() > DataSharing.FIELDS_MAX) {
      throw refuse(Rule.BAD_FIELDS, "a schema has 1 to " + DataSharing.FIELDS_MAX
          + " fields, got " + fields.size());
    }
    Set<String> seen = new HashSet<>();
    for (String field : fields) {
      if (field.isBlank() || field.getBytes(StandardCharsets.UTF_8).length
          > DataSharing.FIELD_BYTES_MAX || field.chars().anyMatch(Character::isISOControl)) {
        throw refuse(Rule.BAD_FIELDS, "a field name is 1 to " + DataSharing.FIELD_BYTES_MAX
            + " bytes, not blank, no control characters");
      }
      if (!seen.add(field)) {
        throw refuse(Rule.BAD_FIELDS, "field '" + field + "' is named twice");
      }
    }
    if (item.sharingClass() < 0 || item.sharingClass() >= SharingClass.values().length) {
      throw refuse(Rule.BAD_DATASET, "a sharing class is 0 unconditional, 1 conditional or 2"
          + " not shared; got " + item.sharingClass());
    }
    if (item.updateCycle() < 0 || item.updateCycle() >= DataSharing.UpdateCycle.values().length) {
      throw refuse(Rule.BAD_DATASET, "an update cycle is 0 real-time to 6 irregular; got "
          + item.updateCycle());
    }
  }

  private static void requireDataset(SystemStorage storage, long dataset) {
    if (!SharingLayout.datasetExists(storage, dataset)) {
      throw refuse(Rule.NO_DATASET, "no data set " + (dataset < 0 ? "with that id" : dataset));
    }
  }

  // ---- applications --------------------------------------------------------------------------

  /** An application as the requester's account sends it. */
  record Application(long dataset, String purpose, String scenario, long fieldMask,
      long expiresAt) {}

  static long apply(SystemStorage storage, Address caller, Application a, long now) {
    requireDataset(storage, a.dataset());
    Word requester = department(storage, caller);
    Word provider = storage.read(SharingLayout.provider(a.dataset()));
    if (requester.equals(provider)) {
      throw refuse(Rule.OWN_DEPARTMENT, "data set " + a.dataset() + " is "
          + SharingLayout.name(storage, provider) + "'s own: a department needs no grant for"
          + " its own data");
    }
    if (SharingLayout.sharingClass(storage, a.dataset()) == SharingClass.NOT_SHARED) {
      throw refuse(Rule.NOT_SHARED, "data set " + a.dataset() + " is not shared (不予共享)");
    }
    checkText(a.purpose(), "a purpose");
    checkText(a.scenario(), "a scenario");
    long version = SharingLayout.versions(storage, a.dataset());
    checkMask(a.fieldMask(), SharingLayout.fieldCount(storage, a.dataset(), version),
        "the schema of version " + version);
    if (a.expiresAt() <= now || a.expiresAt() - now > DataSharing.PERIOD_SECONDS_MAX) {
      throw refuse(Rule.BAD_PERIOD, "the period asked for ends after the block time " + now
          + " and at most " + DataSharing.PERIOD_SECONDS_MAX / 86_400 + " days after it; got "
          + Long.toUnsignedString(a.expiresAt()));
    }
    if (storage.readLong(SharingLayout.OPEN_COUNT) >= DataSharing.OPEN_REQUESTS_MAX) {
      throw refuse(Rule.LIMIT, DataSharing.OPEN_REQUESTS_MAX + " applications await a decision:"
          + " the authority and providers decide some first");
    }
    long id = storage.readLong(SharingLayout.REQUEST_COUNT) + 1;
    storage.write(SharingLayout.REQUEST_COUNT, id);
    long deadline = WorkingDays.deadline(now, DataSharing.CHECK_WORKING_DAYS);
    storage.write(SharingLayout.requestWhat(id), new Word(a.dataset(), version, now, deadline));
    storage.write(SharingLayout.requestTerms(id), new Word(a.fieldMask(), 0, a.expiresAt(), 0));
    storage.write(SharingLayout.requestState(id), RequestState.APPLIED.ordinal());
    storage.write(SharingLayout.requester(id), requester);
    storage.write(SharingLayout.applicant(id), caller);
    SharingLayout.writeText(storage, "rq.purpose", id, a.purpose());
    SharingLayout.writeText(storage, "rq.scenario", id, a.scenario());
    SharingLayout.openRequest(storage, id);
    SharingLayout.append(storage, SharingLayout.datasetRequestCount(a.dataset()),
        i -> SharingLayout.datasetRequest(a.dataset(), i), id);
    SharingLayout.append(storage, SharingLayout.departmentRequestCount(requester),
        i -> SharingLayout.departmentRequest(requester, i), id);
    SharingEvents.applied(storage, id, a, requester, deadline);
    return id;
  }

  /** The data authority's check: passed (granted at once for unconditional items) or not. */
  static void check(SystemStorage storage, Address caller, long id, boolean pass,
      String reason, long now) {
    requireAuthority(storage, caller);
    long dataset = requireState(storage, id, RequestState.APPLIED, now);
    if (!reason.isEmpty()) {
      checkText(reason, "a reason");
    }
    if (!pass) {
      if (reason.isEmpty()) {
        throw refuse(Rule.NO_REASON, "a refusal gives its reason");
      }
      SharingEvents.checked(storage, id, caller, false, 0, reason);
      decide(storage, id, RequestState.REFUSED, caller, reason, 0, now);
      return;
    }
    SharingClass sharing = SharingLayout.sharingClass(storage, dataset);
    if (sharing == SharingClass.NOT_SHARED) {
      throw refuse(Rule.NOT_SHARED, "data set " + dataset + " is now not shared (不予共享):"
          + " refuse the application");
    }
    if (sharing == SharingClass.UNCONDITIONAL) {
      Word terms = storage.read(SharingLayout.requestTerms(id));
      requireOpenPeriod(terms, now);
      SharingEvents.checked(storage, id, caller, true, 0, reason);
      SharingLayout.writeText(storage, "rq.reason", id, reason);
      grant(storage, id, caller, terms.u3(), now);
      return;
    }
    long deadline = WorkingDays.deadline(now, DataSharing.ANSWER_WORKING_DAYS);
    Word what = storage.read(SharingLayout.requestWhat(id));
    storage.write(SharingLayout.requestWhat(id), new Word(what.u3(), what.u2(), what.u1(),
        deadline));
    storage.write(SharingLayout.requestState(id), RequestState.CHECKED.ordinal());
    SharingLayout.writeText(storage, "rq.reason", id, reason);
    SharingEvents.checked(storage, id, caller, true, deadline, reason);
  }

  /** The provider takes its one extension: 5 more working days, 10 in all. */
  static void extend(SystemStorage storage, Address caller, long id, String reason, long now) {
    long dataset = requireState(storage, id, RequestState.CHECKED, now);
    requireProvider(storage, caller, dataset);
    Word state = storage.read(SharingLayout.requestState(id));
    if (state.u1() != 0) {
      throw refuse(Rule.BAD_STATE, "application " + id + " was extended once already: "
          + "the provider answers within 10 working days of the check");
    }
    requireReason(reason);
    Word what = storage.read(SharingLayout.requestWhat(id));
    // The 5 more days follow the last day of the first 5.
    long deadline = WorkingDays.deadline(what.u0() - 1, DataSharing.ANSWER_WORKING_DAYS);
    storage.write(SharingLayout.requestWhat(id), new Word(what.u3(), what.u2(), what.u1(),
        deadline));
    storage.write(SharingLayout.requestState(id), new Word(0, 0, 1, state.u0()));
    SharingEvents.extended(storage, id, caller, deadline, reason);
  }

  /** The provider approves a checked conditional application for {@code mask} of its fields. */
  static void approve(SystemStorage storage, Address caller, long id, long mask, long now) {
    long dataset = requireState(storage, id, RequestState.CHECKED, now);
    requireProvider(storage, caller, dataset);
    if (SharingLayout.sharingClass(storage, dataset) == SharingClass.NOT_SHARED) {
      throw refuse(Rule.NOT_SHARED, "data set " + dataset + " is now not shared (不予共享):"
          + " refuse the application");
    }
    Word terms = storage.read(SharingLayout.requestTerms(id));
    if (mask == 0 || (mask & ~terms.u3()) != 0) {
      throw refuse(Rule.BAD_FIELDS, "the fields granted (mask 0x" + Long.toHexString(mask)
          + ") are some of those asked for (mask 0x" + Long.toHexString(terms.u3()) + ")");
    }
    requireOpenPeriod(terms, now);
    grant(storage, id, caller, mask, now);
  }

  /** The provider refuses a checked application, with its reason. */
  static void refuseApplication(SystemStorage storage, Address caller, long id, String reason,
      long now) {
    long dataset = requireState(storage, id, RequestState.CHECKED, now);
    requireProvider(storage, caller, dataset);
    requireReason(reason);
    decide(storage, id, RequestState.REFUSED, caller, reason, 0, now);
  }

  /** The provider or the authority revokes a grant in force, with its reason. */
  static void revoke(SystemStorage storage, Address caller, long id, String reason, long now) {
    long dataset = requireState(storage, id, RequestState.GRANTED, now);
    if (!isAuthority(storage, caller)) {
      requireProvider(storage, caller, dataset);
    }
    requireReason(reason);
    storage.write(SharingLayout.requestState(id), new Word(0, now,
        storage.read(SharingLayout.requestState(id)).u1(), RequestState.REVOKED.ordinal()));
    storage.write(SharingLayout.decidedBy(id), caller);
    storage.writeBytes("rq.reason", Word.of(id), reason.getBytes(StandardCharsets.UTF_8));
    SharingEvents.revoked(storage, id, caller, reason);
  }

  private static void grant(SystemStorage storage, long id, Address by, long mask, long now) {
    Word requester = storage.read(SharingLayout.requester(id));
    long dataset = storage.read(SharingLayout.requestWhat(id)).u3();
    SharingLayout.append(storage, SharingLayout.grantCount(dataset, requester),
        i -> SharingLayout.grant(dataset, requester, i), id);
    decide(storage, id, RequestState.GRANTED, by, null, mask, now);
    SharingEvents.granted(storage, id, dataset, requester, mask,
        storage.read(SharingLayout.requestTerms(id)).u1());
  }

  /** Closes an open application as granted or refused. */
  private static void decide(SystemStorage storage, long id, RequestState state, Address by,
      String reason, long mask, long now) {
    Word what = storage.read(SharingLayout.requestWhat(id));
    storage.write(SharingLayout.requestWhat(id), new Word(what.u3(), what.u2(), what.u1(), 0));
    Word terms = storage.read(SharingLayout.requestTerms(id));
    storage.write(SharingLayout.requestTerms(id), new Word(terms.u3(), mask, terms.u1(), now));
    storage.write(SharingLayout.requestState(id), new Word(0, 0,
        storage.read(SharingLayout.requestState(id)).u1(), state.ordinal()));
    storage.write(SharingLayout.decidedBy(id), by);
    if (reason != null) {
      storage.writeBytes("rq.reason", Word.of(id), reason.getBytes(StandardCharsets.UTF_8));
      SharingEvents.refused(storage, id, by, reason);
    }
    SharingLayout.closeRequest(storage, id);
  }

  /** The request exists and is in {@code state} at {@code now}: its data set. */
  private static long requireState(SystemStorage storage, long id, RequestState state,
      long now) {
    if (!SharingLayout.requestExists(storage, id)) {
      throw refuse(Rule.NO_REQUEST, "no application " + (id < 0 ? "with that id" : id));
    }
    RequestState actual = SharingLayout.state(storage, id, now);
    if (actual != state) {
      throw refuse(Rule.BAD_STATE, "application " + id + " is " + actual.name().toLowerCase(
          java.util.Locale.ROOT) + ", not " + state.name().toLowerCase(java.util.Locale.ROOT));
    }
    return storage.read(SharingLayout.requestWhat(id)).u3();
  }

  private static void requireOpenPeriod(Word terms, long now) {
    if (terms.u1() <= now) {
      throw refuse(Rule.BAD_PERIOD, "the period asked for ended at " + terms.u1()
          + ": refuse the application, the requester applies again");
    }
  }

  private static void requireReason(String reason) {
    if (reason.isBlank()) {
      throw refuse(Rule.NO_REASON, "a refusal, revocation or extension gives its reason");
    }
    checkText(reason, "a reason");
  }

  private static void checkText(String text, String what) {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (text.isBlank() || bytes > DataSharing.TEXT_BYTES_MAX) {
      throw refuse(Rule.BAD_TEXT, what + " is 1 to " + DataSharing.TEXT_BYTES_MAX
          + " bytes of UTF-8, not blank; got " + bytes);
    }
  }

  private static void checkMask(long mask, long fields, String of) {
    long all = fields >= 64 ? -1L : (1L << fields) - 1;
    if (mask == 0 || (mask & ~all) != 0) {
      throw refuse(Rule.BAD_FIELDS, "a field mask names 1 or more of the " + fields
          + " fields of " + of + " (bits 0 to " + (fields - 1) + "); got 0x"
          + Long.toHexString(mask));
    }
  }

  // ---- access --------------------------------------------------------------------------------

  /**
   * Whether {@code department} may receive {@code mask} of data set {@code dataset}'s fields
   * under grant {@code grant} at {@code now}: null when it may.
   */
  static Refusal checkUse(SystemStorage storage, long grant, long dataset, Word department,
      long mask, long now) {
    if (!SharingLayout.requestExists(storage, grant)
        || storage.read(SharingLayout.requestWhat(grant)).u3() != dataset) {
      return new Refusal(Rule.NO_GRANT, "no grant " + (grant < 0 ? "with that id" : grant)
          + " for data set " + dataset);
    }
    RequestState state = SharingLayout.state(storage, grant, now);
    if (state != RequestState.GRANTED && state != RequestState.REVOKED
        && state != RequestState.EXPIRED) {
      return new Refusal(Rule.NO_GRANT, "application " + grant + " is "
          + state.name().toLowerCase(java.util.Locale.ROOT) + ", not granted");
    }
    Word requester = storage.read(SharingLayout.requester(grant));
    if (!requester.equals(department)) {
      return new Refusal(Rule.WRONG_DEPARTMENT, "grant " + grant + " is "
          + SharingLayout.name(storage, requester) + "'s");
    }
    Word terms = storage.read(SharingLayout.requestTerms(grant));
    if (state == RequestState.REVOKED) {
      return new Refusal(Rule.REVOKED, "grant " + grant + " was revoked at "
          + storage.read(SharingLayout.requestState(grant)).u2());
    }
    if (state == RequestState.EXPIRED) {
      return new Refusal(Rule.EXPIRED, "grant " + grant + " expired at " + terms.u1());
    }
    if (mask == 0 || (mask & ~terms.u2()) != 0) {
      return new Refusal(Rule.OUTSIDE_MASK, "grant " + grant + " gives fields 0x"
          + Long.toHexString(terms.u2()) + ", not all of 0x" + Long.toHexString(mask));
    }
    return null;
  }

  /**
   * The grant under which {@code department} may receive {@code mask} of data set {@code
   * dataset}, among its {@link DataSharing#GRANT_SCAN_MAX} newest for it: {@code grant} is its
   * id (0 when none), {@code refusal} null when one allows it, else the most telling reason:
   * a grant in force that lacks a field, else the newest grant's.
   */
  record Answer(long grant, Refusal refusal) {}

  static Answer isGranted(SystemStorage storage, long dataset, Word department, long mask,
      long now) {
    if (!SharingLayout.datasetExists(storage, dataset)) {
      return new Answer(0, new Refusal(Rule.NO_DATASET, "no data set "
          + (dataset < 0 ? "with that id" : dataset)));
    }
    long count = storage.readLong(SharingLayout.grantCount(dataset, department));
    Answer best = new Answer(0, new Refusal(Rule.NO_GRANT, "no grant of data set " + dataset
        + " to that department"));
    for (long i = count - 1; i >= 0 && i >= count - DataSharing.GRANT_SCAN_MAX; i--) {
      long grant = storage.readLong(SharingLayout.grant(dataset, department, i));
      Refusal refusal = checkUse(storage, grant, dataset, department, mask, now);
      if (refusal == null) {
        return new Answer(grant, null);
      }
      if (best.grant() == 0 || refusal.rule() == Rule.OUTSIDE_MASK
          && best.refusal().rule() != Rule.OUTSIDE_MASK) {
        best = new Answer(grant, refusal);
      }
    }
    return best;
  }

  // ---- audit ---------------------------------------------------------------------------------

  /** An access attempt as the provider's node reports it. */
  record Access(long dataset, long grant, String department, byte[] requester, int outcome,
      long fieldMask, byte[] payloadHash) {}

  static long recordAccess(SystemStorage storage, Address caller, Access a, long now) {
    requireDataset(storage, a.dataset());
    requireProvider(storage, caller, a.dataset());
    checkDepartmentName(a.department());
    Rule outcome = Rule.ofCode(a.outcome());
    if (outcome == null || !Rule.OUTCOMES.contains(outcome)) {
      throw refuse(Rule.BAD_ENTRY, "an outcome is one of " + Rule.OUTCOMES.stream()
          .map(r -> String.format("0x%02x %s", r.code(), r.label())).toList() + "; got "
          + a.outcome());
    }
    if (SharingLayout.isZero(a.requester())) {
      throw refuse(Rule.BAD_ENTRY, "an entry names the requester: the hash of its"
          + " certificate");
    }
    boolean delivered = outcome == Rule.OK;
    if (delivered == SharingLayout.isZero(a.payloadHash())) {
      throw refuse(Rule.BAD_ENTRY, delivered ? "a delivery records the hash of its payload"
          : "only a delivery has a payload hash");
    }
    if (delivered && a.grant() == 0) {
      throw refuse(Rule.BAD_ENTRY, "a delivery names the grant it was made under");
    }
    Word department = SharingLayout.remember(storage, a.department());
    Refusal verdict = a.grant() == 0
        ? isGranted(storage, a.dataset(), department, a.fieldMask(), now).refusal()
        : checkUse(storage, a.grant(), a.dataset(), department, a.fieldMask(), now);
    Rule verdictRule = verdict == null ? Rule.OK : verdict.rule();
    long id = storage.readLong(SharingLayout.AUDIT_COUNT) + 1;
    storage.write(SharingLayout.AUDIT_COUNT, id);
    storage.write(SharingLayout.entryWhat(id), new Word(a.dataset(), Math.max(a.grant(), 0),
        a.fieldMask(), now));
    storage.write(SharingLayout.entryOutcome(id), new Word(0, 0, outcome.code(),
        verdictRule.code()));
    storage.write(SharingLayout.entryDepartment(id), department);
    storage.write(SharingLayout.entryRequester(id), Word.fromBytes(a.requester()));
    if (delivered) {
      storage.write(SharingLayout.entryPayload(id), Word.fromBytes(a.payloadHash()));
    }
    SharingLayout.append(storage, SharingLayout.datasetAuditCount(a.dataset()),
        i -> SharingLayout.datasetAudit(a.dataset(), i), id);
    SharingLayout.append(storage, SharingLayout.departmentAuditCount(department),
        i -> SharingLayout.departmentAudit(department, i), id);
    SharingEvents.accessed(storage, id, a, department, outcome, verdictRule);
    return id;
  }

  /** The provider records that it erased the payload of delivery {@code entry}. */
  static void recordPurge(SystemStorage storage, Address caller, long entry, String reason,
      long now) {
    if (!SharingLayout.entryExists(storage, entry)) {
      throw refuse(Rule.BAD_ENTRY, "no audit entry " + (entry < 0 ? "with that id" : entry));
    }
    long dataset = storage.read(SharingLayout.entryWhat(entry)).u3();
    requireProvider(storage, caller, dataset);
    Word outcome = storage.read(SharingLayout.entryOutcome(entry));
    if (outcome.u1() != Rule.OK.code()) {
      throw refuse(Rule.BAD_ENTRY, "audit entry " + entry + " delivered nothing to purge");
    }
    if (outcome.u2() != 0) {
      throw refuse(Rule.BAD_ENTRY, "the payload of audit entry " + entry + " was purged at "
          + outcome.u2());
    }
    requireReason(reason);
    storage.write(SharingLayout.entryOutcome(entry), new Word(0, now, outcome.u1(),
        outcome.u0()));
    SharingEvents.purged(storage, entry, dataset,
        storage.read(SharingLayout.entryPayload(entry)).toBytes(), reason);
  }
}
