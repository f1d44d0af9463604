package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus bench receivables} on a network that {@code chorus up} started: the parties'
 * roles granted by a vote of both members, then every operation's transactions in blocks with
 * their figures, and the receivables read back; a second run finds the roles in place.
 */
class BenchReceivablesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  @Test
  void issuesSplitsAndFinancesOnANetworkAfterGrantingTheRoles() throws Exception {
    Path root = dir.resolve("net");
    assertEquals(0, run("init", "--validators", "2", "--dir", root.toString(), "--p2p-port",
        "0").code());
    Run up = run("up", "--dir", root.toString(), "--rpc-port", "0");
    try {
      assertEquals(0, up.code(), up.err() + " (see " + root + "/node*/node.log)");
      Run first = run("bench", "receivables", "--dir", root.toString(), "--receivables", "12",
          "--splits", "2", "--window", "4", "--timeout", "120", "--label", "t");
      assertEquals(0, first.code(), first.err());
      // The obligor (account 10) and both banks (8, 9) lacked their roles on a new chain.
      assertTrue(first.err().contains("granted role bits 4 to 0x"), first.err());
      assertEquals(2, first.err().split("granted role bits 8 to 0x", -1).length - 1,
          first.err());
      JsonNode result = JSON.readTree(first.out());
      assertEquals("t", result.path("label").asText());
      Map<String, Integer> txs = Map.of("issue", 12, "split", 24, "offer", 12, "accept", 12);
      txs.forEach((operation, count) -> {
        JsonNode figures = result.path("operations").path(operation);
        assertEquals(count, figures.path("txs").asInt(), operation + " in " + first.out());
        assertEquals(count, figures.path("receiptsOk").asInt(), operation);
        assertTrue(figures.path("tps").asDouble() > 0, operation + " in " + first.out());
        assertTrue(figures.path("latMs").path("p50").asDouble() > 0, operation);
        assertTrue(figures.path("latMs").path("p50").asDouble()
            <= figures.path("latMs").path("p99").asDouble(), operation + " in " + first.out());
        assertTrue(figures.path("avgGasUsed").asLong() > 21_000, operation);
      });
      assertEquals(60, result.path("total").path("txs").asInt());
      // First, middle and last: pieces summing to the face value, the kept one financed.
      assertEquals(3, result.path("sampleChecked").asInt(), first.out());

      Run second = run("bench", "receivables", "--dir", root.toString(), "--receivables", "2",
          "--splits", "0", "--window", "1", "--timeout", "120");
      assertEquals(0, second.code(), second.err());
      assertTrue(!second.err().contains("granted"), second.err());
      JsonNode again = JSON.readTree(second.out());
      assertTrue(again.path("operations").path("split").isMissingNode(), second.out());
      assertEquals(6, again.path("total").path("txs").asInt(), second.out());
      assertEquals(3, again.path("sampleChecked").asInt(), second.out());

      Run tooMany = run("bench", "receivables", "--dir", root.toString(), "--splits", "10");
      assertEquals(2, tooMany.code());
      assertTrue(tooMany.err().contains("--splits must be 0 to 9"), tooMany.err());
    } finally {
      run("down", "--dir", root.toString());
    }
    Run down = run("bench", "receivables", "--dir", root.toString());
    assertEquals(2, down.code());
    assertTrue(down.err().contains("node0 is not running"), down.err());
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
