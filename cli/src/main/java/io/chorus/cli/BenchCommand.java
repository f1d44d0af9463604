package io.chorus.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.client.ClientException;
import io.chorus.client.EpcisCaptureLoad;
import io.chorus.client.GovernanceClient;
import io.chorus.client.LoadGenerator;
import io.chorus.client.NotaryLoad;
import io.chorus.client.ProblemException;
import io.chorus.client.ReceivablesLoad;
import io.chorus.crypto.HdWallet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code chorus bench load}, {@code notary}, {@code epcis} and {@code receivables}: the load
 * generators. ({@code ./chorus bench} with other arguments
 * runs the JMH micro benchmarks from the bench jar.)
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {"Benchmarks against a running node. './chorus bench' with JMH options runs",
        "the micro benchmarks instead (see docs/performance.md)."},
    subcommands = {BenchCommand.Load.class, BenchCommand.Notary.class, BenchCommand.Epcis.class,
        BenchCommand.ReceivablesRun.class})
final class BenchCommand {
  private BenchCommand() {}

  @Command(name = "load", mixinStandardHelpOptions = true,
      description = {"Throughput and latency as ../shared/peers/load.js measures them (same",
          "contract, calls and result fields), signed in the chain's suite: deploys Notary,",
          "pre-signs --n notarize() calls over --accounts senders, sends them with --window",
          "in flight per sender, stamps each when its block appears, checks every receipt.",
          "Prints one JSON line: tps, latMs {p50,p90,p99,max}, elapsedMs, n, window, ..."})
  static final class Load implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8545", paramLabel = "URL",
        description = "The node's JSON-RPC URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--suite", paramLabel = "NAME", description = "sm or ethereum: checked "
        + "against the chain's (default: the chain's).")
    String suite;

    @Option(names = "--n", paramLabel = "N",
        defaultValue = "2000", description = "Transactions (default: "
        + "${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--accounts", paramLabel = "N",
        defaultValue = "10", description = "Senders, from the "
        + "mnemonic (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--window", paramLabel = "W",
        defaultValue = "1", description = "Transactions in flight per "
        + "sender (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--mnemonic", paramLabel = "PHRASE",
        defaultValue = HdWallet.TEST_MNEMONIC,
        description = "The senders' mnemonic (default: the standard test mnemonic).")
    String mnemonic;

    @Option(names = "--gas-limit", paramLabel = "GAS", description = "Gas per transaction "
        + "(default: 1.5 × eth_estimateGas).")
    long gasLimit;

    @Option(names = "--poll", defaultValue = "20", paramLabel = "MS", description = "Block "
        + "poll interval (default: ${DEFAULT-VALUE}).")
    long pollMs;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
        description = "Give up waiting for blocks after this (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--label", paramLabel = "TEXT",
        defaultValue = "", description = "A label for the result.")
    String label;

    @Option(names = "--out", paramLabel = "FILE", description = "Also append the result "
        + "line to FILE.")
    Path out;

    @Override
    public Integer call() throws InterruptedException {
      if (suite != null && !suite.equals("sm") && !suite.equals("ethereum")) {
        throw new IllegalArgumentException("--suite must be sm or ethereum, got " + suite);
      }
      if (pollMs <= 0 || timeoutSeconds <= 0) {
        throw new IllegalArgumentException("--poll and --timeout must be positive");
      }
      ObjectNode result;
      try {
        result = LoadGenerator.run(new LoadGenerator.Options(url, n, accounts, window, mnemonic,
            suite, gasLimit, Duration.ofMillis(pollMs), Duration.ofSeconds(timeoutSeconds),
            label));
      } catch (ClientException e) {
        spec.commandLine().getErr().println("chorus: " + e.getMessage());
        return 1;
      }
      spec.commandLine().getOut().println(result);
      if (out != null) {
        appendLine(out, result);
      }
      return 0;
    }
  }

  @Command(name = "notary", mixinStandardHelpOptions = true,
      description = {"Notarization through batching: --senders accounts of the test mnemonic",
          "each anchor batches of --batch-size random digests until --batches are done;",
          "each batch's time runs from sending it to holding every digest's final proof.",
          "Prints one JSON line: digestsPerSecond, latMs {p50,p99,max}, elapsedMs,",
          "digests, ..."})
  static final class Notary implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8545", paramLabel = "URL",
        description = "The node's JSON-RPC URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--batches", defaultValue = "40", paramLabel = "N",
        description = "Batches in all (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(names = "--batch-size", defaultValue = "4096", paramLabel = "N",
        description = "Digests per batch, 1 to 4,096 (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--senders", defaultValue = "4", paramLabel = "N",
        description = "Accounts sending at once (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
        description = "How long to wait for one batch's block (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
      ObjectNode result;
      try {
        result = NotaryLoad.run(new NotaryLoad.Options(url, batches, batchSize, senders,
            HdWallet.TEST_MNEMONIC, Duration.ofSeconds(timeoutSeconds)));
      } catch (ClientException e) {
        spec.commandLine().getErr().println("chorus: " + e.getMessage());
        return 1;
      }
      spec.commandLine().getOut().println(result);
      return 0;
    }
  }

  @Command(name = "epcis", mixinStandardHelpOptions = true,
      description = {"Sustained EPCIS capture on every running member of a network (each",
          "with its operator token, nodeI/api-token): fresh documents of --events events",
          "posted to /epcis/capture, each followed by its job's success, then by --proofs",
          "of its events' proofs; until --duration after --warmup. Closed loops by default",
          "(--in-flight senders per member, each posting again once answered); with",
          "--rate, documents due at that pace, the members in turn, whatever the answers.",
          "Prints one JSON line: eventsPerSecond (events of documents proven in the",
          "measured window), proofLatencyMs (post, or due time with --rate, to proof 200),",
          "acceptedMs (to the job's 202), anchoredMs (to its success), each",
          "{p50,p99,max}; settings."})
  static final class Epcis implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", defaultValue = NetworkDir.DEFAULT, paramLabel = "DIR",
        description = "The network's directory, as given to 'chorus up' (default:"
            + " ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--events", defaultValue = "256", paramLabel = "N",
        description = "Events per document (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--in-flight", defaultValue = "2", paramLabel = "N",
        description = "Documents in flight per member (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "EVENTS_PER_SECOND",
        description = "Offer this many events a second instead of closed loops; the run fails"
            + " once the network falls behind (default: ${DEFAULT-VALUE}, closed loops).")
    int rate;

    @Option(names = "--proofs", defaultValue = "3", paramLabel = "N",
        description = "Proofs fetched per document: first, last and evenly between (default:"
            + " ${DEFAULT-VALUE}).")
    int proofs;

    @Option(names = "--warmup", defaultValue = "20", paramLabel = "SECONDS",
        description = "Load before the measured window (default: ${DEFAULT-VALUE}).")
    long warmupSeconds;

    @Option(names = "--duration", defaultValue = "60", paramLabel = "SECONDS",
        description = "The measured window (default: ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
        description = "How long one document may take to its last proof (default:"
            + " ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
      ObjectNode result;
      try {
        result = EpcisCaptureLoad.run(new EpcisCaptureLoad.Options(members(), events,
            inFlight, rate, Duration.ofSeconds(warmupSeconds),
            Duration.ofSeconds(durationSeconds), proofs, Duration.ofSeconds(timeoutSeconds)));
      } catch (ClientException e) {
        spec.commandLine().getErr().println("chorus: " + e.getMessage());
        return 1;
      }
      spec.commandLine().getOut().println(result);
      return 0;
    }

    private List<EpcisCaptureLoad.Member> members() {
      return runningMembers(dir).stream()
          .map(m -> new EpcisCaptureLoad.Member(m.url(), m.token())).toList();
    }
 }

  @Command(name = "receivables", mixinStandardHelpOptions = true,
      description = {"Supply-chain finance on a running network: issues --receivables",
          "receivables (each signed by the obligor over its terms), splits each --splits",
          "times to tier-2 suppliers, offers the piece kept to a bank, and the bank",
          "accepts; each operation a timed window of pre-signed transactions to member 0",
          "(--window in flight per sender). Roles the parties lack (obligor: mnemonic",
          "account 10, banks: 8 and 9) are first granted by a governance vote of the",
          "members. Prints one JSON line: per operation tps, latMs {p50,p90,p99,max}; the",
          "total; a sample read back."})
  static final class ReceivablesRun implements Callable<Integer> {
    private static final long ROLE_VOTE_EXPIRY_BLOCKS = 100;
    private static final long ROLES_WAIT_MS = 60_000;

    @Spec CommandSpec spec;

    @Option(names = "--dir", defaultValue = NetworkDir.DEFAULT, paramLabel = "DIR",
        description = "The network's directory, as given to 'chorus up' (default:"
            + " ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--receivables", defaultValue = "1000", paramLabel = "N",
        description = "Receivables to issue (default: ${DEFAULT-VALUE}).")
    int receivables;

    @Option(names = "--splits", defaultValue = "3", paramLabel = "N",
        description = "Splits of each, a tenth of its face value each (default:"
            + " ${DEFAULT-VALUE}).")
    int splits;

    @Option(names = "--window", defaultValue = "16", paramLabel = "W",
        description = "Transactions in flight per sender (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--poll", defaultValue = "20", paramLabel = "MS", description = "Block "
        + "poll interval (default: ${DEFAULT-VALUE}).")
    long pollMs;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
        description = "Give up waiting for one operation's blocks after this (default:"
            + " ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--label", paramLabel = "TEXT", defaultValue = "",
        description = "A label for the result.")
    String label;

    @Option(names = "--out", paramLabel = "FILE", description = "Also append the result "
        + "line to FILE.")
    Path out;

    @Override
    public Integer call() throws InterruptedException {
      if (pollMs <= 0 || timeoutSeconds <= 0) {
        throw new IllegalArgumentException("--poll and --timeout must be positive");
      }
      List<RunningMember> members = runningMembers(dir);
      ReceivablesLoad.Options options = new ReceivablesLoad.Options(members.get(0).url(),
          receivables, splits, window, HdWallet.TEST_MNEMONIC, Duration.ofMillis(pollMs),
          Duration.ofSeconds(timeoutSeconds), label);
      ObjectNode result;
      try {
        grantMissingRoles(members);
        result = ReceivablesLoad.run(options);
      } catch (ClientException e) {
        spec.commandLine().getErr().println("chorus: " + e.getMessage());
        return 1;
      }
      spec.commandLine().getOut().println(result);
      if (out != null) {
        appendLine(out, result);
      }
      return 0;
    }

    // Proposes grant-roles at member 0 for each missing role and has the others vote yes
    // until the vote closes, then waits until the roles show on the chain.
    private void grantMissingRoles(List<RunningMember> members) throws InterruptedException {
      String url = members.get(0).url();
      Map<String, Long> missing = ReceivablesLoad.missingRoles(url, HdWallet.TEST_MNEMONIC);
      for (Map.Entry<String, Long> role : missing.entrySet()) {
        GovernanceClient proposer = new GovernanceClient(url, members.get(0).token());
        long id = proposer.propose("grant-roles", List.of(role.getKey(),
            Long.toString(role.getValue())), ROLE_VOTE_EXPIRY_BLOCKS, true).proposalId()
            .orElseThrow(() -> new ClientException("the grant-roles proposal for "
                + role.getKey() + " did not make it into a block within 30 s"));
        for (RunningMember voter : members.subList(1, members.size())) {
          vote(voter, id);
        }
        spec.commandLine().getErr().println("granted role bits " + role.getValue() + " to "
            + role.getKey() + " (proposal " + id + ")");
      }
      long deadline = System.currentTimeMillis() + ROLES_WAIT_MS;
      while (!ReceivablesLoad.missingRoles(url, HdWallet.TEST_MNEMONIC).isEmpty()) {
        if (System.currentTimeMillis() > deadline) {
          throw new ClientException("the roles voted were not in effect after "
              + ROLES_WAIT_MS / 1000 + " s: " + ReceivablesLoad.missingRoles(url,
                  HdWallet.TEST_MNEMONIC) + " still missing (see 'chorus gov list')");
        }
        Thread.sleep(200);
      }
    }
  }

  // A yes vote at the voter's node, once that node has the proposal's block (404 before).
  private static void vote(RunningMember voter, long id) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      try {
        new GovernanceClient(voter.url(), voter.token()).vote(id, true, true);
        return;
      } catch (ProblemException e) {
        if (e.status() == 409) { // the vote closed: the proposal passed without this one
          return;
        }
        if (e.status() != 404 || System.currentTimeMillis() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  /** A running member of a network: its RPC URL and its operator's API token. */
  record RunningMember(String url, String token) {}

  // Each member of the network on dir, which must all run.
  static List<RunningMember> runningMembers(Path dir) {
    if (!NetworkDir.isNetwork(dir)) {
      throw new IllegalArgumentException(dir + " holds no network (no " + NetworkDir.FILE
          + "): give the --dir that 'chorus up' was given");
    }
    NetworkDir network = new NetworkDir(dir);
    List<RunningMember> out = new ArrayList<>();
    for (NetworkDir.Member member : network.members()) {
      DataDir data = network.data(member);
      String url = data.running().map(DataDir.Running::rpcUrl).orElseThrow(() ->
          new IllegalArgumentException(member.name() + " is not running: start the network"
              + " with 'chorus up --dir " + dir + "'"));
      Path tokenFile = data.root.resolve(NetworkLayout.OPERATOR_TOKEN_FILE);
      try {
        out.add(new RunningMember(url, Files.readString(tokenFile).strip()));
      } catch (IOException e) {
        throw new IllegalArgumentException(VerifyCommand.problem(tokenFile, e), e);
      }
    }
    return out;
  }

  static void appendLine(Path file, ObjectNode line) {
    try {
      Files.writeString(file, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot append to " + file + ": " + e.getMessage(), e);
    }
  }
}
