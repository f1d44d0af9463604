package io.chorus.cli;

import io.chorus.chain.GenesisFile;
import io.chorus.crypto.CryptoSuite;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chorus up}: a local chain in the background, ready for hardhat and ethers. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
        "Starts a local BFT network of 4 validators in the background. On first",
        "use it initializes the directory (default " + NetworkDir.DEFAULT + ") as 'chorus",
        "init --validators N' does, with 10 accounts of the standard test mnemonic",
        "funded as hardhat does. It starts one 'chorus node' per member, every other",
        "member its peer, member i on RPC port --rpc-port+i (0: free ports), waits",
        "until each answers JSON-RPC, and prints per member its URLs, then the",
        "accounts. Members already running are left alone: 'up' restarts the others.",
        "",
        "Each member's block of output is a line with its name, then 'JSON-RPC URL',",
        "'metrics URL', 'p2p HOST:PORT' and 'data DIR'. The first JSON-RPC line is",
        "node0's: awk '/JSON-RPC/ {print $2; exit}'.",
        "",
        "--dev starts a single dev node instead (default dir " + DataDir.DEFAULT + "),",
        "as before networks existed. Stop either with 'chorus down'; a fresh chain is",
        "another --dir."})
final class UpCommand implements Callable<Integer> {
  /** How long a node (every member of a network) has to answer JSON-RPC. */
  static final long START_TIMEOUT_MS = 90_000;
  private static final int DEFAULT_VALIDATORS = 4;

  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();
  @Mixin private NodeOptions.Rpc rpc = new NodeOptions.Rpc();

  @Option(names = "--validators", paramLabel = "N", description = "Validators of a new "
      + "network (default: " + DEFAULT_VALIDATORS + "; 1 to " + InitCommand.VALIDATORS_MAX
      + ").")
  Integer validators;

  @Option(names = "--p2p-port", paramLabel = "PORT", description = "Network: member i "
      + "listens for peers on PORT+i (default: as network.json says, "
      + NetworkLayout.P2P_PORT_BASE + "+i for a new network); 0 picks free ports.")
  Integer p2pPort;

  @Option(names = "--suite", paramLabel = "NAME", description = "Crypto suite of a new chain: "
      + "ethereum (default) or sm (SM2 signatures, SM3 hashes; sign with 'chorus tx'). An "
      + "existing chain keeps its own: a different --suite is an error.")
  String suite;

  @Option(names = "--dev", description = "Start a single dev node (default dir "
      + DataDir.DEFAULT + ") instead of a network.")
  boolean dev;

  @Override
  public Integer call() throws Exception {
    if (dev && (validators != null || p2pPort != null)) {
      throw new IllegalArgumentException("--dev runs one dev node: drop --validators and "
          + "--p2p-port, or drop --dev for a network");
    }
    Path root = dir.or(dev ? DataDir.DEFAULT : NetworkDir.DEFAULT);
    if (suite != null) {
      CryptoSuite.byName(suite); // a misspelt name fails before anything starts
    }
    boolean devDir = new DataDir(root).initialized();
    if (dev || devDir) {
      if (validators != null || p2pPort != null) {
        throw new IllegalArgumentException(root + " holds a dev chain, not a network: pick "
            + "another --dir for a network of validators");
      }
      return startDev(new DataDir(root));
    }
    boolean rpcGiven = spec.commandLine().getParseResult().hasMatchedOption("--rpc-port");
    NetworkDir net = new NetworkDir(root);
    if (NetworkDir.isNetwork(root)) {
      requireSuite(net.data(net.members().get(0)).genesis());
      int members = net.members().size();
      if (validators != null && validators != members) {
        throw new IllegalArgumentException(root + " holds a network of " + members
            + " validators, not " + validators + ": drop --validators to start it, or pick "
            + "another --dir for a new network");
      }
    } else if (!init(root, rpcGiven)) {
      return 2;
    }
    var ports = new NetworkLauncher.Ports(rpc.host, rpcGiven ? rpc.port : null, p2pPort);
    new NetworkLauncher(net, ports, spec.commandLine().getOut()).start(dir.flag());
    return 0;
  }

  private void requireSuite(Path genesisFile) {
    String existing = GenesisFile.read(genesisFile).suite();
    if (suite != null && !suite.equals(existing)) {
      throw new IllegalArgumentException(genesisFile.getParent() + " holds a chain of the "
          + existing + " suite, not " + suite + ": drop --suite to start it, or pick another "
          + "--dir for a new chain");
    }
  }

  private boolean init(Path root, boolean rpcGiven) {
    List<String> args = new ArrayList<>(List.of("init", "--dir", root.toString(), "--network",
        "--validators", Integer.toString(validators == null ? DEFAULT_VALIDATORS : validators)));
    if (rpcGiven) {
      args.addAll(List.of("--rpc-port", Integer.toString(rpc.port)));
    }
    if (p2pPort != null) {
      args.addAll(List.of("--p2p-port", Integer.toString(p2pPort)));
    }
    if (suite != null) {
      args.addAll(List.of("--suite", suite));
    }
    return Chorus.commandLine().setOut(spec.commandLine().getOut())
        .setErr(spec.commandLine().getErr())
        .execute(args.toArray(String[]::new)) == 0;
  }

  private int startDev(DataDir data) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    var already = data.running();
    if (already.isPresent()) {
      out.println("a node already runs on " + data.root + " (pid " + already.get().pid()
          + "): " + already.get().rpcUrl());
      return 0;
    }
    if (data.initialized()) {
      requireSuite(data.genesis());
    } else {
      List<String> args = new ArrayList<>(List.of("--dir", data.root.toString()));
      if (suite != null) {
        args.addAll(List.of("--suite", suite));
      }
      int code = new CommandLine(new InitCommand()).setOut(out).setErr(spec.commandLine()
          .getErr()).execute(args.toArray(String[]::new));
      if (code != 0) {
        return code;
      }
    }
    Process process = NodeProcess.spawn(data, NetworkLauncher.memberJvmOptions(1),
        List.of("--dir", data.root.toString(),
            "--rpc-host", rpc.host, "--rpc-port", Integer.toString(rpc.port)));
    DataDir.Running running;
    try {
      running = NodeProcess.awaitReady(data, process,
          System.currentTimeMillis() + START_TIMEOUT_MS);
    } catch (IllegalArgumentException e) {
      process.destroy();
      throw e;
    }
    out.println("Chorus dev chain running (pid " + running.pid() + ")");
    out.println("  console    " + running.rpcUrl() + "/console/");
    out.println("  JSON-RPC   " + running.rpcUrl() + "   (WebSocket: "
        + running.rpcUrl().replace("http://", "ws://") + ")");
    out.println("  metrics    " + running.rpcUrl() + "/metrics");
    out.println("  data       " + data.root + "   (log: " + data.log() + ")");
    NodeProcess.printAccounts(out, GenesisFile.read(data.genesis()));
    out.println("Stop it with: ./chorus down" + dir.flag());
    return 0;
  }
}
