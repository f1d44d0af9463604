package io.chorus.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.evm.Word;
import io.chorus.state.WorldState;
import io.chorus.trie.InMemoryNodeStore;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Genesis: the same file gives the same block 0 whatever the map order; the state it writes
 * holds the allocations; the suite and fee mode change the hash and base fee; bad parameters
 * are refused with the field named.
 */
class GenesisTest {
  private static final Address ALICE = Address.parse("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
  private static final Address BOB = Address.parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
  private static final BigInteger ETHER_1000 = BigInteger.TEN.pow(21);

  private static Genesis genesis(String suite, Genesis.FeeMode mode, Map<Address,
      Genesis.Allocation> alloc) {
    return new Genesis(BigInteger.valueOf(1337), suite, mode, 30_000_000, 1000, 0, new byte[0],
        List.of(new byte[64]), alloc);
  }

  private static Map<Address, Genesis.Allocation> alloc() {
    Map<Address, Genesis.Allocation> alloc = new HashMap<>();
    alloc.put(ALICE, Genesis.Allocation.funded(ETHER_1000));
    alloc.put(BOB, new Genesis.Allocation(BigInteger.ONE, 1, Hex.decode("6000"),
        Map.of(Word.of(1), Word.of(2))));
    return alloc;
  }

  @Test
  void sameGenesisSameBlockZero() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    BlockHeader header = genesis("ethereum", Genesis.FeeMode.ETHEREUM_1559, alloc()).build(store);
    Map<Address, Genesis.Allocation> reversed = new java.util.LinkedHashMap<>();
    reversed.put(BOB, alloc().get(BOB));
    reversed.put(ALICE, alloc().get(ALICE));
    BlockHeader again = genesis("ethereum", Genesis.FeeMode.ETHEREUM_1559, reversed)
        .build(new InMemoryNodeStore());
    assertArrayEquals(header.hash(CryptoSuite.ethereum().hashFunction()),
        again.hash(CryptoSuite.ethereum().hashFunction()));
    assertEquals(0, header.number());
    assertEquals(BigInteger.valueOf(1_000_000_000L), header.baseFeePerGas());

    WorldState state = new WorldState(CryptoSuite.ethereum().hashFunction(), store,
        header.stateRoot());
    assertEquals(ETHER_1000, state.account(ALICE).balance());
    assertEquals(Word.of(2), state.storage(BOB, Word.of(1)));
    assertArrayEquals(Hex.decode("6000"), state.code(BOB));
  }

  @Test
  void blockZeroCommitsToTheValidators() {
    Genesis one = genesis("ethereum", Genesis.FeeMode.ETHEREUM_1559, alloc());
    byte[] otherKey = new byte[64];
    otherKey[63] = 1;
    Genesis other = new Genesis(one.chainId(), one.suite(), one.feeMode(), one.gasLimit(),
        one.blockIntervalMs(), one.timestamp(), one.extraData(), List.of(otherKey),
        one.alloc());
    BlockHeader a = one.build(new InMemoryNodeStore());
    BlockHeader b = other.build(new InMemoryNodeStore());
    assertArrayEquals(one.validatorsCommitment(), a.mixHash());
    assertFalse(java.util.Arrays.equals(a.hash(CryptoSuite.ethereum().hashFunction()),
        b.hash(CryptoSuite.ethereum().hashFunction())), "other validators, other chain");
    assertThrows(IllegalArgumentException.class, () -> new Genesis(one.chainId(), one.suite(),
        one.feeMode(), one.gasLimit(), one.blockIntervalMs(), one.timestamp(), one.extraData(),
        List.of(new byte[20]), one.alloc()));
  }

  @Test
  void suiteAndFeeModeShowInTheHeader() {
    BlockHeader ethereum = genesis("ethereum", Genesis.FeeMode.ETHEREUM_1559, alloc())
        .build(new InMemoryNodeStore());
    BlockHeader sm = genesis("sm", Genesis.FeeMode.ETHEREUM_1559, alloc())
        .build(new InMemoryNodeStore());
    BlockHeader free = genesis("ethereum", Genesis.FeeMode.ZERO, alloc())
        .build(new InMemoryNodeStore());
    assertFalse(java.util.Arrays.equals(ethereum.stateRoot(), sm.stateRoot()));
    assertEquals(BigInteger.ZERO, free.baseFeePerGas());
    assertFalse(java.util.Arrays.equals(ethereum.hash(CryptoSuite.ethereum().hashFunction()),
        free.hash(CryptoSuite.ethereum().hashFunction())));
  }

  @Test
  void badParametersAreRefused() {
    IllegalArgumentException suite = assertThrows(IllegalArgumentException.class,
        () -> genesis("rsa", Genesis.FeeMode.ZERO, alloc()));
    assertTrue(suite.getMessage().contains("unknown crypto suite 'rsa'"), suite.getMessage());
    IllegalArgumentException gas = assertThrows(IllegalArgumentException.class,
        () -> new Genesis(BigInteger.ONE, "ethereum", Genesis.FeeMode.ZERO, 20_000, 1000, 0,
            new byte[0], List.of(), Map.of()));
    assertTrue(gas.getMessage().contains("gasLimit"), gas.getMessage());
    IllegalArgumentException chain = assertThrows(IllegalArgumentException.class,
        () -> new Genesis(BigInteger.ZERO, "ethereum", Genesis.FeeMode.ZERO, 30_000_000, 1000, 0,
            new byte[0], List.of(), Map.of()));
    assertTrue(chain.getMessage().contains("chainId"), chain.getMessage());
  }
}
