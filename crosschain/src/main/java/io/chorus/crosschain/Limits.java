package io.chorus.crosschain;

import io.chorus.consensus.ValidatorSet;

/** Bounds on what a relayer can make the core decode: every input is checked against one. */
public final class Limits {
  /**
   * The largest header: the Cancun layout is about 620 bytes (the 256-byte bloom included), so
   * this leaves room for a longer extraData and fields of later forks.
   */
  public static final int HEADER_BYTES_MAX = 2_048;
  /**
   * The largest trie node of a secure trie: a branch of 16 hash references (33 bytes each), an
   * empty value and a 3-byte list header. Keys of fixed length leave values out of branches, and
   * leaves (an account is at most about 150 bytes) are smaller.
   */
  public static final int NODE_BYTES_MAX = 532;
  /** The longest path: a 32-byte hashed key is 64 nibbles, a branch each, then the leaf. */
  public static final int PROOF_NODES_MAX = 65;
  /**
   * The most storage slots one proof may carry: a validator-set change reads the change count,
   * the change's block, the validator count and three slots per validator.
   */
  public static final int PROOF_SLOTS_MAX = 3 + 3 * io.chorus.consensus.Limits.VALIDATORS_MAX;
  /** The largest application payload a packet carries. */
  public static final int PAYLOAD_BYTES_MAX = 32 * 1024;
  /** The longest version or encoding string of a payload. */
  public static final int LABEL_CHARS_MAX = 128;

  static {
    if (io.chorus.consensus.Limits.VALIDATORS_MAX > 256) {
      throw new AssertionError("a consensus state keeps its signers in one 256-bit word");
    }
    if (ValidatorSet.ADDRESS_BYTES != 20) {
      throw new AssertionError("storage proofs name 20-byte accounts");
    }
  }

  private Limits() {}
}
