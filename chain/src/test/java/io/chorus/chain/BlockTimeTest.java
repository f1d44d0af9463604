package io.chorus.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.ledger.InvalidBlockException;
import io.chorus.ledger.TxPool;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: each block's timestamp is above its parent's, however many blocks a second the chain
 * makes, whatever the proposer's clock says and across a restart; a busy dev chain runs ahead
 * of its clock as hardhat's automine does, and never runs ahead when idle.
 * Method: blocks built and validated by two chains directly, and a dev producer on a clock the
 * test moves by hand.
 */
class BlockTimeTest {
  static final long CLOCK_SECONDS = 1_000_000;

  @TempDir Path dir;

  @Test
  void aBlockInItsParentsSecondIsStampedOneLaterAndOneStampedTheSameIsRefused(
      @TempDir Path other) {
    try (Blockchain proposer = open(dir); Blockchain follower = open(other)) {
      proposer.submit(BlockchainTest.transfer(0));
      Blockchain.Proposal first = proposer.buildNext(BlockchainTest.SENDER, CLOCK_SECONDS,
          new byte[0]);
      proposer.commit(first);
      follower.commit(follower.validate(first.block()));
      proposer.submit(BlockchainTest.transfer(1));
      Block second = proposer.buildNext(BlockchainTest.SENDER, CLOCK_SECONDS, new byte[0])
          .block();
      assertEquals(CLOCK_SECONDS + 1, second.header().timestamp());

      Block sameSecond = stamped(second, CLOCK_SECONDS);
      InvalidBlockException e = assertThrows(InvalidBlockException.class,
          () -> follower.validate(sameSecond));
      assertTrue(e.getMessage().contains("not after its parent's"), e.getMessage());
      assertEquals(CLOCK_SECONDS + 1, follower.commit(follower.validate(second)).block()
          .header().timestamp());
    }
  }

  @Test
  void aClockBehindTheChainAfterARestartStillStampsAfterTheStoredHead() {
    try (Blockchain chain = open(dir)) {
      chain.commit(chain.buildNext(BlockchainTest.SENDER, CLOCK_SECONDS, new byte[0]));
    }
    try (Blockchain reopened = open(dir)) {
      Blockchain.Proposal next = reopened.buildNext(BlockchainTest.SENDER, CLOCK_SECONDS - 3_600,
          new byte[0]);
      assertEquals(CLOCK_SECONDS + 1, next.block().header().timestamp());
      reopened.commit(reopened.validate(next.block()));
    }
  }

  @Test
  void aBusyDevChainRunsAheadOfItsClockAsHardhatsAutomineDoes() throws Exception {
    AtomicLong millis = new AtomicLong(CLOCK_SECONDS * 1000);
    InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
    try (Blockchain chain = open(dir);
        DevBlockProducer producer = new DevBlockProducer(chain, BlockchainTest.SENDER, 600_000,
            clock)) {
      producer.start();
      // One transaction per block, each sent once the one before is in a block, the clock
      // standing still: past any lead a BFT proposer keeps, none waits for the clock.
      long blocks = 2 * BlockTime.LEAD_SECONDS_MAX + 2;
      for (int nonce = 0; nonce < blocks; nonce++) {
        chain.submit(BlockchainTest.transfer(nonce));
        int mined = nonce + 1;
        await("transfer " + nonce + " mined", () -> nonceAtHead(chain) == mined);
        assertEquals(CLOCK_SECONDS + nonce, chain.head().timestamp());
      }
    }
  }

  @Test
  void anIdleDevChainMakesNoEmptyBlockAheadOfTheClock() throws Exception {
    AtomicLong millis = new AtomicLong(CLOCK_SECONDS * 1000);
    InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
    try (Blockchain chain = open(dir);
        DevBlockProducer producer = new DevBlockProducer(chain, BlockchainTest.SENDER, 50,
            clock)) {
      producer.start();
      await("the first empty block", () -> chain.head().number() == 1);
      Thread.sleep(1_000); // twenty intervals
      assertEquals(1, chain.head().number(), "an empty block ran ahead of the clock");
      millis.addAndGet(1_000);
      await("an empty block once the clock moved", () -> chain.head().number() == 2);
      assertEquals(CLOCK_SECONDS + 1, chain.head().timestamp());
    }
  }

  private static Blockchain open(Path dir) {
    return Blockchain.open(dir, BlockchainTest.genesis(30_000_000), TxPool.Limits.defaults());
  }

  private static long nonceAtHead(Blockchain chain) {
    return chain.stateAt(chain.head()).account(BlockchainTest.SENDER).nonce();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      Thread.sleep(10);
    }
  }

  /** {@code block} with another timestamp, everything else as it was. */
  private static Block stamped(Block block, long timestamp) {
    BlockHeader h = block.header();
    return new Block(new BlockHeader(h.parentHash(), h.ommersHash(), h.coinbase(), h.stateRoot(),
        h.transactionsRoot(), h.receiptsRoot(), h.logsBloom(), h.difficulty(), h.number(),
        h.gasLimit(), h.gasUsed(), timestamp, h.extraData(), h.mixHash(), h.nonce(),
        h.baseFeePerGas(), h.withdrawalsRoot(), h.blobGasUsed(), h.excessBlobGas(),
        h.parentBeaconBlockRoot()), block.transactions());
  }
}
