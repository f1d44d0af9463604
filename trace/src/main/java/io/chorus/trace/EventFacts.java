package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.trace.epcis.CbvVocabulary;
import io.chorus.trace.epcis.Gs1Identifiers;
import io.chorus.trace.epcis.IlmdLots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What lineage and the product page need of a stored event, read from its JSON as captured:
 * its identifiers by role in canonical form (so that a URN and a Digital Link of one object meet)
 * and its business step and places. The reader checked the event on capture, so a field that is
 * missing here is simply absent.
 *
 * @param parent the parentID, or null
 * @param epcs epcList
 * @param children childEPCs and the classes of childQuantityList
 * @param inputs inputEPCList and the classes of inputQuantityList
 * @param outputs outputEPCList and the classes of outputQuantityList
 * @param classes the classes of every quantity list, to tell a class from an instance
 * @param bizStep the CBV Web URI, or null
 * @param readPoint the read point's id, or null
 * @param bizLocation the business location's id, or null
 * @param lots each lot its ILMD names, with the items (and GTIN classes) it puts in that lot
 *     ({@link IlmdLots})
 */
record EventFacts(String type, String action, String parent, List<String> epcs,
    List<String> children, List<String> inputs, List<String> outputs, List<String> classes,
    String bizStep, String disposition, String readPoint, String bizLocation,
    Map<String, List<String>> lots) {

  static EventFacts of(StoredEvent stored) {
    JsonNode event = stored.event();
    List<String> classes = new ArrayList<>();
    List<String> children = identifiers(event.path("childEPCs"));
    List<String> inputs = identifiers(event.path("inputEPCList"));
    List<String> outputs = identifiers(event.path("outputEPCList"));
    children.addAll(quantityClasses(event.path("childQuantityList"), classes));
    inputs.addAll(quantityClasses(event.path("inputQuantityList"), classes));
    outputs.addAll(quantityClasses(event.path("outputQuantityList"), classes));
    List<String> epcs = identifiers(event.path("epcList"));
    quantityClasses(event.path("quantityList"), classes);
    String parent = event.hasNonNull("parentID")
        ? Gs1Identifiers.canonical(event.get("parentID").asText()) : null;
    return new EventFacts(stored.type(), text(event.path("action")), parent, epcs, children,
        inputs, outputs, classes, vocabulary(CbvVocabulary.BIZ_STEP, event.path("bizStep")),
        vocabulary(CbvVocabulary.DISPOSITION, event.path("disposition")),
        text(event.path("readPoint").path("id")), text(event.path("bizLocation").path("id")),
        IlmdLots.of(event));
  }

  /** Whether this event packs its children into its parent (not an unpacking). */
  boolean packs() {
    return type.equals("AggregationEvent") && parent != null && !"DELETE".equals(action);
  }

  boolean transforms() {
    return type.equals("TransformationEvent");
  }

  private static List<String> identifiers(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.forEach(epc -> out.add(Gs1Identifiers.canonical(epc.asText())));
    return out;
  }

  private static List<String> quantityClasses(JsonNode list, List<String> classes) {
    List<String> out = new ArrayList<>();
    list.forEach(quantity -> {
      if (quantity.hasNonNull("epcClass")) {
        String epcClass = Gs1Identifiers.canonical(quantity.get("epcClass").asText());
        out.add(epcClass);
        classes.add(epcClass);
      }
    });
    return out;
  }

  private static String vocabulary(CbvVocabulary vocabulary, JsonNode value) {
    return value.isTextual() ? vocabulary.normalise(value.asText()) : null;
  }

  private static String text(JsonNode value) {
    return value.isTextual() ? value.asText() : null;
  }
}
