package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code chorus relay} processes at once between the chains of {@link TwoChains}, each with
 * its own key, while packets are sent both ways in waves: after each wave one of them, picked at
 * random, is killed with SIGKILL ({@code destroyForcibly}) at a random moment (reading, proving,
 * between a transaction and its receipt) and started again, sometimes after a pause. Some
 * packets go to a port that is not registered (they can only time out), some have a timeout a
 * few seconds ahead (received or timed out, whichever the relayers reach first). Once both
 * pending lists are empty, every packet was received at most once, settled on its source
 * exactly once (acknowledged if and only if received, else timed out), and the applications
 * were called back once per settlement. The seed is printed; replay it with
 * {@code -Dchorus.relay.kill.seed=SEED}.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class RelayKillTest {
  private static final long SEED = Long.getLong("chorus.relay.kill.seed", System.nanoTime());
  private static final int ROUNDS = 6;

  @TempDir Path dir;

  @Test
  void relayersKilledAndRestartedAndTwoAtOnceSettleEachPacketOnce() throws Exception {
    System.out.println("RelayKillTest seed " + SEED + " (replay with -Dchorus.relay.kill.seed="
        + SEED + ")");
    Random random = new Random(SEED);
    try (TwoChains chains = TwoChains.start(dir)) {
      TwoChains.Chain a = chains.a;
      TwoChains.Chain b = chains.b;
      Process[] relayers = new Process[2];
      List<Path> logs = new ArrayList<>();
      List<byte[]> sentOnA = new ArrayList<>();
      List<byte[]> sentOnB = new ArrayList<>();
      try {
        for (int r = 0; r < 2; r++) {
          relayers[r] = start(chains, r, logs);
        }
        for (int round = 0; round < ROUNDS; round++) {
          wave(random, a, b, sentOnA, round == 0);
          wave(random, b, a, sentOnB, false);
          Thread.sleep(300 + random.nextInt(2_500));
          int victim = random.nextInt(2);
          relayers[victim].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          if (random.nextBoolean()) {
            Thread.sleep(random.nextInt(2_000));
          }
          relayers[victim] = start(chains, victim, logs);
        }
        sentOnA.forEach(a::mined);
        sentOnB.forEach(b::mined);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (a.pendingCount() + b.pendingCount() > 0) {
          assertTrue(System.nanoTime() < deadline, "seed " + SEED + ": " + a.pendingCount()
              + " packets still pending on A and " + b.pendingCount() + " on B after 180 s;"
              + " last relayer log:\n" + Files.readString(logs.get(logs.size() - 1)));
          for (int r = 0; r < 2; r++) {
            assertTrue(relayers[r].isAlive(), "relayer " + r + " exited: "
                + Files.readString(logs.get(logs.size() - 1)));
          }
          Thread.sleep(200);
        }
      } finally {
        for (Process relayer : relayers) {
          if (relayer != null) {
            relayer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          }
        }
      }
      Map<String, Long> aToB = TwoChains.assertSettledOnce(a, b);
      Map<String, Long> bToA = TwoChains.assertSettledOnce(b, a);
      long refusals = 0;
      for (Path log : logs) {
        refusals += Files.readAllLines(log).stream()
            .filter(l -> l.contains("refused, moving on")).count();
      }
      System.out.println("RelayKillTest seed " + SEED + ": " + ROUNDS + " kills, "
          + logs.size() + " relayer starts; A→B " + aToB + ", B→A " + bToA + "; "
          + refusals + " submissions refused as done or not yet provable");
      assertTrue(aToB.get("received") > 0 && aToB.get("timedOut") > 0,
          "A→B should have both received and timed-out packets: " + aToB);
      assertTrue(bToA.get("received") > 0, "B→A should have received packets: " + bToA);
    }
  }

  /**
   * One to three packets to the destination's app, sometimes one to an unregistered port (an
   * account) and one with a timeout a few seconds ahead (a block with transactions may move
   * the chain's time a second ahead, so not less); {@code unregistered} forces the former.
   */
  private static void wave(Random random, TwoChains.Chain source, TwoChains.Chain dest,
      List<byte[]> sent, boolean unregistered) {
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      sent.add(source.sendPacket(dest.app.toString(), 3_600, "packet " + sent.size()));
    }
    if (unregistered || random.nextInt(3) == 0) {
      sent.add(source.sendPacket(dest.operator.addressHex(), 6, "to no application"));
    }
    if (random.nextInt(3) == 0) {
      sent.add(source.sendPacket(dest.app.toString(), 6 + random.nextInt(3), "in a hurry"));
    }
  }

  /**
   * A relayer process with key {@code key}, its output in a new log; returns once it has
   * checked the clients and is about to pass, so that a kill lands in its work, not its start.
   */
  private Process start(TwoChains chains, int key, List<Path> logs) throws Exception {
    Path log = dir.resolve("relayer-" + logs.size() + ".log");
    logs.add(log);
    return chains.startRelayer(key, log);
  }
}
