package io.chorus.ledger;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.state.StateTransition;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a block's transactions in order against the world state and derives what its header
 * commits to: receipts with cumulative gas, the logs bloom, and the state, transactions and
 * receipts roots. Validators use it to check a proposal, proposers to build one.
 */
public final class BlockExecutor {
  private final HashFunction hash;
  private final TransactionValidator validator;
  private final StateTransition transition;

  public BlockExecutor(CryptoSuite suite, BigInteger chainId, StateTransition transition) {
    this.hash = suite.hashFunction();
    this.validator = new TransactionValidator(suite, chainId);
    this.transition = transition;
  }

  /** What executing a block produced. */
  public record ExecutedBlock(
      List<TransactionResult> results,
      List<Receipt> receipts,
      long gasUsed,
      byte[] logsBloom,
      byte[] stateRoot,
      byte[] transactionsRoot,
      byte[] receiptsRoot) {}

  /**
   * Executes every transaction of a block and commits the resulting state to its node store.
   *
   * @throws InvalidBlockException at the first transaction that is not valid here (bad
   *     signature or chain id, wrong nonce, unaffordable, or more gas than the block has left);
   *     {@code state} then holds the transactions before it and must be discarded
   */
  public ExecutedBlock execute(WorldState state, BlockEnv block, List<Transaction> transactions) {
    List<TransactionResult> results = new ArrayList<>(transactions.size());
    List<Receipt> receipts = new ArrayList<>(transactions.size());
    List<byte[]> encodedTransactions = new ArrayList<>(transactions.size());
    List<byte[]> encodedReceipts = new ArrayList<>(transactions.size());
    byte[] bloom = new byte[LogsBloom.BYTES];
    long gasUsed = 0;
    for (int i = 0; i < transactions.size(); i++) {
      Transaction tx = transactions.get(i);
      long gasLeft = block.gasLimit() - gasUsed;
      if (Long.compareUnsigned(tx.gasLimit(), gasLeft) > 0) {
        throw new InvalidBlockException(i, "gas limit " + Long.toUnsignedString(tx.gasLimit())
            + " exceeds the " + gasLeft + " gas the block has left", null);
      }
      TransactionResult result;
      try {
        Address sender = Address.of(validator.validate(tx));
        result = transition.apply(state, tx, sender, block);
      } catch (TransactionException e) {
        throw new InvalidBlockException(i, e.getMessage(), e);
      }
      gasUsed += result.gasUsed();
      Receipt receipt = Receipt.of(tx.type(), result.success(), gasUsed, result.logs());
      results.add(result);
      receipts.add(receipt);
      encodedTransactions.add(tx.encoded());
      encodedReceipts.add(receipt.encode());
      bloom = LogsBloom.or(bloom, receipt.logsBloom());
    }
    return new ExecutedBlock(List.copyOf(results), List.copyOf(receipts), gasUsed, bloom,
        state.commit(), TrieRoots.ofList(hash, encodedTransactions),
        TrieRoots.ofList(hash, encodedReceipts));
  }
}
