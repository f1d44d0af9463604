package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code chorus xchain}'s refusals before anything is sent: each bad input names what to fix
 * (exit 2), a node that cannot be reached is exit 1. The verbs' work against running chains is
 * {@link TwoNetworksTest}'s (deploy-app, bind, transfer, balance) and {@code e2e/xchain.sh}'s.
 */
class XchainCommandTest {
  private static final String KEY = "0x" + "11".repeat(32);
  private static final String ADDRESS = "0x" + "ab".repeat(20);

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static void refused(String message, String... args) {
    Run r = run(args);
    assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
    assertTrue(r.err().contains(message), r.err());
  }

  @Test
  void badInputsAreRefusedWithWhatToFix() {
    refused("no application 'nft': token", "xchain", "deploy-app", "nft", "--key", KEY);
    refused("--port-gas must be 1 to 1,000,000", "xchain", "deploy-app", "token", "--port-gas",
        "0", "--key", KEY);
    refused("--supply must be 0 to 2^256-1", "xchain", "deploy-app", "erc20", "--supply", "-1",
        "--key", KEY);
    refused("--peer must be an address", "xchain", "bind", "--app", ADDRESS, "--client",
        "chorus-client-0", "--peer", "not-an-address", "--key", KEY);
    List<String> transfer = List.of("xchain", "transfer", "--app", ADDRESS, "--client",
        "chorus-client-0", "--denom", ADDRESS, "--receiver", ADDRESS, "--key", KEY);
    refused("--amount must be 1 to 2^256-1", concat(transfer, "--amount", "0"));
    refused("--timeout-after must be 1 to 86400", concat(transfer, "--amount", "5",
        "--timeout-after", "86401"));
    refused("--receiver must be an address", "xchain", "transfer", "--app", ADDRESS,
        "--client", "chorus-client-0", "--denom", ADDRESS, "--amount", "1", "--receiver", "bob",
        "--key", KEY);
    refused("give its address with --app", "xchain", "balance", "--denom",
        "0xabc/chorus-client-1/0xdef", "--holder", ADDRESS);
    refused("--height must be 0 or more", "xchain", "trusted-header", "--height", "-1");
  }

  @Test
  void aNodeThatCannotBeReachedIsExitOne() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Run r = run("xchain", "trusted-header", "--url", "http://127.0.0.1:" + port);
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("chorus: "), r.err());
  }

  @Test
  void theApplicationsShipInTheJar() {
    for (XchainCommand.App app : XchainCommand.App.values()) {
      assertTrue(XchainCommand.bytecode(app.contract).length > 1_000, app.contract);
    }
  }

  private static String[] concat(List<String> head, String... tail) {
    return java.util.stream.Stream.concat(head.stream(), java.util.Arrays.stream(tail))
        .toArray(String[]::new);
  }
}
