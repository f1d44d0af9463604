package io.chorus.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.EnvelopeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sharing service on a chain whose blocks the test makes ({@link DepartmentsChain}),
 * through the REST layer: 市公安局 publishes an unconditional and a conditional data set and
 * puts their records in its node; 市民政局 applies, the authority checks, the provider approves
 * two of the three fields asked for and refuses 市卫生健康委员会; a fetch decrypts with the
 * requester's key only, its hash is the on-chain entry's and only the granted fields arrive;
 * each denial (no grant, a field outside the mask, another department's token, an account of
 * no department, a revoked grant) is answered with its code and recorded on chain with it; a
 * tampered envelope does not open; a purge erases the node's copy and is recorded.
 */
class SharingServiceTest {
  private static final String BASE = "/api/v1/sharing";
  private static final String FIELDS = "[\"name\",\"id_number\",\"address\",\"household\","
      + "\"birth_date\"]";
  private static final String RECORDS = "{\"records\":["
      + "{\"name\":\"张三\",\"id_number\":\"330102199001011234\",\"address\":\"西湖区文三路1号\","
      + "\"household\":\"杭州\",\"birth_date\":\"1990-01-01\"},"
      + "{\"name\":\"李四\",\"id_number\":\"330102198505052345\",\"address\":\"上城区解放路2号\","
      + "\"household\":\"杭州\",\"birth_date\":\"1985-05-05\"}]}";

  @TempDir Path dir;

  private DepartmentsChain net;

  private void ok(DepartmentsChain.Answer answer) {
    assertEquals(202, answer.status(), answer.body().toString());
    net.mine(1);
  }

  private JsonNode denied(DepartmentsChain.Answer answer, String code, String rule) {
    assertEquals(403, answer.status(), answer.body().toString());
    assertEquals("urn:chorus:problem:access-denied", answer.body().path("type").asText());
    assertEquals(code, answer.body().path("code").asText(), answer.body().toString());
    assertEquals(rule, answer.body().path("rule").asText());
    assertEquals(1, net.chain.pool().size(), "a denial is recorded: " + answer.body());
    net.mine(1);
    return answer.body();
  }

  private String key(String name) {
    return Hex.encode0x(net.keys.get(name).publicKey());
  }

  private DepartmentsChain.Answer fetch(String as, long dataset, String query) {
    return net.get(as, BASE + "/datasets/" + dataset + "/data?key=" + key(as) + query);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void aGrantedDepartmentGetsOnlyItsFieldsSealedForItAndEveryAttemptIsOnTheTrail(String name)
      throws Exception {
    CryptoSuite suite = name.equals("sm") ? CryptoSuite.sm() : CryptoSuite.ethereum();
    net = new DepartmentsChain(suite, dir);
    try {
      flow(suite);
    } finally {
      net.close();
    }
  }

  private void flow(CryptoSuite suite) throws Exception {
    ok(net.post("gaj", BASE + "/datasets", "{\"code\":\"330100-GA-0001\",\"title\":\"人口基本信息"
        + "\",\"fields\":" + FIELDS + ",\"sharingClass\":\"unconditional\",\"updateCycle\":"
        + "\"daily\"}"));
    ok(net.post("gaj", BASE + "/datasets", "{\"code\":\"330100-GA-0002\",\"title\":\"户籍信息\","
        + "\"fields\":" + FIELDS + ",\"sharingClass\":\"conditional\"}"));
    JsonNode catalogue = net.get(null, BASE + "/datasets?department=市公安局").body();
    assertEquals(2, catalogue.path("total").asLong(), catalogue.toString());
    assertEquals("conditional", catalogue.path("items").get(1).path("latest")
        .path("sharingClass").asText());
    assertEquals(200, net.put("gaj", BASE + "/datasets/2/data", RECORDS).status());
    assertEquals(200, net.put("gaj", BASE + "/datasets/1/data", RECORDS).status());
    // Only the provider puts records in its node.
    assertEquals(403, net.put("mzj", BASE + "/datasets/2/data", RECORDS).status());

    long expires = net.time + 90 * 86_400L;
    ok(net.post("mzj", BASE + "/requests", "{\"dataset\":2,\"purpose\":\"核查低保申请人户籍\","
        + "\"scenario\":\"最低生活保障审核\",\"fields\":[\"name\",\"id_number\",\"household\"],"
        + "\"expiresAt\":" + expires + "}"));
    ok(net.post("authority", BASE + "/requests/1/check", "{\"pass\":true,\"reason\":\"用途合规"
        + "\"}"));
    // The contract's refusal, sent nowhere: the requester cannot approve.
    DepartmentsChain.Answer notProvider = net.post("mzj", BASE + "/requests/1/approve", "{}");
    assertEquals(422, notProvider.status(), notProvider.body().toString());
    assertEquals("0xb3", notProvider.body().path("code").asText());
    assertEquals(0, net.chain.pool().size());
    ok(net.post("gaj", BASE + "/requests/1/approve", "{\"fields\":[\"name\",\"id_number\"]}"));
    JsonNode granted = net.get("mzj", BASE + "/requests/1").body();
    assertEquals("granted", granted.path("state").asText(), granted.toString());
    assertEquals("[\"name\",\"id_number\"]", granted.path("grantedFields").toString());
    // Another department does not see the application at all; the authority does.
    assertEquals(404, net.get("wjw", BASE + "/requests/1").status());
    assertEquals(200, net.get("authority", BASE + "/requests/1").status());
    // Its history: applied, checked, granted, the last entry what the GET answers now; kept
    // from whom the GET keeps it.
    JsonNode history = net.get("mzj", BASE + "/requests/1/history").body();
    List<String> events = new ArrayList<>();
    history.path("entries").forEach(e -> events.add(e.path("events").get(0).path("event")
        .asText()));
    assertEquals(List.of("Applied", "Checked", "Granted"), events, history.toString());
    assertEquals(granted, history.path("entries").get(2).path("record"));
    assertEquals("checked", history.path("entries").get(1).path("record").path("state")
        .asText());
    assertEquals(404, net.get("wjw", BASE + "/requests/1/history").status());
    JsonNode dataset = net.get(null, BASE + "/datasets/2/history").body();
    assertEquals(1, dataset.path("entries").size(), dataset.toString());
    assertEquals(net.get(null, BASE + "/datasets/2").body(),
        dataset.path("entries").get(0).path("record"));
    ok(net.post("wjw", BASE + "/requests", "{\"dataset\":2,\"purpose\":\"疫情流调\",\"scenario"
        + "\":\"流行病学调查\",\"fields\":[\"address\"],\"expiresAt\":" + expires + "}"));
    ok(net.post("authority", BASE + "/requests/2/check", "{\"pass\":true}"));
    ok(net.post("gaj", BASE + "/requests/2/refuse", "{\"reason\":\"地址信息不在共享范围\"}"));
    assertEquals("refused", net.get("wjw", BASE + "/requests/2").body().path("state")
        .asText());

    // The delivery: sealed for 市民政局's key, only the granted fields, its hash on chain.
    DepartmentsChain.Answer fetched = fetch("mzj", 2, "&grant=1");
    assertEquals(200, fetched.status(), fetched.body().toString());
    assertEquals(1, net.chain.pool().size(), "the delivery's record is sent with it");
    net.mine(1);
    byte[] envelope = Hex.decode(fetched.body().path("envelope").asText());
    byte[] context = Exchange.associatedData(net.chain.chainId(), 2, 1, net.account("mzj"));
    JsonNode payload = SharingJson.JSON.readTree(suite.envelope().open(envelope, context,
        net.keys.get("mzj")));
    assertEquals(2, payload.path("records").size());
    for (JsonNode record : payload.path("records")) {
      List<String> names = new ArrayList<>();
      record.fieldNames().forEachRemaining(names::add);
      assertEquals(List.of("name", "id_number"), names, record.toString());
    }
    assertEquals("张三", payload.path("records").get(0).path("name").asText());
    JsonNode entry = net.get("mzj", BASE + "/transactions/" + fetched.body().path("txHash")
        .asText() + "/entry").body();
    assertEquals(Hex.encode0x(suite.hash(envelope)), entry.path("payloadHash").asText(),
        entry.toString());
    assertEquals("0x51", entry.path("outcome").asText());
    assertEquals("0x51", entry.path("verdict").asText());
    assertEquals("市民政局", entry.path("department").asText());
    // Nobody else opens it, and an altered slot or payload is detected.
    assertThrows(EnvelopeException.class, () -> suite.envelope().open(envelope, context,
        net.keys.get("wjw")));
    for (int at : new int[] {30, envelope.length - 20}) {
      byte[] tampered = envelope.clone();
      tampered[at] ^= 1;
      assertThrows(EnvelopeException.class, () -> suite.envelope().open(tampered, context,
          net.keys.get("mzj")));
    }
    // What the node keeps of the delivery is the ciphertext, not the records.
    byte[] kept = Files.readAllBytes(dir.resolve("sharing/served/"
        + Hex.encode(suite.hash(envelope)) + ".envelope"));
    assertArrayEquals(envelope, kept);
    assertFalse(new String(kept, StandardCharsets.ISO_8859_1).contains(new String(
        "330102199001011234".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)));

    // Denials, each answered with its code and recorded with it.
    denied(fetch("mzj", 1, ""), "0xc0", "no-grant");
    denied(fetch("mzj", 2, "&grant=1&fields=name,address"), "0xc3", "outside-mask");
    JsonNode other = denied(fetch("wjw", 2, "&grant=1"), "0xc4", "wrong-department");
    assertFalse(other.path("detail").asText().contains("市民政局"), other.toString());
    denied(fetch("outsider", 2, "&grant=1"), "0xc4", "wrong-department");
    // A key that is not the token's account's is refused before it is an attempt.
    DepartmentsChain.Answer wrongKey = net.get("mzj", BASE + "/datasets/2/data?grant=1&key="
        + key("wjw"));
    assertEquals(400, wrongKey.status(), wrongKey.body().toString());
    assertEquals(0, net.chain.pool().size());
    ok(net.post("gaj", BASE + "/requests/1/revoke", "{\"reason\":\"申请部门超范围使用\"}"));
    denied(fetch("mzj", 2, "&grant=1"), "0xc2", "revoked");

    JsonNode trail = net.get("gaj", BASE + "/datasets/2/audit?count=100").body();
    List<String> outcomes = new ArrayList<>();
    for (JsonNode e : trail.path("items")) {
      outcomes.add(e.path("outcome").asText());
      assertEquals(e.path("outcome"), e.path("verdict"), e.toString());
      assertEquals(e.path("outcome").asText().equals("0x51"), !e.path("payloadHash").isNull());
    }
    assertEquals(List.of("0x51", "0xc3", "0xc4", "0xc4", "0xc2"), outcomes);
    assertEquals(net.account("outsider").toString(), trail.path("items").get(3)
        .path("department").asText());
    // The unconditional item: granted at the authority's check; a fetch naming no grant
    // finds it, and the first attempt, before the grant, is on data set 1's trail as no-grant.
    ok(net.post("mzj", BASE + "/requests", "{\"dataset\":1,\"purpose\":\"核对身份\","
        + "\"scenario\":\"救助审核\",\"fields\":" + FIELDS + ",\"expiresAt\":" + expires + "}"));
    ok(net.post("authority", BASE + "/requests/3/check", "{\"pass\":true}"));
    assertEquals("granted", net.get("mzj", BASE + "/requests/3").body().path("state").asText());
    DepartmentsChain.Answer unconditional = fetch("mzj", 1, "");
    assertEquals(200, unconditional.status(), unconditional.body().toString());
    assertEquals(3, unconditional.body().path("grant").asLong());
    assertEquals(5, unconditional.body().path("fields").size());
    net.mine(1);
    JsonNode first = net.get("gaj", BASE + "/datasets/1/audit").body().path("items");
    assertEquals("0xc0", first.get(0).path("outcome").asText());
    assertEquals("0x51", first.get(1).path("outcome").asText());
    assertEquals("0x51", first.get(1).path("verdict").asText());
    // The trail is the provider's and the authority's; a requester sees its own attempts.
    assertEquals(403, net.get("mzj", BASE + "/datasets/2/audit").status());
    assertEquals(5, net.get("authority", BASE + "/datasets/2/audit").body().path("total")
        .asLong());
    assertEquals(5, net.get("mzj", BASE + "/departments/市民政局/audit").body()
        .path("total").asLong());
    assertEquals(404, net.get("wjw", BASE + "/audit/1").status());

    // The purge: the node's copy is erased and the chain records it.
    DepartmentsChain.Answer purged = net.delete("gaj", BASE + "/audit/1/payload?reason=法定保存期满");
    assertEquals(202, purged.status(), purged.body().toString());
    assertTrue(purged.body().path("erased").asBoolean());
    net.mine(1);
    assertFalse(Files.exists(dir.resolve("sharing/served/" + Hex.encode(suite.hash(envelope))
        + ".envelope")));
    assertTrue(net.get("gaj", BASE + "/audit/1").body().path("purgedAt").asLong() > 0);

    // A delivery the node fails to keep (its served/ directory replaced by a file) is on the
    // trail as failed, answered 500 without the node's paths.
    Path served = dir.resolve("sharing/served");
    try (var files = Files.list(served)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(served);
    Files.writeString(served, "not a directory");
    DepartmentsChain.Answer failed = fetch("mzj", 1, "");
    assertEquals(500, failed.status(), failed.body().toString());
    assertEquals("urn:chorus:problem:delivery-failed", failed.body().path("type").asText());
    assertEquals("0xc6", failed.body().path("code").asText());
    assertFalse(failed.body().toString().contains(dir.toString()), failed.body().toString());
    assertEquals(1, net.chain.pool().size(), "a failed delivery is recorded");
    net.mine(1);
    JsonNode last = net.get("gaj", BASE + "/datasets/1/audit").body().path("items").get(2);
    assertEquals("0xc6", last.path("outcome").asText(), last.toString());
    assertEquals("0x51", last.path("verdict").asText(), "the grant allowed it");
    assertTrue(last.path("payloadHash").isNull(), last.toString());

    // The authority's overdue list is its own.
    assertEquals(403, net.get("mzj", BASE + "/overdue").status());
    assertEquals(200, net.get("authority", BASE + "/overdue").status());
  }
}
