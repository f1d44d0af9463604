package io.chorus.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The transaction pool's admission rules, one rejection reason at a time; replacement by fee;
 * future nonces held until the gap fills; bounds per sender and in total; the proposer's order
 * (sender nonce order, then tip); and pruning on a new head.
 */
class TxPoolTest {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  private static final KeyPair ALICE = SUITE.keyPair(Hex.decode("11".repeat(32)));
  private static final KeyPair BOB = SUITE.keyPair(Hex.decode("22".repeat(32)));
  private static final Address TO = Address.parse("0x" + "77".repeat(20));
  private static final byte[] NO_CODE = SUITE.hash(new byte[0]);

  private final Map<Address, AccountInfo> accounts = new HashMap<>();
  private TxPool pool = pool(new TxPool.Limits(100, 10, 16));

  private TxPool pool(TxPool.Limits limits) {
    fund(ALICE, 0);
    fund(BOB, 0);
    return new TxPool(SUITE, CHAIN_ID, limits, accounts::get, BigInteger.TEN, 30_000_000);
  }

  private void fund(KeyPair keys, long nonce) {
    accounts.put(address(keys),
        new AccountInfo(nonce, BigInteger.TEN.pow(18), NO_CODE, false));
  }

  private static Address address(KeyPair keys) {
    return Address.of(SUITE.address(keys.publicKey()));
  }

  private static Transaction tx(KeyPair keys, long nonce, long maxFee, long tip) {
    return tx(keys, nonce, maxFee, tip, 21_000, CHAIN_ID);
  }

  private static Transaction tx(KeyPair keys, long nonce, long maxFee, long tip, long gas,
      BigInteger chainId) {
    return TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, chainId, nonce,
        BigInteger.valueOf(tip), BigInteger.valueOf(maxFee), gas, TO.toArray(), BigInteger.ONE,
        new byte[0], List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO,
        new byte[0], new byte[0]), keys, SUITE);
  }

  private TxPool.Reason rejection(Transaction tx) {
    return assertThrows(TxPool.Rejected.class, () -> pool.add(tx)).reason();
  }

  @Test
  void eachRejectionHasItsReason() {
    pool.add(tx(ALICE, 0, 20, 2));
    assertEquals(TxPool.Reason.ALREADY_KNOWN, rejection(tx(ALICE, 0, 20, 2)));
    assertEquals(TxPool.Reason.INVALID, rejection(tx(ALICE, 1, 20, 2, 21_000, BigInteger.TWO)));
    assertEquals(TxPool.Reason.INVALID, rejection(tx(ALICE, 1, 20, 2, 20_000, CHAIN_ID)));
    assertEquals(TxPool.Reason.GAS_LIMIT_ABOVE_BLOCK,
        rejection(tx(ALICE, 1, 20, 2, 40_000_000, CHAIN_ID)));
    assertEquals(TxPool.Reason.FEE_CAP_BELOW_BASE_FEE, rejection(tx(ALICE, 1, 9, 2)));
    fund(BOB, 3);
    TxPool.Rejected low = assertThrows(TxPool.Rejected.class, () -> pool.add(tx(BOB, 2, 20, 2)));
    assertEquals(TxPool.Reason.NONCE_TOO_LOW, low.reason());
    assertTrue(low.getMessage().contains("next nonce is 3"), low.getMessage());
    assertEquals(TxPool.Reason.NONCE_TOO_FAR_AHEAD, rejection(tx(BOB, 3 + 16, 20, 2)));
    // A run of consecutive nonces is no gap: the limit counts from its end.
    for (long n = 3; n < 12; n++) {
      pool.add(tx(BOB, n, 20, 2));
    }
    pool.add(tx(BOB, 12 + 15, 20, 2));
    assertEquals(TxPool.Reason.NONCE_TOO_FAR_AHEAD, rejection(tx(BOB, 12 + 16, 20, 2)));
    assertEquals(10, pool.remove(SUITE.hash(tx(BOB, 3, 20, 2).encoded())));
    accounts.put(address(BOB), new AccountInfo(3, BigInteger.valueOf(1000), NO_CODE, false));
    assertEquals(TxPool.Reason.INSUFFICIENT_FUNDS, rejection(tx(BOB, 3, 20, 2)));
    assertEquals(1, pool.size());
  }

  @Test
  void replacementNeedsTenPercentMoreOnBothFees() {
    Transaction original = tx(ALICE, 0, 100, 10);
    pool.add(original);
    assertEquals(TxPool.Reason.REPLACEMENT_UNDERPRICED, rejection(tx(ALICE, 0, 109, 11)));
    assertEquals(TxPool.Reason.REPLACEMENT_UNDERPRICED, rejection(tx(ALICE, 0, 110, 10)));
    Transaction replacement = tx(ALICE, 0, 110, 11);
    pool.add(replacement);
    assertEquals(1, pool.size());
    assertNull(pool.get(SUITE.hash(original.encoded())));
    assertNotNull(pool.get(SUITE.hash(replacement.encoded())));
  }

  @Test
  void futureNoncesWaitForTheGap() {
    pool.add(tx(ALICE, 2, 20, 2));
    assertEquals(List.of(), pool.executable(10));
    assertEquals(0, pool.nextNonce(address(ALICE)));
    pool.add(tx(ALICE, 0, 20, 2));
    assertEquals(1, pool.executable(10).size());
    assertEquals(1, pool.nextNonce(address(ALICE)));
    pool.add(tx(ALICE, 1, 20, 2));
    assertEquals(3, pool.nextNonce(address(ALICE)), "the gap filled: 0, 1, 2 all wait");
    List<Transaction> ready = transactions(pool.executable(10));
    assertEquals(List.of(0L, 1L, 2L), ready.stream().map(Transaction::nonce).toList());
    Transaction second = tx(ALICE, 1, 20, 2);
    assertEquals(2, pool.remove(SUITE.hash(second.encoded())), "1 and the 2 behind it go");
    assertEquals(1, pool.size());
    assertEquals(0, pool.remove(SUITE.hash(second.encoded())));
  }

  @Test
  void proposerOrderKeepsNoncesAndPrefersTheHigherTip() {
    pool.add(tx(ALICE, 0, 100, 1));
    pool.add(tx(ALICE, 1, 100, 50));
    pool.add(tx(BOB, 0, 100, 5));
    List<Transaction> ready = transactions(pool.executable(10));
    // Bob's tip of 5 beats Alice's first (1); Alice's second (50) must still follow her first.
    assertEquals(List.of(address(BOB), address(ALICE), address(ALICE)), ready.stream()
        .map(t -> pool.get(SUITE.hash(t.encoded())).sender()).toList());
    assertEquals(2, pool.executable(2).size());
  }

  @Test
  void boundsPerSenderAndInTotal() {
    pool = pool(new TxPool.Limits(3, 2, 16));
    pool.add(tx(ALICE, 0, 20, 2));
    pool.add(tx(ALICE, 1, 20, 2));
    assertEquals(TxPool.Reason.SENDER_FULL, rejection(tx(ALICE, 2, 20, 2)));
    pool.add(tx(BOB, 0, 20, 2));
    assertEquals(TxPool.Reason.POOL_FULL, rejection(tx(BOB, 1, 20, 2)));
    assertThrows(IllegalArgumentException.class, () -> new TxPool.Limits(2, 3, 1));
  }

  @Test
  void aNewHeadDropsWhatItIncluded() {
    pool.add(tx(ALICE, 0, 20, 2));
    pool.add(tx(ALICE, 1, 20, 2));
    pool.add(tx(BOB, 0, 20, 2));
    fund(ALICE, 1);
    pool.onNewHead(accounts::get, BigInteger.valueOf(15), 30_000_000);
    assertEquals(2, pool.size());
    assertEquals(List.of(1L, 0L), transactions(pool.executable(10)).stream().map(Transaction::nonce).sorted(
        java.util.Comparator.reverseOrder()).toList());
    // The new base fee applies to admission.
    assertEquals(TxPool.Reason.FEE_CAP_BELOW_BASE_FEE, rejection(tx(BOB, 1, 14, 2)));
  }

  private static List<Transaction> transactions(List<BlockExecutor.Candidate> candidates) {
    return candidates.stream().map(BlockExecutor.Candidate::transaction).toList();
  }
}
