package io.chorus.trie;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link NodeStore} on the heap, for tests, tools and tries that are never persisted. */
public final class InMemoryNodeStore implements NodeStore {
  private final Map<Key, byte[]> nodes = new ConcurrentHashMap<>();

  @Override
  public Optional<byte[]> get(byte[] hash) {
    return Optional.ofNullable(nodes.get(new Key(hash)));
  }

  @Override
  public void put(byte[] hash, byte[] encoded) {
    nodes.put(new Key(hash.clone()), encoded);
  }

  /** The number of nodes stored. */
  public int size() {
    return nodes.size();
  }

  /** Arrays compare by identity, so map keys wrap them with content equality. */
  private record Key(byte[] hash) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Key k && Arrays.equals(hash, k.hash);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(hash);
    }
  }
}
