package io.chorus.trie;

import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.crypto.HashFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The Ethereum Merkle-Patricia trie (Yellow Paper, appendix D) over a {@link NodeStore}, hashed
 * with the chain's {@link HashFunction}: keccak-256 on Ethereum chains, SM3 on 国密 chains.
 *
 * <p>Changes stay in memory until {@link #commit()}. A trie opened from a root hash loads nodes
 * from the store as paths reach them and checks each against its hash. Keys are at most {@link
 * #MAX_KEY_BYTES} long, which bounds the depth of every walk.
 */
public final class MerklePatriciaTrie implements Trie, Iterable<MerklePatriciaTrie.Entry> {
  /** The longest key accepted; Ethereum's tries use 32-byte keys or short RLP indices. */
  public static final int MAX_KEY_BYTES = 256;

  /** A key and its value. */
  public record Entry(byte[] key, byte[] value) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Entry e && Arrays.equals(key, e.key) && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return Hex.encode0x(key) + "=" + Hex.encode0x(value);
    }
  }

  private final NodeCodec codec;
  private final NodeStore store;
  private final NodeLoader loader;
  private final OrderedWalk walk;
  private final byte[] emptyRoot;
  /** The root node, or null for the empty trie. */
  private Node root;

  /** An empty trie whose nodes are kept on the heap. */
  public MerklePatriciaTrie(HashFunction hash) {
    this(hash, new InMemoryNodeStore());
  }

  /** An empty trie that commits to {@code store}. */
  public MerklePatriciaTrie(HashFunction hash, NodeStore store) {
    this.codec = new NodeCodec(hash);
    this.store = store;
    this.loader = new NodeLoader(hash, store);
    this.walk = new OrderedWalk(loader);
    this.emptyRoot = emptyRoot(hash);
  }

  /**
   * The trie with root hash {@code rootHash} in {@code store}. The root node is loaded now, the
   * rest on demand.
   *
   * @throws CorruptNodeException if the root node is missing or invalid
   */
  public MerklePatriciaTrie(HashFunction hash, NodeStore store, byte[] rootHash) {
    this(hash, store);
    if (rootHash.length != HashFunction.DIGEST_BYTES) {
      throw new IllegalArgumentException("root hash must be " + HashFunction.DIGEST_BYTES
          + " bytes, got " + rootHash.length);
    }
    if (!Arrays.equals(rootHash, emptyRoot)) {
      root = loader.load(rootHash.clone(), 0, true);
    }
  }

  /** The root hash of the empty trie: the hash of RLP("") (56e81f…b421 for keccak-256). */
  public static byte[] emptyRoot(HashFunction hash) {
    return hash.hash(Rlp.EMPTY_STRING);
  }

  /** Whether the trie holds no keys. */
  public boolean isEmpty() {
    return root == null;
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    byte[] path = path(key);
    Node node = root;
    int pos = 0;
    while (node != null) {
      switch (node) {
        case Node.Leaf l -> {
          return Nibbles.matches(path, pos, l.path())
              ? Optional.of(l.value().clone()) : Optional.empty();
        }
        case Node.Extension e -> {
          if (!Nibbles.startsWith(path, pos, e.path())) {
            return Optional.empty();
          }
          pos += e.path().length;
          node = e.child();
        }
        case Node.Branch b -> {
          if (pos == path.length) {
            return b.value().length == 0 ? Optional.empty() : Optional.of(b.value().clone());
          }
          node = b.children()[path[pos++]];
        }
        case Node.Unresolved u -> node = loader.load(u.hash(), pos, false);
      }
    }
    return Optional.empty();
  }

  @Override
  public void put(byte[] key, byte[] value) {
    if (value.length == 0) {
      delete(key);
    } else {
      root = insert(root, path(key), 0, value.clone());
    }
  }

  @Override
  public void delete(byte[] key) {
    root = remove(root, path(key), 0);
  }

  @Override
  public byte[] rootHash() {
    root = settle(root, false);
    return root == null ? emptyRoot.clone() : codec.hashOf(root.ref());
  }

  @Override
  public byte[] commit() {
    root = settle(root, true);
    if (root == null) {
      return emptyRoot.clone();
    }
    byte[] rootHash = codec.hashOf(root.ref());
    if (root.ref().length < NodeCodec.EMBED_LIMIT) {
      // A small root has no parent to embed it, so it is stored by hash like a large one.
      store.put(rootHash, root.ref());
    }
    return rootHash;
  }

  @Override
  public List<byte[]> prove(byte[] key) {
    byte[] path = path(key);
    root = settle(root, false);
    List<byte[]> proof = new ArrayList<>();
    Node node = root;
    int pos = 0;
    boolean byHash = true;
    while (node != null) {
      if (node instanceof Node.Unresolved u) {
        node = loader.load(u.hash(), pos, false);
      }
      if (byHash) {
        proof.add(NodeCodec.encode(node));
      }
      if (node instanceof Node.Extension e && Nibbles.startsWith(path, pos, e.path())) {
        pos += e.path().length;
        node = e.child();
      } else if (node instanceof Node.Branch b && pos < path.length) {
        node = b.children()[path[pos++]];
      } else {
        node = null;
      }
      byHash = node != null && node.ref().length == HashFunction.DIGEST_BYTES;
    }
    return proof;
  }

  /** The entry with the smallest key greater than {@code key}, if any. */
  public Optional<Entry> next(byte[] key) {
    return Optional.ofNullable(walk.after(root, path(key)));
  }

  /** The entry with the largest key smaller than {@code key}, if any. */
  public Optional<Entry> prev(byte[] key) {
    return Optional.ofNullable(walk.before(root, path(key)));
  }

  /** Every entry in ascending unsigned key order, as of this call: later changes are not seen. */
  @Override
  public Iterator<Entry> iterator() {
    return walk.iterator(root);
  }

  /** The root node, for tests that check the trie's shape. */
  Node root() {
    return root;
  }

  private static byte[] path(byte[] key) {
    if (key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(
          "key of " + key.length + " bytes is longer than the " + MAX_KEY_BYTES + " allowed");
    }
    return Nibbles.of(key);
  }

  /** Returns {@code node} itself when the value is already there, so it stays clean. */
  private Node insert(Node node, byte[] key, int pos, byte[] value) {
    return switch (node) {
      case null -> new Node.Leaf(Arrays.copyOfRange(key, pos, key.length), value);
      case Node.Leaf l -> {
        byte[] path = l.path();
        int common = Nibbles.common(path, key, pos);
        if (common == path.length && pos + common == key.length) {
          yield Arrays.equals(l.value(), value) ? l : new Node.Leaf(path, value);
        }
        Node[] children = new Node[16];
        byte[] branchValue = Nibbles.EMPTY;
        if (common == path.length) {
          branchValue = l.value();
        } else {
          children[path[common]] =
              new Node.Leaf(Arrays.copyOfRange(path, common + 1, path.length), l.value());
        }
        yield split(path, common, children, branchValue, key, pos, value);
      }
      case Node.Extension e -> {
        byte[] path = e.path();
        int common = Nibbles.common(path, key, pos);
        if (common == path.length) {
          Node child = insert(e.child(), key, pos + common, value);
          yield child == e.child() ? e : new Node.Extension(path, child);
        }
        Node[] children = new Node[16];
        children[path[common]] = common + 1 == path.length ? e.child()
            : new Node.Extension(Arrays.copyOfRange(path, common + 1, path.length), e.child());
        yield split(path, common, children, Nibbles.EMPTY, key, pos, value);
      }
      case Node.Branch b -> {
        if (pos == key.length) {
          yield Arrays.equals(b.value(), value) ? b : b.withValue(value);
        }
        Node old = b.children()[key[pos]];
        Node child = insert(old, key, pos + 1, value);
        yield child == old ? b : b.withChild(key[pos], child);
      }
      case Node.Unresolved u -> {
        Node loaded = loader.load(u.hash(), pos, false);
        Node updated = insert(loaded, key, pos, value);
        yield updated == loaded ? u : updated;
      }
    };
  }

  /**
   * Finishes an insert where the new key leaves {@code path} after {@code common} nibbles: a
   * branch holding the old content (already in {@code children} or {@code branchValue}) and the
   * new key, under an extension for the shared part.
   */
  private static Node split(byte[] path, int common, Node[] children, byte[] branchValue,
      byte[] key, int pos, byte[] value) {
    int end = pos + common;
    if (end == key.length) {
      branchValue = value;
    } else {
      children[key[end]] = new Node.Leaf(Arrays.copyOfRange(key, end + 1, key.length), value);
    }
    Node branch = new Node.Branch(children, branchValue);
    return common == 0 ? branch : new Node.Extension(Arrays.copyOf(path, common), branch);
  }

  /** Returns {@code node} itself when the key is absent, so it stays clean. */
  private Node remove(Node node, byte[] key, int pos) {
    return switch (node) {
      case null -> null;
      case Node.Leaf l -> Nibbles.matches(key, pos, l.path()) ? null : l;
      case Node.Extension e -> {
        if (!Nibbles.startsWith(key, pos, e.path())) {
          yield e;
        }
        int childPos = pos + e.path().length;
        Node child = remove(e.child(), key, childPos);
        yield child == e.child() ? e : join(e.path(), child, childPos);
      }
      case Node.Branch b -> {
        if (pos == key.length) {
          yield b.value().length == 0 ? b : collapse(b.withValue(Nibbles.EMPTY), pos);
        }
        Node old = b.children()[key[pos]];
        Node child = remove(old, key, pos + 1);
        yield child == old ? b : collapse(b.withChild(key[pos], child), pos);
      }
      case Node.Unresolved u -> {
        Node loaded = loader.load(u.hash(), pos, false);
        Node updated = remove(loaded, key, pos);
        yield updated == loaded ? u : updated;
      }
    };
  }

  /** A branch left with fewer than two entries is replaced by a leaf or extension. */
  private Node collapse(Node.Branch branch, int depth) {
    int entries = branch.value().length > 0 ? 1 : 0;
    int only = -1;
    for (int i = 0; i < 16; i++) {
      if (branch.children()[i] != null) {
        entries++;
        only = i;
      }
    }
    if (entries >= 2) {
      return branch;
    }
    if (only >= 0) {
      return join(new byte[] {(byte) only}, branch.children()[only], depth + 1);
    }
    return entries == 0 ? null : new Node.Leaf(Nibbles.EMPTY, branch.value());
  }

  /** {@code path} followed by {@code child} (which sits at {@code childDepth}) as one node. */
  private Node join(byte[] path, Node child, int childDepth) {
    return switch (child) {
      case null -> null;
      case Node.Leaf l -> new Node.Leaf(Nibbles.concat(path, l.path()), l.value());
      case Node.Extension e -> new Node.Extension(Nibbles.concat(path, e.path()), e.child());
      case Node.Branch b -> new Node.Extension(path, b);
      case Node.Unresolved u -> join(path, loader.load(u.hash(), childDepth, false), childDepth);
    };
  }

  /**
   * Computes the reference of every node that lacks one; with {@code persist}, also writes every
   * node not yet stored, children first. Returns the same subtree with the results recorded.
   */
  private Node settle(Node node, boolean persist) {
    if (node == null || node.stored() || (!persist && node.ref() != null)) {
      return node;
    }
    return switch (node) {
      case Node.Leaf l -> {
        byte[] ref = record(NodeCodec.encodeLeaf(l.path(), l.value()), l.ref(), persist);
        yield new Node.Leaf(l.path(), l.value(), ref, persist);
      }
      case Node.Extension e -> {
        Node child = settle(e.child(), persist);
        byte[] ref = record(NodeCodec.encodeExtension(e.path(), child), e.ref(), persist);
        yield new Node.Extension(e.path(), child, ref, persist);
      }
      case Node.Branch b -> {
        Node[] children = new Node[16];
        for (int i = 0; i < 16; i++) {
          children[i] = settle(b.children()[i], persist);
        }
        byte[] ref = record(NodeCodec.encodeBranch(children, b.value()), b.ref(), persist);
        yield new Node.Branch(children, b.value(), ref, persist);
      }
      case Node.Unresolved u -> u;
    };
  }

  /** The reference of a node with this encoding; writes the node if it is not to be embedded. */
  private byte[] record(byte[] encoded, byte[] knownRef, boolean persist) {
    byte[] ref = knownRef != null ? knownRef : codec.refOf(encoded);
    if (persist && encoded.length >= NodeCodec.EMBED_LIMIT) {
      store.put(ref, encoded);
    }
    return ref;
  }
}
