package io.chorus.trace.epcis;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GS1 identifiers as EPCIS carries them: EPC URNs ({@code urn:epc:id:sgtin:...}), EPC class and
 * pattern URNs ({@code urn:epc:class:lgtin:...}, {@code urn:epc:idpat:sgtin:...}) and GS1
 * Digital Link URIs on any domain. Each is brought to the one form the CBV 2.0 event hash and
 * the event index use: the constrained canonical Digital Link URI on {@code https://id.gs1.org}
 * holding only the finest level of identification (GTIN + serial, not GTIN + CPV + serial), no
 * query string. A URN of a GS1 scheme that does not follow the EPC Tag Data Standard, or a
 * Digital Link path with a wrong length or check digit, is reported with what to send instead.
 */
public final class Gs1Identifiers {
  private static final String CANONICAL_HOST = "https://id.gs1.org/";

  /** One character of an EPC URN component (TDS 2.x), a %-escape included. */
  private static final String CHAR = "(?:%[0-9A-Fa-f]{2}|[!'()*+,\\-.0-9:;=A-Z_a-z])";

  /** The EPC schemes of the Tag Data Standard that are not GS1 keys: kept as they are. */
  private static final List<String> OTHER_EPC_SCHEMES = List.of("gid", "usdod", "adi", "bic",
      "imovn");

  /** Primary GS1 keys a Digital Link path may start with. */
  private static final List<String> PRIMARY_KEYS = List.of("00", "01", "253", "255", "401", "402",
      "414", "417", "8003", "8004", "8006", "8010", "8017", "8018");

  /** The qualifiers kept after each key, finest first: the first one present wins. */
  private static final Map<String, List<String>> KEPT_QUALIFIERS = Map.of(
      "01", List.of("21", "10", "235"),
      "8006", List.of("21", "10"),
      "414", List.of("254"),
      "8010", List.of("8011"));

  /** The syntax patterns, each compiled once: there are a few dozen, built from the tables. */
  private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

  private Gs1Identifiers() {
  }

  private static Pattern pattern(String regex) {
    return PATTERNS.computeIfAbsent(regex, Pattern::compile);
  }

  /**
   * What an identifier is: its canonical Digital Link URI when it is a GS1 key, or itself when it
   * is another URI (a private identifier, a geo URI, a non-GS1 EPC scheme); or what is wrong.
   */
  public record Reading(String canonical, String problem) {
    static Reading ok(String canonical) {
      return new Reading(canonical, null);
    }

    static Reading wrong(String problem) {
      return new Reading(null, problem);
    }

    public boolean valid() {
      return problem == null;
    }
  }

  /** The canonical form of {@code uri}, or {@code uri} itself when it is no GS1 identifier. */
  public static String canonical(String uri) {
    Reading reading = read(uri);
    return reading.valid() ? reading.canonical() : uri;
  }

  /** Reads an instance identifier, class or pattern (anything an EPCIS EPC field may hold). */
  public static Reading read(String uri) {
    if (uri.startsWith("urn:epc:id:")) {
      return epcUrn(uri);
    }
    if (uri.startsWith("urn:epc:class:")) {
      return classUrn(uri);
    }
    if (uri.startsWith("urn:epc:idpat:")) {
      return patternUrn(uri);
    }
    if (uri.startsWith("https://") || uri.startsWith("http://")) {
      return digitalLink(uri);
    }
    return Reading.ok(uri);
  }

  private static Reading epcUrn(String uri) {
    String rest = uri.substring("urn:epc:id:".length());
    int colon = rest.indexOf(':');
    String scheme = colon < 0 ? rest : rest.substring(0, colon);
    String body = colon < 0 ? "" : rest.substring(colon + 1);
    return switch (scheme) {
      case "sgtin" -> gtinWith(uri, body, 20, "21");
      case "upui" -> gtinWith(uri, body, 28, "235");
      case "sscc" -> withCheckDigit(uri, body, "00", 17, true, 0, false);
      case "sgln" -> sgln(uri, body);
      case "grai" -> grai(uri, body, 16);
      case "giai" -> companyAndReference(uri, body, "8004");
      case "ginc" -> companyAndReference(uri, body, "401");
      case "gsrn" -> withCheckDigit(uri, body, "8018", 17, false, 0, false);
      case "gsrnp" -> withCheckDigit(uri, body, "8017", 17, false, 0, false);
      case "gsin" -> withCheckDigit(uri, body, "402", 16, false, 0, false);
      case "pgln" -> withCheckDigit(uri, body, "417", 12, false, 0, false);
      case "gdti" -> withCheckDigit(uri, body, "253", 12, false, 17, false);
      case "sgcn" -> withCheckDigit(uri, body, "255", 12, false, 12, true);
      case "cpi" -> cpi(uri, body, "\\.(\\d{1,12})");
      case "itip" -> itip(uri, body, "\\.(" + CHAR + "{1,20})");
      default -> OTHER_EPC_SCHEMES.contains(scheme) && !body.isEmpty()
          ? Reading.ok(uri)
          : Reading.wrong("'" + uri + "' is no EPC URI: the scheme after urn:epc:id: is one of"
              + " sgtin, sscc, sgln, grai, giai, gsrn, gsrnp, gdti, cpi, sgcn, ginc, gsin, itip,"
              + " upui, pgln, gid, usdod, adi, bic, imovn (e.g."
              + " urn:epc:id:sgtin:4012345.011111.9876)");
    };
  }

  private static Reading classUrn(String uri) {
    String rest = uri.substring("urn:epc:class:".length());
    if (rest.startsWith("lgtin:")) {
      return gtinWith(uri, rest.substring("lgtin:".length()), 20, "10");
    }
    return Reading.wrong("'" + uri + "' is no EPC class URI: send"
        + " urn:epc:class:lgtin:CompanyPrefix.ItemRef.Lot (e.g."
        + " urn:epc:class:lgtin:4012345.012345.998877) or a GS1 Digital Link URI");
  }

  /**
   * Patterns that name a whole class become the Digital Link URI of the class; others (ranges
   * within a company prefix) have none and are kept as they are.
   */
  private static Reading patternUrn(String uri) {
    String rest = uri.substring("urn:epc:idpat:".length());
    int colon = rest.indexOf(':');
    if (colon <= 0 || !rest.endsWith(".*")) {
      return Reading.wrong("'" + uri + "' is no EPC pattern URI: send"
          + " urn:epc:idpat:SCHEME:...* (e.g. urn:epc:idpat:sgtin:4012345.012345.*)");
    }
    String scheme = rest.substring(0, colon);
    String body = rest.substring(colon + 1, rest.length() - 2);
    Reading reading = switch (scheme) {
      case "sgtin", "upui" -> gtinWith(uri, body, 0, null);
      case "grai" -> grai(uri, body, 0);
      case "gdti" -> withCheckDigit(uri, body, "253", 12, false, 0, false);
      case "sgcn" -> withCheckDigit(uri, body, "255", 12, false, 0, false);
      case "cpi" -> cpi(uri, body, "");
      case "itip" -> itip(uri, body, "");
      default -> null;
    };
    return reading == null || !reading.valid() ? Reading.ok(uri) : reading;
  }

  /**
   * Company prefix and item reference (13 digits together) to a GTIN-14, with a qualifier: the
   * serial or lot of 1 to {@code serialMax} characters (0: none, as in a pattern).
   */
  private static Reading gtinWith(String uri, String body, int serialMax, String qualifier) {
    String[] m = urnParts(body, 1, 7, serialMax);
    if (m == null || m[0].length() + m[1].length() != 13) {
      return Reading.wrong("'" + uri + "' does not follow the EPC Tag Data Standard: company"
          + " prefix (6-12 digits) and item reference (indicator digit first) make 13 digits,"
          + " e.g. urn:epc:id:sgtin:4012345.011111.9876");
    }
    String gtin = gtin14(m[0], m[1]);
    String path = "01/" + gtin;
    if (qualifier != null) {
      path += "/" + qualifier + "/" + encode(m[2]);
    }
    return Reading.ok(CANONICAL_HOST + path);
  }

  private static String gtin14(String companyPrefix, String itemReference) {
    String digits = itemReference.charAt(0) + companyPrefix + itemReference.substring(1);
    return digits + checkDigit(digits);
  }

  /**
   * Schemes whose key is company prefix + reference ({@code digits} together) + check digit:
   * SSCC (extension digit first), GSRN, GSRN-P, GSIN, PGLN, GDTI and SGCN (then a serial of 1 to
   * {@code serialMax} characters, digits only when {@code numericSerial}; 0: no serial).
   */
  private static Reading withCheckDigit(String uri, String body, String ai, int digits,
      boolean leadingExtension, int serialMax, boolean numericSerial) {
    String[] m = urnParts(body, 0, Integer.MAX_VALUE, serialMax);
    if (m == null || m[0].length() + m[1].length() != digits
        || (numericSerial && !allDigits(m[2]))) {
      return Reading.wrong("'" + uri + "' does not follow the EPC Tag Data Standard: company"
          + " prefix (6-12 digits) and reference make " + digits + " digits");
    }
    String reference = m[1];
    String key = leadingExtension
        ? reference.charAt(0) + m[0] + reference.substring(1)
        : m[0] + reference;
    String serialPart = serialMax == 0 ? "" : encode(m[2]);
    return Reading.ok(CANONICAL_HOST + ai + "/" + key + checkDigit(key) + serialPart);
  }

  private static Reading sgln(String uri, String body) {
    String[] m = urnParts(body, 0, 6, 20);
    if (m == null || m[0].length() + m[1].length() != 12) {
      return Reading.wrong("'" + uri + "' does not follow the EPC Tag Data Standard: send"
          + " urn:epc:id:sgln:CompanyPrefix.LocationRef.Extension with 12 digits before the"
          + " extension (0 for none), e.g. urn:epc:id:sgln:4012345.00011.0");
    }
    String gln = m[0] + m[1];
    String path = "414/" + gln + checkDigit(gln);
    if (!m[2].equals("0")) {
      path += "/254/" + encode(m[2]);
    }
    return Reading.ok(CANONICAL_HOST + path);
  }

  /** GRAI: a filler zero, company prefix and asset type (12 digits), check digit, serial. */
  private static Reading grai(String uri, String body, int serialMax) {
    String[] m = urnParts(body, 0, 6, serialMax);
    if (m == null || m[0].length() + m[1].length() != 12) {
      return Reading.wrong("'" + uri + "' does not follow the EPC Tag Data Standard: company"
          + " prefix and asset type make 12 digits, e.g. urn:epc:id:grai:4012345.66666.87");
    }
    String key = "0" + m[0] + m[1];
    String serial = serialMax == 0 ? "" : encode(m[2]);
    return Reading.ok(CANONICAL_HOST + "8003/" + key + checkDigit(key) + serial);
  }

  /** GIAI and GINC: company prefix then a reference, 30 characters at most together. */
  private static Reading companyAndReference(String uri, String body, String ai) {
    int dot = body.indexOf('.');
    String company = dot < 0 ? "" : body.substring(0, dot);
    String reference = dot < 0 ? "" : body.substring(dot + 1);
    if (!companyPrefix(company) || urnChars(reference) < 1
        || company.length() + decodedLength(reference) > 30) {
      return Reading.wrong("'" + uri + "' does not follow the EPC Tag Data Standard: send"
          + " CompanyPrefix.Reference, 30 characters at most together");
    }
    return Reading.ok(CANONICAL_HOST + ai + "/" + company + encode(reference));
  }

  private static Reading cpi(String uri, String body, String tail) {
    Matcher m = pattern("(\\d{6,12})\\.((?:%2[3dDfF]|[0-9A-Z\\-])+)" + tail)
        .matcher(body);
    if (!m.matches() || m.group(1).length() + decodedLength(m.group(2)) > 30) {
      return Reading.wrong("'" + uri + "' does not follow the EPC Tag Data Standard: send"
          + " urn:epc:id:cpi:CompanyPrefix.ComponentRef.Serial, e.g."
          + " urn:epc:id:cpi:4012345.ABC.123");
    }
    String path = "8010/" + m.group(1) + encode(m.group(2));
    if (!tail.isEmpty()) {
      path += "/8011/" + m.group(3);
    }
    return Reading.ok(CANONICAL_HOST + path);
  }

  private static Reading itip(String uri, String body, String tail) {
    Matcher m = pattern("(\\d{6,12})\\.(\\d{1,7})\\.(\\d{2})\\.(\\d{2})" + tail)
        .matcher(body);
    if (!m.matches() || m.group(1).length() + m.group(2).length() != 13) {
      return Reading.wrong("'" + uri + "' does not follow the EPC Tag Data Standard: send"
          + " urn:epc:id:itip:CompanyPrefix.ItemRef.Piece.Total.Serial, e.g."
          + " urn:epc:id:itip:4012345.012345.01.02.999");
    }
    String path = "8006/" + gtin14(m.group(1), m.group(2)) + m.group(3) + m.group(4);
    if (!tail.isEmpty()) {
      path += "/21/" + encode(m.group(5));
    }
    return Reading.ok(CANONICAL_HOST + path);
  }

  /**
   * A Digital Link URI: the first primary key in the path and its values, any path before it (a
   * resolver's own prefix) dropped. An http(s) URI without a GS1 key path is another URI.
   */
  private static Reading digitalLink(String uri) {
    int hostEnd = uri.indexOf('/', uri.indexOf("//") + 2);
    if (hostEnd < 0) {
      return Reading.ok(uri);
    }
    String path = uri.substring(hostEnd + 1);
    int query = indexOfAny(path, '?', '#');
    if (query >= 0) {
      path = path.substring(0, query);
    }
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length - 1; i++) {
      if (PRIMARY_KEYS.contains(segments[i]) && (segments.length - i) % 2 == 0) {
        return digitalLinkKey(uri, segments, i);
      }
    }
    return Reading.ok(uri);
  }

  private static Reading digitalLinkKey(String uri, String[] segments, int start) {
    String ai = segments[start];
    String value = segments[start + 1];
    String problem = keyProblem(ai, value);
    if (problem != null) {
      return Reading.wrong("'" + uri + "' is no valid GS1 Digital Link URI: " + problem);
    }
    if (ai.equals("01") && value.length() < 14) {
      value = "0".repeat(14 - value.length()) + value;
    }
    StringBuilder canonical = new StringBuilder(CANONICAL_HOST).append(ai).append('/')
        .append(value);
    for (String qualifier : KEPT_QUALIFIERS.getOrDefault(ai, List.of())) {
      String qualifierValue = qualifierValue(segments, start + 2, qualifier);
      if (qualifierValue != null) {
        if (qualifierValue.isEmpty()) {
          return Reading.wrong("'" + uri + "' has an empty value after /" + qualifier + "/");
        }
        canonical.append('/').append(qualifier).append('/').append(qualifierValue);
        break;
      }
    }
    return Reading.ok(canonical.toString());
  }

  private static String qualifierValue(String[] segments, int from, String qualifier) {
    for (int i = from; i + 1 < segments.length; i += 2) {
      if (segments[i].equals(qualifier)) {
        return segments[i + 1];
      }
    }
    return null;
  }

  /** What is wrong with the value of primary key {@code ai}, or null. */
  private static String keyProblem(String ai, String value) {
    return switch (ai) {
      case "00" -> digitsWithCheck("an SSCC", value, 18);
      case "01" -> pattern("\\d{8}|\\d{12}|\\d{13}|\\d{14}").matcher(value).matches()
          ? digitsWithCheck("a GTIN", value, value.length())
          : "a GTIN has 8, 12, 13 or 14 digits, not '" + value + "'";
      case "414", "417" -> digitsWithCheck("a GLN", value, 13);
      case "402" -> digitsWithCheck("a GSIN", value, 17);
      case "8017", "8018" -> digitsWithCheck("a GSRN", value, 18);
      case "253", "255" -> value.length() < 13 ? "the key has 13 digits, then a serial"
          : digitsWithCheck("the key", value.substring(0, 13), 13);
      case "8003" -> value.length() < 14 || value.charAt(0) != '0'
          ? "a GRAI is 0, 13 digits, then a serial"
          : digitsWithCheck("a GRAI", value.substring(1, 14), 13);
      case "8006" -> pattern("\\d{18}").matcher(value).matches()
          ? digitsWithCheck("an ITIP's GTIN", value.substring(0, 14), 14)
          : "an ITIP has 18 digits (GTIN, piece, total), not '" + value + "'";
      default -> value.isEmpty() || value.length() > 90 ? "empty or too long key value" : null;
    };
  }

  private static String digitsWithCheck(String what, String value, int length) {
    if (value.length() != length || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return what + " has " + length + " digits, not '" + value + "'";
    }
    int expected = checkDigit(value.substring(0, length - 1));
    if (value.charAt(length - 1) - '0' != expected) {
      return "the check digit of " + value + " should be " + expected;
    }
    return null;
  }

  /*
   * The URN bodies of the common schemes are split by hand rather than matched with regular
   * expressions: every EPC of every event is read here, on capture and again by every member's
   * indexer, and the expressions' per-character alternation of URN characters and %-escapes was
   * over a third of an event's reading under the members' quick JIT. The rules are the Tag Data
   * Standard's, as the expressions wrote them: (\d{6,12})\.(\d{min,max})(\.(CHAR{1,serialMax}))?
   * with CHAR one of !'()*+,-.0-9:;=A-Z_a-z or a %-escape of two hex digits.
   */

  /**
   * {@code body} as [company prefix, reference, serial]: 6 to 12 digits, a dot, {@code
   * referenceMin} to {@code referenceMax} digits, then (when {@code serialMax} > 0) a dot and 1 to
   * {@code serialMax} URN characters (a serial may hold dots); null when it is not that shape.
   */
  private static String[] urnParts(String body, int referenceMin, int referenceMax,
      int serialMax) {
    int first = body.indexOf('.');
    if (first < 0) {
      return null;
    }
    int second = serialMax == 0 ? body.length() : body.indexOf('.', first + 1);
    if (second < 0) {
      return null;
    }
    String company = body.substring(0, first);
    String reference = body.substring(first + 1, second);
    if (!companyPrefix(company) || reference.length() < referenceMin
        || reference.length() > referenceMax || !allDigits(reference)) {
      return null;
    }
    if (serialMax == 0) {
      return new String[] {company, reference, null};
    }
    String serial = body.substring(second + 1);
    int chars = urnChars(serial);
    return chars < 1 || chars > serialMax ? null : new String[] {company, reference, serial};
  }

  private static boolean companyPrefix(String digits) {
    return digits.length() >= 6 && digits.length() <= 12 && allDigits(digits);
  }

  private static boolean allDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  // Character classes by table: every character of every identifier passes one, and a call of
  // String.indexOf per character was ~12 % of reading identifiers under the members' quick JIT.
  private static final boolean[] URN_OTHER = table("!'()*+,-.:;=_");
  private static final boolean[] ESCAPED_IN_PATH = table("!()*+,:");

  private static boolean[] table(String chars) {
    boolean[] out = new boolean[128];
    chars.chars().forEach(c -> out[c] = true);
    return out;
  }

  private static boolean in(boolean[] table, char c) {
    return c < table.length && table[c];
  }

  /** The characters of an EPC URN component (a %-escape counts one), or -1 if it is not one. */
  private static int urnChars(String component) {
    int count = 0;
    for (int i = 0; i < component.length(); i++) {
      char c = component.charAt(i);
      if (c == '%') {
        if (i + 2 >= component.length() || !hex(component.charAt(i + 1))
            || !hex(component.charAt(i + 2))) {
          return -1;
        }
        i += 2;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || in(URN_OTHER, c))) {
        return -1;
      }
      count++;
    }
    return count;
  }

  private static boolean hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
  }

  /** The GS1 mod-10 check digit: weights 3 and 1 alternating from the rightmost digit. */
  static int checkDigit(String digits) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int weight = (digits.length() - i) % 2 == 1 ? 3 : 1;
      sum += (digits.charAt(i) - '0') * weight;
    }
    return (10 - sum % 10) % 10;
  }

  /**
   * A URN component in a Digital Link path: its %-escapes kept, and the characters the Digital
   * Link standard reserves in a path segment escaped as the reference implementation does.
   */
  private static String encode(String urnComponent) {
    StringBuilder out = new StringBuilder(urnComponent.length());
    for (int i = 0; i < urnComponent.length(); i++) {
      char c = urnComponent.charAt(i);
      if (in(ESCAPED_IN_PATH, c)) {
        out.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int decodedLength(String component) {
    int escapes = 0;
    for (int i = 0; i < component.length(); i++) {
      if (component.charAt(i) == '%') {
        escapes++;
      }
    }
    return component.length() - 2 * escapes;
  }

  private static int indexOfAny(String s, char a, char b) {
    int ia = s.indexOf(a);
    int ib = s.indexOf(b);
    return ia < 0 ? ib : ib < 0 ? ia : Math.min(ia, ib);
  }
}
