package io.chorus.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.crypto.HashFunction;
import io.chorus.trie.NodeStore;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Trie nodes and contract code in one RocksDB column family, keyed by their hash. A direct
 * {@link #put} is not synced; a block's nodes go through {@link PendingNodes} so they reach disk
 * in the block's own atomic batch.
 *
 * <p>Recently read and committed nodes stay in memory: each block walks much the same paths as
 * the one before (the senders' accounts, a busy contract's storage), and a node named by its hash
 * never changes, so a cached copy is never stale. Callers must not modify returned arrays.
 * Content read from disk is checked against its hash once, there; what is cached was checked or
 * made here, so readers need not hash it again ({@link #verifies}).
 */
public final class RocksNodeStore implements NodeStore {
  /** Bytes of node encodings kept in memory (plus {@link #ENTRY_OVERHEAD_BYTES} per node). */
  static final long CACHE_BYTES_MAX = 64L << 20;
  static final int ENTRY_OVERHEAD_BYTES = 96;

  private final RocksDB db;
  private final ColumnFamilyHandle family;
  private final HashFunction hashFunction;
  private final Cache<ByteKey, byte[]> cache = Caffeine.newBuilder()
      .maximumWeight(CACHE_BYTES_MAX)
      .weigher((ByteKey hash, byte[] encoded) -> encoded.length + ENTRY_OVERHEAD_BYTES)
      .build();

  RocksNodeStore(RocksDB db, ColumnFamilyHandle family, HashFunction hashFunction) {
    this.db = db;
    this.family = family;
    this.hashFunction = hashFunction;
  }

  @Override
  public Optional<byte[]> get(byte[] hash) {
    ByteKey key = new ByteKey(hash);
    byte[] cached = cache.getIfPresent(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    try {
      byte[] stored = db.get(family, hash);
      if (stored != null) {
        NodeStore.checkContent(hashFunction, hash, stored);
        cache.put(key, stored);
      }
      return Optional.ofNullable(stored);
    } catch (RocksDBException e) {
      throw new StorageException("reading trie node " + Hex.encode0x(hash) + " failed", e);
    }
  }

  /** Its nodes are hashed once, as they come from disk or are put by this process. */
  @Override
  public boolean verifies(HashFunction hash) {
    return hash == hashFunction;
  }

  @Override
  public void put(byte[] hash, byte[] encoded) {
    try {
      db.put(family, hash, encoded);
    } catch (RocksDBException e) {
      throw new StorageException("writing trie node " + Hex.encode0x(hash) + " failed", e);
    }
    remember(new ByteKey(hash), encoded);
  }

  /** Keeps a node just made durable by a block's batch: the next block is likely to read it. */
  void remember(ByteKey hash, byte[] encoded) {
    cache.put(hash, encoded);
  }
}
