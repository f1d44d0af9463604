package io.chorus.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.consensus.Config;
import io.chorus.consensus.CryptoSigner;
import io.chorus.consensus.Message;
import io.chorus.consensus.MessageCodec;
import io.chorus.consensus.QbftCore;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A validator whose consensus state can no longer be made durable stops voting at once: no
 * message it signs leaves after the failed write, it says why, and it stays stopped while the
 * chain and the clock go on. Method: a single validator finalizes blocks on its own every few
 * milliseconds through the real driver and chain (two writes a block: the new height's round,
 * then the prepared block); from one write on, the state writer fails as a full or read-only
 * disk would: a round's write, after which the core would propose and prepare in that round, or
 * a prepared block's, after which it would commit. Every write and every consensus message sent
 * goes to one log, in the order the driver did them.
 */
class ConsensusHaltTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final KeyPair KEYS =
      SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 3));
  static final Config TIMING = new Config(10, 0, 2_000, 60_000);

  @TempDir Path dir;

  @ParameterizedTest(name = "{0} writes before the failure")
  @ValueSource(ints = {9, 10}) // the 10th write is a prepared block's, the 11th a round's
  void aFailedStateWriteStopsTheValidatorBeforeItSignsAnythingMore(int writesBeforeFailure)
      throws Exception {
    Genesis genesis = new Genesis(BigInteger.valueOf(78), SUITE.name(), Genesis.FeeMode.ZERO,
        30_000_000, 10, 0, new byte[0], List.of(KEYS.publicKey()), Map.of());
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger writes = new AtomicInteger();
    StateWriter failing = state -> {
      if (writes.incrementAndGet() > writesBeforeFailure) {
        log.add("write failed at height " + state.height() + " round " + state.round());
        throw new IOException("No space left on device");
      }
      log.add("wrote height " + state.height() + " round " + state.round());
    };
    Peers recording = new Peers() {
      @Override
      public void broadcast(int type, byte[] payload) {
        if (type == MessageType.CONSENSUS) {
          Message sent = MessageCodec.decode(payload).payload();
          log.add("sent " + sent.getClass().getSimpleName() + " of height " + sent.height()
              + " round " + sent.round());
        }
      }

      @Override
      public boolean send(ByteKey peer, int type, byte[] payload) {
        return true;
      }
    };
    try (Blockchain chain = Blockchain.open(dir, genesis, TxPool.Limits.defaults())) {
      ValidatorSchedule validators = new GovernedValidators(chain);
      ChainBlockSource blocks = new ChainBlockSource(chain,
          Address.of(SUITE.address(KEYS.publicKey())));
      ConsensusDriver driver = new ConsensusDriver(chain, blocks, validators, height -> TIMING,
          next -> QbftCore.create(TIMING, new CryptoSigner(SUITE, KEYS),
              NetworkMember.verifier(chain), blocks, next, validators.at(next)),
          failing, java.time.InstantSource.system());
      driver.start(recording, new BlockSync(chain, validators, NetworkMember.verifier(chain),
          driver, recording));
      try {
        await("the failed write", () -> writes.get() > writesBeforeFailure);
        long headAtFailure = chain.head().number();
        Thread.sleep(20 * TIMING.blockIntervalMillis()); // time for twenty more blocks

        List<String> order = List.copyOf(log);
        int failed = order.indexOf(order.stream().filter(e -> e.startsWith("write failed"))
            .findFirst().orElseThrow());
        assertTrue(order.subList(0, failed).stream().anyMatch(e -> e.startsWith("sent")),
            "it voted before the failure: " + order);
        assertEquals(List.of(), order.subList(failed + 1, order.size()),
            "after the failed write: " + order.get(failed));
        assertEquals(writesBeforeFailure + 1, writes.get(), "it kept trying to write");
        assertEquals(headAtFailure, chain.head().number(), "it finalized blocks after the halt");
        String reason = driver.haltReason().orElseThrow();
        assertTrue(reason.contains("No space left on device") && reason.contains("restart"),
            reason);
      } finally {
        driver.stop();
      }
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }
}
