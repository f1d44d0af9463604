package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.trace.ScanRules;
import io.chorus.trace.epcis.Gs1Identifiers;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;

/**
 * The product page a consumer reaches by scanning a GS1 Digital Link, in headless Chromium
 * against a live network (a validator and a second member): a recall document (a lot made into
 * items, packed into a case, loaded on a pallet, one item sold) is captured, then the resolver's
 * redirect is followed. Method: what the page shows is compared with the document (its
 * business steps, the case and pallet it was packed into, the lot it came from) and with the
 * node's answers (the scan count); an event's proof is verified by the page's own code against
 * the node's genesis; the page is read in Chinese and at a phone's size, with no console error.
 * The document's header carries master data, so the page names the product and the shop.
 * Screenshots go to {@code target/console-screenshots}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ProductPageBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String ITEM = "/01/04012345111118/21/A1";
  static final String CASE = Gs1Identifiers.canonical("urn:epc:id:sscc:4012345.0000000441");
  static final String PALLET = Gs1Identifiers.canonical("urn:epc:id:sscc:4012345.0000000999");
  static final String LOT = Gs1Identifiers.canonical("urn:epc:class:lgtin:4012345.011111.L1");

  @TempDir static Path dir;
  private static TraceNetwork network;
  private static Node validator;
  private static Browser browser;

  @BeforeAll
  static void start() throws Exception {
    network = TraceNetwork.start(dir, 4345);
    validator = network.validator;
    String token = network.capturerToken(0);
    byte[] document;
    try (InputStream in = ProductPageBrowserTest.class.getResourceAsStream("recall.json")) {
      document = in.readAllBytes();
    }
    HttpResponse<String> accepted = HTTP.send(HttpRequest.newBuilder(
        URI.create(validator.rpcUrl() + "/epcis/capture"))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/ld+json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(document)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, accepted.statusCode(), accepted.body());
    String job = accepted.headers().firstValue("Location").orElseThrow();
    JsonNode status = null;
    for (int i = 0; i < 300; i++) {
      status = JSON.readTree(get(job, "application/json").body());
      if (!status.path("running").asBoolean()) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals("success", status.path("status").asText(), status.toString());
    browser = new Browser("en");
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (network != null) {
      network.close();
    }
  }

  static HttpResponse<String> get(String path, String accept) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(validator.rpcUrl() + path))
        .header("Accept", accept).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String node(String graph, String id) {
    return "#" + graph + " g.node[data-id='" + id + "']";
  }

  @Test
  void aScanLeadsToTheProductsHistoryItsProvenEventsAndItsLineage() throws Exception {
    HttpResponse<String> scanned = get(ITEM, "text/html");
    assertEquals(307, scanned.statusCode(), scanned.body());
    String page = scanned.headers().firstValue("Location").orElseThrow();
    assertEquals("/console/#/product/01/04012345111118/21/A1?scan=1", page);

    browser.driver.manage().window().setSize(new Dimension(1400, 1000));
    browser.open(validator.rpcUrl() + page);
    browser.awaitPage("product");
    assertEquals("Genuine so far: no implausible scans", browser.text("scan-verdict"));
    browser.awaitText("scan-count", "1");
    assertEquals(List.of("Produced", "Packed", "Sold"), browser.await(15, d -> {
      List<String> steps = d.findElements(By.cssSelector("#timeline .step")).stream()
          .map(e -> e.getText()).toList();
      return steps.size() == 3 ? steps : null;
    }));
    assertTrue(browser.text("timeline").contains("Riverside Market"),
        "where it was sold, by the name the document's master data gives it");
    assertTrue(browser.text("timeline").contains("urn:epc:id:sgln:4012345.00012.0"),
        "and its identifier beside the name");
    assertEquals("Product Fuji apples, 1 kg · A1", browser.driver.findElement(By.cssSelector(
        "#view h1")).getText(), "the product's name from the GTIN's master data");
    assertTrue(browser.driver.getCurrentUrl().endsWith("/21/A1"),
        "the scan marker is dropped, so a reload counts no second scan");

    browser.driver.findElements(By.cssSelector("#timeline .verify-proof")).get(1).click();
    String verdict = browser.await(30, d -> {
      String text = d.findElements(By.cssSelector("#timeline .proof-verdict")).stream()
          .map(e -> e.getText()).findFirst().orElse("");
      return text.isEmpty() ? null : text;
    });
    assertTrue(verdict.startsWith("Proven: block #"), verdict);

    browser.await(15, d -> d.findElement(By.cssSelector(node("lineage-down", CASE))));
    browser.await(15, d -> d.findElement(By.cssSelector(node("lineage-down", PALLET))));
    browser.await(15, d -> d.findElement(By.cssSelector(node("lineage-up", LOT))));
    assertEquals("node instance packed-with", browser.driver.findElement(By.cssSelector(
        node("lineage-down", Gs1Identifiers.canonical("urn:epc:id:sgtin:4012345.011111.B1"))))
        .getDomAttribute("class"), "B1 shares A1's case");
    browser.screenshot("product");
    browser.script("document.getElementById('lineage-up').scrollIntoView()");
    browser.screenshot("product-lineage");
    assertEquals(List.of(), browser.errors());

    // The lot's page, from the upstream graph: its downstream holds what it was made into.
    browser.driver.findElement(By.cssSelector("#lineage-up a[href$='/10/L1']")).click();
    browser.await(15, d -> d.findElement(By.cssSelector(node("lineage-down",
        Gs1Identifiers.canonical("urn:epc:class:lgtin:4012345.022222.P1")))));
    assertTrue(browser.text("scan-verdict").contains("batch code"));
    assertEquals("0", browser.text("scan-count"), "the page opened from a graph is no scan");
    assertEquals(List.of(), browser.errors());
  }

  @Test
  void onAPhoneInChineseACopiedCodeIsFlaggedWithItsReason() throws Exception {
    String item = "/01/04012345111118/21/A2";
    for (int i = 0; i <= ScanRules.DEFAULTS.scansMax(); i++) {
      assertEquals(200, get(item + "?scan=1", "application/json").statusCode());
    }
    try (Browser chinese = new Browser("zh-CN")) {
      chinese.driver.manage().window().setSize(new Dimension(390, 844));
      chinese.open(validator.rpcUrl() + "/console/#/product" + item);
      chinese.awaitText("scan-verdict", "疑似仿冒");
      assertTrue(chinese.text("scan-flags").contains("被扫码 " + (ScanRules.DEFAULTS.scansMax()
          + 1) + " 次"), chinese.text("scan-flags"));
      chinese.awaitText("view", "溯源记录");
      chinese.await(15, d -> d.findElement(By.cssSelector("#lineage-up svg")));
      assertEquals(Boolean.TRUE, chinese.script("return document.documentElement.scrollWidth"
          + " <= window.innerWidth"), "nothing wider than the phone but the graphs' own scroll");
      chinese.screenshot("product-flagged-phone-zh");

      // The search box takes an EPC URN and opens the product it names.
      chinese.driver.manage().window().setSize(new Dimension(390, 844));
      chinese.open(validator.rpcUrl() + "/console/#/");
      chinese.element("search").sendKeys("urn:epc:id:sgtin:4012345.011111.A1", Keys.ENTER);
      chinese.awaitPage("product");
      chinese.awaitText("scan-verdict", "目前为正品");
      chinese.await(15, d -> d.findElement(By.cssSelector(node("lineage-down", CASE))));
      chinese.screenshot("product-phone-zh");
      chinese.script("document.getElementById('timeline').scrollIntoView()");
      chinese.screenshot("product-phone-zh-history");
      chinese.script("document.getElementById('lineage-up').scrollIntoView()");
      chinese.screenshot("product-phone-zh-lineage");
      assertEquals(List.of(), chinese.errors());
    }
  }
}
