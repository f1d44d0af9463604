package io.chorus.crypto;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree that anchors a batch of digests in one notary transaction: RFC 6962's Merkle
 * Tree Hash over the chain suite's hash H (keccak-256 on ethereum chains, SM3 on sm chains).
 *
 * <ul>
 *   <li>leaf = H(0x00 ‖ digest), node = H(0x01 ‖ left ‖ right): the prefixes separate the two
 *       domains, so no leaf can pose as a node and no subtree as a leaf (second preimages);
 *   <li>the leaves in their order are paired level by level; an odd last node is promoted to the
 *       level above unchanged, neither paired with itself nor padded — which gives exactly RFC
 *       6962's recursive split at the largest power of two below the size;
 *   <li>an inclusion path lists the siblings from the leaf up, skipping the levels where the
 *       node was promoted; the leaf's index and the batch's leaf count say which side each
 *       sibling is on.
 * </ul>
 *
 * <p>It needs nothing beyond a {@link HashFunction}, so an offline verifier of notary proofs
 * can use it alone. A batch holds at least one digest and at most {@link #LEAVES_MAX}.
 */
public final class MerkleBatch {
  /** The most digests one batch may hold: 2^24, so no path is longer than 24 siblings. */
  public static final long LEAVES_MAX = 1L << 24;
  /** The longest inclusion path, for a batch of {@link #LEAVES_MAX} leaves. */
  public static final int PATH_LENGTH_MAX = 24;

  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  /** levels.get(0) are the leaf hashes; the last level holds the root alone. */
  private final List<byte[][]> levels;

  private MerkleBatch(List<byte[][]> levels) {
    this.levels = levels;
  }

  /**
   * The tree over {@code digests} in their order, hashed with {@code hash}.
   *
   * @throws IllegalArgumentException when there are none or more than {@link #LEAVES_MAX}
   */
  public static MerkleBatch of(HashFunction hash, List<byte[]> digests) {
    requireCount(digests.size());
    byte[][] level = new byte[digests.size()][];
    for (int i = 0; i < level.length; i++) {
      level[i] = leafHash(hash, digests.get(i));
    }
    List<byte[][]> levels = new ArrayList<>();
    levels.add(level);
    while (level.length > 1) {
      byte[][] up = new byte[(level.length + 1) / 2][];
      for (int i = 0; i < up.length; i++) {
        up[i] = 2 * i + 1 < level.length ? nodeHash(hash, level[2 * i], level[2 * i + 1])
            : level[2 * i]; // the odd last node, promoted
      }
      levels.add(up);
      level = up;
    }
    return new MerkleBatch(levels);
  }

  /** The root of the tree over {@code digests}: what a notary batch anchors. */
  public static byte[] root(HashFunction hash, List<byte[]> digests) {
    return of(hash, digests).root();
  }

  public byte[] root() {
    return levels.getLast()[0].clone();
  }

  /** How many digests the batch holds. */
  public int count() {
    return levels.getFirst().length;
  }

  /** The siblings from leaf {@code index} up to the root, skipping promotions. */
  public List<byte[]> path(int index) {
    if (index < 0 || index >= count()) {
      throw new IllegalArgumentException("leaf index " + index + " is outside the batch of "
          + count() + " digests");
    }
    List<byte[]> path = new ArrayList<>();
    int i = index;
    for (byte[][] level : levels.subList(0, levels.size() - 1)) {
      int sibling = i ^ 1;
      if (sibling < level.length) {
        path.add(level[sibling].clone());
      }
      i >>= 1;
    }
    return path;
  }

  /** The hash of leaf {@code index} as the tree holds it: H(0x00 ‖ digest). */
  public byte[] leafHash(int index) {
    return levels.getFirst()[index].clone();
  }

  /** H(0x00 ‖ digest). */
  public static byte[] leafHash(HashFunction hash, byte[] digest) {
    byte[] preimage = new byte[1 + digest.length];
    preimage[0] = LEAF_PREFIX;
    System.arraycopy(digest, 0, preimage, 1, digest.length);
    return hash.hash(preimage);
  }

  /** H(0x01 ‖ left ‖ right). */
  public static byte[] nodeHash(HashFunction hash, byte[] left, byte[] right) {
    byte[] preimage = new byte[1 + left.length + right.length];
    preimage[0] = NODE_PREFIX;
    System.arraycopy(left, 0, preimage, 1, left.length);
    System.arraycopy(right, 0, preimage, 1 + left.length, right.length);
    return hash.hash(preimage);
  }

  /**
   * Whether {@code digest} is leaf {@code index} of a batch of {@code count} digests whose root
   * is {@code root}, by {@code path}. False for an index outside the batch, a count outside
   * [1, {@link #LEAVES_MAX}], or a path of the wrong length: never an exception, since the
   * inputs come from whoever presents the proof.
   */
  public static boolean verify(HashFunction hash, byte[] root, byte[] digest, long index,
      long count, List<byte[]> path) {
    if (count < 1 || count > LEAVES_MAX || index < 0 || index >= count) {
      return false;
    }
    byte[] node = leafHash(hash, digest);
    int used = 0;
    long i = index;
    for (long size = count; size > 1; size = (size + 1) / 2) {
      boolean hasSibling = (i ^ 1) < size;
      if (hasSibling) {
        if (used == path.size()) {
          return false;
        }
        byte[] sibling = path.get(used++);
        node = (i & 1) == 0 ? nodeHash(hash, node, sibling) : nodeHash(hash, sibling, node);
      }
      i >>= 1;
    }
    return used == path.size() && MessageDigest.isEqual(node, root);
  }

  private static void requireCount(long count) {
    if (count < 1) {
      throw new IllegalArgumentException("a batch holds at least one digest");
    }
    if (count > LEAVES_MAX) {
      throw new IllegalArgumentException("a batch holds at most " + LEAVES_MAX
          + " digests, got " + count + ": split it into several batches");
    }
  }
}
