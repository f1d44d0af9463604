package io.chorus.cli;

import io.chorus.client.JsonRpcClient;
import io.chorus.export.ChainExporter;
import io.chorus.export.ExportException;
import io.chorus.export.PostgresTarget;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chorus export}: the chain into PostgreSQL, exactly once, following the head. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
        "Exports a node's chain into PostgreSQL: blocks, transactions, logs, accounts",
        "touched, validator changes, governance, notary records and decoded events",
        "(docs/export.md). Each block is written with the export's progress in one",
        "transaction, so a stopped or killed export resumes with no gap and no duplicate.",
        "Follows the head until stopped (Ctrl-C), or with --once exits at the head.",
        "Exit codes: 2 configuration to fix, 3 the database holds a newer schema or",
        "another chain, 1 any other failure."})
final class ExportCommand implements Callable<Integer> {
  /** How long Ctrl-C waits for a block being written to roll back. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(30);

  @Spec private CommandSpec spec;

  @Option(names = "--url", defaultValue = "http://127.0.0.1:8545",
      description = "The node's JSON-RPC URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(names = "--to", required = true, paramLabel = "postgresql://USER@HOST:PORT/DB",
      description = {"The database (it must exist; the exporter creates its tables). A",
          "password goes in the URL (USER:PASSWORD@) or in PGPASSWORD."})
  String to;

  @Option(names = "--from-block", paramLabel = "N",
      description = "Start at block N instead of 0 (only into an empty database).")
  Long fromBlock;

  @Option(names = "--once", description = "Export up to the node's head, then exit.")
  boolean once;

  @Option(names = "--report-seconds", defaultValue = "10", paramLabel = "S",
      description = "Log the rate and lag every S seconds (0: never; default: ${DEFAULT-VALUE}).")
  int reportSeconds;

  @Option(names = "--rpc-timeout-seconds", defaultValue = "30", paramLabel = "S",
      description = {"How long one JSON-RPC request to the node may take before the exporter",
          "logs the node as slow or stuck and retries (default: ${DEFAULT-VALUE})."})
  int rpcTimeoutSeconds;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    if (fromBlock != null && fromBlock < 0) {
      throw new IllegalArgumentException("--from-block must be 0 or more, got " + fromBlock);
    }
    if (rpcTimeoutSeconds < 1) {
      throw new IllegalArgumentException("--rpc-timeout-seconds must be 1 or more, got "
          + rpcTimeoutSeconds);
    }
    if (reportSeconds < 0) {
      throw new IllegalArgumentException("--report-seconds must be 0 or more");
    }
    ChainExporter.Options defaults = ChainExporter.Options.defaults();
    ChainExporter.Options options = new ChainExporter.Options(
        fromBlock == null ? -1 : fromBlock, once, defaults.poll(),
        Duration.ofSeconds(reportSeconds), defaults.blocksPerTransaction(),
        defaults.backoffMax());
    PostgresTarget target;
    try {
      target = PostgresTarget.parse(to);
    } catch (ExportException e) {
      err.println("chorus export: " + e.getMessage());
      return e.kind().exitCode();
    }
    ChainExporter exporter = new ChainExporter(
        new JsonRpcClient(url, Duration.ofSeconds(rpcTimeoutSeconds)), target, options, line -> {
      err.println("chorus export: " + line);
      err.flush();
    });
    // SIGTERM or Ctrl-C: stop between blocks, or roll the block being written back.
    CountDownLatch finished = new CountDownLatch(1);
    Thread stop = new Thread(() -> {
      exporter.close();
      try {
        finished.await(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "chorus-export-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    try {
      exporter.open();
      exporter.run();
      ChainExporter.Progress done = exporter.progress();
      err.println("chorus export: exported " + done.blocks() + " blocks, "
          + done.transactions() + " transactions (" + done.rows() + " rows); last block "
          + done.lastBlock());
      return 0;
    } catch (ExportException e) {
      err.println("chorus export: " + e.getMessage());
      return e.kind().exitCode();
    } finally {
      exporter.close();
      finished.countDown();
      removeHook(stop);
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook is running and stops this export
    }
  }
}
