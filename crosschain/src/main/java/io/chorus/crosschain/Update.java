package io.chorus.crosschain;

/** What {@link LightClient#update} did; its owner stores what it says. */
public sealed interface Update {
  /** The client moved to a later height: store {@code client} and {@code state}. */
  record Advanced(LightClient client, ConsensusState state) implements Update {}

  /** The header is the one already verified at its height: nothing changes. */
  record Known(ConsensusState state) implements Update {}

  /**
   * A quorum sealed a second block at a height already verified: store {@code client}, which is
   * frozen with the evidence, and refuse everything until governance replaces it.
   */
  record Frozen(LightClient client) implements Update {}
}
