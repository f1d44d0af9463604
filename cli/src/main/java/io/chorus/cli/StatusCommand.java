package io.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.client.ClientException;
import io.chorus.client.JsonRpcClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
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
        "reports (a member's peers, consensus height and round, sync). Without --dir it",
        "looks at " + NetworkDir.DEFAULT + " and " + DataDir.DEFAULT + "."})
final class StatusCommand implements Callable<Integer> {
  // Shown on lines of their own; anything else chorus_nodeStatus returns is printed as is, so
  // that a field a newer node adds is never hidden.
  private static final Set<String> SHOWN = Set.of("client", "chainId", "suite", "feeMode",
      "genesisHash", "head", "pendingTransactions", "validators", "uptimeSeconds", "network");
  private static final Set<String> SHOWN_OF_MEMBER = Set.of("validator", "peers", "height",
      "round", "bestPeerHead", "blocksBehind", "syncBlocksPerSecond", "syncEtaSeconds",
      "syncedBlocks", "refusedBlocks", "invalidProposals", "gossipReceived", "gossipRefused",
      "droppedEvents", "consensusCounters", "certificates", "consensusHalted",
      "consensusHaltReason", "abstainThroughHeight");

  /**
   * A node to ask: its member name (empty for a dev node or --url), its RPC URL, or null with
   * its data directory when it is not running.
   */
  private record Target(String name, String url, Path data) {}

  @Spec private CommandSpec spec;

  @Mixin private NodeOptions.Dir dir = new NodeOptions.Dir();

  @Option(names = "--url", description = "Ask the node at this RPC URL instead.")
  String url;

  @Option(names = "--json", description = {"For scripts: one line per node, the",
      "chorus_nodeStatus object as the node returned it (members in network.json's order;",
      "null for one that is not running or does not answer)."})
  boolean json;

  @Override
  public Integer call() {
    if (url != null) {
      return show(new Target("", url, null)) ? 0 : 1;
    }
    List<Path> roots = dir.given() ? List.of(dir.or(DataDir.DEFAULT))
        : List.of(dir.or(NetworkDir.DEFAULT), dir.or(DataDir.DEFAULT));
    List<Target> targets = new ArrayList<>();
    for (Path root : roots) {
      if (NetworkDir.isNetwork(root)) {
        NetworkDir net = new NetworkDir(root);
        for (NetworkDir.Member m : net.members()) {
          DataDir data = net.data(m);
          targets.add(new Target(m.name(),
              data.running().map(DataDir.Running::rpcUrl).orElse(null), data.root));
        }
      } else {
        new DataDir(root).running().ifPresent(r -> targets.add(new Target("", r.rpcUrl(), root)));
      }
    }
    if (targets.stream().allMatch(t -> t.url() == null)) {
      spec.commandLine().getErr().println("chorus: no node runs on " + String.join(" or ",
          roots.stream().map(Path::toString).toList()) + " (start one with 'chorus up"
          + dir.flag() + "')");
      return 1;
    }
    boolean allAnswered = true;
    for (Target target : targets) {
      if (target.url() == null) {
        notRunning(target);
      } else {
        allAnswered &= show(target);
      }
    }
    return allAnswered ? 0 : 1;
  }

  /** Says a member is not running: in the text, or beside the JSON a script reads. */
  private void notRunning(Target member) {
    String what = member.name() + " is not running (" + member.data() + ")";
    if (json) {
      spec.commandLine().getOut().println("null");
      spec.commandLine().getErr().println("chorus: " + what);
    } else {
      spec.commandLine().getOut().println("== " + what);
    }
  }

  /** Prints one node's status; false when it cannot be reached. */
  private boolean show(Target target) {
    PrintWriter out = spec.commandLine().getOut();
    JsonNode status;
    try {
      status = new JsonRpcClient(target.url()).call("chorus_nodeStatus");
    } catch (ClientException e) {
      if (json) {
        out.println("null");
      }
      spec.commandLine().getErr().println("chorus: " + e.getMessage());
      return false;
    }
    if (json) {
      out.println(status);
      return true;
    }
    if (!target.name().isEmpty()) {
      out.println("== " + target.name());
    }
    JsonNode head = status.path("head");
    line(out, "node", target.url() + " (" + status.path("client").asText() + ")");
    line(out, "chain", "id " + status.path("chainId").asText() + ", suite "
        + status.path("suite").asText() + ", fees " + status.path("feeMode").asText()
        + ", genesis " + status.path("genesisHash").asText());
    line(out, "head", "#" + head.path("number").asLong() + " " + head.path("hash").asText()
        + " (" + head.path("transactions").asLong() + " txs, timestamp "
        + head.path("timestamp").asLong() + ")");
    line(out, "pool", status.path("pendingTransactions").asLong() + " pending");
    StringJoiner validators = new StringJoiner(", ");
    status.path("validators").forEach(v -> validators.add(v.asText()));
    line(out, "validators", status.path("validators").size() + ": " + validators);
    line(out, "uptime", status.path("uptimeSeconds").asLong() + " s");
    showMember(out, status.path("network"));
    status.properties().forEach(field -> {
      if (!SHOWN.contains(field.getKey())) {
        line(out, field.getKey(), field.getValue().toString());
      }
    });
    return true;
  }

  /** What a BFT member adds, one named line each; a dev node has none. */
  private static void showMember(PrintWriter out, JsonNode member) {
    if (!member.isObject()) {
      line(out, "network", "none (a dev node: no peers, no consensus)");
      return;
    }
    line(out, "network", member.path("validator").asBoolean()
        ? "a validator of this height" : "a follower (not in this height's validator set)");
    if (member.path("consensusHalted").asBoolean()) {
      line(out, "  HALTED", member.path("consensusHaltReason").asText());
    }
    if (member.path("abstainThroughHeight").asLong() > 0) {
      line(out, "  abstains", "through height " + member.path("abstainThroughHeight").asLong()
          + " (its consensus state was unreadable at start)");
    }
    line(out, "  peers", member.path("peers").asText("?"));
    line(out, "  consensus", "height " + member.path("height").asText("?") + ", round "
        + member.path("round").asText("?"));
    line(out, "  counters", counters(member.path("consensusCounters")));
    line(out, "  sync", sync(member));
    line(out, "  gossip", member.path("gossipReceived").asText("?")
        + " transactions received, " + member.path("gossipRefused").asText("?") + " refused");
    line(out, "  refused", member.path("invalidProposals").asText("?") + " invalid proposals, "
        + member.path("droppedEvents").asText("?") + " events dropped at a full queue");
    JsonNode certificates = member.path("certificates");
    if (certificates.isObject()) {
      line(out, "  certs", "node " + days(certificates.path("node"))
          + ", organisation CA " + days(certificates.path("organisation"))
          + ", root " + days(certificates.path("root")) + " to expiry");
    }
    member.properties().forEach(field -> {
      if (!SHOWN_OF_MEMBER.contains(field.getKey())) {
        line(out, "  " + field.getKey(), field.getValue().toString());
      }
    });
  }

  /** The consensus core's counters, as {@code finalized 8, received 57, round changes 1}. */
  private static String counters(JsonNode counters) {
    StringJoiner text = new StringJoiner(", ").setEmptyValue("none yet");
    counters.properties().forEach(c -> text.add(c.getKey().replace('_', ' ') + " "
        + c.getValue().asText()));
    return text.toString();
  }

  private static String sync(JsonNode member) {
    long behind = member.path("blocksBehind").asLong();
    String best = "best peer head #" + member.path("bestPeerHead").asText("?");
    String done = "; " + member.path("syncedBlocks").asText("?") + " blocks synced, "
        + member.path("refusedBlocks").asText("?") + " refused";
    if (behind == 0) {
      return "not behind (" + best + ")" + done;
    }
    long eta = member.path("syncEtaSeconds").asLong(-1);
    return behind + " blocks behind (" + best + "), "
        + (eta < 0 ? "pace not measured yet"
            : String.format(java.util.Locale.ROOT, "%.1f blocks/s, about %d s to go",
                member.path("syncBlocksPerSecond").asDouble(), eta))
        + done;
  }

  private static void line(PrintWriter out, String label, String text) {
    out.printf("%-12s %s%n", label, text);
  }

  private static String days(JsonNode certificate) {
    return certificate.path("daysToExpiry").asText("?") + " days";
  }
}
