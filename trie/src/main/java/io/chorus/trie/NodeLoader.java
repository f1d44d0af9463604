package io.chorus.trie;

import io.chorus.codec.RlpException;
import io.chorus.crypto.HashFunction;
import io.chorus.codec.ByteKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads nodes from a {@link NodeStore}, trusting nothing: each node must hash to the reference
 * that led to it (checked here unless the store {@linkplain NodeStore#verifies verifies} it),
 * decode strictly, and fit a trie whose keys are at most {@link
 * MerklePatriciaTrie#MAX_KEY_BYTES} long. That last check is what bounds every walk's depth.
 * Not thread-safe, as the trie that owns it.
 */
final class NodeLoader {
  static final int MAX_NIBBLES = 2 * MerklePatriciaTrie.MAX_KEY_BYTES;
  /**
   * Decoded nodes kept per trie: a hot contract's upper storage nodes are read by every
   * transaction of a block, and each read would otherwise fetch, hash and decode them again.
   * Nodes are immutable and named by their hash, so a cached one is as good as a fresh one.
   */
  static final int CACHE_MAX = 4_096;

  private final HashFunction hash;
  private final NodeStore store;
  private final boolean storeVerifies; // then nodes read from it are not hashed again
  private final Map<ByteKey, Node> cache = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<ByteKey, Node> eldest) {
      return size() > CACHE_MAX;
    }
  };

  NodeLoader(HashFunction hash, NodeStore store) {
    this.hash = hash;
    this.store = store;
    this.storeVerifies = store.verifies(hash);
  }

  /**
   * Loads the node stored under {@code nodeHash} that sits {@code depth} nibbles below the root.
   * Only a root may encode to fewer than 32 bytes: any other node that small is embedded.
   */
  Node load(byte[] nodeHash, int depth, boolean root) {
    ByteKey key = new ByteKey(nodeHash);
    Node cached = cache.get(key);
    if (cached != null) {
      // The same node may hang at another depth in another path: its bound still applies.
      checkDepth(cached, depth, nodeHash);
      return cached;
    }
    Node node = loadFromStore(nodeHash, depth, root);
    if (!root) {
      cache.put(key, node); // only nodes of 32 bytes or more: fit to be a root or a child
    }
    return node;
  }

  private Node loadFromStore(byte[] nodeHash, int depth, boolean root) {
    byte[] encoded = store.get(nodeHash).orElseThrow(
        () -> new CorruptNodeException(nodeHash, "is missing from the node store"));
    if (!storeVerifies) {
      NodeStore.checkContent(hash, nodeHash, encoded);
    }
    boolean small = encoded.length < NodeCodec.EMBED_LIMIT;
    if (small && !root) {
      throw new CorruptNodeException(nodeHash, "is " + encoded.length
          + " bytes, so its parent should embed it instead of referring to it by hash");
    }
    Node node;
    try {
      node = NodeCodec.decode(encoded, small ? encoded : nodeHash);
    } catch (RlpException e) {
      throw new CorruptNodeException(nodeHash, "is malformed: " + e.getMessage());
    }
    checkDepth(node, depth, nodeHash);
    return node;
  }

  /** Values may sit only where a whole key of at most MAX_KEY_BYTES bytes ends. */
  private static void checkDepth(Node node, int depth, byte[] nodeHash) {
    if (depth > MAX_NIBBLES) {
      throw new CorruptNodeException(nodeHash, "lies " + depth + " nibbles deep, deeper than"
          + " any key of at most " + MerklePatriciaTrie.MAX_KEY_BYTES + " bytes reaches");
    }
    switch (node) {
      case Node.Leaf l -> checkKeyEnd(depth + l.path().length, nodeHash);
      case Node.Extension e -> checkDepth(e.child(), depth + e.path().length, nodeHash);
      case Node.Branch b -> {
        if (b.value().length > 0) {
          checkKeyEnd(depth, nodeHash);
        }
        for (Node child : b.children()) {
          if (child != null) {
            checkDepth(child, depth + 1, nodeHash);
          }
        }
      }
      case Node.Unresolved u -> {
        // Checked when it is loaded.
      }
    }
  }

  private static void checkKeyEnd(int nibbles, byte[] nodeHash) {
    if (nibbles % 2 != 0 || nibbles > MAX_NIBBLES) {
      throw new CorruptNodeException(nodeHash, "holds a value for a key of " + nibbles
          + " nibbles, which is not a whole key of at most "
          + MerklePatriciaTrie.MAX_KEY_BYTES + " bytes");
    }
  }
}
