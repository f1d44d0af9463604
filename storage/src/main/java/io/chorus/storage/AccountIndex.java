package io.chorus.storage;

import io.chorus.codec.Hex;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The transactions each account sent or received, for {@link ChainStore#accountHistory}: the
 * {@code accountTx} column family keyed {@code address(20) ‖ number(8)}, big-endian, each value
 * the block's entries for that account in order, {@code index(4) ‖ txHash(32)} each.
 *
 * <p>One key per account per block rather than per transaction: a block of thousands of calls to
 * one contract from a few senders writes a few keys, and the keys are most of what a commit costs
 * RocksDB. Stores written before this layout hold one {@code address ‖ number ‖ index(4)} key per
 * transaction with the hash as its value; both are read, so such a store keeps its history.
 */
final class AccountIndex {
  private static final int HASH_BYTES = HashFunction.DIGEST_BYTES;
  private static final int ENTRY_BYTES = Integer.BYTES + HASH_BYTES;
  private static final int BLOCK_KEY_BYTES = Address.BYTES + Long.BYTES;
  private static final int TX_KEY_BYTES = BLOCK_KEY_BYTES + Integer.BYTES;

  private final RocksDB db;
  private final ColumnFamilyHandle family;

  AccountIndex(RocksDB db, ColumnFamilyHandle family) {
    this.db = db;
    this.family = family;
  }

  /**
   * Adds block {@code number}'s entries to {@code batch}: each transaction under its sender and,
   * when it has one, its recipient (once where the two are the same).
   */
  void write(WriteBatch batch, long number, List<byte[]> txHashes, List<Address> senders,
      List<Address> recipients) throws RocksDBException {
    Map<Address, List<Integer>> indexes = new LinkedHashMap<>();
    for (int i = 0; i < txHashes.size(); i++) {
      indexes.computeIfAbsent(senders.get(i), a -> new ArrayList<>()).add(i);
      Address recipient = recipients.get(i);
      if (recipient != null && !recipient.equals(senders.get(i))) {
        indexes.computeIfAbsent(recipient, a -> new ArrayList<>()).add(i);
      }
    }
    for (Map.Entry<Address, List<Integer>> account : indexes.entrySet()) {
      ByteBuffer value = ByteBuffer.allocate(account.getValue().size() * ENTRY_BYTES);
      for (int i : account.getValue()) {
        value.putInt(i).put(txHashes.get(i));
      }
      batch.put(family, blockKey(account.getKey(), number), value.array());
    }
  }

  /** Up to {@code limit} of the account's transactions, newest first. */
  List<ChainStore.AccountTx> history(Address address, int limit) {
    byte[] prefix = address.toArray();
    // The largest possible key with this prefix: seek to it, then walk backwards.
    byte[] last = Arrays.copyOf(prefix, TX_KEY_BYTES);
    Arrays.fill(last, Address.BYTES, TX_KEY_BYTES, (byte) 0xff);
    List<ChainStore.AccountTx> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(family)) {
      for (it.seekForPrev(last); it.isValid() && out.size() < limit; it.prev()) {
        byte[] key = it.key();
        if (key.length < BLOCK_KEY_BYTES
            || !Arrays.equals(key, 0, Address.BYTES, prefix, 0, Address.BYTES)) {
          break;
        }
        long number = ByteBuffer.wrap(key, Address.BYTES, Long.BYTES).getLong();
        byte[] value = it.value();
        if (key.length == TX_KEY_BYTES && value.length == HASH_BYTES) {
          int index = ByteBuffer.wrap(key, BLOCK_KEY_BYTES, Integer.BYTES).getInt();
          out.add(new ChainStore.AccountTx(number, index, value));
        } else if (key.length == BLOCK_KEY_BYTES && value.length % ENTRY_BYTES == 0) {
          for (int at = value.length - ENTRY_BYTES; at >= 0 && out.size() < limit;
              at -= ENTRY_BYTES) {
            int index = ByteBuffer.wrap(value, at, Integer.BYTES).getInt();
            out.add(new ChainStore.AccountTx(number, index,
                Arrays.copyOfRange(value, at + Integer.BYTES, at + ENTRY_BYTES)));
          }
        } else {
          throw new StorageException("corrupt store: account history entry "
              + Hex.encode0x(key) + " has a " + value.length + "-byte value");
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StorageException("reading the history of " + address + " failed", e);
    }
    return out;
  }

  private static byte[] blockKey(Address address, long number) {
    return ByteBuffer.allocate(BLOCK_KEY_BYTES).put(address.toArray()).putLong(number).array();
  }
}
