package io.chorus.cli;

import io.chorus.chain.GenesisFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Starts the members of a network directory that are not running, each a background
 * {@code chorus node} with every other member as a peer, and prints where they all serve.
 */
final class NetworkLauncher {
  /**
   * Port overrides from the command line; null keeps network.json's ports.
   *
   * @param rpcBase member i serves RPC on rpcBase+i, or a free port when 0
   * @param p2pBase member i listens for peers on p2pBase+i, or a free port when 0
   */
  record Ports(String rpcHost, Integer rpcBase, Integer p2pBase) {}

  private final NetworkDir net;
  private final Ports ports;
  private final PrintWriter out;

  NetworkLauncher(NetworkDir net, Ports ports, PrintWriter out) {
    this.net = net;
    this.ports = ports;
    this.out = out;
  }

  /**
   * JVM options for the members of a local network. When they outnumber the cores, their JIT
   * compilers, each compiling the same code for minutes, compete with the work itself: on 2
   * cores, 4 members made 1,000–1,225 tx/s with the full JIT (its C2 threads took ~40 % of their
   * CPU after a 20,000-transaction warm-up) and 1,425–1,576 with the quick compiler alone. Under
   * the quick compiler G1's write barriers are dear: the serial collector, with compact object
   * headers (JDK 25) for less to allocate and collect, took each member from ~300 to ~240 µs of
   * CPU per transaction (load.js at window 16, docs/performance.md). A member with a machine to
   * itself keeps the JVM's defaults.
   */
  static List<String> memberJvmOptions(int members) {
    String chosen = System.getenv(MEMBER_JVM_OPTIONS_ENV);
    if (chosen != null) {
      return chosen.isBlank() ? List.of() : List.of(chosen.trim().split("\\s+"));
    }
    if (members <= Runtime.getRuntime().availableProcessors()) {
      return List.of();
    }
    List<String> options = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC"));
    if (Runtime.version().feature() >= 25) {
      options.add("-XX:+UseCompactObjectHeaders");
    }
    return options;
  }

  /** Replaces the members' JVM options (space-separated; empty for none), to measure others. */
  static final String MEMBER_JVM_OPTIONS_ENV = "CHORUS_MEMBER_JVM_OPTIONS";

  /**
   * JDK 25's ahead-of-time cache (JEP 483, 514, 515) for a member's JVM: the classes it loads
   * and links, with their resolved call sites and method profiles, recorded by member 0 of a
   * network started without one (the JVM writes it when the member stops) and read by every
   * member started after that, which then starts with less to do: on 2 cores a fresh network's
   * members spent a quarter less CPU starting and made 1–11 % more tx/s in their first minute
   * (docs/performance.md). A cache is kept beside the jars it was made from, one per JDK
   * version and set of options, and recorded again once any jar is newer (the JVM would refuse
   * it). None when {@value #MEMBER_JVM_OPTIONS_ENV} chooses the options, or before JDK 25.
   *
   * @param options the member's other JVM options, which the cache must be used with
   * @param folder where caches are kept
   * @param jars the class path the members run
   */
  static List<String> aotCacheOptions(int member, List<String> options, Path folder,
      List<Path> jars) throws IOException {
    if (System.getenv(MEMBER_JVM_OPTIONS_ENV) != null || Runtime.version().feature() < 25) {
      return List.of();
    }
    String prefix = "member-jdk" + Runtime.version().feature() + "." + Runtime.version().interim()
        + "." + Runtime.version().update() + "-" + Integer.toHexString(options.hashCode()) + "-";
    AotCaches.pruneStale(folder, prefix, jars);
    Optional<Path> cache = AotCaches.newest(folder, prefix);
    if (cache.isPresent()) {
      return List.of("-XX:AOTCache=" + cache.get());
    }
    if (member != 0 || !Files.isWritable(Files.createDirectories(folder))) {
      return List.of();
    }
    // %p: the JVM names the file after its pid, so that two networks recording at once do not
    // write the same file.
    return List.of("-XX:AOTCacheOutput=" + folder.resolve(prefix + "%p.aot"));
  }

  /**
   * A member's JVM options ({@link #memberJvmOptions}) with its ahead-of-time cache's
   * ({@link #aotCacheOptions}); without a cache, saying why, when the cache folder fails.
   */
  static List<String> memberJvmOptionsWithCache(int member, int members, String name,
      PrintWriter out) {
    List<String> options = new ArrayList<>(memberJvmOptions(members));
    try {
      options.addAll(aotCacheOptions(member, List.copyOf(options), AotCaches.folder(),
          AotCaches.classPath()));
    } catch (IOException e) {
      out.println(name + " starts without an ahead-of-time cache: " + e);
    }
    return options;
  }

  /**
   * Starts the members that do not run and waits until every one answers JSON-RPC.
   *
   * @param dirFlag how to name the directory in the 'chorus down' hint
   */
  void start(String dirFlag) throws IOException, InterruptedException {
    List<NetworkDir.Member> members = net.members();
    Map<Integer, DataDir.Running> running = new TreeMap<>();
    for (int i = 0; i < members.size(); i++) {
      int member = i;
      net.data(members.get(i)).running().ifPresent(r -> running.put(member, r));
    }
    if (running.size() == members.size()) {
      out.println("the network on " + net.root + " runs already");
    } else {
      List<Integer> p2p = p2pPorts(members, !running.isEmpty());
      Map<Integer, Process> started = new TreeMap<>();
      try {
        for (int i = 0; i < members.size(); i++) {
          if (!running.containsKey(i)) {
            List<String> options = memberJvmOptionsWithCache(i, members.size(), "node" + i, out);
            started.put(i, NodeProcess.spawn(net.data(members.get(i)), options,
                nodeArgs(members, p2p, i)));
          }
        }
        long deadline = System.currentTimeMillis() + UpCommand.START_TIMEOUT_MS;
        for (var entry : started.entrySet()) {
          running.put(entry.getKey(), NodeProcess.awaitReady(
              net.data(members.get(entry.getKey())), entry.getValue(), deadline));
        }
      } catch (IOException | RuntimeException e) {
        // No half-started network: stop what this call started, leave what ran before.
        started.values().forEach(Process::destroy);
        throw e;
      }
      out.println("Chorus network running: " + members.size() + " validators");
    }
    print(members, running, dirFlag);
  }

  /** The 'chorus node' arguments of member i, given every member's p2p port. */
  List<String> nodeArgs(List<NetworkDir.Member> members, List<Integer> p2p, int i) {
    NetworkDir.Member self = members.get(i);
    int rpcPort = ports.rpcBase() == null ? self.rpcPort()
        : ports.rpcBase() == 0 ? 0 : ports.rpcBase() + i;
    List<String> args = new ArrayList<>(List.of("--dir", net.data(self).root.toString(),
        "--rpc-host", ports.rpcHost(), "--rpc-port", Integer.toString(rpcPort),
        "--p2p-host", self.host(), "--p2p-port", Integer.toString(p2p.get(i))));
    for (int j = 0; j < members.size(); j++) {
      if (j != i) {
        args.addAll(List.of("--peer", members.get(j).host() + ":" + p2p.get(j)));
      }
    }
    Path password = net.data(self).root.resolve(NetworkLayout.KEYSTORE_PASSWORD_FILE);
    if (Files.exists(password)) {
      args.addAll(List.of("--keystore-password-file", password.toString()));
    }
    return args;
  }

  /**
   * Every member's p2p port. Members restarted beside running ones keep the ports the running
   * ones dial (unless --p2p-port says otherwise); a port 0 is picked free now. The result is
   * kept in the network directory while the network runs.
   */
  private List<Integer> p2pPorts(List<NetworkDir.Member> members, boolean othersRun)
      throws IOException {
    List<Integer> inUse = othersRun ? net.p2pPortsInUse() : List.of();
    List<Integer> result = new ArrayList<>();
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < members.size(); i++) {
        int configured = ports.p2pBase() == null ? members.get(i).p2pPort()
            : ports.p2pBase() == 0 ? 0 : ports.p2pBase() + i;
        if (ports.p2pBase() == null && inUse.size() == members.size()) {
          result.add(inUse.get(i));
        } else if (configured != 0) {
          result.add(configured);
        } else {
          // Held open until all are picked, so no two members get the same port.
          ServerSocket socket = new ServerSocket(0, 1,
              InetAddress.getByName(members.get(i).host()));
          held.add(socket);
          result.add(socket.getLocalPort());
        }
      }
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
    net.writeP2pPortsInUse(result);
    return result;
  }

  private void print(List<NetworkDir.Member> members, Map<Integer, DataDir.Running> running,
      String dirFlag) {
    List<Integer> inUse = net.p2pPortsInUse();
    boolean tokens = false;
    for (int i = 0; i < members.size(); i++) {
      NetworkDir.Member m = members.get(i);
      DataDir data = net.data(m);
      Optional<DataDir.Running> r = Optional.ofNullable(running.get(i));
      String url = r.map(DataDir.Running::rpcUrl).orElseThrow();
      int p2p = inUse.size() == members.size() ? inUse.get(i) : m.p2pPort();
      out.println("  " + m.name() + " (" + m.organisation() + ", validator " + m.address()
          + ", pid " + r.get().pid() + ")");
      out.println("  console    " + url + "/console/");
      out.println("  JSON-RPC   " + url + "   (WebSocket: " + url.replace("http://", "ws://")
          + ")");
      out.println("  metrics    " + url + "/metrics");
      out.println("  p2p        " + m.host() + ":" + p2p);
      out.println("  data       " + data.root + "   (log: " + data.log() + ")");
      Path token = data.root.resolve(NetworkLayout.OPERATOR_TOKEN_FILE);
      if (Files.exists(token)) {
        tokens = true;
        out.println("  API token  " + token);
      }
    }
    out.println("  network    " + net.root + "   (" + NetworkDir.FILE + "; CA in "
        + net.ca() + ")");
    if (tokens) {
      out.println("  API tokens let each member's node sign REST writes as its validator account"
          + " (roles " + String.join(", ", new TreeSet<>(NetworkLayout.OPERATOR_ROLES))
          + "), e.g. 'chorus trace capture --token-file FILE'.");
    }
    NodeProcess.printAccounts(out, GenesisFile.read(net.data(members.get(0)).genesis()));
    out.println("Stop it with: ./chorus down" + dirFlag);
  }
}
