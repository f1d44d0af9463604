package io.chorus.abi;

import com.esaulpaugh.headlong.abi.ABIType;
import com.esaulpaugh.headlong.abi.Address;
import com.esaulpaugh.headlong.abi.ArrayType;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.chorus.codec.Hex;
import java.lang.reflect.Array;
import java.math.BigInteger;

/**
 * Decoded ABI values as the console shows them: numbers as decimal strings (a uint256 does not
 * fit a JSON number), bytes as 0x-hex, addresses checksummed (EIP-55), booleans and strings as
 * they are, arrays as arrays, and a tuple as its components, each {name, type, value}.
 */
public final class Values {
  public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Values() {}

  /** The values of {@code types} as {@code [{name, type, value}]}, names from the ABI. */
  public static ArrayNode arguments(TupleType<?> types, Tuple values) {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < types.size(); i++) {
      ABIType<?> type = types.get(i);
      String name = types.getElementName(i);
      out.addObject().put("name", name == null ? "" : name)
          .put("type", type.getCanonicalType())
          .set("value", value(type, values.get(i)));
    }
    return out;
  }

  public static JsonNode value(ABIType<?> type, Object value) {
    return switch (value) {
      case byte[] bytes -> NODES.textNode(Hex.encode0x(bytes));
      case Address address -> NODES.textNode(checksummed(address.value()));
      case Boolean flag -> NODES.booleanNode(flag);
      case String text -> NODES.textNode(text);
      case Number number -> NODES.textNode(number.toString());
      case Tuple tuple -> arguments((TupleType<?>) type, tuple);
      default -> array(type, value);
    };
  }

  /** A Java array of any element type (int[], boolean[], Object[], ...) as a JSON array. */
  private static JsonNode array(ABIType<?> type, Object array) {
    if (!array.getClass().isArray()) {
      throw new IllegalStateException("the ABI library gave a " + array.getClass().getName()
          + " for " + type.getCanonicalType());
    }
    ABIType<?> element = ((ArrayType<?, ?, ?>) type).getElementType();
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < Array.getLength(array); i++) {
      out.add(value(element, Array.get(array, i)));
    }
    return out;
  }

  /** An address in EIP-55 mixed case, as wallets and explorers print it. */
  public static String checksummed(BigInteger address) {
    return Address.toChecksumAddress(address);
  }

  /** The 20 bytes of an address in EIP-55 mixed case. */
  public static String checksummed(byte[] address) {
    return checksummed(new BigInteger(1, address));
  }
}
