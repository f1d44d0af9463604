package io.chorus.storage;

import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpReader;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.LogsBloom;
import io.chorus.ledger.Receipt;
import io.chorus.state.StateChanges;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.tx.Transaction;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The chain on disk: blocks, receipts, lookup indexes and the state trie in one RocksDB
 * directory, one column family each. A block and everything derived from it are written by
 * {@link #commit} in a single synced batch, so after a crash the store reopens at the last
 * complete block. Reads are thread-safe; commits are serialized.
 *
 * <p>Layout: {@code headers} and {@code bodies} (block hash to header RLP and block RLP),
 * {@code receipts} (block hash to an RLP list of encoded receipts), {@code canonical} (8-byte
 * big-endian number to block hash), {@code txIndex} (transaction hash to block hash and 4-byte
 * index), {@code accountTx} (the account history described in {@link AccountIndex}),
 * {@code nodes} (trie nodes and code), {@code meta} ({@code head} to the head hash), and
 * {@code logAddresses} and {@code logTopics}, the log index described in {@link LogIndex},
 * {@code finality} (number to the block's finality proof), and {@code stateAccounts} and
 * {@code stateSlots}, the blocks where each account and slot changed ({@link StateHistoryIndex}).
 */
public final class ChainStore implements AutoCloseable {
  /** The most entries {@link #accountHistory} returns in one call. */
  public static final int ACCOUNT_HISTORY_LIMIT_MAX = 10_000;
  /** The most blocks one {@link #logs} query may span, counted after clamping to the head. */
  public static final int LOG_RANGE_BLOCKS_MAX = 10_000;
  /** The most logs one {@link #logs} query returns; a query that finds more fails. */
  public static final int LOG_RESULTS_MAX = 10_000;
  /**
   * The most changes one {@link #accountChanges} or {@link #slotChanges} page lists: each is read
   * from the state of its block, a few trie lookups, so a page stays well under a second.
   */
  public static final int STATE_HISTORY_PAGE_MAX = 1_000;

  private static final int HASH_BYTES = HashFunction.DIGEST_BYTES;
  private static final byte[] EMPTY_BLOOM = new byte[LogsBloom.BYTES];
  private static final byte[] HEAD_KEY = "head".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STATE_HISTORY_FROM_KEY =
      "stateHistoryFrom".getBytes(StandardCharsets.US_ASCII);
  /** The column families besides RocksDB's default one, in the order of their handles. */
  static final List<String> FAMILIES = List.of("headers", "bodies", "receipts",
      "canonical", "txIndex", "accountTx", "nodes", "meta", "logAddresses", "logTopics",
      "finality", "stateAccounts", "stateSlots");

  static {
    RocksDB.loadLibrary();
  }

  /** Where a transaction sits: its block and its index in that block. */
  public record TxLocation(byte[] blockHash, int index) {}

  /** One transaction in an account's history. */
  public record AccountTx(long blockNumber, int index, byte[] txHash) {}

  /** A page of an account's history, and whether the history goes on past it. */
  public record AccountPage(List<AccountTx> transactions, boolean more) {}

  /**
   * The blocks, in chain order, where a key of the state changed; {@code next} is the block the
   * next page starts at, -1 when the range holds no more.
   */
  public record ChangePage(List<Long> blocks, long next) {}

  private final HashFunction hash;
  private final byte[] emptyRoot;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions familyOptions;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();
  private final RocksDB db;
  private final ColumnFamilyHandle headers;
  private final ColumnFamilyHandle bodies;
  private final ColumnFamilyHandle receipts;
  private final ColumnFamilyHandle canonical;
  private final ColumnFamilyHandle txIndex;
  private final ColumnFamilyHandle nodes;
  private final ColumnFamilyHandle meta;
  private final RocksNodeStore nodeStore;
  private final LogIndex logIndex;
  private final AccountIndex accountIndex;
  private final ColumnFamilyHandle finality;
  private final StateHistoryIndex stateHistory;
  /** The first block whose state changes were indexed; -1 until a commit indexes one. */
  private volatile long stateHistoryFrom;
  private volatile BlockHeader head;

  /**
   * Opens the store in {@code directory}, creating it when absent.
   *
   * @param hash the chain suite's hash, which names blocks and transactions
   * @throws StorageException when RocksDB cannot open it or the head is corrupt
   */
  public ChainStore(Path directory, HashFunction hash) {
    this.hash = hash;
    this.emptyRoot = MerklePatriciaTrie.emptyRoot(hash);
    this.dbOptions = new DBOptions().setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true);
    this.familyOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions));
    for (String family : FAMILIES) {
      descriptors.add(new ColumnFamilyDescriptor(
          family.getBytes(StandardCharsets.US_ASCII), familyOptions));
    }
    try {
      Files.createDirectories(directory);
      this.db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
    } catch (RocksDBException | java.io.IOException e) {
      familyOptions.close();
      dbOptions.close();
      throw new StorageException("cannot open the chain store in " + directory, e);
    }
    // handles.get(0) is the unused default family, which RocksDB requires.
    this.headers = handles.get(1);
    this.bodies = handles.get(2);
    this.receipts = handles.get(3);
    this.canonical = handles.get(4);
    this.txIndex = handles.get(5);
    this.accountIndex = new AccountIndex(db, handles.get(6));
    this.nodes = handles.get(7);
    this.meta = handles.get(8);
    this.nodeStore = new RocksNodeStore(db, nodes, hash);
    this.logIndex = new LogIndex(db, handles.get(9), handles.get(10));
    this.finality = handles.get(11);
    this.stateHistory = new StateHistoryIndex(db, handles.get(12), handles.get(13));
    try {
      this.head = read(meta, HEAD_KEY).map(h -> headerByHash(h).orElseThrow(
          () -> new StorageException("corrupt store: head " + Hex.encode0x(h)
              + " has no header"))).orElse(null);
      this.stateHistoryFrom = read(meta, STATE_HISTORY_FROM_KEY).map(
          v -> ByteBuffer.wrap(v).getLong()).orElse(-1L);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The trie nodes and code of every committed block's state. */
  public RocksNodeStore nodeStore() {
    return nodeStore;
  }

  /** A fresh overlay over {@link #nodeStore()} for executing the next block. */
  public PendingNodes pendingNodes() {
    return new PendingNodes(nodeStore);
  }

  /** The header of the last committed block, or empty before genesis. */
  public Optional<BlockHeader> head() {
    return Optional.ofNullable(head);
  }

  /** The header of the block with this hash, or empty when unknown. */
  public Optional<BlockHeader> headerByHash(byte[] blockHash) {
    requireHash("block hash", blockHash);
    return read(headers, blockHash).map(decoding("header", blockHash, BlockHeader::decode));
  }

  /** The block with this hash, or empty when unknown. */
  public Optional<Block> blockByHash(byte[] blockHash) {
    requireHash("block hash", blockHash);
    return read(bodies, blockHash).map(decoding("block", blockHash, Block::decode));
  }

  /** The block with this hash as stored (its RLP), or empty when unknown. */
  public Optional<byte[]> blockBytes(byte[] blockHash) {
    requireHash("block hash", blockHash);
    return read(bodies, blockHash);
  }

  /**
   * The receipts of the block with this hash as stored: an RLP list of each receipt's
   * consensus encoding as a byte string, in transaction order; empty when unknown.
   */
  public Optional<byte[]> receiptsBytes(byte[] blockHash) {
    requireHash("block hash", blockHash);
    return read(receipts, blockHash);
  }

  /** The hash of the canonical block at {@code number}, or empty beyond the head. */
  public Optional<byte[]> canonicalHash(long number) {
    if (number < 0) {
      throw new IllegalArgumentException("block number must not be negative, got " + number);
    }
    return read(canonical, numberKey(number));
  }

  /** The finality proof stored with canonical block {@code number}; empty when none was. */
  public Optional<byte[]> finalityProof(long number) {
    return read(finality, numberKey(number));
  }

  /** The canonical block at {@code number}, or empty beyond the head. */
  public Optional<Block> blockByNumber(long number) {
    return canonicalHash(number).map(h -> blockByHash(h).orElseThrow(
        () -> new StorageException("corrupt store: canonical block " + number + " "
            + Hex.encode0x(h) + " has no body")));
  }

  /** The receipts of the block with this hash in transaction order, or empty when unknown. */
  public Optional<List<Receipt>> receipts(byte[] blockHash) {
    requireHash("block hash", blockHash);
    return read(receipts, blockHash).map(decoding("receipts", blockHash, encoded -> {
      RlpReader outer = RlpReader.of(encoded);
      RlpReader list = outer.readList();
      outer.requireEnd("receipts");
      List<Receipt> out = new ArrayList<>();
      while (list.hasNext()) {
        out.add(Receipt.decode(list.readBytes()));
      }
      return out;
    }));
  }

  /** The block and index of the transaction with this hash, or empty when unknown. */
  public Optional<TxLocation> transactionLocation(byte[] txHash) {
    requireHash("transaction hash", txHash);
    return read(txIndex, txHash).map(value -> {
      if (value.length != HASH_BYTES + Integer.BYTES) {
        throw new StorageException("corrupt store: index entry of transaction "
            + Hex.encode0x(txHash) + " has " + value.length + " bytes, expected "
            + (HASH_BYTES + Integer.BYTES));
      }
      return new TxLocation(Arrays.copyOf(value, HASH_BYTES),
          ByteBuffer.wrap(value, HASH_BYTES, Integer.BYTES).getInt());
    });
  }

  /**
   * The transactions {@code address} sent or received (or created a contract in), newest first.
   *
   * @param limit at most this many, from 1 to {@link #ACCOUNT_HISTORY_LIMIT_MAX}
   */
  public List<AccountTx> accountHistory(Address address, int limit) {
    if (limit < 1 || limit > ACCOUNT_HISTORY_LIMIT_MAX) {
      throw new IllegalArgumentException("history limit must be 1 to "
          + ACCOUNT_HISTORY_LIMIT_MAX + ", got " + limit);
    }
    return accountIndex.history(address, limit);
  }

  /**
   * A page of the transactions {@code address} sent or received (or created a contract in)
   * beside block {@code from}, which is left out: going back, newest first, from {@code from}
   * -1 (or from the head when {@code from} is -1); going forward, oldest first, from
   * {@code from} + 1 (from genesis when -1). Blocks are never split, so a page may hold more
   * than {@code pageSize} transactions; {@link AccountPage#more()} says whether the history
   * goes on in that direction.
   *
   * @param pageSize from 1 to {@link #ACCOUNT_HISTORY_LIMIT_MAX}
   */
  public AccountPage accountHistoryPage(Address address, long from, boolean backwards,
      int pageSize) {
    if (pageSize < 1 || pageSize > ACCOUNT_HISTORY_LIMIT_MAX) {
      throw new IllegalArgumentException("page size must be 1 to "
          + ACCOUNT_HISTORY_LIMIT_MAX + ", got " + pageSize);
    }
    if (from < -1) {
      throw new IllegalArgumentException("a page starts beside block -1 or later, got " + from);
    }
    return accountIndex.page(address, from, backwards, pageSize);
  }

  /**
   * The first block whose changed accounts and slots are indexed ({@link #accountChanges},
   * {@link #slotChanges}): 0 on a store made with the index, the first block committed after
   * it on one made before; empty when no commit has indexed a block yet.
   */
  public OptionalLong stateHistoryFrom() {
    long from = stateHistoryFrom;
    return from == -1 ? OptionalLong.empty() : OptionalLong.of(from);
  }

  /**
   * The blocks from {@code from} to {@code to} in which the account's nonce, balance or code
   * hash changed (or it was created or deleted), oldest first, up to {@code limit}; none before
   * {@link #stateHistoryFrom()}.
   *
   * @param limit from 1 to {@link #STATE_HISTORY_PAGE_MAX}
   */
  public ChangePage accountChanges(Address address, long from, long to, int limit) {
    requireChangeRange(from, to, limit);
    return stateHistory.accountChanges(address, from, to, limit);
  }

  /** As {@link #accountChanges}, for the blocks in which one storage slot's value changed. */
  public ChangePage slotChanges(Address address, Word slot, long from, long to, int limit) {
    requireChangeRange(from, to, limit);
    return stateHistory.slotChanges(address, slot, from, to, limit);
  }

  private static void requireChangeRange(long from, long to, int limit) {
    if (limit < 1 || limit > STATE_HISTORY_PAGE_MAX) {
      throw new IllegalArgumentException("page size must be 1 to " + STATE_HISTORY_PAGE_MAX
          + ", got " + limit);
    }
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("block range " + from + " to " + to
          + " is empty or negative; fromBlock must be 0 or more and not above toBlock");
    }
  }

  /**
   * Appends {@code block} to the chain as the new head, with everything derived from it, in one
   * synced write: either all of it survives a crash or none does. The block is not indexed
   * for the state's history (see the overload that takes its state changes).
   *
   * @param blockReceipts one receipt per transaction, in order
   * @param senders the sender of each transaction
   * @param recipients each transaction's recipient or created contract; null where none
   * @param stateNodes the nodes written while executing the block, over {@link #nodeStore()};
   *     emptied once durable
   * @throws IllegalArgumentException when the block does not extend the head, the lists do not
   *     match its transactions, its state root is in neither the overlay nor the store, its
   *     logs bloom is not the union of its receipts' blooms, or a log has over four topics
   */
  public void commit(Block block, List<Receipt> blockReceipts,
      List<Address> senders, List<Address> recipients, PendingNodes stateNodes) {
    List<byte[]> txHashes = new ArrayList<>(block.transactions().size());
    for (Transaction tx : block.transactions()) {
      txHashes.add(hash.hash(tx.encoded()));
    }
    write(block, txHashes, blockReceipts, senders, recipients, stateNodes, new byte[0], null);
  }

  /**
   * As {@link #commit(Block, List, List, List, PendingNodes)}, given the transactions' hashes
   * the caller has already computed, storing with the block the proof that it is final (a BFT
   * commit certificate; empty on a dev chain) and indexing the state keys it changed, in the
   * same write.
   *
   * @param txHashes the hash of each transaction's encoding, in order
   * @param stateChanges the accounts and slots executing the block changed
   */
  public void commit(Block block, List<byte[]> txHashes, List<Receipt> blockReceipts,
      List<Address> senders, List<Address> recipients, PendingNodes stateNodes,
      byte[] finalityProof, StateChanges stateChanges) {
    write(block, txHashes, blockReceipts, senders, recipients, stateNodes, finalityProof,
        stateChanges);
  }

  // A null stateChanges leaves the block out of the state history index.
  private synchronized void write(Block block, List<byte[]> txHashes,
      List<Receipt> blockReceipts, List<Address> senders, List<Address> recipients,
      PendingNodes stateNodes, byte[] finalityProof, StateChanges stateChanges) {
    BlockHeader header = block.header();
    List<Transaction> txs = block.transactions();
    requireSize("transaction hashes", txHashes, txs.size());
    requireSize("receipts", blockReceipts, txs.size());
    requireSize("senders", senders, txs.size());
    requireSize("recipients", recipients, txs.size());
    if (stateNodes.base() != nodeStore) {
      throw new IllegalArgumentException("the state nodes must overlay this store's nodeStore()");
    }
    if (head == null ? header.number() != 0 : header.number() != head.number() + 1) {
      throw new IllegalArgumentException("block " + header.number() + " does not follow "
          + (head == null ? "an empty chain (expected genesis, number 0)"
              : "head " + head.number()));
    }
    if (head != null && !Arrays.equals(header.parentHash(), head.hash(hash))) {
      throw new IllegalArgumentException("block " + header.number() + " has parent "
          + Hex.encode0x(header.parentHash()) + ", not head " + Hex.encode0x(head.hash(hash)));
    }
    if (!Arrays.equals(header.stateRoot(), emptyRoot)
        && stateNodes.get(header.stateRoot()).isEmpty()) {
      throw new IllegalArgumentException("block " + header.number() + " has state root "
          + Hex.encode0x(header.stateRoot()) + ", which is not in the node store");
    }
    byte[] bloom = new byte[LogsBloom.BYTES];
    for (Receipt receipt : blockReceipts) {
      LogsBloom.orInto(bloom, receipt.logsBloom());
    }
    // logs() skips blocks by their header's bloom, so it must cover every receipt's logs.
    if (!Arrays.equals(bloom, header.logsBloom())) {
      throw new IllegalArgumentException("block " + header.number()
          + " has a logs bloom that is not the union of its receipts' blooms");
    }
    byte[] blockHash = header.hash(hash);
    try (WriteBatch batch = new WriteBatch(); WriteOptions sync = new WriteOptions()) {
      batch.put(headers, blockHash, header.encode());
      batch.put(bodies, blockHash, block.encode());
      List<byte[]> encodedReceipts = new ArrayList<>(blockReceipts.size());
      for (Receipt receipt : blockReceipts) {
        encodedReceipts.add(Rlp.encodeBytes(receipt.encode()));
      }
      batch.put(receipts, blockHash, Rlp.encodeList(encodedReceipts));
      logIndex.write(batch, header.number(), blockReceipts);
      byte[] numberKey = numberKey(header.number());
      batch.put(canonical, numberKey, blockHash);
      if (finalityProof.length > 0) {
        batch.put(finality, numberKey, finalityProof);
      }
      for (int i = 0; i < txs.size(); i++) {
        batch.put(txIndex, txHashes.get(i), ByteBuffer.allocate(HASH_BYTES + Integer.BYTES)
            .put(blockHash).putInt(i).array());
      }
      accountIndex.write(batch, header.number(), txHashes, senders, recipients);
      if (stateChanges != null) {
        stateHistory.write(batch, header.number(), stateChanges);
        if (stateHistoryFrom == -1) {
          batch.put(meta, STATE_HISTORY_FROM_KEY, numberKey(header.number()));
        }
      }
      stateNodes.writeTo(batch, nodes);
      batch.put(meta, HEAD_KEY, blockHash);
      db.write(sync.setSync(true), batch);
    } catch (RocksDBException e) {
      throw new StorageException("committing block " + header.number() + " "
          + Hex.encode0x(blockHash) + " failed", e);
    }
    head = header;
    if (stateChanges != null && stateHistoryFrom == -1) {
      stateHistoryFrom = header.number();
    }
    stateNodes.committedTo(nodeStore);
  }

  /**
   * The logs that match {@code filter}, in chain order. A {@code toBlock} beyond the head counts
   * as the head, and a range wholly beyond it finds nothing yet. When the filter restricts the
   * address or a topic, the log index picks the blocks to read; otherwise each block in the
   * range whose header bloom is not empty is read.
   *
   * @throws IllegalArgumentException when the range, clamped to the head, spans more than
   *     {@link #LOG_RANGE_BLOCKS_MAX} blocks, or more than {@link #LOG_RESULTS_MAX} logs match;
   *     the message is meant for the caller of {@code eth_getLogs}
   */
  public List<LogEntry> logs(LogFilter filter) {
    // One head for the whole query: blocks committed meanwhile are not half seen.
    BlockHeader top = head;
    if (top == null || filter.fromBlock() > top.number()) {
      return List.of();
    }
    long from = filter.fromBlock();
    long to = Math.min(filter.toBlock(), top.number());
    long span = to - from + 1;
    if (span > LOG_RANGE_BLOCKS_MAX) {
      throw new IllegalArgumentException("blocks " + from + " to " + to + " are " + span
          + " blocks, more than " + LOG_RANGE_BLOCKS_MAX + "; narrow the block range");
    }
    BitSet blocks = filter.isSelective() ? logIndex.candidates(filter, from, to)
        : blocksWithLogs(from, to);
    List<LogEntry> out = new ArrayList<>();
    for (int i = blocks.nextSetBit(0); i >= 0; i = blocks.nextSetBit(i + 1)) {
      addMatches(from + i, filter, out);
    }
    return out;
  }

  /** Closes the database; the store cannot be used afterwards. */
  @Override
  public synchronized void close() {
    for (ColumnFamilyHandle handle : handles) {
      handle.close();
    }
    db.close();
    familyOptions.close();
    dbOptions.close();
  }

  /** The blocks from {@code from} to {@code to} whose header bloom shows logs, as offsets. */
  private BitSet blocksWithLogs(long from, long to) {
    BitSet out = new BitSet();
    for (long n = from; n <= to; n++) {
      byte[] blockHash = canonicalBelowHead(n);
      BlockHeader header = headerByHash(blockHash).orElseThrow(() -> new StorageException(
          "corrupt store: canonical block " + Hex.encode0x(blockHash) + " has no header"));
      if (!Arrays.equals(header.logsBloom(), EMPTY_BLOOM)) {
        out.set((int) (n - from));
      }
    }
    return out;
  }

  /** Appends block {@code number}'s logs that match {@code filter} to {@code out}. */
  private void addMatches(long number, LogFilter filter, List<LogEntry> out) {
    byte[] blockHash = canonicalBelowHead(number);
    List<Receipt> blockReceipts = receipts(blockHash).orElseThrow(() -> new StorageException(
        "corrupt store: canonical block " + Hex.encode0x(blockHash) + " has no receipts"));
    // Decoded only once a log matches: the entries need their transactions' hashes.
    List<Transaction> txs = null;
    int indexInBlock = 0;
    for (int t = 0; t < blockReceipts.size(); t++) {
      byte[] txHash = null;
      for (Log log : blockReceipts.get(t).logs()) {
        if (filter.matches(log)) {
          if (out.size() == LOG_RESULTS_MAX) {
            throw new IllegalArgumentException("query returned more than " + LOG_RESULTS_MAX
                + " results; narrow the block range");
          }
          if (txs == null) {
            txs = transactionsOf(blockHash, blockReceipts.size());
          }
          if (txHash == null) {
            txHash = hash.hash(txs.get(t).encoded());
          }
          out.add(new LogEntry(number, blockHash, txHash, t, indexInBlock, log));
        }
        indexInBlock++;
      }
    }
  }

  private List<Transaction> transactionsOf(byte[] blockHash, int receiptCount) {
    List<Transaction> txs = blockByHash(blockHash).orElseThrow(() -> new StorageException(
        "corrupt store: canonical block " + Hex.encode0x(blockHash) + " has no body"))
        .transactions();
    if (txs.size() != receiptCount) {
      throw new StorageException("corrupt store: block " + Hex.encode0x(blockHash) + " has "
          + txs.size() + " transactions but " + receiptCount + " receipts");
    }
    return txs;
  }

  private byte[] canonicalBelowHead(long number) {
    return canonicalHash(number).orElseThrow(() -> new StorageException(
        "corrupt store: no canonical block " + number + " below the head"));
  }

  /** A block number as the key of the canonical and finality families: big-endian, sorted. */
  private static byte[] numberKey(long number) {
    return ByteBuffer.allocate(Long.BYTES).putLong(number).array();
  }

  private Optional<byte[]> read(ColumnFamilyHandle family, byte[] key) {
    try {
      return Optional.ofNullable(db.get(family, key));
    } catch (RocksDBException e) {
      throw new StorageException("reading " + Hex.encode0x(key) + " failed", e);
    }
  }

  /** Wraps a decoder so that corrupt bytes name what and which key they belong to. */
  private static <T> Function<byte[], T> decoding(String what, byte[] key,
      Function<byte[], T> decoder) {
    return encoded -> {
      try {
        return decoder.apply(encoded);
      } catch (IllegalArgumentException e) {
        throw new StorageException("corrupt store: " + what + " of block " + Hex.encode0x(key)
            + " does not decode: " + e.getMessage(), e);
      }
    };
  }

  private static void requireHash(String what, byte[] value) {
    if (value.length != HASH_BYTES) {
      throw new IllegalArgumentException(what + " must be " + HASH_BYTES + " bytes, got "
          + value.length);
    }
  }

  private static void requireSize(String what, List<?> list, int transactions) {
    if (list.size() != transactions) {
      throw new IllegalArgumentException(list.size() + " " + what + " for " + transactions
          + " transactions");
    }
  }
}
