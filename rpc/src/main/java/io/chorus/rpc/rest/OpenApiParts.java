package io.chorus.rpc.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The pieces every service's OpenAPI fragment is written with ({@link RestService#openApi}):
 * an operation, a JSON request body, a JSON response and a problem response, each pointing at
 * the service's schemas under {@value #SCHEMAS}.
 */
public final class OpenApiParts {
  /** Where a fragment's schemas live; a {@code $ref} is this and the schema's name. */
  public static final String SCHEMAS = "#/components/schemas/";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private OpenApiParts() {}

  /**
   * Adds operation {@code method} (lower case, e.g. {@code post}) to {@code path}, keeping the
   * path's other operations; {@code description} may be null.
   */
  public static ObjectNode operation(ObjectNode paths, String path, String method, String id,
      String summary, String description) {
    ObjectNode item = paths.has(path) ? (ObjectNode) paths.get(path) : paths.putObject(path);
    ObjectNode operation = item.putObject(method).put("operationId", id)
        .put("summary", summary);
    if (description != null) {
      operation.put("description", description);
    }
    return operation;
  }

  /** A required JSON request body of the service's schema {@code schema}. */
  public static void jsonBody(ObjectNode operation, String schema) {
    operation.putObject("requestBody").put("required", true).putObject("content")
        .putObject("application/json").putObject("schema").put("$ref", SCHEMAS + schema);
  }

  /** A JSON response of the service's schema {@code schema}. */
  public static ObjectNode json(String description, String schema) {
    ObjectNode response = NODES.objectNode().put("description", description);
    response.putObject("content").putObject("application/json").putObject("schema")
        .put("$ref", SCHEMAS + schema);
    return response;
  }

  /** An {@code application/problem+json} answer with this status. */
  public static void problem(ObjectNode responses, String status) {
    responses.putObject(status).put("$ref", "#/components/responses/Problem");
  }
}
