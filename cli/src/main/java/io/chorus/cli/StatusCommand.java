package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.client.ClientException;
import io.chorus.client.JsonRpcClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code chorus status}: what running nodes say about themselves. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
        "Shows a running node's chain, head, pool and validators (chorus_nodeStatus),",
        "or every member's of a network directory, with whatever else the node",
        "reports (a member's peers, consensus height and round). Without --dir it",
        "looks at " + NetworkDir.DEFAULT + " and " + DataDir.DEFAULT + "."})
final class StatusCommand implements Callable<Integer> {
  // Shown on lines of their own; anything else chorus_nodeStatus returns is printed as is.
  private static final Set<String> SHOWN = Set.of("client", "chainId", "suite", "feeMode",
      "genesisHash", "head", "pendingTransactions", "validators", "uptimeSeconds");

  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();

  @Option(names = "--url", description = "Ask the node at this RPC URL instead.")
  String url;

  @Override
  public Integer call() {
    if (url != null) {
      return show(url) ? 0 : 1;
    }
    List<Path> roots = dir.given() ? List.of(dir.or(DataDir.DEFAULT))
        : List.of(dir.or(NetworkDir.DEFAULT), dir.or(DataDir.DEFAULT));
    // Each running node: its name (empty for a dev node) and its URL.
    List<Map.Entry<String, String>> targets = new ArrayList<>();
    for (Path root : roots) {
      if (NetworkDir.isNetwork(root)) {
        NetworkDir net = new NetworkDir(root);
        for (NetworkDir.Member m : net.members()) {
          var running = net.data(m).running();
          if (running.isEmpty()) {
            spec.commandLine().getOut().println("== " + m.name() + ": not running ("
                + net.data(m).root + ")");
          } else {
            targets.add(Map.entry(m.name(), running.get().rpcUrl()));
          }
        }
      } else {
        new DataDir(root).running().ifPresent(r -> targets.add(Map.entry("", r.rpcUrl())));
      }
    }
    if (targets.isEmpty()) {
      spec.commandLine().getErr().println("chorus: no node runs on " + String.join(" or ",
          roots.stream().map(Path::toString).toList()) + " (start one with 'chorus up"
          + dir.flag() + "')");
      return 1;
    }
    boolean allAnswered = true;
    for (var target : targets) {
      if (!target.getKey().isEmpty()) {
        spec.commandLine().getOut().println("== " + target.getKey());
      }
      allAnswered &= show(target.getValue());
    }
    return allAnswered ? 0 : 1;
  }

  /** Prints one node's status; false when it cannot be reached. */
  private boolean show(String target) {
    PrintWriter out = spec.commandLine().getOut();
    JsonNode status;
    try {
      status = new JsonRpcClient(target).call("chorus_nodeStatus");
    } catch (ClientException e) {
      spec.commandLine().getErr().println("chorus: " + e.getMessage());
      return false;
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
    JsonNode member = status.path("network");
    if (member.isObject()) {
      out.println("peers     " + member.path("peers").asText("?") + " (consensus height "
          + member.path("height").asText("?") + ", round " + member.path("round").asText("?")
          + ")");
      if (member.path("consensusHalted").asBoolean()) {
        out.println("HALTED    " + member.path("consensusHaltReason").asText());
      }
      JsonNode certificates = member.path("certificates");
      if (certificates.isObject()) {
        out.println("certs     node " + days(certificates.path("node"))
            + ", organisation CA " + days(certificates.path("organisation"))
            + ", root " + days(certificates.path("root")) + " to expiry");
      }
    }
    status.properties().forEach(field -> {
      if (!SHOWN.contains(field.getKey())) {
        out.printf("%-9s %s%n", field.getKey(), field.getValue());
      }
    });
    return true;
  }

  private static String days(JsonNode certificate) {
    return certificate.path("daysToExpiry").asText("?") + " days";
  }
}
