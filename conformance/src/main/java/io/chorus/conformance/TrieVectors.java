package io.chorus.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.Keccak256;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.trie.MerkleProof;
import io.chorus.trie.NodeStore;
import io.chorus.trie.SecureTrie;
import io.chorus.trie.Trie;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * TrieTests: applying {@code in} in order (a null value deletes) must give {@code root}; in the
 * {@code *anyorder*} files {@code in} is an object and the reverse order must give it too. Files
 * named {@code *securetrie*} hash keys with keccak-256 first. Cases with {@code tests} (in
 * trietestnextprev.json) insert the keys of {@code in} and check each {@code [key, prev, next]}.
 *
 * <p>Beyond the root, every case also checks that each remaining key's proof verifies to its
 * value and that the committed trie reloads to the same root.
 */
public final class TrieVectors implements VectorRunner {
  private static final HashFunction KECCAK = Keccak256.INSTANCE;

  @Override
  public String folder() {
    return "TrieTests";
  }

  @Override
  public List<CaseResult> run(VectorFile file) {
    String fileName = file.path().getFileName().toString().toLowerCase(Locale.ROOT);
    boolean secure = fileName.contains("securetrie");
    List<CaseResult> results = new ArrayList<>();
    for (Map.Entry<String, JsonNode> test : file.json().properties()) {
      String name = test.getKey();
      JsonNode body = test.getValue();
      String problem;
      try {
        problem = body.has("tests") ? checkNextPrev(body) : checkRoot(body, secure);
      } catch (RuntimeException e) {
        problem = "threw " + e;
      }
      results.add(problem == null ? file.passed(name) : file.failed(name, problem));
    }
    return results;
  }

  private static String checkRoot(JsonNode body, boolean secure) {
    JsonNode in = body.get("in");
    List<byte[][]> changes = new ArrayList<>();
    if (in.isArray()) {
      in.forEach(pair -> changes.add(new byte[][] {bytes(pair.get(0)), bytes(pair.get(1))}));
    } else {
      in.properties().forEach(e ->
          changes.add(new byte[][] {bytes(e.getKey()), bytes(e.getValue())}));
    }
    String expected = Hex.encode0x(Hex.decode(body.get("root").asText()));
    String problem = checkRoot(changes, secure, expected, "");
    if (problem == null && in.isObject()) {
      Collections.reverse(changes);
      problem = checkRoot(changes, secure, expected, " in reverse order");
    }
    return problem;
  }

  private static String checkRoot(
      List<byte[][]> changes, boolean secure, String expected, String order) {
    NodeStore store = new InMemoryNodeStore();
    Trie trie = secure ? new SecureTrie(KECCAK, store) : new MerklePatriciaTrie(KECCAK, store);
    Map<String, byte[]> live = new LinkedHashMap<>();
    for (byte[][] change : changes) {
      trie.put(change[0], change[1]);
      if (change[1].length == 0) {
        live.remove(Hex.encode(change[0]));
      } else {
        live.put(Hex.encode(change[0]), change[1]);
      }
    }
    String actual = Hex.encode0x(trie.rootHash());
    if (!actual.equals(expected)) {
      return "root " + actual + order + ", expected " + expected;
    }
    byte[] root = trie.commit();
    Trie reloaded = secure ? new SecureTrie(KECCAK, store, root)
        : new MerklePatriciaTrie(KECCAK, store, root);
    for (Map.Entry<String, byte[]> entry : live.entrySet()) {
      byte[] key = Hex.decode(entry.getKey());
      List<byte[]> proof = trie.prove(key);
      Optional<byte[]> proved = secure ? SecureTrie.verifyProof(KECCAK, root, key, proof)
          : MerkleProof.verify(KECCAK, root, key, proof);
      if (!Arrays.equals(proved.orElse(null), entry.getValue())) {
        return "proof of key 0x" + entry.getKey() + " gives " + show(proved)
            + ", expected " + Hex.encode0x(entry.getValue());
      }
      Optional<byte[]> loaded = reloaded.get(key);
      if (!Arrays.equals(loaded.orElse(null), entry.getValue())) {
        return "reloaded trie gives " + show(loaded) + " for key 0x" + entry.getKey()
            + ", expected " + Hex.encode0x(entry.getValue());
      }
    }
    return null;
  }

  private static String checkNextPrev(JsonNode body) {
    MerklePatriciaTrie trie = new MerklePatriciaTrie(KECCAK);
    // Only the keys matter here; each gets a value naming it, which is never empty.
    body.get("in").forEach(key -> trie.put(bytes(key), bytes("value of " + key.asText())));
    List<String> problems = new ArrayList<>();
    for (JsonNode test : body.get("tests")) {
      byte[] key = bytes(test.get(0));
      String prev = trie.prev(key).map(e -> text(e.key())).orElse("");
      String next = trie.next(key).map(e -> text(e.key())).orElse("");
      if (!prev.equals(test.get(1).asText()) || !next.equals(test.get(2).asText())) {
        problems.add("[\"" + test.get(0).asText() + "\"]: prev \"" + prev + "\", next \"" + next
            + "\", expected \"" + test.get(1).asText() + "\", \"" + test.get(2).asText() + "\"");
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems);
  }

  /** The vectors write bytes as 0x-hex or raw ASCII; null is the empty value, a deletion. */
  private static byte[] bytes(JsonNode node) {
    return node.isNull() ? new byte[0] : bytes(node.asText());
  }

  private static byte[] bytes(String text) {
    return text.startsWith("0x") ? Hex.decode(text) : text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  private static String show(Optional<byte[]> value) {
    return value.map(Hex::encode0x).orElse("nothing");
  }
}
