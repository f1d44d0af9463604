package io.chorus.state.system;

import static io.chorus.state.system.SharingChain.AUTHORITY;
import static io.chorus.state.system.SharingChain.FIELDS;
import static io.chorus.state.system.SharingChain.OTHER;
import static io.chorus.state.system.SharingChain.OUTSIDER;
import static io.chorus.state.system.SharingChain.PROVIDER;
import static io.chorus.state.system.SharingChain.REQUESTER;
import static io.chorus.state.system.SharingChain.accessCall;
import static io.chorus.state.system.SharingChain.applyCall;
import static io.chorus.state.system.SharingChain.approveCall;
import static io.chorus.state.system.SharingChain.call;
import static io.chorus.state.system.SharingChain.checkCall;
import static io.chorus.state.system.SharingChain.department;
import static io.chorus.state.system.SharingChain.extendCall;
import static io.chorus.state.system.SharingChain.publishCall;
import static io.chorus.state.system.SharingChain.refuseCall;
import static io.chorus.state.system.SharingChain.revokeCall;
import static io.chorus.state.system.SharingChain.u64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.state.TransactionResult;
import io.chorus.state.system.DataSharing.RequestState;
import io.chorus.state.system.DataSharing.Rule;
import io.chorus.state.system.DataSharing.SharingClass;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data sharing contract's rules, one by one, through signed transactions as a node applies
 * them: each step's effect and events, and each refusal with its reason code, checked (by
 * {@link SharingChain#refused}) to leave the contract's storage as it was and to log nothing;
 * the pre-checks answer the code the audit verdict records.
 */
class DataSharingTest {
  static final long DAY = 86_400;
  /** name | id_number | household: fields 0, 1 and 3. */
  static final long MASK = 0b01011;

  final SharingChain s = new SharingChain(CryptoSuite.ethereum());

  static Word topic(String signature) {
    return Word.fromBytes(Keccak256.INSTANCE.hash(signature.getBytes(StandardCharsets.US_ASCII)));
  }

  static Word departmentTopic(int account) {
    return Word.fromBytes(DataSharing.departmentId(department(account)));
  }

  byte[] payload(String label) {
    return s.chain.content(label);
  }

  // ---- departments ---------------------------------------------------------------------------

  @Test
  void governanceBindsAccountsToDepartmentsAndUnbindsThem() {
    assertEquals(department(REQUESTER), DataSharing.departmentOf(s.chain.state,
        s.chain.accounts[REQUESTER]));
    assertEquals(department(PROVIDER), s.view(DataSharingContract.DEPARTMENT_OF,
        Abi.toAbi(s.chain.accounts[PROVIDER])).get(0));
    assertEquals("", s.view(DataSharingContract.DEPARTMENT_OF,
        Abi.toAbi(s.chain.accounts[OUTSIDER])).get(0));

    assertEquals(Governance.Status.EXECUTED, s.bind(REQUESTER, "").status());
    assertNull(DataSharing.departmentOf(s.chain.state, s.chain.accounts[REQUESTER]));
    // Unbinding an account bound to nothing no longer applies when the vote takes effect.
    Governance.Proposal again = s.bind(REQUESTER, "");
    assertEquals(Governance.Status.FAILED, again.status());
    assertTrue(again.failure().startsWith("0xb2 not-department:"), again.failure());
    // A name that is no organisation's is refused when proposed.
    TransactionResult blank = s.chain.send(NotaryChain.COMMITTEE[0],
        SystemContracts.GOVERNANCE, Governance.proposeCall(ProposalKind.SHARING_DEPARTMENT,
            ProposalKind.SHARING_DEPARTMENT.encode(s.chain.accounts[OUTSIDER], "  "), 10));
    assertFalse(blank.success());
    assertTrue(NotaryChain.reason(blank).startsWith("0xb2 not-department: a department is"));
  }

  // ---- the catalogue -------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"ethereum", "sm"})
  void anUpdateIsANewVersionAndTheOldOnesStayReadable(String suite) {
    SharingChain s = new SharingChain(CryptoSuite.byName(suite));
    TransactionResult published = s.ok(PROVIDER, publishCall("330100-GA-0001", "人口基本信息",
        FIELDS, SharingClass.CONDITIONAL));
    long id = SharingChain.number(published);
    assertEquals(1, id);
    List<String> fields2 = List.of("name", "id_number", "address", "household", "birth_date",
        "photo");
    TransactionResult updated = s.ok(PROVIDER, call(DataSharingContract.UPDATE, u64(id),
        "人口基本信息（含照片）", fields2.toArray(String[]::new), 0, 3));
    assertEquals(2, SharingChain.number(updated));

    DataSharing.Dataset dataset = DataSharing.dataset(s.chain.state, id);
    assertEquals("330100-GA-0001", dataset.code());
    assertEquals(department(PROVIDER), dataset.provider());
    assertEquals(2, dataset.versions());
    DataSharing.Version first = DataSharing.version(s.chain.state, id, 1);
    assertEquals(FIELDS, first.fields());
    assertEquals(SharingClass.CONDITIONAL, first.sharingClass());
    assertEquals("人口基本信息", first.title());
    DataSharing.Version latest = DataSharing.version(s.chain.state, id, 0);
    assertEquals(2, latest.number());
    assertEquals(fields2, latest.fields());
    assertEquals(SharingClass.UNCONDITIONAL, latest.sharingClass());
    assertEquals(DataSharing.UpdateCycle.MONTHLY, latest.updateCycle());
    // The schema hash is the chain's hash of abi.encode(string[] fields), and the view agrees.
    byte[] encoded = com.esaulpaugh.headlong.abi.TupleType.parse("(string[])").encode(
        Tuple.from((Object) FIELDS.toArray(String[]::new))).array();
    assertArrayEquals(s.chain.hash.hash(encoded), first.schemaHash());
    assertArrayEquals(first.schemaHash(), s.view(DataSharingContract.SCHEMA_HASH,
        (Object) FIELDS.toArray(String[]::new)).get(0));
    Tuple v1 = s.view(DataSharingContract.VERSION_OF, u64(id), u64(1));
    assertEquals(FIELDS, Arrays.asList((String[]) v1.get(2)));
    assertEquals(u64(id), s.view(DataSharingContract.DATASET_BY_CODE, "330100-GA-0001").get(0));
    Tuple mine = s.view(DataSharingContract.DATASETS_OF, department(PROVIDER), u64(0), u64(10));
    assertEquals(u64(1), mine.get(0));

    Log log = published.logs().getFirst();
    assertEquals(List.of(topic("Published(uint64,string,uint64,uint8,uint8,bytes32,string,"
        + "string)"), Word.of(id), departmentTopic(PROVIDER)), log.topics());
    Tuple data = SharingEvents.PUBLISHED.getNonIndexedParams().decode(updated.logs().getFirst()
        .data());
    assertEquals(u64(2), data.get(0));
    assertEquals("330100-GA-0001", data.get(4));
  }

  @Test
  void catalogueEntriesBreakingTheRulesAreRefused() {
    long id = s.publish("GA-1", SharingClass.CONDITIONAL);
    assertEquals(Rule.NOT_DEPARTMENT, s.refused(OUTSIDER, publishCall("X", "t", FIELDS,
        SharingClass.CONDITIONAL)));
    assertEquals(Rule.BAD_DATASET, s.refused(REQUESTER, publishCall("GA-1", "t", FIELDS,
        SharingClass.CONDITIONAL)), "a code is published once, by anyone");
    assertEquals(Rule.BAD_DATASET, s.refused(PROVIDER, publishCall(" ", "t", FIELDS,
        SharingClass.CONDITIONAL)));
    assertEquals(Rule.BAD_DATASET, s.refused(PROVIDER, publishCall("X", "", FIELDS,
        SharingClass.CONDITIONAL)));
    assertEquals(Rule.BAD_FIELDS, s.refused(PROVIDER, publishCall("X", "t", List.of(),
        SharingClass.CONDITIONAL)));
    assertEquals(Rule.BAD_FIELDS, s.refused(PROVIDER, publishCall("X", "t",
        List.of("name", "name"), SharingClass.CONDITIONAL)));
    List<String> tooMany = IntStream.range(0, DataSharing.FIELDS_MAX + 1)
        .mapToObj(i -> "f" + i).toList();
    assertEquals(Rule.BAD_FIELDS, s.refused(PROVIDER, publishCall("X", "t", tooMany,
        SharingClass.CONDITIONAL)));
    assertEquals(Rule.BAD_DATASET, s.refused(PROVIDER, call(DataSharingContract.PUBLISH, "X",
        "t", FIELDS.toArray(String[]::new), 3, 0)), "no sharing class 3");
    assertEquals(Rule.BAD_DATASET, s.refused(PROVIDER, call(DataSharingContract.PUBLISH, "X",
        "t", FIELDS.toArray(String[]::new), 0, 7)), "no update cycle 7");
    byte[] update = call(DataSharingContract.UPDATE, u64(id), "t",
        FIELDS.toArray(String[]::new), 0, 0);
    assertEquals(Rule.NOT_PROVIDER, s.refused(REQUESTER, update));
    assertEquals(Rule.NO_DATASET, s.refused(PROVIDER, call(DataSharingContract.UPDATE, u64(9),
        "t", FIELDS.toArray(String[]::new), 0, 0)));
    assertEquals(1, DataSharing.dataset(s.chain.state, id).versions());
  }

  // ---- applications --------------------------------------------------------------------------

  @Test
  void anUnconditionalItemIsGrantedOnceTheAuthorityHasCheckedIt() {
    long id = s.publish("GA-1", SharingClass.UNCONDITIONAL);
    TransactionResult applied = s.ok(REQUESTER, applyCall(id, MASK, s.now() + 90 * DAY));
    long request = SharingChain.number(applied);
    DataSharing.Request r = s.request(request);
    assertEquals(RequestState.APPLIED, r.state());
    assertEquals(department(REQUESTER), r.requester());
    assertEquals(s.chain.accounts[REQUESTER], r.applicant());
    assertEquals(MASK, r.requestedMask());
    assertEquals(0, r.grantedMask());
    assertEquals(WorkingDays.deadline(s.now(), 2), r.deadline());
    assertEquals(List.of(topic("Applied(uint64,uint64,string,uint64,uint64,uint64)"),
        Word.of(request), Word.of(id), departmentTopic(REQUESTER)),
        applied.logs().getFirst().topics());
    assertEquals(Rule.NO_GRANT, s.isGranted(id, department(REQUESTER), MASK),
        "no grant before the check");

    TransactionResult checked = s.ok(AUTHORITY, checkCall(request, true, ""));
    r = s.request(request);
    assertEquals(RequestState.GRANTED, r.state());
    assertEquals(MASK, r.grantedMask(), "all the fields asked for");
    assertEquals(s.chain.accounts[AUTHORITY], r.decidedBy());
    assertEquals(0, r.deadline());
    assertEquals(List.of(topic("Checked(uint64,address,bool,uint64,string)"),
        topic("Granted(uint64,uint64,string,uint64,uint64)")),
        checked.logs().stream().map(l -> l.topics().getFirst()).toList());
    assertEquals(Rule.OK, s.isGranted(id, department(REQUESTER), MASK));
    assertEquals(Rule.OK, s.isGranted(id, department(REQUESTER), 0b00010));
    assertEquals(Rule.OUTSIDE_MASK, s.isGranted(id, department(REQUESTER), 0b00100));
    assertEquals(Rule.NO_GRANT, s.isGranted(id, department(OTHER), MASK));
    assertEquals(Rule.WRONG_DEPARTMENT, s.canUse(request, department(OTHER), MASK));
    assertEquals(Rule.OK, s.canUse(request, department(REQUESTER), MASK));
    assertEquals(List.of(request), grants(id, REQUESTER));
    Tuple grant = s.view(DataSharingContract.GRANT_OF, u64(request));
    assertEquals(u64(MASK), grant.get(4));
    assertEquals(RequestState.GRANTED.ordinal(), (int) grant.get(8));
  }

  List<Long> grants(long dataset, int department) {
    BigInteger[] ids = s.view(DataSharingContract.GRANTS_OF, u64(dataset),
        department(department)).get(0);
    return Arrays.stream(ids).map(BigInteger::longValueExact).toList();
  }

  @Test
  void aConditionalItemAwaitsTheProvidersAnswerForSomeOfTheFieldsAskedFor() {
    long id = s.publish("GA-1", SharingClass.CONDITIONAL);
    long request = s.apply(REQUESTER, id, MASK);
    s.ok(AUTHORITY, checkCall(request, true, "用途合规"));
    DataSharing.Request r = s.request(request);
    assertEquals(RequestState.CHECKED, r.state());
    assertEquals(WorkingDays.deadline(s.now(), 5), r.deadline());
    assertEquals("用途合规", r.reason());
    assertEquals(Rule.NO_GRANT, s.isGranted(id, department(REQUESTER), MASK));

    assertEquals(Rule.NOT_PROVIDER, s.refused(REQUESTER, approveCall(request, MASK)));
    assertEquals(Rule.NOT_PROVIDER, s.refused(AUTHORITY, approveCall(request, MASK)));
    assertEquals(Rule.BAD_FIELDS, s.refused(PROVIDER, approveCall(request, 0b00100)),
        "a field not asked for");
    assertEquals(Rule.BAD_FIELDS, s.refused(PROVIDER, approveCall(request, 0)));
    TransactionResult approved = s.ok(PROVIDER, approveCall(request, 0b00011));
    r = s.request(request);
    assertEquals(RequestState.GRANTED, r.state());
    assertEquals(0b00011, r.grantedMask());
    assertEquals(s.chain.accounts[PROVIDER], r.decidedBy());
    assertEquals(s.now(), r.decidedAt());
    Tuple granted = SharingEvents.GRANTED.getNonIndexedParams().decode(
        approved.logs().getFirst().data());
    assertEquals(u64(0b00011), granted.get(0));
    assertEquals(Rule.OK, s.isGranted(id, department(REQUESTER), 0b00011));
    assertEquals(Rule.OUTSIDE_MASK, s.isGranted(id, department(REQUESTER), MASK),
        "household was asked for, not granted");
    assertEquals(Rule.BAD_STATE, s.refused(PROVIDER, approveCall(request, 0b00011)));
  }

  @Test
  void refusalsNeedTheirReasonAndEndTheApplication() {
    long id = s.publish("GA-1", SharingClass.CONDITIONAL);
    long byAuthority = s.apply(REQUESTER, id, MASK);
    assertEquals(Rule.NOT_AUTHORITY, s.refused(PROVIDER, checkCall(byAuthority, true, "")));
    assertEquals(Rule.NO_REASON, s.refused(AUTHORITY, checkCall(byAuthority, false, "")));
    TransactionResult refused = s.ok(AUTHORITY, checkCall(byAuthority, false, "用途不明确"));
    assertEquals(RequestState.REFUSED, s.request(byAuthority).state());
    assertEquals("用途不明确", s.request(byAuthority).reason());
    assertEquals(List.of(topic("Checked(uint64,address,bool,uint64,string)"),
        topic("Refused(uint64,address,string)")),
        refused.logs().stream().map(l -> l.topics().getFirst()).toList());
    assertEquals(Rule.BAD_STATE, s.refused(AUTHORITY, checkCall(byAuthority, true, "")));

    long byProvider = s.apply(REQUESTER, id, MASK);
    assertEquals(Rule.BAD_STATE, s.refused(PROVIDER, refuseCall(byProvider, "x")),
        "the authority checks first");
    s.ok(AUTHORITY, checkCall(byProvider, true, ""));
    assertEquals(Rule.NO_REASON, s.refused(PROVIDER, refuseCall(byProvider, " ")));
    assertEquals(Rule.NOT_PROVIDER, s.refused(OTHER, refuseCall(byProvider, "x")));
    s.ok(PROVIDER, refuseCall(byProvider, "涉及个人隐私，依法不予提供"));
    DataSharing.Request r = s.request(byProvider);
    assertEquals(RequestState.REFUSED, r.state());
    assertEquals("涉及个人隐私，依法不予提供", r.reason());
    assertEquals(s.chain.accounts[PROVIDER], r.decidedBy());
    assertEquals(Rule.BAD_STATE, s.refused(PROVIDER, approveCall(byProvider, MASK)));
    assertEquals(List.of(), grants(id, REQUESTER));
    assertEquals(Rule.NO_REQUEST, s.refused(AUTHORITY, checkCall(99, true, "")));
  }

  @Test
  void notSharedItemsRefuseApplicationsAndAClassChangedToItStopsPendingOnes() {
    long closed = s.publish("GA-1", SharingClass.NOT_SHARED);
    assertEquals(Rule.NOT_SHARED, s.refused(REQUESTER, applyCall(closed, MASK,
        s.now() + DAY)));

    long id = s.publish("GA-2", SharingClass.CONDITIONAL);
    long unchecked = s.apply(REQUESTER, id, MASK);
    long checked = s.apply(OTHER, id, MASK);
    s.ok(AUTHORITY, checkCall(checked, true, ""));
    s.ok(PROVIDER, call(DataSharingContract.UPDATE, u64(id), "t",
        FIELDS.toArray(String[]::new), SharingClass.NOT_SHARED.ordinal(), 0));
    assertEquals(Rule.NOT_SHARED, s.refused(AUTHORITY, checkCall(unchecked, true, "")));
    assertEquals(Rule.NOT_SHARED, s.refused(PROVIDER, approveCall(checked, MASK)));
    // Refusing them is what remains.
    s.ok(AUTHORITY, checkCall(unchecked, false, "目录已调整为不予共享"));
    s.ok(PROVIDER, refuseCall(checked, "目录已调整为不予共享"));
    assertEquals(Rule.NO_GRANT, s.isGranted(id, department(REQUESTER), MASK));
  }

  @Test
  void applicationsBreakingTheRulesAreRefused() {
    long id = s.publish("GA-1", SharingClass.CONDITIONAL);
    long now = s.now();
    assertEquals(Rule.OWN_DEPARTMENT, s.refused(PROVIDER, applyCall(id, MASK, now + DAY)));
    assertEquals(Rule.NOT_DEPARTMENT, s.refused(OUTSIDER, applyCall(id, MASK, now + DAY)));
    assertEquals(Rule.NO_DATASET, s.refused(REQUESTER, applyCall(2, MASK, now + DAY)));
    assertEquals(Rule.BAD_FIELDS, s.refused(REQUESTER, applyCall(id, 0, now + DAY)));
    assertEquals(Rule.BAD_FIELDS, s.refused(REQUESTER, applyCall(id, 1L << FIELDS.size(),
        now + DAY)), "a sixth field of five");
    assertEquals(Rule.BAD_FIELDS, s.refused(REQUESTER, applyCall(id, -1L, now + DAY)));
    assertEquals(Rule.BAD_PERIOD, s.refused(REQUESTER, applyCall(id, MASK, now)));
    assertEquals(Rule.BAD_PERIOD, s.refused(REQUESTER, applyCall(id, MASK,
        now + DataSharing.PERIOD_SECONDS_MAX + 1)));
    assertEquals(Rule.BAD_PERIOD, s.refused(REQUESTER, applyCall(id, MASK, -1L)),
        "2^64 - 1");
    assertEquals(Rule.BAD_TEXT, s.refused(REQUESTER, call(DataSharingContract.APPLY, u64(id),
        "", "场景", u64(MASK), u64(now + DAY))));
    assertEquals(Rule.BAD_TEXT, s.refused(REQUESTER, call(DataSharingContract.APPLY, u64(id),
        "用途", "x".repeat(DataSharing.TEXT_BYTES_MAX + 1), u64(MASK), u64(now + DAY))));
    s.ok(REQUESTER, applyCall(id, MASK, now + DataSharing.PERIOD_SECONDS_MAX));
    assertEquals(u64(1), s.view(DataSharingContract.REQUEST_COUNT).get(0));
  }

  // ---- grants end ----------------------------------------------------------------------------

  @Test
  void aRevokedGrantIsNeverValidAgain() {
    long id = s.publish("GA-1", SharingClass.UNCONDITIONAL);
    long request = s.apply(REQUESTER, id, MASK);
    s.ok(AUTHORITY, checkCall(request, true, ""));
    assertEquals(Rule.NOT_PROVIDER, s.refused(REQUESTER, revokeCall(request, "x")));
    assertEquals(Rule.NO_REASON, s.refused(PROVIDER, revokeCall(request, "")));
    TransactionResult revoked = s.ok(PROVIDER, revokeCall(request, "申请部门超范围使用"));
    assertEquals(topic("Revoked(uint64,address,string)"),
        revoked.logs().getFirst().topics().getFirst());
    DataSharing.Request r = s.request(request);
    assertEquals(RequestState.REVOKED, r.state());
    assertEquals(s.now(), r.revokedAt());
    assertEquals(MASK, r.grantedMask(), "what was granted stays on record");
    assertEquals(Rule.REVOKED, s.isGranted(id, department(REQUESTER), MASK));
    assertEquals(Rule.REVOKED, s.canUse(request, department(REQUESTER), MASK));
    assertEquals(Rule.BAD_STATE, s.refused(PROVIDER, revokeCall(request, "again")));

    // The authority may revoke too; a new grant for the same pair is valid on its own.
    long second = s.apply(REQUESTER, id, MASK);
    s.ok(AUTHORITY, checkCall(second, true, ""));
    assertEquals(Rule.OK, s.isGranted(id, department(REQUESTER), MASK));
    s.ok(AUTHORITY, revokeCall(second, "监督检查"));
    assertEquals(Rule.REVOKED, s.isGranted(id, department(REQUESTER), MASK));
    assertEquals(List.of(request, second), grants(id, REQUESTER));
  }

  @Test
  void aGrantExpiresAtTheEndOfItsPeriod() {
    long id = s.publish("GA-1", SharingClass.UNCONDITIONAL);
    long expires = s.now() + 10 * DAY;
    long request = SharingChain.number(s.ok(REQUESTER, applyCall(id, MASK, expires)));
    s.ok(AUTHORITY, checkCall(request, true, ""));
    assertEquals(Rule.OK, s.canUse(request, department(REQUESTER), MASK));
    s.chain.skip(expires - s.now() - 2); // the next block is at exactly the expiry
    assertEquals(expires, s.now());
    assertEquals(RequestState.EXPIRED, s.request(request).state());
    assertEquals(Rule.EXPIRED, s.canUse(request, department(REQUESTER), MASK));
    assertEquals(Rule.EXPIRED, s.isGranted(id, department(REQUESTER), MASK));
    assertEquals(Rule.BAD_STATE, s.refused(PROVIDER, revokeCall(request, "x")));
    assertEquals(RequestState.EXPIRED.ordinal(), (int) s.view(DataSharingContract.GRANT_OF,
        u64(request)).get(8));
  }

  @Test
  void aPeriodThatEndedBeforeTheDecisionCannotBeGranted() {
    long id = s.publish("GA-1", SharingClass.CONDITIONAL);
    long request = SharingChain.number(s.ok(REQUESTER, applyCall(id, MASK, s.now() + DAY)));
    s.ok(AUTHORITY, checkCall(request, true, ""));
    s.chain.skip(2 * DAY);
    assertEquals(Rule.BAD_PERIOD, s.refused(PROVIDER, approveCall(request, MASK)));
    assertEquals(RequestState.CHECKED, s.request(request).state());
  }

  // ---- deadlines -----------------------------------------------------------------------------

  @Test
  void theProviderExtendsOnceToTenWorkingDays() {
    long id = s.publish("GA-1", SharingClass.CONDITIONAL);
    long request = s.apply(REQUESTER, id, MASK);
    assertEquals(Rule.BAD_STATE, s.refused(PROVIDER, extendCall(request, "x")),
        "nothing to extend before the check");
    s.ok(AUTHORITY, checkCall(request, true, ""));
    long checkedAt = s.now();
    assertEquals(Rule.NO_REASON, s.refused(PROVIDER, extendCall(request, "")));
    assertEquals(Rule.NOT_PROVIDER, s.refused(REQUESTER, extendCall(request, "x")));
    s.ok(PROVIDER, extendCall(request, "需会商相关处室"));
    DataSharing.Request r = s.request(request);
    assertTrue(r.extended());
    assertEquals(WorkingDays.deadline(checkedAt, 10), r.deadline());
    assertEquals(Rule.BAD_STATE, s.refused(PROVIDER, extendCall(request, "again")));
  }

  @Test
  void overdueApplicationsAreListedForTheAuthority() {
    long id = s.publish("GA-1", SharingClass.CONDITIONAL);
    long late = s.apply(REQUESTER, id, MASK);
    long checked = s.apply(OTHER, id, MASK);
    long deadline = s.request(late).deadline();
    assertEquals(List.of(late, checked), ids(DataSharingContract.OPEN_REQUESTS));
    assertEquals(List.of(), ids(DataSharingContract.OVERDUE_REQUESTS));
    s.ok(AUTHORITY, checkCall(checked, true, ""));
    s.chain.skip(deadline - s.now() - 2); // the next block is at the check's deadline
    assertEquals(List.of(late), ids(DataSharingContract.OVERDUE_REQUESTS));
    s.ok(AUTHORITY, checkCall(late, false, "逾期，退回"));
    assertEquals(List.of(checked), ids(DataSharingContract.OPEN_REQUESTS));
    s.chain.skip(s.request(checked).deadline() - s.now());
    assertEquals(List.of(checked), ids(DataSharingContract.OVERDUE_REQUESTS),
        "the provider's answer is overdue in its turn");
    s.ok(PROVIDER, approveCall(checked, MASK));
    assertEquals(List.of(), ids(DataSharingContract.OPEN_REQUESTS));
  }

  List<Long> ids(com.esaulpaugh.headlong.abi.Function f, Object... args) {
    Tuple answer = s.view(f, args);
    BigInteger[] ids = answer.get(answer.size() - 1);
    return Arrays.stream(ids).map(BigInteger::longValueExact).toList();
  }

  @Test
  void deadlinesCountWorkingDaysInChinaTimeFromTheNextDay() {
    // 2025-12-05 is a Friday. Times are UTC+8.
    long friday3pm = cst(2025, 12, 5, 15);
    assertEquals(cst(2025, 12, 10, 0), WorkingDays.deadline(friday3pm, 2),
        "Monday and Tuesday: due by midnight ending Tuesday");
    assertEquals(cst(2025, 12, 10, 0), WorkingDays.deadline(cst(2025, 12, 6, 10), 2),
        "from a Saturday too");
    assertEquals(cst(2025, 12, 10, 0), WorkingDays.deadline(cst(2025, 12, 7, 0) + 86_399, 2),
        "from the last second of a Sunday");
    assertEquals(cst(2025, 12, 11, 0), WorkingDays.deadline(cst(2025, 12, 8, 0), 2),
        "a Monday does not count itself");
    // 16:00 UTC on Friday is already Saturday in China.
    long fridayUtc = java.time.ZonedDateTime.of(2025, 12, 5, 16, 0, 0, 0,
        java.time.ZoneOffset.UTC).toEpochSecond();
    assertEquals(cst(2025, 12, 10, 0), WorkingDays.deadline(fridayUtc, 2));
    assertEquals(cst(2025, 12, 9, 0), WorkingDays.deadline(fridayUtc - 1, 1),
        "15:59:59 UTC is still Friday: Monday");
    assertEquals(cst(2025, 12, 13, 0), WorkingDays.deadline(friday3pm, 5), "a whole week");
    assertEquals(cst(2025, 12, 20, 0), WorkingDays.deadline(friday3pm, 10), "two weeks");
    assertEquals(u64(cst(2025, 12, 10, 0)), s.view(DataSharingContract.DEADLINE_AFTER,
        u64(friday3pm), 2).get(0));
  }

  static long cst(int year, int month, int day, int hour) {
    return java.time.ZonedDateTime.of(year, month, day, hour, 0, 0, 0, WorkingDays.CHINA)
        .toEpochSecond();
  }

  // ---- audit ---------------------------------------------------------------------------------

  @Test
  void everyAccessAttemptIsRecordedWithTheChainsOwnVerdict() {
    long id = s.publish("GA-1", SharingClass.UNCONDITIONAL);
    long grant = s.apply(REQUESTER, id, MASK);
    s.ok(AUTHORITY, checkCall(grant, true, ""));
    byte[] payload = payload("delivery-1");
    TransactionResult delivered = s.ok(PROVIDER, accessCall(id, grant, department(REQUESTER),
        Rule.OK, 0b00011, payload));
    long entry = SharingChain.number(delivered);
    DataSharing.AuditEntry e = DataSharing.auditEntry(s.chain.state, entry);
    assertEquals(Rule.OK, e.outcome());
    assertEquals(Rule.OK, e.verdict());
    assertEquals(grant, e.grant());
    assertEquals(department(REQUESTER), e.department());
    assertArrayEquals(payload, e.payloadHash());
    assertEquals(s.now(), e.time());
    Log log = delivered.logs().getFirst();
    assertEquals(List.of(topic("Accessed(uint64,uint64,string,uint64,bytes32,uint8,uint8,"
        + "uint64,bytes32)"), Word.of(entry), Word.of(id), departmentTopic(REQUESTER)),
        log.topics());

    // Denials, each with its reason; the verdict is the chain's check, the same as isGranted.
    long wrong = SharingChain.number(s.ok(PROVIDER, accessCall(id, grant, department(OTHER),
        Rule.WRONG_DEPARTMENT, MASK, new byte[32])));
    assertEquals(Rule.WRONG_DEPARTMENT, DataSharing.auditEntry(s.chain.state, wrong).verdict());
    long outside = SharingChain.number(s.ok(PROVIDER, accessCall(id, grant,
        department(REQUESTER), Rule.OUTSIDE_MASK, 0b00100, new byte[32])));
    assertEquals(Rule.OUTSIDE_MASK, DataSharing.auditEntry(s.chain.state, outside).verdict());
    long none = SharingChain.number(s.ok(PROVIDER, accessCall(id, 0, "某区信访局",
        Rule.NO_GRANT, MASK, new byte[32])));
    DataSharing.AuditEntry noGrant = DataSharing.auditEntry(s.chain.state, none);
    assertEquals(Rule.NO_GRANT, noGrant.verdict());
    assertEquals("某区信访局", noGrant.department(), "an unbound organisation is named too");
    s.ok(PROVIDER, revokeCall(grant, "x"));
    // A delivery after the revocation is still recorded: the verdict shows the chain's view.
    long late = SharingChain.number(s.ok(PROVIDER, accessCall(id, grant,
        department(REQUESTER), Rule.OK, MASK, payload("delivery-2"))));
    assertEquals(Rule.REVOKED, DataSharing.auditEntry(s.chain.state, late).verdict());
    long failed = SharingChain.number(s.ok(PROVIDER, accessCall(id, grant,
        department(REQUESTER), Rule.FAILED, MASK, new byte[32])));
    assertEquals(Rule.FAILED, DataSharing.auditEntry(s.chain.state, failed).outcome());

    assertEquals(List.of(entry, wrong, outside, none, late, failed),
        DataSharing.auditPage(s.chain.state, id, 0, 100));
    assertEquals(List.of(entry, outside, late, failed), ids(
        DataSharingContract.AUDIT_OF_DEPARTMENT, department(REQUESTER), u64(0), u64(10)));
  }

  @Test
  void auditEntriesBreakingTheRulesAreRefused() {
    long id = s.publish("GA-1", SharingClass.UNCONDITIONAL);
    long grant = s.apply(REQUESTER, id, MASK);
    s.ok(AUTHORITY, checkCall(grant, true, ""));
    byte[] hash = payload("p");
    assertEquals(Rule.NOT_PROVIDER, s.refused(REQUESTER, accessCall(id, grant,
        department(REQUESTER), Rule.OK, MASK, hash)), "only the provider's node records");
    assertEquals(Rule.NO_DATASET, s.refused(PROVIDER, accessCall(5, grant,
        department(REQUESTER), Rule.OK, MASK, hash)));
    assertEquals(Rule.BAD_ENTRY, s.refused(PROVIDER, accessCall(id, grant,
        department(REQUESTER), Rule.OK, MASK, new byte[32])), "a delivery without its hash");
    assertEquals(Rule.BAD_ENTRY, s.refused(PROVIDER, accessCall(id, grant,
        department(REQUESTER), Rule.NO_GRANT, MASK, hash)), "a denial with a payload");
    assertEquals(Rule.BAD_ENTRY, s.refused(PROVIDER, accessCall(id, 0,
        department(REQUESTER), Rule.OK, MASK, hash)), "a delivery under no grant");
    assertEquals(Rule.BAD_ENTRY, s.refused(PROVIDER, accessCall(id, grant,
        department(REQUESTER), Rule.NOT_SHARED, MASK, new byte[32])), "not an outcome");
    assertEquals(Rule.NOT_DEPARTMENT, s.refused(PROVIDER, accessCall(id, grant, "",
        Rule.NO_GRANT, MASK, new byte[32])));
    assertEquals(Rule.BAD_ENTRY, s.refused(PROVIDER, call(DataSharingContract.RECORD_ACCESS,
        u64(id), u64(grant), department(REQUESTER), new byte[32], Rule.OK.code(), u64(MASK),
        hash)), "no requester");
    assertEquals(u64(0), s.view(DataSharingContract.AUDIT_COUNT).get(0));
  }

  @Test
  void aPurgeOfADeliveredPayloadIsRecordedOnce() {
    long id = s.publish("GA-1", SharingClass.UNCONDITIONAL);
    long grant = s.apply(REQUESTER, id, MASK);
    s.ok(AUTHORITY, checkCall(grant, true, ""));
    byte[] hash = payload("p");
    long entry = SharingChain.number(s.ok(PROVIDER, accessCall(id, grant,
        department(REQUESTER), Rule.OK, MASK, hash)));
    long denial = SharingChain.number(s.ok(PROVIDER, accessCall(id, 0, department(OTHER),
        Rule.NO_GRANT, MASK, new byte[32])));
    byte[] purge = call(DataSharingContract.RECORD_PURGE, u64(entry), "法定保存期满");
    assertEquals(Rule.NOT_PROVIDER, s.refused(REQUESTER, purge));
    assertEquals(Rule.NO_REASON, s.refused(PROVIDER, call(DataSharingContract.RECORD_PURGE,
        u64(entry), "")));
    assertEquals(Rule.BAD_ENTRY, s.refused(PROVIDER, call(DataSharingContract.RECORD_PURGE,
        u64(denial), "x")), "a denial delivered nothing");
    assertEquals(Rule.BAD_ENTRY, s.refused(PROVIDER, call(DataSharingContract.RECORD_PURGE,
        u64(9), "x")));
    TransactionResult purged = s.ok(PROVIDER, purge);
    assertEquals(s.now(), DataSharing.auditEntry(s.chain.state, entry).purgedAt());
    Tuple data = SharingEvents.PURGED.getNonIndexedParams().decode(
        purged.logs().getFirst().data());
    assertArrayEquals(hash, data.get(0), "the purge names the hash of what was erased");
    assertEquals(Rule.BAD_ENTRY, s.refused(PROVIDER, purge), "purged once");
  }

  /**
   * A page of a data set's audit costs the same whatever the number of entries: the listing is
   * read by index, not scanned. Gas of eth_call for the same page, measured on a trail of 40
   * entries and on one of 120 (with another data set's 120 between them), is equal; the
   * record's own cost is printed.
   */
  @Test
  void anAuditPageCostsTheSameWhateverTheTrailsLength() {
    long id = s.publish("GA-1", SharingClass.UNCONDITIONAL);
    long other = s.publish("GA-2", SharingClass.UNCONDITIONAL);
    List<Long> mine = new ArrayList<>();
    long gas = 0;
    for (int i = 0; i < 240; i++) {
      long dataset = i % 2 == 0 ? id : other;
      TransactionResult r = s.ok(PROVIDER, accessCall(dataset, 0, department(OTHER),
          Rule.NO_GRANT, MASK, new byte[32]));
      gas = r.gasUsed();
      if (dataset == id) {
        mine.add(SharingChain.number(r));
      }
    }
    System.out.println("recordAccess (a denial, department seen before): " + gas + " gas");
    assertEquals(mine.subList(50, 70), DataSharing.auditPage(s.chain.state, id, 50, 20));
    assertEquals(120, DataSharing.auditCount(s.chain.state, id));
    long late = pageGas(id);
    s.chain.nextBlock();
    SharingChain fresh = new SharingChain(CryptoSuite.ethereum());
    long freshId = fresh.publish("GA-1", SharingClass.UNCONDITIONAL);
    LongStream.range(0, 40).forEach(i -> fresh.ok(PROVIDER, accessCall(freshId, 0,
        department(OTHER), Rule.NO_GRANT, MASK, new byte[32])));
    long early = fresh.chain.simulate(OUTSIDER, SharingChain.SHARING, call(
        DataSharingContract.AUDIT_OF_DATASET, u64(freshId), u64(10), u64(20))).gasUsed();
    assertEquals(early, late, "a page of 20 at 40 entries and at 120");
  }

  /**
   * What each step costs, printed for docs/sharing.md, and held to a budget: an audit entry
   * under 300,000 gas, so that a 100M-gas block records over 330 access attempts.
   */
  @Test
  void eachStepsGasIsWithinItsBudget() {
    TransactionResult publish = s.ok(PROVIDER, publishCall("GA-1", "人口基本信息", FIELDS,
        SharingClass.CONDITIONAL));
    TransactionResult apply = s.ok(REQUESTER, applyCall(1, MASK, s.now() + 90 * DAY));
    TransactionResult check = s.ok(AUTHORITY, checkCall(1, true, ""));
    TransactionResult approve = s.ok(PROVIDER, approveCall(1, MASK));
    TransactionResult delivery = s.ok(PROVIDER, accessCall(1, 1, department(REQUESTER),
        Rule.OK, MASK, payload("b")));
    TransactionResult denial = s.ok(PROVIDER, accessCall(1, 1, department(OTHER),
        Rule.WRONG_DEPARTMENT, MASK, new byte[32]));
    System.out.printf("gas: publish %d, apply %d, check %d, approve %d, recordAccess of a"
        + " delivery %d, of a denial %d%n", publish.gasUsed(), apply.gasUsed(), check.gasUsed(),
        approve.gasUsed(), delivery.gasUsed(), denial.gasUsed());
    assertTrue(delivery.gasUsed() < 300_000, "a delivery's entry: " + delivery.gasUsed());
    assertTrue(denial.gasUsed() < 300_000, "a denial's entry: " + denial.gasUsed());
  }

  private long pageGas(long dataset) {
    return s.chain.simulate(OUTSIDER, SharingChain.SHARING, call(
        DataSharingContract.AUDIT_OF_DATASET, u64(dataset), u64(10), u64(20))).gasUsed();
  }
}
