package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chorus status}: what a running node says about itself. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Shows a running node's chain, head, pool and validators (chorus_nodeStatus).")
final class StatusCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();

  @Option(names = "--url", description = "Ask the node at this RPC URL instead.")
  String url;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String target = url;
    if (target == null) {
      DataDir data = dir.dataDir();
      var running = data.running();
      if (running.isEmpty()) {
        spec.commandLine().getErr().println("chorus: no node runs on " + data.root
            + " (start one with 'chorus up" + dir.flag() + "')");
        return 1;
      }
      target = running.get().rpcUrl();
    }
    JsonNode status;
    try {
      status = new RpcClient(target).call("chorus_nodeStatus");
    } catch (IOException e) {
      spec.commandLine().getErr().println("chorus: cannot reach the node at " + target + ": "
          + e.getMessage());
      return 1;
    }
    JsonNode head = status.path("head");
    out.println("node      " + target + " (" + status.path("client").asText() + ")");
    out.println("chain     id " + status.path("chainId").asText() + ", suite "
        + status.path("suite").asText() + ", fees " + status.path("feeMode").asText()
        + ", genesis " + status.path("genesisHash").asText());
    out.println("head      #" + head.path("number").asLong() + " " + head.path("hash").asText()
        + " (" + head.path("transactions").asLong() + " txs, timestamp "
        + head.path("timestamp").asLong() + ")");
    out.println("pool      " + status.path("pendingTransactions").asLong() + " pending");
    out.println("validators " + status.path("validators"));
    out.println("uptime    " + status.path("uptimeSeconds").asLong() + " s");
    return 0;
  }
}
