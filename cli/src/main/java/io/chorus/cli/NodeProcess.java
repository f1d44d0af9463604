package io.chorus.cli;

import io.chorus.client.ClientException;
import io.chorus.client.JsonRpcClient;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What {@code chorus up} does with a background {@code chorus node}: start it, await it. */
final class NodeProcess {
  private NodeProcess() {}

  /**
   * Starts {@code chorus node} with these arguments in the background, detached from this
   * terminal, appending its output to the data directory's node.log.
   */
  static Process spawn(DataDir data, List<String> nodeArgs) throws IOException {
    return spawn(data, List.of(), nodeArgs);
  }

  /** As {@link #spawn(DataDir, List)}, with options for the node's JVM. */
  static Process spawn(DataDir data, List<String> jvmOptions, List<String> nodeArgs)
      throws IOException {
    List<String> command = new ArrayList<>();
    // setsid detaches the node from this terminal, so Ctrl-C here does not stop it.
    if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      command.add("/usr/bin/setsid");
    }
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    // libsecp256k1 unpacked beside RocksDB's library in the node's tmp/ (see NodeCommand).
    command.add("-Dfr.acinq.secp256k1.tmpdir=" + data.nativeLibraries());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Chorus.class.getName());
    command.add("node");
    command.addAll(nodeArgs);
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(data.log().toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
  }

  /**
   * Waits until the node started as {@code process} has written its node.json and answers
   * JSON-RPC.
   *
   * @param deadlineMs wall-clock time (ms) to give up at
   * @throws IllegalArgumentException when the node exits or does not answer in time, with the
   *     end of its log
   */
  static DataDir.Running awaitReady(DataDir data, Process process, long deadlineMs)
      throws IOException, InterruptedException {
    while (System.currentTimeMillis() < deadlineMs) {
      if (!process.isAlive()) {
        throw new IllegalArgumentException("the node on " + data.root + " exited with code "
            + process.exitValue() + "; the end of " + data.log() + ":\n" + tail(data.log(), 20));
      }
      var running = data.running();
      if (running.isPresent()) {
        try {
          new JsonRpcClient(running.get().rpcUrl()).call("eth_blockNumber");
          return running.get();
        } catch (ClientException notYet) {
          // Listening soon after node.json appears; poll again.
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalArgumentException("the node on " + data.root + " did not answer in time; "
        + "see " + data.log());
  }

  private static String tail(Path log, int lines) throws IOException {
    List<String> all = Files.readAllLines(log);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * The funded accounts of the standard test mnemonic, with their keys. On an sm chain the same
   * 32-byte keys are SM2 keys, so their addresses (SM3 of the SM2 public key) differ from
   * Ethereum's and only SM2 signers (chorus tx, the Java client) can use them.
   */
  static void printAccounts(PrintWriter out, Genesis genesis) {
    CryptoSuite suite = genesis.cryptoSuite();
    out.println("Accounts (standard test mnemonic \"" + HdWallet.TEST_MNEMONIC + "\""
        + (suite.supportsRecovery() ? "):" : ", keys used as " + suite.name()
            + " keys: sign with 'chorus tx' or the Java client):"));
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
