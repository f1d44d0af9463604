package io.chorus.consensus.sim;

import io.chorus.consensus.Action;
import io.chorus.consensus.ConsensusState;
import io.chorus.consensus.MessageSigner;
import io.chorus.consensus.QbftCore;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.LongToIntFunction;

/**
 * One simulated validator: its core while it is up, and what survives a crash (the last
 * persisted state and the finalized chain, written atomically as a node would).
 */
final class SimNode {
  final int index;
  final boolean byzantine;
  final MessageSigner signer;
  final SimBlocks blocks;
  final TreeMap<Long, Action.Finalized> chain = new TreeMap<>();
  /** How many voted validator-set changes the chain applies up to each height. */
  final TreeMap<Long, Integer> applied = new TreeMap<>();
  /** Wire messages a Byzantine node has received, to replay later (bounded). */
  final List<byte[]> seen = new ArrayList<>();
  QbftCore core;
  ConsensusState persisted;
  long tickAt = Long.MAX_VALUE;

  /** {@code blocks} makes the node's block source from the node's count of applied changes. */
  SimNode(int index, boolean byzantine, MessageSigner signer,
      Function<LongToIntFunction, SimBlocks> blocks) {
    this.index = index;
    this.byzantine = byzantine;
    this.signer = signer;
    this.blocks = blocks.apply(this::appliedBefore);
  }

  boolean up() {
    return core != null;
  }

  /** How many set changes blocks below {@code height} apply; the chain must reach height - 1. */
  int appliedBefore(long height) {
    if (height <= 1) {
      return 0;
    }
    Integer count = applied.get(height - 1);
    if (count == null) {
      throw new IllegalStateException("node " + index + " has no block " + (height - 1));
    }
    return count;
  }

  /** The height of the last block in the durable chain (0: genesis only). */
  long head() {
    return chain.isEmpty() ? 0 : chain.lastKey();
  }
}
