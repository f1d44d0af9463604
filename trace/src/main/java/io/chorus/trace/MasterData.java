package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.rpc.rest.Problem;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * EPCIS master data as a document's header carries it ({@code epcisHeader.epcisMasterData
 * .vocabularyList}, EPCIS 2.0 §7.4 and its JSON schema): vocabulary elements of a type (a
 * location, a trade item class, ...), each with attributes (a name, an address) and children.
 * Read and checked here, on capture and again when a node indexes the capture that carries
 * it; each element is kept by its identifier in canonical form, so that an event's
 * {@code urn:epc:id:sgln:…} finds the master data of {@code https://id.gs1.org/414/…}.
 */
final class MasterData {
  /** The elements a document may carry. */
  static final int ELEMENTS_MAX = 1_000;
  static final int ATTRIBUTES_MAX = 64;
  /** The master data of a document as JSON, at most. */
  static final int BYTES_MAX = 32 * 1024;
  static final int URI_CHARS_MAX = 2_048;
  /**
   * The attributes that name an element for a person, in the order they are preferred: CBV's
   * location name, GS1 Web Vocabulary names, CBV's trade item descriptions.
   */
  static final List<String> NAME_ATTRIBUTES = List.of("urn:epcglobal:cbv:mda#name",
      "urn:epcglobal:cbv:mda:name", "https://gs1.org/voc/name",
      "https://gs1.org/voc/productName", "urn:epcglobal:cbv:mda#descriptionShort",
      "urn:epcglobal:cbv:mda:descriptionShort", "urn:epcglobal:cbv:mda#regulatedProductName");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One vocabulary element.
   *
   * @param id as sent
   * @param key the identifier in canonical form, as the store keys it
   * @param attributes each attribute's id and value, in order (a later one of the same id wins)
   */
  record Element(String type, String id, String key, Map<String, JsonNode> attributes,
      List<String> children) {
    ObjectNode json() {
      ObjectNode out = JSON.createObjectNode().put("id", id);
      ArrayNode list = out.putArray("attributes");
      attributes.forEach((name, value) -> list.addObject().put("id", name).set("attribute",
          value));
      ArrayNode kids = out.putArray("children");
      children.forEach(kids::add);
      return out;
    }

    /** The name a person reads, from {@link #NAME_ATTRIBUTES}, or null. */
    String name() {
      for (String attribute : NAME_ATTRIBUTES) {
        JsonNode value = attributes.get(attribute);
        if (value != null && value.isValueNode()) {
          return value.asText();
        }
      }
      return null;
    }
  }

  private MasterData() {}

  /**
   * The elements of an {@code epcisMasterData} object, every problem a field error under
   * {@code pointer}; none when {@code masterData} is missing.
   */
  static List<Element> read(JsonNode masterData, String pointer) {
    if (masterData == null || masterData.isMissingNode() || masterData.isNull()) {
      return List.of();
    }
    List<Problem.FieldError> errors = new ArrayList<>();
    List<Element> out = new ArrayList<>();
    if (!masterData.isObject()) {
      throw Problem.invalidField(pointer, "is an object with a vocabularyList");
    }
    if (masterData.toString().length() > BYTES_MAX) {
      throw new Problem(413, "too-large", "Master data too large", pointer + " is over "
          + BYTES_MAX + " bytes of JSON; capture it in several documents");
    }
    masterData.fieldNames().forEachRemaining(name -> {
      if (!name.equals("vocabularyList")) {
        errors.add(new Problem.FieldError(pointer + "/" + name, "unknown field; master data"
            + " is {\"vocabularyList\": [{\"type\": URI, \"vocabularyElementList\": [...]}]}"));
      }
    });
    JsonNode list = masterData.path("vocabularyList");
    if (!list.isArray()) {
      errors.add(new Problem.FieldError(pointer + "/vocabularyList", "required: an array of"
          + " vocabularies, each {\"type\": URI, \"vocabularyElementList\": [...]}"));
    }
    for (int v = 0; v < list.size(); v++) {
      JsonNode vocabulary = list.get(v);
      String at = pointer + "/vocabularyList/" + v;
      String type = uri(vocabulary.path("type"), at + "/type", errors);
      JsonNode elements = vocabulary.path("vocabularyElementList");
      if (!elements.isMissingNode() && !elements.isArray()) {
        errors.add(new Problem.FieldError(at + "/vocabularyElementList", "is an array of"
            + " elements, each {\"id\": URI, \"attributes\": [...], \"children\": [...]}"));
        continue;
      }
      for (int e = 0; e < elements.size(); e++) {
        Element element = element(type, elements.get(e), at + "/vocabularyElementList/" + e,
            errors);
        if (element != null && out.size() < ELEMENTS_MAX) {
          out.add(element);
        } else if (element != null) {
          errors.add(new Problem.FieldError(at, "a document carries at most " + ELEMENTS_MAX
              + " vocabulary elements"));
        }
      }
    }
    if (!errors.isEmpty()) {
      throw Problem.invalid("the master data is invalid", errors.subList(0,
          Math.min(errors.size(), 100)));
    }
    return out;
  }

  private static Element element(String type, JsonNode element, String at,
      List<Problem.FieldError> errors) {
    if (!element.isObject()) {
      errors.add(new Problem.FieldError(at, "is an object {\"id\": URI, \"attributes\": [...],"
          + " \"children\": [...]}"));
      return null;
    }
    int before = errors.size();
    element.fieldNames().forEachRemaining(name -> {
      if (!List.of("id", "attributes", "children").contains(name)) {
        errors.add(new Problem.FieldError(at + "/" + name, "unknown field; an element has id,"
            + " attributes and children"));
      }
    });
    String id = uri(element.path("id"), at + "/id", errors);
    Map<String, JsonNode> attributes = new LinkedHashMap<>();
    JsonNode list = element.path("attributes");
    if (!list.isMissingNode() && (!list.isArray() || list.size() > ATTRIBUTES_MAX)) {
      errors.add(new Problem.FieldError(at + "/attributes", "is an array of at most "
          + ATTRIBUTES_MAX + " {\"id\": URI, \"attribute\": a string, number or object}"));
    } else {
      for (int a = 0; a < list.size(); a++) {
        JsonNode attribute = list.get(a);
        String name = uri(attribute.path("id"), at + "/attributes/" + a + "/id", errors);
        JsonNode value = attribute.path("attribute");
        if (!value.isMissingNode() && !value.isTextual() && !value.isNumber()
            && !value.isObject()) {
          errors.add(new Problem.FieldError(at + "/attributes/" + a + "/attribute", "is a"
              + " string, a number or an object, not " + value.getNodeType()));
        } else if (name != null) {
          attributes.put(name, value.isMissingNode() ? JSON.nullNode() : value);
        }
      }
    }
    List<String> children = new ArrayList<>();
    JsonNode kids = element.path("children");
    if (!kids.isMissingNode() && !kids.isArray()) {
      errors.add(new Problem.FieldError(at + "/children", "is an array of URIs"));
    } else {
      for (int c = 0; c < kids.size(); c++) {
        String child = uri(kids.get(c), at + "/children/" + c, errors);
        if (child != null) {
          children.add(child);
        }
      }
    }
    return errors.size() > before || type == null || id == null ? null
        : new Element(type, id, Gs1Identifiers.canonical(id), attributes, children);
  }

  private static String uri(JsonNode value, String at, List<Problem.FieldError> errors) {
    if (value.isTextual() && value.asText().length() <= URI_CHARS_MAX) {
      try {
        if (new URI(value.asText()).isAbsolute()) {
          return value.asText();
        }
      } catch (URISyntaxException e) {
        // answered below
      }
    }
    errors.add(new Problem.FieldError(at, "required: an absolute URI of at most "
        + URI_CHARS_MAX + " characters, e.g. urn:epc:id:sgln:4012345.00012.0, not "
        + (value.isMissingNode() ? "nothing" : abbreviate(value.toString()))));
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "…" : text;
  }
}
