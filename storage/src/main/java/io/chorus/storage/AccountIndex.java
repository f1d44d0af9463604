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
    List<ChainStore.AccountTx> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(family)) {
      for (it.seekForPrev(lastKey(address, -1)); it.isValid() && out.size() < limit
          && owns(address, it.key()); it.prev()) {
        List<ChainStore.AccountTx> entries = entries(it.key(), it.value());
        for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--) {
          out.add(entries.get(i));
        }
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StorageException("reading the history of " + address + " failed", e);
    }
    return out;
  }

  /**
   * One page of the account's history next to block {@code from}, which it leaves out: whole
   * blocks, newest first going back and oldest first going forward, until the page holds at
   * least {@code pageSize} transactions; {@code more} says whether older (newer) ones remain.
   *
   * @param from the block the page starts next to; -1 for "the head" going back or "before
   *     genesis" going forward
   */
  ChainStore.AccountPage page(Address address, long from, boolean backwards, int pageSize) {
    List<ChainStore.AccountTx> out = new ArrayList<>();
    long lastBlock = -1;
    try (RocksIterator it = db.newIterator(family)) {
      if (backwards) {
        it.seekForPrev(lastKey(address, from == -1 ? -1 : from - 1));
      } else {
        it.seek(blockKey(address, from + 1));
      }
      for (; it.isValid() && owns(address, it.key()); step(it, backwards)) {
        List<ChainStore.AccountTx> entries = entries(it.key(), it.value());
        long number = entries.getFirst().blockNumber();
        // A block is never split across pages: the caller resumes from a block number.
        if (out.size() >= pageSize && number != lastBlock) {
          return new ChainStore.AccountPage(out, true);
        }
        for (int i = 0; i < entries.size(); i++) {
          out.add(entries.get(backwards ? entries.size() - 1 - i : i));
        }
        lastBlock = number;
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StorageException("reading the history of " + address + " failed", e);
    }
    return new ChainStore.AccountPage(out, false);
  }

  private static void step(RocksIterator it, boolean backwards) {
    if (backwards) {
      it.prev();
    } else {
      it.next();
    }
  }

  private static boolean owns(Address address, byte[] key) {
    return key.length >= BLOCK_KEY_BYTES
        && Arrays.equals(key, 0, Address.BYTES, address.toArray(), 0, Address.BYTES);
  }

  /** The largest key of either layout in block {@code number} (-1: in any block). */
  private static byte[] lastKey(Address address, long number) {
    byte[] key = Arrays.copyOf(address.toArray(), TX_KEY_BYTES);
    if (number == -1) {
      Arrays.fill(key, Address.BYTES, TX_KEY_BYTES, (byte) 0xff);
    } else {
      ByteBuffer.wrap(key).putLong(Address.BYTES, number);
      Arrays.fill(key, BLOCK_KEY_BYTES, TX_KEY_BYTES, (byte) 0xff);
    }
    return key;
  }

  /** One key's entries in block order: a block key's several, an earlier layout's one. */
  private static List<ChainStore.AccountTx> entries(byte[] key, byte[] value) {
    long number = ByteBuffer.wrap(key, Address.BYTES, Long.BYTES).getLong();
    if (key.length == TX_KEY_BYTES && value.length == HASH_BYTES) {
      int index = ByteBuffer.wrap(key, BLOCK_KEY_BYTES, Integer.BYTES).getInt();
      return List.of(new ChainStore.AccountTx(number, index, value));
    }
    if (key.length == BLOCK_KEY_BYTES && value.length % ENTRY_BYTES == 0 && value.length > 0) {
      List<ChainStore.AccountTx> out = new ArrayList<>(value.length / ENTRY_BYTES);
      for (int at = 0; at < value.length; at += ENTRY_BYTES) {
        out.add(new ChainStore.AccountTx(number, ByteBuffer.wrap(value, at, Integer.BYTES)
            .getInt(), Arrays.copyOfRange(value, at + Integer.BYTES, at + ENTRY_BYTES)));
      }
      return out;
    }
    throw new StorageException("corrupt store: account history entry " + Hex.encode0x(key)
        + " has a " + value.length + "-byte value");
  }

  private static byte[] blockKey(Address address, long number) {
    return ByteBuffer.allocate(BLOCK_KEY_BYTES).put(address.toArray()).putLong(number).array();
  }
}
