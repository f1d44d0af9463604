package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.evm.Address;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestObserver;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The EPCIS binding and the Digital Link resolver on a {@link TraceChain}, through the node's
 * REST layer without a socket, on a clock the test moves; reopened on the same directories, it
 * shows what a restarted node keeps.
 */
final class TraceApi implements AutoCloseable {
  final TraceChain chain;
  final EpcisService service;
  final RestApi api;
  final MovableClock clock;

  /** A clock that stands still until the test moves it. */
  static final class MovableClock extends Clock {
    Instant now = Instant.parse("2024-06-01T08:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A second capturer's account, for the token {@code Bearer other}. */
  static final Address OTHER = Address.ofIndex(7);

  TraceApi(Path dir, ScanRules rules, MovableClock clock) {
    this.clock = clock;
    chain = new TraceChain(dir.resolve("chain"));
    service = chain.follow(new EpcisService(chain.context(), dir.resolve("trace"), clock));
    api = new RestApi(List.of(service, service.resolver(rules)), authorization ->
        authorization == null ? Optional.empty() : Optional.of(new Caller(
            authorization.endsWith(" other") ? OTHER : TraceChain.SENDER,
            Set.of(EpcisService.CAPTURER), "test token")), RestObserver.NONE, "test");
  }

  /** Captures an EPCIS document and puts it in a block. */
  void capture(byte[] document) {
    RestApi.Answer answer = send("POST", "/epcis/capture", document, Map.of(), null);
    if (answer.status() != 202) {
      throw new AssertionError("capture refused: " + new String(answer.body()));
    }
    chain.mine();
  }

  RestApi.Answer get(String uri, Map<String, String> headers) {
    return send("GET", uri, null, headers, null);
  }

  RestApi.Answer send(String method, String uri, byte[] body, Map<String, String> headers,
      InetAddress client) {
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.valueOf(method), uri, body == null ? Unpooled.EMPTY_BUFFER
            : Unpooled.wrappedBuffer(body));
    if (body != null) {
      request.headers().set("Content-Type", "application/ld+json");
      request.headers().set("Authorization", "Bearer t");
    }
    headers.forEach(request.headers()::set);
    return api.handle(request, client);
  }

  static JsonNode json(RestApi.Answer answer) {
    try {
      return TraceChain.JSON.readTree(answer.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    service.close();
    chain.close();
  }
}
