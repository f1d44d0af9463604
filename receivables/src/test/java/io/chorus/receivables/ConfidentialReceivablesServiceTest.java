package io.chorus.receivables;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.ValueCommitments;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.Receivables;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Confidential receivables through the service's REST layer ({@link ScfChain}), with a
 * regulator that published its sealing key: the core confirms a committed face value, the
 * supplier issues, splits to tier 2, which sells its piece to a bank, and the core pays both at
 * maturity; no answer shows an amount in clear, and each party reads its own from {@code
 * /opening}, checked here against the commitments on chain (which add up to the face value's),
 * while a non-party gets 403. Refusals: a party without a sealing key, a wrong blinding, a
 * split above the balance and a price above the value, each before anything is sent.
 */
class ConfidentialReceivablesServiceTest {
  private static final String BASE = "/api/v1/receivables";
  private static final ValueCommitments COMMITMENTS = ScfChain.SUITE.commitments();

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

  private void publishKey(String party) {
    ScfChain.Answer answer = scf.put(party, BASE + "/sealing-key", "{}");
    assertEquals(202, answer.status(), answer.body().toString());
    scf.mine(1);
  }

  /** The core's confidential confirmation of 1,000,000.00 CNY to the supplier. */
  private ObjectNode confirm(long term, String invoice) {
    ObjectNode terms = ReceivablesJson.JSON.createObjectNode()
        .put("supplier", scf.account("supplier").toString()).put("faceValue", "100000000")
        .put("currency", "CNY").put("maturity", scf.time + term).put("confidential", true);
    terms.putArray("documents").add(Hex.encode0x(ScfChain.SUITE.hash(
        invoice.getBytes(StandardCharsets.UTF_8))));
    ScfChain.Answer confirmed = scf.post("core", BASE + "/confirmations", terms.toString());
    assertEquals(200, confirmed.status(), confirmed.body().toString());
    return (ObjectNode) confirmed.body();
  }

  private long issue(ObjectNode confirmation) {
    ok(scf.post("supplier", BASE + "/receivables", confirmation.toString()));
    return Receivables.pieceCount(scf.chain.stateAt(scf.chain.head()));
  }

  private void ok(ScfChain.Answer answer) {
    assertEquals(202, answer.status(), answer.body().toString());
    scf.mine(1);
  }

  private JsonNode piece(long id) {
    return scf.get(null, BASE + "/pieces/" + id).body();
  }

  /** What {@code party} opens of piece {@code id}, checked to open its commitment. */
  private JsonNode opening(String party, long id) {
    ScfChain.Answer answer = scf.get(party, BASE + "/pieces/" + id + "/opening");
    assertEquals(200, answer.status(), answer.body().toString());
    JsonNode body = answer.body();
    assertArrayEquals(Hex.decode(piece(id).path("commitment").asText()), COMMITMENTS.commit(
        new BigInteger(body.path("value").asText()), new BigInteger(1,
            Hex.decode(body.path("blinding").asText()))), "the opening opens the piece");
    return body;
  }

  private void everyoneReady() {
    scf.grantRoles("regulator", Permissions.ROLE_RECEIVABLES_REGULATOR);
    for (String party : List.of("regulator", "core", "supplier", "tier2", "bankA")) {
      publishKey(party);
    }
  }

  @Test
  void aConfidentialReceivableIsIssuedSplitFinancedAndPaidWithEachPartyReadingItsAmount() {
    everyoneReady();
    ObjectNode confirmation = confirm(100, "invoice-sealed");
    byte[] faceCommitment = Hex.decode(confirmation.path("faceCommitment").asText());
    assertArrayEquals(faceCommitment, COMMITMENTS.commit(BigInteger.valueOf(100_000_000L),
        new BigInteger(1, Hex.decode(confirmation.path("faceBlinding").asText()))),
        "the confirmation's blinding opens its commitment to the face value");
    long root = issue(confirmation);

    JsonNode issued = piece(root);
    assertTrue(issued.path("confidential").asBoolean(), issued.toString());
    assertTrue(issued.path("value").isNull(), "unknown, not 0: " + issued);
    assertTrue(issued.path("faceValue").isNull());
    assertTrue(issued.path("terms").path("faceValue").isNull());
    assertArrayEquals(faceCommitment, Hex.decode(issued.path("commitment").asText()));
    assertFalse(issued.toString().contains("100000000"), issued.toString());
    for (String party : List.of("supplier", "core", "regulator")) {
      assertEquals("100000000", opening(party, root).path("value").asText(), party);
    }
    ScfChain.Answer stranger = scf.get("tier2", BASE + "/pieces/" + root + "/opening");
    assertEquals(403, stranger.status());
    assertEquals("urn:chorus:problem:not-a-party", stranger.body().path("type").asText());
    assertFalse(stranger.body().toString().contains("100000000"), stranger.body().toString());

    // The supplier splits 400,000.00 to tier 2: each opens what it holds.
    String tier2 = scf.account("tier2").toString();
    ok(scf.post("supplier", BASE + "/pieces/" + root + "/split", "{\"to\":\"" + tier2
        + "\",\"value\":\"40000000\"}"));
    long part = root + 1;
    assertEquals("40000000", opening("tier2", part).path("value").asText());
    assertEquals("60000000", opening("supplier", root).path("value").asText());
    assertEquals("40000000", opening("core", part).path("value").asText());
    assertEquals("60000000", opening("regulator", root).path("value").asText());
    assertEquals(403, scf.get("tier2", BASE + "/pieces/" + root + "/opening").status(),
        "tier 2 holds the part only");
    assertArrayEquals(faceCommitment, add(piece(root), piece(part)), "value conserved");

    // Tier 2 sells its piece to bank A at 390,000.00, which opens value and price.
    String bankA = scf.account("bankA").toString();
    ok(scf.post("tier2", BASE + "/pieces/" + part + "/offer", "{\"bank\":\"" + bankA
        + "\",\"price\":\"39000000\"}"));
    JsonNode offered = piece(part);
    assertTrue(offered.path("offer").path("price").isNull(), offered.toString());
    JsonNode bankView = opening("bankA", part);
    assertEquals("40000000", bankView.path("value").asText());
    assertEquals("39000000", bankView.path("price").asText());
    ok(scf.post("bankA", BASE + "/pieces/" + part + "/accept", "{}"));
    assertEquals("financed", piece(part).path("state").asText());
    JsonNode book = scf.get("bankA", BASE + "/banks/" + bankA + "/book").body();
    assertEquals("39000000", book.path("pieces").get(0).path("price").asText(), book.toString());
    assertEquals("1000000", book.path("pieces").get(0).path("discount").asText());
    assertEquals("39000000", book.path("totals").path("CNY").path("paidOut").asText());

    // Lists show amounts to whoever opens them: the holder, a regulator.
    JsonNode holdings = scf.get("tier2", BASE + "/accounts/" + tier2 + "/pieces").body();
    assertEquals("40000000", holdings.path("pieces").get(0).path("value").asText());
    assertEquals("40000000", holdings.path("outstanding").path("CNY").asText());
    String supplier = scf.account("supplier").toString();
    JsonNode regulated = scf.get("regulator", BASE + "/accounts/" + supplier + "/pieces")
        .body();
    assertEquals("60000000", regulated.path("pieces").get(0).path("value").asText(),
        regulated.toString());
    assertTrue(scf.get(null, BASE + "/pieces/" + part + "/tree").body().path("sum").isNull());

    scf.mine(100);
    ok(scf.post("core", BASE + "/pieces/" + part + "/pay", "{\"paymentRef\":\"CNAPS-1\"}"));
    ok(scf.post("core", BASE + "/pieces/" + root + "/pay", "{\"paymentRef\":\"CNAPS-2\"}"));
    assertEquals("paid", piece(part).path("state").asText());
    assertEquals("paid", piece(root).path("state").asText());
  }

  @Test
  void aWholeTransferSharesTheOpeningWithTheNewHolder() {
    everyoneReady();
    long root = issue(confirm(1_000, "invoice-moved"));
    ScfChain.Answer moved = scf.post("supplier", BASE + "/pieces/" + root + "/transfer",
        "{\"to\":\"" + scf.account("tier2") + "\"}");
    ok(moved);
    assertEquals(scf.account("tier2").toString(), piece(root).path("holder").asText());
    assertEquals("100000000", opening("tier2", root).path("value").asText());
  }

  @Test
  void confidentialWritesAreRefusedBeforeAnythingIsSent() {
    scf.grantRoles("regulator", Permissions.ROLE_RECEIVABLES_REGULATOR);
    publishKey("regulator");
    ObjectNode confirmation = confirm(1_000, "invoice-refused");
    ScfChain.Answer noKey = scf.post("supplier", BASE + "/receivables",
        confirmation.toString());
    assertEquals(422, noKey.status(), noKey.body().toString());
    assertEquals("urn:chorus:problem:no-sealing-key", noKey.body().path("type").asText());
    assertEquals(scf.account("core").toString(), noKey.body().path("account").asText());
    assertTrue(noKey.body().path("detail").asText().contains("chorus receivable publish-key"));
    assertEquals(0, scf.chain.pool().size(), "nothing sent");

    publishKey("core");
    ObjectNode wrong = confirmation.deepCopy();
    BigInteger blinding = new BigInteger(1, Hex.decode(confirmation.path("faceBlinding")
        .asText()));
    wrong.put("faceBlinding", Hex.encode0x(io.chorus.evm.Word.fromBigInteger(
        blinding.add(BigInteger.ONE)).toBytes()));
    ScfChain.Answer badBlinding = scf.post("supplier", BASE + "/receivables",
        wrong.toString());
    assertEquals(400, badBlinding.status());
    assertEquals("/faceBlinding", badBlinding.body().path("errors").get(0).path("field")
        .asText());
    assertEquals(0, scf.chain.pool().size());

    long root = issue(confirmation);
    String tier2 = scf.account("tier2").toString();
    ScfChain.Answer tooMuch = scf.post("supplier", BASE + "/pieces/" + root + "/split",
        "{\"to\":\"" + tier2 + "\",\"value\":\"100000001\"}");
    assertEquals(422, tooMuch.status(), tooMuch.body().toString());
    assertEquals("0x52", tooMuch.body().path("code").asText());
    assertEquals("insufficient-value", tooMuch.body().path("rule").asText());
    assertEquals("0x52 insufficient-value: piece " + root + " holds 100000000, less than"
        + " 100000001", tooMuch.body().path("detail").asText());
    ScfChain.Answer unpublished = scf.post("supplier", BASE + "/pieces/" + root + "/split",
        "{\"to\":\"" + tier2 + "\",\"value\":\"1\"}");
    assertEquals("urn:chorus:problem:no-sealing-key", unpublished.body().path("type")
        .asText());
    assertEquals(tier2, unpublished.body().path("account").asText());
    ScfChain.Answer overpriced = scf.post("supplier", BASE + "/pieces/" + root + "/offer",
        "{\"bank\":\"" + scf.account("bankA") + "\",\"price\":\"100000001\"}");
    assertEquals("0xac", overpriced.body().path("code").asText(), overpriced.body().toString());
    ScfChain.Answer notHolder = scf.post("tier2", BASE + "/pieces/" + root + "/split",
        "{\"to\":\"" + tier2 + "\",\"value\":\"1\"}");
    assertEquals(403, notHolder.status(), "tier 2 opens nothing of the piece");
    assertEquals(0, scf.chain.pool().size(), "nothing sent");
    assertEquals("100000000", opening("supplier", root).path("value").asText());
  }

  private static byte[] add(JsonNode a, JsonNode b) {
    try {
      return COMMITMENTS.add(Hex.decode(a.path("commitment").asText()),
          Hex.decode(b.path("commitment").asText()));
    } catch (io.chorus.crypto.CommitmentException e) {
      throw new AssertionError(e);
    }
  }
}
