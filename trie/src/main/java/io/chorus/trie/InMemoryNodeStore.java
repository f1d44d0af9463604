package io.chorus.trie;

import io.chorus.codec.ByteKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link NodeStore} on the heap, for tests, tools and tries that are never persisted. */
public final class InMemoryNodeStore implements NodeStore {
  private final Map<ByteKey, byte[]> nodes = new ConcurrentHashMap<>();

  @Override
  public Optional<byte[]> get(byte[] hash) {
    return Optional.ofNullable(nodes.get(new ByteKey(hash)));
  }

  @Override
  public void put(byte[] hash, byte[] encoded) {
    nodes.put(new ByteKey(hash), encoded);
  }

  /** The number of nodes stored. */
  public int size() {
    return nodes.size();
  }
}
