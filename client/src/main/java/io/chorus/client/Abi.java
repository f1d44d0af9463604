package io.chorus.client;

import com.esaulpaugh.headlong.abi.ABIJSON;
import com.esaulpaugh.headlong.abi.ABIType;
import com.esaulpaugh.headlong.abi.Address;
import com.esaulpaugh.headlong.abi.ArrayType;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.esaulpaugh.headlong.abi.TupleType;
import io.chorus.codec.Hex;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * Solidity ABI calls with headlong: a function from its signature ({@code transfer(address,
 * uint256)}) or from a contract's JSON ABI, arguments given as text (as on a command line), and
 * results printed as text. Selectors are keccak-256 in both suites, as Solidity makes them.
 */
public final class Abi {
  private Abi() {}

  /**
   * A function from its signature and, for decoding results, its return types.
   *
   * @param returns the return types as a tuple, such as {@code (uint256,bool)}; null or empty for
   *     none
   */
  public static Function function(String signature, String returns) {
    try {
      return Function.parse(signature, returns == null || returns.isBlank() ? "()" : returns);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read the function '" + signature + "'"
          + (returns == null ? "" : " returning '" + returns + "'") + ": " + e.getMessage()
          + " (write it as name(type,...), e.g. transfer(address,uint256))", e);
    }
  }

  /** The function called {@code name} in a contract's JSON ABI (a solc or hardhat artifact's). */
  public static Function function(String abiJson, String name, int argumentCount) {
    List<Function> functions;
    try {
      functions = ABIJSON.parseNormalFunctions(abiJson);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot read the JSON ABI: " + e.getMessage(), e);
    }
    List<Function> named = functions.stream().filter(f -> f.getName().equals(name)).toList();
    if (named.isEmpty()) {
      throw new IllegalArgumentException("the ABI has no function '" + name + "'; it has: "
          + String.join(", ", functions.stream().map(Function::getCanonicalSignature).toList()));
    }
    List<Function> fitting = named.stream()
        .filter(f -> f.getInputs().size() == argumentCount).toList();
    if (fitting.size() != 1) {
      throw new IllegalArgumentException(fitting.isEmpty()
          ? "no '" + name + "' takes " + argumentCount + " arguments: "
              + String.join(", ", named.stream().map(Function::getCanonicalSignature).toList())
          : "'" + name + "' is overloaded: give its signature instead, one of "
              + String.join(", ", fitting.stream().map(Function::getCanonicalSignature).toList()));
    }
    return fitting.get(0);
  }

  /** Calldata: the selector, then the arguments, each parsed from text by its ABI type. */
  public static byte[] encodeCall(Function function, List<String> args) {
    Tuple tuple = tuple(function.getInputs(), args, function.getName());
    try {
      return bytes(function.encodeCall(tuple));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("arguments of " + function.getName() + " do not fit "
          + function.getInputs().getCanonicalType() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Constructor arguments to append to initcode.
   *
   * @param types the constructor's parameter types as a tuple, such as {@code (string,uint8)}
   */
  public static byte[] encodeArguments(String types, List<String> args) {
    TupleType<Tuple> tupleType;
    try {
      tupleType = TupleType.parse(types);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read the types '" + types + "': "
          + e.getMessage() + " (write them as a tuple, e.g. (string,uint256))", e);
    }
    Tuple tuple = tuple(tupleType, args, "the constructor");
    try {
      return bytes(tupleType.encode(tuple));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("constructor arguments do not fit " + types + ": "
          + e.getMessage(), e);
    }
  }

  /** The function's return values, each as text. */
  public static List<String> decodeReturn(Function function, byte[] output) {
    Tuple values;
    try {
      values = function.decodeReturn(output);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + output.length + " bytes returned do not "
          + "decode as " + function.getOutputs().getCanonicalType() + ": " + e.getMessage(), e);
    }
    List<String> out = new ArrayList<>();
    for (Object value : values) {
      out.add(format(value));
    }
    return out;
  }

  /** A value of any ABI type as text: numbers in decimal, bytes in hex, addresses checksummed. */
  public static String format(Object value) {
    if (value instanceof byte[] bytes) {
      return Hex.encode0x(bytes);
    }
    if (value instanceof Tuple tuple) {
      StringJoiner out = new StringJoiner(", ", "(", ")");
      tuple.forEach(v -> out.add(format(v)));
      return out.toString();
    }
    if (value.getClass().isArray()) {
      StringJoiner out = new StringJoiner(", ", "[", "]");
      for (int i = 0; i < Array.getLength(value); i++) {
        out.add(format(Array.get(value, i)));
      }
      return out.toString();
    }
    return value.toString();
  }

  private static Tuple tuple(TupleType<?> types, List<String> args, String what) {
    if (types.size() != args.size()) {
      throw new IllegalArgumentException(what + " takes " + types.size() + " argument"
          + (types.size() == 1 ? "" : "s") + " " + types.getCanonicalType() + ", got "
          + args.size());
    }
    Object[] values = new Object[args.size()];
    for (int i = 0; i < values.length; i++) {
      ABIType<?> type = types.get(i);
      try {
        values[i] = parse(type, args.get(i).trim());
      } catch (IllegalArgumentException | ArithmeticException e) {
        throw new IllegalArgumentException("argument " + (i + 1) + " of " + what + " ("
            + type.getCanonicalType() + ") '" + args.get(i) + "': " + e.getMessage(), e);
      }
    }
    return Tuple.from(values);
  }

  private static Object parse(ABIType<?> type, String text) {
    return switch (type.typeCode()) {
      case ABIType.TYPE_CODE_BOOLEAN -> switch (text) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        default -> throw new IllegalArgumentException("expected true or false");
      };
      case ABIType.TYPE_CODE_BYTE -> integer(text).byteValueExact();
      case ABIType.TYPE_CODE_INT -> integer(text).intValueExact();
      case ABIType.TYPE_CODE_LONG -> integer(text).longValueExact();
      case ABIType.TYPE_CODE_BIG_INTEGER -> integer(text);
      case ABIType.TYPE_CODE_ADDRESS -> address(text);
      case ABIType.TYPE_CODE_ARRAY -> array(type.asArrayType(), text);
      default -> throw new IllegalArgumentException("this type cannot be given as text here;"
          + " build the value with the Java client (headlong's Tuple) instead");
    };
  }

  private static BigInteger integer(String text) {
    boolean negative = text.startsWith("-");
    String digits = negative ? text.substring(1) : text;
    try {
      BigInteger value = digits.startsWith("0x") || digits.startsWith("0X")
          ? new BigInteger(digits.substring(2), 16) : new BigInteger(digits);
      return negative ? value.negate() : value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected an integer (decimal or 0x hex)", e);
    }
  }

  private static Address address(String text) {
    if (!text.matches("0[xX][0-9a-fA-F]{40}")) {
      throw new IllegalArgumentException("expected an address: 0x and 40 hex digits");
    }
    return Address.wrap(Address.toChecksumAddress(text.toLowerCase(java.util.Locale.ROOT)));
  }

  private static Object array(ArrayType<?, ?, ?> type, String text) {
    if (type.isString()) {
      return text;
    }
    if (type.getElementType().typeCode() == ABIType.TYPE_CODE_BYTE) {
      byte[] bytes = Hex.decode(text);
      if (type.getLength() != ArrayType.DYNAMIC_LENGTH && bytes.length != type.getLength()) {
        throw new IllegalArgumentException("expected " + type.getLength() + " bytes in hex, got "
            + bytes.length);
      }
      return bytes;
    }
    if (!text.startsWith("[") || !text.endsWith("]")) {
      throw new IllegalArgumentException("expected a list in brackets: [a,b,c]");
    }
    String inner = text.substring(1, text.length() - 1).trim();
    if (inner.contains("[") || inner.contains("(")) {
      throw new IllegalArgumentException("nested arrays and tuples cannot be given as text here;"
          + " use the Java client");
    }
    String[] items = inner.isEmpty() ? new String[0] : inner.split(",");
    if (type.getLength() != ArrayType.DYNAMIC_LENGTH && items.length != type.getLength()) {
      throw new IllegalArgumentException("expected " + type.getLength() + " elements, got "
          + items.length);
    }
    Object out = Array.newInstance(type.clazz().getComponentType(), items.length);
    for (int i = 0; i < items.length; i++) {
      Array.set(out, i, parse(type.getElementType(), items[i].trim()));
    }
    return out;
  }

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }
}
