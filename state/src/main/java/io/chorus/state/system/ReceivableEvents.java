package io.chorus.state.system;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import java.math.BigInteger;
import java.util.List;

/**
 * The receivables contract's events, as {@code Receivables.sol} declares them: ERC-721's and
 * ERC-3525's for every change of holder, value and slot (so wallets and indexers follow the
 * pieces as tokens), and the service's own for issue, financing and payment.
 */
final class ReceivableEvents {
  static final Event<?> TRANSFER = Event.create("Transfer",
      TupleType.parse("(address,address,uint256)"), true, true, true);
  static final Event<?> APPROVAL = Event.create("Approval",
      TupleType.parse("(address,address,uint256)"), true, true, true);
  static final Event<?> APPROVAL_FOR_ALL = Event.create("ApprovalForAll",
      TupleType.parse("(address,address,bool)"), true, true, false);
  static final Event<?> TRANSFER_VALUE = Event.create("TransferValue",
      TupleType.parse("(uint256,uint256,uint256)"), true, true, false);
  static final Event<?> APPROVAL_VALUE = Event.create("ApprovalValue",
      TupleType.parse("(uint256,address,uint256)"), true, true, false);
  static final Event<?> SLOT_CHANGED = Event.create("SlotChanged",
      TupleType.parse("(uint256,uint256,uint256)"), true, true, true);
  static final Event<?> ISSUED = Event.create("Issued",
      TupleType.parse("(uint256,address,address,uint256,string,uint64,bytes32,string)"),
      true, true, true, false, false, false, false, false);
  static final Event<?> FINANCING_OFFERED = Event.create("FinancingOffered",
      TupleType.parse("(uint256,address,address,uint256)"), true, true, true, false);
  static final Event<?> FINANCING_CANCELLED = Event.create("FinancingCancelled",
      TupleType.parse("(uint256,address)"), true, true);
  static final Event<?> FINANCED = Event.create("Financed",
      TupleType.parse("(uint256,address,address,uint256,uint256)"),
      true, true, true, false, false);
  static final Event<?> PAID = Event.create("Paid",
      TupleType.parse("(uint256,address,address,uint256,bytes32)"),
      true, true, true, false, false);
  static final Event<?> COMMITTED = Event.create("Committed",
      TupleType.parse("(uint256,bytes)"), true, false);
  static final Event<?> PRICE_COMMITTED = Event.create("PriceCommitted",
      TupleType.parse("(uint256,bytes)"), true, false);
  static final Event<?> OPENED = Event.create("Opened",
      TupleType.parse("(uint256,address,bytes)"), true, true, false);
  static final Event<?> SEALING_KEY_PUBLISHED = Event.create("SealingKeyPublished",
      TupleType.parse("(address,bytes)"), true, false);
  static final List<Event<?>> ALL = List.of(TRANSFER, APPROVAL, APPROVAL_FOR_ALL,
      TRANSFER_VALUE, APPROVAL_VALUE, SLOT_CHANGED, ISSUED, FINANCING_OFFERED,
      FINANCING_CANCELLED, FINANCED, PAID, COMMITTED, PRICE_COMMITTED, OPENED,
      SEALING_KEY_PUBLISHED);

  private static final Address NONE = Address.of(new byte[Address.BYTES]);

  private ReceivableEvents() {}

  /**
   * A new piece {@code id} of {@code to}, its value from piece {@code from} (0 at issue):
   * ERC-3525's mint (Transfer from zero, SlotChanged from 0), then its TransferValue.
   */
  static void mint(SystemStorage storage, long from, long id, Address to, BigInteger value,
      BigInteger slot) {
    transfer(storage, NONE, to, id);
    storage.log(List.of(Abi.topic0(SLOT_CHANGED), Word.of(id), Word.ZERO,
        Word.fromBigInteger(slot)), new byte[0]);
    storage.log(List.of(Abi.topic0(TRANSFER_VALUE), Word.of(from), Word.of(id)),
        Word.fromBigInteger(value).toBytes());
  }

  static void transfer(SystemStorage storage, Address from, Address to, long id) {
    storage.log(List.of(Abi.topic0(TRANSFER), Abi.topic(from), Abi.topic(to), Word.of(id)),
        new byte[0]);
  }

  static void approval(SystemStorage storage, Address holder, Address approved, long id) {
    storage.log(List.of(Abi.topic0(APPROVAL), Abi.topic(holder), Abi.topic(approved),
        Word.of(id)), new byte[0]);
  }

  static void approvalForAll(SystemStorage storage, Address holder, Address operator,
      boolean approved) {
    storage.log(List.of(Abi.topic0(APPROVAL_FOR_ALL), Abi.topic(holder), Abi.topic(operator)),
        Word.of(approved ? 1 : 0).toBytes());
  }

  static void approvalValue(SystemStorage storage, long id, Address operator,
      BigInteger value) {
    storage.log(List.of(Abi.topic0(APPROVAL_VALUE), Word.of(id), Abi.topic(operator)),
        Word.fromBigInteger(value).toBytes());
  }

  static void issued(SystemStorage storage, long id, ReceivableRules.Issue issue,
      byte[] digest, String warning) {
    storage.log(List.of(Abi.topic0(ISSUED), Word.of(id), Abi.topic(issue.obligor()),
        Abi.topic(issue.supplier())), Abi.bytes(ISSUED.getNonIndexedParams().encode(
            Tuple.of(issue.faceValue(), issue.currency(), BigInteger.valueOf(issue.maturity()),
                digest,
                warning))));
  }

  static void offered(SystemStorage storage, long id, Address holder, Address bank,
      BigInteger price) {
    storage.log(List.of(Abi.topic0(FINANCING_OFFERED), Word.of(id), Abi.topic(holder),
        Abi.topic(bank)), Word.fromBigInteger(price).toBytes());
  }

  static void cancelled(SystemStorage storage, long id, Address by) {
    storage.log(List.of(Abi.topic0(FINANCING_CANCELLED), Word.of(id), Abi.topic(by)),
        new byte[0]);
  }

  static void financed(SystemStorage storage, long id, Address holder, Address bank,
      BigInteger price, BigInteger discount) {
    storage.log(List.of(Abi.topic0(FINANCED), Word.of(id), Abi.topic(holder),
        Abi.topic(bank)), Abi.bytes(FINANCED.getNonIndexedParams().encode(
            Tuple.of(price, discount))));
  }

  static void paid(SystemStorage storage, long id, Address obligor, Address payee,
      BigInteger value, byte[] paymentRef) {
    storage.log(List.of(Abi.topic0(PAID), Word.of(id), Abi.topic(obligor), Abi.topic(payee)),
        Abi.bytes(PAID.getNonIndexedParams().encode(Tuple.of(value, paymentRef))));
  }

  /** Confidential piece {@code id}'s value is now {@code commitment}. */
  static void committed(SystemStorage storage, long id, byte[] commitment) {
    storage.log(List.of(Abi.topic0(COMMITTED), Word.of(id)),
        Abi.bytes(COMMITTED.getNonIndexedParams().encode(Tuple.singleton(commitment))));
  }

  /** Confidential piece {@code id} is offered at the price {@code commitment} commits to. */
  static void priceCommitted(SystemStorage storage, long id, byte[] commitment) {
    storage.log(List.of(Abi.topic0(PRICE_COMMITTED), Word.of(id)),
        Abi.bytes(PRICE_COMMITTED.getNonIndexedParams().encode(Tuple.singleton(commitment))));
  }

  /** {@code by} sealed openings of piece {@code id}'s amounts for the parties named in them. */
  static void opened(SystemStorage storage, long id, Address by, byte[] openings) {
    storage.log(List.of(Abi.topic0(OPENED), Word.of(id), Abi.topic(by)),
        Abi.bytes(OPENED.getNonIndexedParams().encode(Tuple.singleton(openings))));
  }

  static void sealingKeyPublished(SystemStorage storage, Address account, byte[] key) {
    storage.log(List.of(Abi.topic0(SEALING_KEY_PUBLISHED), Abi.topic(account)),
        Abi.bytes(SEALING_KEY_PUBLISHED.getNonIndexedParams().encode(Tuple.singleton(key))));
  }
}
