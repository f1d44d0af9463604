package io.chorus.rpc;

import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Transport throughput on this machine, the load generator sharing its CPU: closed-loop
 * clients POST an eth_sendRawTransaction-sized call over keep-alive connections; the method
 * decodes the hex and hashes it (the transport's cost, not signature recovery). Not a unit
 * test; run from the module with the test classpath:
 *
 * <pre>
 * mvn -q -o -pl rpc dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp rpc/target/classes:rpc/target/test-classes:$(cat /tmp/cp.txt) \
 *     io.chorus.rpc.RpcLoad [seconds=10] [connections=8] [pipeline=1] [ioThreads workers]
 * </pre>
 */
public final class RpcLoad {
  private RpcLoad() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int pipeline = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    RpcServer.Config config = RpcServer.Config.defaults().withPort(0);
    if (args.length > 4) {
      config = config.withThreads(Integer.parseInt(args[3]), Integer.parseInt(args[4]));
    }
    JsonRpc rpc = new JsonRpc(Map.of("eth_sendRawTransaction", params -> {
      String hex = params.get(0).asText();
      byte[] tx = HexFormat.of().parseHex(hex, 2, hex.length());
      return TextNode.valueOf("0x" + HexFormat.of().formatHex(sha256(tx)));
    }));
    // A signed legacy transfer is ~110 bytes, an EIP-1559 one with calldata a few hundred.
    byte[] tx = new byte[200];
    new java.util.Random(1).nextBytes(tx);
    String body = "{\"jsonrpc\":\"2.0\",\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x"
        + HexFormat.of().formatHex(tx) + "\"],\"id\":1}";
    byte[] one = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    byte[] request = new byte[one.length * pipeline];
    for (int i = 0; i < pipeline; i++) {
      System.arraycopy(one, 0, request, i * one.length, one.length);
    }
    try (RpcServer server = RpcServer.start(rpc, config)) {
      LongAdder done = new LongAdder();
      List<Thread> clients = new ArrayList<>();
      long warmup = System.nanoTime() + 2_000_000_000L;
      long end = warmup + seconds * 1_000_000_000L;
      for (int c = 0; c < connections; c++) {
        clients.add(Thread.ofPlatform().start(() -> {
          try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            while (System.nanoTime() < end) {
              out.write(request);
              for (int i = 0; i < pipeline; i++) {
                readResponse(in);
              }
              if (System.nanoTime() > warmup) {
                done.add(pipeline);
              }
            }
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      for (Thread t : clients) {
        t.join();
      }
      System.out.printf("%s, %d connections, pipeline %d: %.0f calls/s%n",
          server.usesEpoll() ? "epoll" : "nio", connections, pipeline,
          done.sum() / (double) seconds);
    }
  }

  // Skips one response: headers up to the blank line, then Content-Length bytes.
  private static void readResponse(InputStream in) throws IOException {
    int length = -1;
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed");
      }
      if (b == '\n') {
        if (line.isEmpty()) {
          break;
        }
        String l = line.toString();
        if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
          length = Integer.parseInt(l.substring(15).trim());
        }
        line.setLength(0);
      } else if (b != '\r') {
        line.append((char) b);
      }
    }
    if (length < 0) {
      throw new IOException("a response without Content-Length");
    }
    in.skipNBytes(length);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
