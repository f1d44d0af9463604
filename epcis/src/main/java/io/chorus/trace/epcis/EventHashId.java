package io.chorus.trace.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The CBV 2.0 EPCIS event hash ID (CBV 2.0 section 8.9): a pre-hash string made of the event's
 * fields in the canonical property order, each {@code key=value} with no separator, lists sorted,
 * identifiers in canonical GS1 Digital Link form, vocabulary as CBV Web URIs, times in UTC with
 * milliseconds, numbers without trailing zeros, extensions as {@code {namespace}name=value}
 * sorted at the end of their parent; then SHA-256 written as
 * {@code ni:///sha-256;<hex>?ver=CBV2.0} (RFC 6920). The same event in any valid serialisation
 * (field order, bare word or URI, EPC URN or Digital Link) has the same ID; recordTime, eventID,
 * errorDeclaration and comments are not part of it.
 */
public final class EventHashId {
  public static final String VERSION = "CBV2.0";
  private static final String NI_PREFIX = "ni:///sha-256;";

  /**
   * Top-level fields in the canonical property order, after eventType. CBV 2.0's table lists
   * sourceList before destinationList, but every published vector (and so every implementation
   * that matches them) writes destinationList first: we follow the vectors.
   */
  private static final List<String> ORDER = List.of("eventTime", "eventTimeZoneOffset",
      "certificationInfo", "epcList", "parentID", "inputEPCList", "childEPCs", "quantityList",
      "childQuantityList", "inputQuantityList", "outputEPCList", "outputQuantityList", "action",
      "transformationID", "bizStep", "disposition", "persistentDisposition", "readPoint",
      "bizLocation", "bizTransactionList", "destinationList", "sourceList", "sensorElementList",
      "ilmd");

  private static final Set<String> ORDERED = Set.copyOf(ORDER);

  /** Fields that identify or annotate the record of an event, not the event itself. */
  private static final Set<String> NOT_HASHED = Set.of("type", "@context", "eventID",
      "recordTime", "errorDeclaration", "comment", "rdfs:comment",
      "{http://www.w3.org/2000/01/rdf-schema#}comment");

  private static final List<String> SENSOR_METADATA = List.of("time", "startTime", "endTime",
      "deviceID", "deviceMetadata", "rawData", "dataProcessingMethod", "bizRules");

  private static final List<String> SENSOR_REPORT = List.of("type", "exception", "deviceID",
      "deviceMetadata", "rawData", "dataProcessingMethod", "time", "microorganism",
      "chemicalSubstance", "value", "component", "stringValue", "booleanValue",
      "hexBinaryValue", "uriValue", "minValue", "maxValue", "meanValue", "sDev", "percRank",
      "percValue", "uom", "coordinateReferenceSystem");

  private static final Set<String> TIME_FIELDS = Set.of("eventTime", "time", "startTime",
      "endTime");

  private static final Map<String, CbvVocabulary> VOCABULARY = Map.of(
      "bizStep", CbvVocabulary.BIZ_STEP,
      "disposition", CbvVocabulary.DISPOSITION,
      "exception", CbvVocabulary.SENSOR_ALERT,
      "component", CbvVocabulary.COMPONENT);


  /** Case-sensitive order of UTF-8 bytes, which is the order of code points. */
  private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  // The JDK's SHA-256, which HotSpot runs on the CPU's SHA extensions: about 8 % of reading an
  // event went to BouncyCastle's Java SHA-256 before.
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  });

  private final Namespaces namespaces;
  private final UnaryOperator<String> canonical;

  private EventHashId(Namespaces namespaces, UnaryOperator<String> canonical) {
    this.namespaces = namespaces;
    this.canonical = canonical;
  }

  /** The hash ID of {@code event}, its extension prefixes read with {@code namespaces}. */
  public static String of(ObjectNode event, Namespaces namespaces) {
    return of(event, namespaces, Gs1Identifiers::canonical);
  }

  /**
   * As {@link #of(ObjectNode, Namespaces)}, identifiers put in canonical form by {@code
   * canonical}, which must answer as {@link Gs1Identifiers#canonical}: the reader passes the
   * forms it already worked out while checking the event, so each is parsed once.
   */
  static String of(ObjectNode event, Namespaces namespaces, UnaryOperator<String> canonical) {
    return ni(new EventHashId(namespaces.with(event.get("@context")), canonical).event(event));
  }

  /** The {@code ni:} URI of a pre-hash string. */
  public static String ni(String preHash) {
    byte[] digest = SHA256.get().digest(preHash.getBytes(StandardCharsets.UTF_8));
    return NI_PREFIX + Hex.encode(digest) + "?ver=" + VERSION;
  }

  /**
   * The 32-byte SHA-256 digest a hash ID names: what a capture's Merkle tree takes as the
   * event's leaf.
   *
   * @throws IllegalArgumentException when {@code hashId} is not a CBV 2.0 hash ID
   */
  public static byte[] digest(String hashId) {
    int end = hashId.indexOf('?');
    if (!hashId.startsWith(NI_PREFIX) || !hashId.endsWith("?ver=" + VERSION)
        || end - NI_PREFIX.length() != 64) {
      throw new IllegalArgumentException("not a CBV 2.0 hash ID: " + hashId);
    }
    return Hex.decode(hashId.substring(NI_PREFIX.length(), end));
  }

  /** The canonical pre-hash string of {@code event}. */
  public static String preHash(ObjectNode event, Namespaces namespaces) {
    Namespaces scoped = namespaces.with(event.get("@context"));
    return new EventHashId(scoped, Gs1Identifiers::canonical).event(event);
  }

  private String event(ObjectNode event) {
    StringBuilder out = new StringBuilder("eventType=").append(event.path("type").asText());
    for (String field : ORDER) {
      JsonNode value = event.get(field);
      if (value != null) {
        out.append(topLevel(field, value));
      }
    }
    List<String> extensions = new ArrayList<>();
    event.properties().forEach(entry -> {
      if (!ORDERED.contains(entry.getKey()) && !ignored(entry.getKey())) {
        extension(entry.getKey(), entry.getValue(), extensions);
      }
    });
    return out.append(sorted(extensions)).toString();
  }

  private boolean ignored(String key) {
    return NOT_HASHED.contains(key) || NOT_HASHED.contains(namespaces.qualifiedName(key));
  }

  private String topLevel(String field, JsonNode value) {
    return switch (field) {
      case "epcList", "inputEPCList", "childEPCs", "outputEPCList" ->
          list(field, value, item -> pair("epc", item, null));
      case "quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList" ->
          list(field, value, this::quantityElement);
      case "certificationInfo" -> value.isArray()
          ? sorted(strings(value, item -> pair(field, item, null)))
          : pair(field, value, null);
      case "persistentDisposition" -> nonEmpty(field,
          sorted(strings(value.path("set"), item -> pair("set", item, CbvVocabulary.DISPOSITION)))
          + sorted(strings(value.path("unset"),
              item -> pair("unset", item, CbvVocabulary.DISPOSITION))));
      case "readPoint", "bizLocation" -> nonEmpty(field,
          pair("id", value.path("id"), null) + extensionsOf(value, Set.of("id")));
      case "bizTransactionList" -> list(field, value, item -> typed(item, "bizTransaction",
          CbvVocabulary.BIZ_TRANSACTION_TYPE));
      case "sourceList" -> list(field, value, item -> typed(item, "source",
          CbvVocabulary.SOURCE_DESTINATION_TYPE));
      case "destinationList" -> list(field, value, item -> typed(item, "destination",
          CbvVocabulary.SOURCE_DESTINATION_TYPE));
      case "sensorElementList" -> list(field, value, this::sensorElement);
      case "ilmd" -> nonEmpty(field, extensionsOf(value, Set.of()));
      default -> pair(field, value, VOCABULARY.get(field));
    };
  }

  private String quantityElement(JsonNode element) {
    return nonEmpty("quantityElement", pair("epcClass", element.path("epcClass"), null)
        + pair("quantity", element.path("quantity"), null)
        + pair("uom", element.path("uom"), null));
  }

  /** A bizTransaction, source or destination: its type first, then its ID. */
  private String typed(JsonNode element, String idField, CbvVocabulary types) {
    return pair("type", element.path("type"), types) + pair(idField, element.path(idField), null);
  }

  private String sensorElement(JsonNode element) {
    JsonNode metadata = element.path("sensorMetadata");
    String metadataText = metadata.isObject()
        ? nonEmpty("sensorMetadata", fields(metadata, SENSOR_METADATA)
            + extensionsOf(metadata, Set.copyOf(SENSOR_METADATA)))
        : "";
    String reports = sorted(strings(element.path("sensorReport"),
        report -> nonEmpty("sensorReport", fields(report, SENSOR_REPORT)
            + extensionsOf(report, Set.copyOf(SENSOR_REPORT)))));
    return nonEmpty("sensorElement", metadataText + reports
        + extensionsOf(element, Set.of("sensorMetadata", "sensorReport")));
  }

  private String fields(JsonNode object, List<String> order) {
    StringBuilder out = new StringBuilder();
    for (String field : order) {
      JsonNode value = object.get(field);
      if (value != null) {
        CbvVocabulary vocabulary = field.equals("type") ? CbvVocabulary.MEASUREMENT_TYPE
            : VOCABULARY.get(field);
        out.append(pair(field, value, vocabulary));
      }
    }
    return out.toString();
  }

  /** The extension members of {@code object} (those not in {@code standard}), sorted. */
  private String extensionsOf(JsonNode object, Set<String> standard) {
    List<String> extensions = new ArrayList<>();
    object.properties().forEach(entry -> {
      if (!standard.contains(entry.getKey()) && !ignored(entry.getKey())) {
        extension(entry.getKey(), entry.getValue(), extensions);
      }
    });
    return sorted(extensions);
  }

  /** An extension element: {@code {ns}name=value}, its children after it, arrays repeated. */
  private void extension(String key, JsonNode value, List<String> into) {
    if (value.isArray()) {
      value.forEach(item -> extension(key, item, into));
      return;
    }
    String name = namespaces.qualifiedName(key);
    if (value.isObject()) {
      into.add(name + extensionsOf(value, Set.of()));
    } else {
      String text = value.isNull() ? "" : scalar(value, null, false);
      into.add(text.isEmpty() ? name : name + "=" + text);
    }
  }

  private String pair(String key, JsonNode value, CbvVocabulary vocabulary) {
    if (value.isMissingNode() || value.isNull() || value.isContainerNode()) {
      return "";
    }
    String text = scalar(value, vocabulary, TIME_FIELDS.contains(key));
    return text.isEmpty() ? "" : key + "=" + text;
  }

  private String scalar(JsonNode value, CbvVocabulary vocabulary, boolean time) {
    if (value.isNumber()) {
      boolean binary = value.isDouble() || value.isFloat();
      return binary && !Double.isFinite(value.doubleValue()) ? value.asText()
          : plain(value.decimalValue());
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "true" : "false";
    }
    String text = value.asText().strip();
    if (time) {
      return utcMillis(text);
    }
    text = namespaces.expand(text);
    if (vocabulary != null) {
      String normalised = vocabulary.normalise(text);
      text = normalised == null ? text : normalised;
    }
    text = CbvVocabulary.webUri(text);
    if (isDecimal(text)) {
      return plain(new BigDecimal(text));
    }
    return canonical.apply(text);
  }

  /**
   * Whether {@code text} is {@code [+-]?[0-9]+(\.[0-9]+)?}: checked by hand, as every string
   * value of every event passes here and the regular expression was ~7 % of a hash ID under
   * the members' quick JIT.
   */
  static boolean isDecimal(String text) {
    int at = !text.isEmpty() && (text.charAt(0) == '+' || text.charAt(0) == '-') ? 1 : 0;
    int digits = digits(text, at);
    if (digits == 0) {
      return false;
    }
    at += digits;
    if (at == text.length()) {
      return true;
    }
    return text.charAt(at) == '.' && digits(text, at + 1) == text.length() - at - 1
        && at + 1 < text.length();
  }

  // How many ASCII digits run from `from`.
  private static int digits(String text, int from) {
    int at = from;
    while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
      at++;
    }
    return at - from;
  }

  private static String plain(BigDecimal number) {
    if (number.signum() == 0) {
      return "0";
    }
    // A checked event has no number this long; unchecked JSON must not blow up the string.
    return Values.inRange(number) ? number.stripTrailingZeros().toPlainString()
        : number.stripTrailingZeros().toString();
  }

  /** UTC with exactly three fraction digits, the third rounded half up. */
  static String utcMillis(String timestamp) {
    Instant instant;
    try {
      instant = Timestamps.parse(timestamp);
    } catch (DateTimeParseException e) {
      return timestamp;
    }
    return Timestamps.utcMillis(instant.plusNanos(500_000).truncatedTo(ChronoUnit.MILLIS));
  }

  private interface Render {
    String apply(JsonNode item);
  }

  private String list(String name, JsonNode value, Render render) {
    return nonEmpty(name, sorted(strings(value, render)));
  }

  private static List<String> strings(JsonNode array, Render render) {
    List<String> out = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(item -> {
        String text = render.apply(item);
        if (!text.isEmpty()) {
          out.add(text);
        }
      });
    }
    return out;
  }

  private static String sorted(List<String> parts) {
    parts.sort(CODE_POINT_ORDER);
    return String.join("", parts);
  }

  private static String nonEmpty(String name, String content) {
    return content.isEmpty() ? "" : name + content;
  }
}
