package io.chorus.storage;

import static io.chorus.storage.TestChain.HASH;
import static io.chorus.storage.TestChain.RECIPIENT;
import static io.chorus.storage.TestChain.SENDER;
import static io.chorus.storage.TestChain.commitNext;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Receipt;
import io.chorus.state.WorldState;
import io.chorus.trie.CorruptNodeException;
import io.chorus.tx.Transaction;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@link ChainStore} writes comes back after closing and reopening the real RocksDB
 * directory: blocks by hash and number, receipts, the transaction and account indexes, and the
 * world state at the head's root. Bad arguments are refused with messages naming the problem,
 * and a refused commit leaves the store as it was.
 */
class ChainStoreTest {
  @TempDir Path dir;

  private List<Block> commitChain(int blocks, int txsPerBlock) {
    List<Block> chain = new ArrayList<>();
    try (ChainStore store = new ChainStore(dir, HASH)) {
      assertTrue(store.head().isEmpty());
      for (int i = 0; i < blocks; i++) {
        chain.add(commitNext(store, txsPerBlock));
      }
    }
    return chain;
  }

  @Test
  void blocksReceiptsAndIndexesSurviveReopening() {
    List<Block> chain = commitChain(3, 4);
    try (ChainStore store = new ChainStore(dir, HASH)) {
      Block last = chain.get(2);
      assertArrayEquals(last.header().encode(), store.head().orElseThrow().encode());
      for (Block block : chain) {
        byte[] blockHash = block.header().hash(HASH);
        long number = block.header().number();
        assertArrayEquals(block.encode(), store.blockByHash(blockHash).orElseThrow().encode());
        assertArrayEquals(block.encode(), store.blockByNumber(number).orElseThrow().encode());
        assertArrayEquals(block.header().encode(),
            store.headerByHash(blockHash).orElseThrow().encode());
        List<Receipt> receipts = store.receipts(blockHash).orElseThrow();
        assertEquals(4, receipts.size());
        assertEquals(84_000, receipts.get(3).cumulativeGasUsed());
        assertFalse(receipts.get(2).success());
        for (int i = 0; i < 4; i++) {
          Transaction tx = block.transactions().get(i);
          ChainStore.TxLocation at = store.transactionLocation(HASH.hash(tx.encoded()))
              .orElseThrow();
          assertArrayEquals(blockHash, at.blockHash());
          assertEquals(i, at.index());
        }
      }
      assertTrue(store.blockByNumber(3).isEmpty());
      assertTrue(store.blockByHash(new byte[32]).isEmpty());
      assertTrue(store.receipts(new byte[32]).isEmpty());
      assertTrue(store.transactionLocation(new byte[32]).isEmpty());
    }
  }

  @Test
  void accountHistoryIsNewestFirstAndBounded() {
    commitChain(3, 3);
    try (ChainStore store = new ChainStore(dir, HASH)) {
      List<ChainStore.AccountTx> sent = store.accountHistory(SENDER, 100);
      assertEquals(9, sent.size());
      assertEquals(2, sent.get(0).blockNumber());
      assertEquals(2, sent.get(0).index());
      assertEquals(0, sent.get(8).blockNumber());
      assertEquals(0, sent.get(8).index());
      Block newest = store.blockByNumber(2).orElseThrow();
      assertArrayEquals(HASH.hash(newest.transactions().get(2).encoded()), sent.get(0).txHash());

      // Transactions 0 and 2 of each block go to RECIPIENT; transaction 1 creates CONTRACT.
      List<ChainStore.AccountTx> received = store.accountHistory(RECIPIENT, 3);
      assertEquals(3, received.size());
      assertEquals(List.of(2L, 2L, 1L), received.stream().map(a -> a.blockNumber()).toList());
      assertEquals(List.of(2, 0, 2), received.stream().map(a -> a.index()).toList());
      assertEquals(3, store.accountHistory(TestChain.CONTRACT, 10).size());
      assertTrue(store.accountHistory(Address.parse("0x" + "77".repeat(20)), 10).isEmpty());

      IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
          () -> store.accountHistory(SENDER, 0));
      assertTrue(zero.getMessage().contains("limit"), zero.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> store.accountHistory(SENDER, ChainStore.ACCOUNT_HISTORY_LIMIT_MAX + 1));
    }
  }

  @Test
  void worldStateReopensAtTheCommittedRoot() {
    commitChain(4, 1);
    try (ChainStore store = new ChainStore(dir, HASH)) {
      BlockHeader head = store.head().orElseThrow();
      WorldState state = new WorldState(HASH, store.nodeStore(), head.stateRoot());
      assertEquals(BigInteger.valueOf(3), state.account(SENDER).balance());
      assertEquals(Word.of(4), state.storage(SENDER, TestChain.SLOT));
      assertArrayEquals(new byte[] {3}, state.code(SENDER));
      // An older root is still complete: nodes are never deleted.
      byte[] genesisRoot = store.blockByNumber(0).orElseThrow().header().stateRoot();
      assertEquals(BigInteger.ZERO,
          new WorldState(HASH, store.nodeStore(), genesisRoot).account(SENDER).balance());
    }
  }

  @Test
  void aMissingTrieNodeIsNamedByItsHash() {
    try (ChainStore store = new ChainStore(dir, HASH)) {
      byte[] unknown = HASH.hash(new byte[] {42});
      CorruptNodeException e = assertThrows(CorruptNodeException.class,
          () -> new WorldState(HASH, store.nodeStore(), unknown).account(SENDER));
      assertTrue(e.getMessage().contains(io.chorus.codec.Hex.encode(unknown)), e.getMessage());
    }
  }

  @Test
  void refusedCommitsLeaveTheStoreUnchanged() {
    try (ChainStore store = new ChainStore(dir, HASH)) {
      Block genesis = commitNext(store, 1);
      Block next = nextBlockWithoutCommitting(store);
      BlockHeader h = next.header();
      List<Address> one = List.of(SENDER);
      List<Receipt> receipt = List.of(Receipt.of(Transaction.DYNAMIC_FEE, true, 1, List.of()));

      IllegalArgumentException repeat = assertThrows(IllegalArgumentException.class,
          () -> store.commit(genesis, receipt, one, one, store.pendingNodes()));
      assertTrue(repeat.getMessage().contains("does not follow head 0"), repeat.getMessage());

      IllegalArgumentException counts = assertThrows(IllegalArgumentException.class,
          () -> store.commit(next, List.of(), one, one, store.pendingNodes()));
      assertTrue(counts.getMessage().contains("0 receipts for 1 transactions"),
          counts.getMessage());

      Block orphan = new Block(withParent(h, new byte[32]), next.transactions());
      IllegalArgumentException parent = assertThrows(IllegalArgumentException.class,
          () -> store.commit(orphan, receipt, one, one, store.pendingNodes()));
      assertTrue(parent.getMessage().contains("has parent"), parent.getMessage());

      // The new root's nodes were written to the scratch store only.
      IllegalArgumentException root = assertThrows(IllegalArgumentException.class,
          () -> store.commit(next, receipt, one, one, store.pendingNodes()));
      assertTrue(root.getMessage().contains("not in the node store"), root.getMessage());

      IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
          () -> store.commit(next, receipt, one, one,
              new PendingNodes(new io.chorus.trie.InMemoryNodeStore())));
      assertTrue(foreign.getMessage().contains("nodeStore()"), foreign.getMessage());

      assertEquals(0, store.head().orElseThrow().number());
      assertTrue(store.blockByNumber(1).isEmpty());
      assertThrows(IllegalArgumentException.class, () -> store.blockByHash(new byte[31]));
      assertThrows(IllegalArgumentException.class, () -> store.canonicalHash(-1));
    }
  }

  /** The block after the head, built in a throwaway store so this one is not touched. */
  private Block nextBlockWithoutCommitting(ChainStore store) {
    Path other = dir.resolve("scratch");
    try (ChainStore scratch = new ChainStore(other, HASH)) {
      Block genesis = store.blockByNumber(0).orElseThrow();
      // Same genesis, so the next block has the same parent as it would here.
      scratch.commit(genesis, store.receipts(genesis.header().hash(HASH)).orElseThrow(),
          List.of(SENDER), List.of(RECIPIENT), scratchGenesisState(store, scratch));
      return commitNext(scratch, 1);
    }
  }

  private static PendingNodes scratchGenesisState(ChainStore from, ChainStore to) {
    PendingNodes pending = to.pendingNodes();
    WorldState copy = new WorldState(HASH, pending);
    WorldState original = new WorldState(HASH, from.nodeStore(),
        from.head().orElseThrow().stateRoot());
    copy.put(SENDER, 0, original.account(SENDER).balance(), original.code(SENDER),
        java.util.Map.of(TestChain.SLOT, original.storage(SENDER, TestChain.SLOT)));
    copy.commit();
    return pending;
  }

  private static BlockHeader withParent(BlockHeader h, byte[] parent) {
    return new BlockHeader(parent, h.ommersHash(), h.coinbase(), h.stateRoot(),
        h.transactionsRoot(), h.receiptsRoot(), h.logsBloom(), h.difficulty(), h.number(),
        h.gasLimit(), h.gasUsed(), h.timestamp(), h.extraData(), h.mixHash(), h.nonce(),
        h.baseFeePerGas(), h.withdrawalsRoot(), h.blobGasUsed(), h.excessBlobGas(),
        h.parentBeaconBlockRoot());
  }
}
