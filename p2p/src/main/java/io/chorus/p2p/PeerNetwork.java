package io.chorus.p2p;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.CryptoSuite;
import io.chorus.p2p.NetworkCounters.Counter;
import io.chorus.p2p.tls.ConsensusIdentity;
import io.chorus.p2p.tls.ConsortiumTrust;
import io.chorus.p2p.tls.RevocationSource;
import io.chorus.p2p.tls.TlsCredentials;
import io.chorus.p2p.tls.TlsKeyAlgorithm;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The node-to-node transport of a permissioned chain: mutual TLS 1.3 connections among nodes
 * of the consortium's member organisations, carrying typed opaque messages for the layers
 * above.
 *
 * <p>Admission and identity: a peer must present a node certificate of a member organisation,
 * chained to the consortium root ({@link ConsortiumTrust}: no certificate, another CA, an
 * expired, revoked or non-node one fails the TLS handshake); {@code sm} chains speak ShangMi
 * TLS (RFC 8998), {@code ethereum} chains TLS 1.3 ({@link TlsContexts}). Its identity is the
 * chain address of the consensus key its certificate binds
 * ({@link io.chorus.p2p.tls.ConsensusKeyExtension}), never a claim in a message. Then both
 * sides exchange a hello (protocol version, chain id, genesis hash, address) and a mismatch
 * closes the connection. At most one connection per peer is kept: when two nodes dial each
 * other, both keep the one dialed by the lower address.
 *
 * <p>Membership changes while running: about once a second the network asks its
 * {@link io.chorus.p2p.tls.CredentialSource} and {@link RevocationSource} whether they changed;
 * rotated credentials are presented from the next handshake on, and connected peers whose
 * certificate is now revoked are disconnected.
 *
 * <p>Delivery is at most once: a message queued for a peer whose connection drops, or dropped
 * from a full queue, is lost, and the layers above retransmit as their protocols need (BFT
 * round changes, sync requests). Frames past any {@link PeerLimits} bound are dropped and
 * counted in {@link #counters()}; nothing a peer sends can stop the node.
 *
 * <p>Threading: Netty I/O threads ({@code chorus-p2p-io-*}) run TLS and framing; the
 * {@link PeerListener} is called on the single {@code chorus-p2p-deliver} thread. {@link #send}
 * and {@link #broadcast} may be called from any thread, the listener's included.
 */
public final class PeerNetwork implements AutoCloseable {
  /** The largest message type the layers above may use; higher ones are the transport's. */
  public static final int MESSAGE_TYPE_MAX = Wire.TYPE_APP_MAX;
  // How long close() waits for connections and the delivery thread to finish.
  private static final long CLOSE_GRACE_MILLIS = 2_000;
  // How often the credential and revocation sources are asked whether they changed.
  private static final long SOURCE_POLL_MILLIS = 1_000;
  private static final WriteBufferWaterMark WRITE_BUFFER =
      new WriteBufferWaterMark(1 << 20, 4 << 20);

  private final NetworkConfig config;
  private final CryptoSuite suite;
  private final ByteKey localAddress;
  private final Hello hello;
  private final NetworkCounters counters = new NetworkCounters();
  private final RateLimitedLog log;
  private final LongSupplier nanoTime;
  private final InboundDispatcher dispatcher;
  private final TlsKeyAlgorithm tlsAlgorithm;
  private final ConsortiumTrust trust;
  // Replaced on rotation; each new connection takes the contexts current at its start.
  private volatile TlsContexts tls;
  private volatile TlsCredentials credentials;
  // Seen last by the poll, on one event loop only.
  private long revocationVersion;
  private long credentialsVersion;
  private final EventLoopGroup group;
  private final ChannelGroup channels =
      new DefaultChannelGroup("chorus-p2p", GlobalEventExecutor.INSTANCE);
  private final Map<ByteKey, PeerSession> sessions = new ConcurrentHashMap<>();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final StaticPeers staticPeers;
  private Channel serverChannel;

  private PeerNetwork(NetworkConfig config, PeerListener listener, LongSupplier nanoTime) {
    this.config = config;
    this.suite = config.suite();
    this.nanoTime = nanoTime;
    this.log = new RateLimitedLog(nanoTime);
    this.credentialsVersion = config.credentials().version();
    this.credentials = config.credentials().current();
    this.tlsAlgorithm = TlsKeyAlgorithm.forSuite(suite.name());
    this.localAddress = certifiedAddress(credentials);
    this.trust = new ConsortiumTrust(credentials.caCertificate(), config.revocations(),
        Clock.systemUTC());
    this.revocationVersion = config.revocations().version();
    this.hello = new Hello(Wire.PROTOCOL_VERSION, config.chainId(), config.genesisHash(),
        localAddress);
    this.tls = TlsContexts.of(credentials, trust, tlsAlgorithm);
    this.dispatcher = new InboundDispatcher(Objects.requireNonNull(listener, "listener"),
        config.limits(), counters, log);
    this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(),
        new DefaultThreadFactory("chorus-p2p-io", true), NioIoHandler.newFactory());
    this.staticPeers = new StaticPeers(this, group.next(), config.staticPeers());
  }

  /**
   * Listens, starts delivering to {@code listener} and dials the static peers.
   *
   * @throws IOException when the address cannot be listened on
   * @throws IllegalArgumentException when the credentials do not fit the chain's suite
   */
  public static PeerNetwork start(NetworkConfig config, PeerListener listener)
      throws IOException {
    return start(config, listener, System::nanoTime);
  }

  /**
   * As {@link #start(NetworkConfig, PeerListener)}, with the monotonic clock (nanoseconds) that
   * rate limits and log throttling read; Netty's own timers (timeouts, redials) keep theirs.
   */
  public static PeerNetwork start(NetworkConfig config, PeerListener listener,
      LongSupplier nanoTime) throws IOException {
    PeerNetwork network = new PeerNetwork(config, listener, nanoTime);
    network.bind();
    network.dispatcher.start();
    network.staticPeers.start();
    network.group.next().scheduleWithFixedDelay(network::pollSources, SOURCE_POLL_MILLIS,
        SOURCE_POLL_MILLIS, TimeUnit.MILLISECONDS);
    return network;
  }

  // The chain address a node certificate binds, checked against the chain's suite.
  private ByteKey certifiedAddress(TlsCredentials credentials) {
    TlsKeyAlgorithm certified = TlsKeyAlgorithm.of(credentials.nodeCertificate().getPublicKey());
    if (certified != tlsAlgorithm) {
      throw new IllegalArgumentException("this node's TLS certificate has a " + certified
          + " key, but " + suite.name() + " chains use " + tlsAlgorithm + " certificates: issue "
          + "them from a consortium root of this suite ('chorus ca init --suite "
          + suite.name() + "')");
    }
    ConsensusIdentity identity;
    try {
      identity = credentials.identity();
    } catch (CertificateException e) {
      throw new IllegalArgumentException("this node's certificate: " + e.getMessage(), e);
    }
    if (!identity.suite().equals(suite.name())) {
      throw new IllegalArgumentException("this node's certificate binds a key of suite "
          + identity.suite() + ", but the chain uses " + suite.name());
    }
    return new ByteKey(suite.address(identity.publicKey()));
  }

  /**
   * Replaces this node's TLS certificate and key without a restart: handshakes from now on
   * present the new ones, connections already open keep theirs (TLS authenticated them once),
   * so no peer is lost.
   *
   * @throws IllegalArgumentException when the credentials are unusable or bind another
   *     consensus key (a node's chain address cannot change)
   */
  public void rotate(TlsCredentials rotated) {
    if (!certifiedAddress(rotated).equals(localAddress)) {
      throw new IllegalArgumentException("the new certificate binds another consensus key than "
          + "this node's (" + localAddress + "); issue it for the same node key");
    }
    if (!rotated.caCertificate().equals(trust.root())) {
      throw new IllegalArgumentException("the new certificate chains to another root ("
          + rotated.caCertificate().getSubjectX500Principal() + ") than the consortium's");
    }
    tls = TlsContexts.of(rotated, trust, tlsAlgorithm);
    credentials = rotated;
    RateLimitedLog.info("rotated this node's TLS certificate: serial "
        + rotated.nodeCertificate().getSerialNumber().toString(16) + ", valid until "
        + rotated.nodeCertificate().getNotAfter().toInstant());
  }

  // Rotates to changed credentials and drops peers newly revoked. A rotation that fails
  // (another node key, another root) keeps the credentials in force and is reported once.
  private void pollSources() {
    long credentials = config.credentials().version();
    if (credentials != credentialsVersion) {
      credentialsVersion = credentials;
      try {
        rotate(config.credentials().current());
      } catch (RuntimeException e) {
        log.warn("kept this node's TLS certificate: " + e.getMessage());
      }
    }
    long revocations = config.revocations().version();
    if (revocations != revocationVersion) {
      revocationVersion = revocations;
      checkRevocations();
    }
  }

  /** What admits a peer's certificate chain: the consortium root, roles and revocations. */
  ConsortiumTrust trust() {
    return trust;
  }

  /** The credentials new handshakes present: those at start, or the last rotated in. */
  public TlsCredentials credentials() {
    return credentials;
  }

  /** The certificate chain a connected peer presented (leaf first); empty when not connected. */
  public List<X509Certificate> peerCertificates(ByteKey peer) {
    PeerSession session = sessions.get(peer);
    return session == null ? List.of() : session.peerChain();
  }

  /** The cipher suite negotiated with a connected peer, or null when not connected. */
  public String cipherSuite(ByteKey peer) {
    PeerSession session = sessions.get(peer);
    return session == null ? null : session.cipherSuite();
  }

  /**
   * Disconnects every connected peer whose certificate, or its organisation's CA, is revoked
   * now. The network calls it about once a second when the {@link RevocationSource}'s version
   * changes; callers that know of a change may call it at once. From any thread.
   */
  public void checkRevocations() {
    for (PeerSession session : sessions.values()) {
      if (trust.isRevoked(session.peerChain())) {
        session.revoked();
      }
    }
  }

  private void bind() throws IOException {
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (admit(ch, false)) {
              pipeline(ch, tls.server(ch), new PeerSession(
                  PeerNetwork.this, false, null));
            }
          }
        });
    ChannelFuture bound = bootstrap.bind(config.host(), config.port()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": "
          + bound.cause().getMessage(), bound.cause());
    }
    serverChannel = bound.channel();
  }

  /** The port listened on (the one picked when the configured port was 0). */
  public int boundPort() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  /** This node's chain address, as its own certificate binds it. */
  public ByteKey localAddress() {
    return localAddress;
  }

  /**
   * Queues a message for one peer. False (and counted) when the peer is not connected. The
   * bytes are copied, so the caller may reuse its array.
   *
   * @param type 0..{@link #MESSAGE_TYPE_MAX}, the layers above's own numbering
   * @throws IllegalArgumentException when the type is out of range or the message exceeds
   *     {@link PeerLimits#frameBytesMax()}: a programming error, not a network condition
   */
  public boolean send(ByteKey peer, int type, byte[] payload) {
    requireMessage(type, payload);
    PeerSession session = sessions.get(peer);
    if (session == null || !session.enqueue(type, payload.clone())) {
      counters.increment(Counter.SEND_NO_PEER);
      return false;
    }
    return true;
  }

  /**
   * Queues a message for every connected peer; returns how many it was queued for.
   *
   * @throws IllegalArgumentException as {@link #send}
   */
  public int broadcast(int type, byte[] payload) {
    requireMessage(type, payload);
    byte[] shared = payload.clone();
    int queued = 0;
    for (PeerSession session : sessions.values()) {
      if (session.enqueue(type, shared)) {
        queued++;
      }
    }
    return queued;
  }

  /** The peers connected now (hello completed), by chain address. */
  public Set<ByteKey> connectedPeers() {
    return Set.copyOf(sessions.keySet());
  }

  /** Whether a peer is connected now. */
  public boolean isConnected(ByteKey peer) {
    return sessions.containsKey(peer);
  }

  /** Open TCP connections, inbound and outbound, including those still in handshake. */
  public int openConnections() {
    return openConnections.get();
  }

  /** What the network did and refused; for the node's metrics. */
  public NetworkCounters counters() {
    return counters;
  }

  /**
   * Stops listening and dialing, closes every connection (queued messages are dropped), lets
   * the listener see the disconnections and stops the threads. The port is free when this
   * returns. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    staticPeers.close();
    serverChannel.close().awaitUninterruptibly(CLOSE_GRACE_MILLIS);
    channels.close().awaitUninterruptibly(CLOSE_GRACE_MILLIS);
    group.shutdownGracefully(0, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(2 * CLOSE_GRACE_MILLIS);
    try {
      dispatcher.stop(CLOSE_GRACE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // Dials a static peer; the connection's session reports back to its target.
  ChannelFuture dial(PeerEndpoint endpoint, StaticPeers.Target target) {
    return new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WRITE_BUFFER)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) config.limits().helloTimeout().toMillis())
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (admit(ch, true)) {
              pipeline(ch, tls.client(ch, endpoint.host(), endpoint.port()),
                  new PeerSession(PeerNetwork.this, true, target));
            }
          }
        })
        .connect(endpoint.host(), endpoint.port());
  }

  void dialFailed(PeerEndpoint endpoint, Throwable cause) {
    counters.increment(Counter.DIAL_FAILURES);
    log.warn("cannot connect to " + endpoint + ": " + cause.getMessage());
  }

  // Counts a new connection in, or closes it when there are too many (inbound only).
  private boolean admit(Channel ch, boolean outbound) {
    if (closed.get()) {
      ch.close();
      return false;
    }
    if (openConnections.incrementAndGet() > config.limits().connectionsMax() && !outbound) {
      openConnections.decrementAndGet();
      counters.increment(Counter.CONNECTIONS_REFUSED);
      log.warn("refused a connection from " + ch.remoteAddress() + ": "
          + config.limits().connectionsMax() + " connections open");
      ch.close();
      return false;
    }
    ch.closeFuture().addListener(f -> openConnections.decrementAndGet());
    channels.add(ch);
    if (!outbound) {
      counters.increment(Counter.CONNECTIONS_ACCEPTED);
    }
    return true;
  }

  private void pipeline(Channel ch, ChannelHandler tlsHandler, PeerSession session) {
    PeerLimits limits = config.limits();
    long idleMillis = limits.idleTimeout().toMillis();
    if (tlsHandler instanceof SslHandler ssl) {
      ssl.setHandshakeTimeoutMillis(limits.helloTimeout().toMillis());
    }
    ch.pipeline()
        .addLast(TlsContexts.HANDLER_NAME, tlsHandler)
        // The length prefix counts itself out; the decoder's maximum counts it in.
        .addLast("frames", new LengthFieldBasedFrameDecoder(
            limits.frameBytesMax() + Wire.LENGTH_BYTES, 0, Wire.LENGTH_BYTES, 0,
            Wire.LENGTH_BYTES, true))
        .addLast("idle", new IdleStateHandler(idleMillis, idleMillis / 3, 0,
            TimeUnit.MILLISECONDS))
        .addLast("session", session);
  }

  /**
   * Makes a session the peer's connection, unless it already has a preferred one: false tells
   * the session to close. Of two connections dialed in opposite directions, the one dialed by
   * the lower address wins on both sides; of two in the same direction, the newer.
   */
  boolean register(PeerSession session) {
    ByteKey peer = session.peer();
    PeerSession replaced;
    synchronized (sessions) {
      if (closed.get()) {
        return false;
      }
      replaced = sessions.get(peer);
      if (replaced == null) {
        sessions.put(peer, session);
        counters.increment(Counter.PEERS_CONNECTED);
        dispatcher.peerConnected(peer);
        RateLimitedLog.info("connected to " + peer);
        return true;
      }
      counters.increment(Counter.DUPLICATE_CONNECTIONS);
      if (dialedByLower(replaced, peer) && !dialedByLower(session, peer)) {
        RateLimitedLog.info("kept the connection to " + peer + " dialed by the lower address");
        return false;
      }
      sessions.put(peer, session);
    }
    replaced.close("duplicate connection to " + peer + ", another one is kept");
    return true;
  }

  void unregister(PeerSession session) {
    ByteKey peer = session.peer();
    synchronized (sessions) {
      if (!sessions.remove(peer, session)) {
        return;
      }
      dispatcher.peerDisconnected(peer);
    }
    RateLimitedLog.info("disconnected from " + peer);
    staticPeers.peerDisconnected(peer);
  }

  private boolean dialedByLower(PeerSession session, ByteKey peer) {
    int order = Arrays.compareUnsigned(localAddress.bytes(), peer.bytes());
    return session.outbound() ? order < 0 : order > 0;
  }

  private void requireMessage(int type, byte[] payload) {
    if (type < 0 || type > MESSAGE_TYPE_MAX) {
      throw new IllegalArgumentException("message type must be 0.." + MESSAGE_TYPE_MAX
          + ", not " + type);
    }
    if (payload.length > config.limits().frameBytesMax() - Wire.TYPE_BYTES) {
      throw new IllegalArgumentException("a message of " + payload.length + " bytes exceeds"
          + " frameBytesMax " + config.limits().frameBytesMax());
    }
  }

  PeerLimits limits() {
    return config.limits();
  }


  RateLimitedLog log() {
    return log;
  }

  CryptoSuite suite() {
    return suite;
  }

  Hello hello() {
    return hello;
  }

  InboundDispatcher dispatcher() {
    return dispatcher;
  }

  LongSupplier nanoTime() {
    return nanoTime;
  }
}
