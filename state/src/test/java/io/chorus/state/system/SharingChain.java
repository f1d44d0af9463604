package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.evm.Status;
import io.chorus.state.TransactionResult;
import io.chorus.state.system.DataSharing.Rule;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * A {@link NotaryChain} set up for data sharing: accounts 0, 1 and 2 act for three departments
 * (bound by governance votes, as a chain binds them), 3 is the data authority (role
 * sharing.authority from genesis), 4 acts for no department, 5-7 are the committee. Calls go to
 * the contract as signed transactions; a refusal is checked to leave the contract's storage as
 * it was and to log nothing.
 */
final class SharingChain {
  static final int PROVIDER = 0;
  static final int REQUESTER = 1;
  static final int OTHER = 2;
  static final int AUTHORITY = 3;
  static final int OUTSIDER = 4;
  static final List<String> DEPARTMENTS = List.of("市公安局", "市民政局", "市卫生健康委员会");
  static final List<String> FIELDS = List.of("name", "id_number", "address", "household",
      "birth_date");
  static final Address SHARING = SystemContracts.DATA_SHARING;

  final NotaryChain chain;

  SharingChain(CryptoSuite suite) {
    chain = new NotaryChain(suite, Map.of(AUTHORITY, Permissions.ROLE_SHARING_AUTHORITY));
    for (int i = 0; i < DEPARTMENTS.size(); i++) {
      assertEquals(Governance.Status.EXECUTED, bind(i, DEPARTMENTS.get(i)).status());
    }
  }

  /** The committee binds account {@code i} to a department ("" unbinds): the proposal. */
  Governance.Proposal bind(int i, String department) {
    long id = Governance.proposalCount(chain.state) + 1;
    ProposalKind kind = ProposalKind.SHARING_DEPARTMENT;
    TransactionResult proposed = chain.send(NotaryChain.COMMITTEE[0], SystemContracts.GOVERNANCE,
        Governance.proposeCall(kind, kind.encode(chain.accounts[i], department), 10));
    assertTrue(proposed.success(), () -> NotaryChain.reason(proposed));
    TransactionResult voted = chain.send(NotaryChain.COMMITTEE[1], SystemContracts.GOVERNANCE,
        Governance.voteCall(id, true));
    assertTrue(voted.success(), () -> NotaryChain.reason(voted));
    chain.nextBlock();
    return Governance.proposal(chain.state, id, chain.number);
  }

  static String department(int account) {
    return DEPARTMENTS.get(account);
  }

  long now() {
    return chain.timestamp();
  }

  static byte[] call(Function f, Object... args) {
    return f.encodeCallWithArgs(args).array();
  }

  static BigInteger u64(long value) {
    return SharingEvents.u64(value);
  }

  TransactionResult send(int from, byte[] data) {
    return chain.send(from, SHARING, data);
  }

  /** A transaction that must succeed: its result. */
  TransactionResult ok(int from, byte[] data) {
    TransactionResult result = send(from, data);
    assertTrue(result.success(), () -> "reverted: " + NotaryChain.reason(result));
    return result;
  }

  static long number(TransactionResult result) {
    return new BigInteger(1, result.output()).longValueExact();
  }

  /**
   * A transaction that must be refused: the rule its reason names, after checking that it
   * changed nothing of the contract (storage root) and logged nothing.
   */
  Rule refused(int from, byte[] data) {
    byte[] before = chain.state.storageRoot(SHARING);
    TransactionResult result = send(from, data);
    assertEquals(Status.REVERT, result.status(), "should have been refused");
    assertTrue(result.logs().isEmpty(), "a refusal logs nothing");
    assertArrayEquals(before, chain.state.storageRoot(SHARING), "a refusal changes nothing");
    String reason = NotaryChain.reason(result);
    Rule rule = Rule.ofReason(reason);
    assertNotNull(rule, "a reason starts with its code and rule: " + reason);
    return rule;
  }

  /** The answer of a view as eth_call gives it. */
  Tuple view(Function f, Object... args) {
    return f.getOutputs().decode(chain.call(OUTSIDER, SHARING, call(f, args)));
  }

  // ---- calls ---------------------------------------------------------------------------------

  static byte[] publishCall(String code, String title, List<String> fields,
      DataSharing.SharingClass sharing) {
    return call(DataSharingContract.PUBLISH, code, title, fields.toArray(String[]::new),
        sharing.ordinal(), DataSharing.UpdateCycle.DAILY.ordinal());
  }

  /** Publishes a data set of {@link #FIELDS} as the provider: its id. */
  long publish(String code, DataSharing.SharingClass sharing) {
    return number(ok(PROVIDER, publishCall(code, "人口基本信息 " + code, FIELDS, sharing)));
  }

  static byte[] applyCall(long dataset, long mask, long expiresAt) {
    return call(DataSharingContract.APPLY, u64(dataset), "核查低保申请人户籍",
        "最低生活保障审核", u64(mask), u64(expiresAt));
  }

  /** Applies as {@code from} for {@code mask} of {@code dataset} for 90 days: the id. */
  long apply(int from, long dataset, long mask) {
    return number(ok(from, applyCall(dataset, mask, now() + 90 * 86_400L)));
  }

  static byte[] checkCall(long request, boolean pass, String reason) {
    return call(DataSharingContract.CHECK, u64(request), pass, reason);
  }

  static byte[] approveCall(long request, long mask) {
    return call(DataSharingContract.APPROVE, u64(request), u64(mask));
  }

  static byte[] refuseCall(long request, String reason) {
    return call(DataSharingContract.REFUSE, u64(request), reason);
  }

  static byte[] revokeCall(long request, String reason) {
    return call(DataSharingContract.REVOKE, u64(request), reason);
  }

  static byte[] extendCall(long request, String reason) {
    return call(DataSharingContract.EXTEND, u64(request), reason);
  }

  static byte[] accessCall(long dataset, long grant, String department, Rule outcome,
      long mask, byte[] payloadHash) {
    byte[] requester = new byte[32];
    requester[31] = 7;
    return call(DataSharingContract.RECORD_ACCESS, u64(dataset), u64(grant), department,
        requester, outcome.code(), u64(mask), payloadHash);
  }

  DataSharing.Request request(long id) {
    return DataSharing.request(chain.state, id, now());
  }

  /** isGranted as eth_call answers it: the rule, checked against its code and message. */
  Rule isGranted(long dataset, String department, long mask) {
    Tuple answer = view(DataSharingContract.IS_GRANTED, u64(dataset), department, u64(mask));
    return rule(answer.get(0), answer.get(1));
  }

  Rule canUse(long grant, String department, long mask) {
    Tuple answer = view(DataSharingContract.CAN_USE, u64(grant), department, u64(mask));
    return rule(answer.get(0), answer.get(1));
  }

  private static Rule rule(byte[] code, String message) {
    Rule rule = Rule.ofReason(message);
    assertNotNull(rule, message);
    assertEquals(rule.code(), code[0] & 0xff, message);
    return rule;
  }
}
