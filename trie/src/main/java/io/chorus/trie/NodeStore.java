package io.chorus.trie;

import io.chorus.codec.Hex;
import io.chorus.crypto.HashFunction;
import java.util.Arrays;
import java.util.Optional;

/**
 * Content-addressed storage for encoded trie nodes, keyed by the hash of the encoding. Nodes never
 * change once written, so writing a hash that is already present is harmless. Arrays passed in and
 * handed out are not copied: neither side may modify them afterwards.
 */
public interface NodeStore {

  /** The encoded node stored under {@code hash}, or empty when there is none. */
  Optional<byte[]> get(byte[] hash);

  /** Stores {@code encoded} under {@code hash}, which is the hash of {@code encoded}. */
  void put(byte[] hash, byte[] encoded);

  /**
   * Whether everything {@link #get} returns is known to hash under {@code hash} to its key,
   * checked where it entered the store (read from disk, or put by this process), so that a
   * reader need not hash it again. False unless the store checks: nodes of unknown origin are
   * hashed by whoever reads them.
   */
  default boolean verifies(HashFunction hash) {
    return false;
  }

  /**
   * Throws unless {@code encoded} hashes to {@code key}, naming the hash it has instead.
   *
   * @throws CorruptNodeException when it does not
   */
  static void checkContent(HashFunction hash, byte[] key, byte[] encoded) {
    byte[] actual = hash.hash(encoded);
    if (!Arrays.equals(actual, key)) {
      throw new CorruptNodeException(
          key, "is stored with content that hashes to " + Hex.encode0x(actual));
    }
  }
}
