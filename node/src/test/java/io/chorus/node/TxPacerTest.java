package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Answers wait while the pool is over its bound, go out in order, and never wait forever. */
class TxPacerTest {
  private int poolSize;
  private long nanos;
  private final List<String> sent = new ArrayList<>();
  private final TxPacer pacer = new TxPacer(() -> poolSize, 100, 2_000, () -> nanos, false);

  private Runnable answer(String name) {
    return () -> sent.add(name);
  }

  @Test
  void aPoolAtItsBoundAnswersAtOnce() {
    poolSize = 100;
    pacer.release(answer("a"));
    assertEquals(List.of("a"), sent);
    assertEquals(0, pacer.heldCount());
  }

  @Test
  void aPoolOverItsBoundHoldsAnswersUntilABlockBringsItBackInOrder() {
    poolSize = 101;
    pacer.release(answer("a"));
    pacer.release(answer("b"));
    pacer.onBlock(null);
    assertEquals(List.of(), sent, "a block that leaves the pool over its bound releases none");
    poolSize = 40;
    pacer.release(answer("c"));
    assertEquals(List.of(), sent, "a later answer waits behind the held ones");
    pacer.onBlock(null);
    assertEquals(List.of("a", "b", "c"), sent);
    pacer.release(answer("d"));
    assertEquals(List.of("a", "b", "c", "d"), sent);
    assertEquals(3, pacer.heldTotal());
  }

  @Test
  void anAnswerWaitsAtMostTheHoldLimitWhenNoBlockComes() {
    poolSize = 500;
    pacer.release(answer("a"));
    nanos += TimeUnit.MILLISECONDS.toNanos(1_000);
    pacer.release(answer("b"));
    nanos += TimeUnit.MILLISECONDS.toNanos(999);
    pacer.releaseDue();
    assertEquals(List.of(), sent);
    nanos += TimeUnit.MILLISECONDS.toNanos(1);
    pacer.releaseDue();
    assertEquals(List.of("a"), sent);
    nanos += TimeUnit.MILLISECONDS.toNanos(1_000);
    pacer.releaseDue();
    assertEquals(List.of("a", "b"), sent);
  }

  @Test
  void withoutBlocksItsTimerSendsAnAnswerThatWaitedItsLongest() throws Exception {
    CountDownLatch sentOnce = new CountDownLatch(1);
    try (TxPacer timed = new TxPacer(() -> 500, 100, 200)) {
      long start = System.nanoTime();
      timed.release(sentOnce::countDown);
      assertTrue(sentOnce.await(10, TimeUnit.SECONDS));
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200));
      assertEquals(0, timed.heldCount());
    }
  }

  @Test
  void closingSendsEveryHeldAnswerAndLaterOnesAtOnce() {
    poolSize = 500;
    pacer.release(answer("a"));
    pacer.release(answer("b"));
    pacer.close();
    assertEquals(List.of("a", "b"), sent);
    pacer.release(answer("c"));
    assertEquals(List.of("a", "b", "c"), sent, "once closed, nothing waits");
    assertEquals(0, pacer.heldCount());
  }

  @Test
  void negativeBoundsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new TxPacer(() -> 0, -1, 10));
    assertThrows(IllegalArgumentException.class, () -> new TxPacer(() -> 0, 10, -1));
  }
}
