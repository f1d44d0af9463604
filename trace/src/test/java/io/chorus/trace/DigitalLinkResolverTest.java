package io.chorus.trace;

import static io.chorus.trace.RecallDocument.A1;
import static io.chorus.trace.RecallDocument.L1;
import static io.chorus.trace.RecallDocument.dl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.rpc.rest.RestApi;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GS1 Digital Link resolver over the {@link RecallDocument}'s events: path syntax refused
 * with what is wrong, unknown codes, the browser's redirect, the linkset and link types, the
 * product's timeline, and scan counting with its two rules on a clock the test moves. Method:
 * small rules (5 scans an hour, 2 places in 10 minutes) so that each rule is crossed by one scan
 * and each count is asserted on both sides of it; a reopened node shows what is persisted.
 */
class DigitalLinkResolverTest {
  static final ScanRules RULES = new ScanRules(5, Duration.ofHours(1), 2,
      Duration.ofMinutes(10), 8);
  static final String ITEM = "/01/04012345111118/21/A1";
  static final String LOT = "/01/04012345111118/10/L1";
  static final Map<String, String> JSON = Map.of("Accept", "application/json");

  @TempDir Path dir;
  private TraceApi trace;
  private final TraceApi.MovableClock clock = new TraceApi.MovableClock();

  @BeforeEach
  void open() {
    trace = new TraceApi(dir, RULES, clock);
    trace.capture(RecallDocument.document());
  }

  @AfterEach
  void close() {
    trace.close();
  }

  private JsonNode scan(String path, String place) throws Exception {
    RestApi.Answer answer = trace.send("GET", path + "?scan=1"
        + (place == null ? "" : "&place=" + place), null, JSON,
        InetAddress.getByName("203.0.113.7"));
    assertEquals(200, answer.status(), new String(answer.body()));
    return TraceApi.json(answer).path("scans");
  }

  @Test
  void badSyntaxIsRefusedSayingWhatIsWrongAndAnUnknownCodeIsNotFound() {
    assertRefused("/01/04012345111117/21/A1", "check digit");
    assertRefused("/01/04012345111/21/A1", "8, 12, 13 or 14 digits");
    assertRefused("/01/04012345111118/21/A1/10/L1", "out of order");
    assertRefused("/01/04012345111118/99/X", "no key qualifier");
    assertRefused("/01/04012345111118/21", "has no value");
    assertRefused("/01/04012345111118/21/" + "S".repeat(21), "1 to 20");
    assertRefused("/01/04012345111118/10/L%7E1", "1 to 20");
    RestApi.Answer unknown = trace.get("/01/04012345111118/21/NOPE", JSON);
    assertEquals(404, unknown.status(), new String(unknown.body()));
    assertTrue(TraceApi.json(unknown).path("detail").asText()
        .contains("https://id.gs1.org/01/04012345111118/21/NOPE"));
  }

  private void assertRefused(String path, String saying) {
    RestApi.Answer answer = trace.get(path, JSON);
    assertEquals(400, answer.status(), path + ": " + new String(answer.body()));
    String detail = TraceApi.json(answer).path("detail").asText();
    assertTrue(detail.contains(saying), path + ": " + detail);
  }

  @Test
  void aBrowserIsSentToTheProductPageAndAMachineGetsTheLinkset() {
    RestApi.Answer browser = trace.get(ITEM, Map.of("Accept", "text/html,*/*;q=0.8"));
    assertEquals(307, browser.status());
    assertEquals("/console/#/product/01/04012345111118/21/A1?scan=1",
        browser.headers().get("Location"));
    assertTrue(browser.headers().get("Link").contains("rel=\"linkset\""));
    // A qualifier the canonical form drops (the lot beside a serial) reaches the same page.
    assertEquals(browser.headers().get("Location"), trace.get(
        "/01/04012345111118/10/L1/21/A1", Map.of()).headers().get("Location"));

    RestApi.Answer linkset = trace.get(ITEM, Map.of("Accept", "application/linkset+json"));
    assertEquals(200, linkset.status());
    assertEquals("application/linkset+json", linkset.contentType());
    JsonNode set = TraceApi.json(linkset).path("linkset").path(0);
    assertEquals(dl(A1), set.path("anchor").asText());
    assertEquals("/console/#/product/01/04012345111118/21/A1",
        set.at("/https:~1~1ref.gs1.org~1voc~1pip/0/href").asText());
    assertEquals(3, set.path("https://ref.gs1.org/voc/traceability").size());
    assertEquals(TraceApi.json(linkset), TraceApi.json(trace.get(ITEM + "?linkType=linkset",
        Map.of())));

    RestApi.Answer traceability = trace.get(ITEM + "?linkType=gs1:traceability", Map.of());
    assertEquals(307, traceability.status());
    RestApi.Answer events = trace.get(traceability.headers().get("Location"), Map.of());
    assertEquals(200, events.status(), traceability.headers().get("Location"));
    assertEquals(3, TraceApi.json(events).at("/epcisBody/queryResults/resultsBody/eventList")
        .size(), "made, packed, sold");
    assertEquals(browser.headers().get("Location"), trace.get(ITEM
        + "?linkType=gs1:recipeInfo", Map.of()).headers().get("Location"),
        "a link type not offered goes to the default link");
  }

  @Test
  void theProductAnswerListsItsEventsInTimeOrderWithProofs() {
    RestApi.Answer answer = trace.get(ITEM, JSON);
    assertEquals(200, answer.status(), new String(answer.body()));
    JsonNode product = TraceApi.json(answer);
    assertEquals("instance", product.path("kind").asText());
    assertEquals("A1", product.path("serial").asText());
    List<String> steps = new ArrayList<>();
    product.path("events").forEach(e -> steps.add(e.path("bizStep").asText()));
    assertEquals(List.of("https://ref.gs1.org/cbv/BizStep-commissioning",
        "https://ref.gs1.org/cbv/BizStep-packing",
        "https://ref.gs1.org/cbv/BizStep-retail_selling"), steps);
    JsonNode sold = product.path("events").path(2);
    assertEquals(dl("urn:epc:id:sgln:4012345.00012.0"), dl(sold.path("bizLocation").asText()));
    assertProofPathNames(sold);
    assertEquals(0, product.at("/scans/count").asInt(), "a look-up is no scan");
    assertEquals("class", TraceApi.json(trace.get(LOT, JSON)).path("kind").asText());
  }

  /**
   * The event's proof path is its event's path with /proof: this dev chain has no commit
   * certificates to prove with (the node test proves), so the event itself is fetched.
   */
  static void assertProofPathNames(TraceApi trace, JsonNode entry) {
    String proof = entry.path("proof").asText();
    assertTrue(proof.endsWith("/proof"), proof);
    RestApi.Answer event = trace.get(proof.substring(0, proof.length() - "/proof".length()),
        Map.of());
    assertEquals(200, event.status(), proof);
    assertEquals(entry.path("hashId").asText(), TraceApi.json(event).path("chorus:hashId")
        .asText());
  }

  private void assertProofPathNames(JsonNode entry) {
    assertProofPathNames(trace, entry);
  }

  @Test
  void aCodeScannedTooOftenIsFlaggedAndStaysFlaggedAfterARestart() throws Exception {
    for (int i = 1; i <= 5; i++) {
      JsonNode scans = scan(ITEM, null);
      assertEquals(i, scans.path("count").asInt());
      assertEquals("genuine", scans.path("verdict").asText());
      clock.advance(Duration.ofMinutes(5));
    }
    JsonNode sixth = scan(ITEM, null);
    assertEquals("flagged", sixth.path("verdict").asText());
    assertEquals(1, sixth.path("flags").size());
    assertEquals(ScanCounter.TOO_OFTEN, sixth.at("/flags/0/rule").asText());
    assertTrue(sixth.at("/flags/0/reason").asText().contains("6 times within 1 h"),
        sixth.toString());
    assertEquals(6, sixth.at("/flags/0/observed").asInt());
    assertEquals(RULES.scansMax(), sixth.at("/flags/0/limit").asInt());
    assertEquals("PT1H", sixth.at("/flags/0/window").asText());

    trace.close();
    clock.advance(Duration.ofDays(2));
    trace = new TraceApi(dir, RULES, clock);
    JsonNode after = TraceApi.json(trace.get(ITEM, JSON)).path("scans");
    assertEquals(6, after.path("count").asInt(), "counts are kept in the trace store");
    assertEquals("flagged", after.path("verdict").asText(), "a copy stays suspect");
  }

  @Test
  void aCodeScannedFromTooManyPlacesIsFlaggedButScansSpreadOverTimeAreNot() throws Exception {
    // Rounded to 0.1 degree these two are one place; the network prefix is a third.
    scan(ITEM, "geo:31.21,121.47");
    scan(ITEM, "geo:31.24,121.49");
    assertEquals("genuine", scan(ITEM, null).path("verdict").asText(), "two places so far");
    clock.advance(Duration.ofMinutes(61));
    assertEquals("genuine", scan(ITEM, "Beijing").path("verdict").asText(),
        "the earlier places are out of the window");
    JsonNode many = scan(ITEM, "Guangzhou");
    assertEquals("genuine", many.path("verdict").asText(), "Beijing and Guangzhou: two");
    JsonNode third = scan(ITEM, "Chengdu");
    assertEquals("flagged", third.path("verdict").asText(), third.toString());
    assertEquals(1, third.path("flags").size(), "three scans in the hour are not too many");
    assertEquals(ScanCounter.TOO_MANY_PLACES, third.at("/flags/0/rule").asText());
    assertTrue(third.at("/flags/0/reason").asText().contains("3 places within 10 min"));
  }

  @Test
  void aLotIsCountedNeverFlaggedAndARecordKeepsOnlyTheNewestScans() throws Exception {
    JsonNode scans = null;
    for (int i = 0; i < 20; i++) {
      scans = scan(LOT, "city" + i);
    }
    assertEquals(20, scans.path("count").asInt());
    assertEquals("not-checked", scans.path("verdict").asText());
    assertEquals(0, scans.path("flags").size());
    JsonNode record = TraceChain.JSON.readTree(trace.service.store()
        .local("scan:" + dl(L1)).orElseThrow());
    assertEquals(RULES.recentMax(), record.path("recent").size());
    RestApi.Answer badPlace = trace.get(ITEM + "?scan=1&place=" + "x".repeat(65), JSON);
    assertEquals(400, badPlace.status());
    assertEquals("place", TraceApi.json(badPlace).at("/errors/0/field").asText());
  }
}
