package io.chorus.storage;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.LogsBloom;
import io.chorus.ledger.Receipt;
import io.chorus.state.WorldState;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds and commits toy blocks for the storage tests: block {@code n} sets the sender's balance
 * to {@code n} and storage slot 1 to {@code n + 1}, and carries signed transactions that
 * alternate between a transfer to {@link #RECIPIENT} and a contract creation. Every third
 * transaction fails; unless a test gives its own logs, each other one emits one log from
 * {@link #CONTRACT} with topics {@code [n, i]}, {@code i} its index in the block.
 */
final class TestChain {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final HashFunction HASH = SUITE.hashFunction();
  static final KeyPair KEYS = SUITE.keyPair(Hex.decode("45".repeat(32)));
  static final Address SENDER = Address.of(SUITE.address(KEYS.publicKey()));
  static final Address RECIPIENT = Address.parse("0x" + "12".repeat(20));
  static final Address CONTRACT = Address.parse("0x" + "34".repeat(20));
  static final Word SLOT = Word.of(1);
  private static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  private static final byte[] ZERO32 = new byte[32];

  private TestChain() {}

  /** The recipient of a block's {@code i}-th transaction: transfers and creations alternate. */
  static Address recipientOf(int i) {
    return i % 2 == 0 ? RECIPIENT : CONTRACT;
  }

  /** A block built on a store's head, and what {@link ChainStore#commit} takes with it. */
  record Next(Block block, List<Receipt> receipts, List<Address> senders,
      List<Address> recipients, PendingNodes state) {}

  /** Builds the block after the store's head with {@code txCount} transactions and commits it. */
  static Block commitNext(ChainStore store, int txCount) {
    long number = store.head().map(h -> h.number() + 1).orElse(0L);
    List<List<Log>> logs = new ArrayList<>();
    for (int i = 0; i < txCount; i++) {
      logs.add(succeeds(i) ? List.of(new Log(CONTRACT, List.of(Word.of(number), Word.of(i)),
          new byte[] {(byte) i})) : List.of());
    }
    return commitNext(store, logs);
  }

  /** Builds the block after the store's head as {@link #next} does and commits it. */
  static Block commitNext(ChainStore store, List<List<Log>> logsPerTx) {
    Next next = next(store, logsPerTx);
    store.commit(next.block(), next.receipts(), next.senders(), next.recipients(), next.state());
    return next.block();
  }

  /**
   * Builds the block after the store's head, one transaction per entry of {@code logsPerTx}
   * emitting those logs; its header's bloom is the union of the receipts'.
   */
  static Next next(ChainStore store, List<List<Log>> logsPerTx) {
    BlockHeader parent = store.head().orElse(null);
    long number = parent == null ? 0 : parent.number() + 1;
    PendingNodes pending = store.pendingNodes();
    WorldState state = parent == null ? new WorldState(HASH, pending)
        : new WorldState(HASH, pending, parent.stateRoot());
    state.put(SENDER, number, BigInteger.valueOf(number), new byte[] {(byte) number},
        Map.of(SLOT, Word.of(number + 1)));
    byte[] root = state.commit();

    List<Transaction> txs = new ArrayList<>();
    List<Receipt> receipts = new ArrayList<>();
    List<Address> senders = new ArrayList<>();
    List<Address> recipients = new ArrayList<>();
    byte[] bloom = new byte[LogsBloom.BYTES];
    for (int i = 0; i < logsPerTx.size(); i++) {
      // Unique nonces keep every transaction hash distinct across the chain.
      txs.add(tx(number * 1_000 + i, i % 2 == 0 ? RECIPIENT : null));
      Receipt receipt = Receipt.of(Transaction.DYNAMIC_FEE, succeeds(i), 21_000L * (i + 1),
          logsPerTx.get(i));
      receipts.add(receipt);
      LogsBloom.orInto(bloom, receipt.logsBloom());
      senders.add(SENDER);
      recipients.add(recipientOf(i));
    }
    BlockHeader header = new BlockHeader(parent == null ? ZERO32 : parent.hash(HASH), ZERO32,
        RECIPIENT, root, MerklePatriciaTrie.emptyRoot(HASH), MerklePatriciaTrie.emptyRoot(HASH),
        bloom, BigInteger.ZERO, number, 30_000_000, 21_000L * logsPerTx.size(),
        1_700_000_000L + number, new byte[0], ZERO32, new byte[8], BigInteger.ONE, null, null,
        null, null);
    return new Next(new Block(header, txs), receipts, senders, recipients, pending);
  }

  private static boolean succeeds(int i) {
    return i % 3 != 2;
  }

  private static Transaction tx(long nonce, Address to) {
    Transaction template = new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, nonce,
        BigInteger.ONE, BigInteger.TEN, 21_000, to == null ? null : to.toArray(),
        BigInteger.valueOf(5), new byte[0], List.of(), BigInteger.ZERO, List.of(), 0,
        BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]);
    return TransactionSigner.sign(template, KEYS, SUITE);
  }
}
