package io.chorus.trace;

import io.chorus.trace.TraceQuery.ValuePattern;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EPC pattern URIs of the EPC Tag Data Standard ({@code urn:epc:idpat:sgtin:4012345.011111.*})
 * as patterns of the canonical Digital Link values the index holds, and a location with its
 * sub-locations ({@code WD_readPoint}, {@code WD_bizLocation}).
 *
 * <p>A pattern URI fixes its leading components and stars the rest: {@code CP.REF.*}, {@code
 * CP.*.*}, {@code *.*.*} (or {@code CP.*}, {@code *.*} for two-part schemes); with no star it
 * names one identifier. Supported: sgtin, sscc, sgln, grai and giai. A Digital Link does not
 * carry the company prefix's length, so {@code CP.*.*} matches every key whose digits start
 * with CP after the indicator (or extension) digit, including keys of a longer company prefix
 * that begins with the same digits.
 */
final class EpcPatterns {
  static final List<String> SCHEMES = List.of("sgtin", "sscc", "sgln", "grai", "giai");
  private static final String DL = "https://id.gs1.org/";
  private static final String QUOTED_DL = Pattern.quote(DL);
  private static final Pattern GLN = Pattern.compile(QUOTED_DL + "414/\\d{13}");

  private EpcPatterns() {}

  /** Whether {@code value} is an EPC pattern URI rather than an identifier. */
  static boolean isPattern(String value) {
    return value.startsWith("urn:epc:idpat:");
  }

  /**
   * The pattern of {@code uri}, for a field holding instances ({@code classes} false) or
   * classes ({@code MATCH_epcClass}: an SGTIN pattern matches its GTIN and that GTIN's lots).
   *
   * @throws IllegalArgumentException saying what is wrong and what to send
   */
  static ValuePattern of(String uri, boolean classes) {
    String rest = uri.substring("urn:epc:idpat:".length());
    int colon = rest.indexOf(':');
    String scheme = colon < 0 ? rest : rest.substring(0, colon);
    if (!SCHEMES.contains(scheme)) {
      throw new IllegalArgumentException("'" + uri + "': EPC patterns of scheme '" + scheme
          + "' are not supported; supported: " + String.join(", ", SCHEMES));
    }
    String[] parts = rest.substring(colon + 1).split("\\.", -1);
    int fixed = 0;
    while (fixed < parts.length && !parts[fixed].equals("*")) {
      fixed++;
    }
    for (int i = fixed; i < parts.length; i++) {
      if (!parts[i].equals("*")) {
        throw new IllegalArgumentException("'" + uri + "' is no EPC pattern: once a component"
            + " is *, the ones after it are too (e.g. urn:epc:idpat:sgtin:4012345.*.*)");
      }
    }
    int size = scheme.equals("sscc") || scheme.equals("giai") ? 2 : 3;
    if (parts.length != size || (fixed > 0 && !parts[0].matches("\\d{6,12}"))) {
      throw new IllegalArgumentException("'" + uri + "' is no EPC pattern of " + scheme
          + ": it has " + size + " components separated by dots, the company prefix (6-12"
          + " digits) first, e.g. urn:epc:idpat:" + scheme + ":" + (size == 3
              ? "4012345.*.*" : "4012345.*"));
    }
    if (fixed == size) {
      return exact(identifier(uri, "urn:epc:id:" + rest));
    }
    String cp = fixed == 0 ? "" : parts[0];
    return switch (scheme) {
      case "sgtin" -> sgtin(uri, fixed, cp, classes);
      case "sscc" -> leadingDigit("00/", cp, 17 - cp.length(), "");
      case "sgln" -> sgln(uri, fixed, cp, parts);
      case "grai" -> grai(uri, fixed, cp, parts);
      default -> new ValuePattern(List.of(DL + "8004/" + cp),
          Pattern.compile(QUOTED_DL + "8004/" + cp + (cp.isEmpty() ? "\\d{6,}" : "") + ".+"));
    };
  }

  private static ValuePattern sgtin(String uri, int fixed, String cp, boolean classes) {
    String tail = classes ? "(/10/.+)?" : "/21/.+";
    if (fixed == 2) {
      String gtin = identifier(uri, uri);
      return new ValuePattern(List.of(classes ? gtin : gtin + "/21/"),
          Pattern.compile(Pattern.quote(gtin) + tail));
    }
    return leadingDigit("01/", cp, 13 - cp.length(), tail);
  }

  private static ValuePattern sgln(String uri, int fixed, String cp, String[] parts) {
    String tail = "(/254/.+)?";
    if (fixed == 2) {
      String gln = identifier(uri, "urn:epc:id:sgln:" + parts[0] + "." + parts[1] + ".0");
      return new ValuePattern(List.of(gln), Pattern.compile(Pattern.quote(gln) + tail));
    }
    return new ValuePattern(List.of(DL + "414/" + cp), Pattern.compile(QUOTED_DL + "414/" + cp
        + "\\d{" + (13 - cp.length()) + "}" + tail));
  }

  private static ValuePattern grai(String uri, int fixed, String cp, String[] parts) {
    if (fixed == 2) {
      String key = identifier(uri, "urn:epc:id:grai:" + parts[0] + "." + parts[1] + ".0");
      key = key.substring(0, key.length() - 1); // the serial 0 taken off: key and check digit
      return new ValuePattern(List.of(key), Pattern.compile(Pattern.quote(key) + ".+"));
    }
    return new ValuePattern(List.of(DL + "8003/0" + cp), Pattern.compile(QUOTED_DL + "8003/0"
        + cp + "\\d{" + (13 - cp.length()) + "}.+"));
  }

  // A key whose first digit (GTIN indicator, SSCC extension) comes before the company prefix.
  private static ValuePattern leadingDigit(String ai, String cp, int digitsAfter, String tail) {
    List<String> prefixes = new ArrayList<>();
    if (cp.isEmpty()) {
      prefixes.add(DL + ai);
    } else {
      for (int digit = 0; digit <= 9; digit++) {
        prefixes.add(DL + ai + digit + cp);
      }
    }
    return new ValuePattern(prefixes, Pattern.compile(QUOTED_DL + ai + "\\d" + cp + "\\d{"
        + digitsAfter + "}" + tail));
  }

  private static ValuePattern exact(String canonical) {
    return new ValuePattern(List.of(canonical), Pattern.compile(Pattern.quote(canonical)));
  }

  private static String identifier(String sent, String urn) {
    Gs1Identifiers.Reading reading = Gs1Identifiers.read(urn);
    if (!reading.valid() || !reading.canonical().startsWith(DL)) {
      throw new IllegalArgumentException("'" + sent + "' does not follow the EPC Tag Data"
          + " Standard" + (reading.valid() ? "" : ": " + reading.problem()));
    }
    return reading.canonical();
  }

  /**
   * A location with its sub-locations, without master data: a GLN ({@code
   * https://id.gs1.org/414/{gln}}, or {@code urn:epc:id:sgln:CP.REF.0}) covers its SGLN
   * extensions ({@code /414/{gln}/254/{ext}}); any other location covers only itself.
   */
  static ValuePattern withDescendants(String canonical) {
    if (GLN.matcher(canonical).matches()) {
      return new ValuePattern(List.of(canonical), Pattern.compile(Pattern.quote(canonical)
          + "(/254/.+)?"));
    }
    return exact(canonical);
  }
}
