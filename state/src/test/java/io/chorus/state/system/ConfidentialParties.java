package io.chorus.state.system;

import static io.chorus.state.system.ReceivablesChain.DAY;
import static io.chorus.state.system.ReceivablesChain.OBLIGOR;
import static io.chorus.state.system.ReceivablesChain.SUPPLIER;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.EnvelopeException;
import io.chorus.crypto.ValueCommitments;
import io.chorus.crypto.ValueCommitments.Opening;
import io.chorus.evm.Log;
import io.chorus.state.TransactionResult;
import io.chorus.state.system.Receivables.Event;
import io.chorus.state.system.Receivables.ProofPurpose;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * The parties of confidential receivables on a {@link ReceivablesChain}, as their nodes act:
 * amounts they know (a {@link Secret}: opening and commitment), the range proofs and sealed
 * openings they make, the calls they send, and what they read back from {@code Opened} events.
 */
final class ConfidentialParties {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An amount as a party knows it: its opening and its commitment. */
  record Secret(Opening opening, byte[] commitment) {
    BigInteger value() {
      return opening.value();
    }
  }

  final ReceivablesChain r;
  final ValueCommitments commitments;

  ConfidentialParties(CryptoSuite suite) {
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
}
