package io.chorus.trie;

import io.chorus.codec.Hex;

/**
 * A node the trie needed is missing from its store, does not match its hash, or is not a valid
 * trie node. The message says which of these; {@link #nodeHash()} names the node.
 */
public final class CorruptNodeException extends IllegalStateException {
  private static final long serialVersionUID = 1L;
  private final byte[] nodeHash;

  public CorruptNodeException(byte[] nodeHash, String problem) {
    super("trie node " + Hex.encode0x(nodeHash) + " " + problem);
    this.nodeHash = nodeHash.clone();
  }

  /** The hash under which the offending node is (or should be) stored. */
  public byte[] nodeHash() {
    return nodeHash.clone();
  }
}
