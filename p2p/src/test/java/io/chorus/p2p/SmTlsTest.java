package io.chorus.p2p;

import static io.chorus.p2p.TestNet.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.CryptoSuite;
import io.chorus.p2p.NetworkCounters.Counter;
import io.chorus.p2p.tls.ChainCa;
import io.chorus.p2p.tls.ConsensusIdentity;
import io.chorus.p2p.tls.TlsCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Goal: nodes of an {@code sm} chain talk over ShangMi TLS (RFC 8998's TLS_SM4_GCM_SM3 with SM2
 * certificates), and a node of an {@code ethereum} chain cannot join them. Method: real sockets
 * on 127.0.0.1 between PeerNetworks with SM2 credentials of one consortium; the negotiated
 * suite is read from the connection.
 */
class SmTlsTest {

  @Test
  void smPairConnectsOverSm4GcmSm3AndExchangesMessages() throws Exception {
    try (TestNet net = new TestNet(CryptoSuite.sm())) {
      TestNet.Recorder aSeen = new TestNet.Recorder();
      TlsCredentials aCredentials = net.node("a");
      PeerNetwork a = net.start(TestNet.config(aCredentials, 0, List.of()), aSeen);
      TestNet.Recorder bSeen = new TestNet.Recorder();
      PeerNetwork b = net.start(TestNet.config(net.node("b"), 0,
          TestNet.endpoints(a.boundPort())), bSeen);
      ByteKey aAddress = TestNet.address(aCredentials);
      await("connected", () -> b.isConnected(aAddress) && a.isConnected(b.localAddress()));

      assertEquals("TLS_SM4_GCM_SM3", b.cipherSuite(aAddress));
      assertEquals("TLS_SM4_GCM_SM3", a.cipherSuite(b.localAddress()));
      byte[] payload = new byte[100_000];
      new java.util.Random(7).nextBytes(payload);
      assertTrue(b.send(aAddress, 3, payload));
      a.send(b.localAddress(), 4, new byte[] {1, 2, 3});
      await("delivered", () -> aSeen.count(3) == 1 && bSeen.count(4) == 1);
      assertArrayEquals(payload, aSeen.messages.peek().payload());
      assertEquals(0, a.counters().get(Counter.TLS_FAILURES));
    }
  }

  @Test
  void smNodeWithP256CertificateDoesNotStart() {
    ChainCa p256Org = TestNet.newCa("P-256 CA").issueOrganisation("Org", Instant.now(),
        Instant.now().plus(Duration.ofDays(1)), TestNet.RANDOM);
    TlsCredentials credentials = p256Org.issueNode("a", new ConsensusIdentity("sm",
        CryptoSuite.sm().generateKeyPair(TestNet.RANDOM).publicKey()), Instant.now(),
        Instant.now().plus(Duration.ofDays(1)), TestNet.RANDOM);
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> PeerNetwork.start(TestNet.config(credentials, 0, List.of()),
            new TestNet.Recorder()));
    assertTrue(refused.getMessage().contains("has a P256 key, but sm chains use SM2"),
        refused.getMessage());
  }

  @Test
  void ethereumNodeCannotJoinAnSmNetwork() throws Exception {
    try (TestNet sm = new TestNet(CryptoSuite.sm()); TestNet ethereum = new TestNet()) {
      PeerNetwork a = sm.start(TestNet.config(sm.node("a"), 0, List.of()),
          new TestNet.Recorder());
      PeerNetwork x = ethereum.start(TestNet.config(ethereum.node("x"), 0,
          TestNet.endpoints(a.boundPort())), new TestNet.Recorder());
      await("refused both ways", () -> a.counters().get(Counter.TLS_FAILURES) >= 1
          && x.counters().get(Counter.TLS_FAILURES) >= 1);
      assertEquals(Set.of(), a.connectedPeers());
      assertEquals(Set.of(), x.connectedPeers());
    }
  }
}
