package io.chorus.state.system;

import io.chorus.evm.Address;
import io.chorus.evm.Word;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where the receivables contract keeps its data in its account's storage, and the reads and
 * writes of it: pieces by id (from 1), the terms by root id, lineage as child lists, approvals
 * by (piece, holder epoch) so that a new holder starts with none. Documented in {@code
 * Receivables.sol} for whoever proves a piece from a storage proof.
 */
final class ReceivableLayout {
  static final Word COUNT = SystemStorage.slot("piece.count");

  private static final long STATE_MASK = 0xff;
  private static final long FROZEN_BIT = 1L << 8;
  private static final int EPOCH_SHIFT = 64;
  private static final long TIME_MASK = -1L >>> 1;

  private ReceivableLayout() {}

  // ---- slots ---------------------------------------------------------------------------------

  static Word value(long id) {
    return SystemStorage.slot("piece.value", id);
  }

  static Word holder(long id) {
    return SystemStorage.slot("piece.holder", id);
  }

  static Word parent(long id) {
    return SystemStorage.slot("piece.parent", id);
  }

  static Word root(long id) {
    return SystemStorage.slot("piece.root", id);
  }

  /** epoch << 64 | frozen << 8 | state; the epoch counts the piece's holders. */
  static Word status(long id) {
    return SystemStorage.slot("piece.status", id);
  }

  static Word offerBank(long id) {
    return SystemStorage.slot("piece.offer.bank", id);
  }

  static Word offerPrice(long id) {
    return SystemStorage.slot("piece.offer.price", id);
  }

  static Word lien(long id) {
    return SystemStorage.slot("piece.lien", id);
  }

  /** price << 64 | financing block time. */
  static Word financing(long id) {
    return SystemStorage.slot("piece.financing", id);
  }

  static Word paidRef(long id) {
    return SystemStorage.slot("piece.paid", id);
  }

  static Word childCount(long id) {
    return SystemStorage.slot("piece.children", id);
  }

  static Word child(long id, long index) {
    return SystemStorage.slot("piece.child", id, index);
  }

  static Word approved(long id, long epoch) {
    return SystemStorage.slot("piece.approved", id, epoch);
  }

  static Word allowance(long id, long epoch, Address operator) {
    return SystemStorage.slot("piece.allowance", id, epoch, operator);
  }

  static Word operator(Address holder, Address operator) {
    return SystemStorage.slot("operator", holder, operator);
  }

  static Word holdings(Address holder) {
    return SystemStorage.slot("holder.count", holder);
  }

  static Word obligor(long root) {
    return SystemStorage.slot("root.obligor", root);
  }

  static Word supplier(long root) {
    return SystemStorage.slot("root.supplier", root);
  }

  static Word faceValue(long root) {
    return SystemStorage.slot("root.face", root);
  }

  /** maturity << 64 | issuing block time. */
  static Word dates(long root) {
    return SystemStorage.slot("root.dates", root);
  }

  static Word slotOf(long root) {
    return SystemStorage.slot("root.slot", root);
  }

  static Word digest(long root) {
    return SystemStorage.slot("root.terms", root);
  }

  static Word documentCount(long root) {
    return SystemStorage.slot("root.documents", root);
  }

  static Word document(long root, long index) {
    return SystemStorage.slot("root.document", root, index);
  }

  static Word pieceCount(long root) {
    return SystemStorage.slot("root.pieces", root);
  }

  static Word piece(long root, long index) {
    return SystemStorage.slot("root.piece", root, index);
  }

  static Word byDigest(Word digest) {
    return SystemStorage.slot("terms", digest);
  }

  static Word orderCount(long id) {
    return SystemStorage.slot("piece.orders", id);
  }

  // ---- status word ---------------------------------------------------------------------------

  static Receivables.State state(BigInteger status) {
    return Receivables.State.values()[(int) (status.longValue() & STATE_MASK)];
  }

  static boolean frozen(BigInteger status) {
    return (status.longValue() & FROZEN_BIT) != 0;
  }

  static long epoch(BigInteger status) {
    return status.shiftRight(EPOCH_SHIFT).longValueExact();
  }

  static BigInteger status(Receivables.State state, boolean frozen, long epoch) {
    return BigInteger.valueOf(epoch).shiftLeft(EPOCH_SHIFT)
        .or(BigInteger.valueOf(state.ordinal() | (frozen ? FROZEN_BIT : 0)));
  }

  static BigInteger pack(BigInteger high, long time) {
    return high.shiftLeft(64).or(BigInteger.valueOf(time));
  }

  static long low(BigInteger packed) {
    return packed.longValue() & TIME_MASK;
  }

  // ---- reads ---------------------------------------------------------------------------------

  // ---- confidential pieces: compressed points as bytes ---------------------------------------

  static final Word REGULATOR_COUNT = SystemStorage.slot("regulator.count");

  static Word regulator(long index) {
    return SystemStorage.slot("regulator", index);
  }

  /** The public key {@code account} published for openings to be sealed to; empty if none. */
  static byte[] sealingKey(SystemStorage storage, Address account) {
    return storage.readBytes("sealing.key", account);
  }

  static void setSealingKey(SystemStorage storage, Address account, byte[] key) {
    storage.writeBytes("sealing.key", account, key);
  }

  private static final String COMMITMENT = "piece.commitment";
  private static final String FACE_COMMITMENT = "root.commitment";
  private static final String PRICE_COMMITMENT = "piece.price.commitment";

  /** Whether piece {@code id}'s receivable was issued confidential: its root has a commitment. */
  static boolean isConfidential(SystemStorage storage, long id) {
    return storage.readLong(SystemStorage.slot(FACE_COMMITMENT + ".length", rootOf(storage, id)))
        != 0;
  }

  /** Piece id's value commitment; empty for a piece in clear. */
  static byte[] commitment(SystemStorage storage, long id) {
    return storage.readBytes(COMMITMENT, id);
  }

  static void setCommitment(SystemStorage storage, long id, byte[] commitment) {
    storage.writeBytes(COMMITMENT, id, commitment);
  }

  /** The face value's commitment of the receivable rooted at {@code root}. */
  static byte[] faceCommitment(SystemStorage storage, long root) {
    return storage.readBytes(FACE_COMMITMENT, root);
  }

  static void setFaceCommitment(SystemStorage storage, long root, byte[] commitment) {
    storage.writeBytes(FACE_COMMITMENT, root, commitment);
  }

  /** The price's commitment of piece id's open offer or financing; empty when none. */
  static byte[] priceCommitment(SystemStorage storage, long id) {
    return storage.readBytes(PRICE_COMMITMENT, id);
  }

  static void setPriceCommitment(SystemStorage storage, long id, byte[] commitment) {
    storage.writeBytes(PRICE_COMMITMENT, id, commitment);
  }

  /** Clears the price's commitment, its chunks too, so no stale point stays in state. */
  static void clearPriceCommitment(SystemStorage storage, long id) {
    int length = priceCommitment(storage, id).length;
    if (length != 0) {
      storage.writeBytes(PRICE_COMMITMENT, id, new byte[length]);
      storage.write(SystemStorage.slot(PRICE_COMMITMENT + ".length", id), 0);
    }
  }

  static boolean exists(SystemStorage storage, long id) {
    return id >= 1 && id <= storage.readLong(COUNT);
  }

  static long rootOf(SystemStorage storage, long id) {
    return storage.readLong(root(id));
  }

  /** Piece {@code id}, which exists. */
  static Receivables.Piece piece(SystemStorage storage, long id) {
    long root = rootOf(storage, id);
    BigInteger status = storage.readBig(status(id));
    Receivables.State state = state(status);
    Address lien = storage.readAddress(lien(id));
    return new Receivables.Piece(id, storage.readBig(faceValue(root)),
        storage.readBig(value(id)), storage.readAddress(holder(id)),
        storage.readLong(parent(id)), root, storage.readBig(slotOf(root)), state,
        frozen(status), isZero(lien) ? null : lien, storage.read(paidRef(id)).toBytes(),
        commitment(storage, id));
  }

  /** The terms of the receivable rooted at {@code root}, which exists. */
  static Receivables.Terms terms(SystemStorage storage, long root) {
    BigInteger dates = storage.readBig(dates(root));
    long count = storage.readLong(documentCount(root));
    List<byte[]> documents = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      documents.add(storage.read(document(root, i)).toBytes());
    }
    return new Receivables.Terms(storage.readAddress(obligor(root)),
        storage.readAddress(supplier(root)), storage.readBig(faceValue(root)),
        new String(storage.readBytes("root.currency", root), StandardCharsets.US_ASCII),
        dates.shiftRight(64).longValueExact(), low(dates), storage.read(digest(root)).toBytes(),
        documents);
  }

  static List<Long> children(SystemStorage storage, long id) {
    return list(storage, childCount(id), i -> child(id, i));
  }

  static List<Long> pieces(SystemStorage storage, long root) {
    return list(storage, pieceCount(root), i -> piece(root, i));
  }

  private static List<Long> list(SystemStorage storage, Word count,
      java.util.function.LongFunction<Word> item) {
    long n = storage.readLong(count);
    List<Long> ids = new ArrayList<>((int) n);
    for (long i = 0; i < n; i++) {
      ids.add(storage.readLong(item.apply(i)));
    }
    return ids;
  }

  static List<Receivables.CourtOrder> courtOrders(SystemStorage storage, long id) {
    long count = storage.readLong(orderCount(id));
    List<Receivables.CourtOrder> orders = new ArrayList<>();
    for (long i = 0; i < count; i++) {
      byte[] order = storage.readBytes("piece.order", SystemStorage.slot("", id, i));
      orders.add(new Receivables.CourtOrder(ProposalKind.values()[order[0]],
          new String(Arrays.copyOfRange(order, 1, order.length), StandardCharsets.UTF_8)));
    }
    return orders;
  }

  // ---- writes --------------------------------------------------------------------------------

  /** Records a court order on piece {@code id}: its kind's number, then the reference. */
  static void addCourtOrder(SystemStorage storage, long id, ProposalKind kind,
      String reference) {
    long count = storage.readLong(orderCount(id));
    byte[] text = reference.getBytes(StandardCharsets.UTF_8);
    byte[] order = new byte[1 + text.length];
    order[0] = (byte) kind.ordinal();
    System.arraycopy(text, 0, order, 1, text.length);
    storage.writeBytes("piece.order", SystemStorage.slot("", id, count), order);
    storage.write(orderCount(id), count + 1);
  }

  static boolean isZero(Address address) {
    return Arrays.equals(address.toArray(), new byte[Address.BYTES]);
  }
}
