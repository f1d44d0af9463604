package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.client.GovernanceClient;
import io.chorus.client.ProblemException;
import io.chorus.client.SharingClient;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.service.ApiTokens;
import io.chorus.service.GovernanceService;
import io.chorus.service.Keystore;
import io.chorus.sharing.SharingService;
import io.chorus.state.system.Permissions;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The data sharing pages in headless Chromium against a live {@code sm} validator: the
 * validator, the committee, binds three departments by governance vote, a fourth account holds
 * the role of data authority;
 * 市公安局 publishes an unconditional data set (then a second version of it) and a conditional
 * one; 市民政局 is granted two of the three fields it asks for, 市卫生健康委员会 is refused with a
 * reason, 市民政局's second application awaits the authority's check; 市民政局 fetches its
 * records, 市卫生健康委员会 is denied with 市民政局's grant, and 市公安局 purges the delivery.
 * Everything is sent through the REST API, then what the pages show is compared with what was
 * sent, in English and in Chinese at a phone's width, with no console error. Then the pages'
 * forms take the steps — 市公安局 publishes a third data set (after a refused duplicate code,
 * shown with its reason code), a new version and its records; 市民政局 applies; the authority
 * passes the check; 市公安局 approves one of the two fields, extends and refuses
 * 市卫生健康委员会's application, revokes 市民政局's grant and purges the delivery — each checked
 * against what the REST API then reports. Screenshots go to {@code target/console-screenshots}.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharingPagesBrowserTest {
  private static final CryptoSuite SUITE = CryptoSuite.sm();
  private static final String PASSWORD = "sharing console keystore";
  private static final Map<String, String> DEPARTMENTS = Map.of("gaj", "市公安局", "mzj",
      "市民政局", "wjw", "市卫生健康委员会");
  private static final List<String> FIELDS = List.of("name", "id_number", "address",
      "household", "birth_date");

  @TempDir static Path dir;
  private static LocalNetwork network;
  private static Node node;
  private static Browser browser;
  private static String console;
  private static final Map<String, KeyPair> keys = new HashMap<>();
  private static final Map<String, String> accounts = new HashMap<>();
  private static final Map<String, String> tokens = new HashMap<>();
  private static SharingClient.Delivery delivery;

  @BeforeAll
  static void start() throws Exception {
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    List<String> parties = List.of("gaj", "mzj", "wjw", "authority");
    for (int i = 0; i < parties.size(); i++) {
      KeyPair pair = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      keys.put(parties.get(i), pair);
      Address account = Address.of(SUITE.address(pair.publicKey()));
      accounts.put(parties.get(i), account.toString());
      funded.put(account, Genesis.Allocation.funded(LocalNetwork.FUNDS));
    }
    Path home = dir.resolve("node0");
    network = LocalNetwork.layOut(dir, SUITE, BigInteger.valueOf(4347), 1, 1, funded,
        Map.of(Address.parse(accounts.get("authority")), Permissions.ROLE_SHARING_AUTHORITY));
    // The validator is the committee's one member: its proposals pass with its own vote.
    keys.put("validator", network.keys[0]);
    accounts.put("validator", Address.of(SUITE.address(network.keys[0].publicKey())).toString());
    for (String party : keys.keySet()) {
      Keystore.importKey(home, SUITE, keys.get(party).privateKey(), PASSWORD.toCharArray(),
          new SecureRandom());
      tokens.put(party, ApiTokens.issue(home, Address.parse(accounts.get(party)), Set.of(
          SharingService.WRITER_ROLE, SharingService.READER_ROLE,
          GovernanceService.MEMBER_ROLE), Optional.empty(), Clock.systemUTC(),
          new SecureRandom()).token());
    }
    node = network.start(0, new Node.Api(Optional.of(PASSWORD), List.of()));
    console = node.rpcUrl() + "/console/";
    story();
    browser = new Browser("en");
  }

  /** What the pages show, sent through the REST API. */
  private static void story() throws Exception {
    GovernanceClient governance = new GovernanceClient(node.rpcUrl(), tokens.get("validator"));
    for (String party : List.of("gaj", "mzj", "wjw")) {
      long id = governance.propose("sharing-department", List.of(accounts.get(party),
          DEPARTMENTS.get(party)), 100, true).proposalId().orElseThrow();
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (!governance.proposal(id).status().equals("executed")) {
        assertTrue(System.nanoTime() < deadline, "binding " + party + " was not executed");
        Thread.sleep(100);
      }
    }
    // A binding takes effect at the start of the next block.
    Thread.sleep(1500);
    SharingClient gaj = as("gaj");
    assertEquals(1, gaj.publish("330100-GA-0001", "人口基本信息", FIELDS, "unconditional",
        "daily", true).result().orElseThrow().id());
    assertEquals(2, gaj.publish("330100-GA-0002", "户籍信息", FIELDS, "conditional",
        "irregular", true).result().orElseThrow().id());
    assertEquals(2, gaj.update(1, "人口基本信息（2026版）", FIELDS, "unconditional", "weekly", true)
        .result().orElseThrow().versions());
    ObjectMapper json = new ObjectMapper();
    gaj.putRecords(2, List.of(json.readTree("""
        {"name": "张三", "id_number": "330102199001011234", "address": "西湖区文三路1号",
         "household": "杭州市西湖区", "birth_date": "1990-01-01"}""")));
    long until = Instant.now().getEpochSecond() + 90 * 86_400;
    SharingClient authority = as("authority");
    assertEquals(1, as("mzj").apply(2, "核查低保申请人户籍", "最低生活保障审核",
        List.of("name", "id_number", "household"), until, true).result().orElseThrow().id());
    authority.check(1, true, "用途合规", true);
    assertEquals("granted", gaj.approve(1, List.of("name", "id_number"), true).result()
        .orElseThrow().state());
    assertEquals(2, as("wjw").apply(2, "疫情流调", "流调", List.of("address"), until, true)
        .result().orElseThrow().id());
    authority.check(2, true, "", true);
    assertEquals("refused", gaj.refuse(2, "地址信息不在共享范围", true).result().orElseThrow()
        .state());
    assertEquals(3, as("mzj").apply(1, "核对户籍地址", "救助对象复核", List.of("name", "address"),
        until, true).result().orElseThrow().id());
    delivery = as("mzj").fetch(2, 1, List.of(), keys.get("mzj").privateKey(),
        Duration.ofSeconds(30));
    ProblemException denied = assertThrows(ProblemException.class, () -> as("wjw").fetch(2, 1,
        List.of(), keys.get("wjw").privateKey(), Duration.ofSeconds(30)));
    assertEquals(Optional.of("0xc4"), SharingClient.code(denied));
    gaj.purge(delivery.entry().id(), "法定保存期满");
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (gaj.auditOf(2, 0, 10).total() < 2 || gaj.auditEntry(1).purgedAt() == 0) {
      assertTrue(System.nanoTime() < deadline, "the denial and the purge were not recorded");
      Thread.sleep(100);
    }
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
  void theCatalogueListsEachDepartmentsDataSetsAndADataSetItsVersions() {
    browser.open(console + "#/sharing");
    browser.awaitPage("sharing");
    List<List<String>> rows = browser.await(15, d -> {
      List<List<String>> found = rowsOf(d.findElements(By.cssSelector(
          "table.catalogue[data-provider='市公安局'] tbody tr")));
      return found.size() == 2 ? found : null;
    });
    assertEquals(List.of(
        List.of("#1", "330100-GA-0001", "人口基本信息（2026版）", "Unconditional",
            String.join(", ", FIELDS), "Weekly", "v2"),
        List.of("#2", "330100-GA-0002", "户籍信息", "Conditional", String.join(", ", FIELDS),
            "Irregular", "v1")), rows);
    browser.screenshot("sharing-catalogue");

    browser.open(console + "#/sharing/dataset/1");
    assertEquals("市公安局", browser.text("dataset-provider"));
    assertEquals("v2 (of 2)", browser.text("dataset-version"));
    List<List<String>> versions = browser.await(15, d -> {
      List<List<String>> found = rowsOf(d.findElements(By.cssSelector("#versions tbody tr")));
      return found.size() == 2 ? found : null;
    });
    assertEquals(List.of("v2", "人口基本信息（2026版）", "Unconditional", "Weekly"),
        versions.get(0).subList(0, 4));
    assertEquals(List.of("v1", "人口基本信息", "Unconditional", "Daily"),
        versions.get(1).subList(0, 4));
    browser.screenshot("sharing-dataset");
    assertEquals(List.of(), browser.errors());
  }

  @Test
  @Order(2)
  void aDepartmentSeesItsApplicationsWithDeadlinesAndItsGrantsAndTheRefusedItsReason() {
    logIn(browser, "mzj");
    browser.open(console + "#/sharing/requests");
    assertEquals("市民政局", browser.text("my-department"));
    List<List<String>> rows = browser.await(15, d -> {
      List<List<String>> found = rowsOf(d.findElements(By.cssSelector(
          "#requests-list tbody tr")));
      return found.size() == 2 ? found : null;
    });
    List<String> granted = rows.get(0);
    assertEquals(List.of("#1", "#2 户籍信息", "市民政局", "Granted", "—",
        "核查低保申请人户籍\n最低生活保障审核", "name, id_number, household", "name, id_number",
        "用途合规"), granted);
    List<String> pending = rows.get(1);
    assertEquals(List.of("#3", "#1 人口基本信息（2026版）", "市民政局",
        "Applied: awaiting the authority's check"), pending.subList(0, 4));
    assertTrue(pending.get(4).matches(
        "due by \\d{4}-\\d\\d-\\d\\d 24:00 \\(UTC\\+8\\)\\n.*"), pending.get(4));
    assertTrue(pending.get(4).matches("(?s).*\\n[123] working day\\(s\\) left, today included"),
        pending.get(4));
    List<List<String>> grants = rowsOf(browser.driver.findElements(By.cssSelector(
        "#grants-list tbody tr")));
    assertEquals(1, grants.size());
    assertEquals(List.of("#1", "#2 户籍信息", "name, id_number"), grants.get(0).subList(0, 3));
    assertTrue(grants.get(0).get(3).endsWith("90 day(s) left"), grants.get(0).get(3));
    browser.screenshot("sharing-requests");
    assertEquals(List.of(), browser.errors());

    logIn(browser, "wjw");
    browser.open(console + "#/sharing/requests");
    browser.awaitText("requests-list", "Refused");
    WebElement reason = browser.await(15, d -> d.findElement(By.cssSelector(
        "#requests-list .refusal")));
    assertEquals("地址信息不在共享范围", reason.getText());
    assertEquals("No grant in force.", browser.text("grants"));

    // The authority sees any department's applications and the overdue list.
    logIn(browser, "authority");
    browser.open(console + "#/sharing/requests?department=" + "市民政局");
    assertEquals("Data authority", browser.text("my-role"));
    browser.awaitText("overdue", "No application is past its deadline.");
    browser.await(15, d -> d.findElements(By.cssSelector("#requests-list tbody tr")).size()
        == 2 ? true : null);
    assertEquals(List.of(), browser.errors());
  }

  @Test
  @Order(3)
  void theAuditTrailShowsTheDeliveryAndTheDenialWithWhoWhatAndThePurge() {
    logIn(browser, "gaj");
    browser.open(console + "#/sharing/audit?dataset=2");
    List<List<String>> rows = browser.await(15, d -> {
      List<List<String>> found = rowsOf(d.findElements(By.cssSelector("#audit-list tbody tr")));
      return found.size() == 2 ? found : null;
    });
    assertEquals("2 access attempt(s) recorded on chain, oldest first.",
        browser.text("audit-total"));
    List<String> delivered = rows.get(0);
    assertEquals(List.of("#1", "#2 户籍信息"), List.of(delivered.get(0), delivered.get(2)));
    assertTrue(delivered.get(3).startsWith("市民政局\n"), delivered.get(3));
    assertEquals(List.of("#1", "0x51 ok\ndelivered", "agrees", "name, id_number"),
        delivered.subList(4, 8));
    WebElement payload = browser.driver.findElement(By.cssSelector(
        "#audit-list tbody tr:nth-child(1) td:nth-child(9) span"));
    assertEquals(delivery.payloadHash(), payload.getDomAttribute("title"));
    assertTrue(delivered.get(9).startsWith("purged "), delivered.get(9));
    List<String> denied = rows.get(1);
    assertTrue(denied.get(3).startsWith("市卫生健康委员会\n"), denied.get(3));
    assertEquals(List.of("#1", "0xc4 wrong-department\ndenied: another department's grant",
        "agrees", "name, id_number", "—", "—"), denied.subList(4, 10));
    browser.screenshot("sharing-audit");

    // The requester's own trail: its delivery only; the provider's trail is not its to read.
    logIn(browser, "mzj");
    browser.open(console + "#/sharing/audit?dataset=2");
    assertEquals("Only 市公安局 and the data authority see this trail.", browser.text("view")
        .lines().filter(line -> line.startsWith("Only")).findFirst().orElse(""));
    browser.open(console + "#/sharing/audit");
    browser.awaitText("audit-total", "1 access attempt(s)");
    assertEquals(List.of(), browser.errors());
  }

  @Test
  @Order(4)
  void onAPhoneInChineseTheRequestsAndAuditFitTheScreen() {
    try (Browser chinese = new Browser("zh-CN")) {
      chinese.driver.manage().window().setSize(new Dimension(390, 844));
      chinese.open(console + "#/sharing");
      logIn(chinese, "mzj");
      chinese.open(console + "#/sharing/requests");
      chinese.awaitText("requests-list", "已授权");
      assertTrue(chinese.text("requests-list").contains("待主管部门审核"));
      assertEquals(Boolean.TRUE, chinese.script("return document.documentElement.scrollWidth"
          + " <= window.innerWidth"), "nothing wider than the phone");
      chinese.screenshot("sharing-requests-phone-zh");
      chinese.open(console + "#/sharing");
      chinese.awaitText("catalogue", "有条件共享");
      assertEquals(Boolean.TRUE, chinese.script("return document.documentElement.scrollWidth"
          + " <= window.innerWidth"), "nothing wider than the phone");
      chinese.screenshot("sharing-catalogue-phone-zh");
      logIn(chinese, "gaj");
      chinese.open(console + "#/sharing/audit?dataset=2");
      chinese.awaitText("audit-list", "拒绝：非本部门的授权");
      assertEquals(Boolean.TRUE, chinese.script("return document.documentElement.scrollWidth"
          + " <= window.innerWidth"), "nothing wider than the phone");
      chinese.screenshot("sharing-audit-phone-zh");
      assertEquals(List.of(), chinese.errors());
    }
  }

  @Test
  @Order(5)
  void theFormsPublishApplyCheckApproveRefuseRevokeAndPurgeAsTheRestApiThenReports()
      throws Exception {
    logIn(browser, "gaj");
    browser.open(console + "#/sharing");
    browser.element("publish-form");
    // A code already in the catalogue: the contract's refusal, with its code, and nothing sent.
    browser.element("publish-code").sendKeys("330100-GA-0001");
    browser.element("publish-title").sendKeys("社会保障卡信息");
    browser.element("publish-fields").sendKeys("name，card_number、bank");
    new Select(browser.element("publish-class")).selectByValue("conditional");
    new Select(browser.element("publish-cycle")).selectByValue("monthly");
    browser.element("publish-submit").click();
    String refused = browser.text("act-refused");
    assertTrue(refused.startsWith("Refused by the contract (0xba bad-dataset): 0xba"
        + " bad-dataset: catalogue code '330100-GA-0001' is data set 1's"), refused);
    assertEquals(2, as("gaj").datasets(Optional.empty(), 0, 10).total(), "nothing published");
    assertEquals(1, browser.errors().stream().filter(e -> e.contains("/sharing/datasets")
        && e.contains("422")).count(), "the refusal is the API's 422, logged by the browser");
    browser.element("publish-code").clear();
    browser.element("publish-code").sendKeys("330100-GA-0003");
    browser.element("publish-submit").click();
    browser.await(30, d -> d.getCurrentUrl().endsWith("#/sharing/dataset/3") ? true : null);
    assertEquals("社会保障卡信息", browser.text("dataset-title"));
    SharingClient.Dataset published = as("gaj").dataset(3);
    assertEquals(List.of("330100-GA-0003", "市公安局", "conditional", "monthly"), List.of(
        published.code(), published.provider(), published.latest().sharingClass(),
        published.latest().updateCycle()));
    assertEquals(List.of("name", "card_number", "bank"), published.latest().fields());

    // A new version from the form filled with the latest, then the records this node serves.
    WebElement versionTitle = browser.element("version-title");
    assertEquals("社会保障卡信息", versionTitle.getDomProperty("value"));
    versionTitle.clear();
    versionTitle.sendKeys("社会保障卡信息（2026版）");
    new Select(browser.element("version-cycle")).selectByValue("quarterly");
    browser.element("version-submit").click();
    browser.awaitText("dataset-version", "v2 (of 2)");
    assertEquals(List.of("社会保障卡信息（2026版）", "quarterly", "conditional"), List.of(
        as("gaj").dataset(3).latest().title(), as("gaj").dataset(3).latest().updateCycle(),
        as("gaj").dataset(3).latest().sharingClass()));
    browser.element("records-json").sendKeys("not json");
    browser.element("records-submit").click();
    assertTrue(browser.text("act-message").startsWith("Not JSON: "), "checked before sending");
    browser.element("records-json").clear();
    browser.element("records-json").sendKeys("""
        [{"name": "王五", "card_number": "330100D156000005", "bank": "6222020200112233"}]""");
    browser.element("records-submit").click();
    browser.awaitText("act-message", "This node now serves 1 record(s) of data set #3.");
    assertEquals(List.of(), browser.errors());

    // 市民政局 applies from the data set's page: no provider's forms for it.
    logIn(browser, "mzj");
    browser.open(console + "#/sharing/dataset/3");
    browser.element("apply-form");
    assertTrue(browser.driver.findElements(By.id("version-form")).isEmpty());
    browser.element("apply-purpose").sendKeys("核对救助金发放账户");
    browser.element("apply-scenario").sendKeys("社会救助资金发放");
    for (String field : List.of("name", "card_number")) {
      browser.driver.findElement(By.cssSelector("#apply-fields input[value='" + field + "']"))
          .click();
    }
    browser.element("apply-days").clear();
    browser.element("apply-days").sendKeys("30");
    browser.element("apply-submit").click();
    browser.await(30, d -> d.getCurrentUrl().endsWith("#/sharing/request/4") ? true : null);
    browser.awaitText("request-state", "Applied: awaiting the authority's check");
    SharingClient.Application applied = as("mzj").application(4);
    assertEquals(List.of("applied", "市民政局", "核对救助金发放账户"), List.of(applied.state(),
        applied.requester(), applied.purpose()));
    assertEquals(List.of("name", "card_number"), applied.requestedFields());
    long days = (applied.expiresAt() - Instant.now().getEpochSecond() + 3_600) / 86_400;
    assertEquals(30, days, "the period asked for");
    assertEquals("Your account has no step to take on this application now.",
        browser.text("act-nothing"));

    // The authority sees the check, and only it; it passes.
    logIn(browser, "authority");
    browser.open(console + "#/sharing/request/4");
    new Select(browser.element("check-verdict")).selectByValue("pass");
    browser.element("check-reason").sendKeys("用途合规");
    assertTrue(browser.driver.findElements(By.id("approve-form")).isEmpty());
    browser.element("check-submit").click();
    browser.awaitText("request-state", "Checked: awaiting the provider");
    assertEquals("checked", as("authority").application(4).state());
    assertTrue(browser.driver.findElements(By.id("check-form")).isEmpty(), "checked once");

    // The provider grants one of the two fields asked for.
    logIn(browser, "gaj");
    browser.open(console + "#/sharing/request/4");
    browser.element("approve-form");
    assertTrue(browser.driver.findElements(By.id("check-form")).isEmpty(), "authority's only");
    browser.driver.findElement(By.cssSelector("#approve-fields input[value='card_number']"))
        .click();
    browser.element("approve-submit").click();
    browser.awaitText("request-state", "Granted");
    assertEquals("name", browser.text("request-granted"));
    SharingClient.Application granted = as("gaj").application(4);
    assertEquals(List.of("granted", "name"), List.of(granted.state(),
        String.join(",", granted.grantedFields())));
    // What the provider's node serves under it: the records put from the page, one field.
    SharingClient.Delivery fetched = as("mzj").fetch(3, 4, List.of(),
        keys.get("mzj").privateKey(), Duration.ofSeconds(30));
    assertEquals("[{\"name\":\"王五\"}]", fetched.records().toString());
    logIn(browser, "mzj");
    browser.open(console + "#/sharing/request/4");
    assertEquals(List.of("./chorus share fetch 3 --grant 4 \\", "  --key-file YOUR.key \\",
        "  --token-file YOUR.token \\", "  --url " + node.rpcUrl()),
        browser.text("fetch-command").lines().toList());

    // 市卫生健康委员会 asks too; the provider extends its deadline once, then refuses.
    long until = Instant.now().getEpochSecond() + 30 * 86_400;
    assertEquals(5, as("wjw").apply(3, "医保结算核对", "医疗救助", List.of("bank"), until, true)
        .result().orElseThrow().id());
    as("authority").check(5, true, "", true);
    logIn(browser, "gaj");
    browser.open(console + "#/sharing/request/5");
    browser.element("extend-reason").sendKeys("需核实银行账户字段的共享范围");
    browser.element("extend-submit").click();
    browser.awaitText("request-deadline", "extended");
    assertTrue(as("gaj").application(5).extended());
    assertTrue(browser.driver.findElements(By.id("extend-form")).isEmpty(), "extended once");
    browser.element("refuse-submit").click();
    assertEquals("Reason: write something.", browser.text("act-message"), "a reason first");
    browser.element("refuse-reason").sendKeys("银行账户信息不予共享");
    browser.element("refuse-submit").click();
    browser.awaitText("request-state", "Refused");
    assertEquals("银行账户信息不予共享", browser.text("request-reason"));
    browser.screenshot("sharing-request-refused");
    assertEquals(List.of("refused", "银行账户信息不予共享"), List.of(
        as("wjw").application(5).state(), as("wjw").application(5).reason()));

    // The provider revokes 市民政局's grant: its next fetch is denied.
    browser.open(console + "#/sharing/request/4");
    browser.element("revoke-reason").sendKeys("救助资金已发放完毕");
    browser.element("revoke-submit").click();
    browser.awaitText("request-state", "Revoked");
    assertEquals("revoked", as("mzj").application(4).state());
    ProblemException denied = assertThrows(ProblemException.class, () -> as("mzj").fetch(3, 4,
        List.of(), keys.get("mzj").privateKey(), Duration.ofSeconds(30)));
    assertEquals(Optional.of("0xc2"), SharingClient.code(denied));

    // The provider purges the delivery from the data set's trail.
    browser.open(console + "#/sharing/audit?dataset=3");
    Select entry = new Select(browser.element("purge-entry"));
    assertEquals(List.of("#" + fetched.entry().id()), entry.getOptions().stream()
        .map(WebElement::getText).toList(), "only the delivery, not the denial");
    browser.element("purge-reason").sendKeys("救助资金已发放完毕");
    browser.element("purge-submit").click();
    browser.await(30, d -> d.findElement(By.id("audit-list")).getText().contains("purged ")
        ? true : null);
    assertTrue(as("gaj").auditEntry(fetched.entry().id()).purgedAt() > 0);
    browser.awaitText("act-nothing", "No delivery on this page is left to purge.");
    assertEquals(List.of(), browser.errors());
  }

  @Test
  @Order(6)
  void onAPhoneInChineseTheFormsFitTheScreen() {
    try (Browser chinese = new Browser("zh-CN")) {
      chinese.driver.manage().window().setSize(new Dimension(390, 844));
      chinese.open(console + "#/sharing");
      logIn(chinese, "gaj");
      chinese.open(console + "#/sharing");
      chinese.element("publish-code").sendKeys("330100-GA-0002");
      chinese.element("publish-title").sendKeys("户籍信息");
      chinese.element("publish-fields").sendKeys("name, household");
      chinese.element("publish-submit").click();
      String refused = chinese.text("act-refused");
      assertTrue(refused.startsWith("合约拒绝（0xba bad-dataset）：0xba bad-dataset: catalogue"
          + " code '330100-GA-0002' is data set 2's"), refused);
      chinese.script("document.getElementById('publish-form').scrollIntoView()");
      assertFits(chinese);
      chinese.screenshot("sharing-publish-phone-zh");
      assertEquals(1, chinese.errors().stream().filter(e -> e.contains("422")).count());
      chinese.open(console + "#/sharing/dataset/2");
      chinese.element("version-form");
      chinese.script("document.getElementById('version-form').scrollIntoView()");
      assertFits(chinese);
      chinese.screenshot("sharing-version-phone-zh");
      chinese.open(console + "#/sharing/request/3");
      assertEquals("您的账户目前无需办理该申请。", chinese.text("act-nothing"));
      logIn(chinese, "authority");
      chinese.open(console + "#/sharing/request/3");
      chinese.element("check-form");
      chinese.element("check-reason").sendKeys("用途不明确");
      new Select(chinese.element("check-verdict")).selectByValue("refuse");
      chinese.script("document.getElementById('check-form').scrollIntoView()");
      assertFits(chinese);
      chinese.screenshot("sharing-check-phone-zh");
      logIn(chinese, "mzj");
      chinese.open(console + "#/sharing/dataset/1");
      chinese.element("apply-form");
      chinese.script("document.getElementById('apply-form').scrollIntoView()");
      assertFits(chinese);
      chinese.screenshot("sharing-apply-phone-zh");
      assertEquals(List.of(), chinese.errors());
    }
  }

  private static void assertFits(Browser b) {
    assertEquals(Boolean.TRUE, b.script("return document.documentElement.scrollWidth"
        + " <= window.innerWidth"), "nothing wider than the phone");
  }

  private static SharingClient as(String party) {
    return new SharingClient(node.rpcUrl(), tokens.get(party));
  }

  private static List<List<String>> rowsOf(List<WebElement> rows) {
    return rows.stream().map(tr -> tr.findElements(By.tagName("td")).stream()
        .map(WebElement::getText).toList()).toList();
  }

  private static void logIn(Browser b, String party) {
    b.open(console + "#/login");
    b.element("token").sendKeys(tokens.get(party));
    b.element("login-submit").click();
    b.await(15, d -> accounts.get(party).equals(d.findElement(By.id("logged-in"))
        .getDomAttribute("title")) ? true : null);
  }
}
