package io.chorus.explorer;

import com.esaulpaugh.headlong.abi.ABIObject;
import com.esaulpaugh.headlong.abi.TupleType;
import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.rpc.rest.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks an uploaded JSON ABI (solc's or hardhat's {@code abi} array) and says what is wrong
 * where: each error names a JSON pointer into the request body ({@code /abi/3/inputs/0/type})
 * and what to send instead. The ABI library then reads each entry, so what passes here is what
 * the decoder uses.
 */
final class AbiValidation {
  /** The most entries one contract's ABI may hold. */
  static final int ENTRIES_MAX = 2_000;
  /** The deepest tuple nesting accepted. */
  static final int TUPLE_DEPTH_MAX = 8;

  private static final Set<String> KINDS =
      Set.of("function", "event", "error", "constructor", "fallback", "receive");
  private static final String IDENTIFIER = "[A-Za-z_$][A-Za-z0-9_$]*";

  private final List<Problem.FieldError> errors = new ArrayList<>();

  private AbiValidation() {}

  /** Every error in {@code abi}, found at {@code pointer} in the body; empty when it is valid. */
  static List<Problem.FieldError> check(JsonNode abi, String pointer) {
    AbiValidation v = new AbiValidation();
    v.abi(abi, pointer);
    return List.copyOf(v.errors);
  }

  private void abi(JsonNode abi, String at) {
    if (abi == null || abi.isNull()) {
      bad(at, "required: send the contract's JSON ABI, the 'abi' array solc or hardhat writes");
      return;
    }
    if (!abi.isArray()) {
      bad(at, "must be a JSON array of ABI entries, not " + typeOf(abi)
          + (abi.has("abi") ? " (send the artifact's 'abi' member, not the whole artifact)" : ""));
      return;
    }
    if (abi.isEmpty()) {
      bad(at, "is empty: send at least one function, event or error");
    }
    if (abi.size() > ENTRIES_MAX) {
      bad(at, "holds " + abi.size() + " entries, more than the " + ENTRIES_MAX + " accepted");
      return;
    }
    for (int i = 0; i < abi.size(); i++) {
      entry(abi.get(i), at + "/" + i);
    }
  }

  private void entry(JsonNode entry, String at) {
    if (!entry.isObject()) {
      bad(at, "must be an object such as {\"type\": \"function\", \"name\": …, \"inputs\": […]},"
          + " not " + typeOf(entry));
      return;
    }
    int before = errors.size();
    String kind = entry.has("type") ? entry.get("type").asText() : "function";
    if (entry.has("type") && (!entry.get("type").isTextual() || !KINDS.contains(kind))) {
      bad(at + "/type", "must be one of function, event, error, constructor, fallback,"
          + " receive, not " + entry.get("type"));
      return;
    }
    boolean named = kind.equals("function") || kind.equals("event") || kind.equals("error");
    JsonNode name = entry.get("name");
    if (named && (name == null || !name.isTextual() || !name.asText().matches(IDENTIFIER))) {
      bad(at + "/name", "a " + kind + " needs a name that is a Solidity identifier, not "
          + (name == null ? "none" : name.toString()));
    }
    parameters(entry.get("inputs"), at + "/inputs", kind.equals("event"),
        !kind.equals("fallback") && !kind.equals("receive"));
    if (kind.equals("function")) {
      parameters(entry.get("outputs"), at + "/outputs", false, false);
    }
    if (errors.size() == before) {
      try {
        ABIObject.fromJson(entry.toString());
      } catch (RuntimeException e) {
        bad(at, "the ABI library cannot read this entry: " + e.getMessage());
      }
    }
  }

  private void parameters(JsonNode list, String at, boolean event, boolean required) {
    if (list == null || list.isNull()) {
      if (required) {
        bad(at, "required: the parameters, an array (empty for none)");
      }
      return;
    }
    if (!list.isArray()) {
      bad(at, "must be an array of parameters, not " + typeOf(list));
      return;
    }
    for (int j = 0; j < list.size(); j++) {
      parameter(list.get(j), at + "/" + j, event, 0);
    }
  }

  private void parameter(JsonNode p, String at, boolean event, int depth) {
    if (!p.isObject()) {
      bad(at, "must be an object {\"name\": …, \"type\": …}, not " + typeOf(p));
      return;
    }
    JsonNode name = p.get("name");
    if (name != null && !name.isNull() && (!name.isTextual()
        || !(name.asText().isEmpty() || name.asText().matches(IDENTIFIER)))) {
      bad(at + "/name", "must be a Solidity identifier or empty, not " + name);
    }
    if (event && p.has("indexed") && !p.get("indexed").isBoolean()) {
      bad(at + "/indexed", "must be true or false, not " + p.get("indexed"));
    }
    JsonNode type = p.get("type");
    if (type == null || !type.isTextual()) {
      bad(at + "/type", "required: an ABI type such as uint256, address, bytes32[] or tuple");
      return;
    }
    String text = type.asText();
    if (text.startsWith("tuple")) {
      if (!text.matches("tuple(\\[[0-9]*\\])*")) {
        bad(at + "/type", "'" + text + "' is not an ABI type: write tuple, tuple[] or"
            + " tuple[N]");
      } else if (depth >= TUPLE_DEPTH_MAX) {
        bad(at, "tuples nest deeper than " + TUPLE_DEPTH_MAX + " levels");
      } else if (p.get("components") == null || !p.get("components").isArray()) {
        bad(at + "/components", "required for a tuple: its components, an array of"
            + " parameters");
      } else {
        JsonNode components = p.get("components");
        for (int k = 0; k < components.size(); k++) {
          parameter(components.get(k), at + "/components/" + k, false, depth + 1);
        }
      }
      return;
    }
    try {
      TupleType.parse("(" + text + ")");
    } catch (RuntimeException e) {
      bad(at + "/type", "'" + text + "' is not an ABI type (" + e.getMessage() + "); write"
          + " one such as uint256, int8, address, bool, bytes32, bytes, string, uint256[]");
    }
  }

  private void bad(String field, String detail) {
    errors.add(new Problem.FieldError(field, detail));
  }

  private static String typeOf(JsonNode node) {
    return node.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
