package io.chorus.p2p;

import static io.chorus.p2p.TestNet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.crypto.CryptoSuite;
import io.chorus.p2p.NetworkCounters.Counter;
import io.chorus.p2p.tls.ChainCa;
import io.chorus.p2p.tls.CredentialSource;
import io.chorus.p2p.tls.RevocationSource;
import io.chorus.p2p.tls.TlsCredentials;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: only nodes certified by the chain CA, on the same chain, become peers; everything else
 * is refused, counted, and harmless. Method: a listening node and, against it, a node of
 * another CA, an expired one (in either suite's TLS), plain TLS and TCP clients, and nodes of
 * another chain.
 */
class AdmissionTest {

  @Test
  void nodeCertifiedByAnotherCaIsRefused() throws Exception {
    try (TestNet net = new TestNet()) {
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of()),
          new TestNet.Recorder());
      ChainCa other = TestNet.newCa("Another chain CA");
      Instant now = Instant.now();
      TlsCredentials stranger = TestNet.node(other, "stranger", now.minus(Duration.ofHours(1)),
          now.plus(Duration.ofDays(1)));
      PeerNetwork x = net.start(TestNet.config(stranger, 0, TestNet.endpoints(a.boundPort())),
          new TestNet.Recorder());
      await("refused both ways", () -> a.counters().get(Counter.TLS_FAILURES) >= 1
          && x.counters().get(Counter.TLS_FAILURES) >= 1);
      assertEquals(Set.of(), a.connectedPeers());
      assertEquals(Set.of(), x.connectedPeers());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"ethereum", "sm"})
  void expiredCertificateIsRefused(String suite) throws Exception {
    try (TestNet net = new TestNet(CryptoSuite.byName(suite))) {
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of()),
          new TestNet.Recorder());
      Instant now = Instant.now();
      TlsCredentials expired = TestNet.node(net.ca, "expired", now.minus(Duration.ofDays(2)),
          now.minus(Duration.ofDays(1)));
      PeerNetwork x = net.start(TestNet.config(expired, 0, TestNet.endpoints(a.boundPort())),
          new TestNet.Recorder());
      await("refused", () -> a.counters().get(Counter.TLS_FAILURES) >= 1);
      assertEquals(Set.of(), a.connectedPeers());
      assertEquals(Set.of(), x.connectedPeers());
    }
  }

  @Test
  void tlsClientWithoutCertificateIsRefused() throws Exception {
    try (TestNet net = new TestNet()) {
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of()),
          new TestNet.Recorder());
      // TLS 1.3 lets the client finish its side; the server then refuses and closes.
      try (SSLSocket socket = TestNet.tlsClient(net.ca.certificate(), null, a.boundPort())) {
        TestNet.awaitClosedByServer(socket);
      } catch (javax.net.ssl.SSLException refusedInHandshake) {
        // Equally a refusal.
      }
      await("counted", () -> a.counters().get(Counter.TLS_FAILURES) == 1);
      assertEquals(0, a.connectedPeers().size());
    }
  }

  @Test
  void rawTcpGarbageIsDroppedAndCounted() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Recorder recorder = new TestNet.Recorder();
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of()), recorder);
      try (Socket socket = new Socket(TestNet.HOST, a.boundPort())) {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[1024];
        while (in.read(buffer) >= 0) {
          // Whatever the server says before it hangs up (a TLS alert at most).
        }
      } catch (java.net.SocketException reset) {
        // Closed by a reset: dropped, as expected.
      }
      await("counted", () -> a.counters().get(Counter.TLS_FAILURES) == 1);
      await("closed", () -> a.openConnections() == 0);
      assertEquals(Set.of(), recorder.connected);
    }
  }

  @Test
  void nodesOfAnotherChainIdOrGenesisAreRefusedAtHello() throws Exception {
    try (TestNet net = new TestNet()) {
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of()),
          new TestNet.Recorder());
      NetworkConfig sameChain = TestNet.config(net.node("b"), 0,
          TestNet.endpoints(a.boundPort()));
      NetworkConfig otherChainId = new NetworkConfig(TestNet.HOST, 0, sameChain.staticPeers(),
          TestNet.CHAIN_ID + 1, TestNet.GENESIS, CryptoSuite.ethereum(),
          sameChain.credentials(), 1, TestNet.LIMITS, RevocationSource.NONE);
      PeerNetwork b = net.start(otherChainId, new TestNet.Recorder());
      await("chain id refused", () -> a.counters().get(Counter.HELLO_REJECTED) >= 1
          && b.counters().get(Counter.HELLO_REJECTED) >= 1);

      byte[] otherGenesis = TestNet.GENESIS.clone();
      otherGenesis[31] ^= 1;
      NetworkConfig otherGenesisConfig = new NetworkConfig(TestNet.HOST, 0,
          sameChain.staticPeers(), TestNet.CHAIN_ID, otherGenesis, CryptoSuite.ethereum(),
          CredentialSource.fixed(net.node("c")), 1, TestNet.LIMITS, RevocationSource.NONE);
      PeerNetwork c = net.start(otherGenesisConfig, new TestNet.Recorder());
      long before = a.counters().get(Counter.HELLO_REJECTED);
      await("genesis refused", () -> a.counters().get(Counter.HELLO_REJECTED) > before
          && c.counters().get(Counter.HELLO_REJECTED) >= 1);
      assertEquals(Set.of(), a.connectedPeers());
      assertTrue(b.connectedPeers().isEmpty() && c.connectedPeers().isEmpty());
    }
  }
}
