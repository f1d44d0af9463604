package io.chorus.trace;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The OpenAPI fragment of the EPCIS binding: each route, its parameters and answers. */
final class EpcisOpenApi {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

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
        + " proceed), and the master data of its header (epcisHeader.epcisMasterData, not with"
        + " Chorus-Visible-To) with its first transaction", "202")));
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
    for (String name : EpcisQueryParameters.SUPPORTED) { // the list the parser accepts
      parameters.addObject().put("name", name).put("in", "query").putObject("schema")
          .put("type", "string");
    }
    operation(paths.putObject(root + "/events/{eventID}"), "get", "epcisEvent",
        "One event by its eventID or hash ID, with its hash ID (chorus:hashId) and proof link;"
        + " 404 as for an unknown ID when the caller may not see it",
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
    ObjectNode vocabularies = operation(paths.putObject(root + "/vocabularies"), "get",
        "epcisVocabularies", "Master data captured with documents' headers"
        + " (epcisHeader.epcisMasterData), as the SimpleMasterDataQuery answers it: an"
        + " EPCISQueryDocument whose resultsBody holds a vocabularyList. vocabularyName and"
        + " EQ_name (any spelling of a GS1 key) select; includeAttributes and includeChildren"
        + " (default true) shape; maxElementCount (1 to " + MasterData.ELEMENTS_MAX + ") bounds,"
        + " 413 past it", "200");
    ArrayNode vocabularyParameters = vocabularies.putArray("parameters");
    for (String name : List.of("vocabularyName", "EQ_name", "includeAttributes",
        "includeChildren", "maxElementCount")) {
      vocabularyParameters.addObject().put("name", name).put("in", "query")
          .putObject("schema").put("type", "string");
    }
    subscriptions(paths);
    resources(paths);
    return doc;
  }

  // Discovery and the top-level resources (EpcisResources).
  private static void resources(ObjectNode paths) {
    String root = EpcisService.ROOT;
    operation(paths.putObject(root), "get", "epcisTopLevel", "The top-level resources, as a"
        + " Collection: " + String.join(", ", EpcisResources.TOP_LEVEL), "200");
    for (String segment : EpcisResources.segments()) {
      String name = Character.toUpperCase(segment.charAt(0)) + segment.substring(1);
      operation(paths.putObject(root + "/" + segment), "get", "epcis" + name, "The " + segment
          + " this node's events name, as a Collection (the five standard types for"
          + " eventTypes), as far as the caller may read them; perPage and nextPageToken page"
          + " it (Link: rel=next)", "200");
      operation(paths.putObject(root + "/" + segment + "/{value}"), "get", "epcis" + name
          + "Resource", "The value's sub-resources: events; 404 when no event the caller may"
          + " read names it", "200");
      operation(paths.putObject(root + "/" + segment + "/{value}/events"), "get", "epcis"
          + name + "Events", "The events with this value, as GET " + root + "/events answers"
          + " with the same parameter (identifiers and vocabulary in any form it takes); the"
          + " other query parameters apply too", "200");
    }
  }

  // Named queries and their subscriptions (EpcisSubscriptions).
  private static void subscriptions(ObjectNode paths) {
    String queries = EpcisService.ROOT + "/queries";
    ObjectNode list = paths.putObject(queries);
    operation(list, "get", "epcisListQueries", "The named queries: name, query, owner,"
        + " createdAt", "200");
    json(operation(list, "post", "epcisCreateQuery", "Names a query: {name, query}, query"
        + " holding GET /epcis/events parameters (a string, number or array each), checked as"
        + " that GET checks them; Location: the query", "201"));
    ObjectNode one = paths.putObject(queries + "/{queryName}");
    operation(one, "get", "epcisQuery", "A named query", "200");
    noContent(one, "delete", "epcisDeleteQuery", "Deletes a named query that has no"
        + " subscriptions (its owner only)");
    ObjectNode events = operation(paths.putObject(queries + "/{queryName}/events"), "get",
        "epcisNamedQueryEvents", "The query's events as an EPCISQueryDocument, each with its"
        + " position (chorus:position), paged by perPage and nextPageToken (Link: rel=next)."
        + " With a WebSocket upgrade (role " + EpcisService.SUBSCRIBER + ", stream=true, and"
        + " cursor or initialRecordTime to start after a position or from a time): the query's"
        + " new events, each message an EPCISQueryDocument with queryResults.chorus:cursor,"
        + " acknowledged by sending {\"ack\": cursor}", "200");
    ArrayNode parameters = events.putArray("parameters");
    for (String name : List.of("perPage", "nextPageToken", "stream", "cursor",
        "initialRecordTime")) {
      parameters.addObject().put("name", name).put("in", "query").putObject("schema")
          .put("type", "string");
    }
    ObjectNode subscriptions = paths.putObject(queries + "/{queryName}/subscriptions");
    operation(subscriptions, "get", "epcisListSubscriptions", "The caller's subscriptions"
        + " to the query, each with its progress: cursor, lag, delivered, attempts,"
        + " lastError, lastAttemptAt, nextAttemptAt, lastNotifiedAt", "200");
    json(operation(subscriptions, "post", "epcisSubscribe", "Subscribes a webhook: {dest"
        + " (http or https URL), stream: true or schedule: {second?, minute?, hour?,"
        + " dayOfMonth?, month?, dayOfWeek?} (each a list of numbers and [low-high] ranges,"
        + " UTC: at each matching time the events after the cursor are delivered),"
        + " signatureToken?, reportIfEmpty?, initialRecordTime?}. Each delivery is a POST of"
        + " an EPCISQueryDocument with its"
        + " cursor (Chorus-Cursor, queryResults.chorus:cursor), signed in GS1-Signature"
        + " (hmac-sha256=<hex>) when a token is given, acknowledged by a 2xx answer and"
        + " retried with backoff until then", "201"));
    ObjectNode subscription = paths.putObject(queries
        + "/{queryName}/subscriptions/{subscriptionID}");
    operation(subscription, "get", "epcisSubscription", "One of the caller's subscriptions,"
        + " with its progress", "200");
    noContent(subscription, "delete", "epcisUnsubscribe", "Deletes one of the caller's"
        + " subscriptions");
  }

  private static void noContent(ObjectNode item, String method, String id, String summary) {
    ObjectNode op = item.putObject(method).put("operationId", id).put("summary", summary);
    op.putArray("tags").add("epcis");
    op.putObject("responses").putObject("204").put("description", summary);
  }

  private static void json(ObjectNode op) {
    op.putObject("requestBody").put("required", true).putObject("content")
        .putObject("application/json").putObject("schema").put("type", "object");
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
