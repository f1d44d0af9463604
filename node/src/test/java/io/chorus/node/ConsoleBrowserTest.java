package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.client.ChorusClient;
import io.chorus.client.Receipt;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.evm.Address;
import io.chorus.notary.NotaryService;
import io.chorus.service.ApiTokens;
import io.chorus.service.ChainService;
import io.chorus.service.GovernanceService;
import io.chorus.service.Keystore;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The console in a real browser (headless Chromium) against a live network of four validators
 * on real sockets: the pages a person uses, in both languages, with screenshots under
 * {@code target/console-screenshots}.
 */
class ConsoleBrowserTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final Address RECIPIENT = Address.parse("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");

  @TempDir static Path dir;
  private static LocalNetwork network;
  private static Node node;
  private static final Node[] nodes = new Node[4];
  private static String console;
  private static Browser browser;
  private static Address member0;
  private static String token;
  private static String token1;
  private static final String PASSWORD = "console test keystore";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    network = LocalNetwork.layOut(dir, SUITE, BigInteger.valueOf(4343), 4, 4, Map.of());
    // Validator 0 is also a committee member: the node signs its writes with its key.
    Path member = dir.resolve("node0");
    member0 = Address.of(SUITE.address(network.keys[0].publicKey()));
    Address member1 = Address.of(SUITE.address(network.keys[1].publicKey()));
    for (int i = 0; i < 2; i++) {
      Keystore.importKey(member, SUITE, network.keys[i].privateKey(), PASSWORD.toCharArray(),
          new SecureRandom());
    }
    token = ApiTokens.issue(member, member0, Set.of(NotaryService.WRITER_ROLE,
        ChainService.SENDER_ROLE, GovernanceService.MEMBER_ROLE), Optional.empty(),
        Clock.systemUTC(), new SecureRandom()).token();
    token1 = ApiTokens.issue(member, member1, Set.of(GovernanceService.MEMBER_ROLE),
        Optional.empty(), Clock.systemUTC(), new SecureRandom()).token();
    node = network.start(0, new Node.Api(Optional.of(PASSWORD), List.of()));
    nodes[0] = node;
    for (int i = 1; i < 4; i++) {
      nodes[i] = network.start(i);
    }
    console = node.rpcUrl() + "/console/";
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

  @Test
  void theHomePageShowsTheHeadAndABlockArrivingWithoutAReload() {
    browser.open(node.rpcUrl()); // a browser at the node's address is sent to the console
    assertTrue(browser.driver.getCurrentUrl().endsWith("/console/"),
        browser.driver.getCurrentUrl());
    long shown = Long.parseLong(browser.text("head-number").substring(1));
    double firstPaint = ((Number) browser.script("return performance.now()")).doubleValue();
    System.out.printf("console: home page with the head shown %.0f ms after navigation%n",
        firstPaint);
    assertEquals("Instant (QBFT)", browser.text("finality"));
    assertEquals("4", browser.text("validator-count"));
    browser.awaitText("live", "live");
    long later = browser.await(20, d -> {
      long now = Long.parseLong(d.findElement(By.id("head-number"))
          .getText().substring(1));
      return now > shown ? now : null;
    });
    assertTrue(later > shown);
    // Pushed, not reloaded: the navigation entry is still the first one.
    assertEquals(1L, browser.script(
        "return performance.getEntriesByType('navigation').length"));
    browser.screenshot("home");
  }

  @Test
  void searchFindsATransactionItsBlockAndItsAddress() {
    ChorusClient client = ChorusClient.connect(node.rpcUrl());
    Receipt receipt = client.waitForReceipt(client.send(client.account(
        network.keys[1].privateKey()), RECIPIENT.toArray(), BigInteger.TEN.pow(18),
        new byte[0], 0), Duration.ofSeconds(30));
    String hash = Hex.encode0x(receipt.transactionHash());
    browser.open(console);
    search(hash);
    browser.awaitPage("tx");
    assertEquals(hash, browser.text("tx-hash"));
    browser.awaitText("tx-status", "success");
    browser.screenshot("transaction");

    search(Long.toString(receipt.blockNumber()));
    browser.awaitPage("block");
    assertTrue(browser.text("block-txs").contains(hash.substring(0, 10)));

    search(RECIPIENT.toString());
    browser.awaitPage("address");
    assertEquals("1", browser.text("balance")); // the one ether just sent
    assertTrue(browser.text("history").contains(hash.substring(0, 10)));
  }

  @Test
  void everyPageRendersInChineseWithoutAnError() {
    ChorusClient client = ChorusClient.connect(node.rpcUrl());
    Receipt receipt = client.waitForReceipt(client.send(client.account(
        network.keys[2].privateKey()), Address.parse(
            "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc").toArray(), BigInteger.ONE,
        new byte[0], 0),
        Duration.ofSeconds(30));
    String sender = Address.of(SUITE.address(network.keys[2].publicKey())).toString();
    Map<String, String> pages = new java.util.LinkedHashMap<>();
    pages.put("", "链概览");
    pages.put("block/" + receipt.blockNumber(), "区块 #" + receipt.blockNumber());
    pages.put("tx/" + Hex.encode0x(receipt.transactionHash()), "交易");
    pages.put("address/" + sender, "账户");
    pages.put("validators", "验证节点与网络");
    pages.put("governance", "链上治理");
    pages.put("notary", "存证");
    pages.put("search/no-such-thing", "本链上没有");
    pages.put("login", "登录");
    try (Browser chinese = new Browser("zh-CN")) {
      for (Map.Entry<String, String> page : pages.entrySet()) {
        chinese.open(console + "#/" + page.getKey());
        chinese.awaitText("view", page.getValue());
        // Let the page finish its reads, then look for errors and untranslated texts.
        chinese.await(10, d -> d.findElements(By.cssSelector(".note")).stream()
            .noneMatch(n -> n.getText().equals("加载中…")) ? true : null);
        assertEquals(List.of(), chinese.errors(), "#/" + page.getKey());
      }
      chinese.open(console + "#/block/" + receipt.blockNumber());
      chinese.element("signers");
      chinese.screenshot("block-zh");
    }
  }

  @Test
  void aChineseBrowserGetsChineseAndTheSwitchChangesIt() {
    try (Browser chinese = new Browser("zh-CN")) {
      chinese.open(console);
      chinese.awaitText("view", "链概览");
      chinese.element("head-number");
      assertEquals("最新区块", chinese.await(15, d -> d.findElement(
          By.cssSelector(".stat .label")).getText()));
      chinese.screenshot("home-zh");
      chinese.element("lang-switch").click();
      chinese.awaitText("view", "Chain overview");
      // The choice is remembered across a reload.
      chinese.driver.navigate().refresh();
      chinese.awaitText("view", "Chain overview");
    }
  }

  @Test
  void theNotaryPageFindsADroppedFileAndProvesItsBundleInTheBrowser() throws Exception {
    Path file = dir.resolve("采购合同.txt");
    Files.writeString(file, "purchase contract HT-" + System.nanoTime());
    String digest = Hex.encode0x(MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(file)));
    HttpResponse<String> stamped = HTTP.send(HttpRequest.newBuilder(URI.create(node.rpcUrl()
        + "/api/v1/notary/records")).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\": \"HT-console\", \"hash\": \""
            + digest + "\", \"algorithm\": \"sha256\", \"type\": \"contract\","
            + " \"wait\": true}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, stamped.statusCode(), stamped.body());
    Path bundle = dir.resolve("HT-console.proof.json");
    Files.writeString(bundle, HTTP.send(HttpRequest.newBuilder(URI.create(node.rpcUrl()
        + "/api/v1/notary/records/HT-console/proof")).build(),
        HttpResponse.BodyHandlers.ofString()).body());

    browser.open(console + "#/notary");
    browser.element("file-input"); // hidden inside its drop zone: wait for the page
    browser.driver.findElement(By.id("file-input")).sendKeys(file.toString());
    assertEquals(digest, browser.text("digest-sha256"));
    browser.awaitText("record-found-id", "HT-console");
    browser.driver.findElement(By.id("bundle-input")).sendKeys(bundle.toString());
    browser.element("bundle-verify").click();
    browser.awaitText("bundle-verdict", "proves");
    assertEquals("is the one proven", browser.text("file-matches"));
    browser.screenshot("notary");


    // The same bundle against another chain's genesis is refused, saying why.
    Path otherDir = dir.resolve("other");
    LocalNetwork.layOut(otherDir, SUITE, BigInteger.valueOf(4343), 1, 1, Map.of());
    browser.driver.findElement(By.id("genesis-input")).sendKeys(
        otherDir.resolve("node0").resolve("genesis.json").toString());
    browser.element("bundle-verify").click();
    browser.awaitText("bundle-verdict", "does not prove");
    assertTrue(browser.text("bundle-result").contains("genesis"),
        browser.text("bundle-result"));

    // Its transaction, decoded by the notary contract's built-in ABI, with its log.
    String txHash = new ObjectMapper().readTree(stamped.body()).get("txHash").asText();
    browser.open(console + "#/tx/" + txHash);
    browser.awaitText("function", "Notarize(");
    assertTrue(browser.text("function").contains("system contract"));
    assertTrue(browser.text("view").contains("HT-console"),
        "the decoded arguments name the record");
    browser.element("tab-logs").click();
    browser.awaitText("logs", "Recorded(");
    browser.element("tab-calls").click();
    browser.awaitText("call-tree", "CALL");
    browser.element("tab-state").click();
    browser.element("state-changes");
    browser.screenshot("transaction-decoded");
  }

  @Test
  void theHomePageFollowsItsNodeThroughARestart() {
    int port = nodes[1].rpcPort();
    try (Browser watcher = new Browser("en")) {
      watcher.open(nodes[1].rpcUrl() + "/console/");
      watcher.awaitText("live", "live");
      network.stop(1);
      watcher.awaitText("live", "reconnecting");
      long before = head(watcher);
      nodes[1] = network.start(1, port);
      watcher.awaitText("live", "live");
      // Blocks made while it was down and after are shown, with no reload.
      watcher.await(30, d -> head(watcher) > before + 2 ? true : null);
      assertEquals(1L, watcher.script(
          "return performance.getEntriesByType('navigation').length"));
    }
  }

  @Test
  void aStoppedValidatorTurnsRedAndBack() {
    String stopped = Address.of(SUITE.address(network.keys[3].publicKey())).toString()
        .toLowerCase(java.util.Locale.ROOT);
    String row = "#validator-table tr[data-address='" + stopped + "']";
    browser.open(console + "#/validators");
    browser.await(20, d -> d.findElements(By.cssSelector("#validator-table tbody tr")).size()
        == 4 ? true : null);
    browser.await(30, d -> "online".equals(d.findElement(By.cssSelector(row))
        .getDomAttribute("data-status")) ? true : null);
    network.stop(3);
    // Down once it is disconnected and has sealed none of the last 16 blocks.
    browser.await(60, d -> "down".equals(d.findElement(By.cssSelector(row))
        .getDomAttribute("data-status")) ? true : null);
    assertEquals(3, browser.driver.findElements(By.cssSelector(
        "#validator-table tr[data-status='online']")).size());
    browser.screenshot("validators-down");
    nodes[3] = network.start(3);
    browser.await(60, d -> "online".equals(d.findElement(By.cssSelector(row))
        .getDomAttribute("data-status")) ? true : null);
    browser.screenshot("validators");
  }

  @Test
  void aCommitteeMemberLogsInProposesAndAnotherVotesFromThePage() {
    try (Browser member = new Browser("en")) {
      member.open(console + "#/governance");
      member.awaitText("view", "Log in with a committee member");
      logIn(member, token);
      member.open(console + "#/governance");
      new org.openqa.selenium.support.ui.Select(member.element("propose-kind"))
          .selectByValue("set-gas-limit");
      member.element("propose-fields").sendKeys("40000000");
      member.element("propose-submit").click();
      // The proposer's own vote counts: 1 of the 3 needed (2/3 of a committee weighing 4).
      member.awaitPage("governance");
      member.awaitText("proposal-status", "open");
      String id = member.driver.getCurrentUrl().replaceAll(".*#/governance/", "");
      assertTrue(member.text("committee").contains("yes"));

      member.element("logged-in"); // log out, then in as the second member
      member.driver.findElement(By.cssSelector("#account button")).click();
      logIn(member, token1);
      member.open(console + "#/governance/" + id);
      member.element("vote-yes").click();
      member.await(60, d -> d.findElement(By.id("committee")).getText()
          .split("\\byes\\b", -1).length - 1 == 2 ? true : null);
      assertTrue(member.text("progress").startsWith("2 of the 3 needed"),
          member.text("progress"));
      // Each vote links to the transaction that cast it.
      assertEquals(2, member.driver.findElements(By.cssSelector("#committee a[href^='#/tx/']"))
          .size());
      member.screenshot("governance");
      // Voting twice is not offered.
      assertTrue(member.driver.findElements(By.id("vote-yes")).isEmpty());
    }
  }

  private static void logIn(Browser b, String apiToken) {
    b.open(console + "#/login");
    b.element("token").sendKeys(apiToken);
    b.element("login-submit").click();
    b.element("logged-in");
  }

  private static long head(Browser b) {
    return Long.parseLong(b.text("head-number").substring(1));
  }

  private static void search(String query) {
    WebElement box = browser.element("search");
    box.clear();
    box.sendKeys(query, Keys.ENTER);
  }
}
