package io.chorus.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.tx.IntrinsicGas;
import io.chorus.tx.Transaction;
import io.chorus.tx.TransactionDecoder;
import io.chorus.tx.TransactionException;
import io.chorus.tx.TransactionValidator;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * TransactionTests: decode and validate {@code txbytes} on chain id 1 with Cancun rules; a valid
 * expectation must match hash, sender and intrinsic gas, an exception must be a rejection.
 */
public final class TransactionVectors implements VectorRunner {
  /** Newest first: entries without a Cancun key use the newest fork they list. */
  private static final List<String> FORKS = List.of("Cancun", "Shanghai", "Paris", "London");

  private final CryptoSuite suite = CryptoSuite.ethereum();
  private final TransactionValidator validator =
      new TransactionValidator(suite, BigInteger.ONE);

  @Override
  public String folder() {
    return "TransactionTests";
  }

  @Override
  public List<CaseResult> run(VectorFile file) {
    List<CaseResult> results = new ArrayList<>();
    for (Map.Entry<String, JsonNode> test : file.json().properties()) {
      String name = test.getKey();
      JsonNode expected = expectation(test.getValue().get("result"));
      if (expected == null) {
        results.add(file.failed(name, "no result for Cancun or an older fork"));
        continue;
      }
      String problem = check(test.getValue().get("txbytes").asText(), expected);
      results.add(problem == null ? file.passed(name) : file.failed(name, problem));
    }
    return results;
  }

  private static JsonNode expectation(JsonNode result) {
    for (String fork : FORKS) {
      if (result.has(fork)) {
        return result.get(fork);
      }
    }
    return null;
  }

  private String check(String txHex, JsonNode expected) {
    boolean shouldFail = expected.has("exception");
    byte[] bytes;
    try {
      bytes = Hex.decode(txHex);
    } catch (IllegalArgumentException e) {
      return shouldFail ? null : "vector bytes are not hex: " + e.getMessage();
    }
    Transaction tx;
    byte[] sender;
    try {
      tx = TransactionDecoder.decode(bytes);
      sender = validator.validate(tx);
    } catch (TransactionException e) {
      return shouldFail ? null : "rejected a valid transaction: " + e.getMessage();
    }
    if (shouldFail) {
      return "accepted, expected " + expected.get("exception").asText();
    }
    String wantHash = expected.get("hash").asText();
    String wantSender = expected.get("sender").asText();
    long wantGas = Long.decode(expected.get("intrinsicGas").asText());
    byte[] hash = suite.hash(tx.encoded());
    if (!Arrays.equals(hash, Hex.decode(wantHash))) {
      return "hash " + Hex.encode0x(hash) + ", expected " + wantHash;
    }
    if (!Arrays.equals(sender, Hex.decode(wantSender))) {
      return "sender " + Hex.encode0x(sender) + ", expected " + wantSender;
    }
    long gas = IntrinsicGas.of(tx);
    return gas == wantGas ? null : "intrinsic gas " + gas + ", expected " + wantGas;
  }
}
