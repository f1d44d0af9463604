package io.chorus.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One answer of a search: its kind ({@code block}, {@code transaction}, {@code address},
 * {@code contract}, {@code notary-record}, ...), a label to show, and the ids the console
 * builds its link from. In JSON the ids sit beside {@code kind} and {@code label}.
 *
 * @param kind lower-case words joined by '-'
 * @param ids names to values (text, numbers or booleans), in the order shown; none may be
 *     called {@code kind} or {@code label}
 */
public record SearchMatch(String kind, String label, Map<String, Object> ids) {
  public SearchMatch {
    if (!kind.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException("a match's kind is lower-case words joined by '-',"
          + " not '" + kind + "'");
    }
    Objects.requireNonNull(label, "label");
    if (ids.containsKey("kind") || ids.containsKey("label")) {
      throw new IllegalArgumentException("a match's ids may not be called kind or label");
    }
    ids = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ids));
  }

  /** As the console reads it: {@code {"kind": …, "label": …, <ids>}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("kind", kind);
    out.put("label", label);
    out.putAll(ids);
    return out;
  }
}
