package io.chorus.trace;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A webhook receiver on the JDK's HTTP server for subscription tests: records every delivery
 * with when it came, answers with the status it is told, can be stopped and started again on
 * the same port (a receiver that was down).
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One delivery: when it arrived, what was answered, its cursor and signature headers. */
  public record Delivery(Instant at, int status, String cursor, String signature, byte[] body) {}

  public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  /** The status the next deliveries are answered with. */
  public volatile int answer = 204;
  private final int port;
  private HttpServer server;

  public WebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    port = server.getAddress().getPort();
    serve();
  }

  private void serve() {
    server.createContext("/hook", exchange -> {
      Instant at = Instant.now();
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status = answer;
      deliveries.add(new Delivery(at, status, exchange.getRequestHeaders().getFirst(
          SubscriptionDeliverer.CURSOR_HEADER), exchange.getRequestHeaders().getFirst(
              "GS1-Signature"), body));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  public void stop() {
    server.stop(0);
  }

  public void restart() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    serve();
  }

  /** The deliveries answered with a 2xx. */
  public List<Delivery> acknowledged() {
    return deliveries.stream().filter(d -> d.status() / 100 == 2).toList();
  }

  @Override
  public void close() {
    stop();
  }
}
