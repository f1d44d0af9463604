package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The notary batch tree. Method: small trees (1, 2, 3, 5 leaves) against roots composed by
 * hand from their shapes in both suites' hashes; RFC 6962's published roots and inclusion
 * proofs (Certificate Transparency's test data, SHA-256) so the tree is the standard one and
 * not merely self-consistent; and a property over random batches: the root equals RFC 6962's
 * recursive definition, every leaf's path verifies, and a changed digest, sibling, or path
 * length does not.
 */
class MerkleBatchTest {
  /** SHA-256 as a HashFunction, only to check RFC 6962's published vectors. */
  static final HashFunction SHA256 = new HashFunction() {
    @Override
    public String name() {
      return "sha256";
    }

    @Override
    public byte[] hash(byte[] data, int offset, int length) {
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(data, offset, length);
        return digest.digest();
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }
  };

  static final List<byte[]> RFC6962_LEAVES = List.of("", "00", "10", "2021", "3031", "40414243",
      "5051525354555657", "606162636465666768696a6b6c6d6e6f").stream().map(Hex::decode).toList();
  /** The roots of the first 1..8 of those leaves. */
  static final List<String> RFC6962_ROOTS = List.of(
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

  static byte[] digest(int i) {
    return Keccak256.INSTANCE.hash(new byte[] {(byte) i, (byte) (i >> 8), 42});
  }

  static List<byte[]> digests(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(digest(i));
    }
    return out;
  }

  static byte[] leaf(HashFunction h, int i) {
    byte[] preimage = new byte[33];
    System.arraycopy(digest(i), 0, preimage, 1, 32); // 0x00 ‖ digest
    return h.hash(preimage);
  }

  static byte[] node(HashFunction h, byte[] left, byte[] right) {
    byte[] preimage = new byte[65];
    preimage[0] = 1;
    System.arraycopy(left, 0, preimage, 1, 32);
    System.arraycopy(right, 0, preimage, 33, 32);
    return h.hash(preimage);
  }

  @Test
  void smallTreesHaveTheRootsTheirShapesGiveInBothSuites() {
    for (HashFunction h : List.of(Keccak256.INSTANCE, Sm3.INSTANCE)) {
      assertArrayEquals(leaf(h, 0), MerkleBatch.root(h, digests(1)), "one leaf: its leaf hash");
      assertArrayEquals(node(h, leaf(h, 0), leaf(h, 1)), MerkleBatch.root(h, digests(2)));
      assertArrayEquals(node(h, node(h, leaf(h, 0), leaf(h, 1)), leaf(h, 2)),
          MerkleBatch.root(h, digests(3)), "the third leaf is promoted, not paired with itself");
      byte[] four = node(h, node(h, leaf(h, 0), leaf(h, 1)), node(h, leaf(h, 2), leaf(h, 3)));
      assertArrayEquals(node(h, four, leaf(h, 4)), MerkleBatch.root(h, digests(5)),
          "the fifth leaf is promoted twice");
    }
    assertFalse(Arrays.equals(MerkleBatch.root(Keccak256.INSTANCE, digests(5)),
        MerkleBatch.root(Sm3.INSTANCE, digests(5))), "each suite's tree uses its own hash");
  }

  @Test
  void pathsOfTheFiveLeafTreeSkipThePromotedLevels() {
    HashFunction h = Keccak256.INSTANCE;
    MerkleBatch batch = MerkleBatch.of(h, digests(5));
    List<byte[]> first = batch.path(0);
    assertEquals(3, first.size());
    assertArrayEquals(leaf(h, 1), first.get(0));
    assertArrayEquals(node(h, leaf(h, 2), leaf(h, 3)), first.get(1));
    assertArrayEquals(leaf(h, 4), first.get(2));
    List<byte[]> last = batch.path(4);
    assertEquals(1, last.size(), "promoted at the first two levels: one sibling");
    assertArrayEquals(node(h, node(h, leaf(h, 0), leaf(h, 1)), node(h, leaf(h, 2), leaf(h, 3))),
        last.get(0));
    assertTrue(MerkleBatch.verify(h, batch.root(), digest(4), 4, 5, last));
  }

  @Test
  void theTreeIsRfc6962sByItsPublishedRootsAndProofs() {
    for (int n = 1; n <= RFC6962_LEAVES.size(); n++) {
      assertEquals(RFC6962_ROOTS.get(n - 1),
          Hex.encode(MerkleBatch.root(SHA256, RFC6962_LEAVES.subList(0, n))), "size " + n);
    }
    MerkleBatch eight = MerkleBatch.of(SHA256, RFC6962_LEAVES);
    assertEquals(List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
        eight.path(0).stream().map(Hex::encode).toList());
    assertEquals(List.of("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
        eight.path(5).stream().map(Hex::encode).toList());
  }

  @Test
  void anEmptyOrOversizedBatchOrAnIndexOutsideIsRefused() {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> MerkleBatch.of(Keccak256.INSTANCE, List.of()));
    assertEquals("a batch holds at least one digest", empty.getMessage());
    MerkleBatch three = MerkleBatch.of(Keccak256.INSTANCE, digests(3));
    assertThrows(IllegalArgumentException.class, () -> three.path(3));
    assertThrows(IllegalArgumentException.class, () -> three.path(-1));
    byte[] root = three.root();
    List<byte[]> path = three.path(2);
    assertTrue(MerkleBatch.verify(Keccak256.INSTANCE, root, digest(2), 2, 3, path));
    assertFalse(MerkleBatch.verify(Keccak256.INSTANCE, root, digest(2), 3, 3, path));
    assertFalse(MerkleBatch.verify(Keccak256.INSTANCE, root, digest(2), -1, 3, path));
    assertFalse(MerkleBatch.verify(Keccak256.INSTANCE, root, digest(2), 2, 0, path));
    assertFalse(MerkleBatch.verify(Keccak256.INSTANCE, root, digest(2), 2,
        MerkleBatch.LEAVES_MAX + 1, path));
  }

  /** RFC 6962 §2.1's definition: split at the largest power of two below the size. */
  static byte[] rfc6962Root(HashFunction h, List<byte[]> leaves) {
    if (leaves.size() == 1) {
      return MerkleBatch.leafHash(h, leaves.get(0));
    }
    int k = Integer.highestOneBit(leaves.size() - 1);
    return MerkleBatch.nodeHash(h, rfc6962Root(h, leaves.subList(0, k)),
        rfc6962Root(h, leaves.subList(k, leaves.size())));
  }

  @Property(tries = 300)
  void everyLeafVerifiesAndAnyChangeDoesNot(@ForAll @IntRange(min = 1, max = 300) int count,
      @ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    HashFunction h = seed % 2 == 0 ? Keccak256.INSTANCE : Sm3.INSTANCE;
    List<byte[]> leaves = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      leaves.add(h.hash(new byte[] {(byte) seed, (byte) (seed >> 8), (byte) (seed >> 16),
          (byte) i, (byte) (i >> 8)}));
    }
    MerkleBatch batch = MerkleBatch.of(h, leaves);
    byte[] root = batch.root();
    assertArrayEquals(rfc6962Root(h, leaves), root, "RFC 6962's recursive definition");
    for (int i = 0; i < count; i++) {
      List<byte[]> path = batch.path(i);
      assertTrue(path.size() <= 32 - Integer.numberOfLeadingZeros(count - 1), "at most"
          + " ceil(log2(count)) siblings");
      assertTrue(MerkleBatch.verify(h, root, leaves.get(i), i, count, path), "leaf " + i);

      byte[] changed = leaves.get(i).clone();
      changed[seed % changed.length] ^= 1;
      assertFalse(MerkleBatch.verify(h, root, changed, i, count, path), "changed digest " + i);
      if (!path.isEmpty()) {
        List<byte[]> tampered = new ArrayList<>(path);
        int at = (seed + i) % path.size();
        byte[] sibling = tampered.get(at).clone();
        sibling[(seed + i) % 32] ^= (byte) 0x80;
        tampered.set(at, sibling);
        assertFalse(MerkleBatch.verify(h, root, leaves.get(i), i, count, tampered),
            "changed sibling " + at + " of leaf " + i);
        assertFalse(MerkleBatch.verify(h, root, leaves.get(i), i, count,
            path.subList(0, path.size() - 1)), "a sibling short, leaf " + i);
      }
      List<byte[]> longer = new ArrayList<>(path);
      longer.add(root);
      assertFalse(MerkleBatch.verify(h, root, leaves.get(i), i, count, longer),
          "a sibling too many, leaf " + i);
      if (count > 1) {
        int other = (i + 1 + seed % (count - 1)) % count;
        assertFalse(MerkleBatch.verify(h, root, leaves.get(i), other, count, path),
            "leaf " + i + "'s path at index " + other);
      }
    }
  }
}
