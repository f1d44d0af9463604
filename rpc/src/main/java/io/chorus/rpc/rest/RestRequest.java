package io.chorus.rpc.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A request as a route's handler sees it: the path parameters its template named, the query
 * parameters, the caller its credentials proved, and its body parsed as the route declared.
 * Bad input is refused with {@link Problem}: {@link #fields()} collects every bad body field
 * before refusing, so a client learns all it must fix at once.
 */
public final class RestRequest {
  /** A part of a {@code multipart/form-data} body; a file's bytes, or a field's value. */
  public record Part(String name, Optional<String> fileName, String contentType, byte[] bytes) {
    public Part {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(fileName, "fileName");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  private final Route route;
  private final Map<String, String> pathParameters;
  private final Map<String, List<String>> query;
  private final Optional<Caller> caller;
  private final JsonNode body;
  private final List<Part> parts;
  private final byte[] document;
  private final Function<String, String> headers;
  private final Optional<InetAddress> client;

  RestRequest(Route route, Map<String, String> pathParameters, Map<String, List<String>> query,
      Optional<Caller> caller, JsonNode body, List<Part> parts, byte[] document,
      Function<String, String> headers, Optional<InetAddress> client) {
    this.route = route;
    this.pathParameters = Map.copyOf(pathParameters);
    this.query = Map.copyOf(query);
    this.caller = caller;
    this.body = body;
    this.parts = List.copyOf(parts);
    this.document = document;
    this.headers = headers;
    this.client = client;
  }

  public Route route() {
    return route;
  }

  /** A path parameter the route's template names, percent-decoded. */
  public String path(String name) {
    String value = pathParameters.get(name);
    if (value == null) {
      throw new IllegalArgumentException(route.name() + " has no path parameter " + name);
    }
    return value;
  }

  /** A query parameter's first value. */
  public Optional<String> query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The names of the query parameters sent, for a route that refuses those it does not know. */
  public Set<String> queryNames() {
    return query.keySet();
  }

  /** A query parameter's values, in order (empty when absent). */
  public List<String> queryAll(String name) {
    return query.getOrDefault(name, List.of());
  }

  /**
   * A whole-number query parameter within {@code [min, max]}, or {@code absent} when it is not
   * sent; 400 naming the parameter when it is not such a number.
   */
  public long queryLong(String name, long absent, long min, long max) {
    Optional<String> text = query(name);
    if (text.isEmpty()) {
      return absent;
    }
    try {
      long value = Long.parseLong(text.get());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Problem.invalidField(name, "must be a whole number from " + min + " to " + max
        + ", not '" + text.get() + "'");
  }

  /** A request header's value, or null. */
  public String header(String name) {
    return headers.apply(name);
  }

  /**
   * The address the request came from, as the socket saw it (a proxy's, behind one); empty when
   * the request reached the API without a socket (tests).
   */
  public Optional<InetAddress> clientAddress() {
    return client;
  }

  /** The caller, when the request sent valid credentials (always on a route with a role). */
  public Optional<Caller> caller() {
    return caller;
  }

  /** The caller of a route with a role: present by then, as {@link RestApi} checked. */
  public Caller requireCaller() {
    return caller.orElseThrow(() -> Problem.unauthorized("send an API token as "
        + "'Authorization: Bearer <token>'", false));
  }

  /** The parsed JSON body of a {@link Route.Body#JSON} route. */
  public JsonNode body() {
    if (body == null) {
      throw new IllegalStateException(route.name() + " takes no JSON body");
    }
    return body;
  }

  /** The bytes of a {@link Route.Body#DOCUMENT} body, as sent. */
  public byte[] document() {
    if (document == null) {
      throw new IllegalStateException(route.name() + " takes no document body");
    }
    return document.clone();
  }

  /** The parts of a {@link Route.Body#MULTIPART} body, in order. */
  public List<Part> parts() {
    return parts;
  }

  /** The first part named {@code name}. */
  public Optional<Part> part(String name) {
    return parts.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** A reader of the JSON body's fields that collects every error before refusing. */
  public Fields fields() {
    return new Fields(body());
  }

  /**
   * Reads a JSON object's fields, noting each bad or missing one; {@link #check()} then refuses
   * the request with all of them, and with any field of the body that was never read (a
   * misspelt name).
   */
  public static final class Fields {
    private final JsonNode object;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<Problem.FieldError> errors = new ArrayList<>();

    Fields(JsonNode object) {
      this.object = object;
      if (!object.isObject()) {
        errors.add(new Problem.FieldError("", "the body must be a JSON object, not "
            + object.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
      }
    }

    /** A required, non-blank string. */
    public String text(String name) {
      return optionalText(name).orElseGet(() -> {
        missing(name, "a non-empty string");
        return "";
      });
    }

    /** An optional string; blank counts as absent. */
    public Optional<String> optionalText(String name) {
      JsonNode value = field(name);
      if (value == null) {
        return Optional.empty();
      }
      if (!value.isTextual()) {
        bad(name, "must be a string, not " + value.getNodeType().name().toLowerCase(
            java.util.Locale.ROOT));
        return Optional.empty();
      }
      return value.asText().isBlank() ? Optional.empty() : Optional.of(value.asText());
    }

    /** An optional {@code true} or {@code false}. */
    public Optional<Boolean> optionalBoolean(String name) {
      JsonNode value = field(name);
      if (value == null) {
        return Optional.empty();
      }
      if (!value.isBoolean()) {
        bad(name, "must be true or false, not " + value);
        return Optional.empty();
      }
      return Optional.of(value.booleanValue());
    }

    /**
     * Required hex bytes, {@code 0x}-prefixed: exactly {@code length} bytes, or any number when
     * {@code length} is negative.
     */
    public byte[] hex(String name, int length) {
      return optionalHex(name, length).orElseGet(() -> {
        missing(name, length < 0 ? "0x-prefixed hex" : "0x and " + 2 * length + " hex digits");
        return new byte[Math.max(0, length)];
      });
    }

    /** Optional hex bytes, as {@link #hex}. */
    public Optional<byte[]> optionalHex(String name, int length) {
      Optional<String> text = optionalText(name);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      String want = length < 0 ? "0x-prefixed hex" : "0x and " + 2 * length + " hex digits";
      String hex = text.get();
      if (!hex.startsWith("0x") || !hex.substring(2).matches("([0-9a-fA-F]{2})*")) {
        bad(name, "must be " + want + ", not '" + abbreviate(hex) + "'");
        return Optional.empty();
      }
      byte[] bytes = Hex.decode(hex);
      if (length >= 0 && bytes.length != length) {
        bad(name, "must be " + want + " (" + length + " bytes), not " + bytes.length
            + " bytes");
        return Optional.empty();
      }
      return Optional.of(bytes);
    }

    /**
     * An optional field of any JSON type (an object, an array), for the caller to check and
     * report with {@link #bad}; absent when missing or null.
     */
    public Optional<JsonNode> optionalJson(String name) {
      return Optional.ofNullable(field(name));
    }

    /** A required account address. */
    public Address address(String name) {
      return Address.of(hex(name, Address.BYTES));
    }

    /** Notes an error found by the caller's own check of a field it read. */
    public void bad(String name, String detail) {
      errors.add(new Problem.FieldError("/" + name, detail));
    }

    /** Refuses the request with every error noted, and with each unknown field of the body. */
    public void check() {
      if (object.isObject()) {
        object.fieldNames().forEachRemaining(name -> {
          if (!read.contains(name)) {
            errors.add(new Problem.FieldError("/" + name, "unknown field; this body takes "
                + String.join(", ", read)));
          }
        });
      }
      if (!errors.isEmpty()) {
        throw Problem.invalid(errors.size() == 1 ? "1 field is invalid"
            : errors.size() + " fields are invalid", errors);
      }
    }

    private JsonNode field(String name) {
      read.add(name);
      JsonNode value = object.isObject() ? object.get(name) : null;
      return value == null || value.isNull() ? null : value;
    }

    private void missing(String name, String what) {
      if (object.isObject() && errors.stream().noneMatch(e -> e.field().equals("/" + name))) {
        errors.add(new Problem.FieldError("/" + name, "required: send " + what));
      }
    }

    private static String abbreviate(String text) {
      return text.length() <= 20 ? text : text.substring(0, 20) + "…";
    }
  }
}
