package io.chorus.p2p;

import static io.chorus.p2p.TestNet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.CryptoSuite;
import io.chorus.p2p.NetworkCounters.Counter;
import io.chorus.p2p.tls.ChainCa;
import io.chorus.p2p.tls.RevocationFile;
import io.chorus.p2p.tls.Role;
import io.chorus.p2p.tls.TlsCredentials;
import io.chorus.p2p.tls.TlsDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Goal: the consortium PKI decides who joins, in both suites' TLS: only nodes of member
 * organisations in a node role are admitted, a revoked node is disconnected and stays out,
 * and a node's certificate rotates without a restart or a lost connection. Method: real
 * PeerNetworks on 127.0.0.1 with credentials from organisation CAs, a revocation file and a
 * TLS directory on disk changed while they run.
 */
class PkiTest {
  private static final Instant NOW = Instant.now();
  private static final Instant BEFORE = NOW.minus(Duration.ofHours(1));
  private static final Instant AFTER = NOW.plus(Duration.ofDays(1));

  @Test
  void organisationCaNotCertifiedByTheConsortiumIsRefused() throws Exception {
    try (TestNet net = new TestNet(CryptoSuite.sm())) {
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of()),
          new TestNet.Recorder());
      // Same organisation name, same algorithm, but its CA was certified by another root.
      ChainCa rogueRoot = TestNet.newCa("Test chain CA", CryptoSuite.sm());
      TlsCredentials rogue = TestNet.node(rogueRoot, "a", BEFORE, AFTER);
      PeerNetwork x = net.start(TestNet.config(rogue, 0, TestNet.endpoints(a.boundPort())),
          new TestNet.Recorder());
      await("refused", () -> a.counters().get(Counter.TLS_FAILURES) >= 1
          && x.counters().get(Counter.TLS_FAILURES) >= 1);
      assertEquals(Set.of(), a.connectedPeers());
    }
  }

  @Test
  void memberCertificateOfAnotherRoleIsRefused() throws Exception {
    try (TestNet net = new TestNet()) {
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of()),
          new TestNet.Recorder());
      ChainCa org = net.ca.issueOrganisation("Org user", BEFORE, AFTER, TestNet.RANDOM);
      ChainCa.UserCredentials user = org.issueUser("alice", Role.DEPLOYER, Optional.empty(),
          BEFORE, AFTER, TestNet.RANDOM);
      TlsCredentials asNode = new TlsCredentials(net.ca.certificate(), user.certificate(),
          user.organisation(), user.key());
      try (SSLSocket socket = TestNet.tlsClient(net.ca.certificate(), asNode, a.boundPort())) {
        TestNet.awaitClosedByServer(socket);
      } catch (javax.net.ssl.SSLException refusedInHandshake) {
        // Equally a refusal.
      }
      await("counted", () -> a.counters().get(Counter.TLS_FAILURES) == 1);
      assertEquals(0, a.connectedPeers().size());
    }
  }

  @Test
  void revokedPeerIsDisconnectedAndKeptOut(@TempDir Path dir) throws Exception {
    try (TestNet net = new TestNet(CryptoSuite.sm())) {
      Path list = dir.resolve(RevocationFile.FILE_NAME);
      TestNet.Recorder aSeen = new TestNet.Recorder();
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of())
          .withRevocations(new RevocationFile(list)), aSeen);
      TlsCredentials bCredentials = net.node("b");
      TestNet.Recorder bSeen = new TestNet.Recorder();
      PeerNetwork b = net.start(TestNet.config(bCredentials, 0,
          TestNet.endpoints(a.boundPort())), bSeen);
      ByteKey bAddress = b.localAddress();
      String fromB = " from " + bAddress;
      await("connected", () -> a.isConnected(bAddress) && b.isConnected(a.localAddress()));
      assertTrue(b.send(a.localAddress(), 1, new byte[] {1}));
      assertEquals(List.of("01" + fromB), aSeen.awaitReceived(1, 1));

      RevocationFile.append(list, bCredentials.nodeCertificate());
      await("disconnected", () -> !a.isConnected(bAddress) && !b.isConnected(a.localAddress()));
      assertEquals(1, a.counters().get(Counter.REVOKED_PEERS));
      // b keeps redialing; every attempt is refused in the handshake, so b holds no connection
      // to queue a message on.
      long refusals = a.counters().get(Counter.TLS_FAILURES);
      await("redial refused", () -> a.counters().get(Counter.TLS_FAILURES) > refusals + 1);
      assertEquals(0, b.broadcast(1, new byte[] {2}), "queued for a peer that revoked b");
      assertTrue(a.connectedPeers().isEmpty());

      // Lifting the revocation readmits it. What b sends now arrives; what it sent while
      // revoked never does (had it been kept for later, it would arrive first).
      Files.writeString(list, "# nothing revoked\n");
      await("readmitted", () -> a.isConnected(bAddress) && b.isConnected(a.localAddress()));
      assertTrue(b.send(a.localAddress(), 1, new byte[] {3}));
      assertEquals(List.of("01" + fromB, "03" + fromB), aSeen.awaitReceived(1, 2));
    }
  }

  @Test
  void rotationKeepsConnectionsAndNewHandshakesPresentTheNewCertificate(@TempDir Path dir)
      throws Exception {
    try (TestNet net = new TestNet()) {
      ChainCa org = net.ca.issueOrganisation("Org a", BEFORE, AFTER, TestNet.RANDOM);
      TlsCredentials first = TestNet.node(org, "a", null, BEFORE, AFTER);
      first.save(dir);
      TestNet.Recorder aSeen = new TestNet.Recorder();
      PeerNetwork a = net.start(TestNet.config(first, 0, List.of())
          .withCredentials(new TlsDirectory(dir)), aSeen);
      PeerNetwork b = net.start(TestNet.config(net.node("b"), 0,
          TestNet.endpoints(a.boundPort())), new TestNet.Recorder());
      await("b connected", () -> b.isConnected(a.localAddress()));
      assertEquals(first.nodeCertificate(), b.peerCertificates(a.localAddress()).get(0));

      // Same consensus key, new TLS key and certificate, written as 'chorus ca rotate' does.
      TlsCredentials second = TestNet.node(org, "a", first.identity().publicKey(), BEFORE,
          AFTER.plus(Duration.ofDays(30)));
      second.save(dir);
      await("rotated", () -> a.credentials().equals(second));
      assertTrue(b.isConnected(a.localAddress()), "the open connection survives rotation");
      assertEquals(0, a.counters().get(Counter.TLS_FAILURES));

      PeerNetwork c = net.start(TestNet.config(net.node("c"), 0,
          TestNet.endpoints(a.boundPort())), new TestNet.Recorder());
      await("c connected", () -> c.isConnected(a.localAddress()));
      assertEquals(second.nodeCertificate(), c.peerCertificates(a.localAddress()).get(0));
      assertNotEquals(first.nodeCertificate(), second.nodeCertificate());
      assertTrue(b.send(a.localAddress(), 5, new byte[] {5}));
      assertTrue(c.send(a.localAddress(), 5, new byte[] {6}));
      assertEquals(Set.of("05 from " + b.localAddress(), "06 from " + c.localAddress()),
          Set.copyOf(aSeen.awaitReceived(5, 2)), "both deliver over the rotated certificate");
    }
  }
}
