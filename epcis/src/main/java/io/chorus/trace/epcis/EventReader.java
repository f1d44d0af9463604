package io.chorus.trace.epcis;

import static io.chorus.trace.epcis.EpcisReader.shown;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.trace.epcis.EpcisEvent.Action;
import io.chorus.trace.epcis.EpcisEvent.Epc;
import io.chorus.trace.epcis.EpcisEvent.ErrorDeclaration;
import io.chorus.trace.epcis.EpcisEvent.EventType;
import io.chorus.trace.epcis.EpcisEvent.Quantity;
import io.chorus.trace.epcis.EpcisEvent.Role;
import io.chorus.trace.epcis.EpcisEvent.TypedId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one EPCIS 2.0 event against the standard and its JSON schema and pulls out its fields:
 * the fields each event type may and must have, action values, identifiers (EPC URNs and GS1
 * Digital Link URIs, checked), vocabulary (bare CBV words or URIs), times with a zone, numbers,
 * sensor data, certification info, error declarations and namespaced extensions. Every problem is
 * recorded with its JSON pointer; an event with any is not built.
 */
final class EventReader {
  private static final Set<String> COMMON = Set.of("@context", "type", "eventTime",
      "recordTime", "eventTimeZoneOffset", "eventID", "certificationInfo", "errorDeclaration");

  private static final Map<EventType, Set<String>> FIELDS = new EnumMap<>(Map.of(
      EventType.ObjectEvent, Set.of("action", "epcList", "quantityList", "bizStep",
          "disposition", "persistentDisposition", "readPoint", "bizLocation",
          "bizTransactionList", "sourceList", "destinationList", "sensorElementList", "ilmd"),
      EventType.AggregationEvent, Set.of("parentID", "childEPCs", "childQuantityList", "action",
          "bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList",
          "sourceList", "destinationList", "sensorElementList"),
      EventType.TransactionEvent, Set.of("bizTransactionList", "parentID", "epcList",
          "quantityList", "action", "bizStep", "disposition", "readPoint", "bizLocation",
          "sourceList", "destinationList", "sensorElementList"),
      EventType.TransformationEvent, Set.of("inputEPCList", "inputQuantityList",
          "outputEPCList", "outputQuantityList", "transformationID", "bizStep", "disposition",
          "persistentDisposition", "readPoint", "bizLocation", "bizTransactionList",
          "sourceList", "destinationList", "sensorElementList", "ilmd"),
      EventType.AssociationEvent, Set.of("parentID", "childEPCs", "childQuantityList",
          "action", "bizStep", "disposition", "readPoint", "bizLocation", "bizTransactionList",
          "sourceList", "destinationList", "sensorElementList")));

  private static final Pattern ZONE_OFFSET =
      Pattern.compile("[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00)");

  private final Namespaces namespaces;
  private final Problems problems;
  private final Values values;

  EventReader(Namespaces namespaces, Problems problems) {
    this.namespaces = namespaces;
    this.problems = problems;
    this.values = new Values(namespaces, problems);
  }

  /** The event at {@code at}, or null when it has problems (then recorded). */
  EpcisEvent read(JsonNode node, String at) {
    int before = problems.count();
    if (!node.isObject()) {
      problems.add(at, "an event is a JSON object, not " + Values.kind(node));
      return null;
    }
    ObjectNode event = (ObjectNode) node;
    EventType type = type(event, at);
    if (type == null) {
      return null;
    }
    fieldNames(event, at, type);
    Instant eventTime = values.time(event, "eventTime", at, true);
    String offset = values.string(event, "eventTimeZoneOffset", at, true);
    if (offset != null && !ZONE_OFFSET.matcher(offset).matches()) {
      problems.add(Problems.pointer(at, "eventTimeZoneOffset"), "'" + shown(offset) + "' is no zone"
          + " offset: send +hh:mm or -hh:mm between -14:00 and +14:00, e.g. +08:00");
    }
    Action action = action(event, at, type);
    List<Epc> epcs = epcs(event, at, type, action);
    List<Quantity> quantities = new ArrayList<>();
    quantities.addAll(values.quantities(event, "quantityList", at, Role.EPC));
    quantities.addAll(values.quantities(event, "childQuantityList", at, Role.CHILD));
    quantities.addAll(values.quantities(event, "inputQuantityList", at, Role.INPUT));
    quantities.addAll(values.quantities(event, "outputQuantityList", at, Role.OUTPUT));
    String transformationId = values.identifier(event, "transformationID", at, false);
    if (type == EventType.TransformationEvent && transformationId == null) {
      requireBothSides(epcs, quantities, at);
    }
    List<TypedId> bizTransactions = values.typedIds(event, "bizTransactionList",
        "bizTransaction", CbvVocabulary.BIZ_TRANSACTION_TYPE, false, at);
    if (type == EventType.TransactionEvent && bizTransactions.isEmpty()) {
      problems.add(Problems.pointer(at, "bizTransactionList"), (event.has("bizTransactionList")
          ? "" : "missing: bizTransactionList is required: ") + "a TransactionEvent names at"
          + " least one business transaction, e.g. [{\"type\": \"po\", \"bizTransaction\":"
          + " \"urn:epcglobal:cbv:bt:4012345000009:PO1\"}]");
    }
    SetAndUnset persistent = persistentDisposition(event, at);
    String readPoint = location(event, "readPoint", at);
    String bizLocation = location(event, "bizLocation", at);
    List<TypedId> sources = values.typedIds(event, "sourceList", "source",
        CbvVocabulary.SOURCE_DESTINATION_TYPE, true, at);
    List<TypedId> destinations = values.typedIds(event, "destinationList", "destination",
        CbvVocabulary.SOURCE_DESTINATION_TYPE, true, at);
    new SensorReader(values, problems).sensorElements(event, at);
    ilmd(event, at, type, action);
    List<String> certificationInfo = certificationInfo(event, at);
    ErrorDeclaration errorDeclaration = errorDeclaration(event, at);
    Instant recordTime = values.time(event, "recordTime", at, false);
    String eventId = values.uri(event, "eventID", at, false);
    String bizStep = values.vocabulary(event, "bizStep", at, CbvVocabulary.BIZ_STEP);
    String disposition = values.vocabulary(event, "disposition", at, CbvVocabulary.DISPOSITION);
    if (problems.count() > before) {
      return null;
    }
    return new EpcisEvent(at, type, eventTime, offset, recordTime, eventId,
        EventHashId.of(event, namespaces, values::canonicalForm), action, bizStep, disposition,
        persistent.set(), persistent.unset(), readPoint, bizLocation, List.copyOf(epcs),
        List.copyOf(quantities), transformationId, bizTransactions, sources, destinations,
        certificationInfo, errorDeclaration, event);
  }

  private EventType type(ObjectNode event, String at) {
    String type = values.string(event, "type", at, true);
    if (type == null) {
      return null;
    }
    for (EventType known : EventType.values()) {
      if (known.name().equals(type)) {
        return known;
      }
    }
    problems.add(Problems.pointer(at, "type"), "unknown event type '" + shown(type)
        + "': send"
        + " ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent or"
        + " AssociationEvent");
    return null;
  }

  /** Standard fields of another event type, or unprefixed unknown fields, are refused. */
  private void fieldNames(ObjectNode event, String at, EventType type) {
    Set<String> allowed = FIELDS.get(type);
    event.properties().forEach(field -> {
      String name = field.getKey();
      if (COMMON.contains(name) || allowed.contains(name)) {
        return;
      }
      String where = Problems.pointer(at, name);
      if (name.indexOf(':') > 0) {
        values.extension(name, field.getValue(), where);
      } else {
        problems.add(where, "unknown field '" + name + "' for a " + type + ": a standard field"
            + " of this event type or a namespaced extension (prefix:name, its prefix declared"
            + " in @context)");
      }
    });
  }

  private Action action(ObjectNode event, String at, EventType type) {
    if (type == EventType.TransformationEvent) {
      return null;
    }
    String action = values.string(event, "action", at, true);
    if (action == null) {
      return null;
    }
    for (Action known : Action.values()) {
      if (known.name().equals(action)) {
        return known;
      }
    }
    problems.add(Problems.pointer(at, "action"), "action '" + shown(action)
        + "' is none of ADD,"
        + " OBSERVE, DELETE");
    return null;
  }

  private List<Epc> epcs(ObjectNode event, String at, EventType type, Action action) {
    List<Epc> epcs = new ArrayList<>();
    String parent = values.identifier(event, "parentID", at, false);
    boolean parentRequired = type == EventType.AssociationEvent
        || (type == EventType.AggregationEvent && action != null && action != Action.OBSERVE);
    if (parent != null) {
      epcs.add(new Epc(Role.PARENT, parent));
    } else if (parentRequired && !event.has("parentID")) {
      problems.add(Problems.pointer(at, "parentID"), "missing: "
          + (type == EventType.AssociationEvent ? "an AssociationEvent"
              : "an AggregationEvent with action " + action)
          + " names its parent (parentID), e.g. an SSCC https://id.gs1.org/00/...");
    }
    values.identifiers(event, "epcList", at).forEach(id -> epcs.add(new Epc(Role.EPC, id)));
    values.identifiers(event, "childEPCs", at).forEach(id -> epcs.add(new Epc(Role.CHILD, id)));
    values.identifiers(event, "inputEPCList", at)
        .forEach(id -> epcs.add(new Epc(Role.INPUT, id)));
    values.identifiers(event, "outputEPCList", at)
        .forEach(id -> epcs.add(new Epc(Role.OUTPUT, id)));
    return epcs;
  }

  private void requireBothSides(List<Epc> epcs, List<Quantity> quantities, String at) {
    boolean input = epcs.stream().anyMatch(e -> e.role() == Role.INPUT)
        || quantities.stream().anyMatch(q -> q.role() == Role.INPUT);
    boolean output = epcs.stream().anyMatch(e -> e.role() == Role.OUTPUT)
        || quantities.stream().anyMatch(q -> q.role() == Role.OUTPUT);
    if (!input || !output) {
      problems.add(Problems.pointer(at, input ? "outputEPCList" : "inputEPCList"),
          "a TransformationEvent without transformationID has at least one input and one"
              + " output (inputEPCList/inputQuantityList, outputEPCList/outputQuantityList)");
    }
  }

  private record SetAndUnset(List<String> set, List<String> unset) {
  }

  private SetAndUnset persistentDisposition(ObjectNode event, String at) {
    SetAndUnset none = new SetAndUnset(List.of(), List.of());
    JsonNode node = event.get("persistentDisposition");
    String where = Problems.pointer(at, "persistentDisposition");
    if (node == null) {
      return none;
    }
    if (!node.isObject() || !(node.has("set") || node.has("unset"))) {
      problems.add(where, "persistentDisposition is an object with set and/or unset, each a"
          + " list of dispositions, e.g. {\"set\": [\"recalled\"]}");
      return none;
    }
    node.properties().forEach(field -> {
      if (!field.getKey().equals("set") && !field.getKey().equals("unset")) {
        problems.add(Problems.pointer(where, field.getKey()), "persistentDisposition has only"
            + " set and unset");
      }
    });
    return new SetAndUnset(values.vocabularyList(node, "set", where, CbvVocabulary.DISPOSITION),
        values.vocabularyList(node, "unset", where, CbvVocabulary.DISPOSITION));
  }

  /** readPoint or bizLocation: an object with an id and perhaps extensions. */
  private String location(ObjectNode event, String field, String at) {
    JsonNode node = event.get(field);
    String where = Problems.pointer(at, field);
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(where, field + " is an object with an id, e.g. {\"id\":"
          + " \"https://id.gs1.org/414/4012345000115\"}");
      return null;
    }
    values.extensionsOnly(node, Set.of("id"), where);
    return values.identifier(node, "id", where, true);
  }

  private void ilmd(ObjectNode event, String at, EventType type, Action action) {
    JsonNode ilmd = event.get("ilmd");
    String where = Problems.pointer(at, "ilmd");
    if (ilmd == null) {
      return;
    }
    if (type == EventType.ObjectEvent && action != null && action != Action.ADD) {
      problems.add(where, "ilmd (instance/lot master data) belongs to an ObjectEvent with"
          + " action ADD only");
    }
    if (!ilmd.isObject()) {
      problems.add(where, "ilmd is an object of namespaced fields");
      return;
    }
    values.extensionsOnly(ilmd, Set.of(), where);
  }

  private List<String> certificationInfo(ObjectNode event, String at) {
    JsonNode node = event.get("certificationInfo");
    if (node == null) {
      return List.of();
    }
    if (node.isArray()) {
      return values.uris(event, "certificationInfo", at);
    }
    String one = values.uri(event, "certificationInfo", at, false);
    return one == null ? List.of() : List.of(one);
  }

  private ErrorDeclaration errorDeclaration(ObjectNode event, String at) {
    JsonNode node = event.get("errorDeclaration");
    String where = Problems.pointer(at, "errorDeclaration");
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(where, "errorDeclaration is an object with declarationTime, reason and"
          + " correctiveEventIDs");
      return null;
    }
    values.extensionsOnly(node, Set.of("declarationTime", "reason", "correctiveEventIDs"),
        where);
    Instant declared = values.time(node, "declarationTime", where, true);
    String reason = values.vocabulary(node, "reason", where, CbvVocabulary.ERROR_REASON);
    List<String> corrective = values.uris(node, "correctiveEventIDs", where);
    return declared == null ? null : new ErrorDeclaration(declared, reason, corrective);
  }
}
