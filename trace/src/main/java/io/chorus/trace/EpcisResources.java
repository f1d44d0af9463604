package io.chorus.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.Route;
import io.chorus.trace.epcis.EpcisEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The EPCIS 2.0 binding's discovery and top-level resources: {@code GET /epcis} lists them;
 * {@code /eventTypes}, {@code /epcs}, {@code /bizSteps}, {@code /bizLocations}, {@code
 * /readPoints} and {@code /dispositions} list the values this node's events name (as far as
 * the caller may read them), each value's resource lists its sub-resource {@code events}, and
 * {@code /{resource}/{value}/events} is the event query with that value fixed (the other
 * query parameters apply as on {@code /events}).
 */
final class EpcisResources {
  /** A resource: its path segment, the index field its values are, the query parameter. */
  private record Resource(String segment, String field, String parameter) {}

  private static final List<Resource> RESOURCES = List.of(
      new Resource("eventTypes", "eventType", "eventType"),
      new Resource("epcs", "anyEPC", "MATCH_anyEPC"),
      new Resource("bizSteps", "bizStep", "EQ_bizStep"),
      new Resource("bizLocations", "bizLocation", "EQ_bizLocation"),
      new Resource("readPoints", "readPoint", "EQ_readPoint"),
      new Resource("dispositions", "disposition", "EQ_disposition"));
  /** The top-level resources {@code GET /epcis} names. */
  static final List<String> TOP_LEVEL = List.of("capture", "events", "queries", "eventTypes",
      "epcs", "bizSteps", "bizLocations", "readPoints", "dispositions", "vocabularies");
  private static final int PER_PAGE_DEFAULT = 100;
  private static final int PER_PAGE_MAX = 1_000;

  private final TraceStore store;
  private final Function<Optional<Caller>, Viewer> viewers;
  private final BiFunction<EpcisQueryParameters.Parsed, Viewer, RestResponse> events;

  /**
   * @param viewers who a caller reads as
   * @param events answers a query as {@code GET /epcis/events} does
   */
  EpcisResources(TraceStore store, Function<Optional<Caller>, Viewer> viewers,
      BiFunction<EpcisQueryParameters.Parsed, Viewer, RestResponse> events) {
    this.store = store;
    this.viewers = viewers;
    this.events = events;
  }

  List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    routes.add(Route.get(EpcisService.ROOT, request -> collection(TOP_LEVEL, Map.of())));
    for (Resource resource : RESOURCES) {
      String base = EpcisService.ROOT + "/" + resource.segment();
      routes.add(Route.get(base, request -> list(request, resource)));
      routes.add(Route.get(base + "/{value}", request -> one(request, resource)));
      routes.add(Route.get(base + "/{value}/events", request -> events(request, resource)));
    }
    return routes;
  }

  /** The resources' paths, for the OpenAPI fragment. */
  static List<String> segments() {
    return RESOURCES.stream().map(Resource::segment).toList();
  }

  private RestResponse list(RestRequest request, Resource resource) {
    Viewer viewer = viewers.apply(request.caller());
    int perPage = (int) request.queryLong("perPage", PER_PAGE_DEFAULT, 1, PER_PAGE_MAX);
    for (String name : request.queryNames()) {
      if (!name.equals("perPage") && !name.equals("nextPageToken")) {
        throw Problem.invalidField(name, "a resource list takes perPage and nextPageToken"
            + " only; query its events at " + EpcisService.ROOT + "/" + resource.segment()
            + "/{value}/events");
      }
    }
    String after = request.query("nextPageToken").map(EpcisResources::afterValue).orElse(null);
    List<String> values;
    if (resource.field().equals("eventType")) {
      // The five standard types, whether or not events of each are stored yet.
      values = Arrays.stream(EpcisEvent.EventType.values()).map(Enum::name)
          .filter(type -> after == null || type.compareTo(after) > 0).limit(perPage + 1L)
          .toList();
    } else {
      values = store.values(resource.field(), after, viewer, perPage + 1);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (values.size() > perPage) {
      values = values.subList(0, perPage);
      headers.put("Link", "<" + EpcisService.ROOT + "/" + resource.segment() + "?perPage="
          + perPage + "&nextPageToken=" + URLEncoder.encode(token(values.getLast()),
              StandardCharsets.UTF_8) + ">; rel=\"next\"");
    }
    return collection(values, headers);
  }

  private RestResponse one(RestRequest request, Resource resource) {
    String value = value(request, resource);
    if (resource.field().equals("eventType") ? !isEventType(value)
        : store.eventsWith(resource.field(), value, viewers.apply(request.caller()), 1)
            .isEmpty()) {
      throw Problem.notFound("no event this node holds for you names " + resource.field() + " "
          + request.path("value") + " (GET " + EpcisService.ROOT + "/" + resource.segment()
          + " lists those that do)");
    }
    return collection(List.of("events"), Map.of());
  }

  private RestResponse events(RestRequest request, Resource resource) {
    if (request.queryNames().contains(resource.parameter())) {
      throw Problem.invalidField(resource.parameter(), "the path gives it already; send it in"
          + " one place only");
    }
    if (resource.field().equals("eventType") && !isEventType(request.path("value"))) {
      throw Problem.notFound("no event type " + request.path("value") + "; the types are "
          + String.join(", ", Arrays.stream(EpcisEvent.EventType.values()).map(Enum::name)
              .toList()));
    }
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String name : request.queryNames()) {
      parameters.put(name, request.queryAll(name));
    }
    parameters.put(resource.parameter(), List.of(request.path("value")));
    return events.apply(EpcisQueryParameters.parse(parameters),
        viewers.apply(request.caller()));
  }

  // A path value as the index holds it: identifiers canonical, vocabulary as Web URIs.
  private static String value(RestRequest request, Resource resource) {
    String raw = request.path("value");
    if (resource.field().equals("eventType")) {
      return raw;
    }
    Map<String, List<String>> parameters = Map.of(resource.parameter(), List.of(raw));
    return EpcisQueryParameters.parse(parameters).query().equals().get(resource.field())
        .getFirst();
  }

  private static boolean isEventType(String value) {
    return Arrays.stream(EpcisEvent.EventType.values()).anyMatch(t -> t.name().equals(value));
  }

  private static RestResponse collection(List<String> members, Map<String, String> headers) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("@context", EpcisService.CONTEXT);
    out.put("type", "Collection");
    ArrayNode list = out.putArray("member");
    members.forEach(list::add);
    return new RestResponse(200, out, headers);
  }

  // A resource list's page token: the last value it answered, so the next page starts after.
  private static String token(String lastValue) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        lastValue.getBytes(StandardCharsets.UTF_8));
  }

  private static String afterValue(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw Problem.invalidField("nextPageToken", "is not a token this node gave: send the"
          + " Link of the previous page as it is");
    }
  }
}
