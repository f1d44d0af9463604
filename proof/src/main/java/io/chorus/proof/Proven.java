package io.chorus.proof;

import java.util.List;
import java.util.Map;

/**
 * What a bundle proved: the fact (named values, in order) and where it stands — the final block,
 * its time, the validators whose seals finalized it and how many validator-set changes since
 * genesis were followed to know them.
 */
public record Proven(ProofBundle.Kind kind, long blockNumber, byte[] blockHash, long timestamp,
    List<byte[]> signers, int validatorChanges, Map<String, String> facts) {

  /** Copies. */
  public Proven {
    blockHash = blockHash.clone();
    signers = List.copyOf(signers);
    facts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facts));
  }

  @Override
  public byte[] blockHash() {
    return blockHash.clone();
  }
}
