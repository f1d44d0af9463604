package io.chorus.trie;

import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.crypto.HashFunction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The RLP form of trie nodes (Yellow Paper, appendix D): a leaf or extension is
 * {@code [hexPrefix(path), value or child]}, a branch is {@code [child x 16, value]}, and a child
 * whose encoding is shorter than 32 bytes is embedded rather than referred to by hash.
 */
final class NodeCodec {
  /** Encodings shorter than this are embedded in their parent. */
  static final int EMBED_LIMIT = HashFunction.DIGEST_BYTES;

  private final HashFunction hash;

  NodeCodec(HashFunction hash) {
    this.hash = hash;
  }

  /** Encodes a loaded node whose children all have their {@link Node#ref()} computed. */
  static byte[] encode(Node node) {
    return switch (node) {
      case Node.Leaf l -> encodeLeaf(l.path(), l.value());
      case Node.Extension e -> encodeExtension(e.path(), e.child());
      case Node.Branch b -> encodeBranch(b.children(), b.value());
      case Node.Unresolved u ->
          throw new IllegalArgumentException("an unloaded node's encoding is in the store");
    };
  }

  static byte[] encodeLeaf(byte[] path, byte[] value) {
    return Rlp.encodeList(Rlp.encodeBytes(HexPrefix.encode(path, true)), Rlp.encodeBytes(value));
  }

  static byte[] encodeExtension(byte[] path, Node child) {
    return Rlp.encodeList(Rlp.encodeBytes(HexPrefix.encode(path, false)), childRef(child));
  }

  static byte[] encodeBranch(Node[] children, byte[] value) {
    List<byte[]> items = new ArrayList<>(17);
    for (Node child : children) {
      items.add(child == null ? Rlp.EMPTY_STRING : childRef(child));
    }
    items.add(Rlp.encodeBytes(value));
    return Rlp.encodeList(items);
  }

  /** The reference a parent holds for a node with this encoding. */
  byte[] refOf(byte[] encoded) {
    return encoded.length < EMBED_LIMIT ? encoded : hash.hash(encoded);
  }

  /** The hash of the node with this reference: a root is hashed even when it is small. */
  byte[] hashOf(byte[] ref) {
    return ref.length < EMBED_LIMIT ? hash.hash(ref) : ref.clone();
  }

  private static byte[] childRef(Node child) {
    byte[] ref = child.ref();
    return ref.length < EMBED_LIMIT ? ref : Rlp.encodeBytes(ref);
  }

  /**
   * Decodes a node, accepting only what {@link #encode} produces, so decoding then encoding gives
   * back the same bytes. The node and its embedded children come back {@linkplain Node#stored()
   * stored}; children referred to by hash come back {@link Node.Unresolved}.
   *
   * @param ref the reference of the node, recorded in the result
   * @throws RlpException naming the offset of the first problem
   */
  static Node decode(byte[] encoded, byte[] ref) {
    RlpReader reader = RlpReader.of(encoded);
    Node node = decodeList(encoded, reader, ref);
    reader.requireEnd("trie node");
    return node;
  }

  private static Node decodeList(byte[] data, RlpReader reader, byte[] ref) {
    int start = reader.position();
    if (!reader.nextIsList()) {
      throw new RlpException("trie node must be a list", start);
    }
    RlpReader items = reader.readList();
    // Item boundaries, so each item can be read through its own window of data.
    int[] at = new int[18];
    int count = 0;
    while (items.hasNext()) {
      if (count == 17) {
        throw new RlpException("trie node has more than 17 items", items.position());
      }
      at[count++] = items.position();
      items.skip();
    }
    at[count] = items.position();
    return switch (count) {
      case 2 -> decodeShort(data, at, ref);
      case 17 -> decodeBranch(data, at, ref);
      default -> throw new RlpException("trie node has " + count + " items, not 2 or 17", start);
    };
  }

  private static Node decodeShort(byte[] data, int[] at, byte[] ref) {
    byte[] encodedPath = RlpReader.of(data, at[0], at[1]).readBytes();
    HexPrefix.Path path;
    try {
      path = HexPrefix.decode(encodedPath);
    } catch (IllegalArgumentException e) {
      throw new RlpException(e.getMessage(), at[0]);
    }
    if (path.leaf()) {
      byte[] value = RlpReader.of(data, at[1], at[2]).readBytes();
      if (value.length == 0) {
        throw new RlpException("leaf value is empty", at[1]);
      }
      return new Node.Leaf(path.nibbles(), value, ref, true);
    }
    if (path.nibbles().length == 0) {
      throw new RlpException("extension path is empty", at[0]);
    }
    Node child = decodeChild(data, at[1], at[2]);
    if (child == null) {
      throw new RlpException("extension has no child", at[1]);
    }
    return new Node.Extension(path.nibbles(), child, ref, true);
  }

  private static Node decodeBranch(byte[] data, int[] at, byte[] ref) {
    Node[] children = new Node[16];
    for (int i = 0; i < 16; i++) {
      children[i] = decodeChild(data, at[i], at[i + 1]);
    }
    byte[] value = RlpReader.of(data, at[16], at[17]).readBytes();
    return new Node.Branch(children, value, ref, true);
  }

  /** An empty string (no child), a 32-byte hash, or an embedded node shorter than 32 bytes. */
  private static Node decodeChild(byte[] data, int from, int to) {
    RlpReader reader = RlpReader.of(data, from, to);
    if (reader.nextIsList()) {
      if (to - from >= EMBED_LIMIT) {
        throw new RlpException(
            "embedded node of " + (to - from) + " bytes must be referred to by hash", from);
      }
      return decodeList(data, reader, Arrays.copyOfRange(data, from, to));
    }
    byte[] bytes = reader.readBytes();
    if (bytes.length == 0) {
      return null;
    }
    if (bytes.length != HashFunction.DIGEST_BYTES) {
      throw new RlpException("child reference of " + bytes.length
          + " bytes is neither empty nor a " + HashFunction.DIGEST_BYTES + "-byte hash", from);
    }
    return new Node.Unresolved(bytes);
  }
}
