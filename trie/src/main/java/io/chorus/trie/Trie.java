package io.chorus.trie;

import java.util.List;
import java.util.Optional;

/**
 * A Merkle-Patricia trie from byte keys to non-empty byte values, whose root hash commits to its
 * whole content. Absent keys and empty values are the same thing. Implementations are not
 * thread-safe.
 */
public interface Trie {

  /** The value stored under {@code key}, or empty when there is none. */
  Optional<byte[]> get(byte[] key);

  /** Stores {@code value} under {@code key}; an empty value deletes the key. */
  void put(byte[] key, byte[] value);

  /** Removes {@code key}; removing an absent key changes nothing. */
  void delete(byte[] key);

  /** The root hash of the current content; hashes only nodes changed since the last call. */
  byte[] rootHash();

  /** Writes every node not yet in the store to it and returns the root hash. */
  byte[] commit();

  /**
   * A Merkle proof for {@code key}: the encoded nodes on its path, from the root down to the node
   * that holds its value or shows it is absent. Nodes embedded in their parent are not repeated.
   */
  List<byte[]> prove(byte[] key);
}
