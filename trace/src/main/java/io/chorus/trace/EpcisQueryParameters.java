package io.chorus.trace;

import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.trace.epcis.CbvVocabulary;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The EPCIS 2.0 query parameters of {@code GET /epcis/events}, read into a {@link TraceQuery}:
 * values normalised as the index holds them (identifiers in canonical Digital Link form,
 * vocabulary as CBV Web URIs); a list parameter takes values separated by commas or repeated.
 * A parameter this node does not support yet is refused by name, never ignored. A MATCH_
 * parameter also takes EPC pattern URIs ({@link EpcPatterns}); WD_readPoint and WD_bizLocation
 * take a location with its sub-locations.
 */
final class EpcisQueryParameters {
  /** The match parameters and the index field each reads. */
  private static final Map<String, String> MATCHES = Map.of("MATCH_epc", "epc",
      "MATCH_parentID", "parentID", "MATCH_inputEPC", "inputEPC", "MATCH_outputEPC",
      "outputEPC", "MATCH_anyEPC", "anyEPC", "MATCH_epcClass", "epcClass");
  /**
   * The parameters named after a type (EQ_bizTransaction_po), each with the vocabulary of its
   * type and the index field family its values are in.
   */
  private static final Map<String, CbvVocabulary> TYPED = Map.of(
      "EQ_bizTransaction_", CbvVocabulary.BIZ_TRANSACTION_TYPE,
      "EQ_source_", CbvVocabulary.SOURCE_DESTINATION_TYPE,
      "EQ_destination_", CbvVocabulary.SOURCE_DESTINATION_TYPE);
  /** Every parameter this node reads, in name order; any other is refused by name. */
  static final Set<String> SUPPORTED = Collections.unmodifiableSet(new TreeSet<>(List.of(
      "EQ_action", "EQ_transformationID", "eventType",
      "GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime", "EQ_bizStep",
      "EQ_disposition", "EQ_readPoint", "EQ_bizLocation", "EQ_eventID", "orderBy",
      "orderDirection", "eventCountLimit", "perPage", "nextPageToken", "MATCH_epc",
      "MATCH_parentID", "MATCH_inputEPC", "MATCH_outputEPC", "MATCH_anyEPC",
      "MATCH_epcClass", "WD_readPoint", "WD_bizLocation", "EQ_quantity", "GT_quantity",
      "GE_quantity", "LT_quantity", "LE_quantity")));
  /** The WD_ parameters and the index field each reads. */
  private static final Map<String, String> WITH_DESCENDANTS = Map.of("WD_readPoint",
      "readPoint", "WD_bizLocation", "bizLocation");
  private static final String CHAIN_TOKEN = "chain";
  private static final String EVENT_TIME_TOKEN = "eventTime";

  /** The query, and the request's query string without its page token, for the next link. */
  record Parsed(TraceQuery query, String queryStringWithout) {}

  private EpcisQueryParameters() {}

  static Parsed parse(RestRequest request) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (String name : request.queryNames()) {
      query.put(name, request.queryAll(name));
    }
    return parse(query);
  }

  /**
   * Reads parameters given as a map (a named query's, as {@code POST /epcis/queries} stored
   * them) exactly as a request's: the same checks and errors, each naming its parameter.
   */
  static Parsed parse(Map<String, List<String>> request) {
    for (String name : request.keySet()) {
      if (!SUPPORTED.contains(name) && typedField(name) == null) {
        throw Problem.invalidField(name, "the query parameter " + name + " is not supported"
            + " yet by this node; supported: " + String.join(", ", SUPPORTED) + ", and "
            + String.join(", ", TYPED.keySet().stream().map(p -> p + "{type}").toList()));
      }
    }
    Map<String, List<String>> equals = new LinkedHashMap<>();
    List<String> types = values(request, "eventType", UnaryOperator.identity());
    for (String type : types) {
      if (Arrays.stream(EpcisEvent.EventType.values()).noneMatch(t -> t.name().equals(type))) {
        throw Problem.invalidField("eventType", "is one of ObjectEvent, AggregationEvent,"
            + " TransactionEvent, TransformationEvent, AssociationEvent, not '" + type + "'");
      }
    }
    put(equals, "eventType", types);
    put(equals, "bizStep", values(request, "EQ_bizStep", v -> vocabulary(
        CbvVocabulary.BIZ_STEP, "EQ_bizStep", v)));
    put(equals, "disposition", values(request, "EQ_disposition", v -> vocabulary(
        CbvVocabulary.DISPOSITION, "EQ_disposition", v)));
    put(equals, "readPoint", values(request, "EQ_readPoint", Gs1Identifiers::canonical));
    put(equals, "bizLocation", values(request, "EQ_bizLocation", Gs1Identifiers::canonical));
    Map<String, List<TraceQuery.ValuePattern>> patterns = new LinkedHashMap<>();
    for (Map.Entry<String, String> match : MATCHES.entrySet()) {
      String field = match.getValue();
      for (String value : values(request, match.getKey(), UnaryOperator.identity())) {
        if (EpcPatterns.isPattern(value)) {
          patterns.computeIfAbsent(field, f -> new ArrayList<>()).add(pattern(match.getKey(),
              value, field.equals("epcClass")));
        } else if (value.contains("*")) {
          throw Problem.invalidField(match.getKey(), "'" + value + "' has a * outside an EPC"
              + " pattern URI: send urn:epc:idpat:SCHEME:... (e.g."
              + " urn:epc:idpat:sgtin:4012345.011111.*) or a whole identifier");
        } else {
          equals.computeIfAbsent(field, f -> new ArrayList<>()).add(
              Gs1Identifiers.canonical(value));
        }
      }
    }
    Map<String, List<String>> within = new LinkedHashMap<>();
    for (Map.Entry<String, String> wd : WITH_DESCENDANTS.entrySet()) {
      put(within, wd.getValue(), values(request, wd.getKey(), Gs1Identifiers::canonical));
    }
    List<String> actions = values(request, "EQ_action", UnaryOperator.identity());
    for (String action : actions) {
      if (Arrays.stream(EpcisEvent.Action.values()).noneMatch(a -> a.name().equals(action))) {
        throw Problem.invalidField("EQ_action", "is ADD, OBSERVE or DELETE, not '" + action
            + "'");
      }
    }
    put(equals, "action", actions);
    put(equals, "transformationID", values(request, "EQ_transformationID",
        Gs1Identifiers::canonical));
    for (String name : new TreeSet<>(request.keySet())) {
      String field = typedField(name);
      if (field != null) {
        put(equals, field, values(request, name, Gs1Identifiers::canonical));
      }
    }
    String orderBy = first(request, "orderBy").orElse("recordTime");
    if (!orderBy.equals("eventTime") && !orderBy.equals("recordTime")) {
      throw Problem.invalidField("orderBy", "is eventTime or recordTime, not '" + orderBy
          + "'");
    }
    String direction = first(request, "orderDirection").orElse(
        request.containsKey("orderBy") ? "DESC" : "ASC");
    if (!direction.equals("ASC") && !direction.equals("DESC")) {
      throw Problem.invalidField("orderDirection", "is ASC or DESC, not '" + direction + "'");
    }
    int countLimit = whole(request, "eventCountLimit", Integer.MAX_VALUE, 1,
        Integer.MAX_VALUE);
    int perPage = whole(request, "perPage", EpcisService.PER_PAGE_DEFAULT, 1,
        EpcisService.PER_PAGE_MAX);
    boolean byEventTime = orderBy.equals("eventTime");
    TraceQuery.Position after = first(request, "nextPageToken")
        .map(token -> position(token, byEventTime)).orElse(null);
    TraceQuery query = new TraceQuery(equals, patterns, values(request, "EQ_eventID",
        UnaryOperator.identity()), time(request, "GE_eventTime"), time(request, "LT_eventTime"),
        time(request, "GE_recordTime"), time(request, "LT_recordTime"), quantity(request),
        byEventTime, direction.equals("DESC"), countLimit, after, perPage, within);
    StringBuilder rest = new StringBuilder();
    for (String name : new TreeSet<>(request.keySet())) {
      if (!name.equals("nextPageToken")) {
        for (String value : request.get(name)) {
          rest.append(name).append('=').append(URLEncoder.encode(value,
              StandardCharsets.UTF_8)).append('&');
        }
      }
    }
    return new Parsed(query, rest.toString());
  }

  /**
   * The index field of a typed parameter ({@code EQ_source_owning_party} reads field {@code
   * source_https://ref.gs1.org/cbv/SDT-owning_party}, {@link TraceStore#typedField}); null for
   * any other name. A type the vocabulary does not know is refused by name.
   */
  static String typedField(String name) {
    for (Map.Entry<String, CbvVocabulary> typed : TYPED.entrySet()) {
      if (name.startsWith(typed.getKey()) && name.length() > typed.getKey().length()) {
        String type = typed.getValue().normalise(name.substring(typed.getKey().length()));
        if (type == null) {
          throw Problem.invalidField(name, "'" + name.substring(typed.getKey().length())
              + "' is no type of the CBV vocabulary, e.g. " + typed.getValue().examples()
              + ", nor a URI");
        }
        String family = typed.getKey().substring("EQ_".length(), typed.getKey().length() - 1);
        return TraceStore.typedField(family, type);
      }
    }
    return null;
  }

  /**
   * The page token of the page after {@code next}: a position in the query's order (and the
   * events answered so far), so that events stored meanwhile neither shift nor repeat a page.
   */
  static String token(TraceQuery.Position next, boolean byEventTime) {
    String text = byEventTime
        ? EVENT_TIME_TOKEN + ":" + next.eventTimeMs() + ":" + next.seq() + ":" + next.answered()
        : CHAIN_TOKEN + ":" + next.seq() + ":" + next.answered();
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        text.getBytes(StandardCharsets.UTF_8));
  }

  private static TraceQuery.Position position(String token, boolean byEventTime) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      text = "";
    }
    if (text.startsWith("offset:")) {
      throw Problem.invalidField("nextPageToken", "is a token of an earlier version of this"
          + " node, which paged by offset; pages now start after a position: run the query"
          + " again from its first page");
    }
    String[] parts = text.split(":", -1);
    String kind = byEventTime ? EVENT_TIME_TOKEN : CHAIN_TOKEN;
    if (parts.length == (byEventTime ? 4 : 3) && parts[0].equals(kind)) {
      try {
        long[] numbers = new long[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
          numbers[i - 1] = Long.parseLong(parts[i]);
        }
        long answered = numbers[numbers.length - 1];
        long seq = numbers[numbers.length - 2];
        if (seq >= 0 && answered >= 0) {
          return new TraceQuery.Position(seq, byEventTime ? numbers[0] : 0, answered);
        }
      } catch (NumberFormatException e) {
        // answered below
      }
    }
    if (parts.length > 1 && (parts[0].equals(CHAIN_TOKEN)
        || parts[0].equals(EVENT_TIME_TOKEN))) {
      throw Problem.invalidField("nextPageToken", "belongs to a query in " + parts[0]
          + " order, not this one: send the token with the query whose Link header gave it");
    }
    throw Problem.invalidField("nextPageToken", "is not a token this node gave: send the"
        + " token of the previous page's Link header as it is");
  }

  private static TraceQuery.ValuePattern pattern(String name, String value, boolean classes) {
    try {
      return EpcPatterns.of(value, classes);
    } catch (IllegalArgumentException e) {
      throw Problem.invalidField(name, e.getMessage());
    }
  }

  // EQ_/GT_/GE_/LT_/LE_quantity, or null when none is given.
  private static TraceQuery.QuantityRange quantity(Map<String, List<String>> request) {
    BigDecimal[] bounds = new BigDecimal[5];
    List<String> names = List.of("EQ_quantity", "GT_quantity", "GE_quantity", "LT_quantity",
        "LE_quantity");
    boolean any = false;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Optional<String> text = first(request, name);
      if (text.isPresent()) {
        try {
          bounds[i] = new BigDecimal(text.get().trim());
          any = true;
        } catch (NumberFormatException e) {
          throw Problem.invalidField(name, "is a number, e.g. 12 or 2.5, not '" + text.get()
              + "'");
        }
      }
    }
    return any ? new TraceQuery.QuantityRange(bounds[0], bounds[1], bounds[2], bounds[3],
        bounds[4]) : null;
  }

  private static Optional<String> first(Map<String, List<String>> request, String name) {
    List<String> values = request.getOrDefault(name, List.of());
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  // As RestRequest.queryLong, with its error.
  private static int whole(Map<String, List<String>> request, String name, int absent, int min,
      int max) {
    Optional<String> text = first(request, name);
    if (text.isEmpty()) {
      return absent;
    }
    try {
      long value = Long.parseLong(text.get());
      if (value >= min && value <= max) {
        return (int) value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Problem.invalidField(name, "must be a whole number from " + min + " to " + max
        + ", not '" + text.get() + "'");
  }

  private static List<String> values(Map<String, List<String>> request, String name,
      UnaryOperator<String> normalise) {
    List<String> out = new ArrayList<>();
    for (String sent : request.getOrDefault(name, List.of())) {
      for (String value : sent.split(",")) {
        if (value.isBlank()) {
          throw Problem.invalidField(name, "an empty value in '" + sent + "'");
        }
        out.add(normalise.apply(value.trim()));
      }
    }
    return out;
  }

  private static void put(Map<String, List<String>> equals, String field, List<String> values) {
    if (!values.isEmpty()) {
      equals.put(field, values);
    }
  }

  private static String vocabulary(CbvVocabulary vocabulary, String name, String value) {
    String uri = vocabulary.normalise(value);
    if (uri == null) {
      throw Problem.invalidField(name, "'" + value + "' is no CBV word or URI; e.g. "
          + vocabulary.examples());
    }
    return uri;
  }

  private static Instant time(Map<String, List<String>> request, String name) {
    return first(request, name).map(text -> {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        throw Problem.invalidField(name, "is a time with its zone, e.g."
            + " 2024-05-01T06:30:00Z or 2024-05-01T06:30:00+08:00, not '" + text + "'");
      }
    }).orElse(null);
  }
}
