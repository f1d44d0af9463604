package io.chorus.rpc.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Assembles the node's OpenAPI 3.1 document from the services' fragments, and refuses a
 * fragment that does not describe exactly its service's routes. What every operation shares —
 * the bearer security requirement of routes with a role, the problem responses, path parameters
 * the fragment left undeclared — is added here, so the document says what {@link RestApi}
 * does.
 */
final class OpenApiDocument {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> OPERATIONS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final String PROBLEM_SCHEMA = "Problem";
  private static final String PROBLEM_RESPONSE = "Problem";

  private OpenApiDocument() {}

  static ObjectNode assemble(List<RestService> services, String version) {
    ObjectNode doc = NODES.objectNode();
    doc.put("openapi", "3.1.0");
    doc.putObject("info")
        .put("title", "Chorus node API")
        .put("version", version)
        .put("description", "The REST services of a Chorus node. Reads are public; every write"
            + " needs an API token (issued with 'chorus token issue') sent as 'Authorization:"
            + " Bearer <token>', holding the role the operation names. Errors are RFC 9457"
            + " problem details (application/problem+json).");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode components = doc.putObject("components");
    components.putObject("securitySchemes").putObject(RestApi.SECURITY_SCHEME)
        .put("type", "http").put("scheme", "bearer")
        .put("description", "An API token bound to an account and roles: 'chorus token issue"
            + " --dir NODE_DIR --account 0x... --role ROLE'");
    components.putObject("schemas").set(PROBLEM_SCHEMA, problemSchema());
    components.putObject("responses").putObject(PROBLEM_RESPONSE)
        .put("description", "A problem (RFC 9457): what went wrong and what to fix")
        .putObject("content").putObject(Problem.CONTENT_TYPE).putObject("schema")
        .put("$ref", "#/components/schemas/" + PROBLEM_SCHEMA);
    ObjectNode self = paths.putObject(RestApi.OPENAPI_PATH).putObject("get");
    self.put("operationId", "openApi").put("summary", "This document");
    self.putObject("responses").putObject("200").put("description", "The OpenAPI document")
        .putObject("content").putObject("application/json").putObject("schema")
        .put("type", "object");
    for (RestService service : services) {
      add(service, paths, components);
    }
    return doc;
  }

  private static void add(RestService service, ObjectNode paths, ObjectNode components) {
    ObjectNode fragment = service.openApi();
    JsonNode fragmentPaths = fragment.path("paths");
    Map<String, Map<String, Route>> routes = new LinkedHashMap<>();
    for (Route route : service.routes()) {
      routes.computeIfAbsent(route.path(), p -> new LinkedHashMap<>())
          .put(route.method().toLowerCase(Locale.ROOT), route);
    }
    for (Iterator<String> it = fragmentPaths.fieldNames(); it.hasNext(); ) {
      String path = it.next();
      Map<String, Route> methods = routes.get(path);
      for (Iterator<String> keys = fragmentPaths.get(path).fieldNames(); keys.hasNext(); ) {
        String key = keys.next();
        if (OPERATIONS.contains(key) && (methods == null || !methods.containsKey(key))) {
          throw new IllegalArgumentException("service " + service.name() + "'s OpenAPI fragment"
              + " describes " + key.toUpperCase(Locale.ROOT) + " " + path + ", which it has no"
              + " route for");
        }
      }
    }
    routes.forEach((path, methods) -> {
      JsonNode described = fragmentPaths.get(path);
      if (!(described instanceof ObjectNode)) {
        throw new IllegalArgumentException("service " + service.name() + "'s OpenAPI fragment"
            + " has no path item for " + path);
      }
      ObjectNode item = ((ObjectNode) described).deepCopy();
      methods.forEach((method, route) -> {
        if (!(item.get(method) instanceof ObjectNode operation)) {
          throw new IllegalArgumentException("service " + service.name() + "'s OpenAPI"
              + " fragment does not describe " + route.name());
        }
        complete(operation, route);
      });
      declarePathParameters(item, methods.values().iterator().next());
      if (paths.has(path)) {
        throw new IllegalArgumentException("two services describe " + path);
      }
      paths.set(path, item);
    });
    JsonNode parts = fragment.path("components");
    for (Map.Entry<String, JsonNode> section : parts.properties()) {
      ObjectNode into = components.has(section.getKey())
          ? (ObjectNode) components.get(section.getKey())
          : components.putObject(section.getKey());
      for (Map.Entry<String, JsonNode> component : section.getValue().properties()) {
        if (into.has(component.getKey())) {
          throw new IllegalArgumentException("service " + service.name() + " names a component"
              + " " + section.getKey() + "/" + component.getKey() + " that is already taken;"
              + " prefix it with the service's name");
        }
        into.set(component.getKey(), component.getValue().deepCopy());
      }
    }
  }

  // The security requirement and problem responses the route's checks can answer.
  private static void complete(ObjectNode operation, Route route) {
    ObjectNode responses = operation.has("responses")
        ? (ObjectNode) operation.get("responses") : operation.putObject("responses");
    if (route.role().isPresent()) {
      if (!operation.has("security")) {
        operation.putArray("security").addObject().putArray(RestApi.SECURITY_SCHEME)
            .add(route.role().get());
      }
      problem(responses, "401");
      problem(responses, "403");
    }
    if (route.body() != Route.Body.NONE) {
      problem(responses, "413");
      problem(responses, "415");
    }
    problem(responses, "400");
    problem(responses, "404");
  }

  private static void problem(ObjectNode responses, String status) {
    if (!responses.has(status)) {
      responses.putObject(status).put("$ref", "#/components/responses/" + PROBLEM_RESPONSE);
    }
  }

  // Each {name} of the template declared as a required path parameter unless the fragment did.
  private static void declarePathParameters(ObjectNode item, Route route) {
    for (String name : route.parameters()) {
      if (declares(item.get("parameters"), name)) {
        continue;
      }
      boolean everyOperation = true;
      for (String method : OPERATIONS) {
        if (item.has(method) && !declares(item.get(method).get("parameters"), name)) {
          everyOperation = false;
        }
      }
      if (!everyOperation) {
        ArrayNode list = item.has("parameters") ? (ArrayNode) item.get("parameters")
            : item.putArray("parameters");
        list.addObject().put("name", name).put("in", "path").put("required", true)
            .putObject("schema").put("type", "string");
      }
    }
  }

  private static boolean declares(JsonNode parameters, String name) {
    if (parameters == null) {
      return false;
    }
    for (JsonNode parameter : parameters) {
      if (parameter.has("$ref") || (name.equals(parameter.path("name").asText())
          && "path".equals(parameter.path("in").asText()))) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode problemSchema() {
    ObjectNode schema = NODES.objectNode().put("type", "object")
        .put("description", "RFC 9457 problem details");
    schema.putArray("required").add("type").add("title").add("status").add("detail");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("type").put("type", "string").put("format", "uri")
        .put("description", "urn:chorus:problem:<kind>, the same for every problem of a kind");
    properties.putObject("title").put("type", "string");
    properties.putObject("status").put("type", "integer");
    properties.putObject("detail").put("type", "string")
        .put("description", "what went wrong with this request and what to do about it");
    ObjectNode error = properties.putObject("errors").put("type", "array")
        .put("description", "one entry per bad field").putObject("items")
        .put("type", "object");
    error.putArray("required").add("field").add("detail");
    error.putObject("properties").<ObjectNode>set("field", NODES.objectNode()
        .put("type", "string").put("description", "a JSON pointer into the body, or a"
            + " parameter's name"))
        .set("detail", NODES.objectNode().put("type", "string"));
    return schema;
  }
}
