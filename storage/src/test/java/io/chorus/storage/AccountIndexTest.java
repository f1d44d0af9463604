package io.chorus.storage;

import static io.chorus.storage.TestChain.HASH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.evm.Address;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The account history index on a real RocksDB directory: one key per account per block, read
 * back newest first; a transaction to its own sender listed once; entries of the earlier
 * one-key-per-transaction layout still read; a damaged value named.
 */
class AccountIndexTest {
  private static final Address ALICE = Address.parse("0x" + "a1".repeat(20));
  private static final Address BOB = Address.parse("0x" + "b0".repeat(20));
  private static final Address TOKEN = Address.parse("0x" + "70".repeat(20));

  @TempDir Path dir;

  @Test
  void writesOneKeyPerAccountPerBlockAndReadsNewestFirst() throws Exception {
    new ChainStore(dir, HASH).close();
    RawStore.open(dir, (db, family) -> {
      AccountIndex index = new AccountIndex(db, family.get("accountTx"));
      // Block 7: Alice calls the token twice, Bob sends to himself, Alice creates nothing.
      write(db, index, 7, List.of(ALICE, BOB, ALICE), Arrays.asList(TOKEN, BOB, TOKEN));
      write(db, index, 8, List.of(BOB), Arrays.asList((Address) null));

      List<byte[]> keys = new ArrayList<>();
      try (var it = db.newIterator(family.get("accountTx"))) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          keys.add(it.key());
        }
      }
      assertEquals(4, keys.size(), "Alice, Bob and the token in block 7; Bob in block 8");

      List<ChainStore.AccountTx> alice = index.history(ALICE, 10);
      assertEquals(List.of(2, 0), alice.stream().map(ChainStore.AccountTx::index).toList());
      assertArrayEquals(txHash(7, 2), alice.get(0).txHash());
      List<ChainStore.AccountTx> bob = index.history(BOB, 10);
      assertEquals(List.of(8L, 7L), bob.stream().map(ChainStore.AccountTx::blockNumber).toList());
      assertEquals(List.of(0, 1), bob.stream().map(ChainStore.AccountTx::index).toList(),
          "a transaction to its own sender is listed once");
      assertEquals(1, index.history(TOKEN, 1).size(), "the limit cuts within a block");
      assertTrue(index.history(Address.parse("0x" + "77".repeat(20)), 10).isEmpty());
    });
  }

  @Test
  void readsEntriesOfTheEarlierLayoutBesideTheCurrentOne() throws Exception {
    new ChainStore(dir, HASH).close();
    RawStore.open(dir, (db, family) -> {
      AccountIndex index = new AccountIndex(db, family.get("accountTx"));
      byte[] oldKey = ByteBuffer.allocate(32).put(ALICE.toArray()).putLong(3).putInt(5).array();
      db.put(family.get("accountTx"), oldKey, txHash(3, 5));
      write(db, index, 4, List.of(ALICE), Arrays.asList(TOKEN));

      List<ChainStore.AccountTx> alice = index.history(ALICE, 10);
      assertEquals(List.of(4L, 3L), alice.stream().map(ChainStore.AccountTx::blockNumber).toList());
      assertEquals(5, alice.get(1).index());
      assertArrayEquals(txHash(3, 5), alice.get(1).txHash());
    });
  }

  @Test
  void pagesKeepBlocksWholeInBothDirectionsAndAcrossLayouts() throws Exception {
    new ChainStore(dir, HASH).close();
    RawStore.open(dir, (db, family) -> {
      AccountIndex index = new AccountIndex(db, family.get("accountTx"));
      // Block 3 in the earlier layout (transactions 1 and 5), then blocks 4 (two), 6 and 9.
      for (int i : new int[] {1, 5}) {
        db.put(family.get("accountTx"), ByteBuffer.allocate(32).put(ALICE.toArray())
            .putLong(3).putInt(i).array(), txHash(3, i));
      }
      write(db, index, 4, List.of(ALICE, ALICE), Arrays.asList(TOKEN, TOKEN));
      write(db, index, 6, List.of(BOB), Arrays.asList(ALICE));
      write(db, index, 9, List.of(ALICE), Arrays.asList(BOB));
      write(db, index, 10, List.of(BOB), Arrays.asList(TOKEN));

      ChainStore.AccountPage newest = index.page(ALICE, -1, true, 2);
      assertEquals(List.of("9:0", "6:0"), positions(newest));
      assertTrue(newest.more());
      ChainStore.AccountPage before6 = index.page(ALICE, 6, true, 1);
      assertEquals(List.of("4:1", "4:0"), positions(before6), "block 4 is not split");
      assertTrue(before6.more());
      ChainStore.AccountPage before4 = index.page(ALICE, 4, true, 1);
      assertEquals(List.of("3:5", "3:1"), positions(before4));
      assertTrue(!before4.more(), "nothing before block 3");
      assertArrayEquals(txHash(3, 5), before4.transactions().get(0).txHash());

      ChainStore.AccountPage oldest = index.page(ALICE, -1, false, 1);
      assertEquals(List.of("3:1", "3:5"), positions(oldest));
      assertTrue(oldest.more());
      ChainStore.AccountPage after4 = index.page(ALICE, 4, false, 5);
      assertEquals(List.of("6:0", "9:0"), positions(after4));
      assertTrue(!after4.more(), "Bob's block 10 is not Alice's");
      assertEquals(List.of(), positions(index.page(ALICE, 9, false, 5)));
    });
  }

  private static List<String> positions(ChainStore.AccountPage page) {
    return page.transactions().stream().map(t -> t.blockNumber() + ":" + t.index()).toList();
  }

  @Test
  void aDamagedValueIsNamed() throws Exception {
    new ChainStore(dir, HASH).close();
    RawStore.open(dir, (db, family) -> {
      AccountIndex index = new AccountIndex(db, family.get("accountTx"));
      byte[] key = ByteBuffer.allocate(28).put(ALICE.toArray()).putLong(9).array();
      db.put(family.get("accountTx"), key, new byte[35]);
      StorageException e = assertThrows(StorageException.class, () -> index.history(ALICE, 10));
      assertTrue(e.getMessage().contains("35-byte value"), e.getMessage());
    });
  }

  private static void write(org.rocksdb.RocksDB db, AccountIndex index, long number,
      List<Address> senders, List<Address> recipients) throws Exception {
    List<byte[]> hashes = new ArrayList<>();
    for (int i = 0; i < senders.size(); i++) {
      hashes.add(txHash(number, i));
    }
    try (WriteBatch batch = new WriteBatch(); WriteOptions options = new WriteOptions()) {
      index.write(batch, number, hashes, senders, recipients);
      db.write(options, batch);
    }
  }

  private static byte[] txHash(long number, int index) {
    return HASH.hash(ByteBuffer.allocate(12).putLong(number).putInt(index).array());
  }
}
