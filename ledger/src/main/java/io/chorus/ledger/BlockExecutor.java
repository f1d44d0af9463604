package io.chorus.ledger;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.state.StateChanges;
import io.chorus.state.StateTransition;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

  /**
   * What executing a block produced; {@code stateChanges} are the accounts and slots it changed,
   * which the store indexes for their history.
   */
  public record ExecutedBlock(
      List<TransactionResult> results,
      List<Receipt> receipts,
      long gasUsed,
      byte[] logsBloom,
      byte[] stateRoot,
      byte[] transactionsRoot,
      byte[] receiptsRoot,
      StateChanges stateChanges) {}

  /**
   * A candidate the proposer left out, and why.
   *
   * @param deferred true when it may fit a later block as it is (the block's gas ran out, or an
   *     earlier transaction of its sender was left out); false when it is invalid on this chain
   */
  public record Rejected(Transaction transaction, String reason, boolean deferred) {}

  /**
   * A transaction offered to a proposer with the sender its admission already recovered: the
   * signature and the other state-free checks ran once, at the pool, not again per block.
   *
   * @param hash the hash of its encoding where known (the pool's), else null
   */
  public record Candidate(Transaction transaction, Address sender, byte[] hash) {
    /** A candidate whose hash the caller has not computed. */
    public Candidate(Transaction transaction, Address sender) {
      this(transaction, sender, null);
    }
  }

  /** A block a proposer built: what ran, which candidates it took, which it left out. */
  public record BuiltBlock(ExecutedBlock executed, List<Transaction> included,
      List<Rejected> rejected) {}

  /**
   * Executes every transaction of a block and commits the resulting state to its node store.
   *
   * @throws InvalidBlockException at the first transaction that is not valid here (bad
   *     signature or chain id, wrong nonce, unaffordable, or more gas than the block has left);
   *     {@code state} then holds the transactions before it and must be discarded
   */
  public ExecutedBlock execute(WorldState state, BlockEnv block, List<Transaction> transactions) {
    List<Candidate> unchecked = new ArrayList<>(transactions.size());
    for (Transaction tx : transactions) {
      unchecked.add(new Candidate(tx, null));
    }
    return run(state, block, unchecked, null).executed();
  }

  /**
   * As {@link #execute}, trusting the sender given with a transaction (one its admission into
   * this node's pool recovered from the same bytes) and recovering the others.
   */
  public BuiltBlock executeWithSenders(WorldState state, BlockEnv block,
      List<Candidate> transactions) {
    return run(state, block, transactions, null);
  }

  /**
   * Builds a block from candidates in order, leaving out (with the reason) each one that is not
   * valid at its turn or no longer fits the block's gas; the state is committed as for
   * {@link #execute}.
   */
  public BuiltBlock build(WorldState state, BlockEnv block, List<Candidate> candidates) {
    for (Candidate candidate : candidates) {
      if (candidate.sender() == null) {
        throw new IllegalArgumentException("a proposer's candidate needs its admitted sender");
      }
    }
    return run(state, block, candidates, new ArrayList<>());
  }

  // With rejected == null the first invalid transaction fails the block; else it is skipped.
  // A candidate without a sender is validated (signature included) here.
  private BuiltBlock run(WorldState state, BlockEnv block, List<Candidate> transactions,
      List<Rejected> rejected) {
    List<Transaction> included = new ArrayList<>(transactions.size());
    List<TransactionResult> results = new ArrayList<>(transactions.size());
    List<Receipt> receipts = new ArrayList<>(transactions.size());
    List<byte[]> encodedTransactions = new ArrayList<>(transactions.size());
    List<byte[]> encodedReceipts = new ArrayList<>(transactions.size());
    byte[] bloom = new byte[LogsBloom.BYTES];
    long gasUsed = 0;
    // A proposer leaves out everything after a sender's left-out transaction: its nonces follow.
    Set<Address> leftOutSenders = new HashSet<>();
    transition.beginBlock(state, block.number());
    for (int i = 0; i < transactions.size(); i++) {
      Transaction tx = transactions.get(i).transaction();
      Address knownSender = transactions.get(i).sender();
      long gasLeft = block.gasLimit() - gasUsed;
      if (rejected != null && leftOutSenders.contains(knownSender)) {
        rejected.add(new Rejected(tx, "follows a left-out transaction of the same sender", true));
        continue;
      }
      TransactionResult result;
      boolean fits = Long.compareUnsigned(tx.gasLimit(), gasLeft) <= 0;
      try {
        if (!fits) {
          throw new TransactionException("gas limit " + Long.toUnsignedString(tx.gasLimit())
              + " exceeds the " + gasLeft + " gas the block has left");
        }
        Address sender = knownSender != null ? knownSender : Address.of(validator.validate(tx));
        result = transition.apply(state, tx, sender, block);
      } catch (TransactionException e) {
        if (rejected == null) {
          throw new InvalidBlockException(i, e.getMessage(), e);
        }
        rejected.add(new Rejected(tx, e.getMessage(), !fits));
        leftOutSenders.add(knownSender);
        continue;
      }
      gasUsed += result.gasUsed();
      Receipt receipt = Receipt.of(tx.type(), result.success(), gasUsed, result.logs());
      included.add(tx);
      results.add(result);
      receipts.add(receipt);
      encodedTransactions.add(tx.encoded());
      encodedReceipts.add(receipt.encode());
      LogsBloom.orInto(bloom, receipt.logsBloom());
    }
    ExecutedBlock executed = new ExecutedBlock(List.copyOf(results), List.copyOf(receipts),
        gasUsed, bloom, state.commit(), TrieRoots.ofList(hash, encodedTransactions),
        TrieRoots.ofList(hash, encodedReceipts), state.changes());
    return new BuiltBlock(executed, List.copyOf(included),
        rejected == null ? List.of() : List.copyOf(rejected));
  }
}
