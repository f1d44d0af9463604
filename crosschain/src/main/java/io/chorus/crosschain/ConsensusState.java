package io.chorus.crosschain;

import java.math.BigInteger;

/**
 * A source height the light client verified: the header's hash, its state root (what storage
 * proofs are checked against) and time (what timeouts are judged by), and which validators of
 * the set that decided it sealed it, as bits by position in proposer order (one 256-bit word,
 * so that evidence of a later conflicting certificate can name both sides' signers). Kept by the
 * client's owner per height: the core reads them through {@link ConsensusStates}.
 */
public record ConsensusState(long height, byte[] headerHash, byte[] stateRoot, long timestamp,
    BigInteger signers) {

  /** Checks sizes; copies. */
  public ConsensusState {
    if (headerHash.length != 32 || stateRoot.length != 32) {
      throw new IllegalArgumentException("a header hash and a state root are 32 bytes");
    }
    if (signers.signum() < 0 || signers.bitLength() > 256) {
      throw new IllegalArgumentException("signers are a 256-bit set");
    }
    headerHash = headerHash.clone();
    stateRoot = stateRoot.clone();
  }

  @Override
  public byte[] headerHash() {
    return headerHash.clone();
  }

  @Override
  public byte[] stateRoot() {
    return stateRoot.clone();
  }
}
