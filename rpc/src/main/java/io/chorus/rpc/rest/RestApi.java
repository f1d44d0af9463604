package io.chorus.rpc.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.rpc.JsonRpc;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The node's REST API under {@code /api/v1/}: the routes of every registered {@link
 * RestService}, and the OpenAPI 3.1 document assembled from their fragments at {@value
 * #OPENAPI_PATH}. Transport-free apart from Netty's request type: {@link
 * io.chorus.rpc.RpcServer} hands each {@code /api/} request to {@link #handle} on a worker.
 *
 * <p>A request goes through, in order: route matching (404 problem; 405 with {@code Allow}),
 * authentication of its {@code Authorization} header (401 with {@code WWW-Authenticate}; every
 * method but GET needs a caller), the route's role (403, the same whatever the path's
 * parameters name, so it reveals no resource's existence), the body's size (413), media type
 * (415) and parse (400), then the handler. Every refusal is a problem+json body, counted by
 * the {@link RestObserver}, and every request is timed under its route's template.
 */
public final class RestApi {
  /** Where every REST route lives. */
  public static final String PREFIX = "/api/v1/";
  /** The OpenAPI document's path. */
  public static final String OPENAPI_PATH = "/api/v1/openapi.json";
  /** The largest JSON body a route takes by default. */
  public static final int JSON_BYTES_MAX = 1024 * 1024;
  /**
   * The largest body any route takes: the server's request bound, so that a body is held once,
   * aggregated, and bounded before a worker sees it.
   */
  public static final int BODY_BYTES_MAX = JsonRpc.REQUEST_BYTES_MAX;
  /** The name of the bearer security scheme in the OpenAPI document. */
  public static final String SECURITY_SCHEME = "bearerToken";

  /** An answer to send: status, content type, body and extra headers. */
  public record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
    public Answer {
      headers = Map.copyOf(headers);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final System.Logger LOG = System.getLogger(RestApi.class.getName());

  /** An API with no services: only the OpenAPI document. */
  public static final RestApi NONE = new RestApi(List.of(), Authenticator.NONE,
      RestObserver.NONE, "dev");

  private final List<Template> templates;
  private final List<Stream> streams;
  private final Set<String> roots;
  private final Map<String, RestService> rootServices;
  private final Authenticator authenticator;
  private final RestObserver observer;
  private final byte[] openApi;
  private final ObjectNode openApiJson;

  // One path template and its routes by method; literal segments before parameters.
  private record Template(List<String> segments, Map<String, Route> byMethod,
      RestService service) {
    String allow() {
      return String.join(", ", byMethod.keySet());
    }

    String path() {
      return byMethod.values().iterator().next().path();
    }
  }

  // A WebSocket route, with the GET route of its path (holding the stream's role) that its
  // requests are read as.
  private record Stream(List<String> segments, StreamRoute route, Route get) {}

  /** What to do with a WebSocket upgrade request: answer it over HTTP, or upgrade. */
  public sealed interface Upgrade {
    /** Refused: send this answer (a problem) and do not upgrade. */
    record Refused(Answer answer) implements Upgrade {}

    /** Upgrade the connection to this stream. */
    record Accepted(RestStream stream) implements Upgrade {}
  }

  /**
   * @param services the services; their names and routes must not overlap
   * @param authenticator resolves credentials to callers
   * @param observer sees each request and refusal
   * @param version the node's version, for the document's {@code info}
   * @throws IllegalArgumentException when a service's routes and fragment disagree or two
   *     services collide, naming what to fix
   */
  public RestApi(List<RestService> services, Authenticator authenticator, RestObserver observer,
      String version) {
    this.authenticator = authenticator;
    this.observer = observer;
    Map<String, Template> byPath = new LinkedHashMap<>();
    Set<String> names = new LinkedHashSet<>();
    Set<String> ownRoots = new LinkedHashSet<>();
    List<Stream> streamList = new ArrayList<>();
    for (RestService service : services) {
      if (!service.name().matches("[a-z0-9-]+") || !names.add(service.name())) {
        throw new IllegalArgumentException("a service name is lower-case letters, digits and"
            + " '-', used once: " + service.name());
      }
      String base = service.root();
      if (!base.equals(PREFIX + service.name())) {
        if (!base.matches("/[a-z0-9-]+") || base.equals("/api") || base.equals("/ws")
            || !ownRoots.add(base)) {
          throw new IllegalArgumentException("service " + service.name() + "'s root is "
              + PREFIX + service.name() + " or one segment of lower-case letters, digits and"
              + " '-' that no other service takes and that is not /api or /ws: " + base);
        }
      }
      Set<String> ownGets = new LinkedHashSet<>();
      for (Route route : service.routes()) {
        if (route.method().equals("GET")) {
          ownGets.add(route.path());
        }
        if (!route.path().equals(base) && !route.path().startsWith(base + "/")) {
          throw new IllegalArgumentException("service " + service.name() + "'s route "
              + route.name() + " must lie under " + base);
        }
        Template template = byPath.computeIfAbsent(route.path(),
            p -> new Template(Route.segments(p), new LinkedHashMap<>(), service));
        if (template.byMethod().putIfAbsent(route.method(), route) != null) {
          throw new IllegalArgumentException("two routes " + route.name());
        }
      }
      for (StreamRoute stream : service.streams()) {
        Template template = byPath.get(stream.path());
        Route get = template == null ? null : template.byMethod().get("GET");
        if (get == null || !ownGets.contains(stream.path())) {
          throw new IllegalArgumentException("service " + service.name() + "'s WebSocket on "
              + stream.path() + " needs a GET route of its own on that path (its OpenAPI"
              + " operation documents both)");
        }
        streamList.add(new Stream(template.segments(), stream, get.withRole(stream.role())));
      }
    }
    List<Template> sorted = new ArrayList<>(byPath.values());
    // A literal segment is more specific than a parameter at the same place:
    // /records/count before /records/{id}.
    sorted.sort(Comparator.comparing(t -> specificity(t.segments())));
    this.templates = List.copyOf(sorted);
    streamList.sort(Comparator.comparing(t -> specificity(t.segments())));
    this.streams = List.copyOf(streamList);
    this.roots = Set.copyOf(ownRoots);
    Map<String, RestService> byRoot = new LinkedHashMap<>();
    services.forEach(service -> byRoot.put(service.root(), service));
    this.rootServices = Map.copyOf(byRoot);
    this.openApiJson = OpenApiDocument.assemble(services, version);
    try {
      this.openApi = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(openApiJson);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the OpenAPI document", e);
    }
  }

  private static String specificity(List<String> segments) {
    StringBuilder key = new StringBuilder();
    for (String segment : segments) {
      key.append(Route.isParameter(segment) ? '1' : '0');
    }
    return key.toString();
  }

  /** The assembled OpenAPI document (a copy). */
  public ObjectNode openApi() {
    return openApiJson.deepCopy();
  }

  /** Whether a request path lies under {@code /api}, which is always this API's. */
  public static boolean owns(String path) {
    return path.equals("/api") || path.startsWith("/api/");
  }

  /**
   * Whether a request path belongs to this API rather than to JSON-RPC, the site or a plain
   * route: under {@code /api}, or under a root a service declared ({@link RestService#root}).
   */
  public boolean serves(String path) {
    if (owns(path)) {
      return true;
    }
    for (String root : roots) {
      if (path.equals(root) || path.startsWith(root + "/")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Answers one request; never throws. Runs on a worker thread: the authenticator and the
   * handler may block.
   */
  public Answer handle(FullHttpRequest request) {
    return handle(request, null);
  }

  /**
   * Answers one request that came from {@code client} (null when unknown); never throws. Runs
   * on a worker thread: the authenticator and the handler may block.
   */
  public Answer handle(FullHttpRequest request, InetAddress client) {
    long start = System.nanoTime();
    String routeName = RestObserver.UNMATCHED;
    Answer answer;
    try {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      String method = request.method().name();
      if (uri.path().equals(OPENAPI_PATH)) {
        routeName = "GET " + OPENAPI_PATH;
        if (!method.equals("GET")) {
          throw Problem.methodNotAllowed(method + " is not supported on " + OPENAPI_PATH
              + "; allowed: GET", "GET");
        }
        answer = new Answer(200, "application/json", openApi, Map.of());
      } else if (method.equals("OPTIONS")) {
        Template template = template(uri.rawPath(), new HashMap<>());
        routeName = "OPTIONS " + template.path();
        Map<String, String> headers = new LinkedHashMap<>(template.service().discovery(
            template.path()));
        headers.put("Allow", "OPTIONS, " + template.allow());
        answer = new Answer(204, null, new byte[0], headers);
      } else {
        Map<String, String> parameters = new HashMap<>();
        // The raw path, each segment decoded once: an id may hold an encoded '/' or '%'.
        Route route = match(method, uri.rawPath(), parameters);
        routeName = route.name();
        answer = answer(route, request, parameters, uri.parameters(),
            Optional.ofNullable(client));
      }
    } catch (Problem problem) {
      observer.onRefusal(problem.kind());
      answer = problem(problem);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "REST route " + routeName + " failed", e);
      answer = problem(new Problem(500, "internal-error", "Internal error",
          "the node failed to answer (" + e.getClass().getSimpleName() + "); its log says why"));
    }
    observer.onCall(routeName, System.nanoTime() - start, answer.status());
    return withServiceHeaders(request.uri(), answer);
  }

  // The headers of the service whose root the path lies under, on any answer of it.
  private Answer withServiceHeaders(String uri, Answer answer) {
    String path = new QueryStringDecoder(uri).path();
    for (Map.Entry<String, RestService> root : rootServices.entrySet()) {
      if (path.equals(root.getKey()) || path.startsWith(root.getKey() + "/")) {
        Map<String, String> headers = root.getValue().headers();
        if (headers.isEmpty()) {
          return answer;
        }
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(answer.headers());
        return new Answer(answer.status(), answer.contentType(), answer.body(), all);
      }
    }
    return answer;
  }

  /** The answer to a body over the server's bound, refused before it reached a worker. */
  public Answer tooLarge() {
    observer.onRefusal("too-large");
    Answer answer = problem(Problem.tooLarge(BODY_BYTES_MAX));
    observer.onCall(RestObserver.UNMATCHED, 0, answer.status());
    return answer;
  }

  /**
   * Decides a {@code GET} with {@code Upgrade: websocket} on a path this API serves: the {@link
   * StreamRoute} its path matches, its caller authenticated and holding the role, and the
   * stream its opener builds; or the problem to answer instead. Never throws; runs on a worker.
   */
  public Upgrade upgrade(FullHttpRequest request) {
    long start = System.nanoTime();
    String routeName = RestObserver.UNMATCHED;
    Upgrade upgrade;
    try {
      QueryStringDecoder uri = new QueryStringDecoder(request.uri());
      Map<String, String> parameters = new HashMap<>();
      Stream stream = null;
      for (Stream candidate : streams) {
        if (matches(candidate.segments(), uri.rawPath().substring(1).split("/", -1),
            parameters)) {
          stream = candidate;
          break;
        }
        parameters.clear();
      }
      if (stream == null) {
        throw Problem.invalidField("Upgrade", "no WebSocket is served on " + uri.path()
            + "; send the request without 'Upgrade: websocket'");
      }
      routeName = stream.get().name() + " (WebSocket)";
      Optional<Caller> caller = authorize(stream.get(), request);
      upgrade = new Upgrade.Accepted(stream.route().opener().open(new RestRequest(stream.get(),
          parameters, uri.parameters(), caller, null, List.of(), null,
          name -> request.headers().get(name), Optional.empty())));
    } catch (Problem problem) {
      observer.onRefusal(problem.kind());
      upgrade = new Upgrade.Refused(problem(problem));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "REST WebSocket " + routeName + " failed", e);
      upgrade = new Upgrade.Refused(problem(new Problem(500, "internal-error",
          "Internal error", "the node failed to open the WebSocket ("
              + e.getClass().getSimpleName() + "); its log says why")));
    }
    observer.onCall(routeName, System.nanoTime() - start,
        upgrade instanceof Upgrade.Refused refused ? refused.answer().status() : 101);
    return upgrade;
  }

  private Route match(String method, String path, Map<String, String> parameters) {
    Template template = template(path, parameters);
    Route route = template.byMethod().get(method);
    if (route == null) {
      throw Problem.methodNotAllowed(method + " is not supported on this path; allowed: "
          + template.allow(), template.allow());
    }
    return route;
  }

  // The template a path matches, its parameters put in parameters.
  private Template template(String path, Map<String, String> parameters) {
    if (!path.startsWith(PREFIX) && !serves(path)) {
      throw Problem.notFound("no such path: " + path + "; the REST API lives under " + PREFIX
          + " (routes in " + OPENAPI_PATH + ")");
    }
    String[] segments = path.substring(1).split("/", -1);
    for (Template template : templates) {
      if (matches(template.segments(), segments, parameters)) {
        return template;
      }
      parameters.clear();
    }
    throw Problem.notFound("no route matches " + path + " (routes in " + OPENAPI_PATH + ")");
  }

  private static boolean matches(List<String> template, String[] segments,
      Map<String, String> parameters) {
    if (template.size() != segments.length) {
      return false;
    }
    for (int i = 0; i < segments.length; i++) {
      String want = template.get(i);
      String value = decodeSegment(segments[i]);
      if (Route.isParameter(want)) {
        if (value.isEmpty()) {
          return false;
        }
        parameters.put(want.substring(1, want.length() - 1), value);
      } else if (!want.equals(value)) {
        return false;
      }
    }
    return true;
  }

  // Percent-decoding of one path segment; '+' is itself in a path (RFC 3986), not a space.
  private static String decodeSegment(String raw) {
    try {
      return QueryStringDecoder.decodeComponent(raw.replace("+", "%2B"));
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("the path segment '" + raw + "' is not valid percent-encoding",
          List.of(new Problem.FieldError("", "malformed percent-encoding in '" + raw + "'")));
    }
  }

  private Answer answer(Route route, FullHttpRequest request, Map<String, String> parameters,
      Map<String, List<String>> query, Optional<InetAddress> client) {
    Optional<Caller> caller = authorize(route, request);
    int bytes = request.content().readableBytes();
    if (bytes > route.bodyBytesMax() && route.body() != Route.Body.NONE) {
      throw Problem.tooLarge(route.bodyBytesMax());
    }
    JsonNode body = null;
    List<RestRequest.Part> parts = List.of();
    byte[] document = null;
    switch (route.body()) {
      case NONE -> {
        if (bytes > 0) {
          throw Problem.invalid(route.name() + " takes no body; send none",
              List.of(new Problem.FieldError("", "unexpected body of " + bytes + " bytes")));
        }
      }
      case JSON -> body = json(request);
      case MULTIPART -> parts = multipart(request);
      case DOCUMENT -> document = document(request);
    }
    RestResponse response = route.handler().handle(new RestRequest(route, parameters, query,
        caller, body, parts, document, name -> request.headers().get(name), client));
    if (response.bytes() != null) {
      return new Answer(response.status(), response.contentType(), response.bytes(),
          response.headers());
    }
    byte[] out = response.body() == null ? new byte[0] : write(response.body());
    return new Answer(response.status(), response.body() == null ? null : "application/json",
        out, response.headers());
  }

  // The request's caller, which the route's role (if any) requires.
  private Optional<Caller> authorize(Route route, FullHttpRequest request) {
    Optional<Caller> caller = authenticator.authenticate(
        request.headers().get(HttpHeaderNames.AUTHORIZATION));
    if (route.role().isPresent()) {
      String role = route.role().get();
      if (caller.isEmpty()) {
        throw Problem.unauthorized(route.method() + " needs an API token with role " + role
            + ": send 'Authorization: Bearer <token>' (issue one with 'chorus token issue')",
            false);
      }
      if (!caller.get().hasRole(role)) {
        throw Problem.forbidden("the credentials (" + caller.get().credential() + ") lack role "
            + role + ", which " + route.name() + " needs");
      }
    }
    return caller;
  }

  private static JsonNode json(FullHttpRequest request) {
    String type = mimeType(request);
    if (!"application/json".equals(type)) {
      throw Problem.unsupportedMediaType(type, "application/json");
    }
    if (request.content().readableBytes() == 0) {
      throw Problem.invalid("the body is empty; send a JSON object",
          List.of(new Problem.FieldError("", "required: a JSON object")));
    }
    try (ByteBufInputStream in = new ByteBufInputStream(request.content().duplicate())) {
      JsonNode parsed = JSON.readTree(in);
      if (parsed == null || parsed.isMissingNode()) {
        throw new IOException("no JSON value");
      }
      return parsed;
    } catch (IOException e) {
      String reason = e instanceof JsonProcessingException json ? json.getOriginalMessage()
          : e.getMessage();
      throw Problem.invalid("the body is not valid JSON: " + reason,
          List.of(new Problem.FieldError("", "not valid JSON: " + reason)));
    }
  }

  private static byte[] document(FullHttpRequest request) {
    String type = mimeType(request);
    if (!"application/json".equals(type) && !"application/ld+json".equals(type)) {
      throw Problem.unsupportedMediaType(type, "application/json or application/ld+json");
    }
    byte[] bytes = new byte[request.content().readableBytes()];
    request.content().getBytes(request.content().readerIndex(), bytes);
    return bytes;
  }

  private static List<RestRequest.Part> multipart(FullHttpRequest request) {
    String type = mimeType(request);
    if (!"multipart/form-data".equals(type)) {
      throw Problem.unsupportedMediaType(type, "multipart/form-data");
    }
    // In memory only: the body is already whole and bounded; nothing goes to disk.
    HttpPostRequestDecoder decoder;
    try {
      decoder = new HttpPostRequestDecoder(new DefaultHttpDataFactory(false), request,
          StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      throw unreadableMultipart(e);
    }
    try {
      List<RestRequest.Part> parts = new ArrayList<>();
      for (Iterator<InterfaceHttpData> it = decoder.getBodyHttpDatas().iterator();
          it.hasNext(); ) {
        InterfaceHttpData data = it.next();
        if (data instanceof FileUpload file) {
          parts.add(new RestRequest.Part(file.getName(), Optional.of(file.getFilename()),
              file.getContentType(), file.get()));
        } else if (data instanceof Attribute field) {
          parts.add(new RestRequest.Part(field.getName(), Optional.empty(),
              "text/plain; charset=utf-8", field.get()));
        }
      }
      return parts;
    } catch (IOException | RuntimeException e) {
      throw unreadableMultipart(e);
    } finally {
      decoder.destroy();
    }
  }

  // Netty's decoder reports some malformed bodies with its own exception and others with
  // whatever its parsing trips on (an attribute without '=' in Content-Disposition throws
  // ArrayIndexOutOfBoundsException, found by RestBodyFuzzTest): all of them are the client's.
  private static Problem unreadableMultipart(Exception e) {
    return Problem.invalid("the multipart body cannot be read: " + e.getMessage(),
        List.of(new Problem.FieldError("", "malformed multipart/form-data")));
  }

  private static String mimeType(FullHttpRequest request) {
    CharSequence mime = HttpUtil.getMimeType(request);
    return mime == null ? null : mime.toString().trim().toLowerCase(Locale.ROOT);
  }

  private static Answer problem(Problem problem) {
    return new Answer(problem.status(), Problem.CONTENT_TYPE, write(problem.toJson()),
        problem.headers());
  }

  private static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON answer", e);
    }
  }

  /** The routes, for tests and the document check: {@code METHOD /template}. */
  public List<String> routeNames() {
    List<String> out = new ArrayList<>();
    for (Template template : templates) {
      for (Route route : template.byMethod().values()) {
        out.add(route.name());
      }
    }
    return out;
  }
}
