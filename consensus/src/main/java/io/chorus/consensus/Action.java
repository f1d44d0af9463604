package io.chorus.consensus;

/**
 * What the core asks its driver to do, in order. A {@link Persist} must be durable before the
 * actions after it are carried out (write-ahead), or a crash could make the validator equivocate.
 */
public sealed interface Action {
  /** Send to every other validator (the core has already handled its own copy). */
  record Broadcast(SignedMessage message) implements Action {}

  /** Durably store this state, replacing the previous one, before doing what follows. */
  record Persist(ConsensusState state) implements Action {}

  /**
   * The block at {@code height} is final. Store it with its certificate atomically, then call
   * {@link QbftCore#advanceTo}.
   */
  record Finalized(long height, byte[] payload, CommitCertificate certificate) implements Action {
    /** Defensive copy. */
    public Finalized {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /**
   * At least f + 1 validators provably work on heights up to {@code height} (so one honest one
   * does): fetch the blocks before it with their certificates, then call advanceTo.
   */
  record Behind(long height) implements Action {}
}
