package io.chorus.consensus;

import java.util.List;

/**
 * What backs a {@link Prepared} claim: the block itself (the next proposer may have to propose
 * it again) and the quorum of signed prepares for it. It travels beside the signed part of a
 * round change: it proves itself, and a proposal's justification carries round changes without
 * it.
 */
public record PreparedProof(byte[] block, List<SignedMessage> prepares) {
  /** Defensive copies. */
  public PreparedProof {
    block = block.clone();
    prepares = List.copyOf(prepares);
  }

  @Override
  public byte[] block() {
    return block.clone();
  }
}
