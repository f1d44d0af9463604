package io.chorus.trie;

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
}
