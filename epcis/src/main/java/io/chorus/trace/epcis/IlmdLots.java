package io.chorus.trace.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lots an event's ILMD names: an ObjectEvent that commissions trade items, or a
 * TransformationEvent that makes them, may say in its instance/lot master data which lot they
 * belong to ({@code cbvmda:lotNumber}, CBV 2.0 §8.2). The lot of an item {@code
 * /01/{gtin}/21/{serial}} (or of a GTIN's quantity, {@code /01/{gtin}}) is then the class
 * {@code /01/{gtin}/10/{lot}}, which EPCIS otherwise does not link to the item: a recall by lot
 * follows this link to the items.
 */
public final class IlmdLots {
  /** The CBV master data attribute of a lot number, expanded. */
  private static final String LOT_NUMBER = "urn:epcglobal:cbv:mda:lotNumber";
  private static final String GTIN_PREFIX = "https://id.gs1.org/01/";
  private static final int GTIN_DIGITS = 14;

  private IlmdLots() {}

  /**
   * Each lot the event's ILMD names (canonical {@code /01/{gtin}/10/{lot}}), with the items and
   * GTIN classes of that GTIN it commissions or makes, in order; empty without a lot number.
   */
  public static Map<String, List<String>> of(JsonNode event) {
    JsonNode ilmd = event.path("ilmd");
    if (!ilmd.isObject()) {
      return Map.of();
    }
    Namespaces namespaces = Namespaces.standard().with(event.get("@context"));
    String lot = null;
    for (Map.Entry<String, JsonNode> field : ilmd.properties()) {
      String key = field.getKey();
      int colon = key.indexOf(':');
      String namespace = colon > 0 ? namespaces.namespace(key.substring(0, colon)) : null;
      if (namespace != null && (namespace + key.substring(colon + 1)).equals(LOT_NUMBER)
          && field.getValue().isValueNode()) {
        lot = field.getValue().asText();
      }
    }
    if (lot == null || lot.isEmpty()) {
      return Map.of();
    }
    List<String> made = new ArrayList<>();
    String type = event.path("type").asText();
    String list = type.equals("TransformationEvent") ? "outputEPCList" : "epcList";
    String quantities = type.equals("TransformationEvent") ? "outputQuantityList"
        : "quantityList";
    event.path(list).forEach(epc -> made.add(Gs1Identifiers.canonical(epc.asText())));
    event.path(quantities).forEach(q -> {
      if (q.hasNonNull("epcClass")) {
        made.add(Gs1Identifiers.canonical(q.get("epcClass").asText()));
      }
    });
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String id : made) {
      String gtin = gtin(id);
      if (gtin != null) {
        String lotId = Gs1Identifiers.canonical(GTIN_PREFIX + gtin + "/10/" + lot);
        out.computeIfAbsent(lotId, l -> new ArrayList<>()).add(id);
      }
    }
    return out;
  }

  // The GTIN of an item or of a GTIN class (not of a lot: it names its own), or null.
  private static String gtin(String canonical) {
    if (!canonical.startsWith(GTIN_PREFIX) || canonical.contains("/10/")) {
      return null;
    }
    String rest = canonical.substring(GTIN_PREFIX.length());
    if (rest.length() < GTIN_DIGITS) {
      return null;
    }
    String gtin = rest.substring(0, GTIN_DIGITS);
    String after = rest.substring(GTIN_DIGITS);
    return after.isEmpty() || after.startsWith("/21/") || after.startsWith("/22/") ? gtin
        : null;
  }
}
