package io.chorus.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The OpenAPI fragment of the EPCIS binding: each route, its parameters and answers. */
final class EpcisOpenApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<String> QUERY_PARAMETERS = List.of("eventType", "GE_eventTime",
      "LT_eventTime", "GE_recordTime", "LT_recordTime", "EQ_bizStep", "EQ_disposition",
      "EQ_readPoint", "EQ_bizLocation", "MATCH_epc", "MATCH_parentID", "MATCH_inputEPC",
      "MATCH_outputEPC", "MATCH_anyEPC", "MATCH_epcClass", "EQ_eventID", "orderBy",
      "orderDirection", "eventCountLimit", "perPage", "nextPageToken");

  private EpcisOpenApi() {}

  static ObjectNode fragment() {
    ObjectNode doc = NODES.objectNode();
    ObjectNode paths = doc.putObject("paths");
    String root = EpcisService.ROOT;
    ObjectNode capture = paths.putObject(root + "/capture");
    operation(capture, "get", "epcisListCaptureJobs", "The newest capture jobs, with the"
        + " capture limits in GS1-EPCIS-Capture-Limit and GS1-EPCIS-Capture-File-Size-Limit",
        "200");
    document(operation(capture, "post", "epcisCapture", "Captures an EPCISDocument: its"
        + " events anchored on the chain (GS1-Capture-Error-Behaviour: rollback or proceed)",
        "202"));
    operation(paths.putObject(root + "/capture/{captureID}"), "get", "epcisCaptureJob",
        "A capture job: running, success or failure, its errors and transactions", "200");
    ObjectNode events = paths.putObject(root + "/events");
    document(operation(events, "post", "epcisCaptureEvent", "Captures one event", "202"));
    ObjectNode query = operation(events, "get", "epcisQueryEvents", "Events matching the"
        + " EPCIS query parameters, as an EPCISQueryDocument; the next page in the Link"
        + " header", "200");
    ArrayNode parameters = query.putArray("parameters");
    for (String name : QUERY_PARAMETERS) {
      parameters.addObject().put("name", name).put("in", "query").putObject("schema")
          .put("type", "string");
    }
    operation(paths.putObject(root + "/events/{eventID}"), "get", "epcisEvent",
        "One event by its eventID or hash ID, with its hash ID (chorus:hashId) and proof link",
        "200");
    operation(paths.putObject(root + "/events/{eventID}/proof"), "get", "epcisEventProof",
        "The proof of an event: the log bundle of its capture with its batch path", "200");
    ObjectNode lineage = operation(paths.putObject(root + "/lineage"), "get", "epcisLineage",
        "Recall lineage of an EPC or class: downstream (made from it, packed with it) or"
        + " upstream (where it came from), as nodes and edges with each edge's event and proof",
        "200");
    ArrayNode lineageParameters = lineage.putArray("parameters");
    for (String name : List.of("epc", "direction", "maxDepth")) {
      lineageParameters.addObject().put("name", name).put("in", "query").putObject("schema")
          .put("type", "string");
    }
    return doc;
  }

  private static ObjectNode operation(ObjectNode item, String method, String id,
      String summary, String status) {
    ObjectNode op = item.putObject(method).put("operationId", id).put("summary", summary);
    op.putArray("tags").add("epcis");
    op.putObject("responses").putObject(status).put("description", summary).putObject(
        "content").putObject("application/json").putObject("schema").put("type", "object");
    return op;
  }

  private static void document(ObjectNode op) {
    ObjectNode content = op.putObject("requestBody").put("required", true)
        .putObject("content");
    content.putObject("application/json").putObject("schema").put("type", "object");
    content.putObject("application/ld+json").putObject("schema").put("type", "object");
  }
}
