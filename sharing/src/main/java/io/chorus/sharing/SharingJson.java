package io.chorus.sharing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.state.system.DataSharing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The service's answers as JSON: data sets, versions, applications, grants and audit entries,
 * times as seconds since the epoch, hashes 0x-hex, enums in lower case with dashes
 * ({@code not-shared}, {@code outside-mask}), field masks as the field names they select.
 */
final class SharingJson {
  static final ObjectMapper JSON = new ObjectMapper();

  private SharingJson() {}

  static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String code(DataSharing.Rule rule) {
    return String.format("0x%02x", rule.code());
  }

  static ObjectNode dataset(DataSharing.Dataset d, DataSharing.Version latest) {
    ObjectNode out = JSON.createObjectNode().put("id", d.id()).put("code", d.code())
        .put("provider", d.provider()).put("versions", d.versions())
        .put("createdAt", d.createdAt());
    out.set("latest", version(latest));
    return out;
  }

  static ObjectNode version(DataSharing.Version v) {
    ObjectNode out = JSON.createObjectNode().put("version", v.number()).put("title", v.title())
        .put("sharingClass", name(v.sharingClass())).put("updateCycle", name(v.updateCycle()))
        .put("schemaHash", Hex.encode0x(v.schemaHash())).put("publishedAt", v.publishedAt());
    ArrayNode fields = out.putArray("fields");
    v.fields().forEach(fields::add);
    return out;
  }

  /** An application with its fields named from the version it counts them in. */
  static ObjectNode request(DataSharing.Request r, DataSharing.Version version) {
    ObjectNode out = JSON.createObjectNode().put("id", r.id()).put("dataset", r.dataset())
        .put("version", r.version()).put("requester", r.requester())
        .put("applicant", r.applicant().toString()).put("purpose", r.purpose())
        .put("scenario", r.scenario()).put("state", name(r.state()))
        .put("expiresAt", r.expiresAt()).put("appliedAt", r.appliedAt())
        .put("deadline", r.deadline()).put("extended", r.extended())
        .put("decidedAt", r.decidedAt()).put("revokedAt", r.revokedAt())
        .put("reason", r.reason());
    out.put("decidedBy", r.decidedBy() == null ? null : r.decidedBy().toString());
    out.set("requestedFields", fields(version.fields(), r.requestedMask()));
    out.set("grantedFields", fields(version.fields(), r.grantedMask()));
    return out;
  }

  static ObjectNode entry(DataSharing.AuditEntry e) {
    ObjectNode out = JSON.createObjectNode().put("id", e.id()).put("dataset", e.dataset())
        .put("grant", e.grant()).put("department", e.department())
        .put("requester", Hex.encode0x(e.requester())).put("outcome", code(e.outcome()))
        .put("outcomeRule", e.outcome().label()).put("verdict", code(e.verdict()))
        .put("verdictRule", e.verdict().label())
        .put("fieldMask", "0x" + Long.toHexString(e.fieldMask())).put("time", e.time())
        .put("purgedAt", e.purgedAt());
    out.put("payloadHash", e.outcome() == DataSharing.Rule.OK
        ? Hex.encode0x(e.payloadHash()) : null);
    return out;
  }

  static ArrayNode fields(List<String> schema, long mask) {
    ArrayNode out = JSON.createArrayNode();
    names(schema, mask).forEach(out::add);
    return out;
  }

  static List<String> names(List<String> schema, long mask) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      if ((mask >>> i & 1) != 0) {
        names.add(schema.get(i));
      }
    }
    return names;
  }
}
