package io.chorus.trace.epcis;

import java.util.regex.Pattern;

/** The URI syntax check EPCIS's JSON schema asks of identifiers ({@code "format": "uri"}). */
final class Uris {
  /** A scheme, a colon, then no whitespace or control characters (RFC 3986, loosely). */
  private static final Pattern ABSOLUTE =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*:[^\\s\\p{Cntrl}\"<>\\\\^`{|}]+");
  static final int LENGTH_MAX = 2048;

  private Uris() {
  }

  static boolean isAbsolute(String value) {
    return value.length() <= LENGTH_MAX && ABSOLUTE.matcher(value).matches();
  }
}
