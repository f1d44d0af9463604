package io.chorus.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofException;
import io.chorus.proof.SharingEvidence;
import io.chorus.proof.TrustRoot;
import io.chorus.state.system.DataSharing;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An audit entry's proof bundle, {@code GET /audit/{id}/proof}, on a chain whose one validator
 * seals each block ({@link DepartmentsChain}): a delivery's and a denial's bundles verify
 * offline against the chain's trust root alone and read back as their entries (data set,
 * department by name, outcome, verdict, payload hash, block and time); a bundle with one byte
 * changed in the proven value, a trie node or the header is refused saying which; only the
 * entry's department, its provider and the authority get the bundle, and to anyone else the
 * entry does not exist, answered exactly as one that does not.
 */
class AuditProofTest {
  private static final String BASE = "/api/v1/sharing";

  @TempDir Path dir;

  private DepartmentsChain net;

  private void ok(DepartmentsChain.Answer answer) {
    assertEquals(202, answer.status(), answer.body().toString());
    net.mine(1);
  }

  private TrustRoot root() {
    return new TrustRoot(net.chain.chainId(), net.suite, net.chain.genesisHash(),
        List.of(net.validatorKeys.publicKey()));
  }

  private JsonNode proof(String as, long entry) {
    DepartmentsChain.Answer answer = net.get(as, BASE + "/audit/" + entry + "/proof");
    assertEquals(200, answer.status(), answer.body().toString());
    return answer.body();
  }

  private SharingEvidence.Evidence verify(JsonNode bundle) {
    return SharingEvidence.verify(ProofBundle.fromJson(bundle.toString()), root());
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void aDeliveryAndADenialEachExportABundleThatVerifiesOfflineAndNoChangedByteDoes(String name) {
    CryptoSuite suite = name.equals("sm") ? CryptoSuite.sm() : CryptoSuite.ethereum();
    net = new DepartmentsChain(suite, dir);
    try {
      ok(net.post("gaj", BASE + "/datasets", "{\"code\":\"330100-GA-0001\",\"title\":\"人口基本"
          + "信息\",\"fields\":[\"name\",\"id_number\"],\"sharingClass\":\"unconditional\"}"));
      ok(net.post("gaj", BASE + "/datasets", "{\"code\":\"330100-GA-0002\",\"title\":\"户籍信息"
          + "\",\"fields\":[\"name\",\"household\"],\"sharingClass\":\"conditional\"}"));
      assertEquals(200, net.put("gaj", BASE + "/datasets/1/data", "{\"records\":[{\"name\":"
          + "\"张三\",\"id_number\":\"330102199001011234\"}]}").status());
      assertEquals(200, net.put("gaj", BASE + "/datasets/2/data", "{\"records\":[{\"name\":"
          + "\"张三\",\"household\":\"杭州\"}]}").status());
      ok(net.post("mzj", BASE + "/requests", "{\"dataset\":1,\"purpose\":\"核查\",\"scenario\":"
          + "\"低保\",\"fields\":[\"name\",\"id_number\"],\"expiresAt\":"
          + (net.time + 86_400) + "}"));
      ok(net.post("authority", BASE + "/requests/1/check", "{\"pass\":true}"));
      DepartmentsChain.Answer delivered = net.get("mzj", BASE + "/datasets/1/data?key="
          + Hex.encode0x(net.keys.get("mzj").publicKey()));
      assertEquals(200, delivered.status(), delivered.body().toString());
      net.mine(1);
      long deliveryBlock = net.chain.head().number();
      // Blocks between the two and after them: the search must land on each entry's own.
      for (int i = 0; i < 5; i++) {
        net.mine(1 + i);
      }
      assertEquals(403, net.get("mzj", BASE + "/datasets/2/data?key=" + Hex.encode0x(
          net.keys.get("mzj").publicKey())).status());
      net.mine(1);
      long denialBlock = net.chain.head().number();
      for (int i = 0; i < 7; i++) {
        net.mine(3);
      }

      SharingEvidence.Evidence delivery = verify(proof("mzj", 1));
      JsonNode onChain = net.get("gaj", BASE + "/audit/1").body();
      assertEquals(1, delivery.entry());
      assertEquals(1, delivery.dataset());
      assertEquals("市民政局", delivery.department());
      assertEquals(1, delivery.grant());
      assertTrue(delivery.delivered());
      assertEquals(onChain.path("payloadHash").asText(), Hex.encode0x(delivery.payloadHash()));
      assertEquals(onChain.path("requester").asText(), Hex.encode0x(delivery.requester()));
      assertArrayEquals(net.account("gaj").toArray(), delivery.recorder());
      assertEquals(deliveryBlock, delivery.proven().blockNumber());
      assertEquals(onChain.path("time").asLong(), delivery.proven().timestamp());
      assertEquals("0x51 ok", delivery.facts().get("outcome"));
      assertEquals("市民政局 (the requester's)", delivery.facts().get("department"));

      // The denial exports too, to its provider, and proves its code.
      SharingEvidence.Evidence denial = verify(proof("gaj", 2));
      assertEquals(2, denial.entry());
      assertEquals(2, denial.dataset());
      assertEquals(0xc0, denial.outcome());
      assertEquals(0xc0, denial.verdict());
      assertFalse(denial.delivered());
      assertArrayEquals(new byte[32], denial.payloadHash());
      assertEquals(denialBlock, denial.proven().blockNumber());
      assertEquals("0xc0 no-grant", denial.facts().get("outcome"));
      assertEquals("none (nothing was delivered)", denial.facts().get("payload hash"));
      assertEquals(verify(proof("authority", 2)).entry(), 2);

      JsonNode bundle = proof("mzj", 1);
      refused(bundle, b -> flip((ObjectNode) b.get("receipt"), "encoded", -1),
          "is not the one the bundle gives");
      refused(bundle, b -> flip((ArrayNode) b.get("receipt").get("proof"), 0, 40),
          "the path does not lead from the block's root");
      refused(bundle, b -> flip((ObjectNode) b.get("block"), "header", 10),
          "the header hashes to");
    } finally {
      net.close();
    }
  }

  private void refused(JsonNode bundle, Consumer<ObjectNode> change, String message) {
    ObjectNode changed = bundle.deepCopy();
    change.accept(changed);
    ProofException e = assertThrows(ProofException.class, () -> verify(changed));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  private static void flip(ObjectNode node, String field, int index) {
    node.put(field, flipped(node.get(field).asText(), index));
  }

  private static void flip(ArrayNode node, int item, int index) {
    node.set(item, node.textNode(flipped(node.get(item).asText(), index)));
  }

  // The hex string with one byte's bits inverted; a negative index counts from the end.
  private static String flipped(String hex, int index) {
    byte[] bytes = Hex.decode(hex);
    int at = index < 0 ? bytes.length + index : index;
    bytes[at] ^= (byte) 0xff;
    return Hex.encode0x(bytes);
  }

  @Test
  void onlyTheEntrysPartiesGetItsProofAndToOthersItDoesNotExist() {
    net = new DepartmentsChain(CryptoSuite.sm(), dir);
    try {
      ok(net.post("gaj", BASE + "/datasets", "{\"code\":\"330100-GA-0002\",\"title\":\"户籍信息"
          + "\",\"fields\":[\"name\"],\"sharingClass\":\"conditional\"}"));
      assertEquals(200, net.put("gaj", BASE + "/datasets/1/data", "{\"records\":[{\"name\":"
          + "\"张三\"}]}").status());
      assertEquals(403, net.get("mzj", BASE + "/datasets/1/data?key=" + Hex.encode0x(
          net.keys.get("mzj").publicKey())).status());
      net.mine(1);
      for (String party : List.of("mzj", "gaj", "authority")) {
        assertEquals(1, verify(proof(party, 1)).entry(), party);
      }
      for (String other : List.of("wjw", "outsider")) {
        DepartmentsChain.Answer existing = net.get(other, BASE + "/audit/1/proof");
        DepartmentsChain.Answer missing = net.get(other, BASE + "/audit/9/proof");
        assertEquals(404, existing.status(), other);
        assertEquals(missing.body().toString().replace("entry 9", "entry 1"),
            existing.body().toString(), "the refusal tells " + other + " nothing more");
      }
      assertEquals(401, net.get(null, BASE + "/audit/1/proof").status());
    } finally {
      net.close();
    }
  }

  @Test
  void theOpenApiDocumentDescribesTheProof() {
    JsonNode operation = SharingOpenApi.fragment().path("paths").path(SharingService.ENTRY_PROOF)
        .path("get");
    assertEquals("sharingEntryProof", operation.path("operationId").asText(), operation
        .toString());
    assertTrue(operation.path("responses").has("200"));
    assertTrue(operation.path("responses").has("409"));
  }

  @Test
  void theVerifiersCodesAreTheContracts() {
    for (DataSharing.Rule rule : DataSharing.Rule.OUTCOMES) {
      assertEquals(String.format("0x%02x %s", rule.code(), rule.label()),
          SharingEvidence.label(rule.code()));
    }
    assertEquals("0xb3 (not an access code)", SharingEvidence.label(0xb3));
  }
}
