package io.chorus.crosschain;

import io.chorus.codec.ByteKey;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a light client froze: two blocks at one height, each sealed by a quorum of the set that
 * decides it. Quorums of one set share at least f + 1 validators, so {@link #equivocators()}
 * names validators that sealed both — the ones to remove. The first block's signers are empty
 * when it was the client's trusted header (trusted by vote, not by a certificate).
 */
public record Evidence(long height, byte[] firstBlock, List<ByteKey> firstSigners,
    byte[] secondBlock, List<ByteKey> secondSigners) {

  /** Copies. */
  public Evidence {
    firstBlock = firstBlock.clone();
    secondBlock = secondBlock.clone();
    firstSigners = List.copyOf(firstSigners);
    secondSigners = List.copyOf(secondSigners);
  }

  @Override
  public byte[] firstBlock() {
    return firstBlock.clone();
  }

  @Override
  public byte[] secondBlock() {
    return secondBlock.clone();
  }

  /** The validators that sealed both blocks, in the order of the first block's signers. */
  public List<ByteKey> equivocators() {
    List<ByteKey> both = new ArrayList<>(firstSigners);
    both.retainAll(secondSigners);
    return both;
  }
}
