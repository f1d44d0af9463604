package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network that {@code chorus up --rpc-port 0} started, driven from a test: each member's
 * process can be killed, stopped and restarted with the arguments {@code up} gave it (the same
 * p2p ports and peers, a fresh RPC port), and asked over JSON-RPC for its head and blocks.
 */
final class LocalNetwork implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A block as a node reports it. */
  record Head(long number, String hash) {}

  private final NetworkDir net;
  private final List<DataDir> members = new ArrayList<>();
  // The 'chorus node' arguments of each member: restarts reuse them, p2p ports and all.
  private final List<List<String>> args = new ArrayList<>();
  private final List<Process> restarted = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * Takes over the members of a network that runs on {@code root}; stops them if it cannot, so
   * that no node outlives the test.
   */
  static LocalNetwork takeOver(Path root) {
    try {
      return new LocalNetwork(root);
    } catch (RuntimeException | Error e) {
      Chorus.commandLine().execute("down", "--dir", root.toString());
      throw e;
    }
  }

  private LocalNetwork(Path root) {
    net = new NetworkDir(root);
    List<NetworkDir.Member> all = net.members();
    var launcher = new NetworkLauncher(net, new NetworkLauncher.Ports("127.0.0.1", 0, null),
        new PrintWriter(Writer.nullWriter()));
    for (int i = 0; i < all.size(); i++) {
      members.add(net.data(all.get(i)));
      args.add(launcher.nodeArgs(all, net.p2pPortsInUse(), i));
    }
  }

  int size() {
    return members.size();
  }

  DataDir data(int member) {
    return members.get(member);
  }

  private static long pid(DataDir data) {
    return data.running().orElseThrow(() -> new AssertionError("no node runs on " + data.root))
        .pid();
  }

  boolean alive(int member) {
    return members.get(member).running().isPresent();
  }

  /** SIGKILL: the member gets no chance to flush or say goodbye. */
  void kill(int member) throws Exception {
    ProcessHandle process = ProcessHandle.of(pid(members.get(member))).orElseThrow();
    process.destroyForcibly();
    process.onExit().get(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as 'chorus down' sends, and waits until it has closed its store. */
  void stop(int member) throws Exception {
    ProcessHandle process = ProcessHandle.of(pid(members.get(member))).orElseThrow();
    process.destroy();
    process.onExit().get(60, TimeUnit.SECONDS);
  }

  /** Starts the member again as 'chorus up' did; returns once it answers RPC. */
  void restart(int member) throws Exception {
    DataDir data = members.get(member);
    Process process = NodeProcess.spawn(data, NetworkLauncher.memberJvmOptions(members.size()),
        args.get(member));
    restarted.add(process);
    NodeProcess.awaitReady(data, process, System.currentTimeMillis() + 60_000);
  }

  String url(int member) {
    return members.get(member).running().orElseThrow(() -> new IllegalStateException(
        "member " + member + " does not run")).rpcUrl();
  }

  Head head(int member) throws IOException, InterruptedException {
    JsonNode block = call(url(member), "eth_getBlockByNumber", "latest", false);
    return new Head(Long.decode(block.get("number").asText()), block.get("hash").asText());
  }

  /** The hash of block {@code number} on a member, or null when it has no such block yet. */
  String blockHash(int member, long number) throws IOException, InterruptedException {
    JsonNode block = call(url(member), "eth_getBlockByNumber", "0x" + Long.toHexString(number),
        false);
    return block == null || block.isNull() ? null : block.get("hash").asText();
  }

  static ObjectNode request(String method, Object... params) {
    ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1)
        .put("method", method);
    request.set("params", JSON.valueToTree(params));
    return request;
  }

  /**
   * Calls a method and returns its result.
   *
   * @throws IOException when the node cannot be reached or answers with an error
   */
  JsonNode call(String url, String method, Object... params)
      throws IOException, InterruptedException {
    JsonNode response = post(url, request(method, params));
    if (response.has("error")) {
      throw new IOException(method + ": " + response.get("error"));
    }
    return response.get("result");
  }

  JsonNode post(String url, JsonNode body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  /** Stops every member, whoever started it ('chorus down'), then any restart left over. */
  @Override
  public void close() {
    Chorus.commandLine().execute("down", "--dir", net.root.toString());
    restarted.forEach(Process::destroyForcibly);
  }
}
