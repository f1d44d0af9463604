package io.chorus.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chorus down}: stops the node that {@code chorus up} started. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Stops the node running on a data directory (SIGTERM, then waits for it to "
        + "finish its block and close its store).")
final class DownCommand implements Callable<Integer> {
  private static final long WAIT_SECONDS = 60;

  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();

  @Override
  public Integer call() throws Exception {
    DataDir data = dir.dataDir();
    var running = data.running();
    if (running.isEmpty()) {
      spec.commandLine().getOut().println("no node runs on " + data.root);
      data.clearRunning();
      return 0;
    }
    ProcessHandle process = ProcessHandle.of(running.get().pid()).orElseThrow();
    process.destroy();
    try {
      process.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      spec.commandLine().getErr().println("chorus: node " + process.pid() + " did not stop in "
          + WAIT_SECONDS + " s; killing it");
      process.destroyForcibly();
      process.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    data.clearRunning();
    spec.commandLine().getOut().println("stopped the node on " + data.root + " (pid "
        + process.pid() + ")");
    return 0;
  }
}
