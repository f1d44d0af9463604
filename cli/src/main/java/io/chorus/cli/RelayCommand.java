package io.chorus.cli;

import io.chorus.client.ChorusClient;
import io.chorus.client.ClientException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chorus relay}: carries cross-chain packets between two chains. */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    description = {
        "Relays cross-chain packets between two chains that each hold a light client of the",
        "other (docs/cross-chain.md): packets to their destination, acknowledgements back,",
        "timeouts to the source once the destination's time passed them, updating the light",
        "clients first. Untrusted and stateless: the work is read from the chains' state on",
        "every pass, so a relayer stopped or killed anywhere resumes where the chains are, and",
        "two relayers may run at once (what one did first, the chain refuses to the other, which",
        "logs it and moves on). Needs no permission beyond sending transactions.",
        "Exit codes: 2 configuration to fix, 1 a node could not be reached (with --once)."})
final class RelayCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(names = "--a", required = true, paramLabel = "URL",
      description = "Chain A's node (JSON-RPC).")
  String aUrl;

  @Option(names = "--b", required = true, paramLabel = "URL",
      description = "Chain B's node (JSON-RPC).")
  String bUrl;

  @Option(names = "--a-key-file", required = true, paramLabel = "FILE",
      description = "The relayer's private key on A, in hex (a funded account; as node.key).")
  Path aKeyFile;

  @Option(names = "--b-key-file", required = true, paramLabel = "FILE",
      description = "The relayer's private key on B, in hex.")
  Path bKeyFile;

  @Option(names = "--a-client", required = true, paramLabel = "ID",
      description = {"A's light client of B (e.g. chorus-client-0); B's client of A is the",
          "counterparty it was voted with."})
  String aClient;

  @Option(names = "--trust", description = {"First activate either client that a",
      "crosschain-client vote created but no one has yet: submit the header the vote trusted",
      "(at the height it names) with its governance proof. Anyone may; the chain checks it."})
  boolean trust;

  @Option(names = "--once", description = {"Pass until a pass gets nothing done, then exit",
      "(what waits on a timeout or a refusal is left for later)."})
  boolean once;

  @Option(names = "--interval", defaultValue = "1000", paramLabel = "MS",
      description = "Pause between passes (default: ${DEFAULT-VALUE}).")
  long intervalMs;

  @Option(names = "--receipt-timeout", defaultValue = "60", paramLabel = "SECONDS",
      description = "How long to wait for a transaction's receipt (default: ${DEFAULT-VALUE}).")
  long receiptTimeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    if (intervalMs < 0 || receiptTimeoutSeconds < 1) {
      throw new IllegalArgumentException("--interval must be 0 or more and --receipt-timeout 1"
          + " or more");
    }
    Duration receiptTimeout = Duration.ofSeconds(receiptTimeoutSeconds);
    Relayer relayer;
    try {
      RelayChain a = new RelayChain("A", ChorusClient.connect(aUrl), key(aKeyFile, "--a-key-file"),
          receiptTimeout);
      RelayChain b = new RelayChain("B", ChorusClient.connect(bUrl), key(bKeyFile, "--b-key-file"),
          receiptTimeout);
      java.util.function.Consumer<String> log = line -> {
        err.println("chorus relay: " + line);
        err.flush();
      };
      if (trust) {
        Relayer.trustVoted(a, aClient, b, log);
      }
      relayer = new Relayer(a, aClient, b, log);
      err.println("chorus relay: relaying between " + a.describe() + ", its client " + aClient
          + " of B, and " + b.describe() + ", its client " + relayer.bClient() + " of A");
      err.flush();
    } catch (ClientException e) {
      err.println("chorus relay: " + e.getMessage());
      return 2;
    }
    while (true) {
      Relayer.Report report;
      try {
        report = relayer.step();
      } catch (ClientException e) {
        err.println("chorus relay: pass failed, retrying: " + e.getMessage());
        err.flush();
        if (once) {
          return 1;
        }
        Thread.sleep(intervalMs);
        continue;
      }
      if (report.pending() > 0 || report.progressed()) {
        err.println("chorus relay: pass: " + report);
        err.flush();
      }
      if (once && !report.progressed()) {
        return 0;
      }
      Thread.sleep(intervalMs);
    }
  }

  private static byte[] key(Path file, String option) {
    TxCommand.Key key = new TxCommand.Key();
    key.file = file;
    try {
      return key.privateKey();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }
}
