package io.chorus.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.Sm3;
import io.chorus.evm.AccountChange;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.trie.InMemoryNodeStore;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The world state lays accounts, code and storage out as Ethereum does. Method: roots are checked
 * against the empty-trie constant and against pre-state roots published in ethereum/tests (for
 * a transaction that must be rejected, the post hash is the pre-state root); reads, applied
 * changes and a commit-then-reopen round trip are checked field by field, for keccak and SM3.
 */
class WorldStateTest {
  private static final String EMPTY_TRIE_ROOT =
      "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
  private static final Address ALICE = Address.parse("0x00000000000000000000000000000000000a11ce");
  private static final Address CONTRACT =
      Address.parse("0x000000000000000000000000000000000000c0de");
  private static final byte[] CODE = Hex.decode("600160005500");

  private final InMemoryNodeStore store = new InMemoryNodeStore();
  private final WorldState state = new WorldState(Keccak256.INSTANCE, store);

  @Test
  void emptyStateHasTheEmptyTrieRoot() {
    assertEquals(EMPTY_TRIE_ROOT, Hex.encode(state.rootHash()));
    assertEquals(EMPTY_TRIE_ROOT, Hex.encode(state.commit()));
    assertNull(state.account(ALICE));
  }

  @Test
  void putAccountReadsBack() {
    state.put(CONTRACT, 3, BigInteger.valueOf(1234), CODE, Map.of(Word.of(1), Word.of(0xbeef)));
    AccountInfo info = state.account(CONTRACT);
    assertEquals(3, info.nonce());
    assertEquals(BigInteger.valueOf(1234), info.balance());
    assertArrayEquals(Keccak256.INSTANCE.hash(CODE), info.codeHash());
    assertTrue(info.hasStorage());
    assertArrayEquals(CODE, state.code(CONTRACT));
    assertEquals(Word.of(0xbeef), state.storage(CONTRACT, Word.of(1)));
    assertEquals(Word.ZERO, state.storage(CONTRACT, Word.of(2)));
    // An absent account reads as no code and zero storage.
    assertArrayEquals(new byte[0], state.code(ALICE));
    assertEquals(Word.ZERO, state.storage(ALICE, Word.of(1)));
  }

  @Test
  void accountWithoutCodeOrStorageHasTheEmptyHashes() {
    state.put(ALICE, 0, BigInteger.ONE, new byte[0], Map.of());
    AccountInfo info = state.account(ALICE);
    assertArrayEquals(Keccak256.INSTANCE.hash(new byte[0]), info.codeHash());
    assertFalse(info.hasStorage());
  }

  @Test
  void appliedChangesSetBalanceNonceCodeAndStorage() {
    state.put(ALICE, 0, BigInteger.TEN, new byte[0], Map.of());
    state.apply(List.of(
        new AccountChange(ALICE, false, 1, BigInteger.TWO, null, Map.of()),
        new AccountChange(CONTRACT, false, 1, BigInteger.ZERO, CODE,
            Map.of(Word.of(5), Word.of(6), Word.of(7), Word.of(8)))));
    assertEquals(1, state.account(ALICE).nonce());
    assertEquals(BigInteger.TWO, state.account(ALICE).balance());
    assertArrayEquals(CODE, state.code(CONTRACT));
    assertEquals(Word.of(6), state.storage(CONTRACT, Word.of(5)));
    assertEquals(Word.of(8), state.storage(CONTRACT, Word.of(7)));
    // A change with null code keeps the code already there.
    state.apply(List.of(new AccountChange(CONTRACT, false, 2, BigInteger.ONE, null,
        Map.of(Word.of(5), Word.of(9)))));
    assertArrayEquals(CODE, state.code(CONTRACT));
    assertEquals(Word.of(9), state.storage(CONTRACT, Word.of(5)));
    assertEquals(Word.of(8), state.storage(CONTRACT, Word.of(7)));
    assertEquals(2, state.account(CONTRACT).nonce());
  }

  @Test
  void zeroValueDeletesTheSlotAndTheStorageRootReturnsToEmpty() {
    state.put(CONTRACT, 1, BigInteger.ZERO, CODE, Map.of());
    byte[] before = state.rootHash();
    state.apply(List.of(new AccountChange(CONTRACT, false, 1, BigInteger.ZERO, null,
        Map.of(Word.of(1), Word.of(2)))));
    assertTrue(state.account(CONTRACT).hasStorage());
    assertFalse(Arrays.equals(before, state.rootHash()));
    state.apply(List.of(new AccountChange(CONTRACT, false, 1, BigInteger.ZERO, null,
        Map.of(Word.of(1), Word.ZERO))));
    assertEquals(Word.ZERO, state.storage(CONTRACT, Word.of(1)));
    assertFalse(state.account(CONTRACT).hasStorage());
    // The account is byte for byte what it was, so the state root is too.
    assertArrayEquals(before, state.rootHash());
  }

  @Test
  void deletedAccountIsGoneAndTheRootReturns() {
    state.put(ALICE, 0, BigInteger.TEN, new byte[0], Map.of());
    byte[] before = state.commit();
    state.put(CONTRACT, 1, BigInteger.ONE, CODE, Map.of(Word.of(1), Word.of(1)));
    assertFalse(Arrays.equals(before, state.rootHash()));
    state.apply(List.of(new AccountChange(CONTRACT, true, 0, BigInteger.ZERO, null, Map.of())));
    assertNull(state.account(CONTRACT));
    assertArrayEquals(new byte[0], state.code(CONTRACT));
    assertEquals(Word.ZERO, state.storage(CONTRACT, Word.of(1)));
    assertArrayEquals(before, state.commit());
  }

  @Test
  void recreatedAccountStartsWithEmptyStorage() {
    state.put(CONTRACT, 1, BigInteger.ONE, CODE, Map.of(Word.of(1), Word.of(1)));
    state.apply(List.of(new AccountChange(CONTRACT, true, 0, BigInteger.ZERO, null, Map.of())));
    state.apply(List.of(new AccountChange(CONTRACT, false, 1, BigInteger.ZERO, CODE,
        Map.of(Word.of(2), Word.of(2)))));
    assertEquals(Word.ZERO, state.storage(CONTRACT, Word.of(1)));
    assertEquals(Word.of(2), state.storage(CONTRACT, Word.of(2)));
  }

  @Test
  void putReplacesTheWholeAccountIncludingItsStorage() {
    state.put(CONTRACT, 1, BigInteger.ONE, CODE, Map.of(Word.of(1), Word.of(1)));
    state.put(CONTRACT, 1, BigInteger.ONE, CODE, Map.of());
    WorldState fresh = new WorldState(Keccak256.INSTANCE, new InMemoryNodeStore());
    fresh.put(CONTRACT, 1, BigInteger.ONE, CODE, Map.of());
    assertEquals(Word.ZERO, state.storage(CONTRACT, Word.of(1)));
    assertFalse(state.account(CONTRACT).hasStorage());
    assertArrayEquals(fresh.commit(), state.commit());
  }

  @Test
  void committedStateReopensWithTheSameContent() {
    assertReopens(Keccak256.INSTANCE);
  }

  @Test
  void smStateReopensWithTheSameContent() {
    assertReopens(Sm3.INSTANCE);
  }

  private static void assertReopens(HashFunction hash) {
    InMemoryNodeStore nodes = new InMemoryNodeStore();
    WorldState written = new WorldState(hash, nodes);
    fill(written);
    byte[] root = written.commit();
    WorldState reopened = new WorldState(hash, nodes, root);
    assertArrayEquals(root, reopened.rootHash());
    assertEquals(BigInteger.TEN.pow(18), reopened.account(ALICE).balance());
    assertEquals(7, reopened.account(ALICE).nonce());
    assertArrayEquals(CODE, reopened.code(CONTRACT));
    assertArrayEquals(hash.hash(CODE), reopened.account(CONTRACT).codeHash());
    for (int i = 1; i <= 20; i++) {
      assertEquals(Word.of(i * 1000L), reopened.storage(CONTRACT, Word.of(i)));
    }
    // Changes to the reopened state build on the committed tries.
    reopened.apply(List.of(new AccountChange(CONTRACT, false, 1, BigInteger.ZERO, null,
        Map.of(Word.of(1), Word.ZERO))));
    byte[] changed = reopened.commit();
    WorldState again = new WorldState(hash, nodes, changed);
    assertEquals(Word.ZERO, again.storage(CONTRACT, Word.of(1)));
    assertEquals(Word.of(2000), again.storage(CONTRACT, Word.of(2)));
    // The older root is still readable: nothing was overwritten.
    assertEquals(Word.of(1000), new WorldState(hash, nodes, root).storage(CONTRACT, Word.of(1)));
  }

  private static void fill(WorldState target) {
    Map<Word, Word> storage = new HashMap<>();
    for (int i = 1; i <= 20; i++) {
      storage.put(Word.of(i), Word.of(i * 1000L));
    }
    target.put(ALICE, 7, BigInteger.TEN.pow(18), new byte[0], Map.of());
    target.put(CONTRACT, 1, BigInteger.ZERO, CODE, storage);
  }

  @Test
  void smRootDiffersFromKeccakForTheSameData() {
    WorldState keccak = new WorldState(Keccak256.INSTANCE, new InMemoryNodeStore());
    WorldState sm = new WorldState(Sm3.INSTANCE, new InMemoryNodeStore());
    fill(keccak);
    fill(sm);
    assertFalse(Arrays.equals(keccak.commit(), sm.commit()));
    assertArrayEquals(Sm3.INSTANCE.hash(new byte[0]), sm.account(ALICE).codeHash());
    // The SM3 empty root is SM3 of rlp(""), not the keccak constant.
    assertEquals(Hex.encode(Sm3.INSTANCE.hash(new byte[] {(byte) 0x80})),
        Hex.encode(new WorldState(Sm3.INSTANCE, new InMemoryNodeStore()).rootHash()));
  }

  @Test
  void sameDataInAnyOrderGivesTheSameRoot() {
    WorldState other = new WorldState(Keccak256.INSTANCE, new InMemoryNodeStore());
    fill(state);
    other.put(CONTRACT, 1, BigInteger.ZERO, CODE, Map.of());
    other.put(ALICE, 7, BigInteger.TEN.pow(18), new byte[0], Map.of());
    Map<Word, Word> storage = new HashMap<>();
    for (int i = 20; i >= 1; i--) {
      storage.put(Word.of(i), Word.of(i * 1000L));
    }
    other.apply(List.of(new AccountChange(CONTRACT, false, 1, BigInteger.ZERO, null, storage)));
    assertArrayEquals(state.commit(), other.commit());
  }

  /** ethereum/tests stEIP3607/transactionCollidingWithNonEmptyAccount_callsItself, Cancun. */
  @Test
  void matchesThePublishedRootOfASenderWithCode() {
    state.put(Address.parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba"), 1, BigInteger.ZERO,
        new byte[0], Map.of());
    state.put(Address.parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"), 0,
        new BigInteger("0de0b6b3a7640000", 16), Hex.decode("6000600155"), Map.of());
    assertEquals("b326b0f9bdbf3dac935ffe578676ceb8c10e369aac5d96521900815951e04ff9",
        Hex.encode(state.commit()));
  }

  /** ethereum/tests stEIP1559/lowGasLimit, Cancun: a contract with one storage slot. */
  @Test
  void matchesThePublishedRootOfAStateWithStorage() {
    state.put(Address.parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"), 1,
        new BigInteger("0de0b6b3a7640000", 16), new byte[0], Map.of());
    state.put(Address.parse("0xcccccccccccccccccccccccccccccccccccccccc"), 0,
        new BigInteger("0de0b6b3a7640000", 16), Hex.decode("600260005500"),
        Map.of(Word.ZERO, Word.of(0x60a7)));
    assertEquals("b2b8d1860969ed21cd1eee5c69206176b951fbf820ee6b7f8ad84e8234094a5e",
        Hex.encode(state.commit()));
    WorldState reopened = new WorldState(Keccak256.INSTANCE, store, state.rootHash());
    assertNotNull(reopened.account(Address.parse("0xcccccccccccccccccccccccccccccccccccccccc")));
  }

  /** ethereum/tests stExample/invalidTr, Cancun: three accounts. */
  @Test
  void matchesThePublishedRootOfThreeAccounts() {
    BigInteger ether = new BigInteger("0de0b6b3a7640000", 16);
    state.put(Address.parse("0x095e7baea6a6c7c4c2dfeb977efac326af552d87"), 0, ether,
        Hex.decode("600160010160005500"), Map.of());
    state.put(Address.parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba"), 1, BigInteger.ZERO,
        new byte[0], Map.of());
    state.put(Address.parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"), 0, ether,
        new byte[0], Map.of());
    assertEquals("4c9c6cf002e6a88a5444662ca9ceb6a116b7b69ced38c470bf6e4a12a6313967",
        Hex.encode(state.commit()));
  }
}
