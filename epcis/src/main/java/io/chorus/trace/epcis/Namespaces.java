package io.chorus.trace.epcis;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The namespace prefixes a document's JSON-LD {@code @context} declares, beside those of the
 * standard EPCIS 2.0 context. Extension fields are named {@code prefix:localName}; the event hash
 * writes them as {@code {namespace}localName}, as the XML binding names them.
 */
public final class Namespaces {
  private static final Map<String, String> STANDARD = Map.of(
      "epcis", "https://ref.gs1.org/epcis/",
      "cbv", "https://ref.gs1.org/cbv/",
      "cbvmda", "urn:epcglobal:cbv:mda:",
      "gs1", "https://gs1.org/voc/",
      "rdfs", "http://www.w3.org/2000/01/rdf-schema#",
      "owl", "http://www.w3.org/2002/07/owl#",
      "xsd", "http://www.w3.org/2001/XMLSchema#",
      "dcterms", "http://purl.org/dc/terms/");

  private final Map<String, String> prefixes;

  private Namespaces(Map<String, String> prefixes) {
    this.prefixes = Map.copyOf(prefixes);
  }

  /** Only the standard context's prefixes. */
  public static Namespaces standard() {
    return new Namespaces(STANDARD);
  }

  /**
   * These prefixes and those {@code context} declares (a JSON-LD context: a URL, an object of
   * prefix to IRI, or an array of both). URLs of remote contexts are not fetched.
   */
  public Namespaces with(JsonNode context) {
    if (context == null || context.isMissingNode() || context.isNull()) {
      return this;
    }
    Map<String, String> declared = new HashMap<>();
    if (context.isArray()) {
      context.forEach(entry -> declare(entry, declared));
    } else {
      declare(context, declared);
    }
    if (declared.isEmpty()) {
      return this; // most events name only the standard context's URL
    }
    Map<String, String> more = new HashMap<>(prefixes);
    more.putAll(declared);
    return new Namespaces(more);
  }

  private static void declare(JsonNode entry, Map<String, String> into) {
    if (!entry.isObject()) {
      return;
    }
    entry.properties().forEach(field -> {
      JsonNode value = field.getValue();
      String iri = value.isTextual() ? value.asText() : value.path("@id").asText("");
      if (!field.getKey().startsWith("@") && !field.getKey().contains(":")
          && Uris.isAbsolute(iri)) {
        into.put(field.getKey(), iri);
      }
    });
  }

  /** The namespace IRI of {@code prefix}, or null when it is not declared. */
  public String namespace(String prefix) {
    return prefixes.get(prefix);
  }

  /**
   * A compact IRI ({@code prefix:local}) with a declared prefix expanded; anything else as is.
   */
  String expand(String value) {
    int colon = value.indexOf(':');
    if (colon <= 0) {
      return value;
    }
    String namespace = prefixes.get(value.substring(0, colon));
    return namespace == null ? value : namespace + value.substring(colon + 1);
  }

  /** A field name as the event hash writes it: {@code {namespace}local} when it has a prefix. */
  String qualifiedName(String key) {
    int colon = key.indexOf(':');
    if (colon <= 0) {
      return key;
    }
    String namespace = prefixes.get(key.substring(0, colon));
    return namespace == null ? key : "{" + namespace + "}" + key.substring(colon + 1);
  }
}
