package io.chorus.rpc.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import io.chorus.codec.RlpReader;
import io.chorus.consensus.CommitCertificate;
import io.chorus.rpc.JsonRpc;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chorus_getRawBlocks on {@link ConsensusApiTest}'s chain: 24 blocks with certificates, four
 * validators, the fourth stopping at block 5. Each entry is checked against what the chain's
 * other answers say of that block (its hash, chorus_getBlockConsensus) and the schedule the
 * certificates were made from; then the count and byte bounds and the errors.
 */
class RawBlocksApiTest {
  @TempDir Path dir;
  final ConsensusApiTest chain = new ConsensusApiTest();

  @BeforeEach
  void open() {
    chain.dir = dir;
    chain.open();
    chain.makeBlocks(ConsensusApiTest.BLOCKS);
  }

  @AfterEach
  void close() {
    chain.close();
  }

  private void serve(RawBlocksApi api) {
    Map<String, JsonRpc.Method> methods = new HashMap<>(api.methods());
    methods.putAll(chain.api.methods());
    chain.rpc = new JsonRpc(methods);
  }

  @Test
  void eachBlockComesAsStoredWithItsCertificateValidatorsAndProposer() throws Exception {
    serve(new RawBlocksApi(chain.chain));
    JsonNode answer = chain.result("chorus_getRawBlocks", "0x0", 256);
    assertTrue(answer.get("nextBlock").isNull(), answer.get("nextBlock").toString());
    JsonNode blocks = answer.get("blocks");
    assertEquals(ConsensusApiTest.BLOCKS + 1, blocks.size(), "0 to the head, not 256");
    for (int n = 0; n <= ConsensusApiTest.BLOCKS; n++) {
      JsonNode entry = blocks.get(n);
      assertEquals("0x" + Long.toHexString(n), entry.get("number").asText());
      RlpReader block = RlpReader.of(Hex.decode(entry.get("block").asText())).readList();
      byte[] header = block.readRaw();
      assertEquals(Hex.encode0x(chain.chain.store().canonicalHash(n).orElseThrow()),
          Hex.encode0x(ConsensusApiTest.SUITE.hash(header)), "block " + n + "'s header");
      RlpReader receipts = RlpReader.of(Hex.decode(entry.get("receipts").asText())).readList();
      assertTrue(!receipts.hasNext(), "empty blocks have no receipts");
      JsonNode consensus = chain.result("chorus_getBlockConsensus", "0x" + Long.toHexString(n));
      assertEquals(lower(consensus.get("validators")), strings(entry.get("validators")));
      assertEquals(consensus.get("proposer").isNull() ? null
          : consensus.get("proposer").asText().toLowerCase(Locale.ROOT),
          entry.get("proposer").isNull() ? null : entry.get("proposer").asText());
      if (n == 0) {
        assertTrue(entry.get("certificate").isNull(), "genesis has no certificate");
        continue;
      }
      CommitCertificate certificate = CommitCertificate.decode(
          Hex.decode(entry.get("certificate").asText()));
      assertEquals(n, certificate.height());
      assertEquals(ConsensusApiTest.round(n), certificate.round(), "block " + n + "'s round");
      assertEquals(n < ConsensusApiTest.STOPS ? 4 : 3, certificate.seals().size());
    }
    JsonNode tail = chain.result("chorus_getRawBlocks", "0x14", "0x10").get("blocks");
    assertEquals(List.of("0x14", "0x15", "0x16", "0x17", "0x18"), numbers(tail),
        "from block 20 to the head");
  }

  @Test
  void anAnswerStopsBeforeTheBlockThatWouldPassTheByteBound() throws Exception {
    serve(new RawBlocksApi(chain.chain));
    JsonNode one = chain.result("chorus_getRawBlocks", "0x5", 1).get("blocks").get(0);
    int size = (one.get("block").asText().length() + one.get("receipts").asText().length()
        + one.get("certificate").asText().length() - 6) / 2;
    serve(new RawBlocksApi(chain.chain, 2 * size + size / 2));
    JsonNode answer = chain.result("chorus_getRawBlocks", "0x5", 10);
    assertEquals(List.of("0x5", "0x6"), numbers(answer.get("blocks")));
    assertEquals("0x7", answer.get("nextBlock").asText(), "where to go on");
    serve(new RawBlocksApi(chain.chain, 1));
    answer = chain.result("chorus_getRawBlocks", "0x5", 10);
    assertEquals(List.of("0x5"), numbers(answer.get("blocks")), "the first block always");
    assertEquals("0x6", answer.get("nextBlock").asText());
  }

  @Test
  void badParamsAndBlocksPastTheHeadSayWhatIsExpected() throws Exception {
    serve(new RawBlocksApi(chain.chain));
    chain.assertInvalid("count) must be 1 to 256 blocks, got 0", "chorus_getRawBlocks", "0x1",
        0);
    chain.assertInvalid("count) must be 1 to 256 blocks, got 257", "chorus_getRawBlocks",
        "0x1", "0x101");
    chain.assertInvalid("takes 2 params, got 1", "chorus_getRawBlocks", "0x1");
    chain.assertInvalid("fromBlock) must be a 0x-hex quantity", "chorus_getRawBlocks", "one", 1);
    JsonNode error = chain.call("chorus_getRawBlocks", "0x19", 1).get("error");
    assertEquals(EthApi.SERVER_ERROR, error.get("code").asInt(), error.toString());
    assertTrue(error.get("message").asText().contains("fromBlock 25 is beyond the head 24"),
        error.toString());
  }

  private static List<String> numbers(JsonNode blocks) {
    return StreamSupport.stream(blocks.spliterator(), false)
        .map(b -> b.get("number").asText()).toList();
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(JsonNode::asText).toList();
  }

  private static List<String> lower(JsonNode array) {
    return strings(array).stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
  }
}
