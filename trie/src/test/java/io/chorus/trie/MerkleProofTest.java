package io.chorus.trie;

import static io.chorus.trie.MerklePatriciaTrieTest.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.Keccak256;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Proofs of presence and of each kind of absence, and the ways a bad proof is rejected. */
class MerkleProofTest {
  private static final HashFunction KECCAK = Keccak256.INSTANCE;

  private MerklePatriciaTrie trie;
  private byte[] root;

  /** Values long enough that every node is stored by hash, so each proof step is visible. */
  @BeforeEach
  void buildTrie() {
    trie = new MerklePatriciaTrie(KECCAK);
    trie.put(ascii("doe"), value("reindeer"));
    trie.put(ascii("dog"), value("puppy"));
    trie.put(ascii("dogglesworth"), value("cat"));
    root = trie.rootHash();
  }

  @Test
  void presentKeysVerifyToTheirValues() {
    for (String key : List.of("doe", "dog", "dogglesworth")) {
      List<byte[]> proof = trie.prove(ascii(key));
      assertArrayEquals(trie.get(ascii(key)).orElseThrow(),
          MerkleProof.verify(KECCAK, root, ascii(key), proof).orElseThrow());
    }
    // extension -> branch -> branch with "dog"'s value; the proof stops where the value is.
    assertEquals(3, trie.prove(ascii("dog")).size());
  }

  @Test
  void keyDivergingInsideAnExtensionIsAbsent() {
    assertAbsent("dx", Node.Extension.class, 1);
    // A key that ends inside the extension's path diverges there too.
    assertAbsent("do", Node.Extension.class, 1);
  }

  @Test
  void keyMeetingAMissingBranchChildIsAbsent() {
    assertAbsent("dob", Node.Branch.class, 2);
  }

  @Test
  void keyEndingAtABranchWithoutValueIsAbsent() {
    trie.put(ascii("dox"), value("fox"));
    root = trie.rootHash();
    // "do" now ends at the branch where "dox" parts from "doe" and "dog"; it has no value.
    assertAbsent("do", Node.Branch.class, 2);
  }

  @Test
  void leafWithADifferentSuffixShowsAbsence() {
    assertAbsent("dogglesworts", Node.Leaf.class, 4);
    assertAbsent("doglike", Node.Leaf.class, 4);
    assertAbsent("doe!", Node.Leaf.class, 3);
  }

  @Test
  void emptyTrieIsProvedByAnEmptyProof() {
    MerklePatriciaTrie empty = new MerklePatriciaTrie(KECCAK);
    assertEquals(List.of(), empty.prove(ascii("dog")));
    assertEquals(Optional.empty(),
        MerkleProof.verify(KECCAK, empty.rootHash(), ascii("dog"), List.of()));
    InvalidProofException e = assertThrows(InvalidProofException.class,
        () -> MerkleProof.verify(KECCAK, root, ascii("dog"), List.of()));
    assertTrue(e.getMessage().startsWith("proof is empty, but root 0x"), e.getMessage());
  }

  @Test
  void tamperedNodeIsRejected() {
    List<byte[]> proof = new ArrayList<>(trie.prove(ascii("dog")));
    byte[] node = proof.get(1).clone();
    node[node.length - 1] ^= 0x01;
    proof.set(1, node);
    InvalidProofException e = assertThrows(InvalidProofException.class,
        () -> MerkleProof.verify(KECCAK, root, ascii("dog"), proof));
    assertTrue(e.getMessage().startsWith("proof node 1 hashes to 0x"), e.getMessage());
    assertTrue(e.getMessage().contains("but its parent refers to 0x"), e.getMessage());
  }

  @Test
  void proofForAnotherRootIsRejected() {
    byte[] otherRoot = KECCAK.hash(ascii("not the root"));
    InvalidProofException e = assertThrows(InvalidProofException.class,
        () -> MerkleProof.verify(KECCAK, otherRoot, ascii("dog"), trie.prove(ascii("dog"))));
    assertTrue(e.getMessage().endsWith("but the root hash is " + Hex.encode0x(otherRoot)),
        e.getMessage());
  }

  @Test
  void truncatedProofIsRejected() {
    List<byte[]> proof = trie.prove(ascii("dog"));
    InvalidProofException e = assertThrows(InvalidProofException.class,
        () -> MerkleProof.verify(KECCAK, root, ascii("dog"), proof.subList(0, 2)));
    assertTrue(e.getMessage().startsWith("proof ends after 2 nodes, but the key's path continues"),
        e.getMessage());
  }

  @Test
  void nodesOffThePathAreRejected() {
    List<byte[]> proof = new ArrayList<>(trie.prove(ascii("doe")));
    proof.add(trie.prove(ascii("dog")).get(2));
    InvalidProofException e = assertThrows(InvalidProofException.class,
        () -> MerkleProof.verify(KECCAK, root, ascii("doe"), proof));
    assertTrue(e.getMessage().endsWith("but 1 more node follows"), e.getMessage());
  }

  @Test
  void malformedNodeWithTheRightHashIsRejected() {
    byte[] garbage = Rlp.encodeList(Rlp.encodeBytes(ascii("three")), Rlp.encodeBytes(ascii("item")),
        Rlp.encodeBytes(ascii("list")));
    InvalidProofException e = assertThrows(InvalidProofException.class,
        () -> MerkleProof.verify(KECCAK, KECCAK.hash(garbage), ascii("dog"), List.of(garbage)));
    assertTrue(e.getMessage().startsWith("proof node 0 is malformed: RLP at offset 0: trie node"
        + " has 3 items"), e.getMessage());
  }

  @Test
  void secureTrieProofsHashTheKey() {
    SecureTrie secure = new SecureTrie(KECCAK, new InMemoryNodeStore());
    secure.put(ascii("dog"), value("puppy"));
    secure.put(ascii("doe"), value("reindeer"));
    byte[] secureRoot = secure.rootHash();
    assertArrayEquals(value("puppy"), SecureTrie.verifyProof(
        KECCAK, secureRoot, ascii("dog"), secure.prove(ascii("dog"))).orElseThrow());
    assertEquals(Optional.empty(), SecureTrie.verifyProof(
        KECCAK, secureRoot, ascii("cat"), secure.prove(ascii("cat"))));
  }

  private void assertAbsent(String key, Class<? extends Node> last, int length) {
    List<byte[]> proof = trie.prove(ascii(key));
    assertEquals(Optional.empty(), MerkleProof.verify(KECCAK, root, ascii(key), proof));
    assertEquals(length, proof.size(), key);
    assertInstanceOf(last, decode(proof.get(proof.size() - 1)), key);
  }

  private static Node decode(byte[] encoded) {
    return NodeCodec.decode(encoded, KECCAK.hash(encoded));
  }

  private static byte[] value(String text) {
    return ascii(text + " -- long enough to be stored by hash");
  }
}
