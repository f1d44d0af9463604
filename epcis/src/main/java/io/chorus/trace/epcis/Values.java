package io.chorus.trace.epcis;

import static io.chorus.trace.epcis.EpcisReader.shown;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.trace.epcis.EpcisEvent.Quantity;
import io.chorus.trace.epcis.EpcisEvent.Role;
import io.chorus.trace.epcis.EpcisEvent.TypedId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Reads the values of EPCIS fields, each checked as the JSON schema types it (string, URI, GS1
 * identifier, vocabulary, date-time with a zone, decimal), recording a problem with its pointer
 * and returning null (or an empty list) for a value that is wrong.
 */
final class Values {
  /** Decimals are bounded so that their canonical plain form stays short. */
  static final int INTEGER_DIGITS_MAX = 30;
  static final int FRACTION_DIGITS_MAX = 30;
  private static final Pattern UOM = Pattern.compile("[A-Z0-9]{2,3}");
  private static final Set<String> QUANTITY_FIELDS = Set.of("epcClass", "quantity", "uom");

  private final Namespaces namespaces;
  private final Problems problems;
  // Each identifier checked so far, with its canonical form.
  private final Map<String, String> canonicalForms = new HashMap<>();

  Values(Namespaces namespaces, Problems problems) {
    this.namespaces = namespaces;
    this.problems = problems;
  }

  String string(JsonNode parent, String field, String at, boolean required) {
    JsonNode node = parent.get(field);
    // The pointer only for a problem: built for every field read, it cost ~5 % of a reading.
    if (node == null) {
      if (required) {
        problems.add(Problems.pointer(at, field), "missing: " + field + " is required here");
      }
      return null;
    }
    if (!node.isTextual()) {
      problems.add(Problems.pointer(at, field), field + " is a string, not " + kind(node));
      return null;
    }
    if (node.asText().isBlank()) {
      problems.add(Problems.pointer(at, field), field + " is empty");
      return null;
    }
    return node.asText();
  }

  String uri(JsonNode parent, String field, String at, boolean required) {
    String text = string(parent, field, at, required);
    if (text == null) {
      return null;
    }
    if (!Uris.isAbsolute(text)) {
      problems.add(Problems.pointer(at, field), notUri(text));
      return null;
    }
    return text;
  }

  /** A URI that may be a GS1 identifier: checked as one, returned in canonical form. */
  String identifier(JsonNode parent, String field, String at, boolean required) {
    String text = uri(parent, field, at, required);
    return text == null ? null : canonical(text, Problems.pointer(at, field));
  }

  private String canonical(String uri, String where) {
    Gs1Identifiers.Reading reading = Gs1Identifiers.read(uri);
    if (!reading.valid()) {
      problems.add(where, reading.problem());
      return null;
    }
    canonicalForms.put(uri, reading.canonical());
    return reading.canonical();
  }

  /**
   * {@link Gs1Identifiers#canonical} of {@code text}, from the identifiers this reading has
   * already checked when it is one of them (the event hash asks for each again).
   */
  String canonicalForm(String text) {
    return canonicalForms.computeIfAbsent(text, Gs1Identifiers::canonical);
  }

  /** A list of identifiers (epcList, childEPCs, ...), each checked, none listed twice. */
  List<String> identifiers(JsonNode parent, String field, String at) {
    Map<String, String> seen = new HashMap<>();
    return each(parent, field, at, (item, itemAt) -> {
      if (!item.isTextual() || !Uris.isAbsolute(item.asText())) {
        problems.add(itemAt, item.isTextual() ? notUri(item.asText())
            : "an identifier is a URI string, not " + kind(item));
        return null;
      }
      String first = seen.putIfAbsent(item.asText(), itemAt);
      if (first != null) {
        problems.add(itemAt, "'" + shown(item.asText()) + "' is listed twice (also at "
            + first + "): list each identifier once");
        return null;
      }
      return canonical(item.asText(), itemAt);
    });
  }

  List<String> uris(JsonNode parent, String field, String at) {
    return each(parent, field, at, (item, itemAt) -> {
      if (item.isTextual() && Uris.isAbsolute(item.asText())) {
        return item.asText();
      }
      problems.add(itemAt, item.isTextual() ? notUri(item.asText())
          : "a URI string, not " + kind(item));
      return null;
    });
  }

  /**
   * The elements of array {@code field} (none when it is absent), each read by {@code read}
   * at its own pointer; a null from {@code read} (a problem it recorded) is left out.
   */
  private <T> List<T> each(JsonNode parent, String field, String at,
      BiFunction<JsonNode, String, T> read) {
    JsonNode node = parent.get(field);
    String where = Problems.pointer(at, field);
    List<T> out = new ArrayList<>();
    if (node == null || !array(node, field, where)) {
      return out;
    }
    for (int i = 0; i < node.size(); i++) {
      T value = read.apply(node.get(i), Problems.pointer(where, i));
      if (value != null) {
        out.add(value);
      }
    }
    return out;
  }

  Instant time(JsonNode parent, String field, String at, boolean required) {
    String text = string(parent, field, at, required);
    if (text == null) {
      return null;
    }
    String where = Problems.pointer(at, field);
    try {
      return Timestamps.parse(text);
    } catch (DateTimeParseException e) {
      if (hasNoZone(text)) {
        problems.add(where, "'" + shown(text) + "' has no zone: add Z or an offset, e.g. "
            + shown(text) + "Z or " + shown(text) + "+08:00");
      } else {
        problems.add(where, "'" + shown(text) + "' is no date-time: send RFC 3339 with a zone,"
            + " e.g. 2024-05-01T08:30:00.000+08:00");
      }
      return null;
    }
  }

  private static boolean hasNoZone(String text) {
    try {
      LocalDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** A standard vocabulary value (bare word, CBV URN or URI) as its Web URI, or null. */
  String vocabulary(JsonNode parent, String field, String at, CbvVocabulary vocabulary) {
    String text = string(parent, field, at, false);
    return text == null ? null : vocabularyValue(text, Problems.pointer(at, field), vocabulary);
  }

  private String vocabularyValue(String text, String where, CbvVocabulary vocabulary) {
    String normalised = vocabulary.normalise(namespaces.expand(text));
    if (normalised == null) {
      problems.add(where, "'" + shown(text) + "' is not in the CBV vocabulary: send one of "
          + vocabulary.examples() + " or a URI of your own vocabulary");
    }
    return normalised;
  }

  List<String> vocabularyList(JsonNode parent, String field, String at,
      CbvVocabulary vocabulary) {
    return each(parent, field, at, (item, itemAt) -> {
      if (!item.isTextual()) {
        problems.add(itemAt, "a string, not " + kind(item));
        return null;
      }
      return vocabularyValue(item.asText(), itemAt, vocabulary);
    });
  }

  BigDecimal decimal(JsonNode parent, String field, String at) {
    JsonNode node = parent.get(field);
    if (node == null) {
      return null;
    }
    String where = Problems.pointer(at, field);
    if (!node.isNumber()) {
      problems.add(where, field + " is a JSON number, not " + kind(node)
          + (node.isTextual() ? " (send 12.5, not \"12.5\")" : ""));
      return null;
    }
    BigDecimal number = node.decimalValue();
    if (!inRange(number)) {
      problems.add(where, field + " " + node.asText() + " is out of range: at most "
          + INTEGER_DIGITS_MAX + " digits before and " + FRACTION_DIGITS_MAX + " after the point");
      return null;
    }
    return number.stripTrailingZeros();
  }

  static boolean inRange(BigDecimal number) {
    BigDecimal stripped = number.stripTrailingZeros();
    return stripped.precision() - stripped.scale() <= INTEGER_DIGITS_MAX
        && stripped.scale() <= FRACTION_DIGITS_MAX;
  }

  /** quantityList and its kin: epcClass, then an optional quantity (≥ 0) and unit. */
  List<Quantity> quantities(JsonNode parent, String field, String at, Role role) {
    return each(parent, field, at, (item, itemAt) -> {
      if (!item.isObject()) {
        problems.add(itemAt, "a quantity element is an object {\"epcClass\": ...,"
            + " \"quantity\": ..., \"uom\": ...}, not " + kind(item));
        return null;
      }
      only(item, QUANTITY_FIELDS, itemAt, "a quantity element");
      String epcClass = identifier(item, "epcClass", itemAt, true);
      BigDecimal quantity = decimal(item, "quantity", itemAt);
      if (quantity != null && quantity.signum() < 0) {
        problems.add(Problems.pointer(itemAt, "quantity"), "a quantity is 0 or more");
      }
      String uom = string(item, "uom", itemAt, false);
      if (uom != null && !UOM.matcher(uom).matches()) {
        problems.add(Problems.pointer(itemAt, "uom"), "'" + shown(uom) + "' is no UN/CEFACT unit"
            + " code: 2 or 3 capitals or digits, e.g. KGM");
      } else if (uom != null && quantity == null) {
        problems.add(Problems.pointer(itemAt, "uom"), "a unit needs a quantity");
      }
      return epcClass == null ? null : new Quantity(role, epcClass, quantity, uom);
    });
  }

  /** bizTransactionList, sourceList, destinationList: {type, ID} objects. */
  List<TypedId> typedIds(JsonNode parent, String field, String idField,
      CbvVocabulary types, boolean typeRequired, String at) {
    return List.copyOf(each(parent, field, at, (item, itemAt) -> {
      if (!item.isObject()) {
        problems.add(itemAt, "each is an object {\"type\": ..., \"" + idField + "\": ...}");
        return null;
      }
      only(item, Set.of("type", idField), itemAt, "an element of " + field);
      String type = typeRequired || item.has("type")
          ? vocabularyOrMissing(item, "type", itemAt, types) : null;
      String id = identifier(item, idField, itemAt, true);
      return id == null ? null : new TypedId(type, id);
    }));
  }

  private String vocabularyOrMissing(JsonNode item, String field, String at,
      CbvVocabulary types) {
    if (!item.has(field)) {
      problems.add(Problems.pointer(at, field), "missing: the type is required here, one of "
          + types.examples() + " or a URI");
      return null;
    }
    return vocabulary(item, field, at, types);
  }

  /** An object that has only {@code standard} members and namespaced extensions. */
  void extensionsOnly(JsonNode object, Set<String> standard, String at) {
    object.properties().forEach(field -> {
      String name = field.getKey();
      if (!standard.contains(name)) {
        String where = Problems.pointer(at, name);
        if (name.indexOf(':') > 0) {
          extension(name, field.getValue(), where);
        } else {
          problems.add(where, "unknown field '" + name + "': a field named here by the"
              + " standard" + (standard.isEmpty() ? "" : " (" + String.join(", ", standard.stream()
                  .sorted().toList()) + ")") + " or a namespaced extension prefix:name");
        }
      }
    });
  }

  /** An extension: its prefix declared, its numbers in range, at any depth. */
  void extension(String name, JsonNode value, String at) {
    String prefix = name.substring(0, name.indexOf(':'));
    boolean absolute = name.startsWith("http://") || name.startsWith("https://")
        || name.startsWith("urn:");
    if (!absolute && namespaces.namespace(prefix) == null) {
      problems.add(at, "the prefix '" + prefix + "' of extension field '" + name + "' is not"
          + " declared: add {\"" + prefix + "\": \"https://your.namespace/\"} to @context");
    }
    numbersInRange(value, at);
  }

  private void numbersInRange(JsonNode value, String at) {
    if (value.isNumber() && !inRange(value.decimalValue())) {
      problems.add(at, value.asText() + " is out of range for a number");
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        numbersInRange(value.get(i), Problems.pointer(at, i));
      }
    } else if (value.isObject()) {
      value.properties().forEach(f -> numbersInRange(f.getValue(),
          Problems.pointer(at, f.getKey())));
    }
  }

  void only(JsonNode object, Set<String> allowed, String at, String what) {
    object.properties().forEach(field -> {
      if (!allowed.contains(field.getKey())) {
        problems.add(Problems.pointer(at, field.getKey()), what + " has only "
            + String.join(", ", allowed.stream().sorted().toList()));
      }
    });
  }

  boolean array(JsonNode node, String field, String where) {
    if (!node.isArray()) {
      problems.add(where, field + " is a JSON array, not " + kind(node));
      return false;
    }
    return true;
  }

  private static String notUri(String text) {
    String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
    return "'" + shown + "' is no URI: send an absolute URI such as"
        + " urn:epc:id:sgtin:4012345.011111.9876 or https://id.gs1.org/01/04012345111118/21/9876";
  }

  static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case BINARY, MISSING -> "nothing";
    };
  }
}
