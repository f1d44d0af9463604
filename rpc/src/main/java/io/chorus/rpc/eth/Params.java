package io.chorus.rpc.eth;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import java.math.BigInteger;

/**
 * Positional JSON-RPC params, read with errors that say which param is wrong and what was
 * expected. Every failure is an {@link IllegalArgumentException}, which the dispatcher reports
 * as -32602 (invalid params) with this message.
 */
final class Params {
  private final String method;
  private final JsonNode params;

  Params(String method, JsonNode params) {
    this.method = method;
    this.params = params == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
        : params;
    if (!this.params.isMissingNode() && !this.params.isArray()) {
      throw new IllegalArgumentException(method + " takes its params as a JSON array");
    }
  }

  int size() {
    return params.isArray() ? params.size() : 0;
  }

  boolean has(int index) {
    return index < size() && !params.get(index).isNull();
  }

  JsonNode get(int index) {
    return has(index) ? params.get(index) : null;
  }

  /** Requires at least {@code min} and at most {@code max} params. */
  Params count(int min, int max) {
    if (size() < min || size() > max) {
      throw new IllegalArgumentException(method + " takes " + (min == max ? "" + min
          : min + " to " + max) + " params, got " + size());
    }
    return this;
  }

  JsonNode required(int index, String name) {
    if (!has(index)) {
      throw new IllegalArgumentException(method + ": missing param " + (index + 1) + " ("
          + name + ")");
    }
    return params.get(index);
  }

  String text(int index, String name) {
    JsonNode node = required(index, name);
    if (!node.isTextual()) {
      throw new IllegalArgumentException(method + ": param " + (index + 1) + " (" + name
          + ") must be a string, got " + abbreviate(node.toString()));
    }
    return node.asText();
  }

  Address address(int index, String name) {
    return address(text(index, name), method + ": param " + (index + 1) + " (" + name + ")");
  }

  byte[] bytes(int index, String name) {
    return bytes(text(index, name), method + ": param " + (index + 1) + " (" + name + ")");
  }

  byte[] hash(int index, String name) {
    byte[] value = bytes(index, name);
    if (value.length != 32) {
      throw new IllegalArgumentException(method + ": param " + (index + 1) + " (" + name
          + ") must be 32 bytes, got " + value.length);
    }
    return value;
  }

  boolean bool(int index, String name, boolean absent) {
    if (!has(index)) {
      return absent;
    }
    JsonNode node = params.get(index);
    if (!node.isBoolean()) {
      throw new IllegalArgumentException(method + ": param " + (index + 1) + " (" + name
          + ") must be true or false, got " + abbreviate(node.toString()));
    }
    return node.booleanValue();
  }

  static Address address(String text, String where) {
    byte[] bytes = bytes(text, where);
    if (bytes.length != Address.BYTES) {
      throw new IllegalArgumentException(where + " must be a 20-byte address, got "
          + bytes.length + " bytes");
    }
    return Address.of(bytes);
  }

  static byte[] bytes(String text, String where) {
    if (!text.startsWith("0x")) {
      throw new IllegalArgumentException(where + " must be 0x-prefixed hex, got "
          + abbreviate(text));
    }
    try {
      return Hex.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
  }

  /** A JSON-RPC quantity: 0x-hex without leading zeros (leading zeros are tolerated). */
  static BigInteger quantity(JsonNode node, String where) {
    if (node == null || !node.isTextual() || !node.asText().startsWith("0x")
        || node.asText().length() < 3 || node.asText().length() > 66) {
      throw new IllegalArgumentException(where + " must be a 0x-hex quantity of at most 256 "
          + "bits, got " + (node == null ? "nothing" : abbreviate(node.toString())));
    }
    try {
      return new BigInteger(node.asText().substring(2), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(where + " is not hex: " + abbreviate(node.asText()), e);
    }
  }

  static long quantityLong(JsonNode node, String where) {
    BigInteger value = quantity(node, where);
    if (value.bitLength() > 63) {
      throw new IllegalArgumentException(where + " exceeds 2^63-1: " + value);
    }
    return value.longValueExact();
  }

  /**
   * A count of blocks from 1 to {@code max}, as a JSON integer or a quantity: the ranges the
   * chorus_* methods take.
   */
  static int blockCount(JsonNode node, int max, String where) {
    BigInteger count = node.isIntegralNumber() ? node.bigIntegerValue() : quantity(node, where);
    if (count.signum() < 1 || count.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new IllegalArgumentException(where + " must be 1 to " + max + " blocks, got "
          + count);
    }
    return count.intValueExact();
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
