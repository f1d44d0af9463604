package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.client.JsonRpcClient;
import io.chorus.node.Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus status} as a person and a script read it. Goal: every figure a node reports is
 * on a named line (no raw JSON in the text), and {@code --json} gives scripts the node's own
 * {@code chorus_nodeStatus} objects, one line per node in the members' order. Method: a dev
 * node in this JVM, then a real network ({@code chorus up}) with one member stopped.
 */
class StatusCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  @Test
  void aDevNodeSaysItHasNoNetworkAndJsonIsTheNodesOwnObject() throws Exception {
    Path data = dir.resolve("dev");
    assertEquals(0, run("init", "--dir", data.toString()).code());
    try (Node node = Node.start(new Node.Config(data, "127.0.0.1", 0))) {
      // What 'chorus node' writes for status to find it; this JVM is the node's process.
      new DataDir(data).writeRunning(new DataDir.Running(ProcessHandle.current().pid(),
          node.rpcUrl()));

      Run text = run("status", "--dir", data.toString());
      assertEquals(0, text.code(), text.err());
      assertNoRawJson(text.out());
      assertTrue(text.out().contains("\nnetwork      none (a dev node"), text.out());
      assertTrue(Pattern.compile("(?m)^validators   1: 0x[0-9a-f]{40}$").matcher(text.out())
          .find(), text.out());

      Run json = run("status", "--url", node.rpcUrl(), "--json");
      assertEquals(0, json.code(), json.err());
      List<String> lines = json.out().lines().toList();
      assertEquals(1, lines.size(), json.out());
      JsonNode printed = JSON.readTree(lines.get(0));
      JsonNode asked = new JsonRpcClient(node.rpcUrl()).call("chorus_nodeStatus");
      // The same object but for what moves between the two calls.
      for (String field : List.of("client", "chainId", "suite", "feeMode", "genesisHash",
          "validators", "network")) {
        assertEquals(asked.get(field), printed.get(field), field);
      }
      assertTrue(printed.get("network").isNull(), json.out());
    }
  }

  @Test
  void aNetworksMembersGetNamedLinesAndJsonKeepsTheirOrder() throws Exception {
    Path root = dir.resolve("net");
    assertEquals(0, run("init", "--validators", "4", "--dir", root.toString(), "--p2p-port",
        "0").code());
    Run up = run("up", "--dir", root.toString(), "--rpc-port", "0");
    try {
      assertEquals(0, up.code(), up.err() + " (see " + root + "/node*/node.log)");
      assertEquals(0, run("down", "--dir", root.resolve("node3").toString()).code());

      Run text = run("status", "--dir", root.toString());
      assertEquals(0, text.code(), text.err());
      assertNoRawJson(text.out());
      String[] members = text.out().split("(?m)^== ");
      assertEquals(5, members.length, text.out()); // before node0, node0..node2, node3
      for (int i = 0; i < 3; i++) {
        String member = members[i + 1];
        assertTrue(member.startsWith("node" + i + "\n"), member);
        for (String named : List.of("network      a validator of this height",
            "  peers      \\d+", "  consensus  height \\d+, round \\d+",
            // A fresh network may have none yet, or (slow to start) no finalized block yet.
            "  counters   (none yet|[a-z ]+ \\d+(, [a-z ]+ \\d+)*)",
            "  sync       (not behind|\\d+ blocks behind) \\(best peer head #\\d+\\).*",
            "  gossip     \\d+ transactions received, \\d+ refused",
            "  certs      node \\d+ days, organisation CA \\d+ days, root \\d+ days to expiry")) {
          assertTrue(Pattern.compile("(?m)^" + named + "$").matcher(member).find(),
              named + " in\n" + member);
        }
      }
      assertTrue(members[4].startsWith("node3 is not running (" + root.resolve("node3")),
          members[4]);

      Run json = run("status", "--dir", root.toString(), "--json");
      assertEquals(0, json.code(), json.err());
      List<String> lines = json.out().lines().toList();
      assertEquals(4, lines.size(), json.out());
      for (int i = 0; i < 3; i++) {
        JsonNode member = JSON.readTree(lines.get(i)).get("network");
        assertTrue(member.get("validator").asBoolean(), lines.get(i));
        assertTrue(member.get("certificates").get("node").get("holder").asText()
            .startsWith("CN=node" + i + ","), lines.get(i));
      }
      assertEquals("null", lines.get(3));
      assertTrue(json.err().contains("node3 is not running"), json.err());
    } finally {
      run("down", "--dir", root.toString());
    }
  }

  /** A line of the text that holds a JSON object or array is a figure nobody named. */
  private static void assertNoRawJson(String text) {
    text.lines().forEach(line -> assertFalse(line.contains("{") || line.contains("["), line));
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
