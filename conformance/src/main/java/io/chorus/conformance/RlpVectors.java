package io.chorus.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpItem;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * RLPTests: valid cases must encode {@code in} to {@code out} and decode back to {@code in};
 * {@code "INVALID"} cases must be rejected; {@code "VALID"} cases must decode and re-encode to the
 * same bytes.
 */
public final class RlpVectors implements VectorRunner {

  @Override
  public String folder() {
    return "RLPTests";
  }

  @Override
  public List<CaseResult> run(VectorFile file) {
    List<CaseResult> results = new ArrayList<>();
    for (Map.Entry<String, JsonNode> test : file.json().properties()) {
      String name = test.getKey();
      JsonNode in = test.getValue().get("in");
      byte[] out = Hex.decode(test.getValue().get("out").asText());
      String problem = switch (in.isTextual() ? in.asText() : "") {
        case "INVALID" -> checkRejected(out);
        case "VALID" -> checkRoundTrip(out);
        default -> checkEncoding(toItem(in), out);
      };
      results.add(problem == null ? file.passed(name) : file.failed(name, problem));
    }
    return results;
  }

  private static String checkRejected(byte[] out) {
    try {
      RlpItem item = Rlp.decode(out);
      return "decoded invalid input to " + item;
    } catch (RlpException expected) {
      return null;
    }
  }

  private static String checkRoundTrip(byte[] out) {
    try {
      byte[] again = Rlp.encode(Rlp.decode(out));
      return Arrays.equals(again, out) ? null : "re-encoded as " + Hex.encode0x(again);
    } catch (RlpException e) {
      return "rejected valid input: " + e.getMessage();
    }
  }

  private static String checkEncoding(RlpItem expected, byte[] out) {
    byte[] encoded = Rlp.encode(expected);
    if (!Arrays.equals(encoded, out)) {
      return "encoded as " + Hex.encode0x(encoded) + ", expected " + Hex.encode0x(out);
    }
    try {
      RlpItem decoded = Rlp.decode(out);
      return decoded.equals(expected) ? null : "decoded as " + decoded + ", expected " + expected;
    } catch (RlpException e) {
      return "rejected its own encoding: " + e.getMessage();
    }
  }

  /** The vectors write integers as JSON numbers or "#decimal", byte strings as text. */
  private static RlpItem toItem(JsonNode in) {
    if (in.isArray()) {
      List<RlpItem> items = new ArrayList<>();
      in.forEach(child -> items.add(toItem(child)));
      return RlpItem.list(items);
    }
    if (in.isIntegralNumber()) {
      return RlpItem.bytes(unsignedBytes(in.bigIntegerValue()));
    }
    String text = in.asText();
    if (text.startsWith("#")) {
      return RlpItem.bytes(unsignedBytes(new BigInteger(text.substring(1))));
    }
    return RlpItem.bytes(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] unsignedBytes(BigInteger value) {
    return Bytes.trimLeadingZeros(value.toByteArray());
  }
}
