package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.rpc.rest.Authenticator;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.rpc.rest.Route;
import io.chorus.rpc.rest.StreamRoute;
import io.chorus.trace.SubscriptionStore.NamedQuery;
import io.chorus.trace.SubscriptionStore.Progress;
import io.chorus.trace.SubscriptionStore.Subscription;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Named queries and their subscriptions, the GS1 EPCIS 2.0 REST binding's {@code
 * /epcis/queries} resources: a query is stored under its name (its parameters those of {@code
 * GET /epcis/events}, checked the same), run by {@code GET .../events}, and subscribed to by a
 * webhook ({@code POST .../subscriptions}) or a WebSocket on {@code .../events}; the {@link
 * SubscriptionDeliverer} delivers. See {@code docs/traceability.md}, "Subscriptions".
 */
final class EpcisSubscriptions implements AutoCloseable {
  /** Named queries a node keeps at most. */
  static final int QUERIES_MAX = 1_000;
  /** Webhook subscriptions a node keeps at most. */
  static final int SUBSCRIPTIONS_MAX = 1_000;
  /** The largest body of a query or subscription. */
  static final int BODY_BYTES_MAX = 64 * 1024;
  static final int NAME_CHARS_MAX = 64;
  static final int DEST_CHARS_MAX = 2_048;
  static final int TOKEN_CHARS_MAX = 1_024;
  /** Events counted at most for a subscription's lag. */
  static final int LAG_COUNT_MAX = 10_000;

  private static final String QUERIES = EpcisService.ROOT + "/queries";
  private static final ObjectMapper JSON = new ObjectMapper();
  // Parameters of a GET of the query's events, not of the query.
  private static final Set<String> PAGING = Set.of("perPage", "nextPageToken");
  // Parameters a delivery cannot follow: it goes in chain order, every event once.
  private static final Set<String> ORDERING = Set.of("orderBy", "orderDirection",
      "eventCountLimit");

  private final SubscriptionStore store;
  private final SubscribedEvents events;
  private final SubscriptionDeliverer deliverer;
  private final Clock clock;

  /**
   * Opens the store of queries and subscriptions in {@code directory} and starts delivering
   * each subscription from its acknowledged cursor.
   */
  EpcisSubscriptions(TraceStore eventStore, Path directory, Authenticator authenticator,
      Clock clock, SubscriptionDeliverer.Backoff backoff,
      Function<Optional<Caller>, Viewer> viewers) {
    this.store = new SubscriptionStore(directory);
    this.events = new SubscribedEvents(eventStore, clock, viewers);
    this.deliverer = new SubscriptionDeliverer(events, store, authenticator, clock, backoff);
    this.clock = clock;
    store.subscriptions().forEach((subscription, progress) -> store.query(
        subscription.queryName()).ifPresent(query -> deliverer.add(subscription,
            parse(query).query(), progress)));
  }

  List<Route> routes() {
    return List.of(
        Route.get(QUERIES, this::listQueries),
        new Route("POST", QUERIES, Optional.of(EpcisService.SUBSCRIBER), Route.Body.JSON,
            BODY_BYTES_MAX, this::createQuery),
        Route.get(QUERIES + "/{queryName}", this::getQuery),
        Route.delete(QUERIES + "/{queryName}", EpcisService.SUBSCRIBER, this::deleteQuery),
        Route.get(QUERIES + "/{queryName}/events", this::runQuery),
        Route.get(QUERIES + "/{queryName}/subscriptions", this::listSubscriptions)
            .withRole(EpcisService.SUBSCRIBER),
        new Route("POST", QUERIES + "/{queryName}/subscriptions",
            Optional.of(EpcisService.SUBSCRIBER), Route.Body.JSON, BODY_BYTES_MAX,
            this::subscribe),
        Route.get(QUERIES + "/{queryName}/subscriptions/{subscriptionID}",
            this::getSubscription).withRole(EpcisService.SUBSCRIBER),
        Route.delete(QUERIES + "/{queryName}/subscriptions/{subscriptionID}",
            EpcisService.SUBSCRIBER, this::unsubscribe));
  }

  List<StreamRoute> streams() {
    return List.of(new StreamRoute(QUERIES + "/{queryName}/events", EpcisService.SUBSCRIBER,
        this::openStream));
  }

  /** The indexer stored a block. */
  void onIndexed() {
    deliverer.onIndexed();
  }

  @Override
  public void close() {
    deliverer.close();
    store.close();
  }

  // ---- queries -------------------------------------------------------------------------------

  private RestResponse listQueries(RestRequest request) {
    ArrayNode list = JSON.createArrayNode();
    store.queries().forEach(query -> list.add(json(query)));
    return new RestResponse(200, list, Map.of());
  }

  private RestResponse getQuery(RestRequest request) {
    return new RestResponse(200, json(named(request)), Map.of());
  }

  private RestResponse createQuery(RestRequest request) {
    RestRequest.Fields fields = request.fields();
    String name = fields.text("name");
    if (!name.isEmpty() && !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0," + (NAME_CHARS_MAX - 1)
        + "}")) {
      fields.bad("name", "is 1 to " + NAME_CHARS_MAX + " letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit (it is a path segment), not '" + name + "'");
    }
    Optional<JsonNode> query = fields.optionalJson("query");
    if (query.isEmpty() || !query.get().isObject()) {
      fields.bad("query", "required: an object of GET /epcis/events parameters, e.g."
          + " {\"EQ_bizStep\": [\"shipping\"], \"eventType\": \"ObjectEvent\"}");
    }
    fields.check();
    NamedQuery named = new NamedQuery(name, (ObjectNode) query.get(),
        request.requireCaller().account(), clock.instant());
    Map<String, List<String>> parameters = parameters(named);
    for (String paging : PAGING) {
      if (parameters.containsKey(paging)) {
        throw Problem.invalidField("/query/" + paging, "pages belong to a GET of the query's"
            + " events (" + QUERIES + "/" + name + "/events?perPage=...), not to the query");
      }
    }
    try {
      EpcisQueryParameters.parse(parameters);
    } catch (Problem invalid) {
      throw Problem.invalid("the query is invalid: " + invalid.getMessage(), invalid.errors()
          .stream().map(e -> new Problem.FieldError("/query/" + e.field(), e.detail()))
          .toList());
    }
    synchronized (this) {
      if (store.query(name).isPresent()) {
        throw new Problem(409, "conflict", "Already exists", "a query named " + name
            + " exists; delete it first or choose another name");
      }
      if (store.queries().size() >= QUERIES_MAX) {
        throw new Problem(409, "too-many", "Too many", "this node keeps at most "
            + QUERIES_MAX + " named queries; delete some first");
      }
      store.putQuery(named);
    }
    return new RestResponse(201, json(named), Map.of("Location", QUERIES + "/" + name));
  }

  private RestResponse deleteQuery(RestRequest request) {
    synchronized (this) {
      NamedQuery named = named(request);
      owned(request, named.owner().equals(request.requireCaller().account()), "query "
          + named.name());
      long subscribed = store.subscriptions().keySet().stream()
          .filter(s -> s.queryName().equals(named.name())).count();
      if (subscribed > 0) {
        throw new Problem(409, "conflict", "In use", "query " + named.name() + " has "
            + subscribed + " subscription(s); delete them first");
      }
      store.deleteQuery(named.name());
    }
    return RestResponse.noContent();
  }

  /** A named query's events, a page at a time as {@code GET /epcis/events} pages them. */
  private RestResponse runQuery(RestRequest request) {
    NamedQuery named = named(request);
    Map<String, List<String>> parameters = parameters(named);
    for (String name : request.queryNames()) {
      if (!PAGING.contains(name)) {
        throw Problem.invalidField(name, "a named query's parameters are its own; here only"
            + " perPage and nextPageToken are taken (or a WebSocket's " + STREAM_PARAMETERS
            + " with an upgrade)");
      }
      parameters.put(name, request.queryAll(name));
    }
    EpcisQueryParameters.Parsed parsed = EpcisQueryParameters.parse(parameters);
    TraceQuery.Page page = events.readablePage(request.caller(), parsed.query());
    Map<String, String> headers = new LinkedHashMap<>();
    if (page.more()) {
      headers.put("Link", "<" + QUERIES + "/" + named.name() + "/events?perPage="
          + parsed.query().perPage() + "&nextPageToken=" + URLEncoder.encode(
              EpcisQueryParameters.token(page.next(), parsed.query().orderByEventTime()),
              StandardCharsets.UTF_8) + ">; rel=\"next\"");
    }
    return new RestResponse(200, events.document(named.name(), null, page.events(), null),
        headers);
  }

  // ---- subscriptions -------------------------------------------------------------------------

  private RestResponse subscribe(RestRequest request) {
    NamedQuery named = named(request);
    RestRequest.Fields fields = request.fields();
    URI dest = dest(fields);
    Optional<String> token = fields.optionalText("signatureToken");
    if (token.isPresent() && token.get().length() > TOKEN_CHARS_MAX) {
      fields.bad("signatureToken", "is at most " + TOKEN_CHARS_MAX + " characters");
    }
    boolean reportIfEmpty = fields.optionalBoolean("reportIfEmpty").orElse(false);
    Optional<Boolean> stream = fields.optionalBoolean("stream");
    Optional<JsonNode> scheduleField = fields.optionalJson("schedule");
    QuerySchedule schedule = null;
    if (scheduleField.isPresent() && stream.orElse(false)) {
      fields.bad("stream", "give stream (each new event as it comes) or schedule (the new"
          + " events at set times), not both");
    } else if (scheduleField.isPresent()) {
      try {
        schedule = QuerySchedule.parse(scheduleField.get(), "schedule");
      } catch (Problem invalid) {
        invalid.errors().forEach(e -> fields.bad(e.field(), e.detail()));
      }
    } else if (stream.isEmpty() || !stream.get()) {
      fields.bad("stream", "required: true (each new event is delivered as it is indexed),"
          + " or give a schedule instead, e.g. \"schedule\": {\"hour\": \"1\", \"minute\":"
          + " \"5\", \"second\": \"0\"} (UTC)");
    }
    Instant initial = fields.optionalText("initialRecordTime").map(text -> {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        fields.bad("initialRecordTime", "is a time with its zone, e.g. 2024-05-01T06:30:00Z,"
            + " not '" + text + "'");
        return null;
      }
    }).orElse(null);
    fields.check();
    TraceQuery query = deliverable(named);
    Caller caller = request.requireCaller();
    Subscription subscription;
    Progress progress;
    synchronized (this) {
      if (store.subscriptions().size() >= SUBSCRIPTIONS_MAX) {
        throw new Problem(409, "too-many", "Too many", "this node keeps at most "
            + SUBSCRIPTIONS_MAX + " subscriptions; delete some first");
      }
      subscription = new Subscription(UUID.randomUUID().toString(), named.name(), dest,
          token.orElse(null), reportIfEmpty, initial, clock.instant(), caller, schedule);
      progress = Progress.from(initial == null ? events.head() : events.cursorBefore(initial));
      store.put(subscription, progress);
    }
    deliverer.add(subscription, query, progress);
    return new RestResponse(201, json(subscription, progress, query), Map.of("Location",
        QUERIES + "/" + named.name() + "/subscriptions/" + subscription.id()));
  }

  private static URI dest(RestRequest.Fields fields) {
    String text = fields.text("dest");
    if (text.isEmpty()) {
      return null; // reported by check()
    }
    try {
      URI uri = new URI(text);
      if (text.length() <= DEST_CHARS_MAX && uri.getScheme() != null
          && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          && uri.getHost() != null && uri.getRawFragment() == null) {
        Optional<String> refused = WebhookDestinations.refusal(uri);
        if (refused.isEmpty()) {
          return uri;
        }
        fields.bad("dest", "is refused: " + refused.get());
        return null;
      }
    } catch (URISyntaxException e) {
      // answered below
    }
    fields.bad("dest", "is an absolute http or https URL of at most " + DEST_CHARS_MAX
        + " characters, without a fragment, e.g. https://receiver.example/epcis, not '"
        + (text.length() > 80 ? text.substring(0, 80) + "…" : text) + "'");
    return null;
  }

  private RestResponse listSubscriptions(RestRequest request) {
    NamedQuery named = named(request);
    ArrayNode list = JSON.createArrayNode();
    TraceQuery query = parse(named).query();
    store.subscriptions().forEach((subscription, stored) -> {
      if (subscription.queryName().equals(named.name())
          && subscription.caller().account().equals(request.requireCaller().account())) {
        list.add(json(subscription, deliverer.progress(subscription.id()).orElse(stored),
            query));
      }
    });
    return new RestResponse(200, list, Map.of());
  }

  private RestResponse getSubscription(RestRequest request) {
    Subscription subscription = subscription(request);
    Progress progress = deliverer.progress(subscription.id()).orElseGet(() ->
        store.subscriptions().get(subscription));
    return new RestResponse(200, json(subscription, progress,
        parse(named(request)).query()), Map.of());
  }

  private RestResponse unsubscribe(RestRequest request) {
    synchronized (this) {
      Subscription subscription = subscription(request);
      deliverer.remove(subscription.id());
      store.delete(subscription.id());
    }
    return RestResponse.noContent();
  }

  // The caller's own subscription the path names: another account's is not found.
  private Subscription subscription(RestRequest request) {
    NamedQuery named = named(request);
    String id = request.path("subscriptionID");
    return store.subscriptions().keySet().stream()
        .filter(s -> s.id().equals(id) && s.queryName().equals(named.name())
            && s.caller().account().equals(request.requireCaller().account()))
        .findFirst().orElseThrow(() -> Problem.notFound("query " + named.name() + " has no"
            + " subscription " + id + " of account " + request.requireCaller().account()));
  }

  // ---- the WebSocket -------------------------------------------------------------------------

  private static final Set<String> STREAM_PARAMETERS = Set.of("stream", "cursor",
      "initialRecordTime");

  private QueryStream openStream(RestRequest request) {
    NamedQuery named = named(request);
    for (String name : request.queryNames()) {
      if (!STREAM_PARAMETERS.contains(name)) {
        throw Problem.invalidField(name, "a query's WebSocket takes " + STREAM_PARAMETERS
            + "; the query's own parameters are fixed by POST " + QUERIES);
      }
    }
    if (!request.query("stream").equals(Optional.of("true"))) {
      throw Problem.invalidField("stream", "required: stream=true (each new event is sent;"
          + " a scheduled subscription is a webhook: POST " + QUERIES
          + "/{queryName}/subscriptions with a schedule)");
    }
    if (request.query("cursor").isPresent() && request.query("initialRecordTime")
        .isPresent()) {
      throw Problem.invalidField("cursor", "give cursor (to resume) or initialRecordTime (to"
          + " start from a time), not both");
    }
    long head = events.head();
    long cursor = request.query("cursor").isPresent()
        ? request.queryLong("cursor", head, -1, head)
        : request.query("initialRecordTime").map(text -> {
          try {
            return events.cursorBefore(OffsetDateTime.parse(text).toInstant());
          } catch (DateTimeParseException e) {
            throw Problem.invalidField("initialRecordTime", "is a time with its zone, e.g."
                + " 2024-05-01T06:30:00Z, not '" + text + "'");
          }
        }).orElse(head);
    return new QueryStream(deliverer, request.requireCaller(), named.name(),
        deliverable(named), cursor);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private NamedQuery named(RestRequest request) {
    String name = request.path("queryName");
    return store.query(name).orElseThrow(() -> Problem.notFound("no query named " + name
        + " (GET " + QUERIES + " lists them)"));
  }

  private static void owned(RestRequest request, boolean owned, String what) {
    if (!owned) {
      throw Problem.forbidden(what + " belongs to another account than "
          + request.requireCaller().account());
    }
  }

  // The query's parameters as a GET would send them: each value a list of strings.
  private static Map<String, List<String>> parameters(NamedQuery named) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : named.query().properties()) {
      List<String> values = new ArrayList<>();
      JsonNode value = field.getValue();
      for (JsonNode one : value.isArray() ? value : List.of(value)) {
        if (!one.isTextual() && !one.isIntegralNumber()) {
          throw Problem.invalidField("/query/" + field.getKey(), "is a string, a whole number"
              + " or an array of them, not " + one);
        }
        values.add(one.asText());
      }
      out.put(field.getKey(), values);
    }
    return out;
  }

  private static EpcisQueryParameters.Parsed parse(NamedQuery named) {
    return EpcisQueryParameters.parse(parameters(named));
  }

  // The query a subscription follows: one without an order or count of its own.
  private static TraceQuery deliverable(NamedQuery named) {
    for (String name : ORDERING) {
      if (named.query().has(name)) {
        throw Problem.invalidField(name, "query " + named.name() + " sets " + name + ", but"
            + " a subscription delivers every new event once, in chain order; subscribe to a"
            + " query without it");
      }
    }
    return parse(named).query();
  }

  private static ObjectNode json(NamedQuery query) {
    ObjectNode out = JSON.createObjectNode().put("name", query.name());
    out.set("query", query.query());
    return out.put("owner", query.owner().toString())
        .put("createdAt", query.createdAt().toString());
  }

  private ObjectNode json(Subscription subscription, Progress progress, TraceQuery query) {
    ObjectNode out = JSON.createObjectNode().put("subscriptionID", subscription.id())
        .put("queryName", subscription.queryName()).put("dest", subscription.dest().toString());
    if (subscription.schedule() == null) {
      out.put("stream", true);
    } else {
      out.set("schedule", subscription.schedule().json());
      out.put("nextRunAt", deliverer.nextRun(subscription.id()).map(Instant::toString)
          .orElse(null));
    }
    out.put("reportIfEmpty", subscription.reportIfEmpty())
        .put("signed", subscription.signatureToken() != null)
        .put("createdAt", subscription.createdAt().toString());
    if (subscription.initialRecordTime() != null) {
      out.put("initialRecordTime", subscription.initialRecordTime().toString());
    }
    int lag = events.readableEvents(subscription.caller(), query, progress.cursor(),
        LAG_COUNT_MAX).size();
    out.put("lastNotifiedAt", string(progress.lastNotifiedAt()))
        .put("cursor", progress.cursor()).put("lag", lag)
        .put("delivered", progress.delivered()).put("attempts", progress.attempts())
        .put("lastError", progress.lastError())
        .put("lastAttemptAt", string(progress.lastAttemptAt()))
        .put("nextAttemptAt", string(progress.nextAttemptAt()));
    return out;
  }

  private static String string(Instant time) {
    return time == null ? null : time.toString();
  }
}
