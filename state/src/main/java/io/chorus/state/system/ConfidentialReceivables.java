package io.chorus.state.system;

import io.chorus.crypto.CommitmentException;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.EnvelopeException;
import io.chorus.crypto.ValueCommitments;
import io.chorus.evm.Address;
import io.chorus.state.system.ReceivableRules.Issue;
import io.chorus.state.system.ReceivableRules.Refusal;
import io.chorus.state.system.Receivables.ProofPurpose;
import io.chorus.state.system.Receivables.Rule;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rules of confidential receivables ({@code docs/receivables.md}, "Confidentiality"): a
 * piece's value is a Pedersen commitment in the chain's suite ({@link ValueCommitments}) and
 * reads 0 in clear. The chain checks what it cannot see with range proofs: a face value, an
 * amount split off and a price are at least 1, what a split leaves and what a price leaves
 * unfinanced are at least 0, all below 2^64; since the piece split off and what is left are
 * computed as commitments that add up to the piece's, value is conserved to the unit without
 * anyone but the parties knowing it. The amounts and blindings reach the parties sealed
 * ({@code crypto.Envelope}) in {@code Opened} events, and the chain checks that each is sealed
 * at least for whom it must be: a new holder, the obligor, a bank asked to finance, and every
 * regulator (role receivables.regulator) that published a sealing key.
 */
final class ConfidentialReceivables {
  /**
   * What one range proof's check costs: 7 ms on secp256k1 and 10 ms on SM2 against ECRECOVER's
   * 35 µs for 3,000 gas ({@code CryptoBenchmark}, machine quiet), so priced as 167 ECRECOVERs;
   * mostly one multi-scalar multiplication of 144 points.
   */
  static final long RANGE_PROOF_GAS = 500_000;
  /** The most regulators whose sealing keys every opening must name. */
  static final int REGULATORS_MAX = 16;

  /** A commitment, the proof of its range and the openings sealed for the parties. */
  record Sealed(byte[] commitment, byte[] proof, byte[] openings) {}

  /**
   * What a split keeps: the proof that the piece's commitment less the part's holds at least
   * 0, and that amount's opening sealed for the holder and the obligor.
   */
  record Kept(byte[] proof, byte[] openings) {}

  private ConfidentialReceivables() {}

  /** Refuses an operation in clear on confidential piece {@code id}: {@code instead} says how. */
  static Refusal inClear(long id, String instead) {
    return new Refusal(Rule.CONFIDENTIAL, "piece " + id + " is confidential, its amounts"
        + " committed: " + instead);
  }

  // ---- issue ---------------------------------------------------------------------------------

  static Refusal checkIssue(SystemStorage storage, Issue issue, Sealed face, byte[] digest,
      long now, CryptoSuite suite, BigInteger chainId) {
    Refusal terms = ReceivableRules.checkIssueTerms(storage, issue, digest, now, suite);
    if (terms != null) {
      return terms;
    }
    Refusal range = checkRange(storage, suite, face.commitment(), BigInteger.ONE, face.proof(),
        Receivables.proofContext(chainId, ProofPurpose.FACE_VALUE, 0), "the face value");
    return range != null ? range : checkOpenings(storage, suite, face.openings(),
        "the face value", issue.supplier(), issue.obligor());
  }

  static long issue(SystemStorage storage, Issue issue, Sealed face, byte[] digest, long now) {
    long id = ReceivableRules.issue(storage, issue, digest, now);
    ReceivableLayout.setFaceCommitment(storage, id, face.commitment());
    ReceivableLayout.setCommitment(storage, id, face.commitment());
    ReceivableEvents.committed(storage, id, face.commitment());
    ReceivableEvents.opened(storage, id, issue.supplier(), face.openings());
    return id;
  }

  // ---- split ---------------------------------------------------------------------------------

  /**
   * The check of {@code caller}'s split of a committed amount off piece {@code id} to {@code
   * to}: the holder or its operator (value allowances are amounts in clear: none here).
   */
  static Refusal checkSplit(SystemStorage storage, Address caller, long id, Address to,
      Sealed part, Kept kept, CryptoSuite suite, BigInteger chainId) {
    Refusal piece = checkConfidentialPiece(storage, caller, id, to);
    if (piece != null) {
      return piece;
    }
    Refusal room = ReceivableRules.checkRoom(storage, id);
    if (room != null) {
      return room;
    }
    Refusal range = checkRange(storage, suite, part.commitment(), BigInteger.ONE, part.proof(),
        Receivables.proofContext(chainId, ProofPurpose.SPLIT, id), "the amount split off");
    if (range != null) {
      return range;
    }
    byte[] rest;
    try {
      rest = suite.commitments().subtract(ReceivableLayout.commitment(storage, id),
          part.commitment());
    } catch (CommitmentException | IllegalArgumentException e) {
      return new Refusal(Rule.BAD_PROOF, "what piece " + id + " keeps cannot be committed: "
          + e.getMessage());
    }
    Refusal keeps = checkRange(storage, suite, rest, BigInteger.ZERO, kept.proof(),
        Receivables.proofContext(chainId, ProofPurpose.REST, id), "what piece " + id
            + " keeps (its amount less the amount split off)");
    if (keeps != null) {
      return keeps;
    }
    Address obligor = obligor(storage, id);
    Refusal sealed = checkOpenings(storage, suite, part.openings(), "the amount split off", to,
        obligor);
    return sealed != null ? sealed : checkOpenings(storage, suite, kept.openings(),
        "what piece " + id + " keeps", storage.readAddress(ReceivableLayout.holder(id)),
        obligor);
  }

  static long split(SystemStorage storage, Address caller, long id, Address to, Sealed part,
      Kept kept, CryptoSuite suite, BigInteger chainId) {
    ReceivableRules.require(checkSplit(storage, caller, id, to, part, kept, suite, chainId));
    byte[] rest;
    try {
      rest = suite.commitments().subtract(ReceivableLayout.commitment(storage, id),
          part.commitment());
    } catch (CommitmentException e) {
      throw new IllegalStateException("checked just before", e);
    }
    long child = ReceivableRules.split(storage, id, to, BigInteger.ZERO);
    ReceivableLayout.setCommitment(storage, child, part.commitment());
    ReceivableLayout.setCommitment(storage, id, rest);
    ReceivableEvents.committed(storage, child, part.commitment());
    ReceivableEvents.committed(storage, id, rest);
    ReceivableEvents.opened(storage, child, caller, part.openings());
    ReceivableEvents.opened(storage, id, caller, kept.openings());
    return child;
  }

  // ---- whole transfer ------------------------------------------------------------------------

  /**
   * ERC-721's transfer of confidential piece id to {@code to}, with the piece's opening sealed
   * for {@code to} in the same transaction, so that the new holder can never hold a piece it
   * cannot read, nor read one it did not get.
   */
  static void transferWhole(SystemStorage storage, Address caller, Address from, long id,
      Address to, byte[] openings, CryptoSuite suite) {
    Refusal piece = checkConfidentialPiece(storage, caller, id, to);
    ReceivableRules.require(piece != null ? piece : checkOpenings(storage, suite, openings,
        "piece " + id + "'s value", to));
    ReceivableRules.transferWhole(storage, caller, from, id, to);
    ReceivableEvents.opened(storage, id, caller, openings);
  }

  // ---- financing -----------------------------------------------------------------------------

  /**
   * The check of {@code caller}'s offer of piece id to {@code bank} at a committed price: the
   * price at least 1 and the piece's value at least the price.
   */
  static Refusal checkOffer(SystemStorage storage, Address caller, long id, Address bank,
      Sealed price, byte[] marginProof, long now, CryptoSuite suite, BigInteger chainId) {
    Refusal offer = ReceivableRules.checkOffer(storage, caller, id, bank, null, now);
    if (offer != null) {
      return offer;
    }
    if (!ReceivableLayout.isConfidential(storage, id)) {
      return notConfidential(id, "offer it with offerFinancing(id, bank, price)");
    }
    Refusal range = checkRange(storage, suite, price.commitment(), BigInteger.ONE,
        price.proof(), Receivables.proofContext(chainId, ProofPurpose.PRICE, id), "the price");
    if (range != null) {
      return range;
    }
    byte[] margin;
    try {
      margin = suite.commitments().subtract(ReceivableLayout.commitment(storage, id),
          price.commitment());
    } catch (CommitmentException | IllegalArgumentException e) {
      return new Refusal(Rule.BAD_PROOF, "the piece's value less the price cannot be"
          + " committed: " + e.getMessage());
    }
    Refusal covered = checkRange(storage, suite, margin, BigInteger.ZERO, marginProof,
        Receivables.proofContext(chainId, ProofPurpose.MARGIN, id), "the piece's value less"
            + " the price (a price is at most the value)");
    return covered != null ? covered : checkOpenings(storage, suite, price.openings(),
        "the price", bank);
  }

  static void offer(SystemStorage storage, Address caller, long id, Address bank, Sealed price,
      byte[] marginProof, long now, CryptoSuite suite, BigInteger chainId) {
    ReceivableRules.require(checkOffer(storage, caller, id, bank, price, marginProof, now,
        suite, chainId));
    ReceivableRules.putOnOffer(storage, caller, id, bank, BigInteger.ZERO);
    ReceivableLayout.setPriceCommitment(storage, id, price.commitment());
    ReceivableEvents.priceCommitted(storage, id, price.commitment());
    ReceivableEvents.opened(storage, id, caller, price.openings());
  }

  // ---- openings ------------------------------------------------------------------------------

  /**
   * Seals the openings of piece id again, for a party that lacks them (a regulator that
   * published its key later, say): by its holder, its obligor or the bank holding its lien.
   */
  static void shareOpening(SystemStorage storage, Address caller, long id, byte[] openings,
      CryptoSuite suite) {
    if (!ReceivableLayout.exists(storage, id)) {
      throw new Refusal(Rule.NO_PIECE, "no piece " + (id < 0 ? "with that id" : id)).revert();
    }
    if (!ReceivableLayout.isConfidential(storage, id)) {
      throw notConfidential(id, "its amounts are in clear, there is nothing to open").revert();
    }
    Address holder = storage.readAddress(ReceivableLayout.holder(id));
    Address lien = storage.readAddress(ReceivableLayout.lien(id));
    Address obligor = obligor(storage, id);
    if (!caller.equals(holder) && !caller.equals(obligor) && !caller.equals(lien)) {
      throw new Refusal(Rule.NOT_HOLDER, "only the holder " + holder + ", the obligor "
          + obligor + " or the bank holding its lien shares the openings of piece " + id)
          .revert();
    }
    ReceivableRules.require(checkOpenings(storage, suite, openings,
        "piece " + id + "'s openings"));
    ReceivableEvents.opened(storage, id, caller, openings);
  }

  // ---- checks --------------------------------------------------------------------------------

  /** A whole-piece transfer's checks, on a piece that is confidential. */
  private static Refusal checkConfidentialPiece(SystemStorage storage, Address caller, long id,
      Address to) {
    Refusal transfer = ReceivableRules.checkTransfer(storage, caller, id, to, null);
    if (transfer != null) {
      return transfer;
    }
    return ReceivableLayout.isConfidential(storage, id) ? null
        : notConfidential(id, "split it with transferFrom(id, to, value)");
  }

  private static Refusal notConfidential(long id, String instead) {
    return new Refusal(Rule.CONFIDENTIAL, "piece " + id + " is in clear: " + instead);
  }

  private static Refusal checkRange(SystemStorage storage, CryptoSuite suite, byte[] commitment,
      BigInteger min, byte[] proof, byte[] context, String what) {
    storage.charge(RANGE_PROOF_GAS);
    try {
      suite.commitments().verifyRange(commitment, min, proof, context);
      return null;
    } catch (CommitmentException e) {
      return new Refusal(Rule.BAD_PROOF, what + ": " + e.getMessage());
    }
  }

  // ---- sealing keys --------------------------------------------------------------------------

  /**
   * {@code caller} publishes the 64-byte public key openings are sealed to for it (its account's
   * key: the address must be the key's). A regulator's key joins the keys every opening must
   * name.
   */
  static void publishSealingKey(SystemStorage storage, Address caller, byte[] key,
      CryptoSuite suite) {
    if (key.length != 64 || !Arrays.equals(suite.address(key), caller.toArray())) {
      throw new Refusal(Rule.BAD_PROOF, "a sealing key is the 64-byte public key of the"
          + " sender's own account " + caller).revert();
    }
    if (ReceivableRules.hasRole(storage, caller, Permissions.ROLE_RECEIVABLES_REGULATOR)
        && !regulators(storage).contains(caller)) {
      long count = storage.readLong(ReceivableLayout.REGULATOR_COUNT);
      if (count >= REGULATORS_MAX) {
        throw new Refusal(Rule.LIMIT, "the openings are sealed for at most " + REGULATORS_MAX
            + " regulators; governance revokes a role first").revert();
      }
      storage.write(ReceivableLayout.regulator(count), caller);
      storage.write(ReceivableLayout.REGULATOR_COUNT, count + 1);
    }
    ReceivableLayout.setSealingKey(storage, caller, key);
    ReceivableEvents.sealingKeyPublished(storage, caller, key);
  }

  /** The regulators that published a sealing key and still hold the role, in that order. */
  static List<Address> regulators(SystemStorage storage) {
    long count = storage.readLong(ReceivableLayout.REGULATOR_COUNT);
    List<Address> out = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      Address regulator = storage.readAddress(ReceivableLayout.regulator(i));
      if (ReceivableRules.hasRole(storage, regulator, Permissions.ROLE_RECEIVABLES_REGULATOR)) {
        out.add(regulator);
      }
    }
    return out;
  }

  /**
   * Refuses openings that are not an envelope of the suite sealed for each of {@code parties}
   * and each regulator.
   */
  private static Refusal checkOpenings(SystemStorage storage, CryptoSuite suite,
      byte[] openings, String what, Address... parties) {
    List<Address> recipients = new ArrayList<>();
    try {
      for (byte[] recipient : suite.envelope().recipients(openings)) {
        recipients.add(Address.of(recipient));
      }
    } catch (EnvelopeException e) {
      return new Refusal(Rule.BAD_PROOF, "the openings of " + what + " are not a "
          + suite.envelope().scheme() + " envelope: " + e.getMessage());
    }
    List<Address> required = new ArrayList<>(Arrays.asList(parties));
    required.addAll(regulators(storage));
    List<Address> missing = required.stream().filter(p -> !recipients.contains(p)).distinct()
        .toList();
    return missing.isEmpty() ? null : new Refusal(Rule.BAD_PROOF, "the openings of " + what
        + " are not sealed for " + missing + ": seal them for each party that must read the"
        + " amount");
  }

  private static Address obligor(SystemStorage storage, long id) {
    return storage.readAddress(ReceivableLayout.obligor(ReceivableLayout.rootOf(storage, id)));
  }
}
