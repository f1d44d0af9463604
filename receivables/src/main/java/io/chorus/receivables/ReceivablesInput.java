package io.chorus.receivables;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.ValueCommitments;
import io.chorus.evm.Address;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.state.system.Receivables;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Reads the service's inputs, each error saying what to send: amounts in hundredths of the
 * currency unit, maturities in seconds or ISO-8601, document hashes, payment references,
 * piece ids and accounts in paths and queries.
 */
final class ReceivablesInput {
  static final String AMOUNT = "a whole number of hundredths of the currency unit (fen, cents)"
      + " from 1 to 2^128-1, as a string or a number: \"100000000\" is 1,000,000.00";
  private static final String HASH_PATTERN = "0x[0-9a-fA-F]{64}";

  private ReceivablesInput() {}

  /** A required amount in hundredths. */
  static BigInteger amount(Optional<JsonNode> value, String field,
      BiConsumer<String, String> bad) {
    if (value.isEmpty()) {
      bad.accept(field, "required: " + AMOUNT);
      return BigInteger.ONE;
    }
    JsonNode node = value.get();
    String text = node.isTextual() ? node.asText()
        : node.isIntegralNumber() ? node.bigIntegerValue().toString() : null;
    BigInteger amount = text != null && text.matches("[0-9]{1,39}") ? new BigInteger(text)
        : null;
    if (amount == null || amount.signum() <= 0
        || amount.compareTo(Receivables.VALUE_LIMIT) >= 0) {
      bad.accept(field, "must be " + AMOUNT + ", not " + abbreviate(node.toString()));
      return BigInteger.ONE;
    }
    return amount;
  }

  /** A required maturity: seconds since the epoch, or an ISO-8601 time with its offset. */
  static long maturity(Optional<JsonNode> value, String field, BiConsumer<String, String> bad) {
    String want = "a time in seconds since the epoch, or ISO-8601 with its offset"
        + " (2026-09-30T00:00:00+08:00)";
    if (value.isEmpty()) {
      bad.accept(field, "required: " + want);
      return 0;
    }
    JsonNode node = value.get();
    if (node.isIntegralNumber() && node.canConvertToLong() && node.asLong() > 0) {
      return node.asLong();
    }
    if (node.isTextual()) {
      Optional<Long> seconds = seconds(node.asText());
      if (seconds.isPresent()) {
        return seconds.get();
      }
    }
    bad.accept(field, "must be " + want + ", not " + abbreviate(node.toString()));
    return 0;
  }

  /** Seconds since the epoch from digits or an ISO-8601 time with its offset. */
  static Optional<Long> seconds(String text) {
    if (text.matches("[1-9][0-9]{0,17}")) {
      return Optional.of(Long.parseLong(text));
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toEpochSecond());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** 1 to {@link Receivables#DOCUMENTS_MAX} document hashes. */
  static List<byte[]> documents(Optional<JsonNode> value, String field,
      BiConsumer<String, String> bad) {
    List<byte[]> out = new ArrayList<>();
    if (value.isEmpty() || !value.get().isArray() || value.get().isEmpty()
        || value.get().size() > Receivables.DOCUMENTS_MAX) {
      bad.accept(field, "required: an array of 1 to " + Receivables.DOCUMENTS_MAX
          + " document hashes (contract, invoice, delivery note: notary content hashes or"
          + " EPCIS event hash IDs), each 0x and 64 hex digits");
      return out;
    }
    for (int i = 0; i < value.get().size(); i++) {
      JsonNode item = value.get().get(i);
      if (!item.isTextual() || !item.asText().matches(HASH_PATTERN)) {
        bad.accept(field + "/" + i, "must be 0x and 64 hex digits, not "
            + abbreviate(item.toString()));
      } else {
        out.add(Hex.decode(item.asText()));
      }
    }
    return out;
  }

  /** A currency: three capital letters. */
  static String currency(Optional<String> value, String field, BiConsumer<String, String> bad) {
    if (value.isEmpty() || !value.get().matches("[A-Z]{3}")) {
      bad.accept(field, "required: an ISO 4217 code of three capital letters (CNY, USD)"
          + value.map(v -> ", not '" + abbreviate(v) + "'").orElse(""));
      return "CNY";
    }
    return value.get();
  }

  /**
   * A payment reference: 0x and 64 hex digits, or a text of 1 to 32 bytes (UTF-8), kept
   * left-aligned in the 32 bytes.
   */
  static byte[] paymentRef(Optional<String> value, String field,
      BiConsumer<String, String> bad) {
    if (value.isPresent() && value.get().matches(HASH_PATTERN)) {
      return Hex.decode(value.get());
    }
    byte[] text = value.map(v -> v.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
    if (text.length == 0 || text.length > 32) {
      bad.accept(field, "required: the payment's reference, a text of 1 to 32 bytes (the"
          + " transfer's reference, CNAPS-0001) or 0x and 64 hex digits (a hash of the payment"
          + " record)");
      return new byte[32];
    }
    byte[] ref = new byte[32];
    System.arraycopy(text, 0, ref, 0, text.length);
    return ref;
  }

  /** A confidential issue's face value commitment and its blinding, from a confirmation. */
  record Committed(byte[] commitment, BigInteger blinding) {}

  /**
   * The faceCommitment and faceBlinding a confidential confirmation answered (with {@code
   * confidential}, which it also carries); empty for an issue in clear.
   */
  static Optional<Committed> faceCommitment(RestRequest.Fields f) {
    boolean confidential = f.optionalBoolean("confidential").orElse(false);
    Optional<byte[]> commitment = f.optionalHex("faceCommitment",
        ValueCommitments.POINT_BYTES);
    Optional<byte[]> blinding = f.optionalHex("faceBlinding", 32);
    String from = "as the obligor's confidential confirmation answered it (POST"
        + " /confirmations with \"confidential\": true)";
    if (commitment.isEmpty() && (confidential || blinding.isPresent())) {
      f.bad("faceCommitment", "required for a confidential issue: 0x and 66 hex digits, "
          + from);
    }
    if (blinding.isEmpty() && (confidential || commitment.isPresent())) {
      f.bad("faceBlinding", "required for a confidential issue: 0x and 64 hex digits, " + from);
    }
    return commitment.isPresent() && blinding.isPresent() ? Optional.of(new Committed(
        commitment.get(), new BigInteger(1, blinding.get()))) : Optional.empty();
  }

  /** A piece id in a path: a number from 1. */
  static long pieceId(RestRequest request) {
    String text = request.path("id");
    if (text.matches("[1-9][0-9]{0,17}")) {
      return Long.parseLong(text);
    }
    throw Problem.invalidField("id", "must be a piece number from 1, not '"
        + abbreviate(text) + "'");
  }

  /** An account in a path. */
  static Address account(RestRequest request, String name) {
    return address(request.path(name), name);
  }

  /** An account given as 0x and 40 hex digits. */
  static Address address(String text, String name) {
    if (!text.matches("0x[0-9a-fA-F]{40}")) {
      throw Problem.invalidField(name, "must be an account, 0x and 40 hex digits, not '"
          + abbreviate(text) + "'");
    }
    return Address.parse(text);
  }

  /** A required query parameter. */
  static String query(RestRequest request, String name, String what) {
    return request.query(name).orElseThrow(() -> Problem.invalidField(name, "required: "
        + what));
  }

  static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
