package io.chorus.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.rpc.rest.Problem;
import io.chorus.trace.TraceQuery.ValuePattern;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The query parameters that need more than a value looked up: EPC patterns, locations with
 * their sub-locations, quantity bounds and page tokens. Method: each pattern of the EPC Tag
 * Data Standard's forms is tested on identifiers it covers and on near misses written as URNs
 * and brought to their canonical Digital Link; each refusal names its parameter.
 */
class EpcisQueryParametersTest {
  private static TraceQuery parse(Map<String, List<String>> parameters) {
    return EpcisQueryParameters.parse(parameters).query();
  }

  private static boolean covers(ValuePattern pattern, String urn) {
    return pattern.matches(Gs1Identifiers.canonical(urn));
  }

  @Test
  void sgtinPatternsCoverTheirItemsAndNothingElse() {
    ValuePattern item = EpcPatterns.of("urn:epc:idpat:sgtin:4012345.011111.*", false);
    assertTrue(covers(item, "urn:epc:id:sgtin:4012345.011111.9876"));
    assertFalse(covers(item, "urn:epc:id:sgtin:4012345.011112.9876"), "another item");
    assertFalse(covers(item, "urn:epc:class:lgtin:4012345.011111.L1"), "a lot is no item");
    ValuePattern company = EpcPatterns.of("urn:epc:idpat:sgtin:4012345.*.*", false);
    assertTrue(covers(company, "urn:epc:id:sgtin:4012345.011111.1"));
    assertTrue(covers(company, "urn:epc:id:sgtin:4012345.922222.1"), "any indicator digit");
    assertFalse(covers(company, "urn:epc:id:sgtin:4012346.011111.1"));
    assertFalse(covers(company, "urn:epc:id:sscc:4012345.0000000001"));
    ValuePattern any = EpcPatterns.of("urn:epc:idpat:sgtin:*.*.*", false);
    assertTrue(covers(any, "urn:epc:id:sgtin:0614141.107346.2017"));
    assertFalse(covers(any, "urn:epc:id:sscc:4012345.0000000001"));
    ValuePattern one = EpcPatterns.of("urn:epc:idpat:sgtin:4012345.011111.9876", false);
    assertTrue(covers(one, "urn:epc:id:sgtin:4012345.011111.9876"));
    assertFalse(covers(one, "urn:epc:id:sgtin:4012345.011111.98765"));
  }

  @Test
  void aClassPatternCoversItsGtinAndItsLots() {
    ValuePattern classes = EpcPatterns.of("urn:epc:idpat:sgtin:4012345.011111.*", true);
    assertTrue(covers(classes, "urn:epc:class:lgtin:4012345.011111.L1"));
    assertTrue(covers(classes, "urn:epc:idpat:sgtin:4012345.011111.*"));
    assertFalse(covers(classes, "urn:epc:class:lgtin:4012345.011112.L1"));
    assertFalse(covers(classes, "urn:epc:id:sgtin:4012345.011111.1"), "an item is no class");
  }

  @Test
  void otherSchemesMapToTheirDigitalLinkKeys() {
    ValuePattern sscc = EpcPatterns.of("urn:epc:idpat:sscc:4012345.*", false);
    assertTrue(covers(sscc, "urn:epc:id:sscc:4012345.0000000001"));
    assertTrue(covers(sscc, "urn:epc:id:sscc:4012345.9000000001"), "any extension digit");
    assertFalse(covers(sscc, "urn:epc:id:sscc:4012346.0000000001"));
    ValuePattern site = EpcPatterns.of("urn:epc:idpat:sgln:4012345.00011.*", false);
    assertTrue(covers(site, "urn:epc:id:sgln:4012345.00011.0"));
    assertTrue(covers(site, "urn:epc:id:sgln:4012345.00011.dock2"));
    assertFalse(covers(site, "urn:epc:id:sgln:4012345.00012.0"));
    ValuePattern assets = EpcPatterns.of("urn:epc:idpat:grai:4012345.66666.*", false);
    assertTrue(covers(assets, "urn:epc:id:grai:4012345.66666.87"));
    assertFalse(covers(assets, "urn:epc:id:grai:4012345.66667.87"));
    ValuePattern giai = EpcPatterns.of("urn:epc:idpat:giai:4012345.*", false);
    assertTrue(covers(giai, "urn:epc:id:giai:4012345.A1"));
    assertFalse(covers(giai, "urn:epc:id:giai:4012346.A1"));
  }

  @Test
  void withDescendantsAGlnCoversItsExtensionsAndAnythingElseOnlyItself() {
    TraceQuery query = parse(Map.of("WD_bizLocation", List.of("urn:epc:id:sgln:4012345.00011.0"),
        "WD_readPoint", List.of("urn:example:dock")));
    assertEquals(Map.of("bizLocation", List.of("https://id.gs1.org/414/4012345000115"),
        "readPoint", List.of("urn:example:dock")), query.within(),
        "the store takes in master data's sub-locations when it runs the query");
    ValuePattern gln = EpcPatterns.withDescendants(query.within().get("bizLocation").getFirst());
    assertTrue(covers(gln, "urn:epc:id:sgln:4012345.00011.0"));
    assertTrue(covers(gln, "urn:epc:id:sgln:4012345.00011.7"));
    assertFalse(covers(gln, "urn:epc:id:sgln:4012345.00012.0"));
    ValuePattern dock = EpcPatterns.withDescendants(query.within().get("readPoint").getFirst());
    assertTrue(dock.matches("urn:example:dock"));
    assertFalse(dock.matches("urn:example:dock:2"));
  }

  @Test
  void matchParametersSplitIdentifiersFromPatternsAndRefuseWhatTheyCannotRead() {
    TraceQuery query = parse(Map.of("MATCH_anyEPC", List.of(
        "urn:epc:id:sgtin:4012345.011111.9876,urn:epc:idpat:sgtin:4012345.*.*")));
    assertEquals(List.of("https://id.gs1.org/01/04012345111118/21/9876"),
        query.equals().get("anyEPC"));
    assertEquals(1, query.patterns().get("anyEPC").size());
    for (String bad : List.of("urn:epc:idpat:gdti:4012345.*.*", "urn:epc:idpat:sgtin:4012345.*.1",
        "urn:epc:idpat:sgtin:40.*.*", "urn:x:*")) {
      Problem problem = assertThrows(Problem.class, () -> parse(Map.of("MATCH_epc",
          List.of(bad))), bad);
      assertEquals("MATCH_epc", problem.errors().getFirst().field(), bad);
    }
  }

  @Test
  void quantityBoundsAreDecimalsAndABadOneIsNamed() {
    TraceQuery query = parse(Map.of("GE_quantity", List.of("2.5"), "LT_quantity",
        List.of("10")));
    assertEquals(new BigDecimal("2.5"), query.quantity().ge());
    assertNull(query.quantity().eq());
    assertTrue(query.quantity().matches(new BigDecimal("2.50")));
    assertFalse(query.quantity().matches(BigDecimal.TEN));
    assertNull(parse(Map.of()).quantity());
    Problem problem = assertThrows(Problem.class, () -> parse(Map.of("EQ_quantity",
        List.of("ten"))));
    assertEquals("EQ_quantity", problem.errors().getFirst().field());
  }

  @Test
  void aPageTokenIsAPositionInItsOrder() {
    TraceQuery.Position position = new TraceQuery.Position(41, 1_700_000_000_000L, 200);
    String chain = EpcisQueryParameters.token(position, false);
    assertEquals(new TraceQuery.Position(41, 0, 200), parse(Map.of("nextPageToken",
        List.of(chain))).after());
    String byTime = EpcisQueryParameters.token(position, true);
    assertEquals(position, parse(Map.of("nextPageToken", List.of(byTime), "orderBy",
        List.of("eventTime"))).after());
    Problem other = assertThrows(Problem.class, () -> parse(Map.of("nextPageToken",
        List.of(byTime))));
    assertTrue(other.errors().getFirst().detail().contains("eventTime order"));
  }
}
