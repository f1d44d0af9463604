package io.chorus.cli;

import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.export.ExportException;
import io.chorus.ledger.Genesis;
import io.chorus.node.Node;
import io.chorus.p2p.tls.ConsensusIdentity;
import io.chorus.p2p.tls.TlsCredentials;
import io.chorus.storage.RocksLibrary;
import io.chorus.trace.ScanRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chorus node}: runs a node in the foreground until it is stopped. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a node from a data directory (made by 'chorus init') in the",
        "foreground: the chain, its block producer and JSON-RPC over HTTP and",
        "WebSocket on one port, with /metrics. Stops cleanly on Ctrl-C or SIGTERM",
        "('chorus down').",
        "",
        "With --p2p-port it runs as a member of a BFT network instead of a dev node:",
        "DIR is one member's directory from 'chorus init --validators N' (node.key,",
        "tls/, the shared genesis.json); it listens for peers on",
        "--p2p-host:--p2p-port over mutual TLS and dials every --peer. 'chorus up'",
        "starts a whole local network this way."})
final class NodeCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();
  @Mixin private NodeOptions.Rpc rpc = new NodeOptions.Rpc();

  @Option(names = "--p2p-host", defaultValue = "127.0.0.1", description = "Network members "
      + "only: address the peer listener binds (default: ${DEFAULT-VALUE}).")
  String p2pHost;

  @Option(names = "--p2p-port", paramLabel = "PORT", description = "Join the network this "
      + "directory belongs to, listening for peers on PORT (1 to 65535: the others dial it).")
  Integer p2pPort;

  @Option(names = "--peer", paramLabel = "HOST:PORT", description = "Another member's p2p "
      + "address, dialled and redialled when lost; repeat it for each other member.")
  List<String> peers = new ArrayList<>();

  @Option(names = "--keystore-password-file", paramLabel = "FILE", description = "Unlock "
      + "the accounts of DIR/keystore (see 'chorus account') with the password on FILE's "
      + "first line; the node signs REST API writes for them.")
  Path keystorePasswordFile;

  @Option(names = "--keystore-password-env", paramLabel = "NAME", description = "As "
      + "--keystore-password-file, with the password in environment variable NAME.")
  String keystorePasswordEnv;

  @Option(names = "--scan-rules", paramLabel = "SCANS/WINDOW,PLACES/WINDOW", description =
      "When the Digital Link resolver flags a serial code as a likely copy: more than SCANS "
      + "scans within WINDOW, or scans from more than PLACES places within WINDOW (s, m, h, d)"
      + " (default: 20/24h,3/1h).")
  String scanRules;

  @Option(names = "--export", paramLabel = "postgresql://USER@HOST:PORT/DB", description = {
      "Export the chain into this PostgreSQL database from inside the node, as 'chorus",
      "export' does (docs/export.md), with its progress on /metrics; a password goes in",
      "the URL or in PGPASSWORD."})
  String export;

  @Override
  public Integer call() throws InterruptedException {
    DataDir data = dir.dataDir();
    data.running().ifPresent(r -> {
      throw new IllegalArgumentException("a node (pid " + r.pid() + ") already runs on "
          + data.root + " at " + r.rpcUrl() + ": stop it with 'chorus down" + dir.flag() + "'");
    });
    unpackNativeLibrariesInto(data.nativeLibraries());
    Optional<Node.Network> network = network(data);
    Node node = Node.start(new Node.Config(data.root, rpc.host, rpc.port, network)
        .withApi(new Node.Api(keystorePassword(), List.of(), scanRules == null
            ? ScanRules.DEFAULTS : ScanRules.parse(scanRules))));
    NodeExport exporting = null;
    if (export != null) {
      try {
        exporting = NodeExport.start(export, node.rpcUrl(), node.meters(),
            spec.commandLine().getErr());
      } catch (ExportException e) {
        node.close();
        spec.commandLine().getErr().println("chorus node: --export: " + e.getMessage());
        return e.kind().exitCode();
      }
    }
    NodeExport exported = exporting;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (exported != null) {
        exported.close();
      }
      node.close();
      data.clearRunning();
      stopped.countDown();
    }, "chorus-shutdown"));
    data.writeRunning(new DataDir.Running(ProcessHandle.current().pid(), node.rpcUrl()));
    spec.commandLine().getOut().println("chorus node: chain " + node.chain().chainId()
        + ", head " + node.chain().head().number() + ", JSON-RPC on " + node.rpcUrl()
        + " (WebSocket on the same port, metrics at " + node.rpcUrl() + "/metrics)"
        + network.map(n -> ", p2p on " + n.host() + ":" + n.port() + " with "
            + n.peers().size() + " peers").orElse(""));
    spec.commandLine().getOut().flush();
    stopped.await();
    return 0;
  }

  /** The keystore password from the file or variable named, if either is. */
  private Optional<String> keystorePassword() {
    if (keystorePasswordFile != null && keystorePasswordEnv != null) {
      throw new IllegalArgumentException("give --keystore-password-file or"
          + " --keystore-password-env, not both");
    }
    if (keystorePasswordFile != null) {
      return Optional.of(new String(AccountCommand.readFile(keystorePasswordFile)));
    }
    if (keystorePasswordEnv != null) {
      String value = System.getenv(keystorePasswordEnv);
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException("the environment variable " + keystorePasswordEnv
            + " (--keystore-password-env) is not set");
      }
      return Optional.of(value);
    }
    return Optional.empty();
  }

  /**
   * Empties {@code tmp} and loads RocksDB's native library from there: RocksJava otherwise
   * writes a new 15 MB copy into /tmp at each start and deletes it only on an orderly exit, so
   * every node killed with SIGKILL left one behind. ({@link NodeProcess} also points
   * libsecp256k1's loader here, by a JVM option: a property set now would outlive this node in a
   * JVM that runs several, as the tests do.) No node runs on this directory (checked above), so
   * what is there is a dead one's.
   */
  private static void unpackNativeLibrariesInto(Path tmp) {
    DataDir.deleteTree(tmp);
    try {
      Files.createDirectories(tmp);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot create the node's directory for native "
          + "libraries " + tmp + ": " + e.getMessage() + "; check its permissions", e);
    }
    RocksLibrary.loadInto(tmp);
  }

  /** The network to join, checked so that a mistake is named here rather than in a log. */
  private Optional<Node.Network> network(DataDir data) {
    if (NetworkDir.isNetwork(data.root)) {
      throw new IllegalArgumentException(data.root + " is a whole network's directory: start "
          + "it with 'chorus up --dir " + data.root + "', or one member from its own directory "
          + "(--dir " + data.root.resolve("node0") + " --p2p-port ... --peer ...)");
    }
    Genesis genesis = data.initialized() ? GenesisFile.read(data.genesis()) : null;
    if (p2pPort == null) {
      if (!peers.isEmpty()) {
        throw new IllegalArgumentException("--peer needs --p2p-port: a member listens for "
            + "its peers as well as dialling them");
      }
      if (genesis != null && genesis.validators().size() > 1) {
        throw new IllegalArgumentException(data.genesis() + " lists "
            + genesis.validators().size() + " validators: this is a network member, give it "
            + "--p2p-port and a --peer for every other member (or start the whole network "
            + "with 'chorus up --dir NETWORK_DIR')");
      }
      return Optional.empty();
    }
    if (p2pPort < 1 || p2pPort > 65_535) {
      throw new IllegalArgumentException("--p2p-port must be 1 to 65535, got " + p2pPort
          + " (the other members dial it, so it cannot be picked at random; 'chorus up' "
          + "picks free ports for a local network)");
    }
    List<String> checked = checkPeers();
    if (genesis != null) {
      requireIdentity(data, genesis);
    }
    return Optional.of(new Node.Network(p2pHost, p2pPort, checked));
  }

  private List<String> checkPeers() {
    var seen = new HashSet<String>();
    for (String peer : peers) {
      int colon = peer.lastIndexOf(':');
      int port = -1;
      if (colon > 0) {
        try {
          port = Integer.parseInt(peer.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
      }
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("--peer '" + peer + "' is not HOST:PORT: give "
            + "e.g. 127.0.0.1:30304, with a port from 1 to 65535");
      }
      if (peer.equals(p2pHost + ":" + p2pPort)) {
        throw new IllegalArgumentException("--peer " + peer + " is this node's own address "
            + "(--p2p-host:--p2p-port): list the other members only");
      }
      if (!seen.add(peer)) {
        throw new IllegalArgumentException("--peer " + peer + " is given twice");
      }
    }
    return List.copyOf(peers);
  }

  /** The TLS certificate and node.key must name the same consensus key, in the genesis suite. */
  private static void requireIdentity(DataDir data, Genesis genesis) {
    Path tls = data.root.resolve(Node.Config.TLS_DIR);
    if (!Files.isDirectory(tls)) {
      throw new IllegalArgumentException("no TLS credentials in " + tls + ": a network member "
          + "needs the certificate its chain CA issued; run 'chorus init --validators N' for a "
          + "network and start each member from its directory (NETWORK_DIR/node0, ...)");
    }
    ConsensusIdentity certified;
    try {
      certified = TlsCredentials.load(tls).identity();
    } catch (IOException | CertificateException | IllegalArgumentException e) {
      throw new IllegalArgumentException("the TLS credentials in " + tls + " are unusable ("
          + e.getMessage() + "): they should be ca.pem, node.pem and node-tls.key as "
          + "'chorus init --validators N' or 'chorus ca node' writes them", e);
    }
    byte[] publicKey = consensusKey(data, genesis.cryptoSuite());
    if (!certified.suite().equals(genesis.suite())
        || !Arrays.equals(certified.publicKey(), publicKey)) {
      throw new IllegalArgumentException(tls.resolve(TlsCredentials.CERTIFICATE_FILE)
          + " certifies " + certified + ", not this node's key in " + data.nodeKey()
          + ": the files come from different members or networks");
    }
    // A key outside the genesis validators is a member joining later: it follows the chain by
    // sync and starts validating when the committee votes it in (chorus gov add-validator).
  }

  private static byte[] consensusKey(DataDir data, CryptoSuite suite) {
    try {
      return suite.keyPair(Hex.decode(Files.readString(data.nodeKey()).strip())).publicKey();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read the consensus key " + data.nodeKey()
          + " (" + e.getMessage() + "): it should hold a hex private key as 'chorus init' "
          + "writes it", e);
    }
  }
}
