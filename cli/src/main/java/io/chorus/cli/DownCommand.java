package io.chorus.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code chorus down}: stops what {@code chorus up} started, a dev node or a network. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
        "Stops the node running on a data directory, or every member of a network",
        "directory (SIGTERM, then waits for each to finish its block and close its",
        "store). Without --dir it stops what runs on " + NetworkDir.DEFAULT + " and on",
        DataDir.DEFAULT + "."})
final class DownCommand implements Callable<Integer> {
  private static final long WAIT_SECONDS = 60;

  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();

  @Override
  public Integer call() throws Exception {
    List<Path> roots = dir.given() ? List.of(dir.or(DataDir.DEFAULT))
        : List.of(dir.or(NetworkDir.DEFAULT), dir.or(DataDir.DEFAULT));
    boolean any = false;
    for (Path root : roots) {
      any |= NetworkDir.isNetwork(root) || new DataDir(root).initialized() || dir.given();
      if (NetworkDir.isNetwork(root)) {
        NetworkDir net = new NetworkDir(root);
        List<DataDir> members = new ArrayList<>();
        net.members().forEach(m -> members.add(net.data(m)));
        stop(members);
        net.clearP2pPortsInUse();
      } else if (dir.given() || new DataDir(root).initialized()) {
        stop(List.of(new DataDir(root)));
      }
    }
    if (!any) {
      spec.commandLine().getOut().println("no node runs on " + roots.get(0) + " or "
          + roots.get(1));
    }
    return 0;
  }

  /** SIGTERM to all first, so that a network's members shut down side by side. */
  private void stop(List<DataDir> dirs) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<DataDir> stopping = new ArrayList<>();
    List<ProcessHandle> processes = new ArrayList<>();
    for (DataDir data : dirs) {
      var process = data.running().flatMap(r -> ProcessHandle.of(r.pid()));
      if (process.isEmpty()) {
        out.println("no node runs on " + data.root);
        data.clearRunning();
        continue;
      }
      process.get().destroy();
      stopping.add(data);
      processes.add(process.get());
    }
    for (int i = 0; i < processes.size(); i++) {
      ProcessHandle process = processes.get(i);
      try {
        process.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        spec.commandLine().getErr().println("chorus: node " + process.pid() + " did not stop "
            + "in " + WAIT_SECONDS + " s; killing it");
        process.destroyForcibly();
        process.onExit().get(WAIT_SECONDS, TimeUnit.SECONDS);
      }
      stopping.get(i).clearRunning();
      out.println("stopped the node on " + stopping.get(i).root + " (pid " + process.pid()
          + ")");
    }
  }
}
