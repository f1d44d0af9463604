package io.chorus.consensus;

/** The round in which a validator last saw a quorum of prepares, and for which digest. */
public record Prepared(int round, byte[] digest) {
  /** Defensive copy. */
  public Prepared {
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }
}
