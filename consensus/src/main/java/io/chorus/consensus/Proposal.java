package io.chorus.consensus;

import java.util.List;

/**
 * The round's proposer offers a block. From round 1 on it must be justified: a quorum of signed
 * round changes for this round (without proofs) and, when any of them reports a prepared value,
 * the quorum of prepares for the highest one, whose block this proposal must then carry. Only
 * height, round and block are signed; the justification proves itself.
 */
public record Proposal(
    long height, int round, byte[] block, List<SignedMessage> roundChanges,
    List<SignedMessage> prepares) implements Message {
  /** Defensive copies. */
  public Proposal {
    block = block.clone();
    roundChanges = List.copyOf(roundChanges);
    prepares = List.copyOf(prepares);
  }

  @Override
  public byte[] block() {
    return block.clone();
  }
}
