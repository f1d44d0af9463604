package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.ChainJson.data;

import io.chorus.chain.Blockchain;
import io.chorus.evm.Tracer;
import io.chorus.ledger.BlockHeader;
import io.chorus.rpc.JsonRpc;
import io.chorus.rpc.RpcException;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.storage.ChainStore;
import io.chorus.tx.TransactionException;

/**
 * Re-executes a mined transaction as its block did: the state after the parent, the block's
 * opening (governance proposals taking effect), the block's earlier transactions untraced, then
 * this one under a tracer. What the tracers of {@code debug_}, {@code ots_} and {@code trace_}
 * methods run on.
 */
final class TxReplay {
  /**
   * A replayed transaction: its block and index, its result, and the state it ran on, now
   * holding its changes.
   */
  record Replayed(Blockchain.CommittedBlock block, int index, TransactionResult result,
      WorldState state) {}

  private final Blockchain chain;
  private final EthApi eth;

  TxReplay(Blockchain chain, EthApi eth) {
    this.chain = chain;
    this.eth = eth;
  }

  /**
   * Replays the transaction with hash {@code txHash} under {@code tracer}.
   *
   * @throws RpcException when no mined transaction has that hash
   */
  Replayed replay(byte[] txHash, Tracer tracer) {
    ChainStore.TxLocation at = chain.store().transactionLocation(txHash).orElseThrow(() ->
        new RpcException(EthApi.SERVER_ERROR, "transaction " + data(txHash)
            + " not found (or not mined yet)"));
    return replay(eth.loaded(at.blockHash()), at.index(), tracer);
  }

  /** Replays transaction {@code index} of {@code block} under {@code tracer}. */
  Replayed replay(Blockchain.CommittedBlock block, int index, Tracer tracer) {
    WorldState state = opening(block);
    if (tracer instanceof FrameRecorder recorder) {
      recorder.readChangesFrom(state); // the old values of a state diff
    }
    for (int i = 0; i < index; i++) {
      apply(block, i, state, null);
    }
    return new Replayed(block, index, apply(block, index, state, tracer), state);
  }

  /** The state {@code block}'s first transaction ran on: its parent's, once the block opened. */
  WorldState opening(Blockchain.CommittedBlock block) {
    BlockHeader header = block.block().header();
    BlockHeader parent = chain.store().headerByHash(header.parentHash()).orElseThrow(() ->
        new RpcException(JsonRpc.INTERNAL_ERROR, "block " + header.number()
            + " has no parent in the store"));
    WorldState state = chain.stateAt(parent);
    chain.transition().beginBlock(state, header.number());
    return state;
  }

  /** Applies transaction {@code index} of {@code block} to {@code state}, as the block did. */
  TransactionResult apply(Blockchain.CommittedBlock block, int index, WorldState state,
      Tracer tracer) {
    BlockHeader header = block.block().header();
    try {
      return chain.transition().apply(state, block.block().transactions().get(index),
          block.senders().get(index), chain.envOf(header), tracer);
    } catch (TransactionException e) {
      throw new RpcException(JsonRpc.INTERNAL_ERROR, "re-executing transaction " + index
          + " of block " + header.number() + " failed: " + e.getMessage());
    }
  }
}
