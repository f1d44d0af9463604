package io.chorus.trie;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chorus.codec.Hex;
import io.chorus.codec.RlpException;
import io.chorus.crypto.Keccak256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes what the trie reads from outside: a node either decodes to one whose encoding is the
 * input itself, or fails with {@link RlpException}; a one-node proof whose hash matches its root
 * either verifies or fails with {@link InvalidProofException}. Nothing else may escape. The same
 * bytes, read as key/value pairs, build a trie whose proofs must verify to what the trie holds
 * (absence included) and stop verifying when any byte of a proof node is changed. Seeds: leaf,
 * extension and branch encodings in {@code TrieNodeFuzzTestInputs/fuzz}.
 */
public class TrieNodeFuzzTest {
  private static final int PROVEN_KEYS_MAX = 16;

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    decodeIsStrict(input);
    verifyIsTotal(input);
    proofsOfABuiltTrieVerify(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The seeds stay seeds of the accepting path: each one is a node the codec reads. */
  @Test
  void everySeedDecodes() throws IOException {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(
        Path.of("src/test/resources/io/chorus/trie/TrieNodeFuzzTestInputs/fuzz"))) {
      seeds = files.sorted().toList();
    }
    assertFalse(seeds.isEmpty(), "no seed corpus under src/test/resources");
    for (Path seed : seeds) {
      byte[] input = Files.readAllBytes(seed);
      assertDoesNotThrow(() -> NodeCodec.decode(input, input), seed.toString());
      fuzzerTestOneInput(input);
    }
  }

  private static void decodeIsStrict(byte[] input) {
    Node node;
    try {
      node = NodeCodec.decode(input, input);
    } catch (RlpException rejected) {
      return;
    }
    byte[] again = NodeCodec.encode(node);
    if (!Arrays.equals(again, input)) {
      throw new AssertionError("accepted non-canonical node " + Hex.encode(input)
          + ", canonical form is " + Hex.encode(again));
    }
  }

  /** The input's first bytes are the key, so keys that follow the node's paths come up. */
  private static void verifyIsTotal(byte[] input) {
    byte[] key = Arrays.copyOf(input, Math.min(input.length, 8));
    try {
      MerkleProof.verify(Keccak256.INSTANCE, Keccak256.INSTANCE.hash(input), key, List.of(input));
    } catch (InvalidProofException rejected) {
      // Expected for most inputs.
    }
  }

  /**
   * Reads the input as pairs (a length byte, then that many key bytes mod 8; a length byte, then
   * value bytes mod 40, so values cross the 32-byte embedding limit), builds the trie, then
   * proves up to {@link #PROVEN_KEYS_MAX} of its keys, spread over the input, and one the input
   * does not hold. Proving every key made a long input cost as many proofs as it has keys, and
   * the whole target ran at a twentieth of the others' pace.
   */
  private static void proofsOfABuiltTrieVerify(byte[] input) {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(Keccak256.INSTANCE);
    List<byte[]> keys = new ArrayList<>();
    int at = 0;
    while (at < input.length) {
      int keyLength = (input[at++] & 0xff) % 8;
      byte[] key = Arrays.copyOfRange(input, at, Math.min(input.length, at + keyLength));
      at += key.length;
      int valueLength = at < input.length ? (input[at++] & 0xff) % 40 : 0;
      byte[] value = Arrays.copyOfRange(input, at, Math.min(input.length, at + valueLength));
      at += value.length;
      trie.put(key, value);
      keys.add(key);
    }
    int step = Math.max(1, Math.ceilDiv(keys.size(), PROVEN_KEYS_MAX));
    List<byte[]> proven = new ArrayList<>();
    for (int i = 0; i < keys.size(); i += step) {
      proven.add(keys.get(i));
    }
    proven.add(new byte[] {(byte) input.length, 0x7f});
    byte[] root = trie.rootHash();
    for (byte[] key : proven) {
      List<byte[]> proof = trie.prove(key);
      Optional<byte[]> verified = MerkleProof.verify(Keccak256.INSTANCE, root, key, proof);
      Optional<byte[]> held = trie.get(key);
      if (verified.isPresent() != held.isPresent()
          || (held.isPresent() && !Arrays.equals(verified.get(), held.get()))) {
        throw new AssertionError("the proof of key " + Hex.encode(key) + " gives "
            + verified.map(Hex::encode) + " but the trie holds " + held.map(Hex::encode));
      }
      tamperedProofFails(root, key, proof, input.length);
    }
  }

  /** Changes one byte of one node (chosen by {@code seed}): its hash no longer matches. */
  private static void tamperedProofFails(byte[] root, byte[] key, List<byte[]> proof, int seed) {
    if (proof.isEmpty()) {
      return;
    }
    List<byte[]> tampered = new ArrayList<>(proof);
    int index = seed % proof.size();
    byte[] node = tampered.get(index).clone();
    node[seed % node.length] ^= 0x01;
    tampered.set(index, node);
    try {
      MerkleProof.verify(Keccak256.INSTANCE, root, key, tampered);
    } catch (InvalidProofException expected) {
      return;
    }
    throw new AssertionError("a proof of key " + Hex.encode(key) + " with node " + index
        + " changed still verifies against " + Hex.encode(root));
  }
}
