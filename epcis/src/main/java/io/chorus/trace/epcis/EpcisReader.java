package io.chorus.trace.epcis;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks EPCIS 2.0 JSON / JSON-LD: an EPCISDocument (what {@code POST /epcis/capture}
 * receives), an EPCISQueryDocument (query results), or one bare event (what
 * {@code POST /epcis/events} receives). Everything wrong is reported at once, each problem with
 * its JSON pointer, as an {@link EpcisException}; nothing else escapes, whatever the bytes.
 * Thread-safe: one reader serves every request.
 */
public final class EpcisReader {
  private static final int NUMBER_CHARS_MAX = 200;
  private static final Set<String> DOCUMENT_FIELDS = Set.of("@context", "id", "type",
      "schemaVersion", "creationDate", "instanceIdentifier", "sender", "receiver",
      "epcisHeader", "epcisBody");
  private static final Set<String> QUERY_DOCUMENT_FIELDS = Set.of("@context", "id", "type",
      "schemaVersion", "creationDate", "epcisBody");

  private final EpcisLimits limits;
  private final ObjectMapper json;
  // One level deeper, for an array of events each bounded as one event on its own; reads one
  // element of the array at a time.
  private final ObjectReader elementReader;

  public EpcisReader(EpcisLimits limits) {
    this.limits = limits;
    this.json = mapper(limits, limits.depthMax());
    this.elementReader = mapper(limits, limits.depthMax() + 1).reader()
        .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  private static ObjectMapper mapper(EpcisLimits limits, int depthMax) {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(depthMax)
            .maxNumberLength(NUMBER_CHARS_MAX)
            .maxStringLength(limits.documentBytesMax())
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    return new ObjectMapper(factory)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  public EpcisLimits limits() {
    return limits;
  }

  /**
   * An EPCISDocument or EPCISQueryDocument, every event checked.
   *
   * @throws EpcisException listing every problem (up to {@link EpcisLimits#problemsMax})
   */
  public EpcisDocument readDocument(byte[] body) {
    ObjectNode root = object(parse(json, body));
    Problems problems = new Problems(limits.problemsMax());
    String type = root.path("type").asText("");
    EpcisDocument.Kind kind = switch (type) {
      case "EPCISDocument" -> EpcisDocument.Kind.EPCISDocument;
      case "EPCISQueryDocument" -> EpcisDocument.Kind.EPCISQueryDocument;
      default -> throw EpcisException.of(EpcisException.Kind.INVALID, "/type", "an EPCIS"
          + " document has type EPCISDocument or EPCISQueryDocument, not '" + shown(type)
          + "' (one bare event is captured on its own, at /epcis/events)");
    };
    Namespaces namespaces = context(root, "", problems);
    boolean query = kind == EpcisDocument.Kind.EPCISQueryDocument;
    new Values(namespaces, problems).extensionsOnly(root,
        query ? QUERY_DOCUMENT_FIELDS : DOCUMENT_FIELDS, "");
    Values values = new Values(namespaces, problems);
    String schemaVersion = values.string(root, "schemaVersion", "", !query);
    if (schemaVersion != null && !schemaVersion.matches("2(\\.\\d+)*")) {
      problems.add("/schemaVersion", "this reads EPCIS 2.x: schemaVersion \"2.0\", not '"
          + shown(schemaVersion) + "'");
    }
    Instant creationDate = values.time(root, "creationDate", "", !query);
    JsonNode results = root.path("epcisBody").path("queryResults");
    String queryName = query ? values.string(results, "queryName", "/epcisBody/queryResults",
        true) : null;
    String subscriptionId = query ? values.string(results, "subscriptionID",
        "/epcisBody/queryResults", false) : null;
    String listAt = query ? "/epcisBody/queryResults/resultsBody/eventList"
        : "/epcisBody/eventList";
    JsonNode eventList = eventList(root, listAt, problems);
    List<EpcisEvent> events = events(eventList, listAt, namespaces, problems);
    if (problems.count() > 0) {
      throw problems.toException();
    }
    return new EpcisDocument(kind, schemaVersion, creationDate, queryName, subscriptionId,
        namespaces, List.copyOf(events), root);
  }

  /**
   * One event on its own, with its {@code @context}.
   *
   * @throws EpcisException listing every problem
   */
  public EpcisEvent readEvent(byte[] body) {
    return readEvent(object(parse(json, body)));
  }

  /**
   * One event on its own, with its {@code @context}, already parsed: by {@link
   * #readEventArray}, whose bounds make it the same as {@link #readEvent(byte[])} on its bytes.
   *
   * @throws EpcisException listing every problem
   */
  public EpcisEvent readEvent(ObjectNode root) {
    Problems problems = new Problems(limits.problemsMax());
    Namespaces namespaces = context(root, "", problems);
    EpcisEvent event = new EventReader(namespaces, problems).read(root, "");
    if (problems.count() > 0 || event == null) {
      throw problems.toException();
    }
    return event;
  }

  /**
   * An element of a JSON array of events: the event as parsed, and its JSON as the array's bytes
   * hold it (which parses to the same), so that it can be stored without being written again.
   */
  public record ArrayElement(ObjectNode event, byte[] json) {}

  /**
   * The elements of a JSON array of events, each carrying its own {@code @context} (a capture
   * batch, inflated): parsed under this reader's bounds with one level more for the array, so
   * that each is bounded as one event sent on its own. Read each with {@link
   * #readEvent(ObjectNode)}.
   *
   * @throws EpcisException when the bytes are not a JSON array of objects within the bounds
   */
  public List<ArrayElement> readEventArray(byte[] body) {
    checkSize(body);
    List<ArrayElement> events = new ArrayList<>();
    try (JsonParser parser = elementReader.createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw EpcisException.of(EpcisException.Kind.MALFORMED, "", "the body is empty: send a"
            + " JSON array of events");
      }
      if (first != JsonToken.START_ARRAY) {
        throw EpcisException.of(EpcisException.Kind.INVALID, "", "a list of events is a JSON"
            + " array, not " + Values.kind(elementReader.readTree(parser)));
      }
      for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        int from = (int) parser.currentTokenLocation().getByteOffset();
        JsonNode element = elementReader.readTree(parser);
        if (!(element instanceof ObjectNode event)) {
          throw EpcisException.of(EpcisException.Kind.INVALID, "/" + events.size(), "an event"
              + " is a JSON object, not " + Values.kind(element));
        }
        // The parser stands just past the object's closing brace.
        int to = (int) parser.currentLocation().getByteOffset();
        events.add(new ArrayElement(event, Arrays.copyOfRange(body, from, to)));
      }
      if (parser.nextToken() != null) {
        throw EpcisException.of(EpcisException.Kind.MALFORMED, "", "not JSON: more after the"
            + " array's end");
      }
    } catch (IOException | NumberFormatException e) {
      throw parseFailure(e);
    }
    return events;
  }

  private static ObjectNode object(JsonNode root) {
    if (!root.isObject()) {
      throw EpcisException.of(EpcisException.Kind.INVALID, "", "an EPCIS document or event is"
          + " a JSON object, not " + Values.kind(root));
    }
    return (ObjectNode) root;
  }

  private JsonNode parse(ObjectMapper json, byte[] body) {
    checkSize(body);
    JsonNode root;
    try {
      root = json.readTree(body);
    } catch (IOException | NumberFormatException e) {
      throw parseFailure(e);
    }
    if (root == null || root.isMissingNode()) {
      throw EpcisException.of(EpcisException.Kind.MALFORMED, "", "the body is empty: send an"
          + " EPCIS document (JSON)");
    }
    return root;
  }

  private void checkSize(byte[] body) {
    if (body.length > limits.documentBytesMax()) {
      throw EpcisException.of(EpcisException.Kind.TOO_LARGE, "", "the document has "
          + body.length + " bytes, over the limit of " + limits.documentBytesMax()
          + ": split it into several documents");
    }
  }

  private EpcisException parseFailure(Exception e) {
    if (e instanceof StreamConstraintsException over) {
      return EpcisException.of(EpcisException.Kind.TOO_LARGE, "", "the document is over a"
          + " bound: " + over.getOriginalMessage() + " (nesting at most " + limits.depthMax()
          + " levels, numbers at most " + NUMBER_CHARS_MAX + " characters)");
    }
    if (e instanceof JacksonException json) {
      return EpcisException.of(EpcisException.Kind.MALFORMED, "", "not JSON" + where(json)
          + ": " + json.getOriginalMessage());
    }
    if (e instanceof NumberFormatException) {
      // Jackson reads a number such as 0e777…7 as a BigDecimal and refuses its exponent
      // unchecked.
      return EpcisException.of(EpcisException.Kind.MALFORMED, "", "a number is out of range: "
          + e.getMessage());
    }
    return EpcisException.of(EpcisException.Kind.MALFORMED, "", "not JSON: " + e.getMessage());
  }

  private static String where(JacksonException e) {
    JsonLocation location = e.getLocation();
    return location == null ? "" : " at line " + location.getLineNr() + ", column "
        + location.getColumnNr();
  }

  /** The prefixes of {@code @context}, which the standard requires of a document and event. */
  private static Namespaces context(JsonNode root, String at, Problems problems) {
    JsonNode context = root.get("@context");
    if (context == null) {
      problems.add(Problems.pointer(at, "@context"), "missing: @context is required, e.g."
          + " [\"https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld\"]");
      return Namespaces.standard();
    }
    if (!context.isTextual() && !context.isObject() && !context.isArray()) {
      problems.add(Problems.pointer(at, "@context"), "@context is a URL, an object or an"
          + " array of them, not " + Values.kind(context));
    }
    return Namespaces.standard().with(context);
  }

  private JsonNode eventList(JsonNode root, String listAt, Problems problems) {
    JsonNode eventList = root.at(listAt);
    if (eventList.isMissingNode()) {
      problems.add(listAt, "missing: the document's events go in " + listAt + " (an array)");
      return null;
    }
    if (!eventList.isArray()) {
      problems.add(listAt, "eventList is an array of events, not " + Values.kind(eventList));
      return null;
    }
    if (eventList.size() > limits.eventsMax()) {
      throw EpcisException.of(EpcisException.Kind.TOO_LARGE, listAt, "the document has "
          + eventList.size() + " events, over the limit of " + limits.eventsMax()
          + ": split it into several documents");
    }
    return eventList;
  }

  private static List<EpcisEvent> events(JsonNode eventList, String listAt,
      Namespaces namespaces, Problems problems) {
    List<EpcisEvent> events = new ArrayList<>();
    if (eventList == null) {
      return events;
    }
    Map<String, Integer> eventIds = new HashMap<>();
    for (int i = 0; i < eventList.size(); i++) {
      JsonNode node = eventList.get(i);
      String at = Problems.pointer(listAt, i);
      Namespaces scoped = namespaces.with(node.get("@context"));
      EpcisEvent event = new EventReader(scoped, problems).read(node, at);
      if (event == null) {
        continue;
      }
      if (event.eventId() != null) {
        Integer first = eventIds.putIfAbsent(event.eventId(), i);
        if (first != null) {
          problems.add(Problems.pointer(at, "eventID"), "eventID " + shown(event.eventId())
              + " is also the ID of " + Problems.pointer(listAt, first) + ": IDs are unique");
          continue;
        }
      }
      events.add(event);
    }
    return events;
  }

  /** A value quoted in a message, cut short so that a huge input makes no huge message. */
  static String shown(String value) {
    return value.length() > 80 ? value.substring(0, 80) + "..." : value;
  }
}
