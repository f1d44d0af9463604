package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.client.ChorusClient;
import io.chorus.client.LoadGenerator;
import io.chorus.codec.Hex;
import io.chorus.crypto.HdWallet;
import io.chorus.node.Node;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code chorus tx} and {@code chorus bench load} against a real dev node (RocksDB, JSON-RPC
 * on a socket) of each suite, run through the CLI's own command line: deploy the peers' Notary,
 * send and call it, transfer value, load it; then each kind of mistake and its message.
 */
class TxCommandTest {
  private static final String KEY = Hex.encode0x(HdWallet.ethereumAccountKey(
      HdWallet.TEST_MNEMONIC, 0));
  private static final String DOCUMENT = "0x" + "ab".repeat(32);

  @TempDir Path dir;
  private Node node;

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  record Run(int code, String out, String err) {}

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void deploysSendsCallsAndTransfersInTheChainsSuite(String suite) throws Exception {
    String url = startDevNode(suite);
    Path bin = dir.resolve("Notary.bin");
    Files.writeString(bin, Hex.encode(LoadGenerator.notaryInitcode()));

    Run deploy = run("tx", "deploy", "--url", url, "--key", KEY, "--bin", bin.toString());
    assertEquals(0, deploy.code(), deploy.err());
    assertTrue(deploy.out().contains("(" + suite + ")") && deploy.out().contains("status 1"),
        deploy.out());
    Matcher contract = Pattern.compile("contract (0x[0-9a-f]{40})").matcher(deploy.out());
    assertTrue(contract.find(), deploy.out());
    String notary = contract.group(1);

    Run send = run("tx", "send", "--url", url, "--key", KEY, "--to", notary, "--method",
        "notarize(bytes32)", "--args", DOCUMENT);
    assertEquals(0, send.code(), send.err());
    assertTrue(send.out().matches("(?s)transaction 0x[0-9a-f]{64} from 0x.*status 1 \\(success\\)"
        + " in block \\d+, gas used \\d+.*log 0 from " + notary + ".*topic " + DOCUMENT + ".*"),
        send.out());

    Run call = run("tx", "call", "--url", url, "--to", notary, "--method",
        "notarizedAt(bytes32)", "--returns", "(uint256)", "--args", DOCUMENT);
    assertEquals(0, call.code(), call.err());
    assertTrue(new BigInteger(call.out().trim()).signum() > 0, call.out());

    Run again = run("tx", "send", "--url", url, "--key", KEY, "--to", notary, "--method",
        "notarize(bytes32)", "--args", DOCUMENT);
    assertEquals(1, again.code());
    assertTrue(again.err().contains("execution reverted: already notarized"), again.err());

    String recipient = "0x" + "42".repeat(20);
    Run transfer = run("tx", "transfer", "--url", url, "--key", KEY, "--to", recipient,
        "--value", "1.5ether");
    assertEquals(0, transfer.code(), transfer.err());
    assertTrue(transfer.out().contains("gas used 21000"), transfer.out());
    assertEquals("0x14d1120d7b160000", ChorusClient.connect(url).rpc()
        .call("eth_getBalance", recipient, "latest").asText());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void benchLoadReportsLoadJsFields(String suite) throws Exception {
    String url = startDevNode(suite);
    Run load = run("bench", "load", "--url", url, "--n", "40", "--window", "2", "--suite",
        suite, "--timeout", "60");
    assertEquals(0, load.code(), load.err());
    JsonNode result = new ObjectMapper().readTree(load.out());
    assertEquals(suite, result.path("suite").asText());
    assertEquals(40, result.path("n").asInt());
    assertEquals(2, result.path("window").asInt());
    assertEquals(40, result.path("mined").asInt());
    assertEquals(40, result.path("receiptsOk").asInt());
    assertEquals(0, result.path("sendErrors").asInt());
    assertEquals(3, result.path("stateSample").asInt());
    assertTrue(result.path("tps").asDouble() > 0, load.out());
    for (String p : new String[] {"p50", "p90", "p99", "max"}) {
      assertTrue(result.path("latMs").path(p).asDouble() > 0, p + " in " + load.out());
    }
    assertTrue(result.path("latMs").path("p50").asDouble()
        <= result.path("latMs").path("p99").asDouble(), load.out());
    assertTrue(result.path("elapsedMs").asDouble() > 0, load.out());

    String other = suite.equals("sm") ? "ethereum" : "sm";
    Run wrongSuite = run("bench", "load", "--url", url, "--n", "1", "--suite", other);
    assertEquals(2, wrongSuite.code());
    assertTrue(wrongSuite.err().contains("uses the " + suite + " suite"), wrongSuite.err());
  }

  @Test
  void everyMistakeSaysWhatToFix() throws Exception {
    String url = startDevNode("sm");
    String to = "0x" + "11".repeat(20);
    assertMistake(2, "--key must be a 32-byte private key (64 hex digits), got 1 bytes",
        "tx", "transfer", "--url", url, "--key", "0x12", "--to", to, "--value", "1");
    assertMistake(2, "--key is not hex", "tx", "transfer", "--url", url, "--key", "xyz",
        "--to", to, "--value", "1");
    assertMistake(2, "cannot read " + dir.resolve("missing"), "tx", "transfer", "--url", url,
        "--key-file", dir.resolve("missing").toString(), "--to", to, "--value", "1");
    assertMistake(2, "mutually exclusive", "tx", "transfer", "--url", url, "--key", KEY,
        "--key-file", "k", "--to", to, "--value", "1");
    assertMistake(2, "--to must be an address", "tx", "transfer", "--url", url, "--key", KEY,
        "--to", "0x12", "--value", "1");
    assertMistake(2, "the amount 'lots' is not wei", "tx", "transfer", "--url", url, "--key",
        KEY, "--to", to, "--value", "lots");
    assertMistake(2, "--method notarize needs its parameter types", "tx", "send", "--url", url,
        "--key", KEY, "--to", to, "--method", "notarize");
    assertMistake(2, "notarize takes 1 argument (bytes32), got 0", "tx", "send", "--url", url,
        "--key", KEY, "--to", to, "--method", "notarize(bytes32)");
    assertMistake(2, "argument 1 of notarize (bytes32) '0x12': expected 32 bytes", "tx", "send",
        "--url", url, "--key", KEY, "--to", to, "--method", "notarize(bytes32)", "--args",
        "0x12");
    assertMistake(2, "arguments of f do not fit (uint8): tuple index 0: unsigned val exceeds",
        "tx", "call", "--url", url, "--to", to,
        "--method", "f(uint8)", "--args", "300");
    Path abi = dir.resolve("abi.json");
    Files.writeString(abi, "[{\"type\":\"function\",\"name\":\"g\",\"inputs\":[],"
        + "\"outputs\":[],\"stateMutability\":\"view\"}]");
    assertMistake(2, "the ABI has no function 'notarize'; it has: g()", "tx", "call", "--url",
        url, "--to", to, "--abi", abi.toString(), "--method", "notarize");
    Path notBytecode = dir.resolve("x.bin");
    Files.writeString(notBytecode, "hello");
    assertMistake(2, "is not bytecode in hex", "tx", "deploy", "--url", url, "--key", KEY,
        "--bin", notBytecode.toString());
    assertMistake(1, "cannot reach the node at http://127.0.0.1:1", "tx", "call", "--url",
        "http://127.0.0.1:1", "--to", to, "--method", "g()");
    assertMistake(2, "must start with http:// or https://", "tx", "call", "--url", "ftp://x",
        "--to", to, "--method", "g()");
    assertMistake(1, "insufficient funds", "tx", "transfer", "--url", url, "--key",
        "0x" + "33".repeat(32), "--to", to, "--value", "1", "--timeout", "5");
  }

  private void assertMistake(int code, String message, String... args) {
    Run run = run(args);
    assertEquals(code, run.code(), run.out() + run.err());
    assertTrue(run.err().contains(message), run.err());
  }

  private String startDevNode(String suite) {
    Path data = dir.resolve("chain-" + suite);
    Run init = run("init", "--dir", data.toString(), "--suite", suite, "--accounts", "10");
    assertEquals(0, init.code(), init.err());
    node = Node.start(new Node.Config(data, "127.0.0.1", 0));
    return node.rpcUrl();
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Chorus.commandLine().setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
