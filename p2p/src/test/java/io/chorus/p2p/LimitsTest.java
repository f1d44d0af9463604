package io.chorus.p2p;

import static io.chorus.p2p.TestNet.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.ByteKey;
import io.chorus.p2p.NetworkCounters.Counter;
import io.chorus.p2p.tls.TlsCredentials;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Goal: every bound holds against a misbehaving but certified peer, and what it breaks is
 * counted. Method: a bare TLS client holding a valid node certificate writes frames by hand;
 * two real networks for rates; pure checks for the limits' relations and the token bucket.
 */
class LimitsTest {
  private static final int SMALL_FRAME_BYTES_MAX = 64 * 1024;

  // A certified client that has completed the hello exchange with the node on port.
  private static SSLSocket helloed(TestNet net, TlsCredentials client, int port)
      throws Exception {
    SSLSocket socket = TestNet.tlsClient(net.ca.certificate(), client, port);
    Hello hello = new Hello(Wire.PROTOCOL_VERSION, TestNet.CHAIN_ID, TestNet.GENESIS,
        TestNet.address(client));
    TestNet.writeFrame(socket.getOutputStream(), Wire.TYPE_HELLO, hello.encode());
    return socket;
  }

  @Test
  void malformedFramesAreDroppedAndCountedAndTheConnectionSurvives() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Recorder recorder = new TestNet.Recorder();
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of()), recorder);
      TlsCredentials client = net.node("client");
      try (SSLSocket socket = helloed(net, client, a.boundPort())) {
        await("connected", () -> a.isConnected(addressOf(client)));
        OutputStream out = socket.getOutputStream();
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(1);
        data.writeByte(0);
        data.flush();
        TestNet.writeFrame(out, 0xFF7F, new byte[] {1});
        TestNet.writeFrame(out, Wire.TYPE_HELLO, new byte[] {1});
        TestNet.writeFrame(out, 5, new byte[] {5, 5});
        await("message after the bad frames", () -> recorder.count(5) == 1);
        assertEquals(3, a.counters().get(Counter.MALFORMED_FRAMES));
        assertTrue(a.isConnected(addressOf(client)));
      }
    }
  }

  @Test
  void oversizeFrameIsCountedAndClosesTheConnection() throws Exception {
    try (TestNet net = new TestNet()) {
      TestNet.Recorder recorder = new TestNet.Recorder();
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of())
          .withLimits(TestNet.LIMITS.withFrameBytesMax(SMALL_FRAME_BYTES_MAX)), recorder);
      TlsCredentials client = net.node("client");
      try (SSLSocket socket = helloed(net, client, a.boundPort())) {
        ByteKey peer = addressOf(client);
        await("connected", () -> a.isConnected(peer));
        try {
          TestNet.writeFrame(socket.getOutputStream(), 1, new byte[SMALL_FRAME_BYTES_MAX]);
        } catch (java.net.SocketException closedMidFrame) {
          // The server closes on reading the length prefix; the rest of the frame (several
          // TLS records) may then meet a closed socket.
        }
        TestNet.awaitClosedByServer(socket);
        await("counted and gone", () -> a.counters().get(Counter.OVERSIZE_FRAMES) == 1
            && !a.isConnected(peer) && recorder.disconnects.contains(peer));
        assertEquals(0, recorder.count(1));
      }
    }
  }

  @Test
  void rateLimitDropsAndCountsTheExcess() throws Exception {
    try (TestNet net = new TestNet()) {
      int perSecond = 20;
      int sent = 200;
      TestNet.Recorder recorder = new TestNet.Recorder();
      PeerNetwork b = net.start(TestNet.config(net.node("b"), 0, List.of())
          .withLimits(TestNet.LIMITS.withRates(perSecond, 1 << 20)), recorder);
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0,
          TestNet.endpoints(b.boundPort())), new TestNet.Recorder());
      await("connected", () -> a.isConnected(b.localAddress()));
      for (int i = 0; i < sent; i++) {
        assertTrue(a.send(b.localAddress(), 2, new byte[] {(byte) i}));
      }
      await("all accounted for", () -> recorder.count(2)
          + b.counters().get(Counter.RATE_LIMITED_FRAMES) == sent);
      long limited = b.counters().get(Counter.RATE_LIMITED_FRAMES);
      assertTrue(limited >= sent - 3L * perSecond, "limited " + limited);
      assertTrue(recorder.count(2) >= perSecond, "the burst passes");
    }
  }

  @Test
  void outboundQueueDropsOldestWhenFull() throws Exception {
    try (TestNet net = new TestNet()) {
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of())
          .withLimits(TestNet.LIMITS.withFrameBytesMax(SMALL_FRAME_BYTES_MAX)
              .withOutboundQueue(4, SMALL_FRAME_BYTES_MAX)), new TestNet.Recorder());
      TlsCredentials client = net.node("slow");
      // A peer that never reads: the socket buffers fill, then a's queue overflows.
      try (SSLSocket socket = helloed(net, client, a.boundPort())) {
        ByteKey peer = addressOf(client);
        await("connected", () -> a.isConnected(peer));
        byte[] payload = new byte[SMALL_FRAME_BYTES_MAX / 2];
        await("overflow counted", () -> {
          for (int i = 0; i < 64; i++) {
            a.send(peer, 1, payload);
          }
          return a.counters().get(Counter.OUTBOUND_DROPPED) > 0;
        });
        assertTrue(a.isConnected(peer), "a slow peer is not disconnected");
        assertTrue(socket.isConnected());
      }
    }
  }

  @Test
  void misuseOfSendIsAnError() throws Exception {
    try (TestNet net = new TestNet()) {
      PeerNetwork a = net.start(TestNet.config(net.node("a"), 0, List.of())
          .withLimits(TestNet.LIMITS.withFrameBytesMax(SMALL_FRAME_BYTES_MAX)),
          new TestNet.Recorder());
      ByteKey nobody = new ByteKey(new byte[20]);
      assertThrows(IllegalArgumentException.class,
          () -> a.send(nobody, PeerNetwork.MESSAGE_TYPE_MAX + 1, new byte[0]));
      assertThrows(IllegalArgumentException.class,
          () -> a.broadcast(1, new byte[SMALL_FRAME_BYTES_MAX]));
      assertEquals(false, a.send(nobody, 1, new byte[1]));
      assertEquals(1, a.counters().get(Counter.SEND_NO_PEER));
    }
  }

  @Test
  void limitsRejectInconsistentBounds() {
    PeerLimits defaults = PeerLimits.defaults();
    assertThrows(IllegalArgumentException.class,
        () -> defaults.withOutboundQueue(10, defaults.frameBytesMax() - 1));
    assertThrows(IllegalArgumentException.class,
        () -> defaults.withInboundQueue(10, defaults.frameBytesMax() - 1));
    assertThrows(IllegalArgumentException.class, () -> defaults.withFrameBytesMax(2));
    assertThrows(IllegalArgumentException.class,
        () -> defaults.withReconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertTrue(defaults.bytesBurstMax() >= defaults.frameBytesMax());
    assertEquals(16 << 20, defaults.frameBytesMax());
  }

  @Test
  void tokenBucketRefillsAtItsRateUpToItsCapacity() {
    AtomicLong now = new AtomicLong();
    TokenBucket bucket = new TokenBucket(10, 5, now::get);
    assertTrue(bucket.tryTake(10));
    assertTrue(!bucket.tryTake(1));
    now.addAndGet(200_000_000L);
    assertTrue(bucket.tryTake(1));
    assertTrue(!bucket.tryTake(1));
    now.addAndGet(60_000_000_000L);
    assertTrue(bucket.tryTake(10));
    assertTrue(!bucket.tryTake(1), "capacity caps the refill");
  }

  @Test
  void redialDelayDoublesUpToItsCap() {
    PeerLimits limits = PeerLimits.defaults()
        .withReconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(10));
    assertEquals(100, StaticPeers.delayMillis(0, limits));
    assertEquals(200, StaticPeers.delayMillis(1, limits));
    assertEquals(6_400, StaticPeers.delayMillis(6, limits));
    assertEquals(10_000, StaticPeers.delayMillis(7, limits));
    assertEquals(10_000, StaticPeers.delayMillis(Integer.MAX_VALUE, limits));
  }

  private static ByteKey addressOf(TlsCredentials credentials) {
    try {
      return TestNet.address(credentials);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
