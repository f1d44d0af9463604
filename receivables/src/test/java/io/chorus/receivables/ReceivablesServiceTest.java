package io.chorus.receivables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.service.SearchMatch;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.Receivables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The receivables service on a chain whose blocks and time the test makes ({@link ScfChain}),
 * through the REST layer: a receivable confirmed by the core enterprise's key in the node,
 * issued, split to a tier-2 supplier, financed by one bank and refused to the other, paid at
 * maturity; each refusal checked for the contract's code and for nothing sent; the node's
 * index (holdings, book, overdue, steps) checked against the state, and rebuilt the same from
 * the blocks by a new service; lists shown only to their account or a regulator.
 */
class ReceivablesServiceTest {
  private static final String BASE = "/api/v1/receivables";

  @TempDir Path dir;
  private ScfChain scf;

  @BeforeEach
  void open() {
    scf = new ScfChain(dir);
  }

  @AfterEach
  void close() {
    scf.close();
  }

  /** The core confirms 1,000,000.00 CNY due in {@code term} s; the supplier issues it. */
  private long issue(long term, String invoice) {
    ObjectNode terms = ReceivablesJson.JSON.createObjectNode()
        .put("supplier", scf.account("supplier").toString()).put("faceValue", "100000000")
        .put("currency", "CNY").put("maturity", scf.time + term);
    terms.putArray("documents").add(hash(invoice)).add(hash("contract"));
    ScfChain.Answer confirmed = scf.post("core", BASE + "/confirmations", terms.toString());
    assertEquals(200, confirmed.status(), confirmed.body().toString());
    ObjectNode issue = (ObjectNode) confirmed.body();
    ScfChain.Answer pending = scf.post("supplier", BASE + "/receivables", issue.toString());
    assertEquals(202, pending.status(), pending.body().toString());
    scf.mine(1);
    long count = Receivables.pieceCount(scf.chain.stateAt(scf.chain.head()));
    JsonNode piece = scf.get(null, BASE + "/pieces/" + count).body();
    assertEquals(confirmed.body().path("termsDigest"), piece.path("terms").path("termsDigest"));
    return count;
  }

  private static String hash(String label) {
    return Hex.encode0x(ScfChain.SUITE.hash(label.getBytes(StandardCharsets.UTF_8)));
  }

  private void ok(ScfChain.Answer answer) {
    assertEquals(202, answer.status(), answer.body().toString());
    scf.mine(1);
  }

  /** A refusal by the contract, checked to send nothing: the pool stays empty. */
  private JsonNode refused(ScfChain.Answer answer, String code, String rule) {
    assertEquals(422, answer.status(), answer.body().toString());
    assertEquals("urn:chorus:problem:receivable-refused", answer.body().path("type").asText());
    assertEquals(code, answer.body().path("code").asText(), answer.body().toString());
    assertEquals(rule, answer.body().path("rule").asText());
    assertTrue(answer.body().path("detail").asText().startsWith(code + " " + rule + ": "));
    assertEquals(0, scf.chain.pool().size(), "a refusal sends nothing");
    return answer.body();
  }

  @Test
  void aReceivableIsIssuedSplitFinancedOnceAndPaidAtMaturity() {
    long root = issue(100, "invoice-1");
    String tier2 = scf.account("tier2").toString();
    String bankA = scf.account("bankA").toString();
    ScfChain.Answer split = scf.post("supplier", BASE + "/pieces/" + root + "/split",
        "{\"to\":\"" + tier2 + "\",\"value\":\"40000000\"}");
    ok(split);
    long piece = root + 1;
    JsonNode two = scf.get(null, BASE + "/pieces/" + piece).body();
    assertEquals(root, two.path("parent").asLong());
    assertEquals("40000000", two.path("value").asText());
    assertEquals(tier2, two.path("holder").asText());
    assertEquals("split-from", two.path("steps").get(0).path("kind").asText());

    ok(scf.post("tier2", BASE + "/pieces/" + piece + "/offer", "{\"bank\":\"" + bankA
        + "\",\"price\":\"39000000\"}"));
    ok(scf.post("bankA", BASE + "/pieces/" + piece + "/accept", "{}"));
    JsonNode financed = scf.get(null, BASE + "/pieces/" + piece).body();
    assertEquals("financed", financed.path("state").asText());
    assertEquals(bankA, financed.path("financing").path("bank").asText());
    assertEquals("1000000", financed.path("financing").path("discount").asText());

    // No double financing: the other bank is refused an offer, cannot accept either, and the
    // financed piece does not move.
    String bankB = scf.account("bankB").toString();
    refused(scf.post("tier2", BASE + "/pieces/" + piece + "/offer", "{\"bank\":\"" + bankB
        + "\",\"price\":\"39500000\"}"), "0x55", "locked");
    assertTrue(refused(scf.post("bankB", BASE + "/pieces/" + piece + "/accept", "{}"), "0x55",
        "locked").path("detail").asText().endsWith("cannot be financed again"));
    refused(scf.post("tier2", BASE + "/pieces/" + piece + "/split", "{\"to\":\""
        + scf.account("supplier") + "\",\"value\":1}"), "0x55", "locked");
    JsonNode precheck = scf.get("tier2", BASE + "/pieces/" + piece + "/can-finance?bank="
        + bankB).body();
    assertFalse(precheck.path("allowed").asBoolean(true), precheck.toString());
    assertEquals("0x55", precheck.path("code").asText());
    JsonNode asBank = scf.get(null, BASE + "/pieces/" + root + "/can-finance?bank=" + bankB
        + "&from=" + scf.account("supplier")).body();
    assertTrue(asBank.path("allowed").asBoolean(), asBank.toString());

    JsonNode book = scf.get("bankA", BASE + "/banks/" + bankA + "/book").body();
    assertEquals(List.of(piece), ids(book));
    assertEquals("39000000", book.path("totals").path("CNY").path("paidOut").asText());
    assertEquals(List.of(), ids(scf.get("bankB", BASE + "/banks/" + bankB + "/book").body()));

    refused(scf.post("core", BASE + "/pieces/" + piece + "/pay",
        "{\"paymentRef\":\"CNAPS-0001\"}"), "0xa7", "not-due");
    String core = scf.account("core").toString();
    assertEquals(List.of(), ids(scf.get("core", BASE + "/obligors/" + core + "/overdue")
        .body()));
    scf.mine(100);
    JsonNode overdue = scf.get("core", BASE + "/obligors/" + core + "/overdue").body();
    assertEquals(List.of(root, piece), ids(overdue));
    assertEquals(bankA, overdue.path("pieces").get(1).path("payee").asText());

    ok(scf.post("core", BASE + "/pieces/" + piece + "/pay", "{\"paymentRef\":\"CNAPS-0001\"}"));
    ok(scf.post("core", BASE + "/pieces/" + root + "/pay", "{\"paymentRef\":\"CNAPS-0002\"}"));
    JsonNode paid = scf.get(null, BASE + "/pieces/" + piece).body();
    assertEquals("paid", paid.path("state").asText());
    assertEquals("CNAPS-0001", paid.path("paymentRef").path("text").asText());
    List<String> kinds = new ArrayList<>();
    paid.path("steps").forEach(s -> kinds.add(s.path("kind").asText()));
    assertEquals(List.of("split-from", "offered", "financed", "paid"), kinds);
    refused(scf.post("core", BASE + "/pieces/" + root + "/pay",
        "{\"paymentRef\":\"CNAPS-0003\"}"), "0xa2", "paid");
    assertEquals(List.of(), ids(scf.get("core", BASE + "/obligors/" + core + "/overdue")
        .body()));

    JsonNode tree = scf.get(null, BASE + "/pieces/" + piece + "/tree").body();
    assertEquals("100000000", tree.path("sum").asText());
    assertEquals(1, tree.path("pieces").get(1).path("depth").asInt());
  }

  @Test
  void theIndexFollowsHoldersAndARestartedServiceRebuildsItTheSame() {
    long first = issue(1_000, "invoice-a");
    long second = issue(1_000, "invoice-b");
    String supplier = scf.account("supplier").toString();
    String tier2 = scf.account("tier2").toString();
    ok(scf.post("supplier", BASE + "/pieces/" + first + "/split", "{\"to\":\"" + tier2
        + "\",\"value\":\"1\"}"));
    ok(scf.post("supplier", BASE + "/pieces/" + second + "/transfer", "{\"to\":\"" + tier2
        + "\"}"));
    long splitOff = second + 1;
    assertEquals(List.of(first), ids(scf.get("supplier", BASE + "/accounts/" + supplier
        + "/pieces").body()));
    assertEquals(List.of(second, splitOff), ids(scf.get("tier2", BASE + "/accounts/" + tier2
        + "/pieces").body()));
    JsonNode paged = scf.get("tier2", BASE + "/accounts/" + tier2 + "/pieces?limit=1").body();
    assertEquals(List.of(second), ids(paged));
    assertEquals(List.of(splitOff), ids(scf.get("tier2", paged.path("next").asText()).body()));

    JsonNode before = scf.get("tier2", BASE + "/accounts/" + tier2 + "/pieces").body();
    JsonNode steps = scf.get(null, BASE + "/pieces/" + second).body().path("steps");
    scf.restart();
    assertEquals(before, scf.get("tier2", BASE + "/accounts/" + tier2 + "/pieces").body());
    assertEquals(steps, scf.get(null, BASE + "/pieces/" + second).body().path("steps"));
    assertEquals(List.of("issued", "transferred"), List.of(steps.get(0).path("kind").asText(),
        steps.get(1).path("kind").asText()));
  }

  @Test
  void listsAreShownToTheirAccountOrARegulatorAndARefusalTellsNothingOfThem() {
    long root = issue(1_000, "invoice-secret");
    String supplier = scf.account("supplier").toString();
    ScfChain.Answer other = scf.get("tier2", BASE + "/accounts/" + supplier + "/pieces");
    assertEquals(403, other.status());
    assertFalse(other.body().toString().contains("100000000"), other.body().toString());
    assertTrue(other.body().path("detail").asText().contains("chain role receivables.regulator"
        + " (granted by governance: grant-roles " + scf.account("tier2") + " 32)"),
        other.body().toString());
    assertEquals(401, scf.get(null, BASE + "/accounts/" + supplier + "/pieces").status());

    // A regulator is who the chain says: its token's roles alone show it nothing.
    String holdings = BASE + "/accounts/" + supplier + "/pieces";
    String overdue = BASE + "/obligors/" + scf.account("core") + "/overdue";
    assertEquals(403, scf.get("regulator", holdings).status());
    assertEquals(403, scf.get("regulator", overdue).status());
    scf.grantRoles("regulator", Permissions.ROLE_RECEIVABLES_REGULATOR);
    assertEquals(List.of(root), ids(scf.get("regulator", holdings).body()));
    assertEquals(200, scf.get("regulator", overdue).status());
    assertEquals(200, scf.get("regulator", BASE + "/banks/" + scf.account("bankA") + "/book")
        .status());
    assertEquals(403, scf.get("supplier", BASE + "/banks/" + scf.account("bankA")
        + "/book").status());
  }

  @Test
  void theConsolesSearchFindsAPieceNamedWithAWordAndItsIdButNotABareNumber() {
    long root = issue(1_000, "invoice-search");
    ok(scf.post("supplier", BASE + "/pieces/" + root + "/split", "{\"to\":\""
        + scf.account("tier2") + "\",\"value\":\"40000050\"}"));
    long piece = root + 1;
    for (String query : List.of("receivable " + piece, "Piece #" + piece, "凭证 " + piece,
        "receivable piece " + piece)) {
      List<SearchMatch> found = scf.service.search(query);
      assertEquals(1, found.size(), query);
      assertEquals("receivable-piece", found.get(0).kind());
      assertEquals(piece, found.get(0).ids().get("id"));
      assertEquals("Receivable piece " + piece + " (400000.50 CNY, active)",
          found.get(0).label());
    }
    assertEquals(List.of(), scf.service.search(String.valueOf(piece)), "a block number");
    assertEquals(List.of(), scf.service.search("receivable " + (piece + 1)), "not issued");
    assertEquals(List.of(), scf.service.search("receivable 99999999999999999999"));
  }

  @Test
  void badInputIsRefusedNamingEachFieldAndAWrongSupplierOrDigestBeforeTheContract() {
    ScfChain.Answer bad = scf.post("supplier", BASE + "/receivables", "{\"obligor\":\""
        + scf.account("core") + "\",\"faceValue\":\"12.50\",\"currency\":\"cny\","
        + "\"maturity\":\"tomorrow\",\"documents\":[],\"obligorKey\":\"0x12\","
        + "\"signature\":\"0x" + "00".repeat(64) + "\",\"wiat\":true}");
    assertEquals(400, bad.status());
    List<String> fields = new ArrayList<>();
    bad.body().path("errors").forEach(e -> fields.add(e.path("field").asText()));
    assertEquals(List.of("/faceValue", "/currency", "/maturity", "/documents", "/obligorKey",
        "/wiat"), fields, bad.body().toString());

    ObjectNode terms = ReceivablesJson.JSON.createObjectNode()
        .put("supplier", scf.account("supplier").toString()).put("faceValue", 500)
        .put("currency", "CNY").put("maturity", scf.time + 400 * 86_400L);
    terms.putArray("documents").add(hash("invoice-late"));
    ObjectNode confirmation = (ObjectNode) scf.post("core", BASE + "/confirmations",
        terms.toString()).body();
    ScfChain.Answer notSupplier = scf.post("tier2", BASE + "/receivables",
        confirmation.toString());
    assertEquals(400, notSupplier.status());
    assertEquals("/supplier", notSupplier.body().path("errors").get(0).path("field").asText());
    refused(scf.post("supplier", BASE + "/receivables", confirmation.toString()), "0xa6",
        "bad-maturity");
    confirmation.put("faceValue", "501");
    ScfChain.Answer changed = scf.post("supplier", BASE + "/receivables",
        confirmation.toString());
    assertEquals("/termsDigest", changed.body().path("errors").get(0).path("field").asText());
    assertEquals("no piece 7; none were issued yet", scf.get(null, BASE + "/pieces/7").body()
        .path("detail").asText());
  }

  /**
   * A piece issued, split, transferred, offered, financed and paid: its history lists exactly
   * the blocks of those transactions, oldest first, each entry the piece as its GET answered
   * right after that block (steps aside), with the block's events naming it; limit 1 walks the
   * same entries; a range in which it did not change answers none; JSON-RPC answers as REST.
   */
  @Test
  void aPiecesHistoryIsItsGetAtEachBlockThatChangedIt() throws Exception {
    Map<Long, List<Long>> blocks = new HashMap<>();
    Map<Long, List<JsonNode>> answered = new HashMap<>();
    Runnable[] snapshot = new Runnable[1];
    long root = issue(1_000, "invoice-h");
    List<Long> watched = new ArrayList<>(List.of(root));
    snapshot[0] = () -> {
      for (long id : watched) {
        ObjectNode piece = (ObjectNode) scf.get(null, BASE + "/pieces/" + id).body();
        piece.remove("steps");
        List<JsonNode> seen = answered.computeIfAbsent(id, k -> new ArrayList<>());
        if (seen.isEmpty() || !seen.getLast().equals(piece)) {
          seen.add(piece);
          blocks.computeIfAbsent(id, k -> new ArrayList<>()).add(scf.chain.head().number());
        }
      }
    };
    snapshot[0].run();
    String tier2 = scf.account("tier2").toString();
    String bankA = scf.account("bankA").toString();
    ok(scf.post("supplier", BASE + "/pieces/" + root + "/split", "{\"to\":\"" + tier2
        + "\",\"value\":\"40000000\"}"));
    long piece = root + 1;
    watched.add(piece);
    snapshot[0].run();
    long quiet = scf.chain.head().number() + 1;
    scf.mine(1); // a block that changes neither
    snapshot[0].run();
    ok(scf.post("tier2", BASE + "/pieces/" + piece + "/transfer", "{\"to\":\""
        + scf.account("supplier") + "\"}"));
    snapshot[0].run();
    ok(scf.post("supplier", BASE + "/pieces/" + piece + "/offer", "{\"bank\":\"" + bankA
        + "\",\"price\":\"39000000\"}"));
    snapshot[0].run();
    ok(scf.post("bankA", BASE + "/pieces/" + piece + "/accept", "{}"));
    snapshot[0].run();
    // Past maturity the root turns overdue with no block writing it: time is no change.
    watched.remove(root);
    scf.mine(1_000);
    ok(scf.post("core", BASE + "/pieces/" + piece + "/pay", "{\"paymentRef\":\"CNAPS-9\"}"));
    snapshot[0].run();
    assertEquals(5, blocks.get(piece).size(), "split, transfer, offer, accept, pay: "
        + blocks.get(piece));
    assertEquals(2, blocks.get(root).size(), "issued, then split: " + blocks.get(root));

    for (long id : List.of(root, piece)) {
      JsonNode all = scf.get(null, BASE + "/pieces/" + id + "/history?limit=100").body();
      List<Long> listed = new ArrayList<>();
      List<JsonNode> records = new ArrayList<>();
      all.path("entries").forEach(e -> {
        listed.add(e.path("blockNumber").asLong());
        records.add(e.path("record"));
      });
      assertEquals(blocks.get(id), listed, "the blocks that changed piece " + id);
      assertEquals(answered.get(id), records);
      assertTrue(all.path("nextFromBlock").isNull());
      assertEquals(0, all.path("indexedFrom").asLong());

      List<JsonNode> walked = new ArrayList<>();
      String from = "0";
      while (!from.equals("null")) {
        JsonNode page = scf.get(null, BASE + "/pieces/" + id + "/history?limit=1&fromBlock="
            + from).body();
        assertTrue(page.path("entries").size() <= 1, page.toString());
        page.path("entries").forEach(walked::add);
        from = page.path("nextFromBlock").asText();
      }
      List<JsonNode> whole = new ArrayList<>();
      all.path("entries").forEach(whole::add);
      assertEquals(whole, walked, "limit 1 walks the same entries");

      JsonNode rpc = new io.chorus.service.RecordHistory(scf.chain,
          scf.service.recordKinds()).methods().get("chorus_getRecordHistory")
          .call(ReceivablesJson.JSON.createArrayNode().add("receivable").add(Long.toString(id))
              .add("earliest").add("latest").add(100));
      assertEquals(all, ReceivablesJson.JSON.readTree(rpc.toString()));
    }
    JsonNode split = scf.get(null, BASE + "/pieces/" + piece + "/history").body()
        .path("entries");
    assertEquals(List.of("SlotChanged", "Transfer", "TransferValue"), events(split.get(0))
        .stream().sorted().toList()); // ERC-3525's mint of a split
    assertEquals(List.of("Financed"), events(split.get(3)).stream()
        .filter("Financed"::equals).toList());
    assertEquals("financed", split.get(3).path("record").path("state").asText());
    assertEquals(bankA, split.get(3).path("record").path("lienHolder").asText());
    assertEquals(List.of("Paid"), events(split.get(4)).stream().filter("Paid"::equals)
        .toList());

    JsonNode none = scf.get(null, BASE + "/pieces/" + piece + "/history?fromBlock=" + quiet
        + "&toBlock=" + quiet).body();
    assertEquals(0, none.path("entries").size(), none.toString());
    assertTrue(none.path("nextFromBlock").isNull());

    ScfChain.Answer missing = scf.get(null, BASE + "/pieces/999/history");
    assertEquals(404, missing.status());
    assertTrue(missing.body().path("detail").asText().contains("no receivable record 999"),
        missing.body().toString());
    ScfChain.Answer beforeIt = scf.get(null, BASE + "/pieces/" + piece + "/history?toBlock="
        + (blocks.get(piece).getFirst() - 1));
    assertEquals(404, beforeIt.status(), "the split piece did not exist before its split");
    ScfChain.Answer badLimit = scf.get(null, BASE + "/pieces/" + piece + "/history?limit=101");
    assertEquals(400, badLimit.status());
    assertEquals("limit", badLimit.body().path("errors").get(0).path("field").asText(),
        badLimit.body().toString());
    ScfChain.Answer beyond = scf.get(null, BASE + "/pieces/" + piece + "/history?fromBlock="
        + (scf.chain.head().number() + 1));
    assertEquals(400, beyond.status());
    assertTrue(beyond.body().path("detail").asText().contains("beyond the head"));
  }

  private static List<String> events(JsonNode entry) {
    List<String> names = new ArrayList<>();
    entry.path("events").forEach(e -> names.add(e.path("event").asText()));
    return names;
  }

  private static List<Long> ids(JsonNode list) {
    List<Long> ids = new ArrayList<>();
    list.path("pieces").forEach(p -> ids.add(p.path("id").asLong()));
    return ids;
  }
}
