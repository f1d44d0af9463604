package io.chorus.trie;

import io.chorus.codec.Hex;
import io.chorus.codec.RlpException;
import io.chorus.crypto.HashFunction;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Checks Merkle proofs made by {@link Trie#prove(byte[])} without access to the trie. */
public final class MerkleProof {
  private MerkleProof() {}

  /**
   * Follows {@code key} from {@code rootHash} through {@code proof}: each node must hash to the
   * reference its parent (or the root hash) holds, and the proof must end with the node where the
   * key's value is found or shown absent. The empty trie is proved by an empty proof.
   *
   * @return the key's value, or empty when the proof shows the key is absent
   * @throws InvalidProofException if the proof does not hash together, is malformed, stops
   *     before the key's path does, or carries nodes off that path
   */
  public static Optional<byte[]> verify(
      HashFunction hash, byte[] rootHash, byte[] key, List<byte[]> proof) {
    if (rootHash.length != HashFunction.DIGEST_BYTES) {
      throw new IllegalArgumentException("root hash must be " + HashFunction.DIGEST_BYTES
          + " bytes, got " + rootHash.length);
    }
    if (proof.isEmpty()) {
      if (Arrays.equals(rootHash, MerklePatriciaTrie.emptyRoot(hash))) {
        return Optional.empty();
      }
      throw new InvalidProofException(
          "proof is empty, but root " + Hex.encode0x(rootHash) + " is not the empty trie's");
    }
    byte[] path = Nibbles.of(key);
    int pos = 0;
    int index = 0;
    Node node = open(hash, proof, 0, rootHash);
    // Each step consumes a nibble of the key or a node of the proof, so the loop ends.
    while (true) {
      switch (node) {
        case Node.Leaf l -> {
          return end(proof, index, Nibbles.matches(path, pos, l.path()) ? l.value() : null);
        }
        case Node.Extension e -> {
          if (!Nibbles.startsWith(path, pos, e.path())) {
            return end(proof, index, null);
          }
          pos += e.path().length;
          node = e.child();
        }
        case Node.Branch b -> {
          if (pos == path.length) {
            return end(proof, index, b.value().length > 0 ? b.value() : null);
          }
          node = b.children()[path[pos++]];
          if (node == null) {
            return end(proof, index, null);
          }
        }
        case Node.Unresolved u -> {
          index++;
          if (index == proof.size()) {
            throw new InvalidProofException("proof ends after " + index
                + " nodes, but the key's path continues to node " + Hex.encode0x(u.hash()));
          }
          node = open(hash, proof, index, u.hash());
        }
      }
    }
  }

  /** Decodes proof node {@code index}, which must hash to {@code expected}. */
  private static Node open(HashFunction hash, List<byte[]> proof, int index, byte[] expected) {
    byte[] encoded = proof.get(index);
    byte[] actual = hash.hash(encoded);
    if (!Arrays.equals(actual, expected)) {
      throw new InvalidProofException("proof node " + index + " hashes to " + Hex.encode0x(actual)
          + ", but " + (index == 0 ? "the root hash is " : "its parent refers to ")
          + Hex.encode0x(expected));
    }
    if (index > 0 && encoded.length < NodeCodec.EMBED_LIMIT) {
      throw new InvalidProofException("proof node " + index + " is " + encoded.length
          + " bytes, so its parent should embed it instead of referring to it by hash");
    }
    try {
      return NodeCodec.decode(encoded, expected);
    } catch (RlpException e) {
      throw new InvalidProofException("proof node " + index + " is malformed: " + e.getMessage());
    }
  }

  private static Optional<byte[]> end(List<byte[]> proof, int index, byte[] value) {
    int unused = proof.size() - 1 - index;
    if (unused > 0) {
      throw new InvalidProofException("the key's path ends at proof node " + index + ", but "
          + unused + " more node" + (unused == 1 ? " follows" : "s follow"));
    }
    return Optional.ofNullable(value);
  }
}
