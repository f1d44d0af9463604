package io.chorus.storage;

import static io.chorus.storage.TestChain.HASH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.state.WorldState;
import io.chorus.trie.CorruptNodeException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged data is reported, not misread: the test commits a chain, then overwrites or deletes
 * entries with RocksDB directly, and checks that the store's reads (or its opening) fail with a
 * {@link StorageException} naming what is corrupt and under which key. Also checks that
 * {@link PendingNodes} reads through to the store but keeps its own nodes out of it.
 */
class CorruptStoreTest {
  @TempDir Path dir;

  private byte[] commitTwoBlocks() {
    try (ChainStore store = new ChainStore(dir, HASH)) {
      TestChain.commitNext(store, 2);
      return TestChain.commitNext(store, 2).header().hash(HASH);
    }
  }

  @Test
  void aCorruptBodyOrReceiptListNamesTheBlock() throws Exception {
    byte[] head = commitTwoBlocks();
    RawStore.open(dir, (db, family) -> {
      db.put(family.get("bodies"), head, new byte[] {(byte) 0xc1});
      db.put(family.get("receipts"), head, new byte[] {1, 2, 3});
      db.put(family.get("txIndex"), head, new byte[] {9});
    });
    try (ChainStore store = new ChainStore(dir, HASH)) {
      StorageException body = assertThrows(StorageException.class, () -> store.blockByNumber(1));
      assertTrue(body.getMessage().contains("corrupt store: block of block " + Hex.encode0x(head)),
          body.getMessage());
      StorageException receipts = assertThrows(StorageException.class,
          () -> store.receipts(head));
      assertTrue(receipts.getMessage().contains("receipts of block"), receipts.getMessage());
      StorageException index = assertThrows(StorageException.class,
          () -> store.transactionLocation(head));
      assertTrue(index.getMessage().contains("has 1 bytes, expected 36"), index.getMessage());
    }
  }

  @Test
  void aDamagedLogIndexKeyIsNamed() throws Exception {
    commitTwoBlocks();
    // Sorts right after block 0's key for the address, so the query's walk meets it.
    byte[] key = Arrays.copyOf(TestChain.CONTRACT.toArray(), Address.BYTES + Long.BYTES + 1);
    RawStore.open(dir, (db, family) -> db.put(family.get("logAddresses"), key, new byte[0]));
    try (ChainStore store = new ChainStore(dir, HASH)) {
      StorageException e = assertThrows(StorageException.class, () -> store.logs(
          new LogFilter(0, 1, Set.of(TestChain.CONTRACT), List.of())));
      assertTrue(e.getMessage().contains("corrupt store: log index key " + Hex.encode0x(key)
          + " has 29 bytes, expected 28"), e.getMessage());
    }
  }

  @Test
  void aTrieNodeDamagedOnDiskIsCaughtAsItIsRead() throws Exception {
    byte[] head = commitTwoBlocks();
    byte[] root;
    try (ChainStore store = new ChainStore(dir, HASH)) {
      root = store.headerByHash(head).orElseThrow().stateRoot();
    }
    RawStore.open(dir, (db, family) -> {
      byte[] node = db.get(family.get("nodes"), root).clone();
      node[node.length - 1] ^= 1;
      db.put(family.get("nodes"), root, node);
    });
    try (ChainStore store = new ChainStore(dir, HASH)) {
      // The store checks what it reads from disk; the tries over it then skip hashing it again.
      assertTrue(store.nodeStore().verifies(HASH));
      CorruptNodeException e = assertThrows(CorruptNodeException.class,
          () -> new WorldState(HASH, store.nodeStore(), root).account(TestChain.SENDER));
      assertTrue(e.getMessage().contains(Hex.encode(root))
          && e.getMessage().contains("is stored with content that hashes to"), e.getMessage());
      assertTrue(!store.nodeStore().verifies(io.chorus.crypto.Sm3.INSTANCE),
          "nodes are vouched for only under the hash they were checked with");
    }
  }

  @Test
  void aHeadWithoutHeaderFailsTheOpening() throws Exception {
    byte[] head = commitTwoBlocks();
    RawStore.open(dir, (db, family) -> db.delete(family.get("headers"), head));
    StorageException e = assertThrows(StorageException.class, () -> new ChainStore(dir, HASH));
    assertTrue(e.getMessage().contains("head " + Hex.encode0x(head) + " has no header"),
        e.getMessage());
  }

  @Test
  void pendingNodesStayOutOfTheDatabaseUntilCommitted() {
    try (ChainStore store = new ChainStore(dir, HASH)) {
      PendingNodes pending = store.pendingNodes();
      byte[] node = {1, 2, 3};
      byte[] key = HASH.hash(node);
      pending.put(key, node);
      assertArrayEquals(node, pending.get(key).orElseThrow());
      assertTrue(store.nodeStore().get(key).isEmpty());
      assertEquals(1, pending.size());

      store.nodeStore().put(HASH.hash(new byte[] {4}), new byte[] {4});
      assertArrayEquals(new byte[] {4}, pending.get(HASH.hash(new byte[] {4})).orElseThrow());
    }
  }
}
