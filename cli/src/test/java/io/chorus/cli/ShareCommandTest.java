package io.chorus.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.GenesisFile;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.node.Node;
import io.chorus.service.ApiTokens;
import io.chorus.service.Keystore;
import io.chorus.sharing.SharingService;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.Permissions;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chorus share} against a dev node of the {@code sm} suite in this JVM that holds the
 * keys of three departments — 市公安局 (provider, "gaj"), 市民政局 (requester, "mzj"),
 * 市卫生健康委员会 ("wjw") — and of the data authority, the committee's one member, which binds
 * the departments by governance vote through {@code chorus gov}: publish two data sets with
 * the records to serve, apply, check, a provider-only step refused with the contract's code,
 * approve two of three fields, a new version of a data set (only what changes given), the
 * provider's one extension of its deadline, another department refused with a reason; fetch
 * opens the delivery with the requester's key and holds only the granted fields; denials print
 * their reason codes; the audit trail lists deliveries and denials; a revoked grant is denied; bad
 * input is refused before anything is sent, saying what to write instead.
 */
class ShareCommandTest {
  private static final CryptoSuite SUITE = CryptoSuite.sm();
  private static final List<String> PARTIES = List.of("authority", "gaj", "mzj", "wjw");
  private static final Map<String, String> DEPARTMENTS = Map.of("gaj", "市公安局", "mzj",
      "市民政局", "wjw", "市卫生健康委员会");
  private static final String PASSWORD = "cli sharing";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final Map<String, Address> accounts = new HashMap<>();
  private final Map<String, String> token = new HashMap<>();
  private final Map<String, String> keyFile = new HashMap<>();
  private String url;

  @Test
  void threeDepartmentsShareFromTheCommandLine() throws Exception {
    Map<String, KeyPair> keys = new HashMap<>();
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    for (int i = 0; i < PARTIES.size(); i++) {
      byte[] secret = HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i);
      KeyPair pair = SUITE.keyPair(secret);
      String party = PARTIES.get(i);
      keys.put(party, pair);
      accounts.put(party, Address.of(SUITE.address(pair.publicKey())));
      funded.put(accounts.get(party), Genesis.Allocation.funded(BigInteger.TEN.pow(24)));
      Path file = dir.resolve(party + ".key");
      Files.writeString(file, Hex.encode(secret));
      keyFile.put(party, file.toString());
    }
    Path data = dir.resolve("node");
    GenesisFile.write(new Genesis(BigInteger.valueOf(779), "sm", Genesis.FeeMode.ETHEREUM_1559,
        60_000_000, 200, 0, new byte[0], List.of(keys.get("authority").publicKey()), funded,
        new Consortium(List.of(new Consortium.Member(accounts.get("authority"),
            BigInteger.ONE)), Map.of(), false, false, Map.of(accounts.get("authority"),
                Permissions.ROLE_SHARING_AUTHORITY))),
        data.resolve(Node.Config.GENESIS_FILE));
    for (String party : PARTIES) {
      Keystore.importKey(data, SUITE, keys.get(party).privateKey(), PASSWORD.toCharArray(),
          new SecureRandom());
      Path file = dir.resolve(party + ".token");
      Files.writeString(file, ApiTokens.issue(data, accounts.get(party), Set.of(
          SharingService.WRITER_ROLE, SharingService.READER_ROLE), Optional.empty(),
          Clock.systemUTC(), new SecureRandom()).token());
      token.put(party, file.toString());
    }
    Path records = dir.resolve("households.json");
    Files.writeString(records, """
        [{"name": "张三", "id_number": "330102199001011234", "address": "西湖区文三路1号",
          "household": "杭州市西湖区", "birth_date": "1990-01-01"},
         {"name": "李四", "id_number": "330102198502022345", "address": "上城区解放路2号",
          "household": "杭州市上城区", "birth_date": "1985-02-02"}]""");

    try (Node node = Node.start(new Node.Config(data, "127.0.0.1", 0)
        .withApi(new Node.Api(Optional.of(PASSWORD), List.of())))) {
      url = node.rpcUrl();
      bindDepartmentsByVote();

      GovCommandTest.Run badClass = as("gaj", "share", "publish", "--code", "330100-GA-0001",
          "--title", "人口基本信息", "--fields", "name,id_number", "--class", "open");
      assertEquals(2, badClass.code());
      assertTrue(badClass.err().contains("--class takes one of unconditional, conditional,"
          + " not-shared; not 'open'"), badClass.err());
      ok(as("gaj", "share", "publish", "--code", "330100-GA-0001", "--title", "人口基本信息",
          "--fields", "name,id_number,address,household,birth_date", "--class",
          "unconditional", "--cycle", "daily", "--records", records.toString()));
      GovCommandTest.Run published = ok(as("gaj", "share", "publish", "--code",
          "330100-GA-0002", "--title", "户籍信息", "--fields",
          "name,id_number,address,household,birth_date", "--class", "conditional",
          "--records", records.toString()));
      assertTrue(published.out().contains("published data set 2 in block"), published.out());
      assertTrue(published.out().contains("this node serves 2 record(s) of data set 2"),
          published.out());
      // A new version: what is not given is kept from the latest; only the provider may.
      GovCommandTest.Run nothingNew = as("gaj", "share", "update", "1");
      assertEquals(2, nothingNew.code());
      assertTrue(nothingNew.err().contains("update needs what changes: --title, --fields,"
          + " --class or --cycle"), nothingNew.err());
      GovCommandTest.Run notTheirs = as("mzj", "share", "update", "1", "--cycle", "weekly");
      assertEquals(1, notTheirs.code());
      assertTrue(notTheirs.err().contains("0xb3 not-provider"), notTheirs.err());
      GovCommandTest.Run updated = ok(as("gaj", "share", "update", "1", "--title",
          "人口基本信息（2026版）", "--cycle", "weekly"));
      assertTrue(updated.out().contains("version 2 of data set 1 in block"), updated.out());
      assertTrue(updated.out().contains("#1  330100-GA-0001  人口基本信息（2026版）  provider"
          + " 市公安局  unconditional, weekly, v2  fields name,id_number,address,household,"
          + "birth_date"), updated.out());
      GovCommandTest.Run catalog = ok(GovCommandTest.chorus("share", "catalog", "--url", url));
      assertTrue(catalog.out().contains("#2  330100-GA-0002  户籍信息  provider 市公安局 "
          + " conditional, irregular, v1"), catalog.out());
      assertTrue(catalog.out().contains("2 data set(s)"), catalog.out());

      GovCommandTest.Run badUntil = as("mzj", "share", "apply", "2", "--purpose", "核查",
          "--scenario", "低保", "--fields", "name", "--until", "tomorrow");
      assertEquals(2, badUntil.code());
      assertTrue(badUntil.err().contains("--until takes ISO-8601"), badUntil.err());
      GovCommandTest.Run applied = ok(as("mzj", "share", "apply", "2", "--purpose",
          "核查低保申请人户籍", "--scenario", "最低生活保障审核", "--fields",
          "name,id_number,household", "--until", "90d"));
      assertTrue(applied.out().contains("application #1  data set 2 v1  by 市民政局  applied"),
          applied.out());
      GovCommandTest.Run noReason = as("authority", "share", "check", "1", "--refuse");
      assertEquals(2, noReason.code());
      assertTrue(noReason.err().contains("--refuse needs --reason"), noReason.err());
      ok(as("authority", "share", "check", "1", "--pass", "--reason", "用途合规"));
      GovCommandTest.Run notProvider = as("mzj", "share", "approve", "1");
      assertEquals(1, notProvider.code());
      assertTrue(notProvider.err().contains("0xb3 not-provider"), notProvider.err());
      GovCommandTest.Run granted = ok(as("gaj", "share", "approve", "1", "--fields",
          "name,id_number"));
      assertTrue(granted.out().contains("granted    name,id_number"), granted.out());

      ok(as("wjw", "share", "apply", "2", "--purpose", "疫情流调", "--scenario", "流调",
          "--fields", "address", "--until", "30d"));
      ok(as("authority", "share", "check", "2", "--pass"));
      // The provider takes its 5 more working days, once.
      String before = deadlineOf(ok(as("wjw", "share", "show", "2")).out());
      GovCommandTest.Run extended = ok(as("gaj", "share", "extend", "2", "--reason",
          "需核实地址字段的共享范围"));
      assertTrue(extended.out().contains("extended in block"), extended.out());
      String after = deadlineOf(extended.out());
      assertTrue(after.endsWith(" (extended)"), after);
      assertTrue(java.time.Instant.parse(after.substring(0, after.indexOf(' '))).isAfter(
          java.time.Instant.parse(before)), before + " → " + after);
      GovCommandTest.Run twiceExtended = as("gaj", "share", "extend", "2", "--reason", "再延");
      assertEquals(1, twiceExtended.code());
      assertTrue(twiceExtended.err().contains("0xb8 bad-state"), twiceExtended.err());
      GovCommandTest.Run refused = ok(as("gaj", "share", "refuse", "2", "--reason",
          "地址信息不在共享范围"));
      assertTrue(refused.out().contains("refused") && refused.out().contains(
          "reason     地址信息不在共享范围"), refused.out());

      GovCommandTest.Run fetched = ok(as("mzj", "share", "fetch", "2", "--grant", "1",
          "--key-file", keyFile.get("mzj")));
      String summary = fetched.out().lines().findFirst().orElseThrow();
      assertTrue(summary.startsWith("delivered 2 record(s) of data set 2 v1 under grant 1,"
          + " fields name, id_number; opened with sm2-sm4-gcm"), summary);
      assertTrue(summary.contains("(verdict 0x51 ok)"), summary);
      JsonNode delivered = JSON.readTree(fetched.out().substring(summary.length()));
      assertEquals(2, delivered.size());
      assertEquals("330102199001011234", delivered.get(0).path("id_number").asText());
      for (JsonNode record : delivered) {
        List<String> names = new java.util.ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("name", "id_number"), names, record.toString());
      }
      assertFalse(fetched.out().contains("西湖区"), "an ungranted field was delivered");

      GovCommandTest.Run notGranted = as("mzj", "share", "fetch", "1", "--key-file",
          keyFile.get("mzj"));
      assertEquals(1, notGranted.code());
      assertTrue(notGranted.err().contains("access denied, 0xc0 no-grant: 市民政局 holds no"
          + " grant in force for data set 1"), notGranted.err());
      assertTrue(notGranted.err().contains("(recorded by transaction 0x"), notGranted.err());
      GovCommandTest.Run otherDepartment = as("wjw", "share", "fetch", "2", "--grant", "1",
          "--key-file", keyFile.get("wjw"));
      assertTrue(otherDepartment.err().contains("access denied, 0xc4 wrong-department: grant 1"
          + " is not 市卫生健康委员会's"), otherDepartment.err());
      GovCommandTest.Run othersKey = as("mzj", "share", "fetch", "2", "--key-file",
          keyFile.get("wjw"));
      assertEquals(1, othersKey.code());
      assertTrue(othersKey.err().contains("this key is account " + accounts.get("wjw")),
          othersKey.err());

      // A user certificate needs a node that trusts a consortium root: a dev node has none,
      // and says so; the files are read and the request signed all the same.
      Path pki = dir.resolve("pki");
      ok(GovCommandTest.chorus("ca", "init", "--pki", pki.toString(), "--suite", "sm",
          "--name", "City"));
      ok(GovCommandTest.chorus("ca", "org", "--pki", pki.toString(), "--name", "mzj"));
      ok(GovCommandTest.chorus("ca", "user", "--pki", pki.toString(), "--org", "mzj", "--name",
          "clerk", "--role", "user"));
      Path clerk = pki.resolve("mzj").resolve("users").resolve("clerk");
      GovCommandTest.Run noRoot = GovCommandTest.chorus("share", "fetch", "2", "--grant", "1",
          "--cert", clerk.resolve("user.pem").toString(), "--cert-key",
          clerk.resolve("user.key").toString(), "--url", url);
      assertEquals(1, noRoot.code(), noRoot.err());
      assertTrue(noRoot.err().contains("this node trusts no consortium root"), noRoot.err());
      GovCommandTest.Run halfCertificate = GovCommandTest.chorus("share", "fetch", "2",
          "--cert", clerk.resolve("user.pem").toString(), "--url", url);
      assertTrue(halfCertificate.err().contains("give --cert and --cert-key together"),
          halfCertificate.err());
      GovCommandTest.Run both = as("mzj", "share", "fetch", "2", "--key-file",
          keyFile.get("mzj"), "--cert", clerk.resolve("user.pem").toString(), "--cert-key",
          clerk.resolve("user.key").toString());
      assertTrue(both.err().contains("give either --key-file"), both.err());

      // Denials are pooled, not awaited: the trail shows them once their block is in.
      String trail = awaitTrail("--dataset", "2", "2 access attempt(s) on data set 2");
      assertTrue(trail.contains("grant 1  市民政局  0x51 ok  verdict 0x51 ok  payload 0x"),
          trail);
      assertTrue(trail.contains("grant 1  市卫生健康委员会  0xc4 wrong-department  verdict 0xc4"
          + " wrong-department"), trail);
      String own = awaitTrail("--department", "市民政局", "2 access attempt(s) by 市民政局");
      assertTrue(own.contains("data set 1  grant 0  市民政局  0xc0 no-grant"), own);
      GovCommandTest.Run hidden = as("wjw", "share", "audit", "--dataset", "2");
      assertEquals(1, hidden.code());
      assertTrue(hidden.err().contains("acts neither for 市公安局"), hidden.err());

      GovCommandTest.Run overdue = ok(as("authority", "share", "overdue"));
      assertTrue(overdue.out().contains("0 overdue application(s)"), overdue.out());
      GovCommandTest.Run notAuthority = as("gaj", "share", "overdue");
      assertTrue(notAuthority.err().contains("is not the data authority"), notAuthority.err());

      ok(as("gaj", "share", "revoke", "1", "--reason", "申请部门超范围使用"));
      GovCommandTest.Run revoked = as("mzj", "share", "fetch", "2", "--grant", "1",
          "--key-file", keyFile.get("mzj"));
      assertTrue(revoked.err().contains("access denied, 0xc2 revoked"), revoked.err());

      String delivery = trail.lines().filter(l -> l.contains(" 0x51 ok")).findFirst()
          .orElseThrow();
      String entry = delivery.substring(1, delivery.indexOf(' '));
      ok(as("gaj", "share", "purge", entry, "--reason", "法定保存期满"));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!ok(as("gaj", "share", "audit", "--entry", entry)).out().contains("  purged ")) {
        assertTrue(System.nanoTime() < deadline, "the purge was not recorded");
        Thread.sleep(100);
      }
      GovCommandTest.Run twice = as("gaj", "share", "purge", entry, "--reason", "再次");
      assertEquals(1, twice.code());
      assertTrue(twice.err().contains("0xbd bad-entry"), twice.err());

      // A dev node's blocks are not final by consensus: it says so rather than write a bundle
      // no verifier would accept. (AuditProofTest proves and verifies on a sealed chain.)
      Path bundle = dir.resolve("entry.proof.json");
      GovCommandTest.Run unprovable = as("mzj", "share", "audit", "--proof", entry, "--out",
          bundle.toString());
      assertEquals(1, unprovable.code());
      assertTrue(unprovable.err().contains("409") && unprovable.err().contains("dev chain"),
          unprovable.err());
      assertFalse(Files.exists(bundle));
      GovCommandTest.Run noFile = as("mzj", "share", "audit", "--proof", entry);
      assertEquals(2, noFile.code(), noFile.err());
      assertTrue(noFile.err().contains("--proof needs --out FILE"), noFile.err());
      GovCommandTest.Run notParty = as("wjw", "share", "audit", "--proof", entry, "--out",
          bundle.toString());
      assertTrue(notParty.err().contains("404") && !notParty.err().contains("409"),
          notParty.err());
    }
  }

  /** The authority proposes each binding; as the one member its yes passes it. */
  private void bindDepartmentsByVote() throws InterruptedException {
    for (String party : List.of("gaj", "mzj", "wjw")) {
      ok(GovCommandTest.chorus("gov", "propose", "sharing-department", accounts.get(party)
          .toString(), DEPARTMENTS.get(party), "--key-file", keyFile.get("authority"), "--url",
          url));
    }
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (GovCommandTest.chorus("gov", "list", "--url", url).out().split("executed", -1)
        .length < 4) {
      assertTrue(System.nanoTime() < deadline, "the bindings were not executed");
      Thread.sleep(100);
    }
  }

  private String awaitTrail(String scope, String value, String total)
      throws InterruptedException {
    String as = scope.equals("--dataset") ? "gaj" : "mzj";
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      GovCommandTest.Run trail = ok(as(as, "share", "audit", scope, value));
      if (trail.out().contains(total)) {
        return trail.out();
      }
      assertTrue(System.nanoTime() < deadline, trail.out());
      Thread.sleep(100);
    }
  }

  /** The deadline line's value in what {@code share show} or a decision printed. */
  private static String deadlineOf(String out) {
    return out.lines().filter(l -> l.startsWith("  deadline   ")).findFirst().orElseThrow(
        () -> new AssertionError("no deadline in " + out)).substring(13);
  }

  private GovCommandTest.Run as(String party, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 4);
    all[args.length] = "--token-file";
    all[args.length + 1] = token.get(party);
    all[args.length + 2] = "--url";
    all[args.length + 3] = url;
    return GovCommandTest.chorus(all);
  }

  private static GovCommandTest.Run ok(GovCommandTest.Run run) {
    assertEquals(0, run.code(), run.err() + run.out());
    return run;
  }
}
