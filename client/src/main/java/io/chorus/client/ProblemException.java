package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A refusal by a node's REST API: its RFC 9457 problem, with the type to switch on
 * ({@code urn:chorus:problem:not-a-member}) and, for a bad request, each bad field.
 */
public final class ProblemException extends ClientException {
  private static final long serialVersionUID = 1L;

  /** One bad input: a JSON pointer into the body ({@code /fields/1}) and what to send. */
  public record FieldError(String field, String detail) {}

  private final int status;
  private final String type;
  private final String detail;
  private final List<FieldError> errors;
  private final transient JsonNode body;

  ProblemException(String what, JsonNode problem) {
    super(what + " refused (" + problem.path("status").asInt() + " "
        + problem.path("title").asText() + "): " + problem.path("detail").asText());
    this.status = problem.path("status").asInt();
    this.type = problem.path("type").asText();
    this.detail = problem.path("detail").asText();
    List<FieldError> fields = new ArrayList<>();
    // A bad request names each field; a conflict over EPCIS events names each event's pointer.
    problem.path("errors").forEach(e -> fields.add(new FieldError(
        e.path("field").asText(e.path("pointer").asText()), e.path("detail").asText())));
    this.errors = List.copyOf(fields);
    this.body = problem;
  }

  /** The HTTP status, 400 to 599. */
  public int status() {
    return status;
  }

  /** The problem type, {@code urn:chorus:problem:…}. */
  public String type() {
    return type;
  }

  public String detail() {
    return detail;
  }

  /** The bad fields of a 400; empty otherwise. */
  public List<FieldError> errors() {
    return errors;
  }

  /** The whole problem, with members particular to it (a transaction's {@code reason}). */
  public JsonNode body() {
    return body;
  }
}
