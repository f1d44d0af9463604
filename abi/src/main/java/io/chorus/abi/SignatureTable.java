package io.chorus.abi;

import com.esaulpaugh.headlong.abi.ABIObject;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Well-known signatures (ERC-20, ERC-721, ERC-1155, ERC-3525, Ownable, AccessControl,
 * multicall, WETH, Uniswap-style routers, OpenZeppelin's errors) from {@value #RESOURCE},
 * written as Solidity declares them with parameter names, for decoding what no known ABI
 * covers. Each line is turned into a JSON ABI entry and read by the ABI library, which computes
 * its selector or topic.
 */
public final class SignatureTable {
  static final String RESOURCE = "signatures.txt";

  private SignatureTable() {}

  /** The table shipped with the node. */
  public static ContractAbi load() {
    try (InputStream in = SignatureTable.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the abi jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** The table in {@code text}: one declaration a line, '#' comments and blank lines skipped. */
  static ContractAbi parse(String text) {
    List<ABIObject> objects = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        objects.add(ABIObject.fromJson(declaration(line).toString()));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(RESOURCE + " line " + (n + 1) + " '" + line
            + "': " + e.getMessage(), e);
      }
    }
    return new ContractAbi(objects);
  }

  /** {@code event Transfer(address indexed from, ...)} as a JSON ABI entry. */
  static ObjectNode declaration(String line) {
    int space = line.indexOf(' ');
    int open = line.indexOf('(');
    if (space < 0 || open < space || !line.endsWith(")")) {
      throw new IllegalArgumentException("write it as function|event|error name(type name, ...)");
    }
    String kind = line.substring(0, space);
    if (!List.of("function", "event", "error").contains(kind)) {
      throw new IllegalArgumentException("unknown kind '" + kind + "'");
    }
    ObjectNode entry = Values.NODES.objectNode().put("type", kind)
        .put("name", line.substring(space + 1, open).strip());
    ArrayNode inputs = entry.putArray("inputs");
    for (String parameter : splitTopLevel(line.substring(open + 1, line.length() - 1))) {
      String[] words = parameter.strip().split("\\s+");
      boolean indexed = words.length > 1 && words[1].equals("indexed");
      int nameAt = indexed ? 2 : 1;
      if (words.length > nameAt + 1) {
        throw new IllegalArgumentException("a parameter is 'type [indexed] [name]', not '"
            + parameter.strip() + "'");
      }
      ObjectNode input = parameter(words[0], words.length > nameAt ? words[nameAt] : "");
      if (kind.equals("event")) {
        input.put("indexed", indexed);
      } else if (indexed) {
        throw new IllegalArgumentException("only an event's parameters are indexed");
      }
      inputs.add(input);
    }
    if (kind.equals("function")) {
      entry.putArray("outputs");
      entry.put("stateMutability", "nonpayable");
    } else if (kind.equals("event")) {
      entry.put("anonymous", false);
    }
    return entry;
  }

  /** A parameter's JSON: a tuple type {@code (t1,t2)[]} becomes {@code tuple[]} with components. */
  private static ObjectNode parameter(String type, String name) {
    ObjectNode out = Values.NODES.objectNode().put("name", name);
    if (!type.startsWith("(")) {
      return out.put("type", type);
    }
    int close = matchingParen(type);
    out.put("type", "tuple" + type.substring(close + 1));
    ArrayNode components = out.putArray("components");
    for (String component : splitTopLevel(type.substring(1, close))) {
      components.add(parameter(component.strip(), ""));
    }
    return out;
  }

  private static int matchingParen(String type) {
    int depth = 0;
    for (int i = 0; i < type.length(); i++) {
      if (type.charAt(i) == '(') {
        depth++;
      } else if (type.charAt(i) == ')' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced parentheses in '" + type + "'");
  }

  /** The comma-separated parts of {@code list} outside parentheses; none for an empty list. */
  private static List<String> splitTopLevel(String list) {
    List<String> parts = new ArrayList<>();
    if (list.isBlank()) {
      return parts;
    }
    int depth = 0;
    int start = 0;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(list.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(list.substring(start));
    return parts;
  }
}
