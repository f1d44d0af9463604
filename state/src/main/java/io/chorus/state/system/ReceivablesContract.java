package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import io.chorus.state.system.ReceivableRules.Refusal;
import io.chorus.state.system.Receivables.Rule;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;

/**
 * The receivables contract's execution: its ABI ({@code Receivables.sol}) and the dispatch of
 * a call to {@link ReceivableRules}. {@link Receivables} is its public face.
 */
final class ReceivablesContract {
  static final String PIECE_TUPLE = "(uint256,uint256,address,uint256,uint256,uint256,uint8,"
      + "bool,address,bytes32)";
  static final String TERMS_TUPLE =
      "(address,address,uint256,string,uint64,uint64,bytes32,bytes32[])";

  // ERC-721 and ERC-3525
  static final Function NAME = Function.parse("name()", "(string)");
  static final Function SYMBOL = Function.parse("symbol()", "(string)");
  static final Function VALUE_DECIMALS = Function.parse("valueDecimals()", "(uint8)");
  static final Function BALANCE_OF_PIECE = Function.parse("balanceOf(uint256)", "(uint256)");
  static final Function BALANCE_OF_HOLDER = Function.parse("balanceOf(address)", "(uint256)");
  static final Function OWNER_OF = Function.parse("ownerOf(uint256)", "(address)");
  static final Function SLOT_OF = Function.parse("slotOf(uint256)", "(uint256)");
  static final Function APPROVE_VALUE = Function.parse("approve(uint256,address,uint256)");
  static final Function ALLOWANCE = Function.parse("allowance(uint256,address)", "(uint256)");
  static final Function APPROVE = Function.parse("approve(address,uint256)");
  static final Function GET_APPROVED = Function.parse("getApproved(uint256)", "(address)");
  static final Function SET_APPROVAL_FOR_ALL = Function.parse("setApprovalForAll(address,bool)");
  static final Function IS_APPROVED_FOR_ALL =
      Function.parse("isApprovedForAll(address,address)", "(bool)");
  static final Function TRANSFER_VALUE =
      Function.parse("transferFrom(uint256,address,uint256)", "(uint256)");
  static final Function TRANSFER = Function.parse("transferFrom(address,address,uint256)");
  // The service
  static final Function ISSUE = Function.parse(
      "issue(address,uint256,string,uint64,bytes32[],bytes,bytes)", "(uint256)");
  static final Function TERMS_DIGEST = Function.parse(
      "termsDigest(address,address,uint256,string,uint64,bytes32[])", "(bytes32)");
  static final Function OFFER_FINANCING =
      Function.parse("offerFinancing(uint256,address,uint256)");
  static final Function CANCEL_FINANCING = Function.parse("cancelFinancing(uint256)");
  static final Function ACCEPT_FINANCING = Function.parse("acceptFinancing(uint256)");
  static final Function PAY = Function.parse("pay(uint256,bytes32)");
  static final Function CAN_TRANSFER =
      Function.parse("canTransfer(uint256,address,uint256)", "(bytes1,string)");
  static final Function CAN_FINANCE =
      Function.parse("canFinance(uint256,address)", "(bytes1,string)");
  static final Function PIECE_OF = Function.parse("pieceOf(uint256)", "(" + PIECE_TUPLE + ")");
  static final Function TERMS_OF = Function.parse("termsOf(uint256)", "(" + TERMS_TUPLE + ")");
  static final Function CHILDREN_OF = Function.parse("childrenOf(uint256)", "(uint256[])");
  static final Function PIECES_OF = Function.parse("piecesOf(uint256)", "(uint256[])");
  static final Function OVERDUE_OF = Function.parse("overdueOf(uint256)", "(uint256[])");
  static final Function IS_OVERDUE = Function.parse("isOverdue(uint256)", "(bool)");
  static final Function OFFER_OF = Function.parse("offerOf(uint256)", "(address,uint256)");
  static final Function FINANCING_OF =
      Function.parse("financingOf(uint256)", "(address,uint256,uint256,uint64)");
  static final Function COURT_ORDERS_OF =
      Function.parse("courtOrdersOf(uint256)", "(uint8[],string[])");
  static final Function PIECE_COUNT = Function.parse("pieceCount()", "(uint256)");
  // Confidential receivables
  static final Function ISSUE_CONFIDENTIAL = Function.parse(
      "issueConfidential(address,bytes,string,uint64,bytes32[],bytes,bytes,bytes,bytes)",
      "(uint256)");
  static final Function CONFIDENTIAL_TERMS_DIGEST = Function.parse(
      "confidentialTermsDigest(address,address,bytes,string,uint64,bytes32[])", "(bytes32)");
  static final Function SPLIT_CONFIDENTIAL = Function.parse(
      "splitConfidential(uint256,address,bytes,bytes,bytes,bytes,bytes)", "(uint256)");
  static final Function OFFER_CONFIDENTIAL = Function.parse(
      "offerConfidential(uint256,address,bytes,bytes,bytes,bytes)");
  static final Function SHARE_OPENING = Function.parse("shareOpening(uint256,bytes)");
  static final Function TRANSFER_CONFIDENTIAL =
      Function.parse("transferConfidential(address,address,uint256,bytes)");
  static final Function PUBLISH_SEALING_KEY = Function.parse("publishSealingKey(bytes)");
  static final Function SEALING_KEY_OF = Function.parse("sealingKeyOf(address)", "(bytes)");
  static final Function REGULATORS = Function.parse("regulators()", "(address[])");
  static final Function COMMITMENT_OF = Function.parse("commitmentOf(uint256)", "(bytes)");
  static final Function FACE_COMMITMENT_OF =
      Function.parse("faceCommitmentOf(uint256)", "(bytes)");
  static final Function PRICE_COMMITMENT_OF =
      Function.parse("priceCommitmentOf(uint256)", "(bytes)");

  static final List<Function> FUNCTIONS = List.of(NAME, SYMBOL, VALUE_DECIMALS,
      BALANCE_OF_PIECE, BALANCE_OF_HOLDER, OWNER_OF, SLOT_OF, APPROVE_VALUE, ALLOWANCE, APPROVE,
      GET_APPROVED, SET_APPROVAL_FOR_ALL, IS_APPROVED_FOR_ALL, TRANSFER_VALUE, TRANSFER, ISSUE,
      TERMS_DIGEST, OFFER_FINANCING, CANCEL_FINANCING, ACCEPT_FINANCING, PAY, CAN_TRANSFER,
      CAN_FINANCE, PIECE_OF, TERMS_OF, CHILDREN_OF, PIECES_OF, OVERDUE_OF, IS_OVERDUE, OFFER_OF,
      FINANCING_OF, COURT_ORDERS_OF, PIECE_COUNT, ISSUE_CONFIDENTIAL, CONFIDENTIAL_TERMS_DIGEST,
      SPLIT_CONFIDENTIAL, OFFER_CONFIDENTIAL, SHARE_OPENING, COMMITMENT_OF, FACE_COMMITMENT_OF,
      PRICE_COMMITMENT_OF, PUBLISH_SEALING_KEY, SEALING_KEY_OF, REGULATORS,
      TRANSFER_CONFIDENTIAL);
  private static final List<Function> WRITES = List.of(APPROVE_VALUE, APPROVE,
      SET_APPROVAL_FOR_ALL, TRANSFER_VALUE, TRANSFER, ISSUE, OFFER_FINANCING, CANCEL_FINANCING,
      ACCEPT_FINANCING, PAY, ISSUE_CONFIDENTIAL, SPLIT_CONFIDENTIAL, OFFER_CONFIDENTIAL,
      SHARE_OPENING, PUBLISH_SEALING_KEY, TRANSFER_CONFIDENTIAL);

  private ReceivablesContract() {}

  /** Runs a call from {@code sender}; null when the selector is none of the contract's. */
  static byte[] call(SystemStorage storage, Address sender, byte[] input,
      SystemContracts.Context context, boolean isStatic, HashFunction hash) {
    Function f = SystemContracts.match(FUNCTIONS, input);
    if (f == null) {
      return null;
    }
    Tuple args = f.decodeCall(input);
    if (WRITES.contains(f)) {
      if (isStatic) {
        throw new SystemContracts.Revert(f.getName() + " changes state: send it as a"
            + " transaction");
      }
      return write(storage, sender, f, args, context, hash);
    }
    return encode(f, read(storage, sender, f, args, context, hash));
  }

  private static byte[] write(SystemStorage storage, Address sender, Function f, Tuple args,
      SystemContracts.Context context, HashFunction hash) {
    long now = context.timestamp();
    if (f == ISSUE) {
      ReceivableRules.Issue issue = new ReceivableRules.Issue(Abi.fromAbi(args.get(0)), sender,
          args.get(1), args.get(2), seconds(args.get(3)), Arrays.asList((byte[][]) args.get(4)),
          args.get(5), args.get(6));
      byte[] digest = digest(hash, context, issue.obligor(), sender, issue.faceValue(),
          issue.currency(), issue.maturity(), issue.documents());
      ReceivableRules.require(ReceivableRules.checkIssue(storage, issue, digest, now,
          Receivables.suiteOf(hash)));
      return encode(f, Tuple.singleton(BigInteger.valueOf(
          ReceivableRules.issue(storage, issue, digest, now))));
    }
    CryptoSuite suite = Receivables.suiteOf(hash);
    if (f == ISSUE_CONFIDENTIAL) {
      ReceivableRules.Issue issue = new ReceivableRules.Issue(Abi.fromAbi(args.get(0)), sender,
          BigInteger.ZERO, args.get(2), seconds(args.get(3)),
          Arrays.asList((byte[][]) args.get(4)), args.get(5), args.get(6));
      ConfidentialReceivables.Sealed face = new ConfidentialReceivables.Sealed(args.get(1),
          args.get(7), args.get(8));
      byte[] digest = Receivables.confidentialTermsDigest(hash, context.chainId(),
          issue.obligor(), sender, face.commitment(), issue.currency(), issue.maturity(),
          issue.documents());
      ReceivableRules.require(ConfidentialReceivables.checkIssue(storage, issue, face, digest,
          now, suite, context.chainId()));
      return encode(f, Tuple.singleton(BigInteger.valueOf(
          ConfidentialReceivables.issue(storage, issue, face, digest, now))));
    }
    if (f == PUBLISH_SEALING_KEY) {
      ConfidentialReceivables.publishSealingKey(storage, sender, args.get(0), suite);
      return new byte[0];
    }
    long id = ReceivableRules.id(f == TRANSFER || f == TRANSFER_CONFIDENTIAL ? args.get(2)
        : args.get(0));
    if (f == TRANSFER_CONFIDENTIAL) {
      ConfidentialReceivables.transferWhole(storage, sender, Abi.fromAbi(args.get(0)), id,
          Abi.fromAbi(args.get(1)), args.get(3), suite);
    } else if (f == SPLIT_CONFIDENTIAL) {
      return encode(f, Tuple.singleton(BigInteger.valueOf(ConfidentialReceivables.split(
          storage, sender, id, Abi.fromAbi(args.get(1)), new ConfidentialReceivables.Sealed(
              args.get(2), args.get(3), args.get(5)), new ConfidentialReceivables.Kept(
              args.get(4), args.get(6)), suite, context.chainId()))));
    } else if (f == OFFER_CONFIDENTIAL) {
      ConfidentialReceivables.offer(storage, sender, id, Abi.fromAbi(args.get(1)),
          new ConfidentialReceivables.Sealed(args.get(2), args.get(3), args.get(5)),
          args.get(4), now, suite, context.chainId());
    } else if (f == SHARE_OPENING) {
      ConfidentialReceivables.shareOpening(storage, sender, id, args.get(1), suite);
    } else if (f == TRANSFER_VALUE) {
      return encode(f, Tuple.singleton(BigInteger.valueOf(ReceivableRules.transferValue(
          storage, sender, id, Abi.fromAbi(args.get(1)), args.get(2)))));
    } else if (f == TRANSFER) {
      ReceivableRules.transferWhole(storage, sender, Abi.fromAbi(args.get(0)), id,
          Abi.fromAbi(args.get(1)));
    } else if (f == OFFER_FINANCING) {
      ReceivableRules.offer(storage, sender, id, Abi.fromAbi(args.get(1)), args.get(2), now);
    } else if (f == CANCEL_FINANCING) {
      ReceivableRules.cancel(storage, sender, id);
    } else if (f == ACCEPT_FINANCING) {
      ReceivableRules.accept(storage, sender, id, now);
    } else if (f == PAY) {
      ReceivableRules.pay(storage, sender, id, args.get(1), now);
    } else if (f == APPROVE_VALUE) {
      Address operator = Abi.fromAbi(args.get(1));
      long epoch = ReceivableRules.checkApprover(storage, sender, id, operator);
      if (ReceivableLayout.isConfidential(storage, id)) {
        throw ConfidentialReceivables.inClear(id, "an allowance is an amount in clear; approve"
            + " the whole piece with approve(to, id) instead").revert();
      }
      storage.write(ReceivableLayout.allowance(id, epoch, operator), (BigInteger) args.get(2));
      ReceivableEvents.approvalValue(storage, id, operator, args.get(2));
    } else if (f == APPROVE) {
      id = ReceivableRules.id(args.get(1));
      Address approved = Abi.fromAbi(args.get(0));
      long epoch = ReceivableRules.checkApprover(storage, sender, id, approved);
      storage.write(ReceivableLayout.approved(id, epoch), approved);
      ReceivableEvents.approval(storage, storage.readAddress(ReceivableLayout.holder(id)),
          approved, id);
    } else {
      Address operator = Abi.fromAbi(args.get(0));
      if (operator.equals(sender)) {
        throw new Refusal(Rule.BAD_OPERATOR, "an account is always its own operator")
            .revert();
      }
      boolean approved = args.get(1);
      storage.write(ReceivableLayout.operator(sender, operator), approved ? 1 : 0);
      ReceivableEvents.approvalForAll(storage, sender, operator, approved);
    }
    return new byte[0];
  }

  private static Tuple read(SystemStorage storage, Address sender, Function f, Tuple args,
      SystemContracts.Context context, HashFunction hash) {
    long now = context.timestamp();
    if (f == NAME) {
      return Tuple.singleton("Chorus Receivable");
    } else if (f == SYMBOL) {
      return Tuple.singleton("RCV");
    } else if (f == VALUE_DECIMALS) {
      return Tuple.singleton(Receivables.VALUE_DECIMALS);
    } else if (f == PIECE_COUNT) {
      return Tuple.singleton(storage.readBig(ReceivableLayout.COUNT));
    } else if (f == BALANCE_OF_HOLDER) {
      return Tuple.singleton(storage.readBig(ReceivableLayout.holdings(
          Abi.fromAbi(args.get(0)))));
    } else if (f == IS_APPROVED_FOR_ALL) {
      return Tuple.singleton(!storage.read(ReceivableLayout.operator(Abi.fromAbi(args.get(0)),
          Abi.fromAbi(args.get(1)))).isZero());
    } else if (f == TERMS_DIGEST) {
      return Tuple.singleton(digest(hash, context, Abi.fromAbi(args.get(0)),
          Abi.fromAbi(args.get(1)), args.get(2), args.get(3), seconds(args.get(4)),
          Arrays.asList((byte[][]) args.get(5))));
    } else if (f == SEALING_KEY_OF) {
      return Tuple.singleton(ReceivableLayout.sealingKey(storage, Abi.fromAbi(args.get(0))));
    } else if (f == REGULATORS) {
      return Tuple.singleton(ConfidentialReceivables.regulators(storage).stream()
          .map(Abi::toAbi).toArray(com.esaulpaugh.headlong.abi.Address[]::new));
    } else if (f == CONFIDENTIAL_TERMS_DIGEST) {
      return Tuple.singleton(Receivables.confidentialTermsDigest(hash, context.chainId(),
          Abi.fromAbi(args.get(0)), Abi.fromAbi(args.get(1)), args.get(2), args.get(3),
          seconds(args.get(4)), Arrays.asList((byte[][]) args.get(5))));
    } else if (f == CAN_TRANSFER) {
      return answer(ReceivableRules.checkTransfer(storage, sender,
          ReceivableRules.id(args.get(0)), Abi.fromAbi(args.get(1)), args.get(2)));
    } else if (f == CAN_FINANCE) {
      return answer(canFinance(storage, sender, ReceivableRules.id(args.get(0)),
          Abi.fromAbi(args.get(1)), now));
    } else if (f == IS_OVERDUE) {
      return Tuple.singleton(ReceivableRules.isOverdue(storage,
          ReceivableRules.id(args.get(0)), now));
    }
    long id = ReceivableRules.id(args.get(0));
    if (!ReceivableLayout.exists(storage, id)) {
      throw new Refusal(Rule.NO_PIECE, "no piece " + args.get(0)).revert();
    }
    return readPiece(storage, f, args, id, now);
  }

  /** The views of one piece, which exists. */
  private static Tuple readPiece(SystemStorage storage, Function f, Tuple args, long id,
      long now) {
    if (f == BALANCE_OF_PIECE) {
      return Tuple.singleton(storage.readBig(ReceivableLayout.value(id)));
    } else if (f == OWNER_OF) {
      return Tuple.singleton(Abi.toAbi(storage.readAddress(ReceivableLayout.holder(id))));
    } else if (f == SLOT_OF) {
      return Tuple.singleton(storage.readBig(ReceivableLayout.slotOf(
          ReceivableLayout.rootOf(storage, id))));
    } else if (f == ALLOWANCE || f == GET_APPROVED) {
      long epoch = ReceivableLayout.epoch(storage.readBig(ReceivableLayout.status(id)));
      return f == GET_APPROVED
          ? Tuple.singleton(Abi.toAbi(storage.readAddress(ReceivableLayout.approved(id, epoch))))
          : Tuple.singleton(storage.readBig(ReceivableLayout.allowance(id, epoch,
              Abi.fromAbi(args.get(1)))));
    } else if (f == PIECE_OF) {
      return Tuple.singleton(pieceTuple(ReceivableLayout.piece(storage, id)));
    } else if (f == TERMS_OF) {
      return Tuple.singleton(termsTuple(ReceivableLayout.terms(storage,
          ReceivableLayout.rootOf(storage, id))));
    } else if (f == COMMITMENT_OF) {
      return Tuple.singleton(ReceivableLayout.commitment(storage, id));
    } else if (f == FACE_COMMITMENT_OF) {
      return Tuple.singleton(ReceivableLayout.faceCommitment(storage,
          ReceivableLayout.rootOf(storage, id)));
    } else if (f == PRICE_COMMITMENT_OF) {
      return Tuple.singleton(ReceivableLayout.priceCommitment(storage, id));
    } else if (f == CHILDREN_OF) {
      return ids(ReceivableLayout.children(storage, id));
    } else if (f == PIECES_OF) {
      return ids(ReceivableLayout.pieces(storage, ReceivableLayout.rootOf(storage, id)));
    } else if (f == OVERDUE_OF) {
      return ids(ReceivableLayout.pieces(storage, ReceivableLayout.rootOf(storage, id)).stream()
          .filter(piece -> ReceivableRules.isOverdue(storage, piece, now)).toList());
    } else if (f == OFFER_OF) {
      return Tuple.of(Abi.toAbi(storage.readAddress(ReceivableLayout.offerBank(id))),
          storage.readBig(ReceivableLayout.offerPrice(id)));
    } else if (f == FINANCING_OF) {
      BigInteger packed = storage.readBig(ReceivableLayout.financing(id));
      BigInteger price = packed.shiftRight(64);
      BigInteger value = storage.readBig(ReceivableLayout.value(id));
      return Tuple.of(Abi.toAbi(storage.readAddress(ReceivableLayout.lien(id))), price,
          price.signum() == 0 ? BigInteger.ZERO : value.subtract(price),
          BigInteger.valueOf(ReceivableLayout.low(packed)));
    } else {
      List<Receivables.CourtOrder> orders = ReceivableLayout.courtOrders(storage, id);
      return Tuple.of(orders.stream().mapToInt(o -> o.kind().ordinal()).toArray(),
          orders.stream().map(Receivables.CourtOrder::reference).toArray(String[]::new));
    }
  }

  /**
   * Whether the caller's financing step would pass: asked by {@code bank} itself, its
   * acceptance of the piece; asked by anyone else, that caller's offer of it to {@code bank}.
   */
  private static Refusal canFinance(SystemStorage storage, Address sender, long id,
      Address bank, long now) {
    return sender.equals(bank) ? ReceivableRules.checkAccept(storage, sender, id, now)
        : ReceivableRules.checkOffer(storage, sender, id, bank, null, now);
  }

  private static Tuple answer(Refusal refusal) {
    Rule rule = refusal == null ? Rule.OK : refusal.rule();
    return Tuple.of(new byte[] {(byte) rule.code()},
        refusal == null ? Rule.OK.reason("allowed") : refusal.reason());
  }

  private static byte[] digest(HashFunction hash, SystemContracts.Context context,
      Address obligor, Address supplier, BigInteger faceValue, String currency, long maturity,
      List<byte[]> documents) {
    return Receivables.termsDigest(hash, context.chainId(), obligor, supplier, faceValue,
        currency, maturity, documents);
  }

  /** A uint64 time; one beyond a long is beyond any term, so it stands as Long.MAX_VALUE. */
  private static long seconds(BigInteger uint64) {
    return uint64.bitLength() < 64 ? uint64.longValue() : Long.MAX_VALUE;
  }

  private static Tuple ids(List<Long> ids) {
    return Tuple.singleton(ids.stream().map(BigInteger::valueOf).toArray(BigInteger[]::new));
  }

  static Tuple pieceTuple(Receivables.Piece p) {
    return Tuple.from(p.faceValue(), p.value(), Abi.toAbi(p.holder()),
        BigInteger.valueOf(p.parent()), BigInteger.valueOf(p.root()), p.slot(),
        p.state().ordinal(), p.frozen(),
        Abi.toAbi(p.lienHolder() == null ? Address.of(new byte[Address.BYTES]) : p.lienHolder()),
        p.paidRef());
  }

  static Tuple termsTuple(Receivables.Terms t) {
    return Tuple.from(Abi.toAbi(t.obligor()), Abi.toAbi(t.supplier()), t.faceValue(),
        t.currency(), BigInteger.valueOf(t.maturity()), BigInteger.valueOf(t.issuedAt()),
        t.digest(),
        t.documents().toArray(byte[][]::new));
  }

  private static byte[] encode(Function f, Tuple values) {
    return Abi.bytes(f.getOutputs().encode(values));
  }
}
