package io.chorus.storage;

import static io.chorus.storage.TestChain.HASH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;

/**
 * Damaged data is reported, not misread: the test commits a chain, then overwrites or deletes
 * entries with RocksDB directly, and checks that the store's reads (or its opening) fail with a
 * {@link StorageException} naming what is corrupt and under which key. Also checks that
 * {@link PendingNodes} reads through to the store but keeps its own nodes out of it.
 */
class CorruptStoreTest {
  private static final List<String> FAMILIES = List.of("default", "headers", "bodies",
      "receipts", "canonical", "txIndex", "accountTx", "nodes", "meta");

  @TempDir Path dir;

  /** Applies {@code damage} to the raw database, with handles in {@link #FAMILIES} order. */
  private void damage(RawEdit damage) throws Exception {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String family : FAMILIES) {
      descriptors.add(new ColumnFamilyDescriptor(family.getBytes(StandardCharsets.US_ASCII)));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
        RocksDB db = RocksDB.open(options, dir.toString(), descriptors, handles)) {
      damage.apply(db, handles);
      handles.forEach(ColumnFamilyHandle::close);
    }
  }

  private interface RawEdit {
    void apply(RocksDB db, List<ColumnFamilyHandle> handles) throws Exception;
  }

  private byte[] commitTwoBlocks() {
    try (ChainStore store = new ChainStore(dir, HASH)) {
      TestChain.commitNext(store, 2);
      return TestChain.commitNext(store, 2).header().hash(HASH);
    }
  }

  @Test
  void aCorruptBodyOrReceiptListNamesTheBlock() throws Exception {
    byte[] head = commitTwoBlocks();
    damage((db, h) -> {
      db.put(h.get(FAMILIES.indexOf("bodies")), head, new byte[] {(byte) 0xc1});
      db.put(h.get(FAMILIES.indexOf("receipts")), head, new byte[] {1, 2, 3});
      db.put(h.get(FAMILIES.indexOf("txIndex")), head, new byte[] {9});
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
  void aHeadWithoutHeaderFailsTheOpening() throws Exception {
    byte[] head = commitTwoBlocks();
    damage((db, h) -> db.delete(h.get(FAMILIES.indexOf("headers")), head));
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
