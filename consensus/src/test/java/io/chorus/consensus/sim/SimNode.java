package io.chorus.consensus.sim;

import io.chorus.consensus.Action;
import io.chorus.consensus.ConsensusState;
import io.chorus.consensus.MessageSigner;
import io.chorus.consensus.QbftCore;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.LongToIntFunction;
import java.util.function.LongUnaryOperator;

/**
 * One simulated validator: its core while it is up, and what survives a crash (the last
 * persisted state and the finalized chain, written atomically as a node would), and its clock,
 * which runs {@link #clockOffsetMillis} off the simulation's.
 */
final class SimNode {
  final int index;
  final boolean byzantine;
  final MessageSigner signer;
  final SimBlocks blocks;
  final long clockOffsetMillis;
  final TreeMap<Long, Action.Finalized> chain = new TreeMap<>();
  /** How many voted validator-set changes the chain applies up to each height. */
  final TreeMap<Long, Integer> applied = new TreeMap<>();
  /** Wire messages a Byzantine node has received, to replay later (bounded). */
  final List<byte[]> seen = new ArrayList<>();
  QbftCore core;
  ConsensusState persisted;
  long tickAt = Long.MAX_VALUE;

  /**
   * {@code blocks} makes the node's block source from the node's count of applied changes and
   * its blocks' times.
   */
  SimNode(int index, boolean byzantine, MessageSigner signer, long clockOffsetMillis,
      BiFunction<LongToIntFunction, LongUnaryOperator, SimBlocks> blocks) {
    this.index = index;
    this.byzantine = byzantine;
    this.signer = signer;
    this.clockOffsetMillis = clockOffsetMillis;
    this.blocks = blocks.apply(this::appliedBefore, this::timeBefore);
  }

  /** What this node's clock reads at simulation time {@code now}. */
  long clock(long now) {
    return now + clockOffsetMillis;
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

  /** The time of the block below {@code height}; the chain must reach height - 1. */
  long timeBefore(long height) {
    if (height <= 1) {
      return 0;
    }
    Action.Finalized parent = chain.get(height - 1);
    if (parent == null) {
      throw new IllegalStateException("node " + index + " has no block " + (height - 1));
    }
    return SimBlocks.time(parent.payload());
  }

  /** The height of the last block in the durable chain (0: genesis only). */
  long head() {
    return chain.isEmpty() ? 0 : chain.lastKey();
  }
}
