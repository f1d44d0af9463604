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
import io.chorus.crypto.ValueCommitments.Opening;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.state.TransactionResult;
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

  /** An amount as a party knows it: its opening and its commitment. */
  record Secret(Opening opening, byte[] commitment) {
    BigInteger value() {
      return opening.value();
    }
  }

  private ReceivablesChain r;
  private ValueCommitments commitments;

  ConfidentialReceivablesTest() {
    use(CryptoSuite.ethereum());
  }

  /** A fresh chain of {@code suite}, for a test that runs in each. */
  private void use(CryptoSuite suite) {
    r = new ReceivablesChain(suite);
    commitments = suite.commitments();
  }

  Secret secret(long value) {
    BigInteger blinding = commitments.randomBlinding(RANDOM);
    return new Secret(new Opening(BigInteger.valueOf(value), blinding),
        commitments.commit(BigInteger.valueOf(value), blinding));
  }

  /** What a piece keeps when {@code part} is split off {@code whole}: as its holder knows it. */
  Secret rest(Secret whole, Secret part) {
    BigInteger n = commitments.order();
    Opening kept = new Opening(whole.value().subtract(part.value()),
        whole.opening().blinding().subtract(part.opening().blinding()).mod(n));
    return new Secret(kept, commitments.commit(kept.value(), kept.blinding()));
  }

  byte[] proof(Secret s, long min, ProofPurpose purpose, long id) {
    return commitments.proveRange(s.value(), s.opening().blinding(), BigInteger.valueOf(min),
        Receivables.proofContext(NotaryChain.CHAIN_ID, purpose, id), RANDOM);
  }

  /** The openings sealed for {@code parties}, bound to the piece's commitment. */
  byte[] seal(byte[] commitment, List<Opening> openings, int... parties) {
    byte[] payload = new byte[0];
    for (Opening opening : openings) {
      byte[] encoded = opening.encode();
      payload = Arrays.copyOf(payload, payload.length + encoded.length);
      System.arraycopy(encoded, 0, payload, payload.length - encoded.length, encoded.length);
    }
    return r.chain.suite.envelope().seal(payload, commitment, Arrays.stream(parties)
        .mapToObj(i -> r.chain.keys[i].publicKey()).toList(), RANDOM);
  }

  byte[] issueCall(Secret face, long maturity, byte[] proof, byte[] openings) {
    List<byte[]> documents = r.documents("invoice-" + Arrays.toString(face.commitment()));
    byte[] digest = Receivables.confidentialTermsDigest(r.chain.hash, NotaryChain.CHAIN_ID,
        r.account(OBLIGOR), r.account(SUPPLIER), face.commitment(), "CNY", maturity, documents);
    io.chorus.crypto.Signature s = r.chain.suite.sign(digest, r.chain.keys[OBLIGOR]);
    byte[] signature = new byte[64];
    System.arraycopy(io.chorus.evm.Word.fromBigInteger(s.r()).toBytes(), 0, signature, 0, 32);
    System.arraycopy(io.chorus.evm.Word.fromBigInteger(s.s()).toBytes(), 0, signature, 32, 32);
    return Receivables.issueConfidentialCall(r.account(OBLIGOR), face.commitment(), "CNY",
        maturity, documents, r.chain.keys[OBLIGOR].publicKey(), signature, proof, openings);
  }

  /** Issues {@code face} due in 90 days to the supplier: its root piece's id. */
  long issue(Secret face) {
    return ReceivablesChain.number(r.ok(SUPPLIER, issueCall(face,
        r.chain.timestamp() + 90 * DAY, proof(face, 1, ProofPurpose.FACE_VALUE, 0),
        seal(face.commitment(), List.of(face.opening()), SUPPLIER, OBLIGOR))));
  }

  byte[] splitCall(long id, Secret whole, Secret part, int to) {
    Secret kept = rest(whole, part);
    int holder = r.chainIndex(r.piece(id).holder());
    return Receivables.splitConfidentialCall(id, r.account(to), part.commitment(),
        proof(part, 1, ProofPurpose.SPLIT, id), proof(kept, 0, ProofPurpose.REST, id),
        seal(part.commitment(), List.of(part.opening()), to, OBLIGOR),
        seal(kept.commitment(), List.of(kept.opening()), holder, OBLIGOR));
  }

  /** What a supplier's piece keeps, sealed for it and the obligor. */
  byte[] keptSeal(Secret kept) {
    return seal(kept.commitment(), List.of(kept.opening()), SUPPLIER, OBLIGOR);
  }

  byte[] offerCall(long id, Secret value, Secret price, int bank) {
    return Receivables.offerConfidentialCall(id, r.account(bank), price.commitment(),
        proof(price, 1, ProofPurpose.PRICE, id), proof(rest(value, price), 0,
            ProofPurpose.MARGIN, id), seal(value.commitment(), List.of(value.opening(),
                price.opening()), bank));
  }

  /** What {@code party} reads from the Opened event of {@code result}: the openings in it. */
  List<Opening> open(TransactionResult result, int party) throws EnvelopeException {
    return open(result, party, 0);
  }

  /** As {@link #open(TransactionResult, int)}, from the {@code nth} Opened event. */
  List<Opening> open(TransactionResult result, int party, int nth) throws EnvelopeException {
    Log opened = result.logs().stream().filter(l -> Event.of(l) == Event.OPENED).skip(nth)
        .findFirst().orElseThrow();
    long id = opened.topics().get(1).toBigInteger().longValueExact();
    byte[] sealed = ReceivableEvents.OPENED.getNonIndexedParams().decode(opened.data()).get(0);
    byte[] payload = r.chain.suite.envelope().open(sealed,
        ReceivableLayout.commitment(SystemStorage.readOnly(SystemContracts.RECEIVABLES,
            r.chain.state), id), r.chain.keys[party]);
    return java.util.stream.IntStream.range(0, payload.length / Opening.BYTES)
        .mapToObj(i -> Opening.decode(Arrays.copyOfRange(payload, i * Opening.BYTES,
            (i + 1) * Opening.BYTES))).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ethereum", "sm"})
  void aConfidentialReceivableIsIssuedSplitFinancedAndPaidWithoutItsAmountsInClear(
      String suiteName) throws Exception {
    use(CryptoSuite.byName(suiteName));
    Secret face = secret(1_000_000_00L);
    TransactionResult issued = r.ok(SUPPLIER, issueCall(face, r.chain.timestamp() + 90 * DAY,
        proof(face, 1, ProofPurpose.FACE_VALUE, 0), seal(face.commitment(),
            List.of(face.opening()), SUPPLIER, OBLIGOR)));
    long root = ReceivablesChain.number(issued);
    Receivables.Piece piece = r.piece(root);
    assertTrue(piece.confidential());
    assertEquals(BigInteger.ZERO, piece.faceValue(), "no amount in clear");
    assertEquals(BigInteger.ZERO, piece.value());
    assertArrayEquals(face.commitment(), piece.commitment());
    assertArrayEquals(face.commitment(), Receivables.faceCommitment(r.chain.state, root));
    assertEquals(List.of(face.opening()), open(issued, SUPPLIER));
    assertEquals(List.of(face.opening()), open(issued, OBLIGOR));

    // The supplier splits 400,000.00 off to its own supplier: both open what they hold.
    Secret part = secret(400_000_00L);
    TransactionResult split = r.ok(SUPPLIER, splitCall(root, face, part, SUPPLIER_2));
    long child = ReceivablesChain.number(split);
    assertEquals(List.of(part.opening()), open(split, SUPPLIER_2));
    Secret kept = rest(face, part);
    assertArrayEquals(kept.commitment(), r.piece(root).commitment(), "the holder knows what"
        + " it keeps: its opening less the part's");
    assertEquals(List.of(kept.opening()), open(split, SUPPLIER, 1), "and reads it back");
    assertEquals(BigInteger.valueOf(600_000_00L), kept.value());
    // Value conserved, checked by anyone from the commitments alone.
    assertArrayEquals(face.commitment(), commitments.add(r.piece(root).commitment(),
        r.piece(child).commitment()));

    // Supplier 2 sells its piece to a bank at 390,000.00; the bank opens value and price.
    Secret price = secret(390_000_00L);
    TransactionResult offered = r.ok(SUPPLIER_2, offerCall(child, part, price, BANK));
    assertEquals(List.of(part.opening(), price.opening()), open(offered, BANK));
    assertArrayEquals(price.commitment(), Receivables.priceCommitment(r.chain.state, child));
    r.ok(BANK, accept(child));
    assertEquals(State.FINANCED, r.piece(child).state());
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER_2, splitCall(child, part,
        secret(1), SUPPLIER)), "no split after financing");
    assertEquals(Rule.LOCKED, r.refused(SUPPLIER_2, offerCall(child, part, price, BANK_2)),
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
    Secret face = secret(5_000);
    long maturity = r.chain.timestamp() + 30 * DAY;
    byte[] openings = seal(face.commitment(), List.of(face.opening()), SUPPLIER, OBLIGOR);
    Secret other = secret(5_000);
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, issueCall(face, maturity,
        proof(other, 1, ProofPurpose.FACE_VALUE, 0), openings)), "another commitment's proof");
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, issueCall(face, maturity,
        proof(face, 1, ProofPurpose.SPLIT, 0), openings)), "a proof made for another purpose");
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, issueCall(face, maturity,
        proof(face, 1, ProofPurpose.FACE_VALUE, 0), seal(face.commitment(),
            List.of(face.opening()), SUPPLIER))), "not sealed for the obligor");
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, issueCall(face, maturity,
        proof(face, 1, ProofPurpose.FACE_VALUE, 0), new byte[40])), "not an envelope");
    byte[] notAPoint = face.commitment().clone();
    notAPoint[0] = 4;
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, issueCall(new Secret(face.opening(),
        notAPoint), maturity, proof(face, 1, ProofPurpose.FACE_VALUE, 0), openings)));
    Secret zero = secret(0);
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, issueCall(zero, maturity,
        commitments.proveRange(BigInteger.ZERO, zero.opening().blinding(), BigInteger.ZERO,
            Receivables.proofContext(NotaryChain.CHAIN_ID, ProofPurpose.FACE_VALUE, 0), RANDOM),
        openings)), "a face value of 0, proven only ≥ 0");
    // The terms' rules hold as in clear.
    assertEquals(Rule.BAD_MATURITY, r.refused(SUPPLIER, issueCall(face,
        r.chain.timestamp() + 400 * DAY, proof(face, 1, ProofPurpose.FACE_VALUE, 0),
        openings)));
    r.ok(SUPPLIER, issueCall(face, maturity, proof(face, 1, ProofPurpose.FACE_VALUE, 0),
        openings));
  }

  @Test
  void noSplitTakesMoreThanThePieceHoldsOrLeavesItUnproven() throws CommitmentException {
    Secret face = secret(1_000);
    long root = issue(face);
    // 1,001 off 1,000: the part proves ≥ 1, but what is left is -1 and no proof exists; the
    // holder's best try is a proof of some other amount.
    Secret tooMuch = secret(1_001);
    Secret fake = secret(5);
    byte[] cheat = Receivables.splitConfidentialCall(root, r.account(SUPPLIER_2),
        tooMuch.commitment(), proof(tooMuch, 1, ProofPurpose.SPLIT, root),
        proof(fake, 0, ProofPurpose.REST, root), seal(tooMuch.commitment(),
            List.of(tooMuch.opening()), SUPPLIER_2, OBLIGOR), keptSeal(fake));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, cheat));
    // A zero part: proven ≥ 0 only.
    Secret nothing = secret(0);
    byte[] zero = Receivables.splitConfidentialCall(root, r.account(SUPPLIER_2),
        nothing.commitment(), commitments.proveRange(BigInteger.ZERO,
            nothing.opening().blinding(), BigInteger.ZERO, Receivables.proofContext(
                NotaryChain.CHAIN_ID, ProofPurpose.SPLIT, root), RANDOM),
        proof(rest(face, nothing), 0, ProofPurpose.REST, root), seal(nothing.commitment(),
            List.of(nothing.opening()), SUPPLIER_2, OBLIGOR), keptSeal(rest(face, nothing)));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, zero));
    // Proofs made for another piece do not carry over.
    Secret part = secret(300);
    byte[] otherPiece = Receivables.splitConfidentialCall(root, r.account(SUPPLIER_2),
        part.commitment(), proof(part, 1, ProofPurpose.SPLIT, root + 1),
        proof(rest(face, part), 0, ProofPurpose.REST, root + 1), seal(part.commitment(),
            List.of(part.opening()), SUPPLIER_2, OBLIGOR), keptSeal(rest(face, part)));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, otherPiece));
    // Sealed for the new holder only, not the obligor who pays it.
    byte[] unsealed = Receivables.splitConfidentialCall(root, r.account(SUPPLIER_2),
        part.commitment(), proof(part, 1, ProofPurpose.SPLIT, root),
        proof(rest(face, part), 0, ProofPurpose.REST, root), seal(part.commitment(),
            List.of(part.opening()), SUPPLIER_2), keptSeal(rest(face, part)));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, unsealed));
    assertEquals(Rule.NOT_HOLDER, r.refused(SUPPLIER_2, splitCall(root, face, part,
        SUPPLIER_2)), "only the holder splits");
    // The whole amount may go, under a fresh blinding: what is left is 0, proven ≥ 0.
    long child = ReceivablesChain.number(r.ok(SUPPLIER, splitCall(root, face, secret(1_000),
        SUPPLIER_2)));
    assertEquals(r.account(SUPPLIER_2), r.piece(child).holder());
  }

  @Test
  void operationsInClearAreRefusedOnConfidentialPiecesAndTheReverse() {
    long root = issue(secret(1_000));
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, split(root, r.account(SUPPLIER_2),
        10)));
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, offer(root, r.account(BANK), 10)));
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, ReceivablesChain.call(
        ReceivablesContract.APPROVE_VALUE, BigInteger.valueOf(root), Abi.toAbi(r.account(
            SUPPLIER_2)), BigInteger.TEN)));
    assertEquals(Rule.CONFIDENTIAL, r.canTransfer(SUPPLIER, root, SUPPLIER_2, 10));

    long clear = r.issue(SUPPLIER, 1_000, 30);
    Secret part = secret(10);
    Secret whole = secret(1_000);
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, splitCall(clear, whole, part,
        SUPPLIER_2)));
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, offerCall(clear, whole, part, BANK)));
    assertEquals(Rule.CONFIDENTIAL, r.refused(SUPPLIER, Receivables.shareOpeningCall(clear,
        seal(part.commitment(), List.of(part.opening()), BANK))));
  }

  @Test
  void anOfferAboveTheValueOrSealedForAnotherBankIsRefused() throws EnvelopeException {
    Secret face = secret(1_000);
    long root = issue(face);
    Secret price = secret(1_200);
    byte[] above = Receivables.offerConfidentialCall(root, r.account(BANK), price.commitment(),
        proof(price, 1, ProofPurpose.PRICE, root), proof(secret(7), 0, ProofPurpose.MARGIN,
            root), seal(face.commitment(), List.of(face.opening(), price.opening()), BANK));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, above));
    Secret fair = secret(970);
    byte[] otherBank = Receivables.offerConfidentialCall(root, r.account(BANK),
        fair.commitment(), proof(fair, 1, ProofPurpose.PRICE, root), proof(rest(face, fair), 0,
            ProofPurpose.MARGIN, root), seal(face.commitment(), List.of(face.opening(),
                fair.opening()), BANK_2));
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, otherBank));
    assertEquals(Rule.NOT_BANK, r.refused(SUPPLIER, offerCall(root, face, fair, SUPPLIER_2)));
    r.ok(SUPPLIER, offerCall(root, face, fair, BANK));
    // Withdrawn, the offer's committed price goes with it.
    r.ok(SUPPLIER, ReceivablesChain.call(ReceivablesContract.CANCEL_FINANCING,
        BigInteger.valueOf(root)));
    assertEquals(0, Receivables.priceCommitment(r.chain.state, root).length);
  }

  @Test
  void openingsAreSharedAgainOnlyByTheHolderTheObligorOrTheLiensBank() throws Exception {
    Secret face = secret(2_000);
    long root = issue(face);
    // A whole transfer keeps the commitment; the new holder gets the opening shared.
    r.ok(SUPPLIER, ReceivablesChain.call(ReceivablesContract.TRANSFER, Abi.toAbi(r.account(
        SUPPLIER)), Abi.toAbi(r.account(SUPPLIER_2)), BigInteger.valueOf(root)));
    assertEquals(Rule.NOT_HOLDER, r.refused(SUPPLIER, Receivables.shareOpeningCall(root,
        seal(face.commitment(), List.of(face.opening()), SUPPLIER_2))), "a former holder");
    TransactionResult shared = r.ok(OBLIGOR, Receivables.shareOpeningCall(root,
        seal(face.commitment(), List.of(face.opening()), SUPPLIER_2)));
    assertEquals(List.of(face.opening()), open(shared, SUPPLIER_2));
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

    Secret face = secret(3_000);
    long maturity = r.chain.timestamp() + 30 * DAY;
    byte[] proof = proof(face, 1, ProofPurpose.FACE_VALUE, 0);
    assertEquals(Rule.BAD_PROOF, r.refused(SUPPLIER, issueCall(face, maturity, proof,
        seal(face.commitment(), List.of(face.opening()), SUPPLIER, OBLIGOR))),
        "not sealed for the regulator");
    TransactionResult issued = r.ok(SUPPLIER, issueCall(face, maturity, proof,
        seal(face.commitment(), List.of(face.opening()), SUPPLIER, OBLIGOR, regulator)));
    assertEquals(List.of(face.opening()), open(issued, regulator));
  }
}
