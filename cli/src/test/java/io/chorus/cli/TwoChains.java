package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.Receipt;
import io.chorus.codec.Hex;
import io.chorus.crypto.HdWallet;
import io.chorus.evm.Address;
import io.chorus.node.Node;
import io.chorus.state.system.PortApp;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Two running chains for the relayer's tests, A in the {@code sm} suite and B in
 * {@code ethereum}, each a BFT network of one or more validators (so that every block carries
 * the commit certificate a light client checks) laid out by {@code chorus init --network} and
 * run by nodes in this JVM, peers of each other. Each holds a light client of the other, created
 * as a chain creates one: a {@code crosschain-client} vote of its committee (the validators'
 * accounts: {@code chorus gov propose} by the first, {@code chorus gov vote} by the others until
 * it passes), then the trusted header submitted with its governance proof ({@code chorus relay
 * --trust}). Each has an application ({@link PortApp}, acknowledging) deployed and registered as a port, which
 * sends packets as itself when its operator calls it and counts the router's callbacks. Relayer
 * keys: the test mnemonic's accounts, funded on both chains.
 */
final class TwoChains implements AutoCloseable {
  /** A's client of B. */
  static final String ON_A = "chorus-client-0";
  /** B's client of A. */
  static final String ON_B = "chorus-client-1";
  static final Function SEND_PACKET =
      Function.parse("sendPacket(string,uint64,string,string,string,bytes)");
  static final String PACKET = RelayChain.PACKET;
  static final Event<?> PACKET_SENT = RelayChain.PACKET_SENT;
  static final Event<?> PACKET_RECEIVED = Event.create("PacketReceived",
      TupleType.parse("(" + PACKET + ")"), false);
  static final Event<?> PACKET_ACKNOWLEDGED = Event.create("PacketAcknowledged",
      TupleType.parse("(" + PACKET + ",bytes[])"), false, false);
  static final Event<?> PACKET_TIMED_OUT = Event.create("PacketTimedOut",
      TupleType.parse("(" + PACKET + ")"), false);
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One chain: its validators' nodes (RPC through the first), their key files (their accounts
   * are the committee), its operator (the first validator's account) and app.
   */
  static final class Chain {
    final String name;
    final List<Node> nodes;
    final List<Path> memberKeys;
    final ChorusClient client;
    final Account operator;
    final Path operatorKey;
    Address app;
    String clientId;

    Chain(String name, List<Node> nodes, List<Path> memberKeys) throws Exception {
      this.name = name;
      this.nodes = nodes;
      this.memberKeys = memberKeys;
      this.client = ChorusClient.connect(nodes.get(0).rpcUrl());
      this.operatorKey = memberKeys.get(0);
      this.operator = client.account(Hex.decode(Files.readString(operatorKey).trim()));
    }

    String url() {
      return nodes.get(0).rpcUrl();
    }

    void close() {
      nodes.forEach(Node::close);
    }

    RelayChain relay(byte[] key) {
      return new RelayChain(name, client, key, Duration.ofSeconds(30));
    }

    JsonNode latest() {
      return client.rpc().call("eth_getBlockByNumber", "latest", false);
    }

    long headTime() {
      return Long.decode(latest().path("timestamp").asText());
    }

    /** Waits until this chain's head is stamped at or after {@code time}. */
    void awaitTime(long time) throws InterruptedException {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (headTime() < time) {
        assertTrue(System.nanoTime() < deadline, name + "'s time did not reach " + time);
        Thread.sleep(100);
      }
    }

    Receipt mined(byte[] hash) {
      Receipt receipt = client.waitForReceipt(hash, Duration.ofSeconds(60));
      assertTrue(receipt.success(), name + ": transaction " + Hex.encode0x(hash) + " failed");
      return receipt;
    }

    /** Has the app send a packet to {@code destPort} with a timeout {@code after} s ahead. */
    byte[] sendPacket(String destPort, long after, String value) {
      byte[] call = SEND_PACKET.encodeCallWithArgs(clientId, BigInteger.valueOf(headTime()
          + after), destPort, "relay-test-1", "text/plain", value.getBytes()).array();
      return client.send(operator, app.toArray(), BigInteger.ZERO, call, 1_000_000);
    }

    /** How many times the router called {@code callback} of this chain's app with effect. */
    long appCalls(Function callback) {
      return new BigInteger(1, Hex.decode(client.rpc().call("eth_getStorageAt",
          app.toString(), "0x" + Hex.encode(callback.selector()), "latest").asText()))
          .longValueExact();
    }

    /** The router's logs of {@code event} from block 0 to the head, decoded. */
    List<Tuple> logs(Event<?> event) {
      ObjectNode filter = JSON.createObjectNode().put("fromBlock", "0x0")
          .put("toBlock", "latest").put("address", Hex.encode0x(RelayChain.ROUTER));
      filter.putArray("topics").add(Hex.encode0x(RelayChain.topic0(event)));
      List<Tuple> out = new ArrayList<>();
      for (JsonNode log : client.rpc().call("eth_getLogs", filter)) {
        out.add(event.getNonIndexedParams().decode(Hex.decode(log.path("data").asText())));
      }
      return out;
    }

    int pendingCount() {
      return relay(operatorKeyBytes()).pending(clientId).size();
    }

    private byte[] operatorKeyBytes() {
      try {
        return Hex.decode(Files.readString(operatorKey).trim());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  final Chain a;
  final Chain b;
  /** Relayer keys, in files: the test mnemonic's first accounts. */
  final List<Path> relayerKeys = new ArrayList<>();

  private TwoChains(Chain a, Chain b) {
    this.a = a;
    this.b = b;
  }

  /** One validator a chain, a block every 200 ms. */
  static TwoChains start(Path dir) throws Exception {
    return start(dir, 1, 200);
  }

  static TwoChains start(Path dir, int validators, int blockIntervalMs) throws Exception {
    Chain a = null;
    Chain b = null;
    try {
      a = chain(dir, "A", "sm", 1101, validators, blockIntervalMs);
      b = chain(dir, "B", "ethereum", 1102, validators, blockIntervalMs);
      TwoChains chains = new TwoChains(a, b);
      for (int i = 0; i < 2; i++) {
        Path key = dir.resolve("relayer" + i + ".key");
        InitCommand.writeKey(key, HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
        chains.relayerKeys.add(key);
      }
      a.clientId = ON_A;
      b.clientId = ON_B;
      vote(a, ON_A, b, ON_B);
      vote(b, ON_B, a, ON_A);
      trustBoth(chains);
      deployApp(a);
      deployApp(b);
      return chains;
    } catch (Exception | Error e) {
      if (a != null) {
        a.close();
      }
      if (b != null) {
        b.close();
      }
      throw e;
    }
  }

  private static Chain chain(Path dir, String name, String suite, int chainId, int validators,
      int blockIntervalMs) throws Exception {
    Path root = dir.resolve("chain-" + name);
    assertEquals(0, Chorus.commandLine().setOut(new PrintWriter(new StringWriter()))
        .execute("init", "--dir", root.toString(), "--validators", Integer.toString(validators),
            "--network", "--suite", suite, "--chain-id", Integer.toString(chainId),
            "--block-interval-ms", Integer.toString(blockIntervalMs), "--accounts", "2"));
    int[] p2p = new int[validators];
    for (int i = 0; i < validators; i++) {
      try (ServerSocket free = new ServerSocket(0)) {
        p2p[i] = free.getLocalPort();
      }
    }
    List<Node> nodes = new ArrayList<>();
    List<Path> keys = new ArrayList<>();
    try {
      for (int i = 0; i < validators; i++) {
        List<String> peers = new ArrayList<>();
        for (int j = 0; j < validators; j++) {
          if (j != i) {
            peers.add("127.0.0.1:" + p2p[j]);
          }
        }
        Path member = root.resolve("node" + i);
        nodes.add(Node.start(new Node.Config(member, "127.0.0.1", 0,
            Optional.of(new Node.Network("127.0.0.1", p2p[i], peers)))));
        keys.add(member.resolve(Node.Config.NODE_KEY_FILE));
      }
      return new Chain(name, nodes, keys);
    } catch (Exception | Error e) {
      nodes.forEach(Node::close);
      throw e;
    }
  }

  /** Votes a client {@code id} of {@code tracked} on {@code tracker}, trusting its head. */
  static void vote(Chain tracker, String id, Chain tracked, String counterparty)
      throws Exception {
    JsonNode head = tracked.latest();
    long height = Long.decode(head.path("number").asText());
    String genesis = tracked.client.rpc().call("chorus_nodeStatus").path("genesisHash")
        .asText();
    pass(tracker, "crosschain-client", id, tracked.client.chainId().toString(),
        tracked.client.suite().name().equals("sm") ? "1" : "0", genesis, Long.toString(height),
        head.path("hash").asText(), counterparty);
  }

  /**
   * Has {@code chain}'s committee pass a proposal: the first member proposes it ({@code chorus
   * gov propose KIND FIELDS}), the others vote yes ({@code chorus gov vote}) until it passes.
   * Returns the proposal's number; it takes effect at the start of the next block.
   */
  static long pass(Chain chain, String kind, String... fields) {
    List<String> propose = new ArrayList<>(List.of("gov", "propose", kind));
    propose.addAll(List.of(fields));
    propose.addAll(List.of("--key-file", chain.operatorKey.toString(), "--url", chain.url()));
    String proposed = gov(propose.toArray(String[]::new));
    java.util.regex.Matcher number = java.util.regex.Pattern.compile("proposal #(\\d+) made by")
        .matcher(proposed);
    assertTrue(number.find(), proposed);
    String id = number.group(1);
    // The command signed with the operator's key: the next nonce comes from the node again.
    chain.client.resetNonce(chain.operator);
    String voted = proposed;
    for (int member = 1; member < chain.memberKeys.size() && !voted.contains("now passed")
        && !voted.contains("now executed"); member++) {
      voted = gov("gov", "vote", id, "yes", "--key-file", chain.memberKeys.get(member)
          .toString(), "--url", chain.url());
    }
    assertTrue(voted.contains("now passed") || voted.contains("now executed")
        || chain.memberKeys.size() == 1, chain.name + ": proposal #" + id + " did not pass: "
        + voted);
    return Long.parseLong(id);
  }

  private static String gov(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute(args);
    assertEquals(0, code, String.join(" ", args) + ": " + err);
    return out.toString();
  }

  /**
   * Once both votes have taken effect (at the next block's start), activates both clients as an
   * operator would: {@code chorus relay --trust --once} submits the headers the votes trusted
   * (and, nothing being pending yet, exits).
   */
  private static void trustBoth(TwoChains chains) throws Exception {
    for (Chain tracker : List.of(chains.a, chains.b)) {
      RelayChain on = tracker.relay(tracker.operatorKeyBytes());
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (on.clientState(tracker.clientId).status() != RelayChain.ClientState.VOTED) {
        assertTrue(System.nanoTime() < deadline, "the vote on " + tracker.name + " never took"
            + " effect");
        Thread.sleep(100);
      }
    }
    StringWriter err = new StringWriter();
    String key = chains.relayerKeys.get(0).toString();
    int code = Chorus.commandLine().setOut(new PrintWriter(new StringWriter()))
        .setErr(new PrintWriter(err, true)).execute("relay", "--a", chains.a.url(), "--b",
            chains.b.url(), "--a-key-file", key, "--b-key-file", key, "--a-client", ON_A,
            "--trust", "--once");
    assertEquals(0, code, err.toString());
    for (Chain tracker : List.of(chains.a, chains.b)) {
      assertTrue(err.toString().contains(tracker.name + "'s client " + tracker.clientId
          + " of " + (tracker == chains.a ? "B" : "A") + ": submitTrustedHeader of block "),
          err.toString());
      assertEquals(RelayChain.ClientState.ACTIVE, tracker.relay(tracker.operatorKeyBytes())
          .clientState(tracker.clientId).status());
    }
  }

  /** Deploys an acknowledging {@link PortApp} and has it register its port. */
  private static void deployApp(Chain chain) {
    byte[] runtime = PortApp.code(PortApp.Mode.ACKNOWLEDGE);
    // initcode: CODECOPY the runtime that follows these 13 bytes to memory 0, RETURN it
    byte[] init = Hex.decode("61" + hex16(runtime.length) + "61000d5f3961" + hex16(
        runtime.length) + "5ff3");
    byte[] initcode = new byte[init.length + runtime.length];
    System.arraycopy(init, 0, initcode, 0, init.length);
    System.arraycopy(runtime, 0, initcode, init.length, runtime.length);
    Receipt deployed = chain.client.deploy(chain.operator, initcode, 1_000_000,
        Duration.ofSeconds(60));
    chain.app = Address.of(deployed.contractAddress());
    chain.mined(chain.client.send(chain.operator, chain.app.toArray(), BigInteger.ZERO,
        PortApp.REGISTER_PORT.encodeCallWithArgs(BigInteger.valueOf(200_000)).array(),
        1_000_000));
  }

  private static String hex16(int value) {
    return String.format("%04x", value);
  }

  /**
   * A {@code chorus relay} process with relayer key {@code key}, its output in {@code log};
   * returns once it has checked the clients and is about to pass, so that a kill lands in its
   * work, not its start.
   */
  Process startRelayer(int key, Path log) throws Exception {
    String keyFile = relayerKeys.get(key).toString();
    Process relayer = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        Chorus.class.getName(), "relay", "--a", a.url(), "--b", b.url(), "--a-key-file",
        keyFile, "--b-key-file", keyFile, "--a-client", ON_A, "--interval", "200")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!Files.readString(log).contains("chorus relay: relaying between")) {
      assertTrue(relayer.isAlive(), "the relayer exited: " + Files.readString(log));
      assertTrue(System.nanoTime() < deadline, "the relayer did not start in 60 s: "
          + Files.readString(log));
      Thread.sleep(20);
    }
    return relayer;
  }

  /** Every packet sent on {@code source} settled exactly once, and received at most once. */
  static Map<String, Long> assertSettledOnce(Chain source, Chain dest) {
    Map<Long, Integer> receivedTimes = countBySequence(dest.logs(PACKET_RECEIVED), source);
    Map<Long, Integer> acknowledgedTimes = countBySequence(source.logs(PACKET_ACKNOWLEDGED),
        source);
    Map<Long, Integer> timedOutTimes = countBySequence(source.logs(PACKET_TIMED_OUT), source);
    List<Long> sent = source.logs(PACKET_SENT).stream()
        .map(l -> RelayChain.sequence(l.get(0))).toList();
    long received = 0;
    long acknowledged = 0;
    long timedOut = 0;
    for (long sequence : sent) {
      int r = receivedTimes.getOrDefault(sequence, 0);
      int ack = acknowledgedTimes.getOrDefault(sequence, 0);
      int out = timedOutTimes.getOrDefault(sequence, 0);
      String what = source.name + "→" + dest.name + " packet " + sequence;
      assertTrue(r <= 1, what + " was received " + r + " times");
      assertEquals(1, ack + out, what + ": acknowledged " + ack + " times, timed out " + out
          + " times");
      assertEquals(r, ack, what + ": received " + r + " times but acknowledged " + ack);
      received += r;
      acknowledged += ack;
      timedOut += out;
    }
    assertEquals(sent.size(), (int) (acknowledged + timedOut));
    assertEquals(0, source.pendingCount(), source.name + " still has packets pending");
    // The applications saw what the router logged, once each.
    assertEquals(received, dest.appCalls(PortApp.ON_RECV_PACKET),
        dest.name + "'s app: onRecvPacket calls");
    assertEquals(acknowledged, source.appCalls(PortApp.ON_ACKNOWLEDGEMENT),
        source.name + "'s app: onAcknowledgement calls");
    assertEquals(timedOut, source.appCalls(PortApp.ON_TIMEOUT),
        source.name + "'s app: onTimeout calls");
    Map<String, Long> counts = new HashMap<>();
    counts.put("sent", (long) sent.size());
    counts.put("received", received);
    counts.put("timedOut", timedOut);
    return counts;
  }

  private static Map<Long, Integer> countBySequence(List<Tuple> logs, Chain source) {
    Map<Long, Integer> counts = new HashMap<>();
    for (Tuple log : logs) {
      Tuple packet = log.get(0);
      if (packet.get(0).equals(source.clientId)) {
        counts.merge(RelayChain.sequence(packet), 1, Integer::sum);
      }
    }
    return counts;
  }

  @Override
  public void close() {
    a.close();
    b.close();
  }
}
