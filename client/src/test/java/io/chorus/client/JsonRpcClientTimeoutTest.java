package io.chorus.client;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A node that accepts a request and never answers: the call fails after the client's timeout
 * with a message saying the node is slow or stuck, instead of waiting without end.
 */
class JsonRpcClientTimeoutTest {
  @Test
  void aStuckNodeFailsTheCallAfterTheTimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    HttpServer stuck = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stuck.createContext("/", exchange -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    stuck.start();
    try {
      JsonRpcClient client = new JsonRpcClient("http://127.0.0.1:"
          + stuck.getAddress().getPort(), Duration.ofMillis(300));
      long started = System.nanoTime();
      ClientException e = assertThrows(ClientException.class,
          () -> client.call("eth_blockNumber"));
      long waitedMillis = (System.nanoTime() - started) / 1_000_000;
      assertTrue(e.getMessage().contains("did not answer eth_blockNumber within 300 ms"),
          e.getMessage());
      assertTrue(e.getMessage().contains("slow or stuck"), e.getMessage());
      assertTrue(waitedMillis < 10_000, "waited " + waitedMillis + " ms");
    } finally {
      release.countDown();
      stuck.stop(0);
    }
  }
}
