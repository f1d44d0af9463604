package io.chorus.trie;

/**
 * A trie node. Nodes are immutable: an update builds new nodes along the key's path and shares
 * everything else, so unchanged subtrees keep their cached references.
 *
 * <p>{@link #ref()} is how a parent refers to the node: its RLP encoding when that is shorter than
 * 32 bytes (the parent embeds it), otherwise the hash of the encoding; {@code null} until first
 * computed. {@link #stored()} means the node is in the store or embedded in a stored parent, so a
 * commit can skip its whole subtree.
 */
sealed interface Node {
  byte[] ref();

  boolean stored();

  /** The rest of a key, and the value stored under it (never empty). */
  record Leaf(byte[] path, byte[] value, byte[] ref, boolean stored) implements Node {
    Leaf(byte[] path, byte[] value) {
      this(path, value, null, false);
    }
  }

  /** A non-empty path shared by every key below; the child is always a branch. */
  record Extension(byte[] path, Node child, byte[] ref, boolean stored) implements Node {
    Extension(byte[] path, Node child) {
      this(path, child, null, false);
    }
  }

  /**
   * Sixteen children, one per next nibble, {@code null} where absent, and the value of the key
   * that ends here (empty when none). The array is never written once the branch is built.
   */
  record Branch(Node[] children, byte[] value, byte[] ref, boolean stored) implements Node {
    Branch(Node[] children, byte[] value) {
      this(children, value, null, false);
    }

    Branch withChild(int nibble, Node child) {
      Node[] copy = children.clone();
      copy[nibble] = child;
      return new Branch(copy, value);
    }

    Branch withValue(byte[] newValue) {
      return new Branch(children, newValue);
    }
  }

  /** A child known only by its hash until it is loaded from the store. */
  record Unresolved(byte[] hash) implements Node {
    @Override
    public byte[] ref() {
      return hash;
    }

    @Override
    public boolean stored() {
      return true;
    }
  }
}
