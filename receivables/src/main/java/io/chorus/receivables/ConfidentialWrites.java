package io.chorus.receivables;

import io.chorus.crypto.ValueCommitments;
import io.chorus.crypto.ValueCommitments.Opening;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.service.ServiceContext;
import io.chorus.state.system.Receivables;
import io.chorus.state.system.Receivables.ProofPurpose;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls the node makes for its caller on confidential receivables (the contract's rules:
 * {@code Receivables.sol}'s header): it draws fresh blindings, commits the amounts, proves each
 * range the contract checks, and seals each opening for whom the contract requires plus the
 * caller, with each party's key as it published it on chain (a party that has not is 422
 * {@code no-sealing-key}). What no proof exists for (more than the piece holds, a price above
 * the value) is refused here with the contract's reason, computed from the caller's opening.
 */
final class ConfidentialWrites {
  /** The CLI verb with which an account publishes its sealing key. */
  static final String PUBLISH_KEY_VERB = "chorus receivable publish-key";

  private final ServiceContext context;
  private final Openings openings;
  private final SecureRandom random = new SecureRandom();

  ConfidentialWrites(ServiceContext context, Openings openings) {
    this.context = context;
    this.openings = openings;
  }

  /** {@code value} under a fresh blinding: what an obligor's confirmation commits to. */
  Opening fresh(BigInteger value) {
    return new Opening(value, commitments().randomBlinding(random));
  }

  byte[] commit(Opening opening) {
    return commitments().commit(opening.value(), opening.blinding());
  }

  /**
   * {@code issueConfidential} by the supplier (the caller) of {@code face}, which {@code
   * commitment} must commit to: the face value proven ≥ 1, its opening sealed for the supplier,
   * the obligor and every regulator.
   */
  byte[] issueCall(Caller supplier, StateReader state, Address obligor, byte[] commitment,
      Opening face, String currency, long maturity, List<byte[]> documents, byte[] obligorKey,
      byte[] signature) {
    byte[] proof = prove(face, BigInteger.ONE, ProofPurpose.FACE_VALUE, 0);
    byte[] sealed = seal(commitment, List.of(face), recipients(supplier, state,
        List.of(supplier.account(), obligor)));
    return Receivables.issueConfidentialCall(obligor, commitment, currency, maturity,
        documents, obligorKey, signature, proof, sealed);
  }

  /**
   * {@code splitConfidential}: {@code value} off the piece to {@code to}, the part sealed for
   * {@code to}, the obligor, the regulators and the caller; what the piece keeps for its
   * holder, the obligor and the regulators.
   */
  byte[] splitCall(Caller caller, StateReader state, Receivables.Piece piece, long fromBlock,
      Address to, BigInteger value) {
    Opening whole = requireOpened(caller, state, piece, fromBlock).value();
    if (value.compareTo(whole.value()) > 0) {
      throw ReceivablesService.refusal(Receivables.Rule.INSUFFICIENT_VALUE.reason("piece "
          + piece.id() + " holds " + whole.value() + ", less than " + value));
    }
    Opening part = fresh(value);
    Opening kept = less(whole, part);
    byte[] partCommitment = commit(part);
    Address obligor = obligor(state, piece);
    byte[] partProof = prove(part, BigInteger.ONE, ProofPurpose.SPLIT, piece.id());
    byte[] keptProof = prove(kept, BigInteger.ZERO, ProofPurpose.REST, piece.id());
    byte[] partSealed = seal(partCommitment, List.of(part), recipients(caller, state,
        List.of(to, obligor, caller.account())));
    byte[] keptSealed = seal(commit(kept), List.of(kept), recipients(caller, state,
        List.of(piece.holder(), obligor)));
    return Receivables.splitConfidentialCall(piece.id(), to, partCommitment, partProof,
        keptProof, partSealed, keptSealed);
  }

  /**
   * {@code offerConfidential}: the piece to {@code bank} at {@code price}, proven ≥ 1 and at
   * most the value; value and price sealed for the bank, the regulators and the holder.
   */
  byte[] offerCall(Caller caller, StateReader state, Receivables.Piece piece, long fromBlock,
      Address bank, BigInteger price) {
    Opening value = requireOpened(caller, state, piece, fromBlock).value();
    if (price.compareTo(value.value()) > 0) {
      throw ReceivablesService.refusal(Receivables.Rule.BAD_PRICE.reason("a financing price"
          + " is 1 to the piece's value " + value.value() + ", got " + price));
    }
    Opening committedPrice = fresh(price);
    byte[] priceProof = prove(committedPrice, BigInteger.ONE, ProofPurpose.PRICE, piece.id());
    byte[] marginProof = prove(less(value, committedPrice), BigInteger.ZERO,
        ProofPurpose.MARGIN, piece.id());
    byte[] sealed = seal(piece.commitment(), List.of(value, committedPrice),
        recipients(caller, state, List.of(bank, piece.holder())));
    return Receivables.offerConfidentialCall(piece.id(), bank, commit(committedPrice),
        priceProof, marginProof, sealed);
  }

  /**
   * {@code transferConfidential}: the whole piece to {@code to}, with the caller's opening of
   * its value sealed for {@code to} and the regulators in the same transaction.
   */
  byte[] transferCall(Caller caller, StateReader state, Receivables.Piece piece, long fromBlock,
      Address to) {
    Opening value = requireOpened(caller, state, piece, fromBlock).value();
    return Receivables.transferConfidentialCall(piece.holder(), to, piece.id(),
        seal(piece.commitment(), List.of(value), recipients(caller, state, List.of(to))));
  }

  /** The caller's openings of a confidential piece, or 403 {@code not-a-party}. */
  Openings.Opened requireOpened(Caller caller, StateReader state, Receivables.Piece piece,
      long fromBlock) {
    return openings.find(caller, state, piece, fromBlock).orElseThrow(() ->
        notAParty(caller, piece.id()));
  }

  static Problem notAParty(Caller caller, long id) {
    return new Problem(403, "not-a-party", "Not a party to this piece's amount", "piece " + id
        + " is confidential and the key of " + caller.account() + " (" + caller.credential()
        + ") opens none of its openings: only its holder, its obligor, a bank it was offered"
        + " to and the regulators read its amount; a holder by a whole transfer asks the"
        + " previous holder or the obligor to share it");
  }

  /** 422 for a party whose key openings must be sealed to, and which published none. */
  static Problem noSealingKey(Address account) {
    return new Problem(422, "no-sealing-key", "A party has published no sealing key",
        "account " + account + " has published no sealing key, so its amounts cannot be sealed"
            + " for it: it publishes its account key once with '" + PUBLISH_KEY_VERB + "' (PUT "
            + ReceivablesService.SEALING_KEY + " with its own token)")
        .with("account", account.toString());
  }

  /**
   * The keys to seal to: each of {@code parties} (the caller's own from the keystore, the
   * others' as published) and every regulator, each once.
   */
  private Map<Address, byte[]> recipients(Caller caller, StateReader state,
      List<Address> parties) {
    Map<Address, byte[]> keys = new LinkedHashMap<>();
    List<Address> all = new ArrayList<>(parties);
    all.addAll(Receivables.regulators(state));
    for (Address party : all) {
      if (keys.containsKey(party)) {
        continue;
      }
      byte[] key = party.equals(caller.account()) ? context.submitter().publicKey(caller)
          : Receivables.sealingKey(state, party);
      if (key.length == 0) {
        throw noSealingKey(party);
      }
      keys.put(party, key);
    }
    return keys;
  }

  /** The openings, concatenated, sealed for the keys and bound to the piece's commitment. */
  private byte[] seal(byte[] commitment, List<Opening> sealed, Map<Address, byte[]> keys) {
    byte[] payload = new byte[sealed.size() * Opening.BYTES];
    for (int i = 0; i < sealed.size(); i++) {
      System.arraycopy(sealed.get(i).encode(), 0, payload, i * Opening.BYTES, Opening.BYTES);
    }
    return context.chain().suite().envelope().seal(payload, commitment,
        List.copyOf(keys.values()), random);
  }

  private byte[] prove(Opening opening, BigInteger min, ProofPurpose purpose, long id) {
    return commitments().proveRange(opening.value(), opening.blinding(), min,
        Receivables.proofContext(context.chain().chainId(), purpose, id), random);
  }

  /** {@code a − b}: what is left of a committed amount, as its holder can open it. */
  private Opening less(Opening a, Opening b) {
    return new Opening(a.value().subtract(b.value()),
        a.blinding().subtract(b.blinding()).mod(commitments().order()));
  }

  private static Address obligor(StateReader state, Receivables.Piece piece) {
    return Receivables.terms(state, piece.id()).obligor();
  }

  private ValueCommitments commitments() {
    return context.chain().suite().commitments();
  }
}
