package io.chorus.state;

import io.chorus.crypto.HashFunction;
import io.chorus.evm.AccountChange;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Evm;
import io.chorus.evm.Journal;
import io.chorus.evm.Result;
import io.chorus.evm.Tracer;
import io.chorus.evm.TxEnv;
import io.chorus.evm.Word;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.SystemContracts;
import io.chorus.tx.AccessListEntry;
import io.chorus.tx.IntrinsicGas;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Applies one signed transaction to the world state in a block (Cancun rules): the checks that
 * need state, buying gas, running the call or creation, refunds and the fee split. A transaction
 * that fails a check is rejected with a {@link TransactionException} and changes nothing.
 *
 * <p>The permissions system contract is one of those checks: a transaction its rules forbid is
 * invalid, not a failed receipt, so a block that holds one is refused by every node and its
 * sender pays nothing. A call to a system contract, from a transaction or a contract, runs it
 * natively.
 */
public final class StateTransition {
  /** Where the base fee goes: burned as on Ethereum, or paid to the block's proposer. */
  public enum BaseFee { BURN, TO_COINBASE }

  /** EIP-3529: refunds are capped at a fifth of the gas used. */
  private static final long REFUND_QUOTIENT = 5;

  private final HashFunction hash;
  private final BaseFee baseFeeRule;
  private final byte[] emptyCodeHash;
  /**
   * Whether the Chorus system contracts run and their permissions apply: on a Chorus chain,
   * not under Ethereum's rules alone (whose test vectors use their addresses for contracts).
   */
  private final boolean systemContracts;

  /** Ethereum's rules with {@code baseFeeRule}, without the system contracts. */
  public StateTransition(HashFunction hash, BaseFee baseFeeRule) {
    this(hash, baseFeeRule, false);
  }

  /** A Chorus chain's rules: {@code systemContracts} true adds governance and permissions. */
  public StateTransition(HashFunction hash, BaseFee baseFeeRule, boolean systemContracts) {
    this.systemContracts = systemContracts;
    this.hash = hash;
    this.baseFeeRule = baseFeeRule;
    this.emptyCodeHash = hash.hash(new byte[0]);
  }

  /** Ethereum's rules over the given suite hash. */
  public static StateTransition ethereum(HashFunction hash) {
    return new StateTransition(hash, BaseFee.BURN);
  }

  /**
   * Applies {@code tx}, already checked by {@link io.chorus.tx.TransactionValidator} and sent by
   * {@code sender}, to {@code state}.
   *
   * @throws TransactionException when the transaction is not valid in this block and state
   */
  public TransactionResult apply(WorldState state, Transaction tx, Address sender, BlockEnv block) {
    return run(state, tx, sender, block, false, null);
  }

  /**
   * As {@link #apply(WorldState, Transaction, Address, BlockEnv)}, with {@code tracer} (null for
   * none) watching the execution, as {@code debug_traceTransaction} re-runs a transaction: it is
   * told the gas limit before the transaction's frame opens and the receipt's gas used after.
   * A transaction that fails a check reaches no tracer.
   */
  public TransactionResult apply(WorldState state, Transaction tx, Address sender, BlockEnv block,
      Tracer tracer) {
    return run(state, tx, sender, block, false, tracer);
  }

  /**
   * Runs an unsigned call or creation as {@code eth_call} and {@code eth_estimateGas} do: the
   * sender's current nonce is used whatever {@code tx} says, a sender with code may call, and a
   * zero fee cap runs the call for free below any base fee. A creation creates at the address of
   * the sender's nonce and returns the code it deployed. The changes land in {@code state},
   * which the caller discards.
   *
   * @throws TransactionException when the sender cannot pay for the gas or the value, or a
   *     creation's initcode is over EIP-3860's limit
   */
  public TransactionResult simulate(WorldState state, Transaction tx, Address sender,
      BlockEnv block) {
    return run(state, tx, sender, block, true, null);
  }

  /**
   * What happens at the start of block {@code number}, before its first transaction:
   * governance proposals passed in the block before take effect.
   */
  public void beginBlock(WorldState state, long number) {
    if (!systemContracts) {
      return;
    }
    Journal journal = new Journal(state, hash);
    SystemContracts.beginBlock(journal, hash, number);
    state.apply(journal.finish());
  }

  private TransactionResult run(WorldState state, Transaction tx, Address sender, BlockEnv block,
      boolean simulation, Tracer tracer) {
    boolean free = simulation && tx.maxFeePerGas().signum() == 0;
    BigInteger gasLimit = tx.gasLimitAsBigInteger();
    if (gasLimit.compareTo(BigInteger.valueOf(block.gasLimit())) > 0) {
      throw new TransactionException("gas limit " + gasLimit + " exceeds the block's "
          + block.gasLimit());
    }
    if (!free && tx.maxFeePerGas().compareTo(block.baseFee()) < 0) {
      throw new TransactionException("max fee per gas " + tx.maxFeePerGas()
          + " is below the block's base fee " + block.baseFee());
    }
    if (simulation) {
      // A signed transaction passed TransactionValidator's check; an eth_call did not.
      TransactionValidator.checkInitcodeSize(tx);
    }
    if (systemContracts && !simulation) {
      Optional<String> refusal = Permissions.refusal(state, tx, sender);
      if (refusal.isPresent()) {
        throw new TransactionException(refusal.get());
      }
    }
    long blobGas = checkBlobs(tx, block);
    AccountInfo account = state.account(sender);
    long nonce = account == null ? 0 : account.nonce();
    BigInteger balance = account == null ? BigInteger.ZERO : account.balance();
    if (!simulation && tx.nonce() != nonce) {
      throw new TransactionException("nonce " + Long.toUnsignedString(tx.nonce())
          + (Long.compareUnsigned(tx.nonce(), nonce) < 0 ? " too low" : " too high")
          + ": the sender's next nonce is " + Long.toUnsignedString(nonce));
    }
    if (nonce == -1L) {
      throw new TransactionException("sender nonce is at its maximum 2^64-1 (EIP-2681)");
    }
    if (!simulation && account != null && !Arrays.equals(account.codeHash(), emptyCodeHash)) {
      throw new TransactionException("sender " + sender + " has code (EIP-3607)");
    }
    BigInteger blobGasBig = BigInteger.valueOf(blobGas);
    BigInteger maxCost = gasLimit.multiply(tx.maxFeePerGas()).add(tx.value())
        .add(blobGasBig.multiply(tx.maxFeePerBlobGas()));
    if (balance.compareTo(maxCost) < 0) {
      throw new TransactionException("insufficient funds: balance " + balance + ", up to "
          + maxCost + " needed for gas and value");
    }
    long intrinsic = IntrinsicGas.of(tx);
    if (Long.compareUnsigned(intrinsic, tx.gasLimit()) > 0) {
      throw new TransactionException("intrinsic gas " + intrinsic + " exceeds gas limit "
          + gasLimit);
    }
    BigInteger gasPrice = free ? BigInteger.ZERO
        : tx.maxFeePerGas().min(block.baseFee().add(tx.maxPriorityFeePerGas()));

    Journal journal = new Journal(state, hash);
    journal.subBalance(sender, gasLimit.multiply(gasPrice)
        .add(blobGasBig.multiply(block.blobBaseFee())));
    journal.setNonce(sender, nonce + 1);
    List<Word> blobHashes = tx.blobVersionedHashes().stream().map(Word::fromBytes).toList();
    Evm evm = new Evm(journal, block, new TxEnv(sender, gasPrice, blobHashes), hash, tracer,
        systemContracts ? SystemContracts.natives(block, tx, hash) : null);
    Address to = tx.isCreation() ? evm.createAddress(sender, nonce) : Address.of(tx.to());
    warmUp(journal, tx, sender, to, block.coinbase());

    long gas = tx.gasLimit() - intrinsic;
    if (tracer != null) {
      tracer.txStart(tx.gasLimit());
    }
    Result result = tx.isCreation()
        ? evm.create(sender, to, tx.value(), tx.data(), gas)
        : evm.call(sender, to, tx.value(), tx.data(), gas);

    long gasUsed = tx.gasLimit() - result.gasLeft();
    long refund = Math.min(Math.max(journal.refund(), 0), gasUsed / REFUND_QUOTIENT);
    gasUsed -= refund;
    if (tracer != null) {
      tracer.txEnd(gasUsed);
    }
    BigInteger gasUsedBig = BigInteger.valueOf(gasUsed);
    journal.addBalance(sender, BigInteger.valueOf(tx.gasLimit() - gasUsed).multiply(gasPrice));
    BigInteger coinbasePrice = free || baseFeeRule == BaseFee.TO_COINBASE ? gasPrice
        : gasPrice.subtract(block.baseFee());
    journal.addBalance(block.coinbase(), gasUsedBig.multiply(coinbasePrice));

    List<io.chorus.evm.Log> logs = result.success() ? journal.logs() : List.of();
    List<AccountChange> changes = journal.finish();
    if (tracer != null) {
      tracer.txChanges(changes);
    }
    state.apply(changes);
    return new TransactionResult(result.status(), gasUsed, logs, result.output(),
        tx.isCreation() && result.success() ? to : null);
  }

  /** EIP-4844 rules for a blob transaction; the blob gas it uses (0 for other types). */
  private static long checkBlobs(Transaction tx, BlockEnv block) {
    if (tx.type() != Transaction.BLOB) {
      return 0;
    }
    int count = tx.blobVersionedHashes().size();
    if (count > Eip4844.MAX_BLOBS_PER_BLOCK) {
      throw new TransactionException(count + " blobs exceed the block's maximum of "
          + Eip4844.MAX_BLOBS_PER_BLOCK);
    }
    if (tx.maxFeePerBlobGas().compareTo(block.blobBaseFee()) < 0) {
      throw new TransactionException("max fee per blob gas " + tx.maxFeePerBlobGas()
          + " is below the blob base fee " + block.blobBaseFee());
    }
    return Eip4844.GAS_PER_BLOB * count;
  }

  /** EIP-2929, EIP-2930 and EIP-3651: what starts warm. */
  private static void warmUp(Journal journal, Transaction tx, Address sender, Address to,
      Address coinbase) {
    journal.warmAccount(sender);
    journal.warmAccount(to);
    journal.warmAccount(coinbase); // the precompiles are warm already: Journal knows them
    for (AccessListEntry entry : tx.accessList()) {
      Address address = Address.of(entry.address());
      journal.warmAccount(address);
      for (byte[] key : entry.storageKeys()) {
        journal.warmSlot(address, Word.fromBytes(key));
      }
    }
  }
}
