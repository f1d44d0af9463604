package io.chorus.export;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * Strings as PostgreSQL holds them. Its {@code text} and {@code jsonb} cannot hold NUL, which
 * a transaction's strings may carry (the chain bounds them but does not read them): written as
 * they are, one such string would stop the export at its block for good. NUL is written as
 * U+FFFD instead.
 */
final class PostgresText {
  /** {@code \u0000} in JSON text: after an even run of backslashes, so not an escaped one. */
  private static final Pattern NUL_ESCAPE = Pattern.compile("(?<!\\\\)((?:\\\\\\\\)*)\\\\u0000");

  private PostgresText() {}

  /** For a {@code text} column. */
  static String text(String value) {
    return value == null ? null : value.replace('\u0000', '\uFFFD');
  }

  /** For a {@code jsonb} column: each string's NUL (escaped {@code \u0000}) as U+FFFD. */
  static String json(JsonNode value) {
    return NUL_ESCAPE.matcher(value.toString()).replaceAll("$1\\\\ufffd");
  }
}
