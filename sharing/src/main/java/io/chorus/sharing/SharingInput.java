package io.chorus.sharing;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.state.system.DataSharing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Reading the service's inputs: ids in paths, field lists, classes, cycles and pages. */
final class SharingInput {
  /** A page's default size. */
  static final int PAGE_DEFAULT = 20;

  private SharingInput() {}

  /** A positive id in path segment {@code name}. */
  static long id(RestRequest request, String name) {
    String text = request.path(name);
    if (text.matches("[1-9][0-9]{0,17}")) {
      return Long.parseLong(text);
    }
    throw Problem.invalidField(name, "must be a number from 1, not '" + abbreviate(text)
        + "'");
  }

  /** A list of field names, as a JSON array of strings; empty when absent. */
  static List<String> names(Optional<JsonNode> value, String name,
      BiConsumer<String, String> bad) {
    if (value.isEmpty()) {
      return List.of();
    }
    if (!value.get().isArray()) {
      bad.accept(name, "must be an array of field names, not " + value.get().getNodeType()
          .name().toLowerCase(java.util.Locale.ROOT));
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (JsonNode item : value.get()) {
      if (!item.isTextual() || item.asText().isBlank()) {
        bad.accept(name, "must hold field names (non-empty strings), not " + item);
        return List.of();
      }
      names.add(item.asText());
    }
    return names;
  }

  /** A comma-separated list of field names in a query parameter; empty when absent. */
  static List<String> names(Optional<String> query) {
    return query.filter(q -> !q.isBlank())
        .map(q -> Arrays.stream(q.split(",")).map(String::strip).toList()).orElse(List.of());
  }

  /**
   * The field mask of {@code names} in {@code schema}; refused naming the unknown ones (the
   * schema is the public catalogue's, so naming it leaks nothing).
   */
  static long mask(List<String> names, List<String> schema, String field, long dataset,
      long version) {
    long mask = 0;
    List<String> unknown = new ArrayList<>();
    for (String name : names) {
      int index = schema.indexOf(name);
      if (index < 0) {
        unknown.add(name);
      } else {
        mask |= 1L << index;
      }
    }
    if (!unknown.isEmpty()) {
      throw Problem.invalidField(field, "version " + version + " of data set " + dataset
          + " has no field " + String.join(", ", unknown) + "; its fields are " + schema);
    }
    return mask;
  }

  static <E extends Enum<E>> E choice(Optional<String> text, String name, Class<E> type,
      E absent, BiConsumer<String, String> bad) {
    if (text.isEmpty()) {
      return absent;
    }
    for (E value : type.getEnumConstants()) {
      if (SharingJson.name(value).equals(text.get())) {
        return value;
      }
    }
    bad.accept(name, "must be one of " + Arrays.stream(type.getEnumConstants())
        .map(SharingJson::name).toList() + ", not '" + abbreviate(text.get()) + "'");
    return absent;
  }

  /** A page's offset and size from {@code offset} and {@code count}. */
  record Paging(long offset, int count) {
    static Paging of(RestRequest request) {
      return new Paging(request.queryLong("offset", 0, 0, Long.MAX_VALUE),
          (int) request.queryLong("count", PAGE_DEFAULT, 1, DataSharing.PAGE_MAX));
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
