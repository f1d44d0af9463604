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
 * {@code ethereum}, each a one-validator BFT network (so that every block carries the commit
 * certificate a light client checks) run by a node in this JVM. Each holds a light client of the
 * other, created as a chain creates one: a {@code crosschain-client} vote of its committee
 * ({@code chorus gov propose}), then the trusted header submitted with its governance proof. Each
 * has an application ({@link PortApp}, acknowledging) deployed and registered as a port, which
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

  /** One chain: its node, its operator (the validator's account, the committee) and app. */
  static final class Chain {
    final String name;
    final Node node;
    final ChorusClient client;
    final Account operator;
    final Path operatorKey;
    Address app;
    String clientId;

    Chain(String name, Node node, Path operatorKey) throws Exception {
      this.name = name;
      this.node = node;
      this.client = ChorusClient.connect(node.rpcUrl());
      this.operatorKey = operatorKey;
      this.operator = client.account(Hex.decode(Files.readString(operatorKey).trim()));
    }

    String url() {
      return node.rpcUrl();
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

  static TwoChains start(Path dir) throws Exception {
    Chain a = null;
    Chain b = null;
    try {
      a = chain(dir, "A", "sm", 1101);
      b = chain(dir, "B", "ethereum", 1102);
      TwoChains chains = new TwoChains(a, b);
      for (int i = 0; i < 2; i++) {
        Path key = dir.resolve("relayer" + i + ".key");
        InitCommand.writeKey(key, HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
        chains.relayerKeys.add(key);
      }
      a.clientId = ON_A;
      b.clientId = ON_B;
      long trustedOfB = vote(a, ON_A, b, ON_B);
      long trustedOfA = vote(b, ON_B, a, ON_A);
      trust(a, ON_A, b, trustedOfB);
      trust(b, ON_B, a, trustedOfA);
      deployApp(a);
      deployApp(b);
      return chains;
    } catch (Exception | Error e) {
      if (a != null) {
        a.node.close();
      }
      if (b != null) {
        b.node.close();
      }
      throw e;
    }
  }

  private static Chain chain(Path dir, String name, String suite, int chainId)
      throws Exception {
    Path root = dir.resolve("chain-" + name);
    assertEquals(0, Chorus.commandLine().setOut(new PrintWriter(new StringWriter()))
        .execute("init", "--dir", root.toString(), "--validators", "1", "--network", "--suite",
            suite, "--chain-id", Integer.toString(chainId), "--block-interval-ms", "200",
            "--accounts", "2"));
    Path member = root.resolve("node0");
    int p2p;
    try (ServerSocket free = new ServerSocket(0)) {
      p2p = free.getLocalPort();
    }
    Node node = Node.start(new Node.Config(member, "127.0.0.1", 0,
        Optional.of(new Node.Network("127.0.0.1", p2p, List.of()))));
    return new Chain(name, node, member.resolve(Node.Config.NODE_KEY_FILE));
  }

  /** Votes a client {@code id} of {@code tracked} on {@code tracker}; the trusted height. */
  private static long vote(Chain tracker, String id, Chain tracked, String counterparty)
      throws Exception {
    JsonNode head = tracked.latest();
    long height = Long.decode(head.path("number").asText());
    String genesis = tracked.client.rpc().call("chorus_nodeStatus").path("genesisHash")
        .asText();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("gov", "propose", "crosschain-client", id, tracked.client.chainId().toString(),
            tracked.client.suite().name().equals("sm") ? "1" : "0", genesis,
            Long.toString(height), head.path("hash").asText(), counterparty, "--key-file",
            tracker.operatorKey.toString(), "--url", tracker.url());
    assertEquals(0, code, err.toString());
    return height;
  }

  /** Submits the voted header once the vote has taken effect (at the next block's start). */
  private static void trust(Chain tracker, String id, Chain tracked, long height)
      throws Exception {
    RelayChain on = tracker.relay(Hex.decode(Files.readString(tracker.operatorKey).trim()));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (on.clientState(id).status() != 1) {
      assertTrue(System.nanoTime() < deadline, "the vote on " + tracker.name + " never took"
          + " effect");
      Thread.sleep(100);
    }
    RelayChain.Outcome created = Relayer.submitTrustedHeader(on, id,
        tracked.relay(tracked.operatorKeyBytes()), height);
    assertTrue(created.done(), () -> "the trusted header was refused: " + created.refusal());
    assertEquals(RelayChain.ClientState.ACTIVE, on.clientState(id).status());
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
    a.node.close();
    b.node.close();
  }
}
