package io.chorus.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Sm3;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Status;
import io.chorus.evm.Word;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.tx.AccessListEntry;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionSigner;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One transaction applied to a world state under Cancun rules. Method: transactions are signed
 * and validated as a node would, applied to a small pre-state, and every balance, nonce, code
 * and gas figure is checked against amounts worked out by hand from the EIPs (1559 fee split,
 * 3529 refund cap, 4844 blob fee); every rejection must name its cause and leave the root as
 * it was.
 */
class StateTransitionTest {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final KeyPair KEYS = SUITE.keyPair(Hex.decode("45".repeat(32)));
  private static final Address SENDER = Address.of(SUITE.address(KEYS.publicKey()));
  private static final Address RECIPIENT =
      Address.parse("0x0000000000000000000000000000000000000b0b");
  private static final Address CONTRACT =
      Address.parse("0x000000000000000000000000000000000000c0de");
  private static final Address COINBASE =
      Address.parse("0x00000000000000000000000000000000000c0ba5");
  private static final BigInteger FUNDS = BigInteger.TEN.pow(18);
  private static final BigInteger CHAIN_ID = BigInteger.ONE;
  private static final long BASE_FEE = 7;
  private static final long PRIORITY_FEE = 2;
  private static final long MAX_FEE = 20;
  /** min(maxFee, baseFee + priorityFee). */
  private static final long GAS_PRICE = 9;
  private static final long BLOCK_GAS_LIMIT = 30_000_000;
  private static final BlockEnv BLOCK = block(BASE_FEE, BigInteger.ONE);
  /** PUSH1 0 PUSH1 0 REVERT. */
  private static final byte[] REVERTS = Hex.decode("60006000fd");
  private static final byte[] BLOB_HASH = Hex.decode("01" + "aa".repeat(31));

  private final WorldState state = new WorldState(Keccak256.INSTANCE, new InMemoryNodeStore());
  private final StateTransition ethereum = StateTransition.ethereum(Keccak256.INSTANCE);

  private static BlockEnv block(long baseFee, BigInteger blobBaseFee) {
    return new BlockEnv(COINBASE, 1, 1_700_000_000L, BLOCK_GAS_LIMIT, BigInteger.valueOf(baseFee),
        Word.of(7), blobBaseFee, CHAIN_ID, Word::of);
  }

  /** A signed EIP-1559 transaction at the test's fees. */
  private static Transaction tx(long nonce, long gasLimit, Address to, long value, byte[] data) {
    return sign(Transaction.DYNAMIC_FEE, nonce, MAX_FEE, gasLimit, to, value, data,
        BigInteger.ZERO, List.of());
  }

  private static Transaction sign(int type, long nonce, long maxFee, long gasLimit, Address to,
      long value, byte[] data, BigInteger maxFeePerBlobGas, List<byte[]> blobs) {
    BigInteger priority = BigInteger.valueOf(Math.min(PRIORITY_FEE, maxFee));
    Transaction template = new Transaction(type, CHAIN_ID, nonce, priority,
        BigInteger.valueOf(maxFee), gasLimit, to == null ? null : to.toArray(),
        BigInteger.valueOf(value), data, List.of(), maxFeePerBlobGas, blobs, 0, BigInteger.ZERO,
        BigInteger.ZERO, new byte[0], new byte[0]);
    return TransactionSigner.sign(template, KEYS, SUITE);
  }

  /** Validates as a node would before applying, so the sender is the recovered one. */
  private TransactionResult apply(StateTransition rules, WorldState target, Transaction tx,
      BlockEnv block) {
    Address sender = Address.of(new TransactionValidator(SUITE, CHAIN_ID).validate(tx));
    assertEquals(SENDER, sender);
    return rules.apply(target, tx, sender, block);
  }

  private TransactionResult apply(Transaction tx) {
    return apply(ethereum, state, tx, BLOCK);
  }

  private BigInteger balance(Address address) {
    AccountInfo info = state.account(address);
    return info == null ? BigInteger.ZERO : info.balance();
  }

  private BigInteger supply() {
    return balance(SENDER).add(balance(RECIPIENT)).add(balance(CONTRACT)).add(balance(COINBASE));
  }

  private static BigInteger times(long a, long b) {
    return BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
  }

  @Test
  void valueTransferPaysGasBurnsTheBaseFeeAndTipsTheCoinbase() {
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    BigInteger supplyBefore = supply();
    TransactionResult result = apply(tx(0, 50_000, RECIPIENT, 1000, new byte[0]));
    assertTrue(result.success());
    assertEquals(21_000, result.gasUsed());
    assertNull(result.contractAddress());
    assertTrue(result.logs().isEmpty());
    assertEquals(FUNDS.subtract(BigInteger.valueOf(1000)).subtract(times(21_000, GAS_PRICE)),
        balance(SENDER));
    assertEquals(1, state.account(SENDER).nonce());
    assertEquals(BigInteger.valueOf(1000), balance(RECIPIENT));
    assertEquals(0, state.account(RECIPIENT).nonce());
    assertEquals(times(21_000, PRIORITY_FEE), balance(COINBASE));
    assertEquals(supplyBefore.subtract(times(21_000, BASE_FEE)), supply());
  }

  @Test
  void baseFeeToCoinbaseRulePaysTheWholeGasPrice() {
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    BigInteger supplyBefore = supply();
    StateTransition rules = new StateTransition(Keccak256.INSTANCE,
        StateTransition.BaseFee.TO_COINBASE);
    TransactionResult result = apply(rules, state, tx(0, 50_000, RECIPIENT, 1000, new byte[0]),
        BLOCK);
    assertEquals(21_000, result.gasUsed());
    assertEquals(times(21_000, GAS_PRICE), balance(COINBASE));
    assertEquals(supplyBefore, supply());
  }

  @Test
  void creationDeploysCodeAtTheSendersCreateAddress() {
    state.put(SENDER, 5, FUNDS, new byte[0], Map.of());
    // PUSH5 <REVERTS> PUSH1 0 MSTORE PUSH1 5 PUSH1 27 RETURN: returns the 5 code bytes.
    byte[] initcode = Hex.decode("64" + Hex.encode(REVERTS) + "600052" + "6005601bf3");
    TransactionResult result = apply(sign(Transaction.DYNAMIC_FEE, 5, MAX_FEE, 100_000, null, 77,
        initcode, BigInteger.ZERO, List.of()));
    assertTrue(result.success());
    Address expected = createAddress(Keccak256.INSTANCE, SENDER, 5);
    assertEquals(expected, result.contractAddress());
    assertArrayEquals(REVERTS, state.code(expected));
    assertEquals(1, state.account(expected).nonce()); // EIP-161
    assertEquals(BigInteger.valueOf(77), balance(expected));
    assertEquals(6, state.account(SENDER).nonce());
    // 21000 + 32000 + calldata (3 zero bytes at 4, 11 others at 16) + 1 initcode word at 2
    // + 6 pushes and an MSTORE with its first memory word at 3 each + 5 code bytes at 200.
    assertEquals(21_000 + 32_000 + 12 + 176 + 2 + 18 + 1000, result.gasUsed());
  }

  private static Address createAddress(HashFunction hash, Address sender, long nonce) {
    byte[] digest = hash.hash(Rlp.encodeList(Rlp.encodeBytes(sender.toArray()),
        Rlp.encodeUnsignedLong(nonce)));
    return Address.of(Arrays.copyOfRange(digest, 12, 32));
  }

  @Test
  void revertKeepsTheNonceAndGasButNotTheValue() {
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    state.put(CONTRACT, 0, BigInteger.ZERO, REVERTS, Map.of());
    TransactionResult result = apply(tx(0, 50_000, CONTRACT, 1000, new byte[0]));
    assertEquals(Status.REVERT, result.status());
    assertFalse(result.success());
    assertEquals(21_006, result.gasUsed()); // two PUSH1 at 3 each; REVERT of nothing is free
    assertEquals(1, state.account(SENDER).nonce());
    assertEquals(FUNDS.subtract(times(21_006, GAS_PRICE)), balance(SENDER));
    assertEquals(BigInteger.ZERO, balance(CONTRACT));
    assertEquals(times(21_006, PRIORITY_FEE), balance(COINBASE));
  }

  @Test
  void refundForOneClearedSlotIsPaidInFull() {
    // PUSH1 0 PUSH1 0 SSTORE STOP: 6 for pushes, 2100 cold + 2900 reset, 4800 refunded.
    TransactionResult result = clearSlots(Hex.decode("600060005500"));
    assertEquals(21_000 + 5006 - 4800, result.gasUsed());
    assertEquals(Word.of(1), state.storage(CONTRACT, Word.of(1)));
  }

  @Test
  void refundForTwoClearedSlotsIsCappedAtAFifthOfGasUsed() {
    // Clears slots 0 and 1: 31012 gas before refunds; 9600 earned, 31012 / 5 = 6202 paid.
    TransactionResult result = clearSlots(Hex.decode("6000600055600060015500"));
    assertEquals(31_012 - 6202, result.gasUsed());
    assertFalse(state.account(CONTRACT).hasStorage());
    assertEquals(FUNDS.subtract(times(31_012 - 6202, GAS_PRICE)), balance(SENDER));
  }

  private TransactionResult clearSlots(byte[] code) {
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    state.put(CONTRACT, 1, BigInteger.ZERO, code,
        Map.of(Word.ZERO, Word.of(1), Word.of(1), Word.of(1)));
    TransactionResult result = apply(tx(0, 100_000, CONTRACT, 0, new byte[0]));
    assertTrue(result.success());
    assertEquals(Word.ZERO, state.storage(CONTRACT, Word.ZERO));
    return result;
  }

  @Test
  void coinbaseStartsWarm() {
    // COINBASE BALANCE STOP: 2 + 100 for a warm account (EIP-3651), where a cold one costs 2600.
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    state.put(CONTRACT, 0, BigInteger.ZERO, Hex.decode("413100"), Map.of());
    assertEquals(21_102, apply(tx(0, 50_000, CONTRACT, 0, new byte[0])).gasUsed());
  }

  @Test
  void accessListSlotsStartWarm() {
    // PUSH1 0 SLOAD STOP: 3 + 100 for the listed slot; the list costs 2400 + 1900 up front.
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    state.put(CONTRACT, 0, BigInteger.ZERO, Hex.decode("60005400"), Map.of());
    Transaction template = new Transaction(Transaction.ACCESS_LIST, CHAIN_ID, 0,
        BigInteger.valueOf(GAS_PRICE), BigInteger.valueOf(GAS_PRICE), 50_000, CONTRACT.toArray(),
        BigInteger.ZERO, new byte[0],
        List.of(new AccessListEntry(CONTRACT.toArray(), List.of(new byte[32]))), BigInteger.ZERO,
        List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]);
    TransactionResult result = apply(TransactionSigner.sign(template, KEYS, SUITE));
    assertEquals(21_000 + 2400 + 1900 + 103, result.gasUsed());
    // A type-1 price is paid whole; the base fee part of it is burned.
    assertEquals(times(result.gasUsed(), GAS_PRICE - BASE_FEE), balance(COINBASE));
  }

  @Test
  void failedCreationKeepsTheNonceAndCreatesNothing() {
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    // INVALID: an exceptional halt consumes all the gas.
    TransactionResult result = apply(sign(Transaction.DYNAMIC_FEE, 0, MAX_FEE, 100_000, null, 5,
        Hex.decode("fe"), BigInteger.ZERO, List.of()));
    assertEquals(Status.INVALID_OPCODE, result.status());
    assertNull(result.contractAddress());
    assertEquals(100_000, result.gasUsed());
    assertNull(state.account(createAddress(Keccak256.INSTANCE, SENDER, 0)));
    assertEquals(1, state.account(SENDER).nonce());
    assertEquals(FUNDS.subtract(times(100_000, GAS_PRICE)), balance(SENDER));
  }

  @Test
  void blobFeeIsChargedAtTheBlobBaseFeeAndBurned() {
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    BigInteger supplyBefore = supply();
    BlockEnv block = block(BASE_FEE, BigInteger.TWO);
    TransactionResult result = apply(ethereum, state, sign(Transaction.BLOB, 0, MAX_FEE, 50_000,
        RECIPIENT, 1000, new byte[0], BigInteger.valueOf(5), List.of(BLOB_HASH)), block);
    assertEquals(21_000, result.gasUsed());
    BigInteger blobFee = times(Eip4844.GAS_PER_BLOB, 2);
    assertEquals(FUNDS.subtract(BigInteger.valueOf(1000)).subtract(times(21_000, GAS_PRICE))
        .subtract(blobFee), balance(SENDER));
    assertEquals(supplyBefore.subtract(times(21_000, BASE_FEE)).subtract(blobFee), supply());
  }

  @Test
  void zeroGasPriceChainCostsNothing() {
    state.put(SENDER, 0, BigInteger.valueOf(1000), new byte[0], Map.of());
    TransactionResult result = apply(ethereum, state, sign(Transaction.DYNAMIC_FEE, 0, 0, 50_000,
        RECIPIENT, 1000, new byte[0], BigInteger.ZERO, List.of()), block(0, BigInteger.ONE));
    assertTrue(result.success());
    assertEquals(21_000, result.gasUsed());
    assertEquals(BigInteger.ZERO, balance(SENDER));
    assertEquals(1, state.account(SENDER).nonce());
    assertEquals(BigInteger.valueOf(1000), balance(RECIPIENT));
    // A zero fee touches the coinbase without creating it (EIP-161).
    assertNull(state.account(COINBASE));
  }

  @Test
  void zeroGasPriceLetsAnUnfundedSenderTransact() {
    TransactionResult result = apply(ethereum, state, sign(Transaction.DYNAMIC_FEE, 0, 0, 50_000,
        RECIPIENT, 0, new byte[0], BigInteger.ZERO, List.of()), block(0, BigInteger.ONE));
    assertTrue(result.success());
    assertEquals(1, state.account(SENDER).nonce());
    assertNull(state.account(RECIPIENT));
  }

  @Test
  void rejectsANonceTooLow() {
    state.put(SENDER, 3, FUNDS, new byte[0], Map.of());
    assertRejected(tx(2, 50_000, RECIPIENT, 1, new byte[0]), BLOCK, "nonce 2 too low");
  }

  @Test
  void rejectsANonceTooHigh() {
    state.put(SENDER, 3, FUNDS, new byte[0], Map.of());
    assertRejected(tx(4, 50_000, RECIPIENT, 1, new byte[0]), BLOCK, "nonce 4 too high");
  }

  @Test
  void rejectsASenderThatCannotPayTheMaximumCost() {
    // Enough at the effective price, but the check is at the max fee.
    state.put(SENDER, 0, times(21_000, MAX_FEE).add(BigInteger.valueOf(999)), new byte[0],
        Map.of());
    assertRejected(tx(0, 21_000, RECIPIENT, 1000, new byte[0]), BLOCK, "insufficient funds");
  }

  @Test
  void rejectsAMaxFeeBelowTheBaseFee() {
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    assertRejected(sign(Transaction.DYNAMIC_FEE, 0, BASE_FEE - 1, 50_000, RECIPIENT, 1,
        new byte[0], BigInteger.ZERO, List.of()), BLOCK, "below the block's base fee");
  }

  @Test
  void rejectsAGasLimitAboveTheBlocks() {
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    assertRejected(tx(0, BLOCK_GAS_LIMIT + 1, RECIPIENT, 1, new byte[0]), BLOCK,
        "exceeds the block's");
  }

  @Test
  void rejectsASenderWithCode() {
    state.put(SENDER, 0, FUNDS, REVERTS, Map.of());
    assertRejected(tx(0, 50_000, RECIPIENT, 1, new byte[0]), BLOCK, "EIP-3607");
  }

  @Test
  void rejectsABlobFeeCapBelowTheBlobBaseFee() {
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    assertRejected(sign(Transaction.BLOB, 0, MAX_FEE, 50_000, RECIPIENT, 1, new byte[0],
        BigInteger.ONE, List.of(BLOB_HASH)), block(BASE_FEE, BigInteger.TWO),
        "max fee per blob gas");
  }

  @Test
  void rejectsAGasLimitBelowTheIntrinsicGas() {
    state.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    Transaction tx = tx(0, 20_999, RECIPIENT, 1, new byte[0]);
    Address sender = SENDER;
    byte[] root = state.rootHash();
    TransactionException e = assertThrows(TransactionException.class,
        () -> ethereum.apply(state, tx, sender, BLOCK));
    assertTrue(e.getMessage().contains("intrinsic gas"), e.getMessage());
    assertArrayEquals(root, state.rootHash());
  }

  private void assertRejected(Transaction tx, BlockEnv block, String cause) {
    byte[] root = state.commit();
    TransactionException e = assertThrows(TransactionException.class,
        () -> apply(ethereum, state, tx, block));
    assertTrue(e.getMessage().contains(cause), e.getMessage());
    assertArrayEquals(root, state.rootHash());
  }

  @Test
  void runsEndToEndOnAnSm3State() {
    InMemoryNodeStore store = new InMemoryNodeStore();
    WorldState sm = new WorldState(Sm3.INSTANCE, store);
    sm.put(SENDER, 0, FUNDS, new byte[0], Map.of());
    byte[] initcode = Hex.decode("64" + Hex.encode(REVERTS) + "600052" + "6005601bf3");
    TransactionResult result = apply(StateTransition.ethereum(Sm3.INSTANCE), sm,
        sign(Transaction.DYNAMIC_FEE, 0, MAX_FEE, 100_000, null, 0, initcode, BigInteger.ZERO,
            List.of()), BLOCK);
    assertTrue(result.success());
    // The contract address is hashed with SM3, so it differs from the keccak one.
    Address expected = createAddress(Sm3.INSTANCE, SENDER, 0);
    assertEquals(expected, result.contractAddress());
    assertFalse(expected.equals(createAddress(Keccak256.INSTANCE, SENDER, 0)));
    WorldState reopened = new WorldState(Sm3.INSTANCE, store, sm.commit());
    assertArrayEquals(REVERTS, reopened.code(expected));
    assertArrayEquals(Sm3.INSTANCE.hash(REVERTS), reopened.account(expected).codeHash());
    assertEquals(1, reopened.account(SENDER).nonce());
    assertEquals(FUNDS.subtract(times(result.gasUsed(), GAS_PRICE)),
        reopened.account(SENDER).balance());
    assertEquals(times(result.gasUsed(), PRIORITY_FEE), reopened.account(COINBASE).balance());
  }
}
