package io.chorus.ledger;

import io.chorus.codec.Rlp;
import io.chorus.codec.RlpReader;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A block as Ethereum encodes it: {@code rlp([header, [transactions], [] (ommers)])}, plus an
 * empty withdrawals list when the header has a withdrawals root. Legacy transactions sit in the
 * list as RLP lists, typed ones as byte strings of their type-prefixed bytes (EIP-2718).
 */
public record Block(BlockHeader header, List<Transaction> transactions) {

  public Block {
    transactions = List.copyOf(transactions);
  }

  public byte[] encode() {
    List<byte[]> txs = new ArrayList<>(transactions.size());
    for (Transaction tx : transactions) {
      txs.add(tx.type() == Transaction.LEGACY ? tx.encoded() : Rlp.encodeBytes(tx.encoded()));
    }
    List<byte[]> fields = new ArrayList<>(List.of(header.encode(), Rlp.encodeList(txs),
        Rlp.encodeList(List.of())));
    if (header.withdrawalsRoot() != null) {
      fields.add(Rlp.encodeList(List.of()));
    }
    return Rlp.encodeList(fields);
  }

  /**
   * Decodes a block strictly; every transaction is decoded (not validated).
   *
   * @throws io.chorus.codec.RlpException or {@link io.chorus.tx.TransactionException} naming
   *     the first problem
   */
  public static Block decode(byte[] encoded) {
    return decode(encoded, TransactionDecoder::decode);
  }

  /**
   * As {@link #decode(byte[])}, with each transaction's bytes (a legacy transaction's RLP list,
   * a typed one's type-prefixed bytes) turned into a transaction by {@code transactions}, which
   * must return one whose {@link Transaction#encoded()} holds those bytes: a node takes the
   * transactions its pool decoded at admission instead of decoding them again.
   */
  public static Block decode(byte[] encoded, Function<byte[], Transaction> transactions) {
    RlpReader outer = RlpReader.of(encoded);
    RlpReader r = outer.readList();
    outer.requireEnd("block");
    BlockHeader header = BlockHeader.decode(r.readRaw());
    RlpReader txReader = r.readList();
    List<Transaction> txs = new ArrayList<>();
    while (txReader.hasNext()) {
      txs.add(transactions.apply(
          txReader.nextIsList() ? txReader.readRaw() : txReader.readBytes()));
    }
    if (r.readList().hasNext()) {
      throw new io.chorus.codec.RlpException("a block has no ommers since the Merge", 0);
    }
    if (header.withdrawalsRoot() != null && r.readList().hasNext()) {
      throw new io.chorus.codec.RlpException("Chorus blocks carry no withdrawals", 0);
    }
    r.requireEnd("block");
    return new Block(header, txs);
  }
}
