package io.chorus.network;

import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.consensus.BlockSource;
import io.chorus.evm.Address;
import io.chorus.ledger.Block;
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
  /** How far ahead of this member's clock a proposer's timestamp may be. */
  static final long FUTURE_SECONDS_MAX = 15;

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

  @Override
  public byte[] build(long height, int round, long nowMillis) {
    requireNext(height);
    Blockchain.Proposal proposal = chain.buildNext(coinbase, nowMillis / 1000, new byte[0]);
    keep(proposal);
    return proposal.block().encode();
  }

  @Override
  public boolean validate(long height, byte[] payload) {
    try {
      Block block = Block.decode(payload);
      if (block.header().number() != height || chain.head().number() + 1 != height) {
        return false;
      }
      ByteKey hash = new ByteKey(chain.hashOf(block.header()));
      if (executed.containsKey(hash)) {
        return true;
      }
      long now = System.currentTimeMillis() / 1000;
      if (block.header().timestamp() > now + FUTURE_SECONDS_MAX) {
        throw new InvalidBlockException("timestamp " + block.header().timestamp()
            + " is more than " + FUTURE_SECONDS_MAX + " s ahead of this member's clock");
      }
      keep(chain.validate(block));
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
