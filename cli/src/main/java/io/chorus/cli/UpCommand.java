package io.chorus.cli;

import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
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

/** {@code chorus up}: a local dev chain in the background, ready for hardhat and ethers. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
        "Starts a local dev chain in the background: initializes the data directory on first",
        "use (10 accounts of the standard test mnemonic funded, as hardhat does), starts a",
        "node on it, waits until its JSON-RPC answers, and prints the URL and the accounts.",
        "Stop it with 'chorus down'; a fresh chain is another --dir."})
final class UpCommand implements Callable<Integer> {
  private static final long START_TIMEOUT_MS = 90_000;

  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();
  @Mixin private NodeOptions.Rpc rpc = new NodeOptions.Rpc();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DataDir data = dir.dataDir();
    var already = data.running();
    if (already.isPresent()) {
      out.println("a node already runs on " + data.root + " (pid " + already.get().pid()
          + "): " + already.get().rpcUrl());
      return 0;
    }
    if (!data.initialized()) {
      int code = new CommandLine(new InitCommand()).setOut(out).setErr(spec.commandLine()
          .getErr()).execute("--dir", data.root.toString());
      if (code != 0) {
        return code;
      }
    }
    Process process = spawn(data);
    DataDir.Running running = awaitReady(data, process);
    out.println("Chorus dev chain running (pid " + running.pid() + ")");
    out.println("  JSON-RPC   " + running.rpcUrl() + "   (WebSocket: "
        + running.rpcUrl().replace("http://", "ws://") + ")");
    out.println("  metrics    " + running.rpcUrl() + "/metrics");
    out.println("  data       " + data.root + "   (log: " + data.log() + ")");
    printAccounts(out, GenesisFile.read(data.genesis()));
    out.println("Stop it with: ./chorus down" + dir.flag());
    return 0;
  }

  private Process spawn(DataDir data) throws IOException {
    List<String> command = new ArrayList<>();
    // setsid detaches the node from this terminal, so Ctrl-C here does not stop it.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Chorus.class.getName());
    command.addAll(List.of("node", "--dir", data.root.toString(), "--rpc-host", rpc.host,
        "--rpc-port", Integer.toString(rpc.port)));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(data.log().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
  }

  private DataDir.Running awaitReady(DataDir data, Process process) throws Exception {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalArgumentException("the node exited with code " + process.exitValue()
            + "; the end of " + data.log() + ":\n" + tail(data.log(), 20));
      }
      var running = data.running();
      if (running.isPresent()) {
        try {
          new RpcClient(running.get().rpcUrl()).call("eth_blockNumber");
          return running.get();
        } catch (IOException notYet) {
          // Listening soon after node.json appears; poll again.
        }
      }
      Thread.sleep(100);
    }
    process.destroy();
    throw new IllegalArgumentException("the node did not answer within "
        + START_TIMEOUT_MS / 1000 + " s; see " + data.log());
  }

  private static String tail(Path log, int lines) throws IOException {
    List<String> all = Files.readAllLines(log);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static void printAccounts(PrintWriter out, Genesis genesis) {
    CryptoSuite suite = genesis.cryptoSuite();
    out.println("Accounts (standard test mnemonic \"" + HdWallet.TEST_MNEMONIC + "\"):");
    for (int i = 0; i < 100; i++) {
      byte[] key = HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i);
      Address address = Address.of(suite.address(suite.keyPair(key).publicKey()));
      Genesis.Allocation funded = genesis.alloc().get(address);
      if (funded == null) {
        break;
      }
      out.printf("  #%d %s  %s ETH  key 0x%s%n", i, address,
          new BigDecimal(funded.balance()).movePointLeft(18).stripTrailingZeros()
              .toPlainString(), Hex.encode(key));
    }
  }
}
