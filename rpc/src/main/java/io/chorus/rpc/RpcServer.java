package io.chorus.rpc;

import io.chorus.rpc.rest.RestApi;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The node's JSON-RPC endpoint on one TCP port, on Netty: HTTP/1.1 POST and WebSocket.
 *
 * <ul>
 *   <li>{@code POST /} with {@code Content-Type: application/json}: one JSON-RPC body in, its
 *       response out ({@code 200 application/json}); a body of notifications only gets
 *       {@code 204 No Content}. Keep-alive and pipelining: the responses of one connection go
 *       out in the order of its requests. A body over {@link JsonRpc#REQUEST_BYTES_MAX} gets
 *       {@code 413} with a JSON-RPC error body.
 *   <li>{@code GET /} or {@code GET /ws} with a WebSocket upgrade: each text message is a
 *       JSON-RPC body, answered by a text message; the connection is the calls' {@link
 *       JsonRpc.Session}, so subscriptions push notifications over it.
 *   <li>{@code GET} on the caller's {@link Route}s, e.g. {@code /metrics} and {@code /health}.
 *   <li>{@code GET} and {@code HEAD} under a {@link StaticSite}'s prefix: its files from memory,
 *       gzipped when the client accepts it, revalidated by ETag; a browser's plain {@code GET /}
 *       (no WebSocket upgrade) is redirected there.
 *   <li>Under {@code /api/}: the {@link RestApi}'s routes (GET, POST, PUT, DELETE), answered
 *       in JSON, their errors as {@code application/problem+json}; a {@code GET} with a
 *       WebSocket upgrade on a REST path opens the stream of its {@link
 *       io.chorus.rpc.rest.StreamRoute}, once the REST layer authenticated it.
 *   <li>CORS: allowed origins are configured ({@code *} by default), preflights answered; a
 *       request from an origin not allowed gets {@code 403}.
 * </ul>
 *
 * <p>JSON-RPC calls and routes run on a bounded worker pool, never on the I/O threads, so a
 * method may block. Everything is bounded: connections, WebSocket connections, request and
 * message bytes, requests in flight per connection, the worker queue and the bytes it holds;
 * past a bound the client gets a clear error (HTTP status, JSON-RPC error -32005, or a
 * WebSocket close reason), and the server goes on serving the others.
 *
 * <p>Use: {@code RpcServer server = RpcServer.start(rpc, Config.defaults().withPort(8545));}
 * then {@link #close()} on shutdown.
 */
public final class RpcServer implements AutoCloseable {
  /** The JSON-RPC error code for "server busy, retry later", as Geth's "limit exceeded". */
  public static final int SERVER_BUSY = -32005;
  /** The content type of the Prometheus text exposition format. */
  public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final System.Logger LOG = System.getLogger(RpcServer.class.getName());
  // How long close() lets calls in flight finish, and connections say goodbye.
  private static final long CLOSE_GRACE_MILLIS = 5_000;
  private static final String TOO_MANY_CONNECTIONS_BODY = "too many connections; retry later\n";
  private static final String TOO_MANY_CONNECTIONS = "HTTP/1.1 503 Service Unavailable\r\n"
      + "Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: "
      + TOO_MANY_CONNECTIONS_BODY.length() + "\r\n\r\n" + TOO_MANY_CONNECTIONS_BODY;

  /**
   * A plain GET route: its body is produced on a worker thread at each request.
   *
   * @param contentType the response's Content-Type, e.g. {@link #PROMETHEUS_CONTENT_TYPE}
   * @param body the response body; an exception or null gives a 500
   */
  public record Route(String contentType, Supplier<String> body) {
    public Route {
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(body, "body");
      if (contentType.isBlank()) {
        throw new IllegalArgumentException("a route needs a content type");
      }
    }

    /** A route answering {@code text/plain; charset=utf-8}. */
    public static Route text(Supplier<String> body) {
      return new Route("text/plain; charset=utf-8", body);
    }

    /** A route answering Prometheus text ({@link #PROMETHEUS_CONTENT_TYPE}). */
    public static Route prometheus(Supplier<String> body) {
      return new Route(PROMETHEUS_CONTENT_TYPE, body);
    }
  }

  /**
   * The server's settings; start from {@link #defaults()} and change with the {@code with}
   * methods.
   *
   * @param host the address to listen on; 127.0.0.1 by default, so only local clients reach it
   * @param port the port; 0 picks a free one ({@link RpcServer#port()} tells which)
   * @param allowedOrigins browser origins allowed (CORS and WebSocket), e.g.
   *     {@code https://app.example}, matched without regard to case; {@code *} allows any
   * @param routes GET routes by path (each starting with "/", not "/", "/ws" or under "/api")
   * @param site files answered from memory under a prefix, e.g. the console under {@code
   *     /console} (a browser's plain {@code GET /} is sent there); {@link StaticSite#NONE} for
   *     none
   * @param ioThreads Netty event loop threads; they only move bytes, so 1 suits a small box
   * @param workerThreads threads running JSON-RPC calls and routes
   * @param workerQueueMax calls waiting for a worker; beyond, the client gets "server busy"
   * @param workerQueueBytesMax request bytes held by waiting and running calls; beyond, busy
   * @param connectionsMax open TCP connections; beyond, new ones get a 503 and are closed
   * @param webSocketsMax open WebSocket connections; beyond, upgrades get a 503
   * @param webSocketMessageBytesMax the largest WebSocket message (and frame) accepted
   * @param pendingPerConnectionMax requests of one connection in flight before the server stops
   *     reading from it until some are answered (backpressure, not an error)
   * @param idleTimeout an HTTP connection idle this long is closed; a WebSocket idle this long
   *     is pinged, and closed if still silent after as long again
   * @param preferEpoll use Linux epoll when available (NIO otherwise or when false)
   */
  public record Config(
      String host,
      int port,
      List<String> allowedOrigins,
      Map<String, Route> routes,
      StaticSite site,
      int ioThreads,
      int workerThreads,
      int workerQueueMax,
      long workerQueueBytesMax,
      int connectionsMax,
      int webSocketsMax,
      int webSocketMessageBytesMax,
      int pendingPerConnectionMax,
      Duration idleTimeout,
      boolean preferEpoll) {
    public Config {
      Objects.requireNonNull(host, "host");
      allowedOrigins = List.copyOf(allowedOrigins);
      routes = Map.copyOf(routes);
      Objects.requireNonNull(site, "site");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be 0..65535, not " + port);
      }
      for (String path : routes.keySet()) {
        if (!path.startsWith("/") || path.equals("/") || path.equals("/ws")
            || path.indexOf('?') >= 0 || RestApi.owns(path) || site.owns(path)) {
          throw new IllegalArgumentException("a route path starts with / and is not /, /ws,"
              + " a query, under /api (the REST API's) or under the site's prefix: " + path);
        }
      }
      positive("ioThreads", ioThreads);
      positive("workerThreads", workerThreads);
      positive("workerQueueMax", workerQueueMax);
      positive("connectionsMax", connectionsMax);
      positive("webSocketsMax", webSocketsMax);
      positive("webSocketMessageBytesMax", webSocketMessageBytesMax);
      positive("pendingPerConnectionMax", pendingPerConnectionMax);
      if (workerQueueBytesMax < Math.max(JsonRpc.REQUEST_BYTES_MAX, webSocketMessageBytesMax)) {
        throw new IllegalArgumentException("workerQueueBytesMax must hold at least one request"
            + " of the largest size, not " + workerQueueBytesMax);
      }
      if (idleTimeout.toMillis() < 1) {
        throw new IllegalArgumentException("idleTimeout must be at least 1 ms");
      }
    }

    private static void positive(String name, long value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive, not " + value);
      }
    }

    /**
     * 127.0.0.1:8545, any origin, no routes nor site, one I/O thread and two workers per core
     * (at least four, so that a few slow calls such as eth_call do not hold up the quick ones),
     * 4096 queued calls holding at most 256 MiB, 1024 connections of which 256 WebSockets,
     * WebSocket messages up to {@link JsonRpc#REQUEST_BYTES_MAX}, 64 requests in flight per
     * connection, 60 s idle timeout, epoll when available.
     */
    public static Config defaults() {
      return new Config("127.0.0.1", 8545, List.of("*"), Map.of(), StaticSite.NONE, 1,
          Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), 4096, 256L << 20, 1024,
          256,
          JsonRpc.REQUEST_BYTES_MAX, 64, Duration.ofSeconds(60), true);
    }

    public Config withHost(String host) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withPort(int port) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withAllowedOrigins(List<String> allowedOrigins) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withRoutes(Map<String, Route> routes) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withSite(StaticSite site) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withThreads(int ioThreads, int workerThreads) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withWorkerQueue(int workerQueueMax, long workerQueueBytesMax) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withConnectionsMax(int connectionsMax, int webSocketsMax) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withWebSocketMessageBytesMax(int webSocketMessageBytesMax) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withPendingPerConnectionMax(int pendingPerConnectionMax) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withIdleTimeout(Duration idleTimeout) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }

    public Config withPreferEpoll(boolean preferEpoll) {
      return new Config(host, port, allowedOrigins, routes, site, ioThreads, workerThreads,
          workerQueueMax, workerQueueBytesMax, connectionsMax, webSocketsMax,
          webSocketMessageBytesMax, pendingPerConnectionMax, idleTimeout, preferEpoll);
    }
  }

  final JsonRpc rpc;
  final RestApi rest;
  final Config config;
  private final boolean anyOrigin;
  private final List<String> origins;
  private final EventLoopGroup group;
  private final ThreadPoolExecutor workers;
  private final ChannelGroup channels;
  private final Channel serverChannel;
  private final boolean epoll;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger webSockets = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong sessionIds = new AtomicLong();

  private RpcServer(JsonRpc rpc, RestApi rest, Config config) throws IOException {
    this.rpc = Objects.requireNonNull(rpc, "rpc");
    this.rest = Objects.requireNonNull(rest, "rest");
    this.config = Objects.requireNonNull(config, "config");
    for (String path : config.routes().keySet()) {
      if (rest.serves(path)) {
        throw new IllegalArgumentException("the plain route " + path + " lies under a REST"
            + " service's root");
      }
    }
    if (config.site() != StaticSite.NONE && rest.serves(config.site().prefix())) {
      throw new IllegalArgumentException("the site's prefix " + config.site().prefix()
          + " lies under a REST service's root");
    }
    this.anyOrigin = config.allowedOrigins().contains("*");
    this.origins = config.allowedOrigins().stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
    this.epoll = config.preferEpoll() && Epoll.isAvailable();
    IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    Class<? extends ServerChannel> channelType =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(),
        new DefaultThreadFactory("chorus-rpc-io", true), io);
    this.workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 0,
        TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(config.workerQueueMax()),
        workerThreads());
    this.channels = new DefaultChannelGroup("chorus-rpc", GlobalEventExecutor.INSTANCE);
    long idleMillis = config.idleTimeout().toMillis();
    HttpDecoderConfig http = new HttpDecoderConfig()
        .setMaxInitialLineLength(8 * 1024)
        .setMaxHeaderSize(16 * 1024)
        .setMaxChunkSize(64 * 1024);
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        // Past 1 MiB unsent to a client the connection stops taking more until it drains.
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
            new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (!admit(ch)) {
              return;
            }
            ch.pipeline()
                .addLast(RpcConnection.IDLE, new IdleStateHandler(idleMillis, 0, 0,
                    TimeUnit.MILLISECONDS))
                .addLast("http", new HttpServerCodec(http))
                .addLast(RpcConnection.AGGREGATOR,
                    new RpcConnection.BodyAggregator(JsonRpc.REQUEST_BYTES_MAX))
                .addLast(RpcConnection.HANDLER, new RpcConnection(RpcServer.this,
                    sessionIds.incrementAndGet()));
          }
        });
    ChannelFuture bound = bootstrap.bind(config.host(), config.port()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutDownThreads();
      Throwable cause = bound.cause();
      throw new IOException("cannot listen on " + config.host() + ":" + config.port() + ": "
          + cause.getMessage(), cause);
    }
    this.serverChannel = bound.channel();
  }

  /**
   * Binds and starts serving.
   *
   * @throws IOException when the address cannot be listened on (e.g. the port is taken)
   */
  public static RpcServer start(JsonRpc rpc, Config config) throws IOException {
    return new RpcServer(rpc, RestApi.NONE, config);
  }

  /**
   * Binds and starts serving JSON-RPC and, under {@code /api/}, the REST API.
   *
   * @throws IOException when the address cannot be listened on (e.g. the port is taken)
   */
  public static RpcServer start(JsonRpc rpc, RestApi rest, Config config) throws IOException {
    return new RpcServer(rpc, rest, config);
  }

  /** The port listened on (the one picked when the configured port was 0). */
  public int port() {
    return address().getPort();
  }

  /** The address listened on. */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Whether the server runs on Linux epoll (else NIO). */
  public boolean usesEpoll() {
    return epoll;
  }

  /** Open TCP connections, WebSockets included. */
  public int openConnections() {
    return connections.get();
  }

  /** Open WebSocket connections. */
  public int openWebSockets() {
    return webSockets.get();
  }

  /**
   * Stops accepting, lets the calls in flight finish and their responses go out (for up to a
   * few seconds), closes every connection (WebSockets with close code 1001) and stops all
   * threads. The port is free when this returns. Idempotent. Call it from a thread of the
   * node's own, not from an RPC method or route (it waits for those to finish).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    serverChannel.close().awaitUninterruptibly();
    // Requests still arriving are answered "busy": the pool takes no more work.
    workers.shutdown();
    try {
      if (!workers.awaitTermination(CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "RPC calls still running after "
            + CLOSE_GRACE_MILLIS + " ms; closing their connections anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Channel ch : channels) {
      RpcConnection connection = ch.pipeline().get(RpcConnection.class);
      if (connection != null) {
        ch.eventLoop().execute(connection::shutDown);
      } else {
        ch.close();
      }
    }
    if (!channels.newCloseFuture().awaitUninterruptibly(CLOSE_GRACE_MILLIS)) {
      channels.close().awaitUninterruptibly(CLOSE_GRACE_MILLIS);
    }
    shutDownThreads();
  }

  private void shutDownThreads() {
    workers.shutdownNow();
    group.shutdownGracefully(0, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(2 * CLOSE_GRACE_MILLIS);
  }

  // Counts a new connection in, or turns it away with a 503 when there are too many.
  private boolean admit(Channel ch) {
    if (connections.incrementAndGet() > config.connectionsMax()) {
      connections.decrementAndGet();
      // The pipeline is empty: these bytes go to the socket as they are.
      ch.writeAndFlush(ByteBufUtil.writeAscii(ch.alloc(), TOO_MANY_CONNECTIONS))
          .addListener(ChannelFutureListener.CLOSE);
      return false;
    }
    ch.closeFuture().addListener(f -> connections.decrementAndGet());
    channels.add(ch);
    return true;
  }

  // Reserves a WebSocket slot; false when all are taken.
  boolean openWebSocket() {
    if (webSockets.incrementAndGet() > config.webSocketsMax()) {
      webSockets.decrementAndGet();
      return false;
    }
    return true;
  }

  void closedWebSocket() {
    webSockets.decrementAndGet();
  }

  /**
   * Runs a call on a worker if the queue has room for it and its bytes; false when busy (or
   * closing). The bytes are released when the task ends.
   */
  boolean submit(int bytes, Runnable task) {
    if (queuedBytes.addAndGet(bytes) > config.workerQueueBytesMax()) {
      queuedBytes.addAndGet(-bytes);
      return false;
    }
    try {
      workers.execute(() -> {
        try {
          task.run();
        } finally {
          queuedBytes.addAndGet(-bytes);
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      queuedBytes.addAndGet(-bytes);
      return false;
    }
  }

  /** Runs a session's callback on a worker; inline when the pool is full or closed. */
  void runCallback(Runnable callback) {
    Runnable safe = () -> {
      try {
        callback.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a session callback failed", e);
      }
    };
    try {
      workers.execute(safe);
    } catch (RejectedExecutionException e) {
      safe.run();
    }
  }

  /**
   * The Access-Control-Allow-Origin value for a request's Origin header: null when the request
   * has none; "" when the origin is not allowed.
   */
  String allowOrigin(String origin) {
    if (origin == null) {
      return null;
    }
    if (anyOrigin) {
      return "*";
    }
    return origins.contains(origin.toLowerCase(Locale.ROOT)) ? origin : "";
  }

  private static ThreadFactory workerThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "chorus-rpc-worker-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
