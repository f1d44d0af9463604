package io.chorus.consensus;

import io.chorus.crypto.Signature;

/**
 * "A quorum prepared this digest in this round": sent once prepared. The commit seal is a
 * signature over (height, round, digest) alone, so a quorum of seals, cut loose from their
 * messages, is the block's {@link CommitCertificate}.
 */
public record Commit(long height, int round, byte[] digest, Signature commitSeal)
    implements Message {
  /** Defensive copy: messages are values shared between maps. */
  public Commit {
    digest = digest.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }
}
