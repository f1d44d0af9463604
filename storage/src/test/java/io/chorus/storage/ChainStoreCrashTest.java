package io.chorus.storage;

import static io.chorus.storage.TestChain.HASH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.evm.Word;
import io.chorus.ledger.Block;
import io.chorus.ledger.BlockHeader;
import io.chorus.state.WorldState;
import io.chorus.trie.MerklePatriciaTrie;
import io.chorus.tx.Transaction;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic commits survive SIGKILL: a child JVM ({@link CrashWriter}) commits blocks in a loop and
 * is killed at seeded random moments; after each kill the store must reopen at a complete head
 * (its block, receipts, transaction and log index entries and every node of its state trie
 * present) with block numbers contiguous from genesis, and each run must have advanced the head.
 * The seed (the clock's, unless {@code -Dchorus.crashSeed=N} gives one) is printed first and
 * named in every failure; it replays the number of runs and each kill's delay after the
 * writer's first commit (where in its write that delay lands still varies with timing).
 */
class ChainStoreCrashTest {
  private static final String SEED_PROPERTY = "chorus.crashSeed";
  private static final int KILL_DELAY_MS_MAX = 1_200;

  @TempDir Path dir;

  @Test
  @Timeout(60)
  void killedWriterLeavesACompleteHead() throws Exception {
    long seed = Long.getLong(SEED_PROPERTY, System.nanoTime());
    String context = "seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")";
    // Printed before anything can fail, so that a timeout names the seed too.
    System.out.println("ChainStoreCrashTest " + context);
    Random random = new Random(seed);
    int runs = 3 + random.nextInt(3);
    long previousHead = -1;
    for (int run = 0; run < runs; run++) {
      int delayMs = random.nextInt(KILL_DELAY_MS_MAX);
      String where = "run " + run + " of " + runs + ", killed " + delayMs
          + " ms after the first commit, " + context;
      killAfter(delayMs, where);
      try (ChainStore store = new ChainStore(dir, HASH)) {
        long head = verify(store, where);
        assertTrue(head > previousHead, "did not advance head " + previousHead + ", " + where);
        previousHead = head;
      } catch (RuntimeException e) {
        // A store that fails to open, or a node or index entry that fails to read.
        throw new AssertionError(e + ", " + where, e);
      }
    }
  }

  /** Starts the writer, waits until it has committed once, then SIGKILLs it after a delay. */
  private void killAfter(int delayMs, String context) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
        System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString())
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      StringBuilder seen = new StringBuilder();
      for (String line = out.readLine(); !CrashWriter.READY.equals(line);
          line = out.readLine()) {
        assertTrue(line != null, "writer exited before committing: " + seen + context);
        seen.append(line).append('\n');
      }
      Thread.sleep(delayMs);
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(10, TimeUnit.SECONDS), "writer did not die, " + context);
    }
  }

  /** Checks the head is complete and the chain contiguous; returns the head's number. */
  private static long verify(ChainStore store, String context) {
    BlockHeader head = store.head().orElseThrow(() -> new AssertionError("no head, " + context));
    byte[] headHash = head.hash(HASH);
    byte[] parent = new byte[32];
    for (long n = 0; n <= head.number(); n++) {
      Block block = store.blockByNumber(n)
          .orElseThrow(() -> new AssertionError("gap before the head, " + context));
      assertEquals(n, block.header().number(), context);
      assertArrayEquals(parent, block.header().parentHash(), "broken link at " + n + ", "
          + context);
      parent = block.header().hash(HASH);
    }
    assertArrayEquals(headHash, parent, "canonical chain ends elsewhere, " + context);

    Block block = store.blockByHash(headHash).orElseThrow();
    assertEquals(block.transactions().size(), store.receipts(headHash).orElseThrow().size(),
        context);
    for (int i = 0; i < block.transactions().size(); i++) {
      Transaction tx = block.transactions().get(i);
      ChainStore.TxLocation at = store.transactionLocation(HASH.hash(tx.encoded()))
          .orElseThrow(() -> new AssertionError("head transaction not indexed, " + context));
      assertArrayEquals(headHash, at.blockHash(), context);
    }
    // The head's log index entries came in the same batch: its two successful transactions'
    // logs are found by address and topic.
    List<LogEntry> logs = store.logs(new LogFilter(head.number(), head.number(),
        Set.of(TestChain.CONTRACT), List.of(Set.of(Word.of(head.number())))));
    assertEquals(List.of(0, 1), logs.stream().map(LogEntry::transactionIndex).toList(),
        context);

    // Walking the whole account trie loads every node; a missing one throws, naming its hash.
    int accounts = 0;
    for (MerklePatriciaTrie.Entry ignored :
        new MerklePatriciaTrie(HASH, store.nodeStore(), head.stateRoot())) {
      accounts++;
    }
    assertEquals(1, accounts, context);
    WorldState state = new WorldState(HASH, store.nodeStore(), head.stateRoot());
    assertEquals(head.number(), state.account(TestChain.SENDER).balance().longValueExact(),
        context);
    assertEquals(Word.of(head.number() + 1),
        state.storage(TestChain.SENDER, TestChain.SLOT), context);
    return head.number();
  }
}
