package io.chorus.state.system;

import static io.chorus.state.system.ReceivablesChain.BANK;
import static io.chorus.state.system.ReceivablesChain.BANK_2;
import static io.chorus.state.system.ReceivablesChain.DAY;
import static io.chorus.state.system.ReceivablesChain.OBLIGOR;
import static io.chorus.state.system.ReceivablesChain.SUPPLIER;
import static io.chorus.state.system.ReceivablesChain.SUPPLIER_2;
import static io.chorus.state.system.ReceivablesChain.accept;
import static io.chorus.state.system.ReceivablesChain.call;
import static io.chorus.state.system.ReceivablesChain.offer;
import static io.chorus.state.system.ReceivablesChain.pay;
import static io.chorus.state.system.ReceivablesChain.split;
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
import io.chorus.state.system.Receivables.Rule;
import io.chorus.state.system.Receivables.State;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The receivables contract's rules, one by one, through signed transactions as a node applies
 * them: each operation's effect and events, and each refusal with its reason code, checked
 * (by {@link ReceivablesChain#refused}) to leave the contract's storage as it was and to log
 * nothing; the pre-checks answer the code the operation is refused with.
 */
class ReceivablesTest {
  final ReceivablesChain r = new ReceivablesChain(CryptoSuite.ethereum());

  static BigInteger big(long value) {
    return BigInteger.valueOf(value);
  }

  static Word topic(String signature) {
    return Word.fromBytes(Keccak256.INSTANCE.hash(signature.getBytes(StandardCharsets.US_ASCII)));
  }

  // ---- issue ---------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"ethereum", "sm"})
  void anIssueOnTheObligorsSignatureMakesARootPieceOfTheSupplier(String suite) {
    ReceivablesChain r = new ReceivablesChain(CryptoSuite.byName(suite));
    long maturity = r.chain.timestamp() + 90 * DAY;
    List<byte[]> documents = r.documents("contract", "invoice");
    TransactionResult result = r.ok(SUPPLIER, r.issueCall(SUPPLIER, big(1_000_000), "CNY",
        maturity, documents));
    assertEquals(1, ReceivablesChain.number(result));

    Receivables.Piece piece = r.piece(1);
    assertEquals(big(1_000_000), piece.faceValue());
    assertEquals(big(1_000_000), piece.value());
    assertEquals(r.account(SUPPLIER), piece.holder());
    assertEquals(0, piece.parent());
    assertEquals(1, piece.root());
    assertEquals(State.ACTIVE, piece.state());
    assertEquals(Receivables.slot(r.account(OBLIGOR), maturity, "CNY"), piece.slot());
    Receivables.Terms terms = Receivables.terms(r.chain.state, 1);
    assertEquals(r.account(OBLIGOR), terms.obligor());
    assertEquals(maturity, terms.maturity());
    assertEquals(r.chain.timestamp(), terms.issuedAt());
    assertArrayEquals(documents.get(1), terms.documents().get(1));
    byte[] digest = Receivables.termsDigest(r.chain.hash, NotaryChain.CHAIN_ID,
        r.account(OBLIGOR), r.account(SUPPLIER), big(1_000_000), "CNY", maturity, documents);
    assertArrayEquals(digest, terms.digest());
    // termsDigest over eth_call is what the obligor's tools sign.
    assertArrayEquals(digest, ReceivablesContract.TERMS_DIGEST.getOutputs().decode(
        r.chain.call(OBLIGOR, ReceivablesChain.RECEIVABLES, call(
            ReceivablesContract.TERMS_DIGEST, Abi.toAbi(r.account(OBLIGOR)),
            Abi.toAbi(r.account(SUPPLIER)), big(1_000_000), "CNY", big(maturity),
            documents.toArray(byte[][]::new)))).get(0));

    List<Word> topics = result.logs().stream().map(l -> l.topics().getFirst()).toList();
    assertEquals(List.of(topic("Transfer(address,address,uint256)"),
        topic("SlotChanged(uint256,uint256,uint256)"),
        topic("TransferValue(uint256,uint256,uint256)"),
        topic("Issued(uint256,address,address,uint256,string,uint64,bytes32,string)")), topics);
    Tuple issued = ReceivableEvents.ISSUED.getNonIndexedParams().decode(
        result.logs().get(3).data());
    assertEquals("", issued.get(4), "no warning for 90 days");
  }

  @Test
  void aTermAboveSixMonthsIsIssuedWithAWarningInTheEvent() {
    TransactionResult result = r.ok(SUPPLIER, r.issueCall(SUPPLIER, big(500), "CNY",
        r.chain.timestamp() + 200 * DAY, r.documents("long")));
    Tuple issued = ReceivableEvents.ISSUED.getNonIndexedParams().decode(
        result.logs().get(3).data());
    assertTrue(((String) issued.get(4)).startsWith("term of 200 days exceeds the six-month"),
        (String) issued.get(4));
  }

  @Test
  void issuesBreakingTheTermsRulesAreRefusedWithTheirCodes() {
    long now = r.chain.timestamp();
    List<byte[]> docs = r.documents("d");
    assertEquals(Rule.BAD_MATURITY, r.refused(SUPPLIER, r.issueCall(SUPPLIER, big(1), "CNY",
        now, docs)), "maturity at the block time");
    assertEquals(Rule.BAD_MATURITY, r.refused(SUPPLIER, r.issueCall(SUPPLIER, big(1), "CNY",
        now + Receivables.TERM_SECONDS_MAX + 1, docs)), "a year and a second");
    assertEquals(Rule.BAD_VALUE, r.refused(SUPPLIER, r.issueCall(SUPPLIER, big(0), "CNY",
        now + DAY, docs)));
    assertEquals(Rule.BAD_TERMS, r.refused(SUPPLIER, r.issueCall(SUPPLIER, big(1), "cny",
        now + DAY, docs)));
    assertEquals(Rule.BAD_TERMS, r.refused(SUPPLIER, r.issueCall(SUPPLIER, big(1), "CNY",
        now + DAY, List.of())));
    // Exactly one year is allowed.
    r.ok(SUPPLIER, r.issueCall(SUPPLIER, big(1), "CNY", now + Receivables.TERM_SECONDS_MAX,
        docs));
    assertEquals(Rule.BAD_TERMS, r.refused(SUPPLIER, r.issueCall(SUPPLIER, big(1), "CNY",
        now + Receivables.TERM_SECONDS_MAX, docs)), "the same terms twice");
    assertEquals(1, Receivables.pieceCount(r.chain.state));
  }

  @Test
  void anIssueNeedsTheObligorsRoleAndItsOwnSignatureOverTheseTerms() {
    long maturity = r.chain.timestamp() + 30 * DAY;
    List<byte[]> docs = r.documents("d");
    // Supplier 2 has no obligor role: its own signature on its own terms does not do.
    byte[] notObligor = call(ReceivablesContract.ISSUE, Abi.toAbi(r.account(SUPPLIER_2)),
        big(10), "CNY", big(maturity), docs.toArray(byte[][]::new),
        r.chain.keys[SUPPLIER_2].publicKey(),
        r.sign(SUPPLIER_2, SUPPLIER_2, SUPPLIER, big(10), "CNY", maturity, docs));
    assertEquals(Rule.NOT_OBLIGOR, r.refused(SUPPLIER, notObligor));
    // Signed by another key than the obligor's.
    byte[] forged = call(ReceivablesContract.ISSUE, Abi.toAbi(r.account(OBLIGOR)), big(10),
        "CNY", big(maturity), docs.toArray(byte[][]::new), r.chain.keys[OBLIGOR].publicKey(),
        r.sign(SUPPLIER, OBLIGOR, SUPPLIER, big(10), "CNY", maturity, docs));
    assertEquals(Rule.BAD_SIGNATURE, r.refused(SUPPLIER, forged));
    // The obligor signed 10, the supplier asks for 1000.
    byte[] inflated = call(ReceivablesContract.ISSUE, Abi.toAbi(r.account(OBLIGOR)),
        big(1000), "CNY", big(maturity), docs.toArray(byte[][]::new),
        r.chain.keys[OBLIGOR].publicKey(),
        r.sign(OBLIGOR, OBLIGOR, SUPPLIER, big(10), "CNY", maturity, docs));
    assertEquals(Rule.BAD_SIGNATURE, r.refused(SUPPLIER, inflated));
    // Signed for supplier 1, sent by supplier 2.
    assertEquals(Rule.BAD_SIGNATURE, r.refused(SUPPLIER_2, r.issueCall(SUPPLIER, big(10),
        "CNY", maturity, docs)));
    // Another account's key presented as the obligor's.
    byte[] wrongKey = call(ReceivablesContract.ISSUE, Abi.toAbi(r.account(OBLIGOR)), big(10),
        "CNY", big(maturity), docs.toArray(byte[][]::new), r.chain.keys[SUPPLIER].publicKey(),
        r.sign(SUPPLIER, OBLIGOR, SUPPLIER, big(10), "CNY", maturity, docs));
    assertEquals(Rule.BAD_SIGNATURE, r.refused(SUPPLIER, wrongKey));
    assertEquals(0, Receivables.pieceCount(r.chain.state));
  }

  // ---- split-transfer ------------------------------------------------------------------------

  @Test
  void aSplitMakesANewPieceWhoseValueComesFromItsParentToTheUnit() {
    long root = r.issue(SUPPLIER, 1_000, 60);
    TransactionResult result = r.ok(SUPPLIER, split(root, r.account(SUPPLIER_2), 301));
    long child = ReceivablesChain.number(result);
    long grandchild = ReceivablesChain.number(r.ok(SUPPLIER_2,
        split(child, r.account(BANK), 1)));

    assertEquals(big(699), r.piece(root).value());
    assertEquals(big(300), r.piece(child).value());
    assertEquals(big(1), r.piece(grandchild).value());
    assertEquals(root, r.piece(child).parent());
    assertEquals(child, r.piece(grandchild).parent());
    assertEquals(root, r.piece(grandchild).root());
    assertEquals(r.piece(root).slot(), r.piece(grandchild).slot());
    assertEquals(big(1_000), r.piece(grandchild).faceValue());
    assertEquals(List.of(child), Receivables.children(r.chain.state, root));
    assertEquals(List.of(root, child, grandchild), Receivables.pieces(r.chain.state, root));
    Log value = result.logs().get(2);
    assertEquals(List.of(topic("TransferValue(uint256,uint256,uint256)"), Word.of(root),
        Word.of(child)), value.topics());
    assertEquals(big(301), new BigInteger(1, value.data()));
    // The whole value may move: the piece keeps 0.
    r.ok(SUPPLIER, split(root, r.account(SUPPLIER_2), 699));
    assertEquals(BigInteger.ZERO, r.piece(root).value());
  }

  @Test
  void splitsBreakingTheRulesAreRefusedAndThePrecheckGivesTheSameCode() {
    long root = r.issue(SUPPLIER, 1_000, 60);
    assertEquals(Rule.INSUFFICIENT_VALUE, r.refused(SUPPLIER,
        split(root, r.account(SUPPLIER_2), 1_001)));
    assertEquals(Rule.INSUFFICIENT_VALUE, r.canTransfer(SUPPLIER, root, SUPPLIER_2, 1_001));
    assertEquals(Rule.NOT_HOLDER, r.refused(SUPPLIER_2, split(root, r.account(SUPPLIER_2), 1)));
    assertEquals(Rule.NOT_HOLDER, r.canTransfer(SUPPLIER_2, root, SUPPLIER_2, 1));
    assertEquals(Rule.BAD_VALUE, r.refused(SUPPLIER, split(root, r.account(SUPPLIER_2), 0)));
    assertEquals(Rule.BAD_RECEIVER, r.refused(SUPPLIER, split(root,
        io.chorus.evm.Address.of(new byte[20]), 1)));
    assertEquals(Rule.NO_PIECE, r.refused(SUPPLIER, split(99, r.account(SUPPLIER_2), 1)));
    assertEquals(Rule.NO_PIECE, r.canTransfer(SUPPLIER, 99, SUPPLIER_2, 1));
    assertEquals(Rule.OK, r.canTransfer(SUPPLIER, root, SUPPLIER_2, 1_000));
  }

  @Test
  void anApprovedOperatorMovesUpToItsAllowanceWhichNewHoldersDoNotInherit() {
    long root = r.issue(SUPPLIER, 1_000, 60);
    r.ok(SUPPLIER, call(ReceivablesContract.APPROVE_VALUE, big(root),
        Abi.toAbi(r.account(SUPPLIER_2)), big(400)));
    r.ok(SUPPLIER_2, split(root, r.account(SUPPLIER_2), 300));
    assertEquals(Rule.INSUFFICIENT_ALLOWANCE, r.refused(SUPPLIER_2,
        split(root, r.account(SUPPLIER_2), 101)));
    r.ok(SUPPLIER_2, split(root, r.account(SUPPLIER_2), 100));
    assertEquals(Rule.NOT_HOLDER, r.refused(SUPPLIER_2, split(root, r.account(SUPPLIER_2), 1)),
        "the allowance is spent");

    // ERC-721: the whole piece to another holder, same id; its approvals stay with the old one.
    r.ok(SUPPLIER, call(ReceivablesContract.APPROVE_VALUE, big(root),
        Abi.toAbi(r.account(SUPPLIER_2)), big(50)));
    r.ok(SUPPLIER, call(ReceivablesContract.TRANSFER, Abi.toAbi(r.account(SUPPLIER)),
        Abi.toAbi(r.account(BANK_2)), big(root)));
    assertEquals(r.account(BANK_2), r.piece(root).holder());
    assertEquals(big(600), r.piece(root).value());
    assertEquals(Rule.NOT_HOLDER, r.refused(SUPPLIER_2, split(root, r.account(SUPPLIER_2), 1)));
    assertEquals(Rule.NOT_HOLDER, r.refused(SUPPLIER, call(ReceivablesContract.TRANSFER,
        Abi.toAbi(r.account(SUPPLIER)), Abi.toAbi(r.account(SUPPLIER_2)), big(root))));
  }

  // ---- financing -----------------------------------------------------------------------------

  @Test
  void anAcceptedOfferFinancesThePieceAtomicallyAndLocksIt() {
    long root = r.issue(SUPPLIER, 1_000, 60);
    long piece = ReceivablesChain.number(r.ok(SUPPLIER, split(root, r.account(SUPPLIER_2),
        400)));
    assertEquals(Rule.OK, r.canFinance(SUPPLIER_2, piece, BANK));
    r.ok(SUPPLIER_2, offer(piece, r.account(BANK), 390));
    assertEquals(State.OFFERED, r.piece(piece).state());
    assertEquals(Rule.OK, r.canFinance(BANK, piece, BANK), "the bank may accept");
    assertEquals(Rule.NO_OFFER, r.refused(BANK_2, accept(piece)));
    TransactionResult accepted = r.ok(BANK, accept(piece));

    Receivables.Piece financed = r.piece(piece);
    assertEquals(State.FINANCED, financed.state());
    assertEquals(r.account(BANK), financed.lienHolder());
    assertEquals(r.account(SUPPLIER_2), financed.holder());
    Tuple financing = ReceivablesContract.FINANCING_OF.getOutputs().decode(r.chain.call(0,
        ReceivablesChain.RECEIVABLES, call(ReceivablesContract.FINANCING_OF, big(piece))));
    assertEquals(big(390), financing.get(1));
    assertEquals(big(10), financing.get(2), "the discount");
    assertEquals(topic("Financed(uint256,address,address,uint256,uint256)"),
        accepted.logs().getFirst().topics().getFirst());

    // Locked: no split, no transfer, no second financing, by any bank.
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER_2, split(piece, r.account(SUPPLIER), 1)));
    assertEquals(Rule.LOCKED, r.canTransfer(SUPPLIER_2, piece, SUPPLIER, 1));
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER_2, call(ReceivablesContract.TRANSFER,
        Abi.toAbi(r.account(SUPPLIER_2)), Abi.toAbi(r.account(SUPPLIER)), big(piece))));
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER_2, offer(piece, r.account(BANK_2), 1)));
    assertEquals(Rule.LOCKED, r.canFinance(SUPPLIER_2, piece, BANK_2));
    assertEquals(Rule.LOCKED, r.refused(BANK, accept(piece)));
    // The rest of the receivable is not locked.
    r.ok(SUPPLIER, split(root, r.account(SUPPLIER_2), 1));
  }

  @Test
  void offersBreakingTheRulesAreRefusedAndTheHolderOrBankMayCancel() {
    long root = r.issue(SUPPLIER, 1_000, 60);
    assertEquals(Rule.NOT_BANK, r.refused(SUPPLIER, offer(root, r.account(SUPPLIER_2), 900)));
    assertEquals(Rule.NOT_BANK, r.canFinance(SUPPLIER, root, SUPPLIER_2));
    assertEquals(Rule.NOT_HOLDER, r.refused(SUPPLIER_2, offer(root, r.account(BANK), 900)));
    assertEquals(Rule.BAD_PRICE, r.refused(SUPPLIER, offer(root, r.account(BANK), 1_001)));
    assertEquals(Rule.BAD_PRICE, r.refused(SUPPLIER, offer(root, r.account(BANK), 0)));
    assertEquals(Rule.NO_OFFER, r.refused(BANK, accept(root)));
    r.ok(SUPPLIER, offer(root, r.account(BANK), 950));
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER, split(root, r.account(SUPPLIER_2), 1)),
        "an offered piece is locked too");
    r.ok(BANK, call(ReceivablesContract.CANCEL_FINANCING, big(root)));
    assertEquals(State.ACTIVE, r.piece(root).state());
    r.ok(SUPPLIER, split(root, r.account(SUPPLIER_2), 1));
  }

  @Test
  void conflictingFinancingInOneBlockFinancesAPieceOnceAndTheRestIsRefused() {
    long root = r.issue(SUPPLIER, 1_000, 60);
    r.chain.nextBlock();
    long block = r.chain.number;
    // One block, in this order: two offers to two banks, two acceptances, a split, a transfer.
    r.ok(SUPPLIER, offer(root, r.account(BANK), 900));
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER, offer(root, r.account(BANK_2), 950)));
    assertEquals(Rule.NO_OFFER, r.refused(BANK_2, accept(root)));
    r.ok(BANK, accept(root));
    assertEquals(Rule.LOCKED, r.refused(BANK, accept(root)));
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER, split(root, r.account(SUPPLIER_2), 1)));
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER, call(ReceivablesContract.TRANSFER,
        Abi.toAbi(r.account(SUPPLIER)), Abi.toAbi(r.account(SUPPLIER_2)), big(root))));
    assertEquals(block, r.chain.number, "all in one block");
    assertEquals(r.account(BANK), r.piece(root).lienHolder());
    assertEquals(big(1_000), r.piece(root).value());
  }

  @Test
  void aMaturedPieceIsNotFinanced() {
    long root = r.issue(SUPPLIER, 1_000, 30);
    r.chain.skip(30 * DAY);
    assertEquals(Rule.MATURED, r.refused(SUPPLIER, offer(root, r.account(BANK), 900)));
  }

  // ---- maturity ------------------------------------------------------------------------------

  @Test
  void theObligorPaysEachPieceAtMaturityToItsLienHolderOrHolderOnce() {
    long root = r.issue(SUPPLIER, 1_000, 30);
    long sold = ReceivablesChain.number(r.ok(SUPPLIER, split(root, r.account(SUPPLIER_2),
        600)));
    r.ok(SUPPLIER_2, offer(sold, r.account(BANK), 590));
    r.ok(BANK, accept(sold));
    assertEquals(Rule.NOT_DUE, r.refused(OBLIGOR, pay(root, "early")));

    r.chain.skip(30 * DAY);
    assertEquals(Rule.NOT_OBLIGOR, r.refused(SUPPLIER, pay(root, "self-paid")));
    assertTrue(Receivables.piece(r.chain.state, root).state() == State.ACTIVE);
    Tuple overdue = ReceivablesContract.OVERDUE_OF.getOutputs().decode(r.chain.call(0,
        ReceivablesChain.RECEIVABLES, call(ReceivablesContract.OVERDUE_OF, big(sold))));
    assertArrayEquals(new BigInteger[] {big(root), big(sold)}, overdue.get(0));

    TransactionResult paid = r.ok(OBLIGOR, pay(sold, "CNAPS-0001"));
    Log log = paid.logs().getFirst();
    assertEquals(topic("Paid(uint256,address,address,uint256,bytes32)"),
        log.topics().getFirst());
    assertEquals(Abi.topic(r.account(BANK)), log.topics().get(3), "the bank is paid");
    r.ok(OBLIGOR, pay(root, "CNAPS-0002"));
    assertEquals(State.PAID, r.piece(root).state());
    assertEquals("CNAPS-0002", new String(r.piece(root).paidRef(), StandardCharsets.US_ASCII)
        .replace("\0", ""));
    assertEquals(Rule.PAID, r.refused(OBLIGOR, pay(sold, "CNAPS-0003")));
    assertEquals(Rule.PAID, r.refused(SUPPLIER, split(root, r.account(SUPPLIER_2), 1)));
    assertFalse((boolean) ReceivablesContract.IS_OVERDUE.getOutputs().decode(r.chain.call(0,
        ReceivablesChain.RECEIVABLES, call(ReceivablesContract.IS_OVERDUE, big(root)))).get(0));
  }

  @Test
  void aPieceWhoseValueWasSplitAwayHasNothingToPay() {
    long root = r.issue(SUPPLIER, 10, 1);
    r.ok(SUPPLIER, split(root, r.account(SUPPLIER_2), 10));
    r.chain.skip(DAY);
    assertEquals(Rule.BAD_VALUE, r.refused(OBLIGOR, pay(root, "nothing")));
  }

  // ---- legal control -------------------------------------------------------------------------

  @Test
  void aCourtFreezeByGovernanceStopsEveryMoveUntilUnfrozen() {
    long root = r.issue(SUPPLIER, 1_000, 30);
    r.ok(SUPPLIER, offer(root, r.account(BANK), 900));
    Governance.Proposal frozen = r.courtOrder(ProposalKind.RECEIVABLE_FREEZE, big(root),
        "(2026)沪0115执保1234号");
    assertEquals(Governance.Status.EXECUTED, frozen.status(), frozen.failure());
    assertTrue(r.piece(root).frozen());
    assertEquals(State.ACTIVE, r.piece(root).state(), "the open offer lapsed");
    assertEquals(Rule.FROZEN, r.refused(SUPPLIER, split(root, r.account(SUPPLIER_2), 1)));
    assertEquals(Rule.FROZEN, r.canTransfer(SUPPLIER, root, SUPPLIER_2, 1));
    assertEquals(Rule.FROZEN, r.refused(SUPPLIER, offer(root, r.account(BANK), 900)));
    assertEquals(Rule.FROZEN, r.refused(BANK, accept(root)));
    r.chain.skip(30 * DAY);
    assertEquals(Rule.FROZEN, r.refused(OBLIGOR, pay(root, "to a frozen piece")));

    Governance.Proposal again = r.courtOrder(ProposalKind.RECEIVABLE_FREEZE, big(root), "x");
    assertEquals(Governance.Status.FAILED, again.status());
    assertTrue(again.failure().startsWith("0x54 frozen:"), again.failure());

    assertEquals(Governance.Status.EXECUTED, r.courtOrder(ProposalKind.RECEIVABLE_UNFREEZE,
        big(root), "(2026)沪0115执保1234号之一").status());
    r.ok(OBLIGOR, pay(root, "after release"));
    assertEquals(List.of(new Receivables.CourtOrder(ProposalKind.RECEIVABLE_FREEZE,
        "(2026)沪0115执保1234号"), new Receivables.CourtOrder(ProposalKind.RECEIVABLE_UNFREEZE,
        "(2026)沪0115执保1234号之一")), Receivables.courtOrders(r.chain.state, root));
  }

  @Test
  void aForcedTransferMovesValueWithoutTheHolderAndIsRecorded() {
    long root = r.issue(SUPPLIER, 1_000, 30);
    Governance.Proposal order = r.courtOrder(ProposalKind.RECEIVABLE_FORCE_TRANSFER,
        big(root), r.account(SUPPLIER_2), big(250), "(2026)京01执100号");
    assertEquals(Governance.Status.EXECUTED, order.status(), order.failure());
    long moved = Receivables.pieceCount(r.chain.state);
    assertEquals(r.account(SUPPLIER_2), r.piece(moved).holder());
    assertEquals(big(250), r.piece(moved).value());
    assertEquals(root, r.piece(moved).parent());
    assertEquals(big(750), r.piece(root).value());
    assertEquals("(2026)京01执100号",
        Receivables.courtOrders(r.chain.state, root).getFirst().reference());

    Governance.Proposal tooMuch = r.courtOrder(ProposalKind.RECEIVABLE_FORCE_TRANSFER,
        big(root), r.account(SUPPLIER_2), big(751), "(2026)京01执101号");
    assertEquals(Governance.Status.FAILED, tooMuch.status());
    assertTrue(tooMuch.failure().startsWith("0x52 insufficient-value:"), tooMuch.failure());
    // No court reference: refused when proposed.
    TransactionResult proposed = r.chain.send(NotaryChain.COMMITTEE[0],
        SystemContracts.GOVERNANCE, Governance.proposeCall(ProposalKind.RECEIVABLE_FREEZE,
            ProposalKind.RECEIVABLE_FREEZE.encode(big(root), " "), 10));
    assertTrue(NotaryChain.reason(proposed).startsWith("0xad bad-court-order:"),
        NotaryChain.reason(proposed));
  }

  @Test
  void aViewOfAPieceThatDoesNotExistIsRefusedWithItsCode() {
    r.issue(SUPPLIER, 1_000, 30);
    assertNull(Receivables.piece(r.chain.state, 42));
    TransactionResult view = r.chain.simulate(0, ReceivablesChain.RECEIVABLES,
        call(ReceivablesContract.PIECE_OF, big(42)));
    assertFalse(view.success());
    assertTrue(NotaryChain.reason(view).startsWith("0xa0 no-piece:"), NotaryChain.reason(view));
    assertEquals(Rule.NO_PIECE, r.canFinance(SUPPLIER, 42, BANK));
  }
}
