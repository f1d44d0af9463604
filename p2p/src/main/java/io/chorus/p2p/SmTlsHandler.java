package io.chorus.p2p;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerProtocol;

/**
 * Netty's end of {@link SmTls}: drives BouncyCastle's TLS engine in its non-blocking mode on the
 * channel's event loop. Received bytes are offered to the engine, decrypted application data
 * is passed on as buffers, and writes are encrypted once the handshake has completed (queued
 * until then). It tells the handlers after it how the handshake ended with Netty's own
 * {@link SslHandshakeCompletionEvent}, as {@link io.netty.handler.ssl.SslHandler} does.
 */
final class SmTlsHandler extends ChannelDuplexHandler {
  private record PendingWrite(ByteBuf data, ChannelPromise promise) {}

  private final TlsProtocol protocol;
  private final SmTls.Outcome outcome;
  private final Runnable start;
  private final Queue<PendingWrite> pending = new ArrayDeque<>();
  private boolean handshakeDone;
  private boolean failed;

  private SmTlsHandler(TlsProtocol protocol, SmTls.Outcome outcome, Runnable start) {
    this.protocol = protocol;
    this.outcome = outcome;
    this.start = start;
  }

  static SmTlsHandler client(SmTls.Client client) {
    TlsClientProtocol protocol = new TlsClientProtocol();
    return new SmTlsHandler(protocol, client, () -> {
      try {
        protocol.connect(client);
      } catch (IOException e) {
        throw new IllegalStateException("cannot start an SM TLS handshake: " + e.getMessage(), e);
      }
    });
  }

  static SmTlsHandler server(SmTls.Server server) {
    TlsServerProtocol protocol = new TlsServerProtocol();
    return new SmTlsHandler(protocol, server, () -> {
      try {
        protocol.accept(server);
      } catch (IOException e) {
        throw new IllegalStateException("cannot accept an SM TLS handshake: " + e.getMessage(),
            e);
      }
    });
  }

  /** The peer's chain, leaf first. */
  List<X509Certificate> peerChain() throws CertificateException {
    if (!handshakeDone || outcome.peerChain().isEmpty()) {
      throw new CertificateException("the SM TLS handshake has not completed");
    }
    return outcome.peerChain();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start.run();
    sendOutput(ctx);
    ctx.flush();
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    byte[] bytes;
    try {
      bytes = new byte[in.readableBytes()];
      in.readBytes(bytes);
    } finally {
      in.release();
    }
    if (failed) {
      return;
    }
    try {
      protocol.offerInput(bytes);
    } catch (IOException e) {
      fail(ctx, e);
      return;
    }
    sendOutput(ctx);
    if (!handshakeDone && outcome.handshakeComplete()) {
      handshakeDone = true;
      ctx.fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
      writePending(ctx);
    }
    ctx.flush();
    int available = protocol.getAvailableInputBytes();
    if (available > 0) {
      byte[] plain = new byte[available];
      protocol.readInput(plain, 0, available);
      ctx.fireChannelRead(Unpooled.wrappedBuffer(plain));
    }
    if (protocol.isClosed()) {
      ctx.close();
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf data)) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(new IllegalArgumentException("SM TLS writes ByteBufs only"));
      return;
    }
    if (!handshakeDone) {
      pending.add(new PendingWrite(data, promise));
      return;
    }
    encrypt(ctx, data, promise);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (handshakeDone && !protocol.isClosed()) {
      try {
        protocol.close();
        sendOutput(ctx);
        ctx.flush();
      } catch (IOException e) {
        // The connection is closing either way; its close_notify is a courtesy.
      }
    }
    ctx.close(promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!handshakeDone && !failed) {
      failed = true;
      ctx.fireUserEventTriggered(new SslHandshakeCompletionEvent(
          new SSLHandshakeException("the connection closed during the SM TLS handshake")));
    }
    failPending(new IOException("the connection closed"));
    ctx.fireChannelInactive();
  }

  private void encrypt(ChannelHandlerContext ctx, ByteBuf data, ChannelPromise promise) {
    try {
      byte[] plain = new byte[data.readableBytes()];
      data.readBytes(plain);
      protocol.writeApplicationData(plain, 0, plain.length);
    } catch (IOException e) {
      promise.setFailure(e);
      ctx.close();
      return;
    } finally {
      data.release();
    }
    int size = protocol.getAvailableOutputBytes();
    byte[] record = new byte[size];
    protocol.readOutput(record, 0, size);
    ctx.write(Unpooled.wrappedBuffer(record), promise);
  }

  private void writePending(ChannelHandlerContext ctx) {
    for (PendingWrite write = pending.poll(); write != null; write = pending.poll()) {
      encrypt(ctx, write.data(), write.promise());
    }
  }

  private void failPending(Throwable cause) {
    for (PendingWrite write = pending.poll(); write != null; write = pending.poll()) {
      write.data().release();
      write.promise().tryFailure(cause);
    }
  }

  // Sends what the engine has produced: handshake messages, alerts, close_notify.
  private void sendOutput(ChannelHandlerContext ctx) {
    int size = protocol.getAvailableOutputBytes();
    if (size > 0) {
      byte[] out = new byte[size];
      protocol.readOutput(out, 0, size);
      ctx.write(Unpooled.wrappedBuffer(out));
    }
  }

  private void fail(ChannelHandlerContext ctx, IOException cause) {
    failed = true;
    sendOutput(ctx);
    ctx.flush();
    if (!handshakeDone) {
      SSLHandshakeException failure = new SSLHandshakeException(cause.getMessage());
      failure.initCause(cause);
      ctx.fireUserEventTriggered(new SslHandshakeCompletionEvent(failure));
    }
    failPending(cause);
    ctx.close();
  }
}
