package io.chorus.rpc.eth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.Blockchain;
import io.chorus.codec.Hex;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.JsonRpc;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes JSON-RPC request handling with every method a node serves over HTTP (eth_*, logs,
 * governance, proofs) on a real chain of one block: any body is answered with JSON-RPC 2.0
 * responses (or nothing, for notifications) by both the byte-array form and the stream form the
 * server uses, never an exception. Each response carries an id, exactly one of result and error,
 * and no -32603 "internal error": bad params must be refused as such, not crash a method.
 * Seeds: one call of each kind, a batch and a notification, in {@code JsonRpcFuzzTestInputs/fuzz},
 * beside the inputs that failed once.
 */
public class JsonRpcFuzzTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonRpc RPC = node();

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    answersEveryBody(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    answersEveryBody(input);
  }

  /**
   * The seeds reach the methods: each is answered with at least one result. Files named
   * {@code crash-*} are inputs that once failed, replayed as regression cases.
   */
  @Test
  void everySeedGetsAResult() throws IOException {
    List<Path> seeds;
    try (Stream<Path> files = Files.list(
        Path.of("src/test/resources/io/chorus/rpc/eth/JsonRpcFuzzTestInputs/fuzz"))) {
      seeds = files.sorted().toList();
    }
    assertFalse(seeds.isEmpty(), "no seed corpus under src/test/resources");
    for (Path seed : seeds) {
      String answer = RPC.handle(Files.readAllBytes(seed));
      if (answer != null && !seed.getFileName().toString().startsWith("crash-")) {
        assertTrue(answer.contains("\"result\""), seed + " got " + answer);
      }
      answersEveryBody(Files.readAllBytes(seed));
    }
  }

  private static void answersEveryBody(byte[] body) {
    String answer = RPC.handle(body);
    if (answer != null) {
      wellFormed(body, answer);
    }
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();
    JsonRpc.Outcome outcome;
    try {
      outcome = RPC.handle(new ByteArrayInputStream(body), null, streamed);
    } catch (IOException e) {
      throw new AssertionError("the stream form failed on a body held in memory: "
          + printable(body), e);
    }
    if (outcome == JsonRpc.Outcome.NOTHING) {
      if (streamed.size() != 0) {
        throw new AssertionError("NOTHING was reported but a response was written");
      }
    } else {
      wellFormed(body, streamed.toString(StandardCharsets.UTF_8));
    }
  }

  private static void wellFormed(byte[] body, String answer) {
    JsonNode response;
    try {
      response = JSON.readTree(answer);
    } catch (IOException e) {
      throw new AssertionError("the answer to " + printable(body) + " is not JSON: " + answer, e);
    }
    if (response.isArray()) {
      if (response.isEmpty()) {
        throw new AssertionError("an empty batch answer to " + printable(body));
      }
      response.forEach(one -> oneResponse(body, one));
    } else {
      oneResponse(body, response);
    }
  }

  private static void oneResponse(byte[] body, JsonNode response) {
    boolean ok = response.isObject()
        && "2.0".equals(response.path("jsonrpc").asText(null))
        && response.has("id")
        && response.has("result") != response.has("error");
    if (!ok) {
      throw new AssertionError("not a JSON-RPC 2.0 response: " + response + " to "
          + printable(body));
    }
    JsonNode error = response.get("error");
    if (error != null) {
      if (!error.path("code").isInt() || !error.path("message").isTextual()) {
        throw new AssertionError("an error without a code and message: " + response);
      }
      if (error.get("code").asInt() == JsonRpc.INTERNAL_ERROR) {
        throw new AssertionError("a method failed inside instead of refusing its params: "
            + response + " to " + printable(body));
      }
    }
  }

  private static String printable(byte[] body) {
    return "0x" + Hex.encode(body) + " (" + new String(body, StandardCharsets.UTF_8) + ")";
  }

  /** The methods a node serves over HTTP, on a chain with one block holding one transaction. */
  private static JsonRpc node() {
    Path dir;
    try {
      dir = Files.createTempDirectory("chorus-jsonrpc-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Genesis genesis = new Genesis(EthApiTest.CHAIN_ID, "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 1000, 0, new byte[0], List.of(new byte[64]),
        Map.of(EthApiTest.SENDER, Genesis.Allocation.funded(BigInteger.TEN.pow(24)),
            EthApiTest.CONTRACT, new Genesis.Allocation(BigInteger.ZERO, 1,
                Hex.decode(EthApiTest.CODE), Map.of())));
    Blockchain chain = Blockchain.open(dir, genesis, TxPool.Limits.defaults());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      chain.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind is no failure of the run
      }
    }));
    Map<String, JsonRpc.Method> methods = new HashMap<>(new EthApi(chain, "fuzz").methods());
    LogsApi logs = new LogsApi(chain);
    methods.putAll(logs.methods());
    methods.putAll(new GovernanceApi(chain).methods());
    methods.putAll(new ProofApi(chain).methods());
    methods.putAll(new ConsensusApi(chain, PeerLinks.alone(EthApiTest.VALIDATOR),
        java.time.InstantSource.system()).methods());
    JsonRpc rpc = new JsonRpc(methods, logs.sessionMethods(), (method, nanos, failed) -> { });
    Transaction tx = TransactionSigner.sign(new Transaction(Transaction.DYNAMIC_FEE,
        EthApiTest.CHAIN_ID, 0, BigInteger.ONE, BigInteger.valueOf(10_000_000_000L), 100_000,
        EthApiTest.CONTRACT.toArray(), BigInteger.ZERO, Hex.decode("00".repeat(31) + "2a"),
        List.of(), BigInteger.ZERO, List.of(), 0, BigInteger.ZERO, BigInteger.ZERO, new byte[0],
        new byte[0]), EthApiTest.KEYS, EthApiTest.SUITE);
    chain.submit(tx);
    chain.commit(chain.buildNext(EthApiTest.VALIDATOR, 1_700_000_000L, new byte[0]));
    return rpc;
  }
}
