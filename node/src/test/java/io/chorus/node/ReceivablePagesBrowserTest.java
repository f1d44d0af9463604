package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.client.ReceivablesClient;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.notary.NotaryService;
import io.chorus.receivables.ReceivablesService;
import io.chorus.service.ApiTokens;
import io.chorus.service.Keystore;
import io.chorus.state.system.Permissions;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The supply-chain finance pages in headless Chromium against a live validator: a core
 * enterprise confirms 1,000,000.00 CNY to its supplier (one trade document notarized), the
 * supplier issues it and splits 400,000.00 to a tier-2 supplier and 50,000.00 to another, the
 * tier-2 supplier splits 150,000.00 on and sells its piece to bank A; a second receivable falls
 * due within seconds. Method: everything is sent through the REST API, then what the pages show
 * is compared with what was sent (values, holders, states, the tree's shape and the financing's
 * discount), each step's proof is verified by the page's own code against the node's genesis,
 * a logged-in holder splits through the page's form and reads the contract's reason for a
 * refusal, each party reads its holdings, book or overdue list, the obligor pays from the page,
 * and the pages are read in Chinese at a phone's width; a confidential receivable shows its
 * commitment to anyone and its amounts only to a logged-in party; no console error anywhere. The tests
 * run in order: a later one sees the earlier ones' writes. Screenshots go to {@code
 * target/console-screenshots}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReceivablePagesBrowserTest {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final String PASSWORD = "scf console keystore";
  private static final List<String> PARTIES = List.of("core", "supplier", "tier2", "tier2b",
      "bankA");
  private static final long DUE_SOON_SECONDS = 30;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dir;
  private static LocalNetwork network;
  private static Node node;
  private static Browser browser;
  private static String console;
  private static final Map<String, String> accounts = new HashMap<>();
  private static final Map<String, String> tokens = new HashMap<>();
  private static String contractHash;
  private static long dueSoon;

  @BeforeAll
  static void start() throws Exception {
    Map<String, KeyPair> keys = new HashMap<>();
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    for (int i = 0; i < PARTIES.size(); i++) {
      KeyPair pair = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      keys.put(PARTIES.get(i), pair);
      Address account = Address.of(SUITE.address(pair.publicKey()));
      accounts.put(PARTIES.get(i), account.toString());
      funded.put(account, Genesis.Allocation.funded(LocalNetwork.FUNDS));
    }
    network = LocalNetwork.layOut(dir, SUITE, BigInteger.valueOf(4346), 1, 1, funded, Map.of(
        Address.parse(accounts.get("core")), Permissions.ROLE_RECEIVABLES_OBLIGOR,
        Address.parse(accounts.get("bankA")), Permissions.ROLE_RECEIVABLES_BANK));
    Path home = dir.resolve("node0");
    for (String party : PARTIES) {
      Keystore.importKey(home, SUITE, keys.get(party).privateKey(), PASSWORD.toCharArray(),
          new SecureRandom());
      tokens.put(party, ApiTokens.issue(home, Address.parse(accounts.get(party)), Set.of(
          ReceivablesService.WRITER_ROLE, ReceivablesService.READER_ROLE,
          NotaryService.WRITER_ROLE), Optional.empty(), Clock.systemUTC(),
          new SecureRandom()).token());
    }
    node = network.start(0, new Node.Api(Optional.of(PASSWORD), List.of()));
    console = node.rpcUrl() + "/console/";
    story();
    browser = new Browser("en");
  }

  /** The receivables the pages show, sent through the REST API. */
  private static void story() throws Exception {
    contractHash = hash("purchase contract HT-2026-001");
    HttpResponse<String> notarized = HTTP.send(HttpRequest.newBuilder(URI.create(node.rpcUrl()
        + "/api/v1/notary/records")).header("Authorization", "Bearer " + tokens.get("core"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
            "{\"id\": \"HT-2026-001\", \"hash\": \"" + contractHash + "\", \"wait\": true}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, notarized.statusCode(), notarized.body());
    long now = Instant.now().getEpochSecond();
    ReceivablesClient core = as("core");
    ReceivablesClient supplier = as("supplier");
    long root = supplier.issue(core.confirm(accounts.get("supplier"), cny(1_000_000), "CNY",
        now + 90 * 86_400, List.of(contractHash, hash("invoice 0042"))), true).piece()
        .orElseThrow().id();
    assertEquals(1, root);
    assertEquals(2, supplier.split(1, accounts.get("tier2"), cny(400_000), true).piece()
        .orElseThrow().id());
    assertEquals(3, as("tier2").split(2, accounts.get("tier2b"), cny(150_000), true).piece()
        .orElseThrow().id());
    assertEquals(4, supplier.split(1, accounts.get("tier2b"), cny(50_000), true).piece()
        .orElseThrow().id());
    as("tier2").offer(2, accounts.get("bankA"), cny(245_000), true);
    assertEquals("financed", as("bankA").accept(2, true).piece().orElseThrow().state());
    dueSoon = now + DUE_SOON_SECONDS;
    assertEquals(5, supplier.issue(core.confirm(accounts.get("supplier"), cny(200_000), "CNY",
        dueSoon, List.of(hash("invoice 0043"))), true).piece().orElseThrow().id());
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

  @Test
  @Order(1)
  void aPieceShowsItsTermsFinancingProvenStepsAndItsReceivablesTree() {
    browser.open(console + "#/receivable/2");
    browser.awaitPage("receivable");
    assertTrue(browser.awaitText("piece-state", "Financed").contains("Financed"));
    assertEquals("250,000.00 CNY", browser.text("piece-value"));
    assertEquals(accounts.get("tier2"), browser.text("piece-holder"));
    assertEquals(accounts.get("core"), browser.text("terms-obligor"));
    assertEquals("1,000,000.00 CNY", browser.text("terms-face"));
    assertTrue(browser.text("terms-maturity").endsWith("90 days left"),
        browser.text("terms-maturity"));
    assertEquals(accounts.get("bankA"), browser.text("financing-bank"));
    assertEquals("245,000.00 CNY", browser.text("financing-price"));
    assertEquals("5,000.00 CNY", browser.text("financing-discount"));
    // The notarized document links to its record; the invoice, never notarized, does not.
    WebElement notarized = browser.await(15, d -> d.findElement(By.cssSelector(
        "#documents a.notarized")));
    assertEquals(contractHash, notarized.getText());
    assertTrue(notarized.getDomAttribute("href").endsWith("#/notary?id=HT-2026-001"));
    assertEquals(1, browser.driver.findElements(By.cssSelector("#documents a")).size());

    // The tree: root first, each piece before its children, as the splits made it.
    List<String> rows = browser.await(15, d -> {
      List<String> found = d.findElements(By.cssSelector("#lineage li")).stream()
          .map(li -> String.join(" ", li.getDomAttribute("data-id"),
              li.getDomAttribute("data-depth"), li.getDomAttribute("data-value"),
              li.getDomAttribute("data-holder"), li.getDomAttribute("data-state"))).toList();
      return found.isEmpty() ? null : found;
    });
    assertEquals(List.of(
        "1 0 55000000 " + accounts.get("supplier") + " active",
        "2 1 25000000 " + accounts.get("tier2") + " financed",
        "3 2 15000000 " + accounts.get("tier2b") + " active",
        "4 1 5000000 " + accounts.get("tier2b") + " active"), rows);
    assertEquals("2", browser.driver.findElement(By.cssSelector("#lineage li.current"))
        .getDomAttribute("data-id"));
    assertEquals("4 pieces summing to 1,000,000.00 CNY, the face value",
        browser.text("tree-sum"));

    assertEquals(List.of("Split from", "Split off", "Offered to a bank", "Financed"),
        browser.driver.findElements(By.cssSelector("#steps .step-kind")).stream()
            .map(WebElement::getText).toList());
    browser.driver.findElements(By.cssSelector("#steps .verify-proof")).forEach(
        WebElement::click);
    List<String> verdicts = browser.await(60, d -> {
      List<String> found = d.findElements(By.cssSelector("#steps .proof-verdict")).stream()
          .map(WebElement::getText).toList();
      return found.size() == 4 ? found : null;
    });
    verdicts.forEach(v -> assertTrue(v.startsWith("Proven: block #"), verdicts.toString()));
    browser.script("window.scrollTo(0, 0)");
    browser.screenshot("receivable");
    browser.script("document.getElementById('steps').scrollIntoView()");
    browser.screenshot("receivable-lineage");
    assertEquals(List.of(), browser.errors());

    // The search box opens a piece named with a word and its id.
    WebElement box = browser.element("search");
    box.clear();
    box.sendKeys("receivable 3", Keys.ENTER);
    browser.awaitText("piece-holder", accounts.get("tier2b"));
    assertEquals("150,000.00 CNY", browser.text("piece-value"));
    assertEquals(List.of(), browser.errors());
  }

  @Test
  @Order(2)
  void aLoggedInHolderSplitsThroughTheFormAndReadsTheContractsReasonForARefusal() {
    logIn(browser, "supplier");
    browser.open(console + "#/receivable/1");
    browser.element("split-form");
    browser.element("split-to").sendKeys(accounts.get("tier2"));
    browser.element("split-value").sendKeys("600000.00");
    browser.element("split-submit").click();
    String refused = browser.text("act-refused");
    assertTrue(refused.startsWith("Refused by the contract (0x52 insufficient-value): 0x52"),
        refused);
    browser.screenshot("receivable-refused");
    assertEquals(1, browser.errors().stream().filter(e -> e.contains("/pieces/1/split")
        && e.contains("422")).count(), "the refusal is the API's 422, logged by the browser");

    browser.element("split-value").clear();
    browser.element("split-value").sendKeys("10,000.00");
    browser.element("split-submit").click();
    browser.await(30, d -> d.getCurrentUrl().endsWith("#/receivable/6") ? true : null);
    browser.awaitText("piece-value", "10,000.00 CNY");
    assertEquals(accounts.get("tier2"), browser.text("piece-holder"));
    assertTrue(browser.awaitText("tree-sum", "5 pieces").contains("1,000,000.00 CNY"));
    assertEquals("1", browser.driver.findElement(By.cssSelector("#lineage li[data-id='6']"))
        .getDomAttribute("data-depth"));
    assertEquals("54000000", as("supplier").piece(1).value().orElseThrow().toString(),
        "the chain holds what the page sent");
    assertEquals(List.of(), browser.errors());
  }

  @Test
  @Order(3)
  void eachPartyReadsItsHoldingsBookOrOverduePiecesAndTheObligorPaysFromThePage()
      throws InterruptedException {
    logIn(browser, "supplier");
    browser.open(console + "#/receivables");
    browser.awaitPage("receivables");
    assertEquals(List.of("#5", "#1"), awaitColumn("holdings-list", 1), "by maturity");
    assertEquals("None: a holder of pieces only", browser.text("scf-roles"));
    assertEquals(List.of("2", "740,000.00 CNY"), List.of(cell("holdings-totals", 3),
        cell("holdings-totals", 4)));
    assertEquals("Outstanding on this page: 740,000.00 CNY", browser.text("outstanding"));
    browser.screenshot("receivables-holdings");
    // A page of one piece at a time: the next page holds the other.
    browser.open(console + "#/receivables?limit=1");
    browser.await(15, d -> column("holdings-list", 1).equals(List.of("#1")) ? true : null);
    browser.driver.findElement(By.cssSelector("#holdings .pager .next")).click();
    browser.await(15, d -> column("holdings-list", 1).equals(List.of("#5")) ? true : null);

    logIn(browser, "bankA");
    browser.open(console + "#/receivables");
    assertEquals(List.of("#2"), awaitColumn("book-list", 1));
    assertEquals(List.of("CNY", "245,000.00 CNY", "250,000.00 CNY", "250,000.00 CNY"),
        List.of(cell("book-totals", 1), cell("book-totals", 2), cell("book-totals", 3),
            cell("book-totals", 4)));
    assertEquals("Bank", browser.text("scf-roles"));
    browser.screenshot("receivables-book");

    awaitOverdue(5);
    logIn(browser, "core");
    browser.open(console + "#/receivables");
    assertEquals(List.of("#5"), awaitColumn("overdue-list", 1));
    assertTrue(browser.text("overdue-list").contains("200,000.00 CNY"));
    assertEquals(accounts.get("supplier"), browser.driver.findElement(By.cssSelector(
        "#overdue-list tbody tr td:nth-child(4) a")).getDomAttribute("title"), "the payee");
    browser.screenshot("receivables-overdue");

    browser.open(console + "#/receivable/5");
    browser.element("pay-paymentRef").sendKeys("CNAPS-0001");
    browser.element("pay-submit").click();
    browser.awaitText("piece-state", "Paid");
    assertEquals("paid", as("core").piece(5).state());
    assertEquals(List.of(), browser.errors());
  }

  @Test
  @Order(4)
  void onAPhoneInChineseThePiecesPageAndHoldingsFitTheScreen() {
    try (Browser chinese = new Browser("zh-CN")) {
      chinese.driver.manage().window().setSize(new Dimension(390, 844));
      chinese.open(console + "#/receivable/2");
      chinese.awaitText("piece-state", "已融资");
      chinese.awaitText("view", "拆分流转图谱");
      chinese.awaitText("tree-sum", "合计 1,000,000.00 CNY");
      assertEquals(Boolean.TRUE, chinese.script("return document.documentElement.scrollWidth"
          + " <= window.innerWidth"), "nothing wider than the phone");
      chinese.screenshot("receivable-phone-zh");
      chinese.script("document.getElementById('lineage').scrollIntoView()");
      chinese.screenshot("receivable-phone-zh-lineage");
      logIn(chinese, "tier2");
      chinese.open(console + "#/receivables");
      chinese.awaitText("holdings-list", "已融资");
      assertEquals(Boolean.TRUE, chinese.script("return document.documentElement.scrollWidth"
          + " <= window.innerWidth"), "nothing wider than the phone");
      chinese.screenshot("receivables-phone-zh");
      assertEquals(List.of(), chinese.errors());
    }
  }

  @Test
  @Order(5)
  void aConfidentialPieceShowsItsCommitmentToAllAndItsAmountOnlyToItsParties() {
    for (String party : List.of("core", "supplier", "tier2", "bankA")) {
      as(party).publishSealingKey(true);
    }
    long now = Instant.now().getEpochSecond();
    long root = as("supplier").issue(as("core").confirmConfidential(accounts.get("supplier"),
        cny(300_000), "CNY", now + 60 * 86_400, List.of(hash("invoice 0044"))), true).piece()
        .orElseThrow().id();
    long part = as("supplier").split(root, accounts.get("tier2"), cny(120_000), true).piece()
        .orElseThrow().id();
    try (Browser anyone = new Browser("en")) {
      anyone.open(console + "#/receivable/" + root);
      anyone.awaitPage("receivable");
      assertEquals("confidential", anyone.awaitText("piece-value", "confidential"));
      assertEquals("confidential", anyone.text("terms-face"));
      assertTrue(anyone.text("piece-commitment").matches("0x0[23][0-9a-f]{64}"),
          anyone.text("piece-commitment"));
      assertTrue(anyone.awaitText("opening", "log in as a party").contains("log in"));
      assertTrue(anyone.awaitText("tree-sum", "confidential").startsWith("2 pieces"),
          anyone.text("tree-sum"));
      assertEquals(List.of(), anyone.errors());
    }
    logIn(browser, "supplier");
    browser.open(console + "#/receivable/" + root);
    assertEquals("180,000.00 CNY", browser.awaitText("opening-value", "CNY"));
    browser.screenshot("receivable-confidential");
    logIn(browser, "tier2");
    browser.open(console + "#/receivable/" + part);
    assertEquals("120,000.00 CNY", browser.awaitText("opening-value", "CNY"));
    logIn(browser, "bankA");
    browser.open(console + "#/receivable/" + part);
    assertTrue(browser.awaitText("opening", "not a party").contains("not a party"));
    // Each log-in returns to the page it left, so a non-party's 403 may come twice; the
    // browser logs each, and nothing else.
    List<String> errors = browser.errors();
    assertTrue(errors.stream().anyMatch(e -> e.contains("/pieces/" + part + "/opening")),
        errors.toString());
    assertTrue(errors.stream().allMatch(e -> e.contains("/opening") && e.contains("403")),
        "only the API's 403s, logged by the browser: " + errors);
  }

  private static ReceivablesClient as(String party) {
    return new ReceivablesClient(node.rpcUrl(), tokens.get(party));
  }

  private static BigInteger cny(long yuan) {
    return BigInteger.valueOf(yuan).multiply(BigInteger.valueOf(100));
  }

  private static String hash(String document) {
    return Hex.encode0x(SUITE.hash(document.getBytes(StandardCharsets.UTF_8)));
  }

  private static void logIn(Browser b, String party) {
    b.open(console + "#/login");
    b.element("token").sendKeys(tokens.get(party));
    b.element("login-submit").click();
    b.await(15, d -> accounts.get(party).equals(d.findElement(By.id("logged-in"))
        .getDomAttribute("title")) ? true : null);
  }

  /** The texts of a table's column (1-based), row by row. */
  private static List<String> column(String table, int column) {
    return browser.driver.findElements(By.cssSelector("#" + table + " tbody tr td:nth-child("
        + column + ")")).stream().map(WebElement::getText).toList();
  }

  private static List<String> awaitColumn(String table, int column) {
    return browser.await(15, d -> column(table, column).isEmpty() ? null
        : column(table, column));
  }

  private static String cell(String table, int column) {
    return browser.await(15, d -> d.findElement(By.cssSelector("#" + table
        + " tbody tr td:nth-child(" + column + ")")).getText());
  }

  // Until the chain's time (a block's) passes the second receivable's maturity.
  private static void awaitOverdue(long piece) throws InterruptedException {
    long deadline = System.nanoTime() + (DUE_SOON_SECONDS + 30) * 1_000_000_000L;
    while (!as("core").piece(piece).overdue()) {
      assertTrue(System.nanoTime() < deadline, "the chain's time did not pass " + dueSoon);
      Thread.sleep(200);
    }
  }
}
