package io.chorus.storage;

import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.StateChanges;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * The blocks in which each account and each storage slot changed, for
 * {@link ChainStore#accountChanges} and {@link ChainStore#slotChanges}: the values themselves
 * are in the archived state of those blocks. Two column families of empty values,
 * {@code stateAccounts} keyed {@code address(20) ‖ number(8)} and {@code stateSlots} keyed
 * {@code address(20) ‖ slot(32) ‖ number(8)}, numbers big-endian, so that one key's changes sort
 * in chain order and a page is one seek and a walk of at most the page's length.
 *
 * <p>Written with each block in the commit's batch. A store written before this index existed
 * has none for its earlier blocks; {@code meta}'s {@code stateHistoryFrom} holds the first block
 * indexed, written by the first commit that indexes.
 */
final class StateHistoryIndex {
  private static final int SLOT_BYTES = 32;
  private static final byte[] EMPTY = new byte[0];

  private final RocksDB db;
  private final ColumnFamilyHandle accounts;
  private final ColumnFamilyHandle slots;

  StateHistoryIndex(RocksDB db, ColumnFamilyHandle accounts, ColumnFamilyHandle slots) {
    this.db = db;
    this.accounts = accounts;
    this.slots = slots;
  }

  /** Adds block {@code number}'s changed keys to {@code batch}. */
  void write(WriteBatch batch, long number, StateChanges changes) throws RocksDBException {
    for (Address address : changes.accounts()) {
      batch.put(accounts, key(address.toArray(), number), EMPTY);
    }
    for (Map.Entry<Address, Set<Word>> account : changes.slots().entrySet()) {
      for (Word slot : account.getValue()) {
        batch.put(slots, key(slotPrefix(account.getKey(), slot), number), EMPTY);
      }
    }
  }

  ChainStore.ChangePage accountChanges(Address address, long from, long to, int limit) {
    return page(accounts, address.toArray(), from, to, limit);
  }

  ChainStore.ChangePage slotChanges(Address address, Word slot, long from, long to, int limit) {
    return page(slots, slotPrefix(address, slot), from, to, limit);
  }

  /** Up to {@code limit} blocks from {@code from} to {@code to} indexed under prefix. */
  private ChainStore.ChangePage page(ColumnFamilyHandle family, byte[] prefix, long from,
      long to, int limit) {
    int keyBytes = prefix.length + Long.BYTES;
    List<Long> blocks = new ArrayList<>();
    try (RocksIterator it = db.newIterator(family)) {
      for (it.seek(key(prefix, from)); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (key.length != keyBytes) {
          throw new StorageException("corrupt store: state history key " + Hex.encode0x(key)
              + " has " + key.length + " bytes, expected " + keyBytes);
        }
        if (!Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
          break;
        }
        long number = ByteBuffer.wrap(key, prefix.length, Long.BYTES).getLong();
        if (number > to) {
          break;
        }
        if (blocks.size() == limit) {
          return new ChainStore.ChangePage(blocks, number);
        }
        blocks.add(number);
      }
      it.status();
    } catch (RocksDBException e) {
      throw new StorageException("reading the state history index failed", e);
    }
    return new ChainStore.ChangePage(blocks, -1);
  }

  private static byte[] slotPrefix(Address address, Word slot) {
    return ByteBuffer.allocate(Address.BYTES + SLOT_BYTES).put(address.toArray())
        .put(slot.toBytes()).array();
  }

  private static byte[] key(byte[] prefix, long number) {
    byte[] key = Arrays.copyOf(prefix, prefix.length + Long.BYTES);
    ByteBuffer.wrap(key).putLong(prefix.length, number);
    return key;
  }
}
