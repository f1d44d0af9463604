package io.chorus.trie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chorus.crypto.HashFunction;
import io.chorus.crypto.Keccak256;
import io.chorus.trie.MerklePatriciaTrie.Entry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties over random tries. Keys come from a four-byte alphabet so they share prefixes and
 * exercise every node kind; values of 1 to 40 bytes give both embedded and hashed nodes.
 */
class TriePropertiesTest {
  private static final HashFunction KECCAK = Keccak256.INSTANCE;

  @Property(tries = 300)
  void rootMatchesTheYellowPaperDefinition(@ForAll("entries") TreeMap<byte[], byte[]> entries) {
    assertArrayEquals(new ReferenceTrie(KECCAK).root(entries), build(entries).rootHash());
  }

  @Property(tries = 300)
  void insertionOrderDoesNotChangeTheRoot(
      @ForAll("entries") TreeMap<byte[], byte[]> entries, @ForAll Random random) {
    List<Map.Entry<byte[], byte[]>> shuffled = new ArrayList<>(entries.entrySet());
    Collections.shuffle(shuffled, random);
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK);
    shuffled.forEach(e -> trie.put(e.getKey(), e.getValue()));
    assertArrayEquals(build(entries).rootHash(), trie.rootHash());
  }

  /** Runs on a trie reloaded from its store, so the edits go through lazily loaded nodes. */
  @Property(tries = 300)
  void puttingThenDeletingNewKeysRestoresTheRoot(
      @ForAll("entries") TreeMap<byte[], byte[]> entries,
      @ForAll("entries") TreeMap<byte[], byte[]> extra,
      @ForAll Random random) {
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerklePatriciaTrie original = new MerklePatriciaTrie(KECCAK, store);
    entries.forEach(original::put);
    byte[] root = original.commit();

    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK, store, root);
    List<byte[]> added = new ArrayList<>();
    extra.forEach((key, value) -> {
      if (!entries.containsKey(key)) {
        trie.put(key, value);
        added.add(key);
      }
    });
    trie.rootHash();
    Collections.shuffle(added, random);
    added.forEach(trie::delete);
    assertArrayEquals(root, trie.rootHash());
  }

  @Property(tries = 300)
  void proofsOfPresentAndAbsentKeysVerify(
      @ForAll("entries") TreeMap<byte[], byte[]> entries, @ForAll("keyLists") List<byte[]> probes) {
    MerklePatriciaTrie trie = build(entries);
    byte[] root = trie.rootHash();
    entries.forEach((key, value) ->
        assertArrayEquals(value, MerkleProof.verify(KECCAK, root, key, trie.prove(key)).get()));
    for (byte[] probe : probes) {
      Optional<byte[]> verified = MerkleProof.verify(KECCAK, root, probe, trie.prove(probe));
      assertEquals(entries.containsKey(probe), verified.isPresent());
    }
  }

  @Property(tries = 500)
  void flippingAnyProofByteFailsVerification(
      @ForAll("entries") TreeMap<byte[], byte[]> entries,
      @ForAll("keys") byte[] key,
      @ForAll @IntRange(min = 0, max = 1000) int nodeIndex,
      @ForAll @IntRange(min = 0, max = 100_000) int byteIndex,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    MerklePatriciaTrie trie = build(entries);
    if (trie.isEmpty()) {
      trie.put(new byte[] {1}, new byte[] {2});
    }
    List<byte[]> proof = new ArrayList<>(trie.prove(key));
    byte[] node = proof.get(nodeIndex % proof.size()).clone();
    node[byteIndex % node.length] ^= (byte) mask;
    proof.set(nodeIndex % proof.size(), node);
    assertThrows(InvalidProofException.class,
        () -> MerkleProof.verify(KECCAK, trie.rootHash(), key, proof));
  }

  @Property(tries = 300)
  void reloadedTrieHasTheSameRootValuesAndOrder(
      @ForAll("entries") TreeMap<byte[], byte[]> entries) {
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK, store);
    entries.forEach(trie::put);
    byte[] root = trie.commit();
    MerklePatriciaTrie loaded = new MerklePatriciaTrie(KECCAK, store, root);
    assertArrayEquals(root, loaded.rootHash());
    Iterator<Entry> iterator = loaded.iterator();
    entries.forEach((key, value) -> {
      assertArrayEquals(value, loaded.get(key).orElseThrow());
      assertEquals(new Entry(key, value), iterator.next());
    });
    assertFalse(iterator.hasNext());
  }

  @Property(tries = 300)
  void nextAndPrevAgreeWithASortedMap(
      @ForAll("entries") TreeMap<byte[], byte[]> entries, @ForAll("keyLists") List<byte[]> probes) {
    InMemoryNodeStore store = new InMemoryNodeStore();
    MerklePatriciaTrie built = build(entries, store);
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK, store, built.commit());
    List<byte[]> targets = new ArrayList<>(probes);
    targets.addAll(entries.keySet());
    for (byte[] target : targets) {
      assertEquals(entry(entries.higherEntry(target)), trie.next(target));
      assertEquals(entry(entries.lowerEntry(target)), trie.prev(target));
    }
  }

  @Provide
  Arbitrary<TreeMap<byte[], byte[]>> entries() {
    Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
    return Arbitraries.entries(keys(), values).list().ofMaxSize(40).map(list -> {
      TreeMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);
      list.forEach(e -> map.put(e.getKey(), e.getValue()));
      return map;
    });
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x10, (byte) 0xff)
        .array(byte[].class).ofMaxSize(5);
  }

  @Provide
  Arbitrary<List<byte[]>> keyLists() {
    return keys().list().ofMaxSize(20);
  }

  private static MerklePatriciaTrie build(Map<byte[], byte[]> entries) {
    return build(entries, new InMemoryNodeStore());
  }

  private static MerklePatriciaTrie build(Map<byte[], byte[]> entries, NodeStore store) {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK, store);
    entries.forEach(trie::put);
    return trie;
  }

  private static Optional<Entry> entry(Map.Entry<byte[], byte[]> entry) {
    return Optional.ofNullable(entry).map(e -> new Entry(e.getKey(), e.getValue()));
  }
}
