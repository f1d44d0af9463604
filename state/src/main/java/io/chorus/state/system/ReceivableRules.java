package io.chorus.state.system;

import static io.chorus.state.system.ReceivableLayout.frozen;
import static io.chorus.state.system.ReceivableLayout.state;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Signature;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.system.Receivables.Rule;
import io.chorus.state.system.Receivables.State;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The rules of receivables: one check per operation, which both the state-changing function
 * and its pre-check ({@code canTransfer}, {@code canFinance}) run, so that they cannot
 * disagree; then the change. A check returns the first rule broken, or null.
 */
final class ReceivableRules {
  private ReceivableRules() {}

  /** A rule broken, and what broke it. */
  record Refusal(Rule rule, String detail) {
    String reason() {
      return rule.reason(detail);
    }

    SystemContracts.Revert revert() {
      return new SystemContracts.Revert(reason());
    }
  }

  static void require(Refusal refusal) {
    if (refusal != null) {
      throw refusal.revert();
    }
  }

  /** An id from a uint256 argument; -1 (no piece) when it is beyond any id. */
  static long id(BigInteger id) {
    return id.bitLength() < 64 ? id.longValue() : -1;
  }

  // ---- issue ---------------------------------------------------------------------------------

  /** The terms of an issue as the supplier sends them. */
  record Issue(Address obligor, Address supplier, BigInteger faceValue, String currency,
      long maturity, List<byte[]> documents, byte[] obligorKey, byte[] signature) {}

  static Refusal checkIssue(SystemStorage storage, Issue issue, byte[] digest, long now,
      CryptoSuite suite) {
    if (issue.faceValue().signum() <= 0 || issue.faceValue().compareTo(
        Receivables.VALUE_LIMIT) >= 0) {
      return new Refusal(Rule.BAD_VALUE, "a face value is 1 to 2^128-1, got "
          + issue.faceValue());
    }
    return checkIssueTerms(storage, issue, digest, now, suite);
  }

  /** The checks of an issue but its face value: a confidential one has it committed. */
  static Refusal checkIssueTerms(SystemStorage storage, Issue issue, byte[] digest, long now,
      CryptoSuite suite) {
    if (!issue.currency().matches("[A-Z]{3}")) {
      return new Refusal(Rule.BAD_TERMS, "a currency is an ISO 4217 code of three capital"
          + " letters (CNY, USD), got '" + issue.currency() + "'");
    }
    int documents = issue.documents().size();
    if (documents < 1 || documents > Receivables.DOCUMENTS_MAX) {
      return new Refusal(Rule.BAD_TERMS, "a receivable binds 1 to " + Receivables.DOCUMENTS_MAX
          + " trade documents by hash (contract, invoice, delivery note), got " + documents);
    }
    if (issue.documents().stream().anyMatch(d -> Word.fromBytes(d).isZero())) {
      return new Refusal(Rule.BAD_TERMS, "a document hash is all zeros: send the hash of the"
          + " notary record or EPCIS event");
    }
    if (issue.maturity() <= now) {
      return new Refusal(Rule.BAD_MATURITY, "maturity " + issue.maturity() + " is not after"
          + " the block time " + now);
    }
    if (issue.maturity() - now > Receivables.TERM_SECONDS_MAX) {
      return new Refusal(Rule.BAD_MATURITY, "maturity " + issue.maturity() + " is more than"
          + " one year (" + Receivables.TERM_SECONDS_MAX + " s) after the block time " + now);
    }
    if (!hasRole(storage, issue.obligor(), Permissions.ROLE_RECEIVABLES_OBLIGOR)) {
      return new Refusal(Rule.NOT_OBLIGOR, issue.obligor() + " lacks the role "
          + Permissions.RECEIVABLES_OBLIGOR + " (governance grants it)");
    }
    Refusal signature = checkSignature(issue, digest, suite);
    if (signature != null) {
      return signature;
    }
    long existing = storage.readLong(ReceivableLayout.byDigest(Word.fromBytes(digest)));
    if (existing != 0) {
      return new Refusal(Rule.BAD_TERMS, "these terms were already issued as receivable "
          + existing);
    }
    return null;
  }

  private static Refusal checkSignature(Issue issue, byte[] digest, CryptoSuite suite) {
    byte[] key = issue.obligorKey();
    if (key.length != 64 || !Arrays.equals(suite.address(key), issue.obligor().toArray())) {
      return new Refusal(Rule.BAD_SIGNATURE, "the key given is not the obligor's: send the"
          + " 64-byte public key of " + issue.obligor());
    }
    byte[] sig = issue.signature();
    if (sig.length != 64 && sig.length != 65) {
      return new Refusal(Rule.BAD_SIGNATURE, "a signature is r || s (64 bytes) or r || s || v"
          + " (65), got " + sig.length + " bytes");
    }
    try {
      Signature signature = new Signature(new BigInteger(1, Arrays.copyOf(sig, 32)),
          new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)), 0);
      if (suite.verify(digest, signature, key)) {
        return null;
      }
    } catch (IllegalArgumentException e) {
      // An out-of-range r or s (SignatureException), or a key off the curve: not valid.
    }
    return new Refusal(Rule.BAD_SIGNATURE, "the obligor's " + suite.name() + " signature does"
        + " not verify over the terms digest");
  }

  static long issue(SystemStorage storage, Issue issue, byte[] digest, long now) {
    long id = storage.readLong(ReceivableLayout.COUNT) + 1;
    storage.write(ReceivableLayout.COUNT, id);
    BigInteger slot = Receivables.slot(issue.obligor(), issue.maturity(), issue.currency());
    storage.write(ReceivableLayout.obligor(id), issue.obligor());
    storage.write(ReceivableLayout.supplier(id), issue.supplier());
    storage.write(ReceivableLayout.faceValue(id), issue.faceValue());
    storage.writeBytes("root.currency", id, issue.currency().getBytes(
        StandardCharsets.US_ASCII));
    storage.write(ReceivableLayout.dates(id), ReceivableLayout.pack(
        BigInteger.valueOf(issue.maturity()), now));
    storage.write(ReceivableLayout.slotOf(id), slot);
    storage.write(ReceivableLayout.digest(id), Word.fromBytes(digest));
    storage.write(ReceivableLayout.byDigest(Word.fromBytes(digest)), id);
    storage.write(ReceivableLayout.documentCount(id), issue.documents().size());
    for (int i = 0; i < issue.documents().size(); i++) {
      storage.write(ReceivableLayout.document(id, i), Word.fromBytes(issue.documents().get(i)));
    }
    newPiece(storage, id, 0, id, issue.supplier(), issue.faceValue(), slot);
    ReceivableEvents.mint(storage, 0, id, issue.supplier(), issue.faceValue(), slot);
    String warning = issue.maturity() - now > Receivables.TERM_SECONDS_NORMAL
        ? "term of " + (issue.maturity() - now) / 86_400 + " days exceeds the six-month norm"
            + " of 银发〔2025〕77号" : "";
    ReceivableEvents.issued(storage, id, issue, digest, warning);
    return id;
  }

  // ---- transfer ------------------------------------------------------------------------------

  /**
   * The check of a transfer by {@code caller} of {@code value} of piece {@code id} to {@code
   * to}: value null moves the whole piece (ERC-721's transferFrom), keeping its id.
   */
  static Refusal checkTransfer(SystemStorage storage, Address caller, long id, Address to,
      BigInteger value) {
    if (!ReceivableLayout.exists(storage, id)) {
      return noPiece(id);
    }
    if (value != null && value.signum() <= 0) {
      return new Refusal(Rule.BAD_VALUE, "a transfer moves a value of 1 or more, got " + value);
    }
    if (value != null && ReceivableLayout.isConfidential(storage, id)) {
      return ConfidentialReceivables.inClear(id, "split with splitConfidential, a commitment"
          + " to the amount and its range proofs");
    }
    if (ReceivableLayout.isZero(to) || SystemContracts.isSystem(to)) {
      return new Refusal(Rule.BAD_RECEIVER, "cannot transfer to " + to);
    }
    Address holder = storage.readAddress(ReceivableLayout.holder(id));
    BigInteger status = storage.readBig(ReceivableLayout.status(id));
    if (!holder.equals(caller) && !isOperator(storage, id, holder, status, caller)) {
      BigInteger allowance = value == null ? BigInteger.ZERO : storage.readBig(
          ReceivableLayout.allowance(id, ReceivableLayout.epoch(status), caller));
      if (allowance.signum() == 0) {
        return new Refusal(Rule.NOT_HOLDER, caller + " neither holds piece " + id
            + " (its holder is " + holder + ") nor is approved for it");
      }
      if (allowance.compareTo(value) < 0) {
        return new Refusal(Rule.INSUFFICIENT_ALLOWANCE, caller + " may move " + allowance
            + " of piece " + id + ", not " + value);
      }
    }
    Refusal locked = checkUnlocked(storage, id, status, "transferred");
    if (locked != null) {
      return locked;
    }
    BigInteger available = storage.readBig(ReceivableLayout.value(id));
    if (value != null && value.compareTo(available) > 0) {
      return new Refusal(Rule.INSUFFICIENT_VALUE, "piece " + id + " holds " + available
          + ", less than " + value);
    }
    return value == null ? null : checkRoom(storage, id);
  }

  /** Moves {@code value} of piece {@code id} to a new piece of {@code to}: its id. */
  static long transferValue(SystemStorage storage, Address caller, long id, Address to,
      BigInteger value) {
    require(checkTransfer(storage, caller, id, to, value));
    BigInteger status = storage.readBig(ReceivableLayout.status(id));
    Address holder = storage.readAddress(ReceivableLayout.holder(id));
    if (!holder.equals(caller) && !isOperator(storage, id, holder, status, caller)) {
      Word slot = ReceivableLayout.allowance(id, ReceivableLayout.epoch(status), caller);
      storage.write(slot, storage.readBig(slot).subtract(value));
    }
    return split(storage, id, to, value);
  }

  /** ERC-721's transfer: piece {@code id} changes holder, keeping its id and value. */
  static void transferWhole(SystemStorage storage, Address caller, Address from, long id,
      Address to) {
    require(checkTransfer(storage, caller, id, to, null));
    Address holder = storage.readAddress(ReceivableLayout.holder(id));
    if (!holder.equals(from)) {
      throw new Refusal(Rule.NOT_HOLDER, "piece " + id + " is held by " + holder + ", not "
          + from).revert();
    }
    BigInteger status = storage.readBig(ReceivableLayout.status(id));
    // A new epoch: approvals given by the old holder do not pass to the new one.
    storage.write(ReceivableLayout.status(id), ReceivableLayout.status(state(status),
        frozen(status), ReceivableLayout.epoch(status) + 1));
    storage.write(ReceivableLayout.holder(id), to);
    addHolding(storage, from, -1);
    addHolding(storage, to, 1);
    ReceivableEvents.transfer(storage, from, to, id);
  }

  /** Splits {@code value} off piece {@code from} into a new piece held by {@code to}. */
  static long split(SystemStorage storage, long from, Address to, BigInteger value) {
    long root = ReceivableLayout.rootOf(storage, from);
    long id = storage.readLong(ReceivableLayout.COUNT) + 1;
    storage.write(ReceivableLayout.COUNT, id);
    Word fromValue = ReceivableLayout.value(from);
    storage.write(fromValue, storage.readBig(fromValue).subtract(value));
    BigInteger slot = storage.readBig(ReceivableLayout.slotOf(root));
    newPiece(storage, id, from, root, to, value, slot);
    long children = storage.readLong(ReceivableLayout.childCount(from));
    storage.write(ReceivableLayout.child(from, children), id);
    storage.write(ReceivableLayout.childCount(from), children + 1);
    ReceivableEvents.mint(storage, from, id, to, value, slot);
    return id;
  }

  private static void newPiece(SystemStorage storage, long id, long parent, long root,
      Address holder, BigInteger value, BigInteger slot) {
    storage.write(ReceivableLayout.value(id), value);
    storage.write(ReceivableLayout.holder(id), holder);
    storage.write(ReceivableLayout.parent(id), parent);
    storage.write(ReceivableLayout.root(id), root);
    storage.write(ReceivableLayout.status(id), ReceivableLayout.status(State.ACTIVE, false, 0));
    long pieces = storage.readLong(ReceivableLayout.pieceCount(root));
    storage.write(ReceivableLayout.piece(root, pieces), id);
    storage.write(ReceivableLayout.pieceCount(root), pieces + 1);
    addHolding(storage, holder, 1);
  }

  private static void addHolding(SystemStorage storage, Address holder, long delta) {
    Word slot = ReceivableLayout.holdings(holder);
    storage.write(slot, storage.readLong(slot) + delta);
  }

  static Refusal checkRoom(SystemStorage storage, long id) {
    long root = ReceivableLayout.rootOf(storage, id);
    if (storage.readLong(ReceivableLayout.pieceCount(root))
        >= Receivables.PIECES_PER_ROOT_MAX) {
      return new Refusal(Rule.LIMIT, "receivable " + root + " has its maximum of "
          + Receivables.PIECES_PER_ROOT_MAX + " pieces");
    }
    return null;
  }

  /** The holder's operator for all its pieces, or the one address approved for piece id. */
  static boolean isOperator(SystemStorage storage, long id, Address holder,
      BigInteger status, Address caller) {
    return !storage.read(ReceivableLayout.operator(holder, caller)).isZero()
        || storage.readAddress(ReceivableLayout.approved(id, ReceivableLayout.epoch(status)))
            .equals(caller);
  }

  /** Paid, frozen, offered or financed: a piece that may not move or be offered. */
  private static Refusal checkUnlocked(SystemStorage storage, long id, BigInteger status,
      String verb) {
    State state = state(status);
    if (state == State.PAID) {
      return new Refusal(Rule.PAID, "piece " + id + " is paid and cannot be " + verb);
    }
    if (frozen(status)) {
      return new Refusal(Rule.FROZEN, "piece " + id + " is frozen by court order and cannot"
          + " be " + verb);
    }
    if (state == State.OFFERED) {
      return new Refusal(Rule.LOCKED, "piece " + id + " is offered for financing to "
          + storage.readAddress(ReceivableLayout.offerBank(id)) + " and cannot be " + verb
          + " (the holder or bank may cancel the offer)");
    }
    if (state == State.FINANCED) {
      return new Refusal(Rule.LOCKED, "piece " + id + " is financed by "
          + storage.readAddress(ReceivableLayout.lien(id)) + " and cannot be " + verb);
    }
    return null;
  }

  private static Refusal noPiece(long id) {
    return new Refusal(Rule.NO_PIECE, "no piece " + (id < 0 ? "with that id" : id));
  }

  // ---- financing -----------------------------------------------------------------------------

  /** The check of {@code caller}'s offer of piece id to {@code bank}; price null: unchecked. */
  static Refusal checkOffer(SystemStorage storage, Address caller, long id, Address bank,
      BigInteger price, long now) {
    if (!ReceivableLayout.exists(storage, id)) {
      return noPiece(id);
    }
    Address holder = storage.readAddress(ReceivableLayout.holder(id));
    if (!holder.equals(caller)) {
      return new Refusal(Rule.NOT_HOLDER, "only the holder " + holder + " may offer piece "
          + id + " for financing");
    }
    if (!hasRole(storage, bank, Permissions.ROLE_RECEIVABLES_BANK)) {
      return new Refusal(Rule.NOT_BANK, bank + " lacks the role " + Permissions.RECEIVABLES_BANK
          + " (governance grants it)");
    }
    if (bank.equals(holder)) {
      return new Refusal(Rule.BAD_RECEIVER, "a holder cannot finance its own piece");
    }
    Refusal locked = checkUnlocked(storage, id, storage.readBig(ReceivableLayout.status(id)),
        "financed again");
    if (locked != null) {
      return locked;
    }
    Refusal matured = checkNotMatured(storage, id, now);
    if (matured != null) {
      return matured;
    }
    if (ReceivableLayout.isConfidential(storage, id)) {
      // Its value is committed: offerConfidential's range proofs show value ≥ price ≥ 1.
      return price == null ? null : ConfidentialReceivables.inClear(id, "offer it with"
          + " offerConfidential, a commitment to the price and its range proofs");
    }
    BigInteger value = storage.readBig(ReceivableLayout.value(id));
    if (value.signum() == 0) {
      return new Refusal(Rule.BAD_VALUE, "piece " + id + " has no value left to finance");
    }
    if (price != null && (price.signum() <= 0 || price.compareTo(value) > 0)) {
      return new Refusal(Rule.BAD_PRICE, "a financing price is 1 to the piece's value " + value
          + ", got " + price);
    }
    return null;
  }

  static void offer(SystemStorage storage, Address caller, long id, Address bank,
      BigInteger price, long now) {
    require(checkOffer(storage, caller, id, bank, price, now));
    putOnOffer(storage, caller, id, bank, price);
  }

  /** Piece id offered to {@code bank}: checked already. */
  static void putOnOffer(SystemStorage storage, Address caller, long id, Address bank,
      BigInteger price) {
    setState(storage, id, State.OFFERED);
    storage.write(ReceivableLayout.offerBank(id), bank);
    storage.write(ReceivableLayout.offerPrice(id), price);
    ReceivableEvents.offered(storage, id, caller, bank, price);
  }

  /** The check of {@code caller}'s acceptance of the offer of piece {@code id}. */
  static Refusal checkAccept(SystemStorage storage, Address caller, long id, long now) {
    if (!ReceivableLayout.exists(storage, id)) {
      return noPiece(id);
    }
    BigInteger status = storage.readBig(ReceivableLayout.status(id));
    State state = state(status);
    if (state == State.PAID || state == State.FINANCED || frozen(status)) {
      return checkUnlocked(storage, id, status, "financed again");
    }
    Address bank = storage.readAddress(ReceivableLayout.offerBank(id));
    if (state != State.OFFERED || !bank.equals(caller)) {
      return new Refusal(Rule.NO_OFFER, "piece " + id + " is not offered to " + caller);
    }
    if (!hasRole(storage, caller, Permissions.ROLE_RECEIVABLES_BANK)) {
      return new Refusal(Rule.NOT_BANK, caller + " lacks the role "
          + Permissions.RECEIVABLES_BANK + " (governance grants it)");
    }
    return checkNotMatured(storage, id, now);
  }

  static void accept(SystemStorage storage, Address caller, long id, long now) {
    require(checkAccept(storage, caller, id, now));
    BigInteger price = storage.readBig(ReceivableLayout.offerPrice(id));
    BigInteger value = storage.readBig(ReceivableLayout.value(id));
    setState(storage, id, State.FINANCED);
    clearOffer(storage, id);
    storage.write(ReceivableLayout.lien(id), caller);
    storage.write(ReceivableLayout.financing(id), ReceivableLayout.pack(price, now));
    ReceivableEvents.financed(storage, id, storage.readAddress(ReceivableLayout.holder(id)),
        caller, price, value.subtract(price));
  }

  /** The holder withdraws its offer, or the bank declines it. */
  static void cancel(SystemStorage storage, Address caller, long id) {
    if (!ReceivableLayout.exists(storage, id)) {
      throw noPiece(id).revert();
    }
    if (state(storage.readBig(ReceivableLayout.status(id))) != State.OFFERED) {
      throw new Refusal(Rule.NO_OFFER, "piece " + id + " is not offered for financing")
          .revert();
    }
    Address holder = storage.readAddress(ReceivableLayout.holder(id));
    Address bank = storage.readAddress(ReceivableLayout.offerBank(id));
    if (!caller.equals(holder) && !caller.equals(bank)) {
      throw new Refusal(Rule.NOT_HOLDER, "only the holder " + holder + " or the bank " + bank
          + " may cancel the offer of piece " + id).revert();
    }
    setState(storage, id, State.ACTIVE);
    clearOffer(storage, id);
    ReceivableLayout.clearPriceCommitment(storage, id);
    ReceivableEvents.cancelled(storage, id, caller);
  }

  private static Refusal checkNotMatured(SystemStorage storage, long id, long now) {
    long maturity = maturity(storage, ReceivableLayout.rootOf(storage, id));
    return now >= maturity ? new Refusal(Rule.MATURED, "piece " + id + " matured at "
        + maturity + ": the obligor pays it now, it is not financed") : null;
  }

  private static void clearOffer(SystemStorage storage, long id) {
    storage.write(ReceivableLayout.offerBank(id), Word.ZERO);
    storage.write(ReceivableLayout.offerPrice(id), Word.ZERO);
  }

  private static void setState(SystemStorage storage, long id, State state) {
    BigInteger status = storage.readBig(ReceivableLayout.status(id));
    storage.write(ReceivableLayout.status(id), ReceivableLayout.status(state, frozen(status),
        ReceivableLayout.epoch(status)));
  }

  // ---- maturity ------------------------------------------------------------------------------

  static Refusal checkPay(SystemStorage storage, Address caller, long id, byte[] paymentRef,
      long now) {
    if (!ReceivableLayout.exists(storage, id)) {
      return noPiece(id);
    }
    long root = ReceivableLayout.rootOf(storage, id);
    Address obligor = storage.readAddress(ReceivableLayout.obligor(root));
    if (!obligor.equals(caller)) {
      return new Refusal(Rule.NOT_OBLIGOR, "only the obligor " + obligor + " pays piece " + id);
    }
    BigInteger status = storage.readBig(ReceivableLayout.status(id));
    if (state(status) == State.PAID) {
      return new Refusal(Rule.PAID, "piece " + id + " is already paid, reference 0x"
          + io.chorus.codec.Hex.encode(storage.read(ReceivableLayout.paidRef(id)).toBytes()));
    }
    if (frozen(status)) {
      return new Refusal(Rule.FROZEN, "piece " + id + " is frozen by court order and cannot"
          + " be paid");
    }
    long maturity = maturity(storage, root);
    if (now < maturity) {
      return new Refusal(Rule.NOT_DUE, "piece " + id + " is due at " + maturity
          + ", after the block time " + now);
    }
    if (storage.readBig(ReceivableLayout.value(id)).signum() == 0
        && !ReceivableLayout.isConfidential(storage, id)) {
      return new Refusal(Rule.BAD_VALUE, "piece " + id + " has no value left: its value was"
          + " split to its children, which are paid instead");
    }
    if (Word.fromBytes(paymentRef).isZero()) {
      return new Refusal(Rule.BAD_TERMS, "a payment needs its reference (the transfer's"
          + " reference or a hash of the payment record)");
    }
    return null;
  }

  static void pay(SystemStorage storage, Address caller, long id, byte[] paymentRef,
      long now) {
    require(checkPay(storage, caller, id, paymentRef, now));
    boolean offered = state(storage.readBig(ReceivableLayout.status(id))) == State.OFFERED;
    setState(storage, id, State.PAID);
    if (offered) {
      clearOffer(storage, id);
      ReceivableLayout.clearPriceCommitment(storage, id);
    }
    storage.write(ReceivableLayout.paidRef(id), Word.fromBytes(paymentRef));
    Address lien = storage.readAddress(ReceivableLayout.lien(id));
    Address payee = ReceivableLayout.isZero(lien)
        ? storage.readAddress(ReceivableLayout.holder(id)) : lien;
    ReceivableEvents.paid(storage, id, caller, payee,
        storage.readBig(ReceivableLayout.value(id)), paymentRef);
  }

  /** Whether piece {@code id} is past maturity, unpaid and holds value. */
  static boolean isOverdue(SystemStorage storage, long id, long now) {
    return ReceivableLayout.exists(storage, id)
        && state(storage.readBig(ReceivableLayout.status(id))) != State.PAID
        && now >= maturity(storage, ReceivableLayout.rootOf(storage, id))
        && (storage.readBig(ReceivableLayout.value(id)).signum() > 0
            || ReceivableLayout.isConfidential(storage, id));
  }

  static long maturity(SystemStorage storage, long root) {
    return storage.readBig(ReceivableLayout.dates(root)).shiftRight(64).longValueExact();
  }

  // ---- approvals -----------------------------------------------------------------------------

  /** The holder (or its operator for all) approves {@code operator} for piece id. */
  static long checkApprover(SystemStorage storage, Address caller, long id, Address operator) {
    if (!ReceivableLayout.exists(storage, id)) {
      throw noPiece(id).revert();
    }
    Address holder = storage.readAddress(ReceivableLayout.holder(id));
    if (!holder.equals(caller)
        && storage.read(ReceivableLayout.operator(holder, caller)).isZero()) {
      throw new Refusal(Rule.NOT_HOLDER, "only the holder " + holder + " or its operator may"
          + " approve for piece " + id).revert();
    }
    if (operator.equals(holder)) {
      throw new Refusal(Rule.BAD_OPERATOR, "the holder needs no approval for its own piece")
          .revert();
    }
    return ReceivableLayout.epoch(storage.readBig(ReceivableLayout.status(id)));
  }

  // ---- roles ---------------------------------------------------------------------------------

  static boolean hasRole(SystemStorage storage, Address account, long role) {
    long roles = storage.readOf(SystemContracts.PERMISSIONS, Permissions.rolesSlot(account))
        .toBigInteger().longValue();
    return (roles & role) != 0;
  }
}
