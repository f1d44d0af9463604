package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.consensus.CommitCertificate;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.network.NetworkMember;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Four validators in one JVM on real sockets with mutual TLS: transactions sent to one member
 * are gossiped, finalized by BFT on all, each block stored with a commit certificate that
 * verifies against the genesis validators; a stopped validator leaves a quorum that goes on,
 * and it catches up by sync when it returns (sm chains: {@link SmNetworkTest}).
 */
class NetworkTest {
  static final BigInteger CHAIN_ID = BigInteger.valueOf(4242);
  static final byte[] SENDER_KEY = HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0);
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
  void fourValidatorsFinalizeTheSameBlocksAndARestartedOneCatchesUp() throws Exception {
    network = LocalNetwork.layOut(dir, suite, CHAIN_ID, MEMBERS, MEMBERS, Map.of(Address.of(
        suite.address(sender().publicKey())), Genesis.Allocation.funded(LocalNetwork.FUNDS)));
    for (int i = 0; i < MEMBERS; i++) {
      nodes[i] = network.start(i);
    }
    for (int nonce = 0; nonce < 20; nonce++) {
      nodes[nonce % 2].chain().submit(transfer(nonce));
    }
    await("all 20 transfers final on every member", () -> Arrays.stream(nodes)
        .allMatch(n -> nonceAtHead(n) == 20));
    long common = Arrays.stream(nodes).mapToLong(n -> n.chain().head().number()).min()
        .orElseThrow();
    for (long number = 1; number <= common; number++) {
      byte[] hash = nodes[0].chain().store().canonicalHash(number).orElseThrow();
      for (Node node : nodes) {
        assertArrayEquals(hash, node.chain().store().canonicalHash(number).orElseThrow(),
            "block " + number);
      }
      CommitCertificate certificate = CommitCertificate.decode(
          nodes[3].chain().store().finalityProof(number).orElseThrow());
      assertArrayEquals(hash, certificate.blockDigest());
      assertEquals(Optional.empty(), certificate.verify(
          NetworkMember.validatorSet(nodes[3].chain().genesis()),
          NetworkMember.verifier(nodes[3].chain())));
    }

    String status = rpc(nodes[2], "{\"jsonrpc\":\"2.0\",\"id\":1,"
        + "\"method\":\"chorus_nodeStatus\",\"params\":[]}");
    assertTrue(status.contains("\"validator\":true") && status.contains("\"peers\":3")
        && status.contains("\"syncEtaSeconds\""), status);
    // Certificates laid out for 30 days: 29 whole days left, node, organisation and root.
    assertTrue(status.contains("\"certificates\":{\"node\":{\"holder\":\"CN=node2,OU=node,"
        + "O=org2\"") && status.contains("\"daysToExpiry\":29"), status);
    String proof = rpc(nodes[2], "{\"jsonrpc\":\"2.0\",\"id\":1,"
        + "\"method\":\"chorus_getFinalityProof\",\"params\":[\"0x1\"]}");
    assertTrue(proof.contains(Hex.encode(nodes[2].chain().store().finalityProof(1).orElseThrow())),
        proof);
    String metrics = get(nodes[2], "/metrics");
    assertTrue(metrics.contains("chorus_consensus_height ")
        && metrics.contains("chorus_p2p_oversize_frames_total")
        && metrics.contains("chorus_rpc_paced_answers 0.0")
        && metrics.contains("chorus_rpc_paced_answers_held_total 0.0")
        && metrics.contains("chorus_tls_certificate_days_to_expiry{certificate=\"node\"} 29.0")
        && metrics.contains("chorus_tls_certificate_days_to_expiry{certificate=\"root\"} 29.0"),
        metrics);

    network.stop(3);
    nodes[3] = null;
    long before = nodes[0].chain().head().number();
    for (int nonce = 20; nonce < 30; nonce++) {
      nodes[0].chain().submit(transfer(nonce));
    }
    await("three of four go on", () -> nonceAtHead(nodes[0]) == 30
        && nodes[1].chain().head().number() > before);
    nodes[3] = network.start(3);
    await("the returning validator syncs to the others' head",
        () -> nonceAtHead(nodes[3]) == 30);
  }

  private static String rpc(Node node, String body) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(node.rpcUrl())).header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private static String get(Node node, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(node.rpcUrl() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  private long nonceAtHead(Node node) {
    Blockchain chain = node.chain();
    var account = chain.stateAt(chain.head()).account(Address.of(suite.address(
        sender().publicKey())));
    return account == null ? 0 : account.nonce();
  }

  private KeyPair sender() {
    return suite.keyPair(SENDER_KEY);
  }

  private Transaction transfer(long nonce) {
    return TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE, CHAIN_ID, nonce,
        BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 21_000,
        Address.parse("0x" + "77".repeat(20)).toArray(), BigInteger.ONE, new byte[0], List.of(),
        BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
        new byte[0]), sender(), suite);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
    assertTrue(condition.getAsBoolean());
  }
}
