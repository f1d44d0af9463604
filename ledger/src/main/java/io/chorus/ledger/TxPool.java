package io.chorus.ledger;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Transactions waiting for a block: checked at admission (signature, chain id, intrinsic gas,
 * nonce, funds, fee cap), kept per sender in nonce order, replaceable by the same nonce at a
 * 10 % higher fee, bounded per sender and in total. A transaction whose nonce is ahead of its
 * sender's next one waits (up to {@link Limits#nonceGapMax} ahead) until the gap fills. Every
 * rejection says why, for the JSON-RPC error.
 */
public final class TxPool {
  /** Bounds on what peers and clients can make the pool hold. */
  public record Limits(int totalMax, int perSenderMax, int nonceGapMax) {
    public Limits {
      if (totalMax <= 0 || perSenderMax <= 0 || perSenderMax > totalMax || nonceGapMax <= 0) {
        throw new IllegalArgumentException("pool limits must be positive with perSenderMax <= "
            + "totalMax: " + totalMax + ", " + perSenderMax + ", " + nonceGapMax);
      }
    }

    public static Limits defaults() {
      // A busy sender (a gateway signing for many users) keeps thousands in flight, and those
      // sent concurrently may arrive out of order: the gap bound must exceed any client window.
      return new Limits(50_000, 4_096, 1_024);
    }
  }

  /** Why a transaction was refused; the RPC layer maps each to its error. */
  public enum Reason {
    INVALID, OVERSIZED, NONCE_TOO_LOW, NONCE_TOO_FAR_AHEAD, INSUFFICIENT_FUNDS,
    FEE_CAP_BELOW_BASE_FEE,
    GAS_LIMIT_ABOVE_BLOCK, ALREADY_KNOWN, REPLACEMENT_UNDERPRICED, SENDER_FULL, POOL_FULL,
    NOT_PERMITTED
  }

  /**
   * The chain's permission rules at the head: why a sender may not send a transaction, or
   * empty. The same rules make such a transaction invalid in a block.
   */
  @FunctionalInterface
  public interface Permission {
    Permission ANYONE = (tx, sender) -> Optional.empty();

    Optional<String> refusal(Transaction tx, Address sender);
  }

  /** A refusal at admission: nothing was added. */
  public static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    Rejected(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  /** A pooled transaction with what admission learned about it. */
  public record Pooled(Transaction transaction, Address sender, byte[] hash, long sequence) {}

  /** The largest encoded transaction admitted (Geth's limit): bounds what a pool holds. */
  public static final int TX_BYTES_MAX = 128 * 1024;

  /** Replacement needs this many percent more, on both fee fields. */
  static final int REPLACEMENT_BUMP_PERCENT = 10;

  private final CryptoSuite suite;
  private final TransactionValidator validator;
  private final Limits limits;
  private final Map<Address, TreeMap<Long, Pooled>> bySender = new HashMap<>();
  // Per sender, a nonce up to which every nonce from the head's is known to wait here: the
  // pending nonce search resumes from it instead of walking a long run on every admission.
  private final Map<Address, Long> runEnds = new HashMap<>();
  private final Map<ByteKey, Pooled> byHash = new HashMap<>();
  private Function<Address, AccountInfo> accounts;
  private final Permission permission;
  private BigInteger baseFee;
  private long blockGasLimit;
  private long sequence;

  /**
   * @param accounts the sender's account at the current head (null when it has none)
   */
  public TxPool(CryptoSuite suite, BigInteger chainId, Limits limits,
      Function<Address, AccountInfo> accounts, BigInteger baseFee, long blockGasLimit) {
    this(suite, chainId, limits, accounts, baseFee, blockGasLimit, Permission.ANYONE);
  }

  /** A pool that also refuses what {@code permission} forbids at the head. */
  public TxPool(CryptoSuite suite, BigInteger chainId, Limits limits,
      Function<Address, AccountInfo> accounts, BigInteger baseFee, long blockGasLimit,
      Permission permission) {
    this.permission = permission;
    this.suite = suite;
    this.validator = new TransactionValidator(suite, chainId);
    this.limits = limits;
    this.accounts = accounts;
    this.baseFee = baseFee;
    this.blockGasLimit = blockGasLimit;
  }

  /**
   * Admits a transaction or says why not.
   *
   * @throws Rejected with the reason; the pool is unchanged
   */
  public Pooled add(Transaction tx) {
    if (tx.encoded().length > TX_BYTES_MAX) {
      throw new Rejected(Reason.OVERSIZED, "oversized transaction: " + tx.encoded().length
          + " bytes exceeds the pool's maximum of " + TX_BYTES_MAX);
    }
    // The signature check is the expensive part and needs no pool state: it runs outside the
    // lock, so admissions on several threads recover senders in parallel.
    byte[] hash = suite.hash(tx.encoded());
    if (get(hash) != null) {
      throw new Rejected(Reason.ALREADY_KNOWN, "already known");
    }
    Address sender;
    try {
      sender = Address.of(validator.validate(tx));
    } catch (TransactionException e) {
      throw new Rejected(Reason.INVALID, e.getMessage());
    }
    Optional<String> refusal = permission.refusal(tx, sender);
    if (refusal.isPresent()) {
      throw new Rejected(Reason.NOT_PERMITTED, refusal.get());
    }
    return admit(tx, hash, sender);
  }

  private synchronized Pooled admit(Transaction tx, byte[] hash, Address sender) {
    if (byHash.containsKey(key(hash))) {
      throw new Rejected(Reason.ALREADY_KNOWN, "already known");
    }
    if (Long.compareUnsigned(tx.gasLimit(), blockGasLimit) > 0) {
      throw new Rejected(Reason.GAS_LIMIT_ABOVE_BLOCK, "gas limit "
          + Long.toUnsignedString(tx.gasLimit()) + " exceeds the block gas limit "
          + blockGasLimit);
    }
    if (tx.maxFeePerGas().compareTo(baseFee) < 0) {
      throw new Rejected(Reason.FEE_CAP_BELOW_BASE_FEE, "max fee per gas " + tx.maxFeePerGas()
          + " is below the base fee " + baseFee);
    }
    AccountInfo account = accounts.apply(sender);
    long nextNonce = account == null ? 0 : account.nonce();
    BigInteger balance = account == null ? BigInteger.ZERO : account.balance();
    if (Long.compareUnsigned(tx.nonce(), nextNonce) < 0) {
      throw new Rejected(Reason.NONCE_TOO_LOW, "nonce too low: " + Long.toUnsignedString(
          tx.nonce()) + ", the sender's next nonce is " + Long.toUnsignedString(nextNonce));
    }
    // The gap counts from the sender's pending nonce: a run of consecutive nonces waiting here
    // is not a gap, however long, only what lies beyond it.
    long pendingNonce = pendingNonce(sender, nextNonce);
    if (Long.compareUnsigned(tx.nonce(), pendingNonce) > 0
        && Long.compareUnsigned(tx.nonce() - pendingNonce, limits.nonceGapMax()) >= 0) {
      throw new Rejected(Reason.NONCE_TOO_FAR_AHEAD, "nonce " + Long.toUnsignedString(
          tx.nonce()) + " leaves a gap of " + limits.nonceGapMax() + " or more after the "
          + "sender's pending nonce " + Long.toUnsignedString(pendingNonce));
    }
    BigInteger cost = tx.gasLimitAsBigInteger().multiply(tx.maxFeePerGas()).add(tx.value());
    if (balance.compareTo(cost) < 0) {
      throw new Rejected(Reason.INSUFFICIENT_FUNDS, "insufficient funds: balance " + balance
          + ", gas limit × max fee + value = " + cost);
    }
    TreeMap<Long, Pooled> queue = bySender.get(sender);
    Pooled replaced = queue == null ? null : queue.get(tx.nonce());
    if (replaced != null) {
      requireBump(replaced.transaction(), tx);
    } else if (queue != null && queue.size() >= limits.perSenderMax()) {
      throw new Rejected(Reason.SENDER_FULL, "the sender already has " + queue.size()
          + " transactions waiting, the most the pool keeps per sender");
    } else if (byHash.size() >= limits.totalMax()) {
      throw new Rejected(Reason.POOL_FULL, "the pool holds its maximum of "
          + limits.totalMax() + " transactions");
    }
    Pooled pooled = new Pooled(tx, sender, hash, sequence++);
    if (replaced != null) {
      byHash.remove(key(replaced.hash()));
    }
    bySender.computeIfAbsent(sender, s -> new TreeMap<>(Long::compareUnsigned))
        .put(tx.nonce(), pooled);
    byHash.put(key(hash), pooled);
    return pooled;
  }

  private static void requireBump(Transaction old, Transaction replacement) {
    if (!bumped(old.maxFeePerGas(), replacement.maxFeePerGas())
        || !bumped(old.maxPriorityFeePerGas(), replacement.maxPriorityFeePerGas())) {
      throw new Rejected(Reason.REPLACEMENT_UNDERPRICED, "replacement transaction underpriced: "
          + "both fee fields must rise by at least " + REPLACEMENT_BUMP_PERCENT + "%");
    }
  }

  private static boolean bumped(BigInteger old, BigInteger replacement) {
    BigInteger needed = old.multiply(BigInteger.valueOf(100 + REPLACEMENT_BUMP_PERCENT))
        .add(BigInteger.valueOf(99)).divide(BigInteger.valueOf(100));
    return replacement.compareTo(needed) >= 0;
  }

  /**
   * Up to {@code max} transactions ready to run, for a proposer: each sender's run of
   * consecutive nonces from its next one, interleaved by the tip they pay (then by arrival).
   */
  public synchronized List<BlockExecutor.Candidate> executable(int max) {
    Comparator<Pooled> byTip = Comparator.<Pooled, BigInteger>comparing(p -> tip(p.transaction()))
        .reversed().thenComparingLong(Pooled::sequence);
    PriorityQueue<Pooled> heads = new PriorityQueue<>(byTip);
    Map<Address, Long> nextNonce = new HashMap<>();
    for (Map.Entry<Address, TreeMap<Long, Pooled>> entry : bySender.entrySet()) {
      AccountInfo account = accounts.apply(entry.getKey());
      long next = account == null ? 0 : account.nonce();
      Pooled first = entry.getValue().get(next);
      if (first != null) {
        heads.add(first);
        nextNonce.put(entry.getKey(), next);
      }
    }
    List<BlockExecutor.Candidate> out = new ArrayList<>();
    while (!heads.isEmpty() && out.size() < max) {
      Pooled head = heads.poll();
      out.add(new BlockExecutor.Candidate(head.transaction(), head.sender(), head.hash()));
      long following = nextNonce.get(head.sender()) + 1;
      nextNonce.put(head.sender(), following);
      Pooled successor = bySender.get(head.sender()).get(following);
      if (successor != null) {
        heads.add(successor);
      }
    }
    return out;
  }

  private BigInteger tip(Transaction tx) {
    return tx.maxPriorityFeePerGas().min(tx.maxFeePerGas().subtract(baseFee));
  }

  /**
   * A new head: drops what it included or made stale (nonces below each sender's next) and
   * adopts its base fee and gas limit for admission.
   */
  public synchronized void onNewHead(Function<Address, AccountInfo> headAccounts,
      BigInteger newBaseFee, long newBlockGasLimit) {
    this.accounts = headAccounts;
    this.baseFee = newBaseFee;
    this.blockGasLimit = newBlockGasLimit;
    var senders = bySender.entrySet().iterator();
    while (senders.hasNext()) {
      Map.Entry<Address, TreeMap<Long, Pooled>> entry = senders.next();
      AccountInfo account = headAccounts.apply(entry.getKey());
      long next = account == null ? 0 : account.nonce();
      var stale = entry.getValue().headMap(next, false);
      for (Pooled p : stale.values()) {
        byHash.remove(key(p.hash()));
      }
      stale.clear();
      if (entry.getValue().isEmpty()) {
        senders.remove();
        runEnds.remove(entry.getKey());
      }
    }
  }

  /**
   * The nonce a sender's next transaction should carry: the head's, advanced past the run of
   * consecutive nonces waiting here (what {@code eth_getTransactionCount(..., "pending")} says).
   */
  public synchronized long nextNonce(Address sender) {
    AccountInfo account = accounts.apply(sender);
    return pendingNonce(sender, account == null ? 0 : account.nonce());
  }

  private long pendingNonce(Address sender, long headNonce) {
    TreeMap<Long, Pooled> queue = bySender.get(sender);
    if (queue == null) {
      return headNonce;
    }
    long next = Math.max(headNonce, runEnds.getOrDefault(sender, headNonce));
    while (queue.containsKey(next)) {
      next++;
    }
    runEnds.put(sender, next);
    return next;
  }

  /** Every pooled transaction, in arrival order (for {@code txpool_content}-style views). */
  public synchronized List<Pooled> all() {
    List<Pooled> out = new ArrayList<>(byHash.values());
    out.sort(Comparator.comparingLong(Pooled::sequence));
    return out;
  }

  /**
   * Drops a transaction a proposer found invalid, with every later nonce of its sender (they
   * cannot run before it). Returns how many were dropped.
   */
  public synchronized int remove(byte[] hash) {
    Pooled pooled = byHash.get(key(hash));
    if (pooled == null) {
      return 0;
    }
    TreeMap<Long, Pooled> queue = bySender.get(pooled.sender());
    var doomed = queue.tailMap(pooled.transaction().nonce(), true);
    runEnds.computeIfPresent(pooled.sender(), (s, end) -> Math.min(end,
        pooled.transaction().nonce()));
    int dropped = doomed.size();
    for (Pooled p : doomed.values()) {
      byHash.remove(key(p.hash()));
    }
    doomed.clear();
    if (queue.isEmpty()) {
      bySender.remove(pooled.sender());
      runEnds.remove(pooled.sender());
    }
    return dropped;
  }

  public synchronized int size() {
    return byHash.size();
  }

  public synchronized Pooled get(byte[] hash) {
    return byHash.get(key(hash));
  }

  private static ByteKey key(byte[] hash) {
    return new ByteKey(hash);
  }
}
