package io.chorus.network;

import io.chorus.chain.BlockTime;
import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.consensus.BlockSource;
import io.chorus.evm.Address;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.InvalidBlockException;
import io.chorus.tx.TransactionException;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The chain as the consensus core sees it: blocks are encoded Ethereum blocks, their digest the
 * block hash. Every block this member built or validated is kept executed, so that the one
 * finalized is committed without running it again.
 */
final class ChainBlockSource implements BlockSource {
  private static final System.Logger LOG = System.getLogger(ChainBlockSource.class.getName());
  /** Executed blocks kept for the height being decided: one per round at most, in practice. */
  static final int EXECUTED_MAX = 16;
  private final Blockchain chain;
  private final Address coinbase;
  private final Map<ByteKey, Blockchain.Proposal> executed = new HashMap<>();
  private volatile long invalid; // written on the consensus thread only; status reads it

  ChainBlockSource(Blockchain chain, Address coinbase) {
    this.chain = chain;
    this.coinbase = coinbase;
  }

  @Override
  public boolean hasWork(long height) {
    return chain.pool().size() > 0;
  }

  /** Block timestamps rise by a second at least: see {@link BlockTime} for the pace it sets. */
  @Override
  public long proposeNotBeforeMillis(long height, boolean withWork) {
    BlockHeader parent = chain.head();
    if (parent.number() + 1 != height) {
      return Long.MIN_VALUE; // not this member's next block: it will not build it
    }
    return BlockTime.proposeNotBeforeMillis(parent.timestamp(), withWork);
  }

  @Override
  public byte[] build(long height, int round, long nowMillis) {
    requireNext(height);
    Blockchain.Proposal proposal = chain.buildNext(coinbase, Math.floorDiv(nowMillis, 1000),
        new byte[0]);
    keep(proposal);
    return proposal.block().encode();
  }

  @Override
  public boolean validate(long height, byte[] payload, long nowMillis) {
    try {
      Blockchain.Received received = chain.decode(payload);
      Block block = received.block();
      if (block.header().number() != height || chain.head().number() + 1 != height) {
        return false;
      }
      ByteKey hash = new ByteKey(chain.hashOf(block.header()));
      if (executed.containsKey(hash)) {
        return true;
      }
      // Only proposals: a block sync fetches is final already, whatever this clock says.
      BlockTime.futureRuleBroken(block.header().timestamp(), nowMillis).ifPresent(why -> {
        throw new InvalidBlockException(why);
      });
      keep(chain.validate(received));
      return true;
    } catch (RlpException | TransactionException | InvalidBlockException e) {
      invalid++;
      LOG.log(Level.WARNING, "refused the block proposed for height " + height + ": "
          + e.getMessage());
      return false;
    }
  }

  @Override
  public byte[] digest(byte[] payload) {
    // The block hash is the hash of the header's encoding, the block list's first item.
    return chain.suite().hash(RlpReader.of(payload).readList().readRaw());
  }

  /** The executed block with this hash, if this member built or validated it. */
  Optional<Blockchain.Proposal> executed(byte[] blockHash) {
    return Optional.ofNullable(executed.get(new ByteKey(blockHash)));
  }

  /** Forgets executed blocks: the head moved, so they no longer apply. */
  void onNewHead() {
    executed.clear();
  }

  /** Blocks proposed to this member that it refused. */
  long invalidBlocks() {
    return invalid;
  }

  private void keep(Blockchain.Proposal proposal) {
    if (executed.size() >= EXECUTED_MAX) {
      executed.clear(); // a long run of rounds: keep the newest only
    }
    executed.put(new ByteKey(chain.hashOf(proposal.block().header())), proposal);
  }

  private void requireNext(long height) {
    long next = chain.head().number() + 1;
    if (height != next) {
      throw new IllegalStateException("asked to build height " + height + " on head "
          + (next - 1));
    }
  }
}
