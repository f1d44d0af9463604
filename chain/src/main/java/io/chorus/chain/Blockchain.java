package io.chorus.chain;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Word;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockExecutor;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.InvalidBlockException;
import io.chorus.ledger.Receipt;
import io.chorus.ledger.TxPool;
import io.chorus.state.Eip1559;
import io.chorus.state.StateTransition;
import io.chorus.state.WorldState;
import io.chorus.state.system.Governance;
import io.chorus.state.system.Permissions;
import io.chorus.storage.ChainStore;
import io.chorus.storage.PendingNodes;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionDecoder;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The running chain: the stored blocks and state, the pool of waiting transactions, and the one
 * way a block joins the chain ({@link #commit}). Whatever decides the next block — the dev
 * producer or BFT consensus — builds it with {@link #buildNext} and commits it here, so the
 * ledger does not know which one runs. Listeners hear of every committed block and every
 * admitted transaction (RPC subscriptions, metrics, the producer's wake-up).
 */
public final class Blockchain implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Blockchain.class.getName());
  /** What a listener hears. Called on the committing or admitting thread: return quickly. */
  public interface Listener {
    default void onBlock(CommittedBlock block) {}

    default void onPending(TxPool.Pooled transaction) {}

    /** How long the block just committed took to build and to make durable. */
    default void onTiming(long number, int transactions, long buildNanos, long commitNanos) {}
  }

  /**
   * A block as committed, with what RPC and subscribers ask of it; {@code firstLogIndexes[i]} is
   * the block-wide index of transaction i's first log.
   */
  public record CommittedBlock(Block block, byte[] hash, List<Receipt> receipts,
      List<byte[]> transactionHashes, List<Address> senders, int[] firstLogIndexes) {

    /** The block with its log indexes counted from the receipts. */
    public static CommittedBlock of(Block block, byte[] hash, List<Receipt> receipts,
        List<byte[]> transactionHashes, List<Address> senders) {
      int[] first = new int[receipts.size()];
      for (int i = 1; i < first.length; i++) {
        first[i] = first[i - 1] + receipts.get(i - 1).logs().size();
      }
      return new CommittedBlock(block, hash, receipts, transactionHashes, senders, first);
    }
  }

  /**
   * A block as another node sent it, decoded with what this node's pool knows of its
   * transactions: the hash of each, and the sender admission recovered for each the pool holds
   * (null for the others, whose signatures {@link #validate(Received)} checks). Made only by
   * {@link #decode}, so that no caller can vouch for a sender.
   */
  public static final class Received {
    private final Block block;
    private final List<byte[]> transactionHashes;
    private final List<Address> pooledSenders;

    private Received(Block block, List<byte[]> transactionHashes, List<Address> pooledSenders) {
      this.block = block;
      this.transactionHashes = transactionHashes;
      this.pooledSenders = pooledSenders;
    }

    public Block block() {
      return block;
    }
  }

  /** A block built on the head but not committed yet: consensus may still discard it. */
  public record Proposal(Block block, List<byte[]> transactionHashes,
      BlockExecutor.BuiltBlock built, List<Address> senders, List<Address> recipients,
      PendingNodes stateNodes, long buildNanos) {}

  private final Genesis genesis;
  private final CryptoSuite suite;
  private final HashFunction hash;
  private final ChainStore store;
  private final StateTransition transition;
  private final BlockExecutor executor;
  private final TransactionValidator validator;
  private final TxPool pool;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  /**
   * The most recent blocks kept decoded, with their hashes and senders: what clients ask for
   * (receipts of what they just sent, new heads). Bounded by blocks and by the transactions in
   * them, so that a burst of small blocks stays covered and one of large blocks stays small.
   */
  static final int RECENT_BLOCKS_MAX = 1_024;
  static final int RECENT_TRANSACTIONS_MAX = 20_000;
  private final LinkedHashMap<ByteKey, CommittedBlock> recent = new LinkedHashMap<>();
  /** Whether the head's permissions let anyone do anything: admission then reads no state. */
  private volatile boolean headUnrestricted;
  private int recentTransactions;
  // Chorus blocks have no ommers and no withdrawals: these fields are constant per suite.
  private final byte[] emptyListHash;
  private final byte[] emptyRoot;

  private Blockchain(Genesis genesis, ChainStore store, TxPool.Limits poolLimits) {
    this.genesis = genesis;
    this.suite = genesis.cryptoSuite();
    this.hash = suite.hashFunction();
    this.store = store;
    this.emptyListHash = suite.hash(Rlp.encodeList(List.of()));
    this.emptyRoot = MerklePatriciaTrie.emptyRoot(hash);
    // The base fee is burned; in fee mode zero (which a vote may switch on or off) it is zero.
    this.transition = new StateTransition(hash, StateTransition.BaseFee.BURN, true);
    this.executor = new BlockExecutor(suite, genesis.chainId(), transition);
    this.validator = new TransactionValidator(suite, genesis.chainId());
    BlockHeader head = store.head().orElseThrow();
    this.headUnrestricted = Permissions.unrestricted(stateAt(head));
    this.pool = new TxPool(suite, genesis.chainId(), poolLimits, accountsAt(head),
        nextBaseFee(head), Governance.gasLimit(stateAt(head)), this::refusal);
  }

  /**
   * Opens the chain stored in {@code directory}, writing block 0 from {@code genesis} when the
   * directory is new.
   *
   * @throws IllegalStateException when the directory holds a chain with another genesis block
   */
  public static Blockchain open(Path directory, Genesis genesis, TxPool.Limits poolLimits) {
    ChainStore store = new ChainStore(directory, genesis.cryptoSuite().hashFunction());
    try {
      PendingNodes genesisNodes = store.pendingNodes();
      Genesis.Built built = genesis.buildWithChanges(genesisNodes);
      BlockHeader block0 = built.header();
      byte[] expected = block0.hash(genesis.cryptoSuite().hashFunction());
      if (store.head().isEmpty()) {
        store.commit(new Block(block0, List.of()), List.of(), List.of(), List.of(), List.of(),
            genesisNodes, new byte[0], built.changes());
      } else {
        byte[] stored = store.canonicalHash(0).orElseThrow();
        if (!Arrays.equals(stored, expected)) {
          throw new IllegalStateException(directory + " holds a chain whose genesis block is "
              + Hex.encode0x(stored) + ", but this genesis gives " + Hex.encode0x(expected)
              + ": use another data directory, or the genesis file this one was made with");
        }
      }
      return new Blockchain(genesis, store, poolLimits);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  public Genesis genesis() {
    return genesis;
  }

  public CryptoSuite suite() {
    return suite;
  }

  public BigInteger chainId() {
    return genesis.chainId();
  }

  /** The hash of block 0: with the chain id, what names this chain. */
  public byte[] genesisHash() {
    return store.canonicalHash(0).orElseThrow();
  }

  public ChainStore store() {
    return store;
  }

  public TxPool pool() {
    return pool;
  }

  public StateTransition transition() {
    return transition;
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  public void removeListener(Listener listener) {
    listeners.remove(listener);
  }

  /**
   * One of the last blocks committed by this process (at most {@value #RECENT_BLOCKS_MAX}
   * holding at most {@value #RECENT_TRANSACTIONS_MAX} transactions), decoded, with its
   * transaction hashes and senders; empty for older blocks (read those from the store).
   */
  public Optional<CommittedBlock> recent(byte[] blockHash) {
    synchronized (recent) {
      return Optional.ofNullable(recent.get(new ByteKey(blockHash)));
    }
  }

  /** The last committed block's header. */
  public BlockHeader head() {
    return store.head().orElseThrow();
  }

  public byte[] hashOf(BlockHeader header) {
    return header.hash(hash);
  }

  /**
   * The state after {@code header}'s block, for reading. Anything written to it stays in memory
   * (an overlay that is never committed), so callers may also run simulations on it.
   */
  public WorldState stateAt(BlockHeader header) {
    return new WorldState(hash, new PendingNodes(store.nodeStore()), header.stateRoot());
  }

  /** Whether blocks after the head have a zero base fee (fee mode zero, by genesis or vote). */
  public boolean zeroFees() {
    return Governance.zeroFees(stateAt(head()));
  }

  /** The base fee of the block after {@code parent}. */
  public BigInteger nextBaseFee(BlockHeader parent) {
    if (Governance.zeroFees(stateAt(parent))) {
      return BigInteger.ZERO;
    }
    // EIP-1559 never reaches zero: a zero parent is a chain leaving fee mode zero by vote.
    if (parent.baseFeePerGas().signum() == 0) {
      return Eip1559.INITIAL_BASE_FEE;
    }
    return Eip1559.nextBaseFee(parent.gasLimit(), parent.gasUsed(), parent.baseFeePerGas());
  }

  /** The environment a transaction sees in the block described by {@code header}. */
  public BlockEnv envOf(BlockHeader header) {
    return new BlockEnv(header.coinbase(), header.number(), header.timestamp(),
        header.gasLimit(), header.baseFeePerGas(), Word.fromBytes(header.mixHash()),
        BigInteger.ONE, genesis.chainId(), this::blockHashWord);
  }

  /**
   * The environment a call on {@code header}'s state runs in (eth_call, eth_estimateGas, a
   * service's check of a write): the block's own, but at the wall clock's time on genesis, whose
   * time is a constant of the chain (0) while the first block is stamped with its proposer's
   * clock, so that a rule on time (a maturity, a deadline) is not judged against 1970.
   */
  public BlockEnv callEnvOf(BlockHeader header) {
    BlockEnv env = envOf(header);
    return header.number() != 0 ? env : new BlockEnv(env.coinbase(), env.number(),
        Math.max(env.timestamp(), Clock.systemUTC().instant().getEpochSecond()), env.gasLimit(),
        env.baseFee(), env.prevRandao(), env.blobBaseFee(), env.chainId(), env.blockHashes());
  }

  private Word blockHashWord(long number) {
    return store.canonicalHash(number).map(Word::fromBytes).orElse(Word.ZERO);
  }

  /**
   * Admits a transaction into the pool and tells the listeners.
   *
   * @throws TxPool.Rejected with the reason when it is not admitted
   */
  public TxPool.Pooled submit(Transaction tx) {
    TxPool.Pooled pooled = pool.add(tx);
    for (Listener listener : listeners) {
      notify(listener, () -> listener.onPending(pooled));
    }
    return pooled;
  }

  private static void notify(Listener listener, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "listener " + listener + " failed", e);
    }
  }

  /**
   * Builds the block after the head from the pool's executable transactions, in the pool's
   * order, up to the block gas limit. Transactions the block found invalid are dropped from the
   * pool; those that only did not fit stay for the next block.
   *
   * @param timestamp seconds; raised to the parent's + 1 when it is not above the parent's (a
   *     second's second block, a clock behind the chain's), see {@link BlockTime}
   */
  public Proposal buildNext(Address coinbase, long timestamp, byte[] extraData) {
    long started = System.nanoTime();
    BlockHeader parent = head();
    PendingNodes nodes = store.pendingNodes();
    WorldState state = new WorldState(hash, nodes, parent.stateRoot());
    long gasLimit = Governance.gasLimit(state);
    // No block holds more than gasLimit / 21,000 transactions: a bound on the candidate list.
    int most = (int) Math.min(Integer.MAX_VALUE, gasLimit / 21_000);
    List<BlockExecutor.Candidate> candidates = pool.executable(most);
    long time = Math.max(timestamp, parent.timestamp() + 1);
    BigInteger baseFee = nextBaseFee(parent);
    BlockEnv env = new BlockEnv(coinbase, parent.number() + 1, time, gasLimit, baseFee,
        Word.ZERO, BigInteger.ONE, genesis.chainId(), this::blockHashWord);
    BlockExecutor.BuiltBlock built = executor.build(state, env, candidates);
    for (BlockExecutor.Rejected rejected : built.rejected()) {
      if (!rejected.deferred()) {
        pool.remove(suite.hash(rejected.transaction().encoded()));
      }
    }
    BlockExecutor.ExecutedBlock executed = built.executed();
    BlockHeader header = new BlockHeader(parent.hash(hash), emptyListHash, coinbase,
        executed.stateRoot(),
        executed.transactionsRoot(), executed.receiptsRoot(), executed.logsBloom(),
        BigInteger.ZERO, parent.number() + 1, gasLimit, executed.gasUsed(), time, extraData,
        new byte[32], new byte[8], baseFee, emptyRoot, 0L, 0L, new byte[32]);
    List<byte[]> txHashes = new ArrayList<>(built.included().size());
    List<Address> senders = new ArrayList<>(built.included().size());
    List<Address> recipients = new ArrayList<>(built.included().size());
    // The candidates kept their order, so the included ones are a subsequence of them.
    int c = 0;
    for (int i = 0; i < built.included().size(); i++) {
      Transaction tx = built.included().get(i);
      while (candidates.get(c).transaction() != tx) {
        c++;
      }
      txHashes.add(candidates.get(c).hash()); // the pool's, computed at admission
      senders.add(candidates.get(c).sender());
      Address created = executed.results().get(i).contractAddress();
      recipients.add(tx.isCreation() ? created : Address.of(tx.to()));
    }
    return new Proposal(new Block(header, built.included()), txHashes, built, senders,
        recipients, nodes, System.nanoTime() - started);
  }

  /**
   * Decodes a block another node sent. A transaction this node's pool holds is taken from the
   * pool, where it was decoded and its sender recovered at admission, instead of being decoded
   * again (its hash is the pool's key, so the bytes are the same).
   *
   * @throws io.chorus.codec.RlpException or {@link TransactionException} naming the first
   *     problem
   */
  public Received decode(byte[] encodedBlock) {
    List<byte[]> txHashes = new ArrayList<>();
    List<Address> pooledSenders = new ArrayList<>();
    Block block = Block.decode(encodedBlock, bytes -> {
      TxPool.Pooled pooled = notePooled(bytes, txHashes, pooledSenders);
      return pooled == null ? TransactionDecoder.decode(bytes) : pooled.transaction();
    });
    return new Received(block, txHashes, pooledSenders);
  }

  // Notes a received transaction's hash and, when the pool holds it, the sender recovered at
  // its admission (null otherwise); returns the pool's entry or null.
  private TxPool.Pooled notePooled(byte[] encodedTx, List<byte[]> txHashes,
      List<Address> pooledSenders) {
    byte[] txHash = suite.hash(encodedTx);
    TxPool.Pooled pooled = pool.get(txHash);
    txHashes.add(txHash);
    pooledSenders.add(pooled == null ? null : pooled.sender());
    return pooled;
  }

  /**
   * Checks a block another node proposed (or a peer sent while syncing) against the head: its
   * header fields, then every transaction executed here, then the roots and totals the header
   * claims. Senders this node's pool already recovered are not recovered again.
   *
   * @return the executed block, ready for {@link #commit(Proposal, byte[])}
   * @throws InvalidBlockException naming the first rule the block breaks
   */
  public Proposal validate(Block block) {
    List<byte[]> txHashes = new ArrayList<>(block.transactions().size());
    List<Address> pooledSenders = new ArrayList<>(block.transactions().size());
    for (Transaction tx : block.transactions()) {
      notePooled(tx.encoded(), txHashes, pooledSenders);
    }
    return validate(new Received(block, txHashes, pooledSenders));
  }

  /** As {@link #validate(Block)}, for a block {@link #decode} read. */
  public Proposal validate(Received received) {
    long started = System.nanoTime();
    Block block = received.block;
    List<byte[]> txHashes = received.transactionHashes;
    BlockHeader parent = head();
    BlockHeader header = block.header();
    checkHeader(header, parent);
    List<BlockExecutor.Candidate> candidates = new ArrayList<>(block.transactions().size());
    for (int i = 0; i < block.transactions().size(); i++) {
      Transaction tx = block.transactions().get(i);
      Address pooled = received.pooledSenders.get(i);
      try {
        Address sender = pooled != null ? pooled : Address.of(validator.validate(tx));
        candidates.add(new BlockExecutor.Candidate(tx, sender, txHashes.get(i)));
      } catch (TransactionException e) {
        throw new InvalidBlockException(i, e.getMessage(), e);
      }
    }
    PendingNodes nodes = store.pendingNodes();
    WorldState state = new WorldState(hash, nodes, parent.stateRoot());
    BlockExecutor.BuiltBlock built = executor.executeWithSenders(state, envOf(header),
        candidates);
    BlockExecutor.ExecutedBlock executed = built.executed();
    requireSame("state root", header.stateRoot(), executed.stateRoot());
    requireSame("transactions root", header.transactionsRoot(), executed.transactionsRoot());
    requireSame("receipts root", header.receiptsRoot(), executed.receiptsRoot());
    requireSame("logs bloom", header.logsBloom(), executed.logsBloom());
    if (header.gasUsed() != executed.gasUsed()) {
      throw new InvalidBlockException("header says " + header.gasUsed() + " gas used, executing"
          + " it used " + executed.gasUsed());
    }
    List<Address> senders = new ArrayList<>(candidates.size());
    List<Address> recipients = new ArrayList<>(candidates.size());
    for (int i = 0; i < candidates.size(); i++) {
      Transaction tx = candidates.get(i).transaction();
      senders.add(candidates.get(i).sender());
      recipients.add(tx.isCreation() ? executed.results().get(i).contractAddress()
          : Address.of(tx.to()));
    }
    return new Proposal(block, txHashes, built, senders, recipients, nodes,
        System.nanoTime() - started);
  }

  private void checkHeader(BlockHeader header, BlockHeader parent) {
    if (header.number() != parent.number() + 1) {
      throw new InvalidBlockException("number " + header.number() + " does not follow head "
          + parent.number());
    }
    requireSame("parent hash", parent.hash(hash), header.parentHash());
    requireSame("ommers hash", emptyListHash, header.ommersHash());
    long gasLimit = Governance.gasLimit(stateAt(parent));
    if (header.gasLimit() != gasLimit) {
      throw new InvalidBlockException("gas limit " + header.gasLimit() + " differs from the"
          + " chain's " + gasLimit + " (set at genesis or by governance)");
    }
    BlockTime.parentRuleBroken(header.timestamp(), parent.timestamp()).ifPresent(why -> {
      throw new InvalidBlockException(why);
    });
    BigInteger baseFee = nextBaseFee(parent);
    if (!baseFee.equals(header.baseFeePerGas())) {
      throw new InvalidBlockException("base fee " + header.baseFeePerGas() + " is not the "
          + baseFee + " its parent sets");
    }
    if (header.withdrawalsRoot() == null || !Arrays.equals(emptyRoot, header.withdrawalsRoot())
        || header.blobGasUsed() == null || header.blobGasUsed() != 0) {
      throw new InvalidBlockException("Chorus blocks have an empty withdrawals root and no"
          + " blob gas");
    }
  }

  private static void requireSame(String what, byte[] expected, byte[] actual) {
    if (!Arrays.equals(expected, actual)) {
      throw new InvalidBlockException(what + " " + Hex.encode0x(actual) + " where "
          + Hex.encode0x(expected) + " was expected");
    }
  }

  /** Appends a proposal to the chain durably, updates the pool, and tells the listeners. */
  public CommittedBlock commit(Proposal proposal) {
    return commit(proposal, new byte[0]);
  }

  /**
   * As {@link #commit(Proposal)}, storing the proof that the block is final (a BFT commit
   * certificate) with it in the same write.
   */
  public synchronized CommittedBlock commit(Proposal proposal, byte[] finalityProof) {
    long started = System.nanoTime();
    Block block = proposal.block();
    List<Receipt> receipts = proposal.built().executed().receipts();
    store.commit(block, proposal.transactionHashes(), receipts, proposal.senders(),
        proposal.recipients(), proposal.stateNodes(), finalityProof,
        proposal.built().executed().stateChanges());
    BlockHeader header = block.header();
    headUnrestricted = Permissions.unrestricted(stateAt(header));
    pool.onNewHead(accountsAt(header), nextBaseFee(header),
        Governance.gasLimit(stateAt(header)));
    CommittedBlock committed = CommittedBlock.of(block, header.hash(hash), receipts,
        List.copyOf(proposal.transactionHashes()), proposal.senders());
    remember(committed);
    long commitNanos = System.nanoTime() - started;
    for (Listener listener : listeners) {
      // The block is durable: a failing listener is logged and must not undo or stop that.
      notify(listener, () -> {
        listener.onBlock(committed);
        listener.onTiming(header.number(), block.transactions().size(), proposal.buildNanos(),
            commitNanos);
      });
    }
    return committed;
  }

  private void remember(CommittedBlock committed) {
    synchronized (recent) {
      recent.put(new ByteKey(committed.hash()), committed);
      recentTransactions += committed.transactionHashes().size();
      Iterator<CommittedBlock> oldest = recent.values().iterator();
      while (recent.size() > 1 && (recent.size() > RECENT_BLOCKS_MAX
          || recentTransactions > RECENT_TRANSACTIONS_MAX)) {
        recentTransactions -= oldest.next().transactionHashes().size();
        oldest.remove();
      }
    }
  }

  /** Why the permissions at the head forbid {@code sender} to send {@code tx}, if they do. */
  private Optional<String> refusal(Transaction tx, Address sender) {
    return headUnrestricted ? Optional.empty() : Permissions.refusal(stateAt(head()), tx, sender);
  }

  private java.util.function.Function<Address, AccountInfo> accountsAt(BlockHeader header) {
    WorldState state = stateAt(header);
    return state::account;
  }

  @Override
  public void close() {
    store.close();
  }
}
