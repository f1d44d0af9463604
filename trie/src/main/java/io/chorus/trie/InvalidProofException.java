package io.chorus.trie;

/** A Merkle proof that does not lead from its root hash to its key; the message says where. */
public final class InvalidProofException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidProofException(String message) {
    super(message);
  }
}
