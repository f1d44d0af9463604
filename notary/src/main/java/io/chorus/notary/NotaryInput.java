package io.chorus.notary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.ContentHash;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.state.system.Notary;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The notary service's checks of what a client sends, each noting what is wrong with a field
 * through {@code bad(field, detail)} so that one answer lists every field to fix; the bounds
 * are the contract's, so a request the node accepts is one the contract can take.
 */
final class NotaryInput {
  private NotaryInput() {}

  /** A hash algorithm's label, or {@code fallback} when it is absent (or bad, noted). */
  static Notary.Algorithm algorithm(Optional<String> text, Notary.Algorithm fallback,
      String field, BiConsumer<String, String> bad) {
    if (text.isEmpty()) {
      return fallback;
    }
    try {
      return Notary.Algorithm.of(ContentHash.byLabel(text.get()).code());
    } catch (IllegalArgumentException e) {
      bad.accept(field, "must be sm3, sha256 or keccak256, not '" + abbreviate(text.get())
          + "'");
      return fallback;
    }
  }

  /**
   * Metadata as the contract stores it: a JSON object, as compact text, within its bound;
   * {@code {}} when absent.
   */
  static String metadata(Optional<JsonNode> value, String field,
      BiConsumer<String, String> bad) {
    if (value.isEmpty()) {
      return "{}";
    }
    if (!value.get().isObject()) {
      bad.accept(field, "must be a JSON object, not " + value.get().getNodeType().name()
          .toLowerCase(java.util.Locale.ROOT));
      return "{}";
    }
    String text;
    try {
      text = NotaryJson.JSON.writeValueAsString(value.get());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > Notary.METADATA_BYTES_MAX) {
      bad.accept(field, "is " + bytes + " bytes as compact JSON; the notary keeps at most "
          + Notary.METADATA_BYTES_MAX);
    }
    return text;
  }

  static void checkId(String id, String field, BiConsumer<String, String> bad) {
    int bytes = id.getBytes(StandardCharsets.UTF_8).length;
    if (bytes == 0 || bytes > Notary.ID_BYTES_MAX) {
      bad.accept(field, "must be 1 to " + Notary.ID_BYTES_MAX + " bytes of UTF-8, not "
          + bytes);
    } else if (id.chars().anyMatch(Character::isISOControl)) {
      bad.accept(field, "must not hold control characters");
    }
  }

  static void checkType(String type, String field, BiConsumer<String, String> bad) {
    if (!type.matches("[a-z0-9_-]{1," + Notary.RECORD_TYPE_BYTES_MAX + "}")) {
      bad.accept(field, "must be 1 to " + Notary.RECORD_TYPE_BYTES_MAX + " characters of"
          + " a-z, 0-9, '-' and '_' (e.g. contract, copyright, evidence), not '"
          + abbreviate(type) + "'");
    }
  }

  static byte[] hash(JsonNode value, String field, BiConsumer<String, String> bad) {
    if (!value.isTextual() || !value.asText().matches("0x[0-9a-fA-F]{64}")) {
      bad.accept(field, "must be 0x and 64 hex digits (32 bytes)");
      return new byte[Notary.HASH_BYTES];
    }
    return Hex.decode(value.asText());
  }

  static long positive(String text, String parameter, long max) {
    try {
      long value = Long.parseLong(text);
      if (value >= 1 && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw Problem.invalidField(parameter, "must be a whole number from 1 to " + max + ", not '"
        + abbreviate(text) + "'");
  }

  /**
   * The base of this node's URL as the client reached it, for a certificate's QR code: the
   * request's {@code Host}, with https when a proxy in front says so ({@code
   * X-Forwarded-Proto}); the RPC port itself serves plain HTTP.
   */
  static String baseUrl(RestRequest request) {
    String host = request.header("Host");
    if (host == null || !host.matches("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?")) {
      throw Problem.invalidField("Host", "the certificate links to this node by the request's"
          + " Host header: send host or host:port, not '" + (host == null ? "" : abbreviate(host))
          + "'");
    }
    String scheme = "https".equalsIgnoreCase(request.header("X-Forwarded-Proto"))
        ? "https" : "http";
    return scheme + "://" + host;
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
