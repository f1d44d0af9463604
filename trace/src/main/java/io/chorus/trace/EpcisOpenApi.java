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
    visibleTo(document(operation(capture, "post", "epcisCapture", "Captures an EPCISDocument:"
        + " its events anchored on the chain (GS1-Capture-Error-Behaviour: rollback or"
        + " proceed)", "202")));
    operation(paths.putObject(root + "/capture/{captureID}"), "get", "epcisCaptureJob",
        "A capture job: running, success or failure, its errors and transactions", "200");
    ObjectNode events = paths.putObject(root + "/events");
    visibleTo(document(operation(events, "post", "epcisCaptureEvent", "Captures one event",
        "202")));
    ObjectNode query = operation(events, "get", "epcisQueryEvents", "Events matching the"
        + " EPCIS query parameters that the caller may see, as an EPCISQueryDocument; the next"
        + " page in the Link header; epcisBody.queryResults[\"chorus:withheld\"] counts the"
        + " events of sealed captures, up to the block indexed, that the caller may not see or"
        + " this node could not open, whatever the parameters: at most that many matching"
        + " events are missing", "200");
    ArrayNode parameters = query.putArray("parameters");
    for (String name : QUERY_PARAMETERS) {
      parameters.addObject().put("name", name).put("in", "query").putObject("schema")
          .put("type", "string");
    }
    operation(paths.putObject(root + "/events/{eventID}"), "get", "epcisEvent",
        "One event by its eventID or hash ID, with its hash ID (chorus:hashId) and proof link;"
        + " 404 as for an unknown ID when the caller may not see it",
        "200");
    operation(paths.putObject(root + "/events/{eventID}/proof"), "get", "epcisEventProof",
        "The proof of an event: the log bundle of its capture with its batch path", "200");
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

  // The visibility header of the capture routes.
  private static void visibleTo(ObjectNode op) {
    op.putArray("parameters").addObject().put("name", EpcisService.VISIBLE_TO)
        .put("in", "header").put("required", false).put("description", "Comma-separated"
            + " organisations (their node certificates' O) that alone may read the events; this"
            + " node's own is always one. The batch is sealed for their known nodes; 422 when"
            + " this node knows no node of one. Absent: the whole consortium may read them.")
        .putObject("schema").put("type", "string");
  }

  private static ObjectNode document(ObjectNode op) {
    ObjectNode content = op.putObject("requestBody").put("required", true)
        .putObject("content");
    content.putObject("application/json").putObject("schema").put("type", "object");
    content.putObject("application/ld+json").putObject("schema").put("type", "object");
    return op;
  }
}
