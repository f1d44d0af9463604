package io.chorus.consensus;

import java.util.Optional;

/**
 * "Move to this round": sent on a round timeout or to join f + 1 validators already ahead. It
 * reports what the sender last prepared, so the new proposer must re-propose the highest prepared
 * block: that is what keeps a value committed in an earlier round. Only height, round and
 * {@code prepared} are signed; {@code proof} is self-proving and stripped inside justifications.
 */
public record RoundChange(
    long height, int round, Optional<Prepared> prepared, Optional<PreparedProof> proof)
    implements Message {

  /** This round change as it goes into a proposal's justification: without its proof. */
  public RoundChange withoutProof() {
    return new RoundChange(height, round, prepared, Optional.empty());
  }
}
