package io.chorus.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The OpenAPI fragment of the GS1 Digital Link resolver: one GET per path length. */
final class ResolverOpenApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private ResolverOpenApi() {}

  static ObjectNode fragment() {
    ObjectNode doc = NODES.objectNode();
    ObjectNode paths = doc.putObject("paths");
    int n = 0;
    for (String template : DigitalLinkResolver.TEMPLATES) {
      ObjectNode op = paths.putObject(template).putObject("get")
          .put("operationId", "resolveDigitalLink" + n++)
          .put("summary", "Resolves a GS1 Digital Link (/01/{gtin}, then /22/, /10/, /21/ in"
              + " that order): a browser is redirected to the product page, a linkset or a"
              + " product with its events and scan verdict is answered");
      op.putArray("tags").add("resolver");
      ArrayNode parameters = op.putArray("parameters");
      for (String name : new String[] {"linkType", "scan", "place"}) {
        parameters.addObject().put("name", name).put("in", "query").putObject("schema")
            .put("type", "string");
      }
      ObjectNode responses = op.putObject("responses");
      ObjectNode ok = responses.putObject("200").put("description", "The product (Accept:"
          + " application/json) or its linkset (application/linkset+json)");
      ObjectNode content = ok.putObject("content");
      content.putObject("application/json").putObject("schema").put("type", "object");
      content.putObject(DigitalLinkResolver.LINKSET_TYPE).putObject("schema")
          .put("type", "object");
      responses.putObject("307").put("description", "To the product page, or to the link"
          + " the linkType names");
    }
    return doc;
  }
}
