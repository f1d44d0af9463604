package io.chorus.ledger;

import io.chorus.codec.Rlp;
import io.chorus.crypto.HashFunction;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.trie.MerklePatriciaTrie;
import java.util.List;

/** Roots of the per-block tries Ethereum keys by position: transactions and receipts. */
public final class TrieRoots {
  private TrieRoots() {}

  /** The root of a trie mapping {@code rlp(i)} to the i-th encoded item. */
  public static byte[] ofList(HashFunction hash, List<byte[]> encodedItems) {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(hash, new InMemoryNodeStore());
    for (int i = 0; i < encodedItems.size(); i++) {
      trie.put(Rlp.encodeUnsignedLong(i), encodedItems.get(i));
    }
    return trie.rootHash();
  }
}
