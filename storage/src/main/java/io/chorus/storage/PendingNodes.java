package io.chorus.storage;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.HashFunction;
import io.chorus.trie.NodeStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * A {@link NodeStore} overlay that buffers the nodes a block's execution writes, so that
 * {@link ChainStore#commit} can persist them in the same atomic batch as the block: a crash
 * never leaves a head whose state is half written. Reads see the buffer first, then the base.
 * Not thread-safe: one block is executed at a time.
 */
public final class PendingNodes implements NodeStore {
  private final NodeStore base;
  // LinkedHashMap keeps the batch in write order.
  private final Map<ByteKey, byte[]> buffered = new LinkedHashMap<>();

  /** An empty overlay over {@code base}. */
  public PendingNodes(NodeStore base) {
    this.base = base;
  }

  @Override
  public Optional<byte[]> get(byte[] hash) {
    byte[] pending = buffered.get(new ByteKey(hash));
    return pending != null ? Optional.of(pending) : base.get(hash);
  }

  @Override
  public void put(byte[] hash, byte[] encoded) {
    buffered.put(new ByteKey(hash), encoded);
  }

  /** Its own nodes were put by this process under their hashes; the rest are the base's. */
  @Override
  public boolean verifies(HashFunction hash) {
    return base.verifies(hash);
  }

  /** The number of buffered nodes. */
  public int size() {
    return buffered.size();
  }

  NodeStore base() {
    return base;
  }

  void writeTo(WriteBatch batch, ColumnFamilyHandle family) throws RocksDBException {
    for (Map.Entry<ByteKey, byte[]> node : buffered.entrySet()) {
      batch.put(family, node.getKey().bytes(), node.getValue());
    }
  }

  /** Hands the buffer, now durable, to the store's cache and forgets it. */
  void committedTo(RocksNodeStore store) {
    buffered.forEach(store::remember);
    buffered.clear();
  }
}
