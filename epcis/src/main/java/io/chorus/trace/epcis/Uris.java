package io.chorus.trace.epcis;

/** The URI syntax check EPCIS's JSON schema asks of identifiers ({@code "format": "uri"}). */
final class Uris {
  static final int LENGTH_MAX = 2048;

  // The printable ASCII characters a URI leaves out, by code: searching a string of them for
  // each character of each URI was most of this check's time under the members' quick JIT.
  private static final boolean[] EXCLUDED = new boolean[128];

  static {
    for (char c : "\"<>\\^`{|}".toCharArray()) {
      EXCLUDED[c] = true;
    }
  }

  private Uris() {
  }

  /**
   * A scheme ({@code [A-Za-z][A-Za-z0-9+.-]*}), a colon, then one or more characters that are
   * not whitespace, ASCII controls or {@code "<>\^`{|}} (RFC 3986, loosely). Checked by hand:
   * every EPC and location of every event passes here, and the regular expression this was took
   * a tenth of an event's reading under the members' quick JIT.
   */
  static boolean isAbsolute(String value) {
    int length = value.length();
    if (length > LENGTH_MAX || length == 0 || !letter(value.charAt(0))) {
      return false;
    }
    int colon = 1;
    while (colon < length && schemeChar(value.charAt(colon))) {
      colon++;
    }
    if (colon >= length - 1 || value.charAt(colon) != ':') {
      return false;
    }
    for (int i = colon + 1; i < length; i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == 0x7F || (c < 128 && EXCLUDED[c])) {
        return false;
      }
    }
    return true;
  }

  private static boolean letter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  private static boolean schemeChar(char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '+' || c == '.' || c == '-';
  }
}
