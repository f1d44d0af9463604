package io.chorus.p2p;

import io.chorus.codec.ByteKey;
import io.chorus.codec.RlpException;
import io.chorus.p2p.NetworkCounters.Counter;
import io.chorus.p2p.tls.ConsensusIdentity;
import io.chorus.p2p.tls.ConsensusKeyExtension;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One connection to a peer, from TCP connect to close: TLS outcome, the peer's certified
 * identity, the hello exchange, inbound rate limits, and the bounded outbound queue. Netty calls
 * it on the connection's event loop; {@link #enqueue} may be called from any thread.
 *
 * <p>Outbound overflow policy: drop the oldest queued message (counted). A peer too slow to keep
 * up then misses old messages rather than the newest, which is what BFT consensus wants (a
 * stale vote is worth less than a current one, and rounds change anyway); disconnecting it
 * instead would cost a validator's vote for the reconnect time.
 */
final class PeerSession extends ChannelInboundHandlerAdapter {
  private enum State { HANDSHAKE, OPEN, CLOSED }

  private record Outgoing(int type, byte[] payload) {}

  private final PeerNetwork network;
  private final boolean outbound;
  private final StaticPeers.Target target;
  private final TokenBucket messageBucket;
  private final TokenBucket byteBucket;
  private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
  private long queuedBytes;
  private boolean drainScheduled;
  private Channel channel;
  // Written on the event loop; read by senders on other threads.
  private volatile State state = State.HANDSHAKE;
  private volatile ByteKey peer;
  // The chain the peer's handshake presented and the suite negotiated; set with peer.
  private volatile List<X509Certificate> peerChain = List.of();
  private volatile String cipherSuite;
  private ScheduledFuture<?> helloTimer;

  /**
   * @param target the static peer this connection was dialed for, or null when inbound
   */
  PeerSession(PeerNetwork network, boolean outbound, StaticPeers.Target target) {
    this.network = network;
    this.outbound = outbound;
    this.target = target;
    PeerLimits limits = network.limits();
    this.messageBucket = new TokenBucket(limits.messagesPerSecondMax(),
        limits.messagesPerSecondMax(), network.nanoTime());
    this.byteBucket = new TokenBucket(limits.bytesBurstMax(), limits.bytesPerSecondMax(),
        network.nanoTime());
  }

  boolean outbound() {
    return outbound;
  }

  /** The peer's certified address; null until its certificate has been read. */
  ByteKey peer() {
    return peer;
  }

  /** The peer's certificate chain, leaf first; empty until its handshake has completed. */
  List<X509Certificate> peerChain() {
    return peerChain;
  }

  /** The negotiated TLS cipher suite; null until the handshake has completed. */
  String cipherSuite() {
    return cipherSuite;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    helloTimer = ctx.executor().schedule(this::helloTimedOut,
        network.limits().helloTimeout().toMillis(), TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  /** A failure and its root cause: BoringSSL's engine wraps the consortium's reason. */
  private static String withRootCause(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == failure ? failure.toString() : failure + " (" + root + ")";
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        tlsEstablished(ctx);
      } else {
        network.counters().increment(Counter.TLS_FAILURES);
        network.log().warn("TLS handshake with " + ctx.channel().remoteAddress() + " failed: "
            + withRootCause(done.cause()));
        ctx.close();
      }
    } else if (event instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.READER_IDLE) {
        network.counters().increment(Counter.IDLE_TIMEOUTS);
        network.log().warn("closing " + describe() + ": silent for "
            + network.limits().idleTimeout());
        ctx.close();
      } else if (idle.state() == IdleState.WRITER_IDLE && state == State.OPEN) {
        write(Wire.TYPE_PING, new byte[0]);
        ctx.flush();
      }
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  // Reads the peer's identity from its (CA-verified) certificate, then says hello.
  private void tlsEstablished(ChannelHandlerContext ctx) {
    ConsensusIdentity identity;
    List<X509Certificate> chain;
    try {
      chain = TlsContexts.peerChain(ctx.pipeline());
      // Checked again here: a resumed TLS session skips the handshake's certificate check, so
      // a peer revoked or expired since its first connection would otherwise get back in.
      network.trust().check(chain.toArray(X509Certificate[]::new));
    } catch (CertificateException e) {
      reject(Counter.TLS_FAILURES, "its certificate is not admitted now: " + e.getMessage());
      return;
    }
    try {
      identity = ConsensusKeyExtension.read(chain.get(0));
    } catch (CertificateException e) {
      reject(Counter.IDENTITY_REJECTED, "no consensus identity: " + e.getMessage());
      return;
    }
    if (!identity.suite().equals(network.suite().name())) {
      reject(Counter.IDENTITY_REJECTED, "its consensus key is of suite " + identity.suite()
          + ", the chain's is " + network.suite().name());
      return;
    }
    ByteKey address = new ByteKey(network.suite().address(identity.publicKey()));
    if (address.equals(network.localAddress())) {
      reject(Counter.IDENTITY_REJECTED, "it is this node itself");
      return;
    }
    peerChain = chain;
    cipherSuite = TlsContexts.cipherSuite(ctx.pipeline());
    peer = address;
    if (target != null) {
      target.learned(address);
    }
    write(Wire.TYPE_HELLO, network.hello().encode());
    ctx.flush();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf frame = (ByteBuf) msg;
    try {
      if (state == State.CLOSED) {
        return;
      }
      if (frame.readableBytes() < Wire.TYPE_BYTES) {
        malformed("a frame of " + frame.readableBytes() + " bytes has no type");
        return;
      }
      int type = frame.readUnsignedShort();
      if (state == State.HANDSHAKE) {
        onHello(type, frame);
      } else if (type <= Wire.TYPE_APP_MAX) {
        onMessage(type, frame);
      } else if (type != Wire.TYPE_PING) {
        malformed("frame of reserved type " + type);
      }
    } finally {
      frame.release();
    }
  }

  private void onHello(int type, ByteBuf frame) {
    if (type != Wire.TYPE_HELLO || peer == null) {
      reject(Counter.HELLO_REJECTED, "its first frame (type " + type + ") is not a hello");
      return;
    }
    Hello hello;
    try {
      hello = Hello.decode(bytes(frame));
    } catch (RlpException e) {
      reject(Counter.HELLO_REJECTED, "malformed hello: " + e.getMessage());
      return;
    }
    String mismatch = hello.mismatch(network.hello(), peer);
    if (mismatch != null) {
      reject(Counter.HELLO_REJECTED, mismatch);
      return;
    }
    helloTimer.cancel(false);
    state = State.OPEN;
    if (target != null) {
      target.reached();
    }
    if (!network.register(this)) {
      state = State.CLOSED;
      channel.close();
    }
  }

  private void onMessage(int type, ByteBuf frame) {
    int size = frame.readableBytes();
    if (!messageBucket.tryTake(1) || !byteBucket.tryTake(size)) {
      network.counters().increment(Counter.RATE_LIMITED_FRAMES);
      network.log().warn("dropped a frame of type " + type + " from " + peer + ": over its rate");
      return;
    }
    network.counters().increment(Counter.FRAMES_RECEIVED);
    network.counters().add(Counter.BYTES_RECEIVED, size);
    network.dispatcher().offerMessage(peer, type, bytes(frame), this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      network.counters().increment(Counter.OVERSIZE_FRAMES);
      network.log().warn("closing " + describe() + ": " + cause.getMessage());
    } else if (cause instanceof CorruptedFrameException) {
      // A negative length: the stream cannot be resynchronised.
      network.counters().increment(Counter.MALFORMED_FRAMES);
      network.log().warn("closing " + describe() + ": " + cause.getMessage());
    } else if (state == State.OPEN) {
      network.counters().increment(Counter.CONNECTION_ERRORS);
      network.log().warn("closing " + describe() + ": " + cause);
    }
    // Before the handshake completes, TLS errors are counted by the handshake event.
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (helloTimer != null) {
      helloTimer.cancel(false);
    }
    boolean wasOpen = state == State.OPEN;
    state = State.CLOSED;
    synchronized (queue) {
      queue.clear();
      queuedBytes = 0;
    }
    if (wasOpen) {
      network.unregister(this);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      drain();
    }
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * Queues a message for this peer, dropping the oldest queued ones past the queue's bounds.
   * Callable from any thread. False when the connection is closing.
   */
  boolean enqueue(int type, byte[] payload) {
    PeerLimits limits = network.limits();
    boolean schedule;
    synchronized (queue) {
      if (state == State.CLOSED) {
        return false;
      }
      queue.addLast(new Outgoing(type, payload));
      queuedBytes += payload.length;
      while (queue.size() > limits.outboundQueueMessagesMax()
          || queuedBytes > limits.outboundQueueBytesMax()) {
        queuedBytes -= queue.removeFirst().payload().length;
        network.counters().increment(Counter.OUTBOUND_DROPPED);
      }
      schedule = !drainScheduled;
      drainScheduled = true;
    }
    if (schedule) {
      channel.eventLoop().execute(this::drain);
    }
    return true;
  }

  // Moves queued messages into the channel while it is below its write-buffer high mark.
  private void drain() {
    synchronized (queue) {
      drainScheduled = false;
    }
    boolean wrote = false;
    while (channel.isWritable()) {
      Outgoing next;
      synchronized (queue) {
        next = queue.pollFirst();
        if (next == null) {
          break;
        }
        queuedBytes -= next.payload().length;
      }
      write(next.type(), next.payload());
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  private void write(int type, byte[] payload) {
    ByteBuf frame = channel.alloc().buffer(Wire.LENGTH_BYTES + Wire.TYPE_BYTES + payload.length);
    frame.writeInt(Wire.TYPE_BYTES + payload.length);
    frame.writeShort(type);
    frame.writeBytes(payload);
    channel.write(frame, channel.voidPromise());
    network.counters().increment(Counter.FRAMES_SENT);
    network.counters().add(Counter.BYTES_SENT, payload.length);
  }

  void pauseReading() {
    channel.config().setAutoRead(false);
  }

  void resumeReading() {
    channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
  }

  /**
   * Disconnects a peer whose certificate was revoked; nothing more it sent is delivered. From
   * any thread.
   */
  void revoked() {
    boolean wasOpen = state == State.OPEN;
    state = State.CLOSED;
    if (wasOpen) {
      network.unregister(this);
    }
    network.counters().increment(Counter.REVOKED_PEERS);
    network.log().warn("disconnecting " + describe() + ": its certificate is revoked");
    channel.close();
  }

  /** Closes the connection, e.g. as the loser of a duplicate pair; from any thread. */
  void close(String reason) {
    RateLimitedLog.info("closing " + describe() + ": " + reason);
    channel.close();
  }

  private void helloTimedOut() {
    if (state == State.HANDSHAKE) {
      reject(Counter.HELLO_TIMEOUTS, "no TLS handshake and hello within "
          + network.limits().helloTimeout());
    }
  }

  private void malformed(String what) {
    network.counters().increment(Counter.MALFORMED_FRAMES);
    network.log().warn("dropped a frame from " + describe() + ": " + what);
    if (state != State.OPEN) {
      channel.close();
    }
  }

  private void reject(Counter counter, String reason) {
    network.counters().increment(counter);
    network.log().warn("refused " + describe() + ": " + reason);
    state = State.CLOSED;
    channel.close();
  }

  private String describe() {
    ByteKey known = peer;
    String who = (outbound ? "outbound " : "inbound ") + channel.remoteAddress();
    return known == null ? who : who + " (" + known + ")";
  }

  private static byte[] bytes(ByteBuf frame) {
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    return bytes;
  }
}
