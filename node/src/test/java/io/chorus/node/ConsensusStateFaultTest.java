package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.codec.ByteKey;
import io.chorus.consensus.CommitCertificate;
import io.chorus.crypto.CryptoSuite;
import io.chorus.network.StateWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator that cannot rely on its consensus state does not vote, and says so, while the
 * others go on. Method: 4 validators in one JVM on TLS sockets. Validator 2 starts with both
 * state slots rotten: it abstains at height 1 and joins from height 2. Validator 3 writes its
 * state through a writer the test breaks after a few blocks: from the height of the failed
 * write on no certificate carries its seal, status and metrics say it halted and why, it
 * follows the chain by sync, and the other three (validator 2 among them, so it votes) finalize
 * on. Restarted with a working disk, it votes again.
 */
class ConsensusStateFaultTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int MEMBERS = 4;

  @TempDir Path dir;
  final CryptoSuite suite = CryptoSuite.ethereum();
  final Node[] nodes = new Node[MEMBERS];
  LocalNetwork network;

  @AfterEach
  void stop() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  void aMemberWithoutDurableStateStopsVotingVisiblyAndTheOthersGoOn() throws Exception {
    network = LocalNetwork.layOut(dir, suite, NetworkTest.CHAIN_ID, MEMBERS, MEMBERS, Map.of());
    for (int slot = 0; slot < 2; slot++) {
      Files.write(dir.resolve("node2").resolve("consensus-state." + slot), new byte[64]);
    }
    nodes[2] = network.start(2);
    JsonNode abstaining = memberStatus(nodes[2]);
    assertEquals(1, abstaining.path("abstainThroughHeight").asLong(), abstaining.toString());
    assertFalse(abstaining.path("validator").asBoolean(), abstaining.toString());

    AtomicBoolean diskBroken = new AtomicBoolean();
    AtomicLong failedAtHeight = new AtomicLong(Long.MAX_VALUE);
    nodes[3] = network.start(3, file -> state -> {
      if (diskBroken.get()) {
        failedAtHeight.compareAndSet(Long.MAX_VALUE, state.height());
        throw new IOException("Operation not permitted");
      }
      file.write(state);
    });
    nodes[0] = network.start(0);
    nodes[1] = network.start(1);
    await("three blocks", () -> nodes[0].chain().head().number() >= 3);
    assertFalse(sealers(nodes[0], 1).contains(address(2)), "validator 2 sealed block 1");
    assertTrue(memberStatus(nodes[2]).path("validator").asBoolean(), "2 votes from height 2");

    diskBroken.set(true);
    await("validator 3's failed write", () -> failedAtHeight.get() != Long.MAX_VALUE);
    long failed = failedAtHeight.get();
    await("six blocks past it", () -> nodes[0].chain().head().number() >= failed + 6);
    for (long h = failed + 1; h <= failed + 6; h++) { // at failed, votes before the write
      assertFalse(sealers(nodes[0], h).contains(address(3)), "validator 3 sealed block " + h);
      assertTrue(sealers(nodes[0], h).contains(address(2)), "block " + h + " without 2");
    }
    JsonNode halted = memberStatus(nodes[3]);
    assertTrue(halted.path("consensusHalted").asBoolean(), halted.toString());
    assertTrue(halted.path("consensusHaltReason").asText().contains("Operation not permitted"),
        halted.toString());
    assertFalse(halted.path("validator").asBoolean(), halted.toString());
    assertTrue(get(nodes[3], "/metrics").contains("chorus_consensus_halted 1.0"));
    assertTrue(get(nodes[0], "/metrics").contains("chorus_consensus_halted 0.0"));
    long head = nodes[0].chain().head().number();
    await("validator 3 following by sync", () -> nodes[3].chain().head().number() >= head);

    network.stop(3);
    nodes[3] = network.start(3);
    await("validator 3 voting again", () -> memberStatus(nodes[3]).path("validator")
        .asBoolean());
    assertFalse(memberStatus(nodes[3]).path("consensusHalted").asBoolean());
  }

  /** Who sealed block {@code number}, by its stored certificate. */
  private static Set<ByteKey> sealers(Node node, long number) {
    Set<ByteKey> sealers = new HashSet<>();
    CommitCertificate.decode(node.chain().store().finalityProof(number).orElseThrow()).seals()
        .forEach(seal -> sealers.add(seal.address()));
    return sealers;
  }

  private ByteKey address(int member) {
    return new ByteKey(suite.address(network.keys[member].publicKey()));
  }

  private static JsonNode memberStatus(Node node) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(node.rpcUrl())).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,"
              + "\"method\":\"chorus_nodeStatus\",\"params\":[]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body()).path("result").path("network");
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("chorus_nodeStatus: " + e, e);
    }
  }

  private static String get(Node node, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(node.rpcUrl() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
