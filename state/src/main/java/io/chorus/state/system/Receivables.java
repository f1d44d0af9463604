package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.Sm3;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.StateReader;
import io.chorus.evm.Word;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The receivables (供应链金融, digital receivables) system contract at {@code 0x…1004}, with an
 * ERC-3525 ABI: a core enterprise (the obligor) confirms a payable to its supplier by signing
 * its terms; the supplier issues it as a piece of value; holders split any amount of a piece to
 * others (a new piece whose parent is the piece split), offer a piece to a bank, which accepts
 * it atomically (financed, the bank holding its lien), and the obligor pays each piece at
 * maturity. Every rule and its refusal code is a {@link Rule}; {@code Receivables.sol} and
 * {@code docs/receivables.md} describe them.
 */
public final class Receivables {
  /** The longest term from issue to maturity: one year (银发〔2025〕77号). */
  public static final long TERM_SECONDS_MAX = 365L * 24 * 3600;
  /** Terms above this (half a year) are allowed with a warning in the {@code Issued} event. */
  public static final long TERM_SECONDS_NORMAL = TERM_SECONDS_MAX / 2;
  /** The most trade documents one receivable binds. */
  public static final int DOCUMENTS_MAX = 16;
  /** The most pieces one receivable may be split into (its root included). */
  public static final int PIECES_PER_ROOT_MAX = 4_096;
  /** The longest court reference of a legal order, in bytes of UTF-8. */
  public static final int COURT_REFERENCE_BYTES_MAX = 128;
  /** The most court orders kept for one piece. */
  public static final int COURT_ORDERS_MAX = 32;
  /** Values are below 2^128, so that no sum of a receivable's pieces can overflow. */
  public static final BigInteger VALUE_LIMIT = BigInteger.ONE.shiftLeft(128);
  /** What the obligor's signature is over: this tag, then the ABI encoding of the terms. */
  public static final String TERMS_DOMAIN = "chorus-receivable-terms/1";
  /** ERC-3525's valueDecimals: values count hundredths of the currency unit (分, cents). */
  public static final int VALUE_DECIMALS = 2;
  /** What the obligor signs for a confidential receivable: the face value's commitment. */
  public static final String CONFIDENTIAL_TERMS_DOMAIN = "chorus-receivable-sealed-terms/1";

  private static final TupleType<?> TERMS_TYPE = TupleType.parse(
      "(uint256,address,address,address,uint256,string,uint64,bytes32[])");
  private static final TupleType<?> CONFIDENTIAL_TERMS_TYPE = TupleType.parse(
      "(uint256,address,address,address,bytes,string,uint64,bytes32[])");
  private static final TupleType<?> SLOT_TYPE = TupleType.parse("(address,uint64,string)");

  /**
   * Why a call is refused, with the reason code it reports: ERC-1066's transfer codes where one
   * fits (as ERC-1594's {@code canTransfer} reports them), application codes 0xA0-0xAF for the
   * rules of receivables. A revert's reason is {@code "0x55 locked: …"}: the code, the rule's
   * name, what was wrong.
   */
  public enum Rule {
    /** Allowed: ERC-1066's "transfer successful". */
    OK(0x51, "ok"),
    INSUFFICIENT_VALUE(0x52, "insufficient-value"),
    INSUFFICIENT_ALLOWANCE(0x53, "insufficient-allowance"),
    FROZEN(0x54, "frozen"),
    LOCKED(0x55, "locked"),
    NOT_HOLDER(0x56, "not-holder"),
    BAD_RECEIVER(0x57, "bad-receiver"),
    BAD_OPERATOR(0x58, "bad-operator"),
    NO_PIECE(0xA0, "no-piece"),
    BAD_VALUE(0xA1, "bad-value"),
    PAID(0xA2, "paid"),
    NOT_BANK(0xA3, "not-bank"),
    NOT_OBLIGOR(0xA4, "not-obligor"),
    BAD_SIGNATURE(0xA5, "bad-signature"),
    BAD_MATURITY(0xA6, "bad-maturity"),
    NOT_DUE(0xA7, "not-due"),
    LIMIT(0xA8, "limit"),
    BAD_TERMS(0xA9, "bad-terms"),
    MATURED(0xAA, "matured"),
    NO_OFFER(0xAB, "no-offer"),
    BAD_PRICE(0xAC, "bad-price"),
    BAD_COURT_ORDER(0xAD, "bad-court-order"),
    /** An operation in clear on a confidential piece, or a confidential one on a clear piece. */
    CONFIDENTIAL(0xAE, "confidential"),
    /** A commitment, range proof or sealed opening of a confidential piece that is wrong. */
    BAD_PROOF(0xAF, "bad-proof");

    private final int code;
    private final String label;

    Rule(int code, String label) {
      this.code = code;
      this.label = label;
    }

    /** The one-byte reason code. */
    public int code() {
      return code;
    }

    /** The rule's name as reasons write it. */
    public String label() {
      return label;
    }

    /** A revert reason or pre-check message: {@code "0x55 locked: " + detail}. */
    public String reason(String detail) {
      return String.format("0x%02x %s: %s", code, label, detail);
    }

    /** The rule whose reason {@code reason} is, or null when it is none of them. */
    public static Rule ofReason(String reason) {
      for (Rule rule : values()) {
        if (reason.startsWith(String.format("0x%02x %s:", rule.code, rule.label))) {
          return rule;
        }
      }
      return null;
    }
  }

  /**
   * What a confidential receivable's range proof is for; each proof is bound to its purpose,
   * the chain and the piece ({@link #proofContext}), so it is accepted for nothing else.
   */
  public enum ProofPurpose {
    /** The face value at issue: at least 1. */
    FACE_VALUE("face-value"),
    /** The amount a split moves to a new piece: at least 1. */
    SPLIT("split"),
    /** What the piece split keeps: at least 0. */
    REST("rest"),
    /** A financing price: at least 1. */
    PRICE("price"),
    /** The piece's value less the price: at least 0. */
    MARGIN("margin");

    private final String label;

    ProofPurpose(String label) {
      this.label = label;
    }
  }

  /** Where a piece is in its life; {@link #NONE} is a piece that does not exist. */
  public enum State { NONE, ACTIVE, OFFERED, FINANCED, PAID }

  /**
   * One piece of a receivable, as {@code pieceOf} returns it.
   *
   * @param faceValue the face value of the receivable it belongs to (its root's)
   * @param parent the piece it was split from; 0 for a root (an issued receivable)
   * @param lienHolder the bank that financed it, or null when none did
   * @param paidRef the payment's reference once paid, else 32 zero bytes
   * @param commitment the value's commitment of a confidential piece (whose face value and
   *     value read 0), else empty
   */
  public record Piece(long id, BigInteger faceValue, BigInteger value, Address holder,
      long parent, long root, BigInteger slot, State state, boolean frozen, Address lienHolder,
      byte[] paidRef, byte[] commitment) {
    /** Whether its amounts are committed, not in clear. */
    public boolean confidential() {
      return commitment.length != 0;
    }
  }

  /**
   * The terms a receivable was issued with, shared by all its pieces.
   *
   * @param maturity when it is due, in seconds since the epoch
   * @param issuedAt the block time it was issued at
   * @param digest what the obligor signed: {@link #termsDigest}
   * @param documents hashes binding the trade (notary content hashes, EPCIS event hash IDs)
   */
  public record Terms(Address obligor, Address supplier, BigInteger faceValue, String currency,
      long maturity, long issuedAt, byte[] digest, List<byte[]> documents) {}

  /**
   * A court's order on a piece, carried out by a governance vote.
   *
   * @param kind {@link ProposalKind#RECEIVABLE_FREEZE}, {@link ProposalKind#RECEIVABLE_UNFREEZE}
   *     or {@link ProposalKind#RECEIVABLE_FORCE_TRANSFER}
   * @param reference the court's reference of the order (case number, ruling)
   */
  public record CourtOrder(ProposalKind kind, String reference) {}

  /** An open offer of a piece to a bank, as {@code offerOf} returns it. */
  public record Offer(Address bank, BigInteger price) {}

  /**
   * A piece's financing, as {@code financingOf} returns it.
   *
   * @param discount the piece's value less the price: what the bank earns at maturity
   * @param financedAt the block time the bank accepted at
   */
  public record Financing(Address bank, BigInteger price, BigInteger discount,
      long financedAt) {}

  /**
   * A pre-check's answer ({@code canTransfer}, {@code canFinance}): the rule and the message
   * the contract gives, {@link Rule#OK} when allowed.
   */
  public record Check(Rule rule, String message) {
    public boolean allowed() {
      return rule == Rule.OK;
    }
  }

  /** The contract's events a service follows, by their first topic. */
  public enum Event {
    TRANSFER(ReceivableEvents.TRANSFER),
    TRANSFER_VALUE(ReceivableEvents.TRANSFER_VALUE),
    ISSUED(ReceivableEvents.ISSUED),
    FINANCING_OFFERED(ReceivableEvents.FINANCING_OFFERED),
    FINANCING_CANCELLED(ReceivableEvents.FINANCING_CANCELLED),
    FINANCED(ReceivableEvents.FINANCED),
    PAID(ReceivableEvents.PAID),
    COMMITTED(ReceivableEvents.COMMITTED),
    PRICE_COMMITTED(ReceivableEvents.PRICE_COMMITTED),
    OPENED(ReceivableEvents.OPENED),
    SEALING_KEY_PUBLISHED(ReceivableEvents.SEALING_KEY_PUBLISHED);

    private final Word topic;

    Event(com.esaulpaugh.headlong.abi.Event<?> event) {
      this.topic = Abi.topic0(event);
    }

    /** The event's first topic: the keccak-256 of its signature. */
    public Word topic() {
      return topic;
    }

    /** The event a log of the contract is, or null when it is none of these. */
    public static Event of(Log log) {
      if (!log.address().equals(SystemContracts.RECEIVABLES) || log.topics().isEmpty()) {
        return null;
      }
      for (Event event : values()) {
        if (event.topic.equals(log.topics().getFirst())) {
          return event;
        }
      }
      return null;
    }
  }

  private Receivables() {}

  /**
   * What the obligor signs to confirm a receivable, in the chain's suite: hash(TERMS_DOMAIN ||
   * abi.encode(chainId, 0x…1004, obligor, supplier, faceValue, currency, maturity, documents))
   * with the suite's hash (SM3 on sm chains, keccak-256 on ethereum ones). The chain id and the
   * contract's address keep a signature from being replayed on another chain.
   */
  public static byte[] termsDigest(HashFunction hash, BigInteger chainId, Address obligor,
      Address supplier, BigInteger faceValue, String currency, long maturity,
      List<byte[]> documents) {
    byte[] encoded = Abi.bytes(TERMS_TYPE.encode(Tuple.from(chainId,
        Abi.toAbi(SystemContracts.RECEIVABLES), Abi.toAbi(obligor), Abi.toAbi(supplier),
        faceValue, currency, BigInteger.valueOf(maturity), documents.toArray(byte[][]::new))));
    ByteArrayOutputStream preimage = new ByteArrayOutputStream();
    preimage.writeBytes(TERMS_DOMAIN.getBytes(StandardCharsets.US_ASCII));
    preimage.writeBytes(encoded);
    return hash.hash(preimage.toByteArray());
  }

  /**
   * What the obligor signs to confirm a confidential receivable: as {@link #termsDigest}, with
   * {@link #CONFIDENTIAL_TERMS_DOMAIN} and the face value's commitment (33 bytes) in place of
   * the face value.
   */
  public static byte[] confidentialTermsDigest(HashFunction hash, BigInteger chainId,
      Address obligor, Address supplier, byte[] faceCommitment, String currency, long maturity,
      List<byte[]> documents) {
    byte[] encoded = Abi.bytes(CONFIDENTIAL_TERMS_TYPE.encode(Tuple.from(chainId,
        Abi.toAbi(SystemContracts.RECEIVABLES), Abi.toAbi(obligor), Abi.toAbi(supplier),
        faceCommitment, currency, BigInteger.valueOf(maturity),
        documents.toArray(byte[][]::new))));
    ByteArrayOutputStream preimage = new ByteArrayOutputStream();
    preimage.writeBytes(CONFIDENTIAL_TERMS_DOMAIN.getBytes(StandardCharsets.US_ASCII));
    preimage.writeBytes(encoded);
    return hash.hash(preimage.toByteArray());
  }

  /**
   * The context a confidential receivable's range proof is made for: {@code
   * "chorus-receivables/" + purpose + "/"}, then the chain id and the piece's id (0 at issue),
   * each as 32 bytes.
   */
  public static byte[] proofContext(BigInteger chainId, ProofPurpose purpose, long id) {
    ByteArrayOutputStream context = new ByteArrayOutputStream();
    context.writeBytes(("chorus-receivables/" + purpose.label + "/").getBytes(
        StandardCharsets.US_ASCII));
    context.writeBytes(Word.fromBigInteger(chainId).toBytes());
    context.writeBytes(Word.of(id).toBytes());
    return context.toByteArray();
  }

  /**
   * The ERC-3525 slot of a receivable: uint256(keccak256(abi.encode(obligor, maturity,
   * currency))), keccak on every chain so that a Solidity contract computes it the same way.
   * Pieces of one slot share obligor, maturity and currency: they are interchangeable claims.
   */
  public static BigInteger slot(Address obligor, long maturity, String currency) {
    return new BigInteger(1, Keccak256.INSTANCE.hash(Abi.bytes(SLOT_TYPE.encode(
        Tuple.from(Abi.toAbi(obligor), BigInteger.valueOf(maturity), currency)))));
  }

  /** The suite whose hash {@code hash} is: whose signatures a chain hashing with it checks. */
  static CryptoSuite suiteOf(HashFunction hash) {
    return hash.name().equals(Sm3.INSTANCE.name()) ? CryptoSuite.sm() : CryptoSuite.ethereum();
  }

  /** Piece {@code id} in {@code state}, or null when there is none. */
  public static Piece piece(StateReader state, long id) {
    SystemStorage storage = view(state);
    return ReceivableLayout.exists(storage, id) ? ReceivableLayout.piece(storage, id) : null;
  }

  /** The terms of the receivable piece {@code id} belongs to, or null when there is none. */
  public static Terms terms(StateReader state, long id) {
    SystemStorage storage = view(state);
    return ReceivableLayout.exists(storage, id)
        ? ReceivableLayout.terms(storage, ReceivableLayout.rootOf(storage, id)) : null;
  }

  /** The pieces split directly from piece {@code id}, in the order they were split. */
  public static List<Long> children(StateReader state, long id) {
    return ReceivableLayout.children(view(state), id);
  }

  /** Every piece of the receivable rooted at {@code root}, the root first. */
  public static List<Long> pieces(StateReader state, long root) {
    return ReceivableLayout.pieces(view(state), root);
  }

  /**
   * The storage slots piece {@code id}'s own fields live in: value, holder, status (state,
   * frozen, holder epoch), offer, lien, financing, payment, children and court orders. A block
   * in which none of them changed left the piece as it was (its terms are its root's, written
   * once when it was issued): what the node's record history walks.
   */
  public static List<Word> pieceSlots(long id) {
    return List.of(ReceivableLayout.value(id), ReceivableLayout.holder(id),
        ReceivableLayout.status(id), ReceivableLayout.offerBank(id),
        ReceivableLayout.offerPrice(id), ReceivableLayout.lien(id),
        ReceivableLayout.financing(id), ReceivableLayout.paidRef(id),
        ReceivableLayout.childCount(id), ReceivableLayout.orderCount(id));
  }

  /** How many pieces exist; their ids run from 1 to this. */
  public static long pieceCount(StateReader state) {
    return view(state).readLong(ReceivableLayout.COUNT);
  }

  /** The court orders recorded on piece {@code id}: each its kind and court reference. */
  public static List<CourtOrder> courtOrders(StateReader state, long id) {
    return ReceivableLayout.courtOrders(view(state), id);
  }

  /** The face value's commitment of the confidential receivable piece id is of, else empty. */
  public static byte[] faceCommitment(StateReader state, long id) {
    SystemStorage storage = view(state);
    return ReceivableLayout.exists(storage, id) ? ReceivableLayout.faceCommitment(storage,
        ReceivableLayout.rootOf(storage, id)) : new byte[0];
  }

  /** The price's commitment of confidential piece id's offer or financing, else empty. */
  public static byte[] priceCommitment(StateReader state, long id) {
    SystemStorage storage = view(state);
    return ReceivableLayout.exists(storage, id) ? ReceivableLayout.priceCommitment(storage, id)
        : new byte[0];
  }

  /** The open offer of piece {@code id}, or null when it is not offered. */
  public static Offer offer(StateReader state, long id) {
    SystemStorage storage = view(state);
    if (!ReceivableLayout.exists(storage, id)
        || ReceivableLayout.state(storage.readBig(ReceivableLayout.status(id))) != State.OFFERED) {
      return null;
    }
    return new Offer(storage.readAddress(ReceivableLayout.offerBank(id)),
        storage.readBig(ReceivableLayout.offerPrice(id)));
  }

  /** The financing of piece {@code id}, or null when no bank financed it. */
  public static Financing financing(StateReader state, long id) {
    SystemStorage storage = view(state);
    if (!ReceivableLayout.exists(storage, id)) {
      return null;
    }
    Address bank = storage.readAddress(ReceivableLayout.lien(id));
    if (ReceivableLayout.isZero(bank)) {
      return null;
    }
    BigInteger packed = storage.readBig(ReceivableLayout.financing(id));
    BigInteger price = packed.shiftRight(64);
    return new Financing(bank, price,
        storage.readBig(ReceivableLayout.value(id)).subtract(price),
        ReceivableLayout.low(packed));
  }

  /** Whether {@code account} holds the role receivables.regulator in {@code state}. */
  public static boolean isRegulator(StateReader state, Address account) {
    return ReceivableRules.hasRole(view(state), account, Permissions.ROLE_RECEIVABLES_REGULATOR);
  }

  /** Whether piece {@code id} is past maturity at time {@code now}, unpaid and holds value. */
  public static boolean isOverdue(StateReader state, long id, long now) {
    return ReceivableRules.isOverdue(view(state), id, now);
  }

  // ---- call data -----------------------------------------------------------------------------

  /**
   * {@code issue(...)}, sent by the supplier, which returns the new root piece's id ({@link
   * #decodeId}).
   *
   * @param obligorKey the obligor's 64-byte public key
   * @param signature the obligor's r || s over {@link #termsDigest}
   */
  public static byte[] issueCall(Address obligor, BigInteger faceValue, String currency,
      long maturity, List<byte[]> documents, byte[] obligorKey, byte[] signature) {
    return Abi.bytes(ReceivablesContract.ISSUE.encodeCallWithArgs(Abi.toAbi(obligor), faceValue,
        currency, BigInteger.valueOf(maturity), documents.toArray(byte[][]::new), obligorKey,
        signature));
  }

  /**
   * {@code issueConfidential(...)}, sent by the supplier: {@link #issueCall} with the face
   * value committed, its range proof ({@link ProofPurpose#FACE_VALUE}) and its opening sealed
   * for the supplier and the obligor (and whoever else must read it).
   */
  public static byte[] issueConfidentialCall(Address obligor, byte[] faceCommitment,
      String currency, long maturity, List<byte[]> documents, byte[] obligorKey,
      byte[] signature, byte[] proof, byte[] openings) {
    return Abi.bytes(ReceivablesContract.ISSUE_CONFIDENTIAL.encodeCallWithArgs(
        Abi.toAbi(obligor), faceCommitment, currency, BigInteger.valueOf(maturity),
        documents.toArray(byte[][]::new), obligorKey, signature, proof, openings));
  }

  /**
   * {@code splitConfidential(id, to, commitment, proof, restProof, openings, restOpenings)}: a
   * new piece of {@code to} holding the committed amount ({@link #decodeId}); the proofs are of
   * the amount ({@link ProofPurpose#SPLIT}) and of what piece id keeps ({@link
   * ProofPurpose#REST}); the part's openings sealed for {@code to} and the obligor, what is
   * kept sealed for the holder and the obligor (and every regulator, both).
   */
  public static byte[] splitConfidentialCall(long id, Address to, byte[] commitment,
      byte[] proof, byte[] restProof, byte[] openings, byte[] restOpenings) {
    return Abi.bytes(ReceivablesContract.SPLIT_CONFIDENTIAL.encodeCallWithArgs(
        BigInteger.valueOf(id), Abi.toAbi(to), commitment, proof, restProof, openings,
        restOpenings));
  }

  /** {@code publishSealingKey(key)}: the sender's 64-byte public key, for openings. */
  public static byte[] publishSealingKeyCall(byte[] key) {
    return Abi.bytes(ReceivablesContract.PUBLISH_SEALING_KEY.encodeCallWithArgs(key));
  }

  /** The key {@code account} published for openings to be sealed to; empty when none. */
  public static byte[] sealingKey(StateReader state, Address account) {
    return ReceivableLayout.sealingKey(view(state), account);
  }

  /**
   * The regulators every confidential opening must be sealed for: accounts with the role
   * receivables.regulator that published a sealing key, in the order they published.
   */
  public static List<Address> regulators(StateReader state) {
    return ConfidentialReceivables.regulators(view(state));
  }

  /**
   * {@code offerConfidential(id, bank, priceCommitment, priceProof, marginProof, openings)}:
   * proofs of the price ({@link ProofPurpose#PRICE}) and of the value less the price ({@link
   * ProofPurpose#MARGIN}), the openings sealed for the bank.
   */
  public static byte[] offerConfidentialCall(long id, Address bank, byte[] priceCommitment,
      byte[] priceProof, byte[] marginProof, byte[] openings) {
    return Abi.bytes(ReceivablesContract.OFFER_CONFIDENTIAL.encodeCallWithArgs(
        BigInteger.valueOf(id), Abi.toAbi(bank), priceCommitment, priceProof, marginProof,
        openings));
  }

  /**
   * {@code transferConfidential(from, to, id, openings)}: the whole confidential piece moves to
   * {@code to} with its value's opening sealed for {@code to} (and every regulator).
   */
  public static byte[] transferConfidentialCall(Address from, Address to, long id,
      byte[] openings) {
    return Abi.bytes(ReceivablesContract.TRANSFER_CONFIDENTIAL.encodeCallWithArgs(
        Abi.toAbi(from), Abi.toAbi(to), BigInteger.valueOf(id), openings));
  }

  /** {@code shareOpening(id, openings)}: piece id's openings sealed for more parties. */
  public static byte[] shareOpeningCall(long id, byte[] openings) {
    return Abi.bytes(ReceivablesContract.SHARE_OPENING.encodeCallWithArgs(
        BigInteger.valueOf(id), openings));
  }

  /** The split-transfer {@code transferFrom(id, to, value)}: a new piece ({@link #decodeId}). */
  public static byte[] splitCall(long id, Address to, BigInteger value) {
    return Abi.bytes(ReceivablesContract.TRANSFER_VALUE.encodeCallWithArgs(
        BigInteger.valueOf(id), Abi.toAbi(to), value));
  }

  /** The whole-piece {@code transferFrom(from, to, id)}: the piece keeps its id. */
  public static byte[] transferCall(Address from, Address to, long id) {
    return Abi.bytes(ReceivablesContract.TRANSFER.encodeCallWithArgs(Abi.toAbi(from),
        Abi.toAbi(to), BigInteger.valueOf(id)));
  }

  public static byte[] offerCall(long id, Address bank, BigInteger price) {
    return Abi.bytes(ReceivablesContract.OFFER_FINANCING.encodeCallWithArgs(
        BigInteger.valueOf(id), Abi.toAbi(bank), price));
  }

  public static byte[] cancelCall(long id) {
    return Abi.bytes(ReceivablesContract.CANCEL_FINANCING.encodeCallWithArgs(
        BigInteger.valueOf(id)));
  }

  public static byte[] acceptCall(long id) {
    return Abi.bytes(ReceivablesContract.ACCEPT_FINANCING.encodeCallWithArgs(
        BigInteger.valueOf(id)));
  }

  /** {@code pay(id, paymentRef)}: the 32-byte reference of the payment. */
  public static byte[] payCall(long id, byte[] paymentRef) {
    return Abi.bytes(ReceivablesContract.PAY.encodeCallWithArgs(BigInteger.valueOf(id),
        paymentRef));
  }

  /** {@code canTransfer(id, to, value)}; {@link #decodeCheck} reads its answer. */
  public static byte[] canTransferCall(long id, Address to, BigInteger value) {
    return Abi.bytes(ReceivablesContract.CAN_TRANSFER.encodeCallWithArgs(
        BigInteger.valueOf(id), Abi.toAbi(to), value));
  }

  /** {@code canFinance(id, bank)}; {@link #decodeCheck} reads its answer. */
  public static byte[] canFinanceCall(long id, Address bank) {
    return Abi.bytes(ReceivablesContract.CAN_FINANCE.encodeCallWithArgs(
        BigInteger.valueOf(id), Abi.toAbi(bank)));
  }

  /** The answer of {@code canTransfer} or {@code canFinance}. */
  public static Check decodeCheck(byte[] output) {
    Tuple answer = ReceivablesContract.CAN_TRANSFER.getOutputs().decode(
        java.nio.ByteBuffer.wrap(output));
    String message = answer.get(1);
    Rule rule = Rule.ofReason(message);
    if (rule == null) {
      throw new IllegalArgumentException("not a pre-check's answer: " + message);
    }
    return new Check(rule, message);
  }

  /** The piece id {@code issue} or the split-transfer returned. */
  public static long decodeId(byte[] output) {
    return new BigInteger(1, output).longValueExact();
  }

  private static SystemStorage view(StateReader state) {
    return SystemStorage.readOnly(SystemContracts.RECEIVABLES, state);
  }
}
