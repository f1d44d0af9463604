package io.chorus.service;

import io.chorus.chain.Blockchain;
import io.chorus.evm.Address;
import io.chorus.ledger.BlockHeader;
import io.chorus.rpc.rest.Problem;
import io.chorus.state.TransactionResult;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionException;
import java.math.BigInteger;
import java.util.List;

/**
 * A service's write run on the head's state before it is sent, as eth_call runs it, so that
 * what the contract would refuse is answered at once and nothing is sent.
 */
public final class WriteCheck {
  private WriteCheck() {}

  /**
   * The call from {@code from} to {@code contract} on the head's state, as eth_call runs it
   * ({@link Blockchain#callEnvOf}: at the clock's time while the head is genesis).
   *
   * @throws Problem 422 {@code call-fails} when the transaction itself is invalid
   */
  public static TransactionResult run(Blockchain chain, Address contract, Address from,
      byte[] data) {
    BlockHeader head = chain.head();
    Transaction tx = new Transaction(Transaction.DYNAMIC_FEE, chain.chainId(), 0,
        BigInteger.ZERO, BigInteger.ZERO, head.gasLimit(), contract.toArray(), BigInteger.ZERO,
        data, List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO,
        new byte[0], new byte[0]);
    try {
      return chain.transition().simulate(chain.stateAt(head), tx, from, chain.callEnvOf(head));
    } catch (TransactionException e) {
      throw new Problem(422, "call-fails", "The call would fail", e.getMessage());
    }
  }
}
