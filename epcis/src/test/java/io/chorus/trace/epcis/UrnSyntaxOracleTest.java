package io.chorus.trace.epcis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The hand-written syntax checks of EPC URNs (Gs1Identifiers), URIs (Uris) and the hash ID's
 * decimals (EventHashId), which replaced regular expressions for speed, accept exactly what
 * those expressions accept. The expressions are the oracle here; 50,000 generated inputs per check, built from the shapes' parts (digits,
 * dots, URN characters, %-escapes, characters outside the sets) so that most are near misses.
 */
class UrnSyntaxOracleTest {
  private static final String CHAR = "(?:%[0-9A-Fa-f]{2}|[!'()*+,\\-.0-9:;=A-Z_a-z])";
  private static final Pattern URI =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.\\-]*:[^\\s\\p{Cntrl}\"<>\\\\^`{|}]+");
  private static final String PIECES = "0123456789..%%4fAzZ!'()*+,-:;=_~ /#\"<>{}^`|\\\u00e9\t\u007f";
  private static final String VALID = "0123456789AFZafz!'()*+,-.:;=_";
  private static final int RUNS = 50_000;

  @Test
  void epcUrnsAreAcceptedExactlyAsTheTagDataStandardExpressionsAccept() {
    SplittableRandom random = new SplittableRandom(21);
    int accepted = 0;
    for (int run = 0; run < RUNS; run++) {
      String body = body(random);
      accepted += check("sgtin", body, "(\\d{6,12})\\.(\\d{1,7})\\.(" + CHAR + "{1,20})", 13, 0);
      check("upui", body, "(\\d{6,12})\\.(\\d{1,7})\\.(" + CHAR + "{1,28})", 13, 0);
      check("sscc", body, "(\\d{6,12})\\.(\\d*)", 17, 0);
      check("pgln", body, "(\\d{6,12})\\.(\\d*)", 12, 0);
      check("sgln", body, "(\\d{6,12})\\.(\\d{0,6})\\.(" + CHAR + "{1,20})", 12, 0);
      check("grai", body, "(\\d{6,12})\\.(\\d{0,6})\\.(" + CHAR + "{1,16})", 12, 0);
      check("gdti", body, "(\\d{6,12})\\.(\\d*)\\.(" + CHAR + "{1,17})", 12, 0);
      check("sgcn", body, "(\\d{6,12})\\.(\\d*)\\.(\\d{1,12})", 12, 0);
      check("giai", body, "(\\d{6,12})\\.(" + CHAR + "+)", 0, 30);
    }
    assertTrue(accepted > RUNS / 100, "the generator must reach valid SGTINs often, reached "
        + accepted);
  }

  @Test
  void decimalsOfTheHashIdAreRecognisedExactlyAsTheExpressionRecognisesThem() {
    Pattern decimal = Pattern.compile("[+-]?\\d+(\\.\\d+)?");
    String pieces = "0123456789+-.e \u0663";
    SplittableRandom random = new SplittableRandom(77);
    int decimals = 0;
    for (int run = 0; run < RUNS; run++) {
      StringBuilder value = new StringBuilder();
      for (int i = random.nextInt(8); i > 0; i--) {
        value.append(random.nextInt(3) > 0 ? (char) ('0' + random.nextInt(10))
            : pieces.charAt(random.nextInt(pieces.length())));
      }
      String text = value.toString();
      boolean expected = decimal.matcher(text).matches();
      decimals += expected ? 1 : 0;
      assertEquals(expected, EventHashId.isDecimal(text), "'" + text + "'");
    }
    assertTrue(decimals > RUNS / 10, "the generator must reach decimals often, reached "
        + decimals);
  }

  @Test
  void urisAreAcceptedExactlyAsTheExpressionAccepts() {
    SplittableRandom random = new SplittableRandom(1003);
    for (int run = 0; run < RUNS; run++) {
      StringBuilder value = new StringBuilder();
      for (int i = random.nextInt(12); i > 0; i--) {
        value.append(random.nextInt(4) == 0 ? ':' : PIECES.charAt(random.nextInt(PIECES.length())));
      }
      if (random.nextBoolean()) {
        value.insert(0, random.nextBoolean() ? "urn:" : "x");
      }
      String text = value.toString();
      assertEquals(URI.matcher(text).matches(), Uris.isAbsolute(text), "'" + text + "'");
    }
  }

  // 1 when the URN was valid. digits: what company prefix and reference make together (0: no
  // rule); maxWithReference: the most characters of prefix and decoded reference (0: no rule).
  private static int check(String scheme, String body, String regex, int digits,
      int maxWithReference) {
    Matcher m = Pattern.compile(regex).matcher(body);
    boolean expected = m.matches()
        && (digits == 0 || m.group(1).length() + m.group(2).length() == digits)
        && (maxWithReference == 0 || m.group(1).length() + m.group(2).length()
            - 2 * (int) m.group(2).chars().filter(c -> c == '%').count() <= maxWithReference);
    String uri = "urn:epc:id:" + scheme + ":" + body;
    assertEquals(expected, Gs1Identifiers.read(uri).valid(), uri);
    return expected ? 1 : 0;
  }

  // Company prefix, reference and serial, each usually but not always of a valid shape.
  private static String body(SplittableRandom random) {
    StringBuilder out = new StringBuilder();
    int company = 5 + random.nextInt(9);
    digits(out, random, company);
    out.append('.');
    // Mostly the length that makes a key of 12, 13 or 17 digits with the prefix.
    int[] keys = {12, 13, 17};
    digits(out, random, random.nextInt(3) == 0 ? random.nextInt(9)
        : Math.max(0, keys[random.nextInt(3)] - company));
    if (random.nextInt(4) > 0) {
      out.append('.');
      for (int i = random.nextInt(24); i > 0; i--) {
        if (random.nextInt(10) == 0) {
          out.append('%').append(PIECES.charAt(random.nextInt(PIECES.length())))
              .append("0123456789aF".charAt(random.nextInt(12)));
        } else {
          String from = random.nextInt(3) == 0 ? PIECES : VALID;
          out.append(from.charAt(random.nextInt(from.length())));
        }
      }
    }
    return out.toString();
  }

  private static void digits(StringBuilder out, SplittableRandom random, int count) {
    for (int i = 0; i < count; i++) {
      out.append(random.nextInt(40) == 0 ? 'x' : (char) ('0' + random.nextInt(10)));
    }
  }
}
