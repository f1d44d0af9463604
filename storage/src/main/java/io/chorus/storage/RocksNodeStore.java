package io.chorus.storage;

import io.chorus.codec.Hex;
import io.chorus.trie.NodeStore;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Trie nodes and contract code in one RocksDB column family, keyed by their hash. A direct
 * {@link #put} is not synced; a block's nodes go through {@link PendingNodes} so they reach disk
 * in the block's own atomic batch.
 */
public final class RocksNodeStore implements NodeStore {
  private final RocksDB db;
  private final ColumnFamilyHandle family;

  RocksNodeStore(RocksDB db, ColumnFamilyHandle family) {
    this.db = db;
    this.family = family;
  }

  @Override
  public Optional<byte[]> get(byte[] hash) {
    try {
      return Optional.ofNullable(db.get(family, hash));
    } catch (RocksDBException e) {
      throw new StorageException("reading trie node " + Hex.encode0x(hash) + " failed", e);
    }
  }

  @Override
  public void put(byte[] hash, byte[] encoded) {
    try {
      db.put(family, hash, encoded);
    } catch (RocksDBException e) {
      throw new StorageException("writing trie node " + Hex.encode0x(hash) + " failed", e);
    }
  }
}
