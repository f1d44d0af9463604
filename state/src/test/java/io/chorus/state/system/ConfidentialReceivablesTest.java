package io.chorus.state.system;

import static io.chorus.state.system.ReceivablesChain.BANK;
import static io.chorus.state.system.ReceivablesChain.BANK_2;
import static io.chorus.state.system.ReceivablesChain.DAY;
import static io.chorus.state.system.ReceivablesChain.OBLIGOR;
import static io.chorus.state.system.ReceivablesChain.SUPPLIER;
import static io.chorus.state.system.ReceivablesChain.SUPPLIER_2;
import static io.chorus.state.system.ReceivablesChain.accept;
import static io.chorus.state.system.ReceivablesChain.offer;
import static io.chorus.state.system.ReceivablesChain.pay;
import static io.chorus.state.system.ReceivablesChain.split;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crypto.CommitmentException;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.EnvelopeException;
import io.chorus.crypto.ValueCommitments;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.state.TransactionResult;
import io.chorus.state.system.ConfidentialParties.Secret;
import io.chorus.state.system.Receivables.Event;
import io.chorus.state.system.Receivables.ProofPurpose;
import io.chorus.state.system.Receivables.Rule;
import io.chorus.state.system.Receivables.State;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Confidential receivables through signed transactions: amounts read 0 in clear and only the
 * parties open them; the chain still refuses every amount it cannot prove in range, so value
 * is conserved (the pieces' commitments add up to the face value's) and never negative; every
 * refusal changes nothing ({@link ReceivablesChain#refused}).
 */
class ConfidentialReceivablesTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ConfidentialParties p;
  private ReceivablesChain r;
  private ValueCommitments commitments;

  ConfidentialReceivablesTest() {
    use(CryptoSuite.ethereum());
  }

  /** A fresh chain of {@code suite}, for a test that runs in each. */
  private void use(CryptoSuite suite) {
    p = new ConfidentialParties(suite);
    r = p.r;
    commitments = p.commitments;
  }

  @ParameterizedTest
  @ValueSource(strings = {"ethereum", "sm"})
  void aConfidentialReceivableIsIssuedSplitFinancedAndPaidWithoutItsAmountsInClear(
      String suiteName) throws Exception {
    use(CryptoSuite.byName(suiteName));
    Secret face = p.secret(1_000_000_00L);
    TransactionResult issued = r.ok(SUPPLIER, p.issueCall(face, r.chain.timestamp() + 90 * DAY,
        p.proof(face, 1, ProofPurpose.FACE_VALUE, 0), p.seal(face.commitment(),
            List.of(face.opening()), SUPPLIER, OBLIGOR)));
    long root = ReceivablesChain.number(issued);
    Receivables.Piece piece = r.piece(root);
    assertTrue(piece.confidential());
    assertEquals(BigInteger.ZERO, piece.faceValue(), "no amount in clear");
    assertEquals(BigInteger.ZERO, piece.value());
    assertArrayEquals(face.commitment(), piece.commitment());
    assertArrayEquals(face.commitment(), Receivables.faceCommitment(r.chain.state, root));
    assertEquals(List.of(face.opening()), p.open(issued, SUPPLIER));
    assertEquals(List.of(face.opening()), p.open(issued, OBLIGOR));

    // The supplier splits 400,000.00 off to its own supplier: both open what they hold.
    Secret part = p.secret(400_000_00L);
    TransactionResult split = r.ok(SUPPLIER, p.splitCall(root, face, part, SUPPLIER_2));
    long child = ReceivablesChain.number(split);
    assertEquals(List.of(part.opening()), p.open(split, SUPPLIER_2));
    Secret kept = p.rest(face, part);
    assertArrayEquals(kept.commitment(), r.piece(root).commitment(), "the holder knows what"
        + " it keeps: its opening less the part's");
    assertEquals(List.of(kept.opening()), p.open(split, SUPPLIER, 1), "and reads it back");
    assertEquals(BigInteger.valueOf(600_000_00L), kept.value());
    // Value conserved, checked by anyone from the commitments alone.
    assertArrayEquals(face.commitment(), commitments.add(r.piece(root).commitment(),
        r.piece(child).commitment()));

    // Supplier 2 sells its piece to a bank at 390,000.00; the bank opens value and price.
    Secret price = p.secret(390_000_00L);
    TransactionResult offered = r.ok(SUPPLIER_2, p.offerCall(child, part, price, BANK));
    assertEquals(List.of(part.opening(), price.opening()), p.open(offered, BANK));
    assertArrayEquals(price.commitment(), Receivables.priceCommitment(r.chain.state, child));
    r.ok(BANK, accept(child));
    assertEquals(State.FINANCED, r.piece(child).state());
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER_2, p.splitCall(child, part,
        p.secret(1), SUPPLIER)), "no split after financing");
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER_2, p.offerCall(child, part, price, BANK_2)),
        "no second financing");

    // At maturity the obligor pays each piece the amount it opened.
    r.chain.skip(91 * DAY);
    for (long id : new long[] {root, child}) {
      TransactionResult paid = r.ok(OBLIGOR, pay(id, "transfer " + id));
      Log log = paid.logs().stream().filter(l -> Event.of(l) == Event.PAID).findFirst()
          .orElseThrow();
      Tuple fields = ReceivableEvents.PAID.getNonIndexedParams().decode(log.data());
      assertEquals(BigInteger.ZERO, fields.get(0), "the paid amount stays between the parties");
    }
    assertEquals(State.PAID, r.piece(child).state());
    assertArrayEquals(price.commitment(), Receivables.priceCommitment(r.chain.state, child),
        "the financing's price stays committed");
  }

  @Test
  void anIssueIsRefusedUnlessItsFaceValueIsProvenAndSealedForBothParties() {
    Secret face = p.secret(5_000);
    long maturity = r.chain.timestamp() + 30 * DAY;
    byte[] openings = p.seal(face.commitment(), List.of(face.opening()), SUPPLIER, OBLIGOR);
    Secret other = p.secret(5_000);
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, p.issueCall(face, maturity,
        p.proof(other, 1, ProofPurpose.FACE_VALUE, 0), openings)), "another commitment's proof");
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, p.issueCall(face, maturity,
        p.proof(face, 1, ProofPurpose.SPLIT, 0), openings)), "a proof made for another purpose");
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, p.issueCall(face, maturity,
        p.proof(face, 1, ProofPurpose.FACE_VALUE, 0), p.seal(face.commitment(),
            List.of(face.opening()), SUPPLIER))), "not sealed for the obligor");
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, p.issueCall(face, maturity,
        p.proof(face, 1, ProofPurpose.FACE_VALUE, 0), new byte[40])), "not an envelope");
    byte[] notAPoint = face.commitment().clone();
    notAPoint[0] = 4;
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, p.issueCall(new Secret(face.opening(),
        notAPoint), maturity, p.proof(face, 1, ProofPurpose.FACE_VALUE, 0), openings)));
    Secret zero = p.secret(0);
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, p.issueCall(zero, maturity,
        commitments.proveRange(BigInteger.ZERO, zero.opening().blinding(), BigInteger.ZERO,
            Receivables.proofContext(NotaryChain.CHAIN_ID, ProofPurpose.FACE_VALUE, 0), RANDOM),
        openings)), "a face value of 0, proven only ≥ 0");
    // The terms' rules hold as in clear.
    assertEquals(Rule.BAD_MATURITY, r.refused(SUPPLIER, p.issueCall(face,
        r.chain.timestamp() + 400 * DAY, p.proof(face, 1, ProofPurpose.FACE_VALUE, 0),
        openings)));
    r.ok(SUPPLIER, p.issueCall(face, maturity, p.proof(face, 1, ProofPurpose.FACE_VALUE, 0),
        openings));
  }

  @Test
  void noSplitTakesMoreThanThePieceHoldsOrLeavesItUnproven() throws CommitmentException {
    Secret face = p.secret(1_000);
    long root = p.issue(face);
    // 1,001 off 1,000: the part proves ≥ 1, but what is left is -1 and no proof exists; the
    // holder's best try is a proof of some other amount.
    Secret tooMuch = p.secret(1_001);
    Secret fake = p.secret(5);
    byte[] cheat = Receivables.splitConfidentialCall(root, r.account(SUPPLIER_2),
        tooMuch.commitment(), p.proof(tooMuch, 1, ProofPurpose.SPLIT, root),
        p.proof(fake, 0, ProofPurpose.REST, root), p.seal(tooMuch.commitment(),
            List.of(tooMuch.opening()), SUPPLIER_2, OBLIGOR), p.keptSeal(fake));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, cheat));
    // A zero part: proven ≥ 0 only.
    Secret nothing = p.secret(0);
    byte[] zero = Receivables.splitConfidentialCall(root, r.account(SUPPLIER_2),
        nothing.commitment(), commitments.proveRange(BigInteger.ZERO,
            nothing.opening().blinding(), BigInteger.ZERO, Receivables.proofContext(
                NotaryChain.CHAIN_ID, ProofPurpose.SPLIT, root), RANDOM),
        p.proof(p.rest(face, nothing), 0, ProofPurpose.REST, root), p.seal(nothing.commitment(),
            List.of(nothing.opening()), SUPPLIER_2, OBLIGOR), p.keptSeal(p.rest(face, nothing)));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, zero));
    // Proofs made for another piece do not carry over.
    Secret part = p.secret(300);
    byte[] otherPiece = Receivables.splitConfidentialCall(root, r.account(SUPPLIER_2),
        part.commitment(), p.proof(part, 1, ProofPurpose.SPLIT, root + 1),
        p.proof(p.rest(face, part), 0, ProofPurpose.REST, root + 1), p.seal(part.commitment(),
            List.of(part.opening()), SUPPLIER_2, OBLIGOR), p.keptSeal(p.rest(face, part)));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, otherPiece));
    // Sealed for the new holder only, not the obligor who pays it.
    byte[] unsealed = Receivables.splitConfidentialCall(root, r.account(SUPPLIER_2),
        part.commitment(), p.proof(part, 1, ProofPurpose.SPLIT, root),
        p.proof(p.rest(face, part), 0, ProofPurpose.REST, root), p.seal(part.commitment(),
            List.of(part.opening()), SUPPLIER_2), p.keptSeal(p.rest(face, part)));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, unsealed));
    assertEquals(Rule.NOT_HOLDER, r.refused(SUPPLIER_2, p.splitCall(root, face, part,
        SUPPLIER_2)), "only the holder splits");
    // The whole amount may go, under a fresh blinding: what is left is 0, proven ≥ 0.
    long child = ReceivablesChain.number(r.ok(SUPPLIER, p.splitCall(root, face, p.secret(1_000),
        SUPPLIER_2)));
    assertEquals(r.account(SUPPLIER_2), r.piece(child).holder());
  }

  @Test
  void operationsInClearAreRefusedOnConfidentialPiecesAndTheReverse() {
    long root = p.issue(p.secret(1_000));
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, split(root, r.account(SUPPLIER_2),
        10)));
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, offer(root, r.account(BANK), 10)));
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, ReceivablesChain.call(
        ReceivablesContract.APPROVE_VALUE, BigInteger.valueOf(root), Abi.toAbi(r.account(
            SUPPLIER_2)), BigInteger.TEN)));
    assertEquals(Rule.CONFIDENTIAL, r.canTransfer(SUPPLIER, root, SUPPLIER_2, 10));

    long clear = r.issue(SUPPLIER, 1_000, 30);
    Secret part = p.secret(10);
    Secret whole = p.secret(1_000);
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, p.splitCall(clear, whole, part,
        SUPPLIER_2)));
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, p.offerCall(clear, whole, part, BANK)));
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, Receivables.shareOpeningCall(clear,
        p.seal(part.commitment(), List.of(part.opening()), BANK))));
  }

  @Test
  void anOfferAboveTheValueOrSealedForAnotherBankIsRefused() throws EnvelopeException {
    Secret face = p.secret(1_000);
    long root = p.issue(face);
    Secret price = p.secret(1_200);
    byte[] above = Receivables.offerConfidentialCall(root, r.account(BANK), price.commitment(),
        p.proof(price, 1, ProofPurpose.PRICE, root), p.proof(p.secret(7), 0, ProofPurpose.MARGIN,
            root), p.seal(face.commitment(), List.of(face.opening(), price.opening()), BANK));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, above));
    Secret fair = p.secret(970);
    byte[] otherBank = Receivables.offerConfidentialCall(root, r.account(BANK),
        fair.commitment(), p.proof(fair, 1, ProofPurpose.PRICE, root), p.proof(p.rest(face, fair), 0,
            ProofPurpose.MARGIN, root), p.seal(face.commitment(), List.of(face.opening(),
                fair.opening()), BANK_2));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, otherBank));
    assertEquals(Rule.NOT_BANK, r.refused(SUPPLIER, p.offerCall(root, face, fair, SUPPLIER_2)));
    r.ok(SUPPLIER, p.offerCall(root, face, fair, BANK));
    // Withdrawn, the offer's committed price goes with it.
    r.ok(SUPPLIER, ReceivablesChain.call(ReceivablesContract.CANCEL_FINANCING,
        BigInteger.valueOf(root)));
    assertEquals(0, Receivables.priceCommitment(r.chain.state, root).length);
  }

  @Test
  void aConfidentialTransferSealsTheOpeningForTheNewHolderInTheSameTransaction()
      throws Exception {
    Secret face = p.secret(2_500);
    long root = p.issue(face);
    byte[] forOther = p.seal(face.commitment(), List.of(face.opening()), BANK);
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, Receivables.transferConfidentialCall(
        r.account(SUPPLIER), r.account(SUPPLIER_2), root, forOther)), "not sealed for the new"
        + " holder");
    long clear = r.issue(SUPPLIER, 100, 30);
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, Receivables.transferConfidentialCall(
        r.account(SUPPLIER), r.account(SUPPLIER_2), clear, forOther)));
    TransactionResult moved = r.ok(SUPPLIER, Receivables.transferConfidentialCall(
        r.account(SUPPLIER), r.account(SUPPLIER_2), root, p.seal(face.commitment(),
            List.of(face.opening()), SUPPLIER_2)));
    assertEquals(r.account(SUPPLIER_2), r.piece(root).holder());
    assertEquals(List.of(face.opening()), p.open(moved, SUPPLIER_2));
  }

  @Test
  void openingsAreSharedAgainOnlyByTheHolderTheObligorOrTheLiensBank() throws Exception {
    Secret face = p.secret(2_000);
    long root = p.issue(face);
    // A whole transfer keeps the commitment; the new holder gets the opening shared.
    r.ok(SUPPLIER, ReceivablesChain.call(ReceivablesContract.TRANSFER, Abi.toAbi(r.account(
        SUPPLIER)), Abi.toAbi(r.account(SUPPLIER_2)), BigInteger.valueOf(root)));
    assertEquals(Rule.NOT_HOLDER, r.refused(SUPPLIER, Receivables.shareOpeningCall(root,
        p.seal(face.commitment(), List.of(face.opening()), SUPPLIER_2))), "a former holder");
    TransactionResult shared = r.ok(OBLIGOR, Receivables.shareOpeningCall(root,
        p.seal(face.commitment(), List.of(face.opening()), SUPPLIER_2)));
    assertEquals(List.of(face.opening()), p.open(shared, SUPPLIER_2));
    Address by = Address.of(Arrays.copyOfRange(shared.logs().get(0).topics().get(2).toBytes(),
        12, 32));
    assertEquals(r.account(OBLIGOR), by);
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER_2, Receivables.shareOpeningCall(root,
        new byte[] {1, 2, 3})));
  }

  @Test
  void everyOpeningMustBeSealedForEachRegulatorThatPublishedItsKey() throws Exception {
    int regulator = ReceivablesChain.REGULATOR;
    assertEquals(Rule.BAD_PROOF, r.refused(BANK, Receivables.publishSealingKeyCall(
        r.chain.keys[SUPPLIER].publicKey())), "another account's key");
    r.ok(regulator, Receivables.publishSealingKeyCall(r.chain.keys[regulator].publicKey()));
    r.ok(SUPPLIER_2, Receivables.publishSealingKeyCall(r.chain.keys[SUPPLIER_2].publicKey()));
    assertEquals(List.of(r.account(regulator)), Receivables.regulators(r.chain.state));
    assertArrayEquals(r.chain.keys[SUPPLIER_2].publicKey(), Receivables.sealingKey(
        r.chain.state, r.account(SUPPLIER_2)));

    Secret face = p.secret(3_000);
    long maturity = r.chain.timestamp() + 30 * DAY;
    byte[] proof = p.proof(face, 1, ProofPurpose.FACE_VALUE, 0);
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, p.issueCall(face, maturity, proof,
        p.seal(face.commitment(), List.of(face.opening()), SUPPLIER, OBLIGOR))),
        "not sealed for the regulator");
    TransactionResult issued = r.ok(SUPPLIER, p.issueCall(face, maturity, proof,
        p.seal(face.commitment(), List.of(face.opening()), SUPPLIER, OBLIGOR, regulator)));
    assertEquals(List.of(face.opening()), p.open(issued, regulator));
  }
}
