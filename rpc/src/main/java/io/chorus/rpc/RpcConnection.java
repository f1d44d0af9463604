package io.chorus.rpc;

import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection of an {@link RpcServer}: HTTP requests until it upgrades, WebSocket
 * messages after; as a WebSocket it is the calls' {@link JsonRpc.Session}.
 *
 * <p>Every answer takes a slot in the connection's outbox in the order its request arrived; a
 * worker fills the slot later, and the outbox writes slots from its head while they are filled
 * and the socket takes more. So responses keep request order while calls run in parallel, and
 * a notification sent while calls are in flight goes out after their responses. All outbox
 * state belongs to the event loop; workers hand their results over with {@code execute}.
 */
final class RpcConnection extends ChannelInboundHandlerAdapter implements JsonRpc.Session {
  static final String IDLE = "idle";
  static final String AGGREGATOR = "aggregator";
  static final String HANDLER = "rpc";

  /** Notifications a WebSocket may have queued and unsent before it is closed as too slow. */
  static final int NOTIFICATIONS_QUEUED_MAX = 4096;
  /** Close callbacks one session may hold (one per subscription, typically). */
  static final int CLOSE_CALLBACKS_MAX = 10_000;

  private static final System.Logger LOG = System.getLogger(RpcConnection.class.getName());
  private static final AsciiString JSON = AsciiString.cached("application/json");
  private static final AsciiString TEXT = AsciiString.cached("text/plain; charset=utf-8");
  // Response header names are constants and values come from validated requests or from us:
  // validating them again per response buys nothing.
  private static final HttpHeadersFactory RESPONSE_HEADERS =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false);
  private static final HttpHeadersFactory TRAILERS = DefaultHttpHeadersFactory.trailersFactory();
  private static final String ALLOW_RPC = "POST, GET, OPTIONS";
  private static final String ALLOW_GET = "GET, OPTIONS";
  private static final String ALLOW_SITE = "GET, HEAD";
  // The site's pages load nothing from elsewhere, and no other site may frame them.
  private static final String SITE_POLICY = "default-src 'self'; img-src 'self' data:;"
      + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  private static final String ALLOW_REST = "GET, POST, PUT, DELETE, OPTIONS";

  // One answer to come, in request order.
  private static final class Slot {
    Object message; // an HTTP response or WebSocket frame; null when nothing is to be sent
    boolean ready;
    boolean closeAfter;
    final boolean notification;

    Slot(boolean notification) {
      this.notification = notification;
    }
  }

  // What an HTTP answer needs from its request once the request is released.
  private record Reply(HttpVersion version, boolean keepAlive, String allowOrigin) {}

  private final RpcServer server;
  private final long id;
  private final ArrayDeque<Slot> outbox = new ArrayDeque<>();
  private final List<Runnable> closeCallbacks = new ArrayList<>();
  private boolean callbacksRan; // guarded by closeCallbacks
  private ChannelHandlerContext ctx;
  // Notifications from any thread, waiting for the event loop to take them into the outbox;
  // counted until written, so a client that does not read is found out.
  private final Queue<TextWebSocketFrame> notifications = new ConcurrentLinkedQueue<>();
  private final AtomicInteger notificationsQueued = new AtomicInteger();
  private final AtomicBoolean notificationsScheduled = new AtomicBoolean();
  private final AtomicBoolean tooSlow = new AtomicBoolean();
  private WebSocketServerHandshaker handshaker;
  private boolean pinged;
  // A REST WebSocket upgrade waits for a worker's decision: nothing more is read meanwhile.
  private boolean upgrading;
  // The REST stream this WebSocket carries; null for a JSON-RPC WebSocket.
  private volatile RestStream restStream;
  // Written on the event loop, read by Session callers on any thread.
  private volatile boolean webSocket;
  private volatile boolean closing;
  private volatile boolean closed;

  RpcConnection(RpcServer server, long id) {
    this.server = server;
    this.id = id;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    pinged = false;
    try {
      if (closing) {
        return; // a request after "Connection: close", or frames after a close
      }
      if (upgrading) {
        // Pipelined behind a WebSocket upgrade, which no request may follow.
        closing = true;
        ctx.close();
        return;
      }
      if (msg instanceof FullHttpRequest request) {
        onRequest(request);
      } else if (msg instanceof Oversized oversized) {
        onOversized(oversized);
      } else if (msg instanceof WebSocketFrame frame) {
        onFrame(frame);
      } else {
        LOG.log(System.Logger.Level.WARNING, "unexpected message " + msg.getClass().getName());
        ctx.close();
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  // ---------------------------------------------------------------------------------- HTTP

  private void onRequest(FullHttpRequest request) {
    HttpHeaders headers = request.headers();
    String allowOrigin = server.allowOrigin(headers.get(HttpHeaderNames.ORIGIN));
    Reply reply = new Reply(request.protocolVersion(), HttpUtil.isKeepAlive(request),
        allowOrigin == null || allowOrigin.isEmpty() ? null : allowOrigin);
    if (!request.decoderResult().isSuccess()) {
      Throwable cause = request.decoderResult().cause();
      text(new Reply(HttpVersion.HTTP_1_1, false, null), HttpResponseStatus.BAD_REQUEST,
          "malformed HTTP request: " + (cause == null ? "?" : cause.getMessage()));
      return;
    }
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    boolean rpcPath = path.equals("/");
    boolean wsPath = rpcPath || path.equals("/ws");
    if (server.rest.serves(path)) {
      onRest(request, reply, allowOrigin);
      return;
    }
    StaticSite site = server.config.site();
    if (site.owns(path)) {
      onSite(request, reply, site, path);
      return;
    }
    if (rpcPath && request.method().equals(HttpMethod.GET) && site != StaticSite.NONE
        && !headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      // A person typed the node's address into a browser: show them the console.
      FullHttpResponse response = http(reply, HttpResponseStatus.FOUND, null, null);
      response.headers().set(HttpHeaderNames.LOCATION, site.prefix() + "/");
      enqueueReady(response, !reply.keepAlive());
      return;
    }
    RpcServer.Route route = wsPath ? null : server.config.routes().get(path);
    if (!wsPath && route == null) {
      text(reply, HttpResponseStatus.NOT_FOUND, "no such path: " + path
          + "; JSON-RPC is served by POST / and WebSocket on / and /ws");
      return;
    }
    String allow = rpcPath ? ALLOW_RPC : ALLOW_GET;
    HttpMethod method = request.method();
    if (method.equals(HttpMethod.OPTIONS)) {
      preflight(request, reply, allowOrigin, allow);
      return;
    }
    if ("".equals(allowOrigin)) {
      text(reply, HttpResponseStatus.FORBIDDEN, "origin not allowed: "
          + headers.get(HttpHeaderNames.ORIGIN));
      return;
    }
    if (method.equals(HttpMethod.POST) && rpcPath) {
      post(request, reply);
    } else if (method.equals(HttpMethod.GET) && route != null) {
      get(route, reply);
    } else if (method.equals(HttpMethod.GET) && wsPath
        && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      upgrade(request, reply, path);
    } else {
      FullHttpResponse response = textResponse(reply, HttpResponseStatus.METHOD_NOT_ALLOWED,
          method + " is not supported on " + path + (wsPath ? "; send JSON-RPC as POST /"
              + " or open a WebSocket" : "") + "; allowed: " + allow);
      response.headers().set(HttpHeaderNames.ALLOW, allow);
      enqueueReady(response, !reply.keepAlive());
    }
  }

  private void preflight(FullHttpRequest request, Reply reply, String allowOrigin,
      String allow) {
    if ("".equals(allowOrigin)) {
      text(reply, HttpResponseStatus.FORBIDDEN, "origin not allowed: "
          + request.headers().get(HttpHeaderNames.ORIGIN));
      return;
    }
    FullHttpResponse response = http(reply, HttpResponseStatus.NO_CONTENT, null, null);
    HttpHeaders out = response.headers();
    out.set(HttpHeaderNames.ALLOW, allow);
    if (allowOrigin != null) {
      out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, allow);
      String wanted = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
      // Any request header may be sent; echoing the list (bounded by the header size limit)
      // spares clients a second round when they add e.g. Authorization.
      out.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
          wanted == null || wanted.isBlank() ? "Content-Type" : wanted);
      out.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
    }
    enqueueReady(response, !reply.keepAlive());
  }

  private void post(FullHttpRequest request, Reply reply) {
    CharSequence mime = HttpUtil.getMimeType(request);
    String type = mime == null ? null : mime.toString().trim();
    if (type == null || !(type.equalsIgnoreCase("application/json")
        || type.equalsIgnoreCase("application/json-rpc")
        || type.equalsIgnoreCase("application/jsonrequest"))) {
      jsonError(reply, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, JsonRpc.INVALID_REQUEST,
          "unsupported Content-Type " + (type == null ? "(none)" : type)
              + "; send application/json");
      return;
    }
    dispatch(request.content(), reply);
  }

  private void onOversized(Oversized oversized) {
    String allowOrigin = server.allowOrigin(oversized.origin());
    Reply reply = new Reply(oversized.version(), oversized.keepAlive(),
        allowOrigin == null || allowOrigin.isEmpty() ? null : allowOrigin);
    String uri = oversized.uri();
    int query = uri.indexOf('?');
    if (server.rest.serves(query < 0 ? uri : uri.substring(0, query))) {
      enqueueReady(restResponse(reply, server.rest.tooLarge()), !reply.keepAlive());
      return;
    }
    jsonError(reply, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        JsonRpc.INVALID_REQUEST, "request body exceeds the maximum of "
            + JsonRpc.REQUEST_BYTES_MAX + " bytes");
  }

  private void get(RpcServer.Route route, Reply reply) {
    Slot slot = enqueue(false);
    slot.closeAfter = !reply.keepAlive();
    boolean queued = server.submit(0, () -> {
      FullHttpResponse response;
      try {
        String body = route.body().get();
        if (body == null) {
          throw new IllegalStateException("the route produced no body");
        }
        response = http(reply, HttpResponseStatus.OK, route.contentType(),
            ByteBufUtil.writeUtf8(ctx.alloc(), body));
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a GET route failed", e);
        response = http(reply, HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT,
            ByteBufUtil.writeUtf8(ctx.alloc(), "internal error: " + e.getClass().getSimpleName()));
      }
      complete(slot, response);
    });
    if (!queued) {
      fill(slot, busy(reply));
    }
  }

  // --------------------------------------------------------------------------------- site

  // Files are in memory, so they are answered on the event loop, without a worker.
  private void onSite(FullHttpRequest request, Reply reply, StaticSite site, String path) {
    HttpMethod method = request.method();
    boolean head = method.equals(HttpMethod.HEAD);
    if (!head && !method.equals(HttpMethod.GET)) {
      FullHttpResponse response = textResponse(reply, HttpResponseStatus.METHOD_NOT_ALLOWED,
          method + " is not supported on " + path + "; allowed: " + ALLOW_SITE);
      response.headers().set(HttpHeaderNames.ALLOW, ALLOW_SITE);
      enqueueReady(response, !reply.keepAlive());
      return;
    }
    if (path.equals(site.prefix())) {
      // Relative links in index.html resolve against the directory, so send it there.
      FullHttpResponse response = http(reply, HttpResponseStatus.MOVED_PERMANENTLY, null, null);
      response.headers().set(HttpHeaderNames.LOCATION, site.prefix() + "/");
      enqueueReady(response, !reply.keepAlive());
      return;
    }
    StaticSite.Asset asset = site.asset(path).orElse(null);
    if (asset == null) {
      text(reply, HttpResponseStatus.NOT_FOUND, "no such file: " + path);
      return;
    }
    HttpHeaders in = request.headers();
    boolean notModified = asset.etag().equals(in.get(HttpHeaderNames.IF_NONE_MATCH));
    boolean gzip = !notModified && in.containsValue(HttpHeaderNames.ACCEPT_ENCODING,
        HttpHeaderValues.GZIP, true);
    byte[] body = gzip ? asset.gzipped() : asset.bytes();
    FullHttpResponse response = http(reply,
        notModified ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.OK,
        asset.contentType(), notModified || head ? null : Unpooled.wrappedBuffer(body));
    HttpHeaders out = response.headers();
    if (head) {
      out.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    }
    if (notModified) {
      out.remove(HttpHeaderNames.CONTENT_LENGTH);
    }
    if (gzip) {
      out.set(HttpHeaderNames.CONTENT_ENCODING, HttpHeaderValues.GZIP);
    }
    out.set(HttpHeaderNames.VARY, HttpHeaderNames.ACCEPT_ENCODING);
    out.set(HttpHeaderNames.ETAG, asset.etag());
    // Always revalidated (a 304 is cheap), so a node upgrade never leaves stale pages.
    out.set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    out.set(HttpHeaderNames.CONTENT_SECURITY_POLICY, SITE_POLICY);
    out.set("X-Content-Type-Options", "nosniff");
    out.set("Referrer-Policy", "no-referrer");
    enqueueReady(response, !reply.keepAlive());
  }

  // --------------------------------------------------------------------------------- REST

  private void onRest(FullHttpRequest request, Reply reply, String allowOrigin) {
    // A browser's CORS preflight is answered here; any other OPTIONS asks the route what it
    // offers (a standard's discovery, e.g. EPCIS's capture limits), so it goes to the API.
    if (request.method().equals(HttpMethod.OPTIONS)
        && request.headers().contains(HttpHeaderNames.ACCESS_CONTROL_REQUEST_METHOD)) {
      preflight(request, reply, allowOrigin, ALLOW_REST);
      return;
    }
    if ("".equals(allowOrigin)) {
      text(reply, HttpResponseStatus.FORBIDDEN, "origin not allowed: "
          + request.headers().get(HttpHeaderNames.ORIGIN));
      return;
    }
    if (request.method().equals(HttpMethod.GET) && request.headers().containsValue(
        HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
      restUpgrade(request, reply);
      return;
    }
    Slot slot = enqueue(false);
    slot.closeAfter = !reply.keepAlive();
    request.retain();
    boolean queued;
    try {
      queued = server.submit(request.content().readableBytes(), () -> {
        try {
          complete(slot, restResponse(reply, server.rest.handle(request, clientAddress())));
        } finally {
          request.release();
        }
      });
    } catch (RuntimeException e) {
      request.release();
      throw e;
    }
    if (!queued) {
      request.release();
      fill(slot, restResponse(reply, new RestApi.Answer(503, TEXT.toString(),
          "server busy: too many requests queued; retry later\n".getBytes(
              StandardCharsets.UTF_8), Map.of("Retry-After", "1"))));
    }
  }

  // A WebSocket on a REST path: a worker authenticates it and asks the service for its stream,
  // then the event loop upgrades, or answers the refusal over HTTP.
  private void restUpgrade(FullHttpRequest request, Reply reply) {
    if (!outbox.isEmpty()) {
      text(new Reply(reply.version(), false, reply.allowOrigin()),
          HttpResponseStatus.BAD_REQUEST, "a WebSocket upgrade cannot follow unanswered requests"
              + " on the same connection");
      return;
    }
    upgrading = true;
    updateAutoRead();
    String path = new QueryStringDecoder(request.uri()).path();
    request.retain();
    boolean queued;
    try {
      queued = server.submit(0, () -> {
        RestApi.Upgrade decision = server.rest.upgrade(request);
        if (!onLoop(() -> decided(request, reply, path, decision), null)) {
          request.release();
        }
      });
    } catch (RuntimeException e) {
      request.release();
      throw e;
    }
    if (!queued) {
      request.release();
      upgrading = false;
      enqueueReady(restResponse(reply, new RestApi.Answer(503, TEXT.toString(),
          "server busy: too many requests queued; retry later\n".getBytes(
              StandardCharsets.UTF_8), Map.of("Retry-After", "1"))), !reply.keepAlive());
    }
  }

  // On the event loop, with the worker's decision on a REST WebSocket upgrade.
  private void decided(FullHttpRequest request, Reply reply, String path,
      RestApi.Upgrade decision) {
    try {
      upgrading = false;
      if (closing || closed) {
        return;
      }
      switch (decision) {
        case RestApi.Upgrade.Refused refused ->
            enqueueReady(restResponse(reply, refused.answer()), !reply.keepAlive());
        case RestApi.Upgrade.Accepted accepted -> {
          if (upgrade(request, reply, path)) {
            restStream = accepted.stream();
            server.runCallback(() -> accepted.stream().onOpen(this));
          }
          updateAutoRead();
        }
      }
    } finally {
      request.release();
    }
  }

  // The peer's address, for a route that counts by where requests come from (resolver scans).
  private InetAddress clientAddress() {
    return ctx.channel().remoteAddress() instanceof InetSocketAddress socket
        ? socket.getAddress() : null;
  }

  private FullHttpResponse restResponse(Reply reply, RestApi.Answer answer) {
    FullHttpResponse response = http(reply, HttpResponseStatus.valueOf(answer.status()),
        answer.contentType(), answer.body().length == 0 ? null
            : Unpooled.wrappedBuffer(answer.body()));
    answer.headers().forEach((name, value) -> response.headers().set(name, value));
    return response;
  }

  // ----------------------------------------------------------------------------- JSON-RPC

  // Runs a JSON-RPC body on a worker; the answer fills a slot taken now. reply is null for a
  // WebSocket message.
  private void dispatch(ByteBuf body, Reply reply) {
    Slot slot = enqueue(false);
    slot.closeAfter = reply != null && !reply.keepAlive();
    int bytes = body.readableBytes();
    body.retain();
    boolean queued;
    try {
      queued = server.submit(bytes, () -> call(slot, body, reply));
    } catch (RuntimeException e) {
      body.release();
      throw e;
    }
    if (!queued) {
      body.release();
      fill(slot, busy(reply));
    }
  }

  // On a worker: answers one body into its slot, as an HTTP response or a text frame (or null);
  // an answer the JSON-RPC layer paces goes out when its pacer lets it.
  private void call(Slot slot, ByteBuf body, Reply reply) {
    ByteBuf out = ctx.alloc().buffer();
    Object answer;
    JsonRpc.Outcome outcome = JsonRpc.Outcome.ANSWER;
    try {
      try (ByteBufInputStream in = new ByteBufInputStream(body);
          ByteBufOutputStream sink = new ByteBufOutputStream(out)) {
        outcome = server.rpc.handle(in, reply == null ? this : null, sink);
      }
      boolean wrote = outcome != JsonRpc.Outcome.NOTHING;
      if (reply == null) {
        answer = wrote ? new TextWebSocketFrame(out.retain()) : null;
      } else {
        answer = wrote ? http(reply, HttpResponseStatus.OK, JSON, out.retain())
            : http(reply, HttpResponseStatus.NO_CONTENT, null, null);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "answering a JSON-RPC request failed", e);
      String error = JsonRpc.errorResponse(JsonRpc.INTERNAL_ERROR,
          "internal error: " + e.getClass().getSimpleName());
      answer = reply == null ? new TextWebSocketFrame(ByteBufUtil.writeUtf8(ctx.alloc(), error))
          : http(reply, HttpResponseStatus.INTERNAL_SERVER_ERROR, JSON,
              ByteBufUtil.writeUtf8(ctx.alloc(), error));
    } finally {
      out.release();
      body.release();
    }
    Object message = answer;
    if (outcome == JsonRpc.Outcome.PACED_ANSWER) {
      server.rpc.pace(() -> complete(slot, message));
    } else {
      complete(slot, message);
    }
  }

  private Object busy(Reply reply) {
    String error = JsonRpc.errorResponse(RpcServer.SERVER_BUSY,
        "server busy: too many requests queued; retry later");
    ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), error);
    return reply == null ? new TextWebSocketFrame(content)
        : http(reply, HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, content);
  }

  // ---------------------------------------------------------------------------- WebSocket

  // Upgrades to a WebSocket; false (after answering why) when it cannot.
  private boolean upgrade(FullHttpRequest request, Reply reply, String path) {
    if (!outbox.isEmpty()) {
      text(new Reply(reply.version(), false, reply.allowOrigin()),
          HttpResponseStatus.BAD_REQUEST, "a WebSocket upgrade cannot follow unanswered requests"
              + " on the same connection");
      return false;
    }
    if (!server.openWebSocket()) {
      text(reply, HttpResponseStatus.SERVICE_UNAVAILABLE, "too many WebSocket connections"
          + " (at most " + server.config.webSocketsMax() + "); retry later");
      return false;
    }
    int max = server.config.webSocketMessageBytesMax();
    WebSocketDecoderConfig decoder = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(max)
        .allowExtensions(false)
        .closeOnProtocolViolation(true)
        .build();
    WebSocketServerHandshaker shake = new WebSocketServerHandshakerFactory(
        "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + path, null,
        decoder).newHandshaker(request);
    if (shake == null) {
      server.closedWebSocket();
      FullHttpResponse response = textResponse(reply, HttpResponseStatus.UPGRADE_REQUIRED,
          "unsupported WebSocket version; use 13");
      response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
      enqueueReady(response, !reply.keepAlive());
      return false;
    }
    try {
      // Writes the 101 and swaps the HTTP codec and body aggregator for WebSocket ones.
      shake.handshake(ctx.channel(), request).addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          LOG.log(System.Logger.Level.DEBUG, "WebSocket handshake failed", f.cause());
          f.channel().close();
        }
      });
    } catch (WebSocketHandshakeException e) {
      server.closedWebSocket();
      text(new Reply(reply.version(), false, reply.allowOrigin()),
          HttpResponseStatus.BAD_REQUEST, "bad WebSocket upgrade: " + e.getMessage());
      return false;
    } catch (RuntimeException e) {
      server.closedWebSocket(); // the slot is not held by a WebSocket after all
      throw e;
    }
    handshaker = shake;
    webSocket = true;
    // In place before the first frame is read: frames join up to one bounded message.
    ctx.pipeline().addBefore(HANDLER, "ws-aggregator", new WebSocketFrameAggregator(max));
    return true;
  }

  private void onFrame(WebSocketFrame frame) {
    RestStream stream = restStream;
    if (frame instanceof TextWebSocketFrame && stream != null) {
      String text = frame.content().toString(StandardCharsets.UTF_8);
      if (!server.submit(frame.content().readableBytes(), () -> stream.onMessage(text))) {
        closeWebSocket(WebSocketCloseStatus.TRY_AGAIN_LATER, "server busy; reconnect later");
      }
    } else if (frame instanceof TextWebSocketFrame) {
      dispatch(frame.content(), null);
    } else if (frame instanceof PingWebSocketFrame) {
      ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
    } else if (frame instanceof PongWebSocketFrame) {
      // The read itself proved the client alive.
    } else if (frame instanceof CloseWebSocketFrame) {
      closing = true;
      handshaker.close(ctx.channel(), (CloseWebSocketFrame) frame.retain());
    } else if (frame instanceof BinaryWebSocketFrame) {
      closeWebSocket(WebSocketCloseStatus.INVALID_MESSAGE_TYPE,
          "binary messages are not supported; send JSON as text");
    } else {
      closeWebSocket(WebSocketCloseStatus.PROTOCOL_ERROR, "unexpected frame "
          + frame.getClass().getSimpleName());
    }
  }

  // Says why, then closes; forced after a second if the client does not take the close frame.
  private void closeWebSocket(WebSocketCloseStatus status, String reason) {
    if (closing) {
      return;
    }
    closing = true;
    releaseOutbox();
    ctx.writeAndFlush(new CloseWebSocketFrame(status, reason))
        .addListener(ChannelFutureListener.CLOSE);
    Runnable force = ctx::close;
    ctx.executor().schedule(force, 1, TimeUnit.SECONDS);
  }

  @Override
  public void close(String reason) {
    ctx.executor().execute(() -> {
      if (webSocket) {
        closeWebSocket(WebSocketCloseStatus.POLICY_VIOLATION, reason);
      } else {
        ctx.close();
      }
    });
  }

  /** On the event loop when the server closes. */
  void shutDown() {
    if (webSocket) {
      closeWebSocket(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "server shutting down");
    } else {
      closing = true;
      if (outbox.isEmpty()) {
        ctx.close();
      } else {
        // The answers in flight were handed over before this ran; close after the last.
        Slot last = enqueue(false);
        last.closeAfter = true;
        fill(last, null);
      }
    }
  }

  // ------------------------------------------------------------------------------ Session

  @Override
  public long id() {
    return id;
  }

  @Override
  public void send(String json) {
    if (!isOpen()) {
      return;
    }
    if (notificationsQueued.incrementAndGet() > NOTIFICATIONS_QUEUED_MAX) {
      notificationsQueued.decrementAndGet();
      if (tooSlow.compareAndSet(false, true)) {
        onLoop(() -> closeWebSocket(WebSocketCloseStatus.POLICY_VIOLATION, "more than "
            + NOTIFICATIONS_QUEUED_MAX + " notifications unread; the client is too slow"), null);
      }
      return;
    }
    notifications.add(new TextWebSocketFrame(ByteBufUtil.writeUtf8(ctx.alloc(), json)));
    if (closed) {
      releaseNotifications(); // the connection closed while this one was added
    } else if (notificationsScheduled.compareAndSet(false, true)) {
      // One hand-over to the event loop carries every notification queued until it runs.
      if (!onLoop(this::takeNotifications, null)) {
        releaseNotifications();
      }
    }
  }

  // On the event loop: moves queued notifications to the outbox, behind the answers pending.
  private void takeNotifications() {
    notificationsScheduled.set(false);
    if (closing || closed) {
      releaseNotifications();
      return;
    }
    for (TextWebSocketFrame frame; (frame = notifications.poll()) != null; ) {
      Slot slot = new Slot(true);
      slot.message = frame;
      slot.ready = true;
      outbox.addLast(slot);
    }
    drain();
  }

  private void releaseNotifications() {
    for (TextWebSocketFrame frame; (frame = notifications.poll()) != null; ) {
      frame.release();
    }
  }

  @Override
  public boolean isOpen() {
    return webSocket && !closing && !closed;
  }

  @Override
  public void onClose(Runnable callback) {
    synchronized (closeCallbacks) {
      if (!callbacksRan) {
        if (closeCallbacks.size() >= CLOSE_CALLBACKS_MAX) {
          throw new IllegalStateException("a session holds at most " + CLOSE_CALLBACKS_MAX
              + " close callbacks");
        }
        closeCallbacks.add(callback);
        return;
      }
    }
    server.runCallback(callback);
  }

  // ------------------------------------------------------------------------------- Outbox

  private Slot enqueue(boolean notification) {
    Slot slot = new Slot(notification);
    outbox.addLast(slot);
    updateAutoRead();
    return slot;
  }

  private void enqueueReady(Object message, boolean closeAfter) {
    Slot slot = enqueue(false);
    slot.closeAfter = closeAfter;
    fill(slot, message);
  }

  // From a worker: hands an answer to the event loop.
  private void complete(Slot slot, Object message) {
    onLoop(() -> fill(slot, message), message);
  }

  // Runs a task on the event loop; false (after releasing the message) once the loop is gone.
  private boolean onLoop(Runnable task, Object toReleaseIfRejected) {
    EventLoop loop = ctx.channel().eventLoop();
    if (loop.inEventLoop()) {
      task.run();
      return true;
    }
    try {
      loop.execute(task);
      return true;
    } catch (RejectedExecutionException e) {
      // The server is gone; so is the client.
      ReferenceCountUtil.release(toReleaseIfRejected);
      return false;
    }
  }

  private void fill(Slot slot, Object message) {
    if (closed) {
      ReferenceCountUtil.release(message);
      return;
    }
    slot.message = message;
    slot.ready = true;
    drain();
  }

  // Writes the filled slots at the head of the outbox while the socket takes more.
  private void drain() {
    boolean wrote = false;
    while (!closed && !outbox.isEmpty() && outbox.peekFirst().ready
        && ctx.channel().isWritable()) {
      Slot slot = outbox.pollFirst();
      if (slot.notification) {
        notificationsQueued.decrementAndGet();
      }
      if (slot.message != null) {
        ChannelFuture written = ctx.write(slot.message);
        wrote = true;
        if (slot.closeAfter) {
          written.addListener(ChannelFutureListener.CLOSE);
        }
      } else if (slot.closeAfter) {
        ctx.flush();
        ctx.close();
      }
      if (slot.closeAfter) {
        closing = true;
        releaseOutbox();
        break;
      }
    }
    if (wrote) {
      ctx.flush();
    }
    updateAutoRead();
  }

  // Reads only while the connection's answers are few and the client takes them.
  private void updateAutoRead() {
    ChannelConfig config = ctx.channel().config();
    boolean read = !closing && !upgrading && outbox.size() < server.config.pendingPerConnectionMax()
        && ctx.channel().isWritable();
    if (config.isAutoRead() != read) {
      config.setAutoRead(read);
    }
  }

  private void releaseOutbox() {
    for (Slot slot : outbox) {
      ReferenceCountUtil.release(slot.message);
    }
    outbox.clear();
    releaseNotifications();
  }

  // ------------------------------------------------------------------------ Channel events

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    drain();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      if (webSocket) {
        if (pinged) {
          closeWebSocket(WebSocketCloseStatus.POLICY_VIOLATION, "no answer to ping; closing");
        } else {
          pinged = true;
          ctx.writeAndFlush(new PingWebSocketFrame());
        }
      } else if (outbox.isEmpty()) {
        ctx.close(); // an idle keep-alive connection; a slow call keeps it open
      }
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    releaseOutbox();
    if (webSocket) {
      server.closedWebSocket();
    }
    List<Runnable> callbacks;
    synchronized (closeCallbacks) {
      callbacksRan = true;
      callbacks = List.copyOf(closeCallbacks);
      closeCallbacks.clear();
    }
    for (Runnable callback : callbacks) {
      server.runCallback(callback);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (webSocket && cause instanceof TooLongFrameException) {
      closeWebSocket(WebSocketCloseStatus.MESSAGE_TOO_BIG, "message exceeds "
          + server.config.webSocketMessageBytesMax() + " bytes");
    } else if (cause instanceof CorruptedWebSocketFrameException) {
      // The decoder already sent the close frame with the reason.
      LOG.log(System.Logger.Level.DEBUG, "bad WebSocket frame", cause);
      ctx.close();
    } else if (cause instanceof IOException || cause instanceof DecoderException
        || cause instanceof PrematureChannelClosureException) {
      // The client's doing (a reset, garbage, leaving mid-body): not worth an operator's time.
      LOG.log(System.Logger.Level.DEBUG, "connection failed", cause);
      ctx.close();
    } else {
      LOG.log(System.Logger.Level.WARNING, "closing an RPC connection after an error", cause);
      ctx.close();
    }
  }

  // ------------------------------------------------------------------------ HTTP replies

  // Queues a text/plain answer in order.
  private void text(Reply reply, HttpResponseStatus status, String body) {
    enqueueReady(textResponse(reply, status, body), !reply.keepAlive());
  }

  private FullHttpResponse textResponse(Reply reply, HttpResponseStatus status, String body) {
    return http(reply, status, TEXT, ByteBufUtil.writeUtf8(ctx.alloc(), body + "\n"));
  }

  private void jsonError(Reply reply, HttpResponseStatus status, int code, String message) {
    FullHttpResponse response = http(reply, status, JSON,
        ByteBufUtil.writeUtf8(ctx.alloc(), JsonRpc.errorResponse(code, message)));
    enqueueReady(response, !reply.keepAlive());
  }

  private static FullHttpResponse http(Reply reply, HttpResponseStatus status,
      CharSequence contentType, ByteBuf body) {
    DefaultFullHttpResponse response = new DefaultFullHttpResponse(reply.version(), status,
        body == null ? Unpooled.EMPTY_BUFFER : body, RESPONSE_HEADERS, TRAILERS);
    HttpHeaders headers = response.headers();
    if (contentType != null) {
      headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    if (status.code() != 204) {
      headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.readableBytes());
    }
    if (!reply.keepAlive()) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (reply.version().equals(HttpVersion.HTTP_1_0)) {
      headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    if (reply.allowOrigin() != null) {
      headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, reply.allowOrigin());
      if (!reply.allowOrigin().equals("*")) {
        headers.set(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
      }
    }
    return response;
  }

  // ------------------------------------------------------------------ Oversized bodies

  /** A request whose body was too large, passed on in order instead of its body. */
  record Oversized(HttpVersion version, boolean keepAlive, String origin, String uri) {}

  /**
   * Joins a request's body parts, up to a bound. A request over the bound becomes an {@link
   * Oversized} message, so that the 413 goes out in order with a JSON-RPC body; the rest of its
   * body is read and dropped when the connection stays open.
   */
  static final class BodyAggregator extends HttpObjectAggregator {
    BodyAggregator(int maxContentLength) {
      super(maxContentLength);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      // A message already in full, or one that is the last of its connection, cannot be
      // followed by another: close after the answer. Else drop the rest of its body.
      boolean keepAlive = !(oversized instanceof FullHttpMessage)
          && HttpUtil.isKeepAlive(oversized);
      String uri = oversized instanceof HttpRequest request
          ? request.uri() : "/";
      ctx.fireChannelRead(new Oversized(oversized.protocolVersion(), keepAlive,
          oversized.headers().get(HttpHeaderNames.ORIGIN), uri));
    }
  }
}
