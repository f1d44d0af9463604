package io.chorus.state.system;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Signature;
import io.chorus.evm.Address;
import io.chorus.evm.Status;
import io.chorus.evm.Word;
import io.chorus.state.TransactionResult;
import io.chorus.state.system.Receivables.Rule;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A {@link NotaryChain} set up for receivables: account 0 is a core enterprise (role
 * receivables.obligor), 1 and 2 its suppliers, 3 and 4 banks (role receivables.bank), 5-7 the
 * governance committee, 6 also the regulator (role receivables.regulator). Calls go to the
 * contract as signed transactions; a refusal is checked to leave the contract's storage and
 * logs as they were.
 */
final class ReceivablesChain {
  static final int OBLIGOR = 0;
  static final int SUPPLIER = 1;
  static final int SUPPLIER_2 = 2;
  static final int BANK = 3;
  static final int BANK_2 = 4;
  /** A governance member that is also the regulator (role receivables.regulator). */
  static final int REGULATOR = 6;
  static final long DAY = 86_400;
  static final Address RECEIVABLES = SystemContracts.RECEIVABLES;

  final NotaryChain chain;

  ReceivablesChain(CryptoSuite suite) {
    chain = new NotaryChain(suite, Map.of(
        OBLIGOR, Permissions.ROLE_RECEIVABLES_OBLIGOR,
        BANK, Permissions.ROLE_RECEIVABLES_BANK,
        BANK_2, Permissions.ROLE_RECEIVABLES_BANK,
        REGULATOR, Permissions.ROLE_RECEIVABLES_REGULATOR));
  }

  Address account(int i) {
    return chain.accounts[i];
  }

  /** The index of {@code account} among the test accounts. */
  int chainIndex(Address account) {
    return java.util.Arrays.asList(chain.accounts).indexOf(account);
  }

  /** Document hashes for a test: the suite hash of each label. */
  List<byte[]> documents(String... labels) {
    return java.util.Arrays.stream(labels).map(chain::content).toList();
  }

  /** The obligor's signature, r || s || v, over terms for {@code supplier}. */
  byte[] sign(int signer, int obligor, int supplier, BigInteger face, String currency,
      long maturity, List<byte[]> documents) {
    byte[] digest = Receivables.termsDigest(chain.hash, NotaryChain.CHAIN_ID,
        account(obligor), account(supplier), face, currency, maturity, documents);
    Signature s = chain.suite.sign(digest, chain.keys[signer]);
    byte[] out = new byte[65];
    System.arraycopy(Word.fromBigInteger(s.r()).toBytes(), 0, out, 0, 32);
    System.arraycopy(Word.fromBigInteger(s.s()).toBytes(), 0, out, 32, 32);
    out[64] = (byte) s.recoveryId();
    return out;
  }

  /** Call data of an issue by {@code supplier} that obligor 0 signed. */
  byte[] issueCall(int supplier, BigInteger face, String currency, long maturity,
      List<byte[]> documents) {
    return call(ReceivablesContract.ISSUE, Abi.toAbi(account(OBLIGOR)), face, currency,
        BigInteger.valueOf(maturity), documents.toArray(byte[][]::new), chain.keys[OBLIGOR].publicKey(),
        sign(OBLIGOR, OBLIGOR, supplier, face, currency, maturity, documents));
  }

  /** Issues a receivable of {@code face} due in {@code days} to {@code supplier}: its id. */
  long issue(int supplier, long face, long days) {
    byte[] data = issueCall(supplier, BigInteger.valueOf(face), "CNY",
        chain.timestamp() + days * DAY, documents("invoice-" + Receivables.pieceCount(
            chain.state) + "-" + face));
    return number(ok(supplier, data));
  }

  static byte[] call(Function f, Object... args) {
    return f.encodeCallWithArgs(args).array();
  }

  TransactionResult send(int from, byte[] data) {
    return chain.send(from, RECEIVABLES, data);
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
    byte[] before = chain.state.storageRoot(RECEIVABLES);
    TransactionResult result = send(from, data);
    assertEquals(Status.REVERT, result.status(), "should have been refused");
    assertTrue(result.logs().isEmpty(), "a refusal logs nothing");
    assertArrayEquals(before, chain.state.storageRoot(RECEIVABLES), "a refusal changes nothing");
    String reason = NotaryChain.reason(result);
    Rule rule = Rule.ofReason(reason);
    assertNotNull(rule, "a reason starts with its code and rule: " + reason);
    return rule;
  }

  Receivables.Piece piece(long id) {
    return Receivables.piece(chain.state, id);
  }

  /** The answer of a pre-check view as {@code from}: its rule. */
  Rule precheck(int from, byte[] data) {
    Tuple answer = ReceivablesContract.CAN_TRANSFER.getOutputs().decode(
        chain.call(from, RECEIVABLES, data));
    byte[] code = answer.get(0);
    String message = answer.get(1);
    Rule rule = Rule.ofReason(message);
    assertNotNull(rule, message);
    assertEquals(rule.code(), code[0] & 0xff, message);
    return rule;
  }

  Rule canTransfer(int from, long id, int to, long value) {
    return precheck(from, call(ReceivablesContract.CAN_TRANSFER, BigInteger.valueOf(id),
        Abi.toAbi(account(to)), BigInteger.valueOf(value)));
  }

  Rule canFinance(int from, long id, int bank) {
    return precheck(from, call(ReceivablesContract.CAN_FINANCE, BigInteger.valueOf(id),
        Abi.toAbi(account(bank))));
  }

  static byte[] split(long id, Address to, long value) {
    return call(ReceivablesContract.TRANSFER_VALUE, BigInteger.valueOf(id), Abi.toAbi(to),
        BigInteger.valueOf(value));
  }

  static byte[] offer(long id, Address bank, long price) {
    return call(ReceivablesContract.OFFER_FINANCING, BigInteger.valueOf(id), Abi.toAbi(bank),
        BigInteger.valueOf(price));
  }

  static byte[] accept(long id) {
    return call(ReceivablesContract.ACCEPT_FINANCING, BigInteger.valueOf(id));
  }

  static byte[] pay(long id, String reference) {
    byte[] ref = new byte[32];
    byte[] text = reference.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(text, 0, ref, 0, Math.min(32, text.length));
    return call(ReceivablesContract.PAY, BigInteger.valueOf(id), ref);
  }

  /** The committee passes a court order; returns the proposal's status once it took effect. */
  Governance.Proposal courtOrder(ProposalKind kind, Object... fields) {
    long id = Governance.proposalCount(chain.state) + 1;
    TransactionResult proposed = chain.send(NotaryChain.COMMITTEE[0], SystemContracts.GOVERNANCE,
        Governance.proposeCall(kind, kind.encode(fields), 10));
    assertTrue(proposed.success(), () -> NotaryChain.reason(proposed));
    TransactionResult voted = chain.send(NotaryChain.COMMITTEE[1], SystemContracts.GOVERNANCE,
        Governance.voteCall(id, true));
    assertTrue(voted.success(), () -> NotaryChain.reason(voted));
    chain.nextBlock();
    return Governance.proposal(chain.state, id, chain.number);
  }
}
