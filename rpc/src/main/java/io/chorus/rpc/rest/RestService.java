package io.chorus.rpc.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * One service's part of the node's REST API: its routes under {@code /api/v1/<name>/} (or under
 * a {@link #root} of its own, for a binding a standard places, such as GS1 EPCIS's
 * {@code /epcis}) and the OpenAPI 3.1 fragment that describes them. {@link RestApi} refuses a
 * service whose fragment and routes disagree, so the served document lists exactly the routes
 * that exist.
 */
public interface RestService {
  /** The path segment after {@code /api/v1/}: lower-case letters, digits and '-'. */
  String name();

  /** The routes, each under {@link #root}. */
  List<Route> routes();

  /**
   * The WebSockets the service serves on paths of its GET routes (e.g. a query's live events);
   * none by default.
   */
  default List<StreamRoute> streams() {
    return List.of();
  }

  /**
   * Where the service's routes lie: {@code /api/v1/<name>}, or one segment of its own
   * ({@code /epcis}) when a standard fixes the paths its clients call. Such a root takes the
   * same authentication, problem answers and OpenAPI document as every other route.
   */
  default String root() {
    return RestApi.PREFIX + name();
  }

  /**
   * The OpenAPI fragment: {@code paths} with one operation per route (keyed by the route's
   * template and lower-case method), and optionally {@code components} (schemas, parameters,
   * responses, ...) whose names the other services do not use (prefix them with the service's
   * name). {@link RestApi} adds the bearer security requirement and the problem responses to
   * each operation that lacks them.
   */
  ObjectNode openApi();

  /**
   * Headers every answer under this service's root carries, refusals and {@code OPTIONS}
   * included: a standard's version headers ({@code GS1-EPCIS-Version}), so a client learns
   * them from any answer.
   */
  default Map<String, String> headers() {
    return Map.of();
  }

  /**
   * What an {@code OPTIONS} request on one of this service's route templates answers besides
   * {@code Allow} and {@link #headers}: a standard's discovery headers (the capture limits on
   * {@code /epcis/capture}).
   *
   * @param path the route template ({@code /epcis/capture})
   */
  default Map<String, String> discovery(String path) {
    return Map.of();
  }
}
