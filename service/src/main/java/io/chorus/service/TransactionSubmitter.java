package io.chorus.service;

import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.crypto.EnvelopeException;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Signature;
import io.chorus.evm.Address;
import io.chorus.ledger.Receipt;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionDecoder;
import io.chorus.tx.TransactionSigner;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Puts a caller's transactions into the node's pool: signed by the node with the caller's
 * account key from the unlocked {@link Keystore} ({@link #submit}), or signed by the client
 * and checked to come from the caller's account ({@link #submitRaw}). Then it tells when the
 * transaction is in a committed block, which is final on a BFT chain ({@link #await}).
 *
 * <p>A signed transaction is an EIP-1559 one: the nonce is the pool's next for the account
 * (one account's submissions are serialized, so two concurrent ones never take the same
 * nonce), the gas limit the node's estimate plus headroom, the tip the node's suggestion and
 * the fee cap twice the next base fee plus the tip. Refusals are {@link Problem}s a service can
 * let through: 409 for an account the node holds no key for, 403 for a raw transaction from
 * another account, 422 for a call that would fail or a transaction the pool refuses (its
 * reason in {@code reason}).
 */
public final class TransactionSubmitter implements Blockchain.Listener {
  /** Headroom on the gas estimate, in percent of it. */
  static final int GAS_HEADROOM_PERCENT = 125;
  /** Transactions whose inclusion may be awaited at once; beyond, await answers at once. */
  public static final int AWAITED_MAX = 10_000;
  /** The longest {@link #await} waits. */
  public static final Duration AWAIT_MAX = Duration.ofSeconds(60);
  /** How long a REST write with {@code "wait": true} waits for its block. */
  public static final Duration WRITE_WAIT = Duration.ofSeconds(30);

  /** What the node's RPC layer knows about gas and fees. */
  public interface Estimator {
    /**
     * The gas a call needs on the head's state.
     *
     * @throws Problem 422 when the call fails (a revert, with its reason)
     */
    long gas(Address from, Address to, BigInteger value, byte[] data);

    /** The priority fee to offer per gas. */
    BigInteger tip();
  }

  /**
   * A transaction in the pool.
   *
   * @param hash its hash on this chain
   * @param sender the account it is from
   * @param nonce its nonce
   */
  public record Submitted(byte[] hash, Address sender, long nonce) {
    public String hashHex() {
      return Hex.encode0x(hash);
    }
  }

  /**
   * A transaction in a committed block.
   *
   * @param success whether it ran to the end (false: it reverted, and changed nothing but fees)
   */
  public record Included(byte[] hash, long blockNumber, byte[] blockHash, int index,
      boolean success, long gasUsed) {}

  private final Blockchain chain;
  private final Map<Address, KeyPair> keys;
  private final Estimator estimator;
  private final TransactionValidator validator;
  private final Map<Address, Object> accountLocks = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Included>> awaited = new ConcurrentHashMap<>();

  /**
   * @param keys the unlocked accounts this node signs for (empty: it signs for none)
   */
  public TransactionSubmitter(Blockchain chain, Map<Address, KeyPair> keys,
      Estimator estimator) {
    this.chain = chain;
    this.keys = Map.copyOf(keys);
    this.estimator = estimator;
    this.validator = new TransactionValidator(chain.suite(), chain.chainId());
  }

  /** Whether the node holds the unlocked key of {@code account}. */
  public boolean signsFor(Address account) {
    return keys.containsKey(account);
  }

  /**
   * Signs a call (or a contract creation when {@code to} is null) from the caller's account
   * with the keystore key, and adds it to the pool.
   */
  public Submitted submit(Caller caller, Address to, byte[] data) {
    Address from = caller.account();
    KeyPair pair = key(caller);
    long gas = Math.multiplyExact(estimator.gas(from, to, BigInteger.ZERO, data),
        (long) GAS_HEADROOM_PERCENT) / 100;
    BigInteger tip = estimator.tip();
    BigInteger maxFee = chain.nextBaseFee(chain.head()).shiftLeft(1).add(tip);
    synchronized (accountLocks.computeIfAbsent(from, a -> new Object())) {
      long nonce = chain.pool().nextNonce(from);
      Transaction template = new Transaction(Transaction.DYNAMIC_FEE, chain.chainId(), nonce,
          tip, maxFee, gas, to == null ? null : to.toArray(), BigInteger.ZERO, data, List.of(),
          BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
          new byte[0]);
      return pool(TransactionSigner.sign(template, pair, chain.suite()), nonce);
    }
  }

  /**
   * Signs {@code digest} with the caller's keystore key. Only for a digest a service computed
   * itself behind a domain tag of its own (a receivable's terms): never one a client sent,
   * which could be a transaction's hash.
   */
  public Signed sign(Caller caller, byte[] digest) {
    KeyPair pair = key(caller);
    return new Signed(pair.publicKey(), chain.suite().sign(digest, pair));
  }

  /** A signature by a caller's key, with the 64-byte public key that verifies it. */
  public record Signed(byte[] publicKey, Signature signature) {}

  /** The 64-byte public key of the caller's account, from the keystore: what others seal to. */
  public byte[] publicKey(Caller caller) {
    return key(caller).publicKey();
  }

  /**
   * Opens an envelope ({@link io.chorus.crypto.Envelope}) sealed to the caller's account key,
   * for that caller alone: a payload only the parties named in it may read (a confidential
   * receivable's amount).
   *
   * @throws EnvelopeException when it is not sealed to this key, or was altered, or is bound to
   *     other associated data
   */
  public byte[] open(Caller caller, byte[] sealed, byte[] associatedData)
      throws EnvelopeException {
    return chain.suite().envelope().open(sealed, associatedData, key(caller));
  }

  private KeyPair key(Caller caller) {
    KeyPair pair = keys.get(caller.account());
    if (pair == null) {
      throw new Problem(409, "account-locked", "The node cannot sign for this account",
          "the node holds no unlocked key for " + hex(caller.account()) + " ("
              + caller.credential() + "): import it with 'chorus account import --dir"
              + " NODE_DIR' and start the node with --keystore-password-file, or send a"
              + " transaction signed by the client");
    }
    return pair;
  }

  /**
   * Adds a transaction the client signed; its sender must be the caller's account.
   *
   * @param raw the signed transaction's encoding, as for {@code eth_sendRawTransaction}
   */
  public Submitted submitRaw(Caller caller, byte[] raw) {
    Transaction tx;
    byte[] sender;
    try {
      tx = TransactionDecoder.decode(raw);
      sender = validator.validate(tx);
    } catch (RuntimeException e) {
      throw Problem.invalidField("/raw", "not a signed transaction of this chain: "
          + e.getMessage());
    }
    if (!Arrays.equals(sender, caller.account().toArray())) {
      throw Problem.forbidden("the transaction is from " + Hex.encode0x(sender) + ", but the"
          + " credentials (" + caller.credential() + ") act for " + hex(caller.account()));
    }
    return pool(tx, tx.nonce());
  }

  private Submitted pool(Transaction tx, long nonce) {
    TxPool.Pooled pooled;
    try {
      pooled = chain.submit(tx);
    } catch (TxPool.Rejected e) {
      throw new Problem(422, "transaction-rejected", "The pool refused the transaction",
          e.getMessage()).with("reason", e.reason().name());
    }
    return new Submitted(pooled.hash(), pooled.sender(), nonce);
  }

  /**
   * What a REST write asking {@code "wait": true} gets: the block holding the transaction if one
   * commits within {@link #WRITE_WAIT}; empty without {@code wait}, when the block is later, or
   * when the thread is interrupted (the write then answers 202, pending).
   */
  public Optional<Included> awaitIfAsked(Submitted submitted, boolean wait) {
    if (!wait) {
      return Optional.empty();
    }
    try {
      return await(submitted, WRITE_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Waits until the transaction is in a committed block, for at most {@code timeout} (capped
   * at {@link #AWAIT_MAX}); empty when it is not by then, or when {@link #AWAITED_MAX} others
   * are awaited already.
   */
  public Optional<Included> await(Submitted submitted, Duration timeout)
      throws InterruptedException {
    String key = Hex.encode(submitted.hash());
    if (awaited.size() >= AWAITED_MAX) {
      return committed(submitted.hash());
    }
    CompletableFuture<Included> future = awaited.computeIfAbsent(key,
        k -> new CompletableFuture<>());
    try {
      // Registered first, then looked up: a block committed in between is seen either way.
      Optional<Included> already = committed(submitted.hash());
      if (already.isPresent()) {
        return already;
      }
      long millis = Math.min(timeout.toMillis(), AWAIT_MAX.toMillis());
      return Optional.of(future.get(millis, TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("awaiting " + key + " failed", e.getCause());
    } finally {
      awaited.remove(key, future);
    }
  }

  /** Where the chain's store has the transaction, if it does. */
  public Optional<Included> committed(byte[] hash) {
    return chain.store().transactionLocation(hash).flatMap(at ->
        chain.store().headerByHash(at.blockHash()).flatMap(header ->
            chain.store().receipts(at.blockHash()).map(receipts -> {
              Receipt receipt = receipts.get(at.index());
              long before = at.index() == 0 ? 0
                  : receipts.get(at.index() - 1).cumulativeGasUsed();
              return new Included(hash, header.number(), at.blockHash(), at.index(),
                  receipt.success(), receipt.cumulativeGasUsed() - before);
            })));
  }

  @Override
  public void onBlock(Blockchain.CommittedBlock block) {
    if (awaited.isEmpty()) {
      return;
    }
    List<byte[]> hashes = block.transactionHashes();
    long previousGas = 0;
    for (int i = 0; i < hashes.size(); i++) {
      Receipt receipt = block.receipts().get(i);
      CompletableFuture<Included> future = awaited.get(Hex.encode(hashes.get(i)));
      if (future != null) {
        future.complete(new Included(hashes.get(i), block.block().header().number(),
            block.hash(), i, receipt.success(), receipt.cumulativeGasUsed() - previousGas));
      }
      previousGas = receipt.cumulativeGasUsed();
    }
  }

  private static String hex(Address address) {
    return Hex.encode0x(address.toArray());
  }
}
