package io.chorus.bench;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Signature;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * CPU time per SM2 check of one repeated key and signature, read from the thread's CPU clock:
 * on a shared machine JMH's wall-clock figures swing by more than the changes measured here.
 * Prints one line per round of 3,000 checks.
 *
 * <pre>java [-XX:TieredStopAtLevel=1] -cp bench/target/chorus-bench.jar \
 *     io.chorus.bench.Sm2CheckCpu [ROUNDS (8)]</pre>
 */
public final class Sm2CheckCpu {
  private static final int CHECKS_PER_ROUND = 3_000;

  private Sm2CheckCpu() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 8;
    CryptoSuite sm = CryptoSuite.sm();
    SplittableRandom random = new SplittableRandom(1);
    byte[] privateKey = new byte[32];
    random.nextBytes(privateKey);
    privateKey[0] &= 0x7f; // below n
    KeyPair keys = sm.keyPair(privateKey);
    byte[] digest = new byte[32];
    random.nextBytes(digest);
    Signature signature = sm.sign(digest, keys);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int round = 1; round <= rounds; round++) {
      long start = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < CHECKS_PER_ROUND; i++) {
        if (!sm.verify(digest, signature, keys.publicKey())) {
          throw new IllegalStateException("a valid signature failed to verify");
        }
      }
      double micros = (threads.getCurrentThreadCpuTime() - start) / 1e3 / CHECKS_PER_ROUND;
      System.out.printf("round %d: %.1f us of CPU per SM2 check%n", round, micros);
    }
  }
}
