package io.chorus.trace.epcis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * EPC URNs and Digital Link URIs to the constrained canonical Digital Link form, checked by
 * hand against GS1's own examples (TDS 2.x, Digital Link 1.2); malformed ones refused with
 * the rule they break.
 */
class Gs1IdentifiersTest {
  @Test
  void epcUrnsBecomeCanonicalDigitalLinks() {
    assertEquals("https://id.gs1.org/01/04012345111118/21/9876",
        Gs1Identifiers.canonical("urn:epc:id:sgtin:4012345.011111.9876"));
    assertEquals("https://id.gs1.org/01/00614141073467/21/A%2B1%21",
        Gs1Identifiers.canonical("urn:epc:id:sgtin:0614141.007346.A+1!"));
    assertEquals("https://id.gs1.org/00/106141412345678908",
        Gs1Identifiers.canonical("urn:epc:id:sscc:0614141.1234567890"));
    assertEquals("https://id.gs1.org/414/0614141123452/254/5678",
        Gs1Identifiers.canonical("urn:epc:id:sgln:0614141.12345.5678"));
    assertEquals("https://id.gs1.org/414/0614141123452",
        Gs1Identifiers.canonical("urn:epc:id:sgln:0614141.12345.0"));
    assertEquals("https://id.gs1.org/01/04012345111118/10/LOT%2C7",
        Gs1Identifiers.canonical("urn:epc:class:lgtin:4012345.011111.LOT,7"));
    assertEquals("https://id.gs1.org/01/04012345111118",
        Gs1Identifiers.canonical("urn:epc:idpat:sgtin:4012345.011111.*"));
    assertEquals("https://id.gs1.org/417/4012345000009",
        Gs1Identifiers.canonical("urn:epc:id:pgln:4012345.00000"));
    // Not GS1 keys: kept as they are.
    assertEquals("urn:epc:id:gid:95100000.12345.400",
        Gs1Identifiers.canonical("urn:epc:id:gid:95100000.12345.400"));
    assertEquals("urn:epc:idpat:sgtin:4012345.*.*",
        Gs1Identifiers.canonical("urn:epc:idpat:sgtin:4012345.*.*"));
    assertEquals("geo:31.2304,121.4737", Gs1Identifiers.canonical("geo:31.2304,121.4737"));
  }

  @Test
  void digitalLinksKeepOnlyTheFinestKeyOnTheCanonicalHost() {
    assertEquals("https://id.gs1.org/01/04012345111118/21/9876", Gs1Identifiers.canonical(
        "https://brand.example.cn/shop/01/04012345111118/22/2A/10/LOT7/21/9876?17=250101"));
    assertEquals("https://id.gs1.org/01/04012345111118/10/LOT7",
        Gs1Identifiers.canonical("http://id.gs1.org/01/04012345111118/10/LOT7#top"));
    assertEquals("https://id.gs1.org/01/09506000134352",
        Gs1Identifiers.canonical("https://example.com/01/9506000134352"));
    assertEquals("http://transaction.example.com/po/12345678",
        Gs1Identifiers.canonical("http://transaction.example.com/po/12345678"));
  }

  @Test
  void malformedGs1IdentifiersAreRefusedWithTheRule() {
    assertProblem("urn:epc:id:sgtin:4012345.0111.9876", "make 13 digits");
    assertProblem("urn:epc:id:sscc:4012345.000000033", "make 17 digits");
    assertProblem("urn:epc:id:sgtn:4012345.011111.9876", "the scheme after urn:epc:id:");
    assertProblem("urn:epc:class:sgtin:4012345.011111", "no EPC class URI");
    assertProblem("https://id.gs1.org/01/04012345111119", "check digit of 04012345111119"
        + " should be 8");
    assertProblem("https://id.gs1.org/00/12345", "an SSCC has 18 digits");
    assertProblem("https://id.gs1.org/01/04012345111118/21/", "empty value after /21/");
  }

  @Test
  void checkDigitsFollowGs1GeneralSpecifications() {
    // GS1 General Specifications 7.9: GTIN-13 629104150021 -> 3, SSCC 37610425002123456 -> 9.
    assertEquals(3, Gs1Identifiers.checkDigit("629104150021"));
    assertEquals(9, Gs1Identifiers.checkDigit("37610425002123456"));
  }

  private static void assertProblem(String uri, String fragment) {
    Gs1Identifiers.Reading reading = Gs1Identifiers.read(uri);
    assertFalse(reading.valid(), uri + " was accepted as " + reading.canonical());
    assertTrue(reading.problem().contains(fragment), reading.problem());
  }
}
