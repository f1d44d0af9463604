package io.chorus.trie;

import io.chorus.crypto.HashFunction;
import java.util.List;
import java.util.Optional;

/**
 * A trie that stores each value under the hash of its key, as Ethereum's state and storage tries
 * do: paths stay short and balanced however keys are chosen. The key hash is the chain's hash
 * function, the same one that hashes the nodes.
 */
public final class SecureTrie implements Trie {
  private final HashFunction hash;
  private final MerklePatriciaTrie trie;

  /** An empty trie that commits to {@code store}. */
  public SecureTrie(HashFunction hash, NodeStore store) {
    this.hash = hash;
    this.trie = new MerklePatriciaTrie(hash, store);
  }

  /**
   * The trie with root hash {@code rootHash} in {@code store}.
   *
   * @throws CorruptNodeException if the root node is missing or invalid
   */
  public SecureTrie(HashFunction hash, NodeStore store, byte[] rootHash) {
    this.hash = hash;
    this.trie = new MerklePatriciaTrie(hash, store, rootHash);
  }

  /** Verifies a proof made by {@link #prove(byte[])}; see {@link MerkleProof#verify}. */
  public static Optional<byte[]> verifyProof(
      HashFunction hash, byte[] rootHash, byte[] key, List<byte[]> proof) {
    return MerkleProof.verify(hash, rootHash, hash.hash(key), proof);
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    return trie.get(hash.hash(key));
  }

  @Override
  public void put(byte[] key, byte[] value) {
    trie.put(hash.hash(key), value);
  }

  @Override
  public void delete(byte[] key) {
    trie.delete(hash.hash(key));
  }

  @Override
  public byte[] rootHash() {
    return trie.rootHash();
  }

  @Override
  public byte[] commit() {
    return trie.commit();
  }

  @Override
  public List<byte[]> prove(byte[] key) {
    return trie.prove(hash.hash(key));
  }
}
