package io.chorus.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Keccak256;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Word;
import io.chorus.state.StateTransition;
import io.chorus.state.WorldState;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.trie.NodeStore;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A block of signed transactions executed in order: receipts carry cumulative gas, the roots are
 * those of the encoded transactions and receipts and of the committed state (reopened to check),
 * and the first invalid transaction or a block over its gas limit is named in the error.
 */
class BlockExecutorTest {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final KeyPair KEYS = SUITE.keyPair(Hex.decode("45".repeat(32)));
  private static final Address SENDER = Address.of(SUITE.address(KEYS.publicKey()));
  private static final Address RECIPIENT = Address.parse("0x" + "12".repeat(20));
  private static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);
  // Initcode that logs topic 0x2a with no data and deploys nothing:
  // PUSH1 0x2a, PUSH0 (size), PUSH0 (offset), LOG1, STOP.
  private static final byte[] LOGGER_INIT = Hex.decode("602a5f5fa100");

  private final NodeStore store = new InMemoryNodeStore();
  private final WorldState state = new WorldState(Keccak256.INSTANCE, store);
  private final BlockExecutor executor =
      new BlockExecutor(SUITE, CHAIN_ID, StateTransition.ethereum(Keccak256.INSTANCE));

  private static BlockEnv block(long gasLimit) {
    return new BlockEnv(Address.parse("0x" + "cc".repeat(20)), 1, 1_700_000_000L, gasLimit,
        BigInteger.ONE, Word.ZERO, BigInteger.ONE, CHAIN_ID, n -> Word.ZERO);
  }

  private static Transaction tx(long nonce, long gasLimit, Address to, byte[] data) {
    Transaction template = new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, nonce,
        BigInteger.ONE, BigInteger.TEN, gasLimit, to == null ? null : to.toArray(),
        BigInteger.valueOf(5), data, List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO,
        BigInteger.ZERO, new byte[0], new byte[0]);
    return TransactionSigner.sign(template, KEYS, SUITE);
  }

  @Test
  void executesInOrderAndCommitsToTheRoots() {
    state.put(SENDER, 0, BigInteger.TEN.pow(18), new byte[0], Map.of());
    List<Transaction> txs = List.of(tx(0, 21_000, RECIPIENT, new byte[0]),
        tx(1, 200_000, null, LOGGER_INIT), tx(2, 21_000, RECIPIENT, new byte[0]));
    BlockExecutor.ExecutedBlock block = executor.execute(state, block(30_000_000), txs);

    assertEquals(3, block.receipts().size());
    long previous = 0;
    for (Receipt receipt : block.receipts()) {
      assertTrue(receipt.success());
      assertTrue(receipt.cumulativeGasUsed() > previous);
      previous = receipt.cumulativeGasUsed();
    }
    assertEquals(previous, block.gasUsed());
    assertEquals(21_000, block.receipts().get(0).cumulativeGasUsed());
    Address logger = block.results().get(1).contractAddress();
    assertEquals(1, block.receipts().get(1).logs().size());
    assertEquals(logger, block.receipts().get(1).logs().get(0).address());
    assertTrue(LogsBloom.mightContain(block.logsBloom(), Word.of(0x2a).toBytes()));
    assertTrue(LogsBloom.mightContain(block.logsBloom(), logger.toArray()));
    assertFalse(LogsBloom.mightContain(block.logsBloom(), RECIPIENT.toArray()));

    assertArrayEquals(TrieRoots.ofList(Keccak256.INSTANCE,
        txs.stream().map(Transaction::encoded).toList()), block.transactionsRoot());
    assertArrayEquals(TrieRoots.ofList(Keccak256.INSTANCE,
        block.receipts().stream().map(Receipt::encode).toList()), block.receiptsRoot());
    BlockHeader header = new BlockHeader(new byte[32], Hex.decode(
        "1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347"),
        Address.parse("0x" + "cc".repeat(20)), block.stateRoot(), block.transactionsRoot(),
        block.receiptsRoot(), block.logsBloom(), BigInteger.ZERO, 1, 30_000_000,
        block.gasUsed(), 1_700_000_000L, new byte[0], new byte[32], new byte[8],
        BigInteger.ONE, null, null, null, null);
    Block decoded = Block.decode(new Block(header, txs).encode());
    assertArrayEquals(header.encode(), decoded.header().encode());
    assertEquals(txs.size(), decoded.transactions().size());
    for (int i = 0; i < txs.size(); i++) {
      assertArrayEquals(txs.get(i).encoded(), decoded.transactions().get(i).encoded());
    }
    WorldState reopened = new WorldState(Keccak256.INSTANCE, store, block.stateRoot());
    assertEquals(BigInteger.TEN, reopened.account(RECIPIENT).balance());
    assertEquals(3, reopened.account(SENDER).nonce());
  }

  @Test
  void blocksRoundTripWithLegacyAndTypedTransactions() {
    Transaction legacy = TransactionSigner.sign(new Transaction(Transaction.LEGACY, CHAIN_ID, 0,
        BigInteger.TEN, BigInteger.TEN, 21_000, RECIPIENT.toArray(), BigInteger.ONE, new byte[0],
        List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
        new byte[0]), KEYS, SUITE);
    List<Transaction> txs = List.of(legacy, tx(1, 21_000, RECIPIENT, new byte[0]));
    BlockHeader header = new BlockHeader(new byte[32], new byte[32], RECIPIENT, new byte[32],
        new byte[32], new byte[32], new byte[LogsBloom.BYTES], BigInteger.ZERO, 7, 30_000_000, 0,
        0, new byte[0], new byte[32], new byte[8], BigInteger.ONE, new byte[32], 0L, 0L,
        new byte[32]);
    Block decoded = Block.decode(new Block(header, txs).encode());
    assertEquals(Transaction.LEGACY, decoded.transactions().get(0).type());
    assertArrayEquals(legacy.encoded(), decoded.transactions().get(0).encoded());
    assertArrayEquals(txs.get(1).encoded(), decoded.transactions().get(1).encoded());
    assertArrayEquals(header.encode(), decoded.header().encode());
  }

  @Test
  void theFirstInvalidTransactionIsNamed() {
    state.put(SENDER, 0, BigInteger.TEN.pow(18), new byte[0], Map.of());
    InvalidBlockException e = assertThrows(InvalidBlockException.class,
        () -> executor.execute(state, block(30_000_000),
            List.of(tx(0, 21_000, RECIPIENT, new byte[0]), tx(5, 21_000, RECIPIENT, new byte[0]))));
    assertEquals(1, e.transactionIndex());
    assertTrue(e.getMessage().contains("nonce 5 too high"), e.getMessage());
  }

  @Test
  void aProposerLeavesOutWhatDoesNotFitOrIsInvalid() {
    state.put(SENDER, 0, BigInteger.TEN.pow(18), new byte[0], Map.of());
    Transaction first = tx(0, 30_000, RECIPIENT, new byte[0]);
    Transaction tooBig = tx(1, 30_000, RECIPIENT, new byte[0]);
    Transaction gap = tx(7, 21_000, RECIPIENT, new byte[0]);
    BlockExecutor.BuiltBlock built =
        executor.build(state, block(50_000), List.of(new BlockExecutor.Candidate(first, SENDER),
            new BlockExecutor.Candidate(tooBig, SENDER), new BlockExecutor.Candidate(gap, SENDER)));
    assertEquals(List.of(first), built.included());
    assertEquals(2, built.rejected().size());
    assertTrue(built.rejected().get(0).reason().contains("gas the block has left"));
    assertTrue(built.rejected().get(0).deferred(), "it fits a later block");
    assertTrue(built.rejected().get(1).reason().contains("follows a left-out transaction"),
        built.rejected().get(1).reason());
    assertTrue(built.rejected().get(1).deferred());
    assertEquals(21_000, built.executed().gasUsed());
    assertEquals(1, new WorldState(Keccak256.INSTANCE, store, built.executed().stateRoot())
        .account(SENDER).nonce());
  }

  @Test
  void anInvalidCandidateIsNotDeferred() {
    state.put(SENDER, 0, BigInteger.TEN.pow(18), new byte[0], Map.of());
    Transaction gap = tx(7, 21_000, RECIPIENT, new byte[0]);
    BlockExecutor.BuiltBlock built = executor.build(state, block(50_000),
        List.of(new BlockExecutor.Candidate(gap, SENDER)));
    assertEquals(List.of(), built.included());
    assertTrue(built.rejected().get(0).reason().contains("too high"));
    assertFalse(built.rejected().get(0).deferred(), "a nonce gap in a block is not retried");
  }

  @Test
  void aBlockCannotSpendMoreGasThanItsLimit() {
    state.put(SENDER, 0, BigInteger.TEN.pow(18), new byte[0], Map.of());
    InvalidBlockException e = assertThrows(InvalidBlockException.class,
        () -> executor.execute(state, block(50_000),
            List.of(tx(0, 30_000, RECIPIENT, new byte[0]), tx(1, 30_000, RECIPIENT, new byte[0]))));
    assertEquals(1, e.transactionIndex());
    assertTrue(e.getMessage().contains("gas the block has left"), e.getMessage());
  }
}
