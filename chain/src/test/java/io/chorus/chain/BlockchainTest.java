package io.chorus.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.InvalidBlockException;
import io.chorus.ledger.TxPool;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockchainTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final KeyPair KEYS = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0));
  static final Address SENDER = Address.of(SUITE.address(KEYS.publicKey()));
  static final Address TO = Address.parse("0x" + "77".repeat(20));
  static final BigInteger CHAIN_ID = BigInteger.valueOf(1337);

  @TempDir Path dir;

  static Genesis genesis(long gasLimit) {
    return new Genesis(CHAIN_ID, "ethereum", Genesis.FeeMode.ETHEREUM_1559, gasLimit, 200, 0,
        new byte[0], List.of(KEYS.publicKey()),
        Map.of(SENDER, Genesis.Allocation.funded(BigInteger.TEN.pow(24))));
  }

  static Transaction transfer(long nonce) {
    return TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, nonce,
        BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 21_000, TO.toArray(),
        BigInteger.valueOf(7), new byte[0], List.of(), BigInteger.ZERO, List.of(), 0,
        BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]), KEYS, SUITE);
  }

  @Test
  void blocksFillUpToTheGasLimitAndTheRestWaits() {
    try (Blockchain chain = Blockchain.open(dir, genesis(50_000), TxPool.Limits.defaults())) {
      for (int i = 0; i < 3; i++) {
        chain.submit(transfer(i));
      }
      Blockchain.CommittedBlock first = chain.commit(chain.buildNext(SENDER, 1, new byte[0]));
      assertEquals(2, first.block().transactions().size(), "two 21,000-gas transfers fit 50,000");
      assertEquals(1, chain.pool().size(), "the third waits for the next block");
      Blockchain.CommittedBlock second = chain.commit(chain.buildNext(SENDER, 2, new byte[0]));
      assertEquals(1, second.block().transactions().size());
      assertEquals(0, chain.pool().size());
      assertEquals(2, chain.head().number());
      assertEquals(BigInteger.valueOf(21),
          chain.stateAt(chain.head()).account(TO).balance());
      assertArrayEquals(second.hash(), chain.store().canonicalHash(2).orElseThrow());
      assertEquals(List.of(SENDER), second.senders());
    }
  }

  @Test
  void aCallOnGenesisRunsAtTheClocksTimeAndOnLaterBlocksAtTheirOwn() {
    try (Blockchain chain = Blockchain.open(dir, genesis(1_000_000), TxPool.Limits.defaults())) {
      long before = System.currentTimeMillis() / 1000;
      long onGenesis = chain.callEnvOf(chain.head()).timestamp();
      assertTrue(onGenesis >= before && onGenesis <= System.currentTimeMillis() / 1000 + 1,
          "genesis's time is 0; a call on it runs at the clock's, as the first block will: "
              + onGenesis);
      assertEquals(0, chain.envOf(chain.head()).timestamp(), "the block's own stays 0");
      chain.commit(chain.buildNext(SENDER, 7, new byte[0]));
      assertEquals(7, chain.callEnvOf(chain.head()).timestamp());
    }
  }

  @Test
  void aFailingListenerNeitherStopsACommitNorTheOtherListeners() {
    try (Blockchain chain = Blockchain.open(dir, genesis(1_000_000), TxPool.Limits.defaults())) {
      List<Long> heard = new ArrayList<>();
      chain.addListener(new Blockchain.Listener() {
        @Override
        public void onBlock(Blockchain.CommittedBlock block) {
          throw new IllegalStateException("a broken subscriber");
        }
      });
      chain.addListener(new Blockchain.Listener() {
        @Override
        public void onBlock(Blockchain.CommittedBlock block) {
          heard.add(block.block().header().number());
        }
      });
      chain.submit(transfer(0));
      chain.commit(chain.buildNext(SENDER, 1, new byte[0]));
      assertEquals(List.of(1L), heard);
      assertEquals(1, chain.head().number());
    }
  }

  @Test
  void reopeningKeepsTheChainAndRefusesAnotherGenesis() {
    byte[] head;
    try (Blockchain chain = Blockchain.open(dir, genesis(1_000_000), TxPool.Limits.defaults())) {
      chain.submit(transfer(0));
      head = chain.commit(chain.buildNext(SENDER, 1, new byte[0])).hash();
    }
    try (Blockchain chain = Blockchain.open(dir, genesis(1_000_000), TxPool.Limits.defaults())) {
      assertArrayEquals(head, chain.hashOf(chain.head()));
      assertEquals(1, chain.pool().nextNonce(SENDER));
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Blockchain.open(dir, genesis(2_000_000), TxPool.Limits.defaults()));
    assertTrue(e.getMessage().contains("genesis block"), e.getMessage());
  }

  @Test
  void theDevProducerMakesABlockAsSoonAsThereIsWork() throws Exception {
    try (Blockchain chain = Blockchain.open(dir, genesis(30_000_000), TxPool.Limits.defaults())) {
      CountDownLatch mined = new CountDownLatch(20);
      List<Long> heights = new ArrayList<>();
      chain.addListener(new Blockchain.Listener() {
        @Override
        public void onBlock(Blockchain.CommittedBlock block) {
          heights.add(block.block().header().number());
          block.block().transactions().forEach(t -> mined.countDown());
        }
      });
      // An interval far longer than the test: only work can trigger these blocks.
      try (DevBlockProducer producer = new DevBlockProducer(chain, SENDER, 600_000,
          InstantSource.system())) {
        producer.start();
        for (int i = 0; i < 20; i++) {
          chain.submit(transfer(i));
        }
        assertTrue(mined.await(20, TimeUnit.SECONDS), "20 transfers mined without waiting");
      }
      assertEquals(20, chain.stateAt(chain.head()).account(SENDER).nonce());
      assertTrue(!heights.isEmpty());
    }
  }

  @Test
  void anIdleDevChainStillMakesBlocksAtItsInterval() throws Exception {
    try (Blockchain chain = Blockchain.open(dir, genesis(30_000_000), TxPool.Limits.defaults())) {
      CountDownLatch blocks = new CountDownLatch(2);
      chain.addListener(new Blockchain.Listener() {
        @Override
        public void onBlock(Blockchain.CommittedBlock block) {
          blocks.countDown();
        }
      });
      try (DevBlockProducer producer = new DevBlockProducer(chain, SENDER, 50,
          InstantSource.system())) {
        producer.start();
        assertTrue(blocks.await(20, TimeUnit.SECONDS));
      }
      assertTrue(chain.head().number() >= 2);
    }
  }

  @Test
  void anotherNodeValidatesAProposedBlockAndCommitsItWithItsProof(@TempDir Path other) {
    try (Blockchain proposer = Blockchain.open(dir, genesis(1_000_000), TxPool.Limits.defaults());
        Blockchain follower = Blockchain.open(other, genesis(1_000_000),
            TxPool.Limits.defaults())) {
      proposer.submit(transfer(0));
      proposer.submit(transfer(1));
      follower.submit(transfer(0)); // known to the follower's pool: its sender is not recovered
      Blockchain.Proposal built = proposer.buildNext(SENDER, 5, new byte[] {1, 2});
      Blockchain.CommittedBlock committed = proposer.commit(built);

      Blockchain.Proposal checked = follower.validate(built.block());
      byte[] proof = {9, 9, 9};
      Blockchain.CommittedBlock copy = follower.commit(checked, proof);
      assertArrayEquals(committed.hash(), copy.hash());
      assertEquals(List.of(SENDER, SENDER), copy.senders());
      assertArrayEquals(proof, follower.store().finalityProof(1).orElseThrow());
      assertTrue(proposer.store().finalityProof(1).isEmpty(), "a dev block carries no proof");
      assertEquals(0, follower.pool().size(), "the block's transactions left the pool");
    }
  }

  @Test
  void aProposalsPooledTransactionsAreTakenFromThePoolAndTheOthersChecked(@TempDir Path other) {
    try (Blockchain proposer = Blockchain.open(dir, genesis(1_000_000), TxPool.Limits.defaults());
        Blockchain follower = Blockchain.open(other, genesis(1_000_000),
            TxPool.Limits.defaults())) {
      proposer.submit(transfer(0));
      proposer.submit(transfer(1));
      TxPool.Pooled pooled = follower.submit(transfer(0));
      Blockchain.Proposal built = proposer.buildNext(SENDER, 5, new byte[0]);
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(SUITE.hash(built.block().transactions().get(i).encoded()),
            built.transactionHashes().get(i), "the pool's hash of transaction " + i);
      }

      Blockchain.Received received = follower.decode(built.block().encode());
      List<Transaction> txs = received.block().transactions();
      assertSame(pooled.transaction(), txs.get(0), "the pooled transaction, not decoded again");
      assertArrayEquals(built.block().transactions().get(1).encoded(), txs.get(1).encoded());
      Blockchain.CommittedBlock copy = follower.commit(follower.validate(received));
      assertArrayEquals(proposer.commit(built).hash(), copy.hash());
      assertEquals(List.of(SENDER, SENDER), copy.senders());
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(built.transactionHashes().get(i), copy.transactionHashes().get(i));
      }

      // A transaction the pool does not hold is checked in full: here its chain id is wrong.
      Transaction foreign = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE,
          CHAIN_ID.add(BigInteger.ONE), 2, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L),
          21_000, TO.toArray(), BigInteger.ONE, new byte[0], List.of(), BigInteger.ZERO,
          List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0], new byte[0]), KEYS, SUITE);
      Block next = proposer.buildNext(SENDER, 6, new byte[0]).block();
      byte[] wrong = new Block(next.header(), List.of(foreign)).encode();
      InvalidBlockException e = assertThrows(InvalidBlockException.class,
          () -> follower.validate(follower.decode(wrong)));
      assertTrue(e.getMessage().contains("chain id"), e.getMessage());
    }
  }

  @Test
  void aBlockThatLiesAboutItsExecutionIsRefusedAndChangesNothing(@TempDir Path other) {
    try (Blockchain proposer = Blockchain.open(dir, genesis(1_000_000), TxPool.Limits.defaults());
        Blockchain follower = Blockchain.open(other, genesis(1_000_000),
            TxPool.Limits.defaults())) {
      proposer.submit(transfer(0));
      Block honest = proposer.buildNext(SENDER, 5, new byte[0]).block();
      byte[] wrongRoot = honest.header().stateRoot().clone();
      wrongRoot[0] ^= 1;
      Block lying = altered(honest, honest.header().number(), wrongRoot);
      InvalidBlockException e = assertThrows(InvalidBlockException.class,
          () -> follower.validate(lying));
      assertTrue(e.getMessage().contains("state root"), e.getMessage());
      Block skipping = altered(honest, honest.header().number() + 1,
          honest.header().stateRoot());
      assertThrows(InvalidBlockException.class, () -> follower.validate(skipping));
      assertEquals(0, follower.head().number());
      assertArrayEquals(honest.header().hash(SUITE.hashFunction()),
          follower.commit(follower.validate(honest)).hash());
    }
  }

  /** {@code block} with another number and state root in its header. */
  private static Block altered(Block block, long number, byte[] stateRoot) {
    BlockHeader h = block.header();
    return new Block(new BlockHeader(h.parentHash(), h.ommersHash(), h.coinbase(), stateRoot,
        h.transactionsRoot(), h.receiptsRoot(), h.logsBloom(), h.difficulty(), number,
        h.gasLimit(), h.gasUsed(), h.timestamp(), h.extraData(), h.mixHash(), h.nonce(),
        h.baseFeePerGas(), h.withdrawalsRoot(), h.blobGasUsed(), h.excessBlobGas(),
        h.parentBeaconBlockRoot()), block.transactions());
  }
}
