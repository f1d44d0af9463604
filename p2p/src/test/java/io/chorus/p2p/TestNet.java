package io.chorus.p2p;

import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.p2p.tls.ChainCa;
import io.chorus.p2p.tls.ConsensusIdentity;
import io.chorus.p2p.tls.CredentialSource;
import io.chorus.p2p.tls.RevocationSource;
import io.chorus.p2p.tls.TlsCredentials;
import io.chorus.p2p.tls.TlsKeyAlgorithm;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * Test fixture: one consortium root in the suite's certificate algorithm, node credentials
 * issued by an organisation CA of it (one organisation per node), networks on 127.0.0.1 closed
 * at the end, a recording listener and a deadline-bounded wait.
 */
final class TestNet implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();
  static final long CHAIN_ID = 1337;
  static final byte[] GENESIS = filled((byte) 0x11);
  static final String HOST = "127.0.0.1";
  private static final Duration WAIT_MAX = Duration.ofSeconds(15);

  /** Limits for quick tests: fast redials and timeouts. */
  static final PeerLimits LIMITS = PeerLimits.defaults()
      .withReconnectDelay(Duration.ofMillis(20), Duration.ofMillis(300))
      .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(30));

  final CryptoSuite suite;
  final ChainCa ca;
  private final List<PeerNetwork> started = new ArrayList<>();

  /** An ethereum-suite consortium. */
  TestNet() {
    this(CryptoSuite.ethereum());
  }

  TestNet(CryptoSuite suite) {
    this.suite = suite;
    this.ca = newCa("Test chain CA", suite);
  }

  static ChainCa newCa(String name) {
    return newCa(name, CryptoSuite.ethereum());
  }

  static ChainCa newCa(String name, CryptoSuite suite) {
    Instant now = Instant.now();
    return ChainCa.create(name, "Test Consortium", TlsKeyAlgorithm.forSuite(suite.name()),
        now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)), RANDOM);
  }

  /** A node of a new organisation "Org name" of the root {@code ca}, in the root's suite. */
  static TlsCredentials node(ChainCa ca, String name, Instant notBefore, Instant notAfter) {
    Instant now = Instant.now();
    ChainCa organisation = ca.issueOrganisation("Org " + name, now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(1)), RANDOM);
    return node(organisation, name, null, notBefore, notAfter);
  }

  /** A node certified by an organisation's CA, for a given consensus key or a fresh one. */
  static TlsCredentials node(ChainCa organisation, String name, byte[] consensusKey,
      Instant notBefore, Instant notAfter) {
    String suiteName = organisation.algorithm() == TlsKeyAlgorithm.SM2 ? "sm" : "ethereum";
    byte[] key = consensusKey != null ? consensusKey
        : CryptoSuite.byName(suiteName).generateKeyPair(RANDOM).publicKey();
    return organisation.issueNode(name, new ConsensusIdentity(suiteName, key), notBefore,
        notAfter, RANDOM);
  }

  TlsCredentials node(String name) {
    Instant now = Instant.now();
    return node(ca, name, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
  }

  static NetworkConfig config(TlsCredentials credentials, int port, List<PeerEndpoint> peers) {
    String suite;
    try {
      suite = credentials.identity().suite();
    } catch (java.security.cert.CertificateException e) {
      throw new IllegalArgumentException(e);
    }
    return new NetworkConfig(HOST, port, peers, CHAIN_ID, GENESIS, CryptoSuite.byName(suite),
        CredentialSource.fixed(credentials), 1, LIMITS, RevocationSource.NONE);
  }

  PeerNetwork start(NetworkConfig config, PeerListener listener) throws IOException {
    PeerNetwork network = PeerNetwork.start(config, listener);
    started.add(network);
    return network;
  }

  static ByteKey address(TlsCredentials credentials) throws Exception {
    return new ByteKey(CryptoSuite.byName(credentials.identity().suite())
        .address(credentials.identity().publicKey()));
  }

  static List<PeerEndpoint> endpoints(int... ports) {
    return Arrays.stream(ports).mapToObj(p -> new PeerEndpoint(HOST, p)).toList();
  }

  /** Ports free a moment ago, for nodes that must know each other's ports before starting. */
  static int[] freePorts(int count) throws IOException {
    int[] ports = new int[count];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
    return ports;
  }

  /** Polls until the condition holds; fails the test after {@link #WAIT_MAX}. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT_MAX.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /**
   * A bare JDK TLS 1.3 client socket to 127.0.0.1, trusting the given CA and presenting the
   * given node's certificate, or none when {@code credentials} is null.
   */
  static SSLSocket tlsClient(X509Certificate trusted, TlsCredentials credentials, int port)
      throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", trusted);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(trust);
    KeyManager[] keyManagers = null;
    if (credentials != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      char[] password = "test".toCharArray();
      keys.setKeyEntry("node", credentials.nodeKey(), password,
          credentials.presentedChain().toArray(new Certificate[0]));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
      kmf.init(keys, password);
      keyManagers = kmf.getKeyManagers();
    }
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keyManagers, tmf.getTrustManagers(), RANDOM);
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(HOST, port);
    socket.setSoTimeout((int) WAIT_MAX.toMillis());
    socket.startHandshake();
    return socket;
  }

  /** Writes one wire frame: length, type, payload. */
  static void writeFrame(OutputStream out, int type, byte[] payload) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(Wire.TYPE_BYTES + payload.length);
    data.writeShort(type);
    data.write(payload);
    data.flush();
  }

  /** Reads until the server closes the connection; fails on a timeout. */
  static void awaitClosedByServer(SSLSocket socket) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] buffer = new byte[4096];
    try {
      while (in.read(buffer) >= 0) {
        // Skip what the server sent before closing (its hello).
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection", e);
    } catch (SSLException | SocketException e) {
      // A TLS alert or a reset: closed, as expected.
    }
  }

  @Override
  public void close() {
    started.forEach(PeerNetwork::close);
  }

  private static byte[] filled(byte value) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, value);
    return bytes;
  }

  /** A listener that records everything it is told. */
  static final class Recorder implements PeerListener {
    record Received(ByteKey peer, int type, byte[] payload) {}

    final ConcurrentLinkedQueue<Received> messages = new ConcurrentLinkedQueue<>();
    final Set<ByteKey> connected = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<ByteKey> disconnects = new ConcurrentLinkedQueue<>();
    final Set<String> threads = ConcurrentHashMap.newKeySet();

    @Override
    public void onMessage(ByteKey peer, int type, byte[] payload) {
      threads.add(Thread.currentThread().getName());
      messages.add(new Received(peer, type, payload));
    }

    @Override
    public void onPeerConnected(ByteKey peer) {
      threads.add(Thread.currentThread().getName());
      connected.add(peer);
    }

    @Override
    public void onPeerDisconnected(ByteKey peer) {
      threads.add(Thread.currentThread().getName());
      connected.remove(peer);
      disconnects.add(peer);
    }

    long count(int type) {
      return messages.stream().filter(m -> m.type() == type).count();
    }

    /** What arrived of {@code type}, in arrival order, as "PAYLOAD-HEX from PEER-ADDRESS". */
    List<String> received(int type) {
      return messages.stream().filter(m -> m.type() == type)
          .map(m -> Hex.encode(m.payload()) + " from " + m.peer()).toList();
    }

    /**
     * Polls, for at most {@link #WAIT_MAX}, until {@code count} messages of {@code type} have
     * arrived, and returns {@link #received} then; on timeout the failure lists what did arrive.
     * Sends are asynchronous: a test asserts what arrived only after this.
     */
    List<String> awaitReceived(int type, int count) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT_MAX.toNanos();
      while (count(type) < count) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("expected " + count + " messages of type " + type
              + " within " + WAIT_MAX.toSeconds() + " s, got " + received(type));
        }
        Thread.sleep(10);
      }
      return received(type);
    }
  }
}
