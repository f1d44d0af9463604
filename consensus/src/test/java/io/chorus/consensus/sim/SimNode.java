package io.chorus.consensus.sim;

import io.chorus.consensus.Action;
import io.chorus.consensus.ConsensusState;
import io.chorus.consensus.MessageSigner;
import io.chorus.consensus.QbftCore;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

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
  /** Wire messages a Byzantine node has received, to replay later (bounded). */
  final List<byte[]> seen = new ArrayList<>();
  QbftCore core;
  ConsensusState persisted;
  long tickAt = Long.MAX_VALUE;

  SimNode(int index, boolean byzantine, MessageSigner signer, SimBlocks blocks) {
    this.index = index;
    this.byzantine = byzantine;
    this.signer = signer;
    this.blocks = blocks;
  }

  boolean up() {
    return core != null;
  }

  /** The height of the last block in the durable chain (0: genesis only). */
  long head() {
    return chain.isEmpty() ? 0 : chain.lastKey();
  }
}
