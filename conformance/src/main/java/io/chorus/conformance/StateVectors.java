package io.chorus.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Address;
import io.chorus.evm.BlockEnv;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.ledger.LogCodec;
import io.chorus.state.Eip4844;
import io.chorus.state.StateTransition;
import io.chorus.state.TransactionResult;
import io.chorus.state.WorldState;
import io.chorus.trie.InMemoryNodeStore;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionDecoder;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GeneralStateTests: for every {@code post.Cancun} case, load {@code pre}, apply the case's
 * {@code txbytes} in the block {@code env} describes, and compare the state root and the hash of
 * the logs, or expect the transaction to be rejected with the state unchanged.
 */
public final class StateVectors implements VectorRunner {
  private static final String FORK = "Cancun";
  private static final BigInteger CHAIN_ID = BigInteger.ONE;

  private final CryptoSuite suite = CryptoSuite.ethereum();
  private final HashFunction hash = suite.hashFunction();
  private final TransactionValidator validator = new TransactionValidator(suite, CHAIN_ID);
  private final StateTransition transition = StateTransition.ethereum(hash);

  @Override
  public String folder() {
    return "GeneralStateTests";
  }

  /**
   * Folders whose cases run billions of gas (the vector set's README calls the first two slow),
   * slowest first: stTimeConsuming holds 2^32 - 1 rounds of BLAKE2b.
   */
  private static final List<String> SLOW_FOLDERS =
      List.of("/vmPerformance/", "/stQuadraticComplexityTest/", "/stTimeConsuming/");

  @Override
  public int slowness(String relativePath) {
    for (int i = SLOW_FOLDERS.size() - 1; i >= 0; i--) {
      if (relativePath.contains(SLOW_FOLDERS.get(i))) {
        return i + 1;
      }
    }
    return 0;
  }

  @Override
  public List<CaseResult> run(VectorFile file) {
    List<CaseResult> results = new ArrayList<>();
    for (Map.Entry<String, JsonNode> test : file.json().properties()) {
      String name = test.getKey();
      JsonNode cases = test.getValue().path("post").get(FORK);
      if (cases == null) {
        results.add(file.skipped(name,
            "filled only for forks before " + FORK + ", which Chorus runs"));
        continue;
      }
      for (JsonNode expected : cases) {
        JsonNode indexes = expected.get("indexes");
        String caseName = name + "[d=" + indexes.get("data") + ",g=" + indexes.get("gas")
            + ",v=" + indexes.get("value") + "]";
        String problem;
        try {
          problem = check(test.getValue(), expected);
        } catch (RuntimeException e) {
          problem = "crashed: " + e;
        }
        results.add(problem == null ? file.passed(caseName) : file.failed(caseName, problem));
      }
    }
    return results;
  }

  private String check(JsonNode test, JsonNode expected) {
    WorldState state = preState(test.get("pre"));
    byte[] preRoot = state.rootHash();
    String wantRoot = expected.get("hash").asText();
    String exception = expected.has("expectException")
        ? expected.get("expectException").asText() : null;
    TransactionResult result;
    try {
      Transaction tx = TransactionDecoder.decode(Hex.decode(expected.get("txbytes").asText()));
      Address sender = Address.of(validator.validate(tx));
      result = transition.apply(state, tx, sender, blockEnv(test.get("env")));
    } catch (TransactionException e) {
      if (exception == null) {
        return "rejected a valid transaction: " + e.getMessage();
      }
      return Arrays.equals(preRoot, Hex.decode(wantRoot)) ? null
          : "rejected as expected, but the pre-state root " + Hex.encode0x(preRoot)
              + " is not the expected " + wantRoot;
    }
    if (exception != null) {
      return "accepted, expected " + exception;
    }
    byte[] root = state.rootHash();
    if (!Arrays.equals(root, Hex.decode(wantRoot))) {
      return "state root " + Hex.encode0x(root) + ", expected " + wantRoot + " (status "
          + io.chorus.evm.Status.name(result.status()) + ", gas used " + result.gasUsed() + ")";
    }
    byte[] logsHash = logsHash(result.logs());
    String wantLogs = expected.get("logs").asText();
    return Arrays.equals(logsHash, Hex.decode(wantLogs)) ? null
        : "logs hash " + Hex.encode0x(logsHash) + ", expected " + wantLogs;
  }

  private WorldState preState(JsonNode pre) {
    WorldState state = new WorldState(hash, new InMemoryNodeStore());
    for (Map.Entry<String, JsonNode> entry : pre.properties()) {
      JsonNode account = entry.getValue();
      Map<Word, Word> storage = new HashMap<>();
      for (Map.Entry<String, JsonNode> slot : account.get("storage").properties()) {
        Word value = word(slot.getValue().asText());
        if (!value.isZero()) {
          storage.put(word(slot.getKey()), value);
        }
      }
      state.put(Address.parse(entry.getKey()), quantity(account.get("nonce").asText()).longValue(),
          quantity(account.get("balance").asText()), Hex.decode(account.get("code").asText()), storage);
    }
    return state;
  }

  private static BlockEnv blockEnv(JsonNode env) {
    BigInteger excessBlobGas = env.has("currentExcessBlobGas")
        ? quantity(env.get("currentExcessBlobGas").asText()) : BigInteger.ZERO;
    return new BlockEnv(
        Address.parse(env.get("currentCoinbase").asText()),
        quantity(env.get("currentNumber").asText()).longValueExact(),
        quantity(env.get("currentTimestamp").asText()).longValueExact(),
        quantity(env.get("currentGasLimit").asText()).longValueExact(),
        env.has("currentBaseFee") ? quantity(env.get("currentBaseFee").asText()) : BigInteger.ZERO,
        env.has("currentRandom") ? word(env.get("currentRandom").asText()) : Word.ZERO,
        Eip4844.blobBaseFee(excessBlobGas),
        CHAIN_ID,
        StateVectors::testBlockHash);
  }

  /** The state tests' convention for BLOCKHASH: keccak-256 of the number in decimal. */
  private static Word testBlockHash(long number) {
    byte[] text = Long.toUnsignedString(number).getBytes(StandardCharsets.US_ASCII);
    return Word.fromBytes(Keccak256.INSTANCE.hash(text));
  }

  /** keccak-256 of the RLP list of logs, each {@code [address, [topics], data]}. */
  private static byte[] logsHash(List<Log> logs) {
    return Keccak256.INSTANCE.hash(LogCodec.encodeList(logs));
  }

  private static BigInteger quantity(String text) {
    if (text.startsWith("0x:bigint ")) {
      text = text.substring("0x:bigint ".length());
    }
    return text.startsWith("0x") ? new BigInteger(text.length() == 2 ? "0" : text.substring(2), 16)
        : new BigInteger(text);
  }

  private static Word word(String text) {
    return Word.fromBigInteger(quantity(text));
  }
}
