package io.chorus.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.ledger.TxPool;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockFollowerTest {
  @TempDir Path dir;

  /** An index as a service keeps one: each block once, in order, caught up from the store. */
  static final class Index implements Blockchain.Listener {
    final Blockchain chain;
    final List<Long> blocks = new CopyOnWriteArrayList<>();
    final CountDownLatch released = new CountDownLatch(1);
    final AtomicBoolean failNext = new AtomicBoolean();

    Index(Blockchain chain) {
      this.chain = chain;
    }

    long height() {
      return blocks.isEmpty() ? 0 : blocks.getLast();
    }

    @Override
    public void onBlock(Blockchain.CommittedBlock block) {
      awaitRelease();
      long number = block.block().header().number();
      if (number > height() + 1) {
        catchUp();
      } else if (number == height() + 1) {
        add(number);
      }
    }

    void catchUp() {
      awaitRelease();
      for (long n = height() + 1; n <= chain.head().number(); n++) {
        add(chain.store().blockByNumber(n).orElseThrow().header().number());
      }
    }

    private void add(long number) {
      if (failNext.getAndSet(false)) {
        throw new IllegalStateException("a disk error at block " + number);
      }
      blocks.add(number);
    }

    private void awaitRelease() {
      try {
        assertTrue(released.await(30, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aSlowListenerHoldsNothingBackAndGetsEveryBlockOnceInOrder() throws Exception {
    try (Blockchain chain = Blockchain.open(dir, BlockchainTest.genesis(1_000_000),
        TxPool.Limits.defaults())) {
      Index index = new Index(chain);
      try (BlockFollower follower = new BlockFollower("test-index", chain, index,
          index::catchUp, index::height, 2)) {
        chain.addListener(follower);
        for (long n = 1; n <= 10; n++) {
          chain.commit(chain.buildNext(BlockchainTest.SENDER, n, new byte[0]));
        }
        assertEquals(10, chain.head().number(), "ten commits while the listener was stuck");
        assertEquals(List.of(), index.blocks);
        assertEquals(10, follower.behind());

        index.released.countDown();
        awaitHeight(index, 10);
        assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), index.blocks,
            "the blocks dropped while the queue was full were read from the store");
        assertEquals(0, follower.behind());
      }
    }
  }

  @Test
  void aListenerThatFailsIsRetriedWithTheNextBlock() throws Exception {
    try (Blockchain chain = Blockchain.open(dir, BlockchainTest.genesis(1_000_000),
        TxPool.Limits.defaults())) {
      Index index = new Index(chain);
      index.released.countDown();
      try (BlockFollower follower = new BlockFollower("test-index", chain, index,
          index::catchUp, index::height, 8)) {
        chain.addListener(follower);
        chain.commit(chain.buildNext(BlockchainTest.SENDER, 1, new byte[0]));
        awaitHeight(index, 1);
        index.failNext.set(true);
        chain.commit(chain.buildNext(BlockchainTest.SENDER, 2, new byte[0]));
        Thread.sleep(1_500);
        assertEquals(List.of(1L), index.blocks, "block 2 failed and waits for the next");
        chain.commit(chain.buildNext(BlockchainTest.SENDER, 3, new byte[0]));
        awaitHeight(index, 3);
        assertEquals(List.of(1L, 2L, 3L), index.blocks);
      }
    }
  }

  private static void awaitHeight(Index index, long height) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (index.height() < height && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(height, index.height());
  }
}
