package io.chorus.consensus;

/** "I accept the proposal of this round whose block has this digest." */
public record Prepare(long height, int round, byte[] digest) implements Message {
  /** Defensive copy: messages are values shared between maps. */
  public Prepare {
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }
}
