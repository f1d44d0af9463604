package io.chorus.trie;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.Sm3;
import io.chorus.trie.MerklePatriciaTrie.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The trie's shape, root hashes, storage round trips and failure modes on corrupt stores. */
class MerklePatriciaTrieTest {
  private static final HashFunction KECCAK = Keccak256.INSTANCE;
  private static final String EMPTY_ROOT =
      "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

  @Test
  void emptyTrieHasTheHashOfTheEmptyString() {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK);
    assertTrue(trie.isEmpty());
    assertEquals(EMPTY_ROOT, Hex.encode(trie.rootHash()));
    assertEquals(EMPTY_ROOT, Hex.encode(trie.commit()));
    assertEquals(Optional.empty(), trie.get(ascii("anything")));
    assertFalse(trie.iterator().hasNext());
    assertEquals(Hex.encode(Sm3.INSTANCE.hash(new byte[] {(byte) 0x80})),
        Hex.encode(new MerklePatriciaTrie(Sm3.INSTANCE).rootHash()));
  }

  @Test
  void singleKeyIsOneLeaf() {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK);
    trie.put(ascii("A"), ascii("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    assertEquals("d23786fb4a010da3ce639d66d5e904a11dbc02746d1ce25029e53290cabf28ab",
        Hex.encode(trie.rootHash()));
    Node.Leaf leaf = assertInstanceOf(Node.Leaf.class, trie.root());
    assertArrayEquals(new byte[] {4, 1}, leaf.path());
    assertEquals("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", text(trie.get(ascii("A"))));
  }

  @Test
  void sharedPrefixesBecomeExtensionsOverBranches() {
    MerklePatriciaTrie trie = trie("doe", "reindeer", "dog", "puppy", "dogglesworth", "cat");
    assertEquals("8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3",
        Hex.encode(trie.rootHash()));
    // "do" + the high nibble of 'e' and 'g' (0x65, 0x67) is shared by all three keys.
    Node.Extension top = assertInstanceOf(Node.Extension.class, trie.root());
    assertArrayEquals(new byte[] {6, 4, 6, 15, 6}, top.path());
    Node.Branch fork = assertInstanceOf(Node.Branch.class, top.child());
    assertInstanceOf(Node.Leaf.class, fork.children()[5]);
    // "dog" ends where "dogglesworth" goes on, so that branch carries a value.
    Node.Branch dog = assertInstanceOf(Node.Branch.class, fork.children()[7]);
    assertEquals("puppy", new String(dog.value(), US_ASCII));
    assertEquals("cat", text(trie.get(ascii("dogglesworth"))));
    assertEquals(Optional.empty(), trie.get(ascii("do")));
    assertEquals(Optional.empty(), trie.get(ascii("dogg")));
  }

  @Test
  void updatingABranchValueAndKeysThatArePrefixesOfOthers() {
    MerklePatriciaTrie trie = trie("abc", "123", "abcd", "abcd", "abc", "abc");
    assertEquals("7a320748f780ad9ad5b0837302075ce0eeba6c26e3d8562c67ccc0f1b273298a",
        Hex.encode(trie.rootHash()));
    assertEquals("abc", text(trie.get(ascii("abc"))));
    trie = trie("foo", "bar", "food", "bass");
    assertEquals("17beaa1648bafa633cda809c90c04af50fc8aed3cb40d16efbddee6fdf63c4c3",
        Hex.encode(trie.rootHash()));
  }

  @Test
  void puttingTheSameValueOrDeletingAnAbsentKeyKeepsTheTrieClean() {
    MerklePatriciaTrie trie = trie("doe", "reindeer", "dog", "puppy", "dogglesworth", "cat");
    trie.rootHash();
    Node root = trie.root();
    trie.put(ascii("dog"), ascii("puppy"));
    trie.delete(ascii("dot"));
    trie.delete(ascii("dogglesworthy"));
    assertSame(root, trie.root());
  }

  @Test
  void emptyValueDeletes() {
    MerklePatriciaTrie trie = trie("do", "verb", "dog", "puppy");
    byte[] before = trie.rootHash();
    trie.put(ascii("doge"), ascii("coin"));
    trie.put(ascii("doge"), new byte[0]);
    assertArrayEquals(before, trie.rootHash());
    assertEquals(Optional.empty(), trie.get(ascii("doge")));
  }

  @Test
  void deletingEveryKeyInAnyOrderLeavesTheEmptyTrie() {
    Random random = new Random(7);
    List<byte[]> keys = new ArrayList<>();
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK);
    for (int i = 0; i < 300; i++) {
      byte[] key = new byte[1 + random.nextInt(4)];
      for (int j = 0; j < key.length; j++) {
        key[j] = (byte) random.nextInt(4);
      }
      keys.add(key);
      trie.put(key, ("value " + i).getBytes(US_ASCII));
    }
    trie.commit();
    Collections.shuffle(keys, random);
    for (byte[] key : keys) {
      trie.delete(key);
    }
    assertTrue(trie.isEmpty());
    assertEquals(EMPTY_ROOT, Hex.encode(trie.rootHash()));
  }

  @Test
  void smallNodesAreEmbeddedInTheirParent() {
    // Leaves [0x20, "1"] are 3 bytes, so the branch, the extension and the whole trie embed.
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK, store);
    trie.put(ascii("a"), ascii("1"));
    trie.put(ascii("b"), ascii("2"));
    byte[] root = trie.commit();
    assertEquals(1, store.size(), "only the root is stored, under its hash");
    List<byte[]> proof = trie.prove(ascii("b"));
    assertEquals(1, proof.size());
    assertTrue(proof.get(0).length < 32);
    assertArrayEquals(root, KECCAK.hash(proof.get(0)));

    MerklePatriciaTrie loaded = new MerklePatriciaTrie(KECCAK, store, root);
    assertEquals("2", text(loaded.get(ascii("b"))));
    loaded.put(ascii("c"), ascii("3"));
    assertEquals("3", text(loaded.get(ascii("c"))));
  }

  @Test
  void largeNodesAreStoredByHashAndSmallOnesStayInside() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK, store);
    trie.put(ascii("a"), new byte[40]);
    trie.put(ascii("b"), new byte[41]);
    trie.put(ascii("c"), ascii("3"));
    trie.commit();
    // Stored: the root extension, its branch, and leaves a and b; the branch embeds leaf c.
    assertEquals(4, store.size());
    Node.Branch branch = (Node.Branch) ((Node.Extension) trie.root()).child();
    assertEquals(32, branch.children()[1].ref().length);
    assertTrue(branch.children()[3].ref().length < 32);
  }

  @Test
  void commitAndReloadGiveTheSameRootValuesAndUpdates() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK, store);
    TreeMap<byte[], byte[]> expected = new TreeMap<>(Arrays::compareUnsigned);
    Random random = new Random(11);
    for (int i = 0; i < 500; i++) {
      byte[] key = KECCAK.hash(new byte[] {(byte) i, (byte) (i >> 8)});
      byte[] value = new byte[1 + random.nextInt(60)];
      random.nextBytes(value);
      value[0] |= 1;
      trie.put(key, value);
      expected.put(key, value);
    }
    byte[] root = trie.commit();

    MerklePatriciaTrie loaded = new MerklePatriciaTrie(KECCAK, store, root);
    assertArrayEquals(root, loaded.rootHash());
    expected.forEach((key, value) -> assertArrayEquals(value, loaded.get(key).orElseThrow()));
    Iterator<Entry> entries = loaded.iterator();
    expected.forEach((key, value) -> assertEquals(new Entry(key, value), entries.next()));
    assertFalse(entries.hasNext());

    // The same edits on the in-memory trie and on the lazily loaded one agree.
    for (int i = 0; i < 100; i++) {
      byte[] key = expected.keySet().stream().skip(random.nextInt(expected.size()))
          .findFirst().orElseThrow();
      trie.delete(key);
      loaded.delete(key);
      expected.remove(key);
      byte[] fresh = KECCAK.hash(new byte[] {(byte) i, 1, 2, 3});
      trie.put(fresh, ascii("new"));
      loaded.put(fresh, ascii("new"));
    }
    assertArrayEquals(trie.rootHash(), loaded.rootHash());
    byte[] second = loaded.commit();
    assertArrayEquals(second, new MerklePatriciaTrie(KECCAK, store, second).rootHash());
    // The first version is still there: nodes are never overwritten.
    assertArrayEquals(root, new MerklePatriciaTrie(KECCAK, store, root).rootHash());
  }

  @Test
  void updatesRehashAndRewriteOnlyTheChangedPath() {
    CountingHash hash = new CountingHash();
    CountingStore store = new CountingStore();
    MerklePatriciaTrie trie = new MerklePatriciaTrie(hash, store);
    for (int i = 0; i < 2000; i++) {
      trie.put(KECCAK.hash(new byte[] {(byte) i, (byte) (i >> 8)}), new byte[40]);
    }
    trie.commit();
    hash.calls = 0;
    store.puts = 0;
    trie.put(KECCAK.hash(new byte[] {7, 0}), new byte[] {1});
    trie.rootHash();
    // 2000 random keys make a path of a few branches and a leaf; nothing else is rehashed.
    int hashed = hash.calls;
    assertTrue(hashed <= 5, hashed + " hashes");
    trie.commit();
    assertEquals(hashed, hash.calls, "commit reuses the hashes rootHash computed");
    assertTrue(store.puts <= 5, store.puts + " nodes written");
  }

  @Test
  void sm3TrieHasItsOwnHashes() {
    MerklePatriciaTrie keccak = trie("doe", "reindeer", "dog", "puppy");
    MerklePatriciaTrie sm3 = new MerklePatriciaTrie(Sm3.INSTANCE);
    sm3.put(ascii("doe"), ascii("reindeer"));
    sm3.put(ascii("dog"), ascii("puppy"));
    assertFalse(Arrays.equals(keccak.rootHash(), sm3.rootHash()));
    byte[] root = sm3.rootHash();
    assertEquals("puppy", text(MerkleProof.verify(Sm3.INSTANCE, root, ascii("dog"),
        sm3.prove(ascii("dog")))));
    assertThrows(InvalidProofException.class,
        () -> MerkleProof.verify(KECCAK, root, ascii("dog"), sm3.prove(ascii("dog"))));
  }

  @Test
  void missingNodeIsReportedByHash() {
    InMemoryNodeStore full = new InMemoryNodeStore();
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK, full);
    trie.put(ascii("a"), new byte[40]);
    trie.put(ascii("b"), new byte[41]);
    byte[] root = trie.commit();
    byte[] leafHash = ((Node.Branch) ((Node.Extension) trie.root()).child()).children()[2].ref();

    NodeStore partial = new NodeStore() {
      @Override
      public Optional<byte[]> get(byte[] hash) {
        return Arrays.equals(hash, leafHash) ? Optional.empty() : full.get(hash);
      }

      @Override
      public void put(byte[] hash, byte[] encoded) {
        full.put(hash, encoded);
      }
    };
    MerklePatriciaTrie loaded = new MerklePatriciaTrie(KECCAK, partial, root);
    assertEquals(40, loaded.get(ascii("a")).orElseThrow().length);
    CorruptNodeException e =
        assertThrows(CorruptNodeException.class, () -> loaded.get(ascii("b")));
    assertArrayEquals(leafHash, e.nodeHash());
    assertEquals("trie node 0x" + Hex.encode(leafHash) + " is missing from the node store",
        e.getMessage());
    assertThrows(CorruptNodeException.class, () -> loaded.put(ascii("bb"), ascii("x")));
    assertThrows(CorruptNodeException.class, () -> loaded.iterator().forEachRemaining(x -> { }));

    CorruptNodeException noRoot = assertThrows(CorruptNodeException.class,
        () -> new MerklePatriciaTrie(KECCAK, new InMemoryNodeStore(), root));
    assertArrayEquals(root, noRoot.nodeHash());
  }

  @Test
  void tamperedNodeIsReportedByHash() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK, store);
    trie.put(ascii("a"), new byte[40]);
    byte[] root = trie.commit();
    byte[] tampered = store.get(root).orElseThrow().clone();
    tampered[tampered.length - 1] ^= 1;
    store.put(root, tampered);
    CorruptNodeException e = assertThrows(CorruptNodeException.class,
        () -> new MerklePatriciaTrie(KECCAK, store, root));
    assertArrayEquals(root, e.nodeHash());
    assertTrue(e.getMessage().contains("is stored with content that hashes to 0x"),
        e.getMessage());
  }

  @Test
  void malformedNodesAreReportedByHash() {
    assertMalformed(Rlp.encodeList(Rlp.encodeBytes(new byte[] {0x20}), Rlp.encodeBytes(ascii("x")),
        Rlp.encodeBytes(ascii("y"))), "trie node has 3 items, not 2 or 17");
    assertMalformed(Rlp.encodeBytes(new byte[40]), "trie node must be a list");
    assertMalformed(Rlp.encodeList(Rlp.encodeBytes(new byte[] {0x00}),
        Rlp.encodeBytes(new byte[32])), "extension path is empty");
    assertMalformed(Rlp.encodeList(Rlp.encodeBytes(new byte[] {0x11}),
        Rlp.encodeBytes(new byte[31])), "child reference of 31 bytes");
    assertMalformed(Rlp.encodeList(Rlp.encodeBytes(new byte[] {0x4f}),
        Rlp.encodeBytes(new byte[32])), "hex-prefix flag nibble 4");
    // A leaf whose key would be 3 nibbles long: no byte key ends there.
    assertMalformed(Rlp.encodeList(Rlp.encodeBytes(new byte[] {0x31, 0x23}),
        Rlp.encodeBytes(new byte[32])), "holds a value for a key of 3 nibbles");
  }

  @Test
  void overlongKeysAreRejected() {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK);
    byte[] key = new byte[MerklePatriciaTrie.MAX_KEY_BYTES + 1];
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> trie.put(key, ascii("x")));
    assertEquals("key of 257 bytes is longer than the 256 allowed", e.getMessage());
    trie.put(Arrays.copyOf(key, MerklePatriciaTrie.MAX_KEY_BYTES), ascii("x"));
    assertNotNull(trie.rootHash());
  }

  @Test
  void nextAndPrevFindNeighboursOfAnyKey() {
    MerklePatriciaTrie trie = trie("cat", "1", "doge", "2", "wallace", "3", "", "0");
    assertEquals("cat", key(trie.next(ascii(""))));
    assertEquals("", key(trie.prev(ascii("bobo"))));
    assertEquals("doge", key(trie.next(ascii("cat"))));
    assertEquals("cat", key(trie.prev(ascii("catering"))));
    assertEquals("doge", key(trie.prev(ascii("dogerton"))));
    assertEquals("wallace", key(trie.next(ascii("w"))));
    assertEquals(Optional.empty(), trie.next(ascii("wallace")));
    assertEquals(Optional.empty(), trie.prev(ascii("")));
    assertEquals("2", text(trie.next(ascii("d")).map(Entry::value)));
  }

  @Test
  void iterationSeesTheTrieAsItWasWhenItStarted() {
    MerklePatriciaTrie trie = trie("b", "2", "a", "1", "ab", "3");
    Iterator<Entry> entries = trie.iterator();
    trie.put(ascii("aa"), ascii("4"));
    List<String> keys = new ArrayList<>();
    entries.forEachRemaining(e -> keys.add(new String(e.key(), US_ASCII)));
    assertEquals(List.of("a", "ab", "b"), keys);
  }

  @Test
  void keysAndValuesAreCopied() {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK);
    byte[] key = ascii("key");
    byte[] value = ascii("value");
    trie.put(key, value);
    value[0] = 'X';
    trie.get(key).orElseThrow()[0] = 'Y';
    assertEquals("value", text(trie.get(ascii("key"))));
  }

  private static void assertMalformed(byte[] encoded, String problem) {
    InMemoryNodeStore store = new InMemoryNodeStore();
    byte[] hash = KECCAK.hash(encoded);
    store.put(hash, encoded);
    CorruptNodeException e = assertThrows(CorruptNodeException.class,
        () -> new MerklePatriciaTrie(KECCAK, store, hash));
    assertArrayEquals(hash, e.nodeHash());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  private static MerklePatriciaTrie trie(String... keysAndValues) {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      trie.put(ascii(keysAndValues[i]), ascii(keysAndValues[i + 1]));
    }
    return trie;
  }

  static byte[] ascii(String text) {
    return text.getBytes(US_ASCII);
  }

  private static String text(Optional<byte[]> value) {
    return new String(value.orElseThrow(), US_ASCII);
  }

  private static String key(Optional<Entry> entry) {
    return new String(entry.orElseThrow().key(), US_ASCII);
  }

  /** Counts hash computations, to show unchanged subtrees are not rehashed. */
  private static final class CountingHash implements HashFunction {
    int calls;

    @Override
    public String name() {
      return "counting keccak256";
    }

    @Override
    public byte[] hash(byte[] data, int offset, int length) {
      calls++;
      return KECCAK.hash(data, offset, length);
    }
  }

  /** Counts writes, to show a commit writes only new nodes. */
  private static final class CountingStore implements NodeStore {
    private final InMemoryNodeStore nodes = new InMemoryNodeStore();
    int puts;

    @Override
    public Optional<byte[]> get(byte[] hash) {
      return nodes.get(hash);
    }

    @Override
    public void put(byte[] hash, byte[] encoded) {
      puts++;
      nodes.put(hash, encoded);
    }
  }
}
