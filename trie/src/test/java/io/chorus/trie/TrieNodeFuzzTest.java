package io.chorus.trie;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chorus.codec.Hex;
import io.chorus.codec.RlpException;
import io.chorus.crypto.Keccak256;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzzes what the trie reads from outside: a node either decodes to one whose encoding is the
 * input itself, or fails with {@link RlpException}; a one-node proof whose hash matches its root
 * either verifies or fails with {@link InvalidProofException}. Nothing else may escape.
 */
public class TrieNodeFuzzTest {

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    decodeIsStrict(input);
    verifyIsTotal(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    fuzzerTestOneInput(input);
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
}
