package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;

// JSON-RPC quantities: 0x-prefixed hex without leading zeros.
final class Quantities {
  private Quantities() {}

  static String of(long value) {
    return "0x" + Long.toHexString(value);
  }

  static String of(BigInteger value) {
    return "0x" + value.toString(16);
  }

  static BigInteger toBigInteger(JsonNode node) {
    String text = node.asText();
    if (!text.startsWith("0x") || text.length() < 3) {
      throw new ClientException("expected a hex quantity, got " + node);
    }
    return new BigInteger(text.substring(2), 16);
  }

  static long toLong(JsonNode node) {
    return toBigInteger(node).longValueExact();
  }
}
