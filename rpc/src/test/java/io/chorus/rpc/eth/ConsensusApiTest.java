package io.chorus.rpc.eth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.Blockchain;
import io.chorus.codec.ByteKey;
import io.chorus.codec.Hex;
import io.chorus.consensus.CommitCertificate;
import io.chorus.consensus.CryptoVerifier;
import io.chorus.consensus.MessageCodec;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.JsonRpc;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * chorus_getBlockConsensus and chorus_validatorHealth on a real chain in RocksDB whose blocks
 * carry certificates made here: four validators, the fourth stops sealing at block 5, so the
 * heights it leads need a second round (height 23 a third, its round-1 proposer failing too).
 * Expected values are worked out from that schedule, not read back from the code under test.
 */
class ConsensusApiTest {
  static final CryptoSuite SUITE = CryptoSuite.ethereum();
  static final BigInteger CHAIN_ID = BigInteger.valueOf(99);
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  /** Blocks made; validator 3 seals blocks 1 to {@code STOPS - 1} only. */
  static final int BLOCKS = 24;
  static final int STOPS = 5;

  @TempDir Path dir;
  final List<KeyPair> keys = new ArrayList<>();
  final List<Address> v = new ArrayList<>();
  Blockchain chain;
  Links links;
  ConsensusApi api;
  JsonRpc rpc;

  @BeforeEach
  void open() {
    for (int i = 1; i <= 4; i++) {
      keys.add(SUITE.keyPair(SUITE.hash(new byte[] {(byte) i})));
      v.add(Address.of(SUITE.address(keys.getLast().publicKey())));
    }
    Genesis genesis = new Genesis(CHAIN_ID, "ethereum", Genesis.FeeMode.ETHEREUM_1559,
        30_000_000, 1000, 0, new byte[0], keys.stream().map(KeyPair::publicKey).toList(),
        Map.of());
    chain = Blockchain.open(dir, genesis, TxPool.Limits.defaults());
    links = new Links(v.get(0));
    api = new ConsensusApi(chain, links, InstantSource.fixed(NOW));
    rpc = new JsonRpc(api.methods());
  }

  @AfterEach
  void close() {
    chain.close();
  }

  /** The round that decides {@code height}: validator 3 fails the rounds it leads once stopped. */
  static int round(long height) {
    if (height < STOPS || height % 4 != 3) {
      return 0;
    }
    return height == 23 ? 2 : 1;
  }

  void makeBlocks(int count) {
    CryptoVerifier verifier = CryptoVerifier.forChain(SUITE, CHAIN_ID, chain.genesisHash());
    for (int i = 0; i < count; i++) {
      long height = chain.head().number() + 1;
      Blockchain.Proposal proposal = chain.buildNext(v.get((int) (height % 4)),
          1_700_000_000L + height, new byte[0]);
      byte[] hash = chain.hashOf(proposal.block().header());
      int round = round(height);
      byte[] sealed = verifier.hash(MessageCodec.sealBody(height, round, hash));
      List<CommitCertificate.Seal> seals = new ArrayList<>();
      for (int k = 0; k < (height < STOPS ? 4 : 3); k++) {
        seals.add(new CommitCertificate.Seal(new ByteKey(v.get(k).toArray()),
            SUITE.sign(sealed, keys.get(k))));
      }
      chain.commit(proposal, new CommitCertificate(height, round, hash, seals).encode());
    }
  }

  JsonNode call(String method, Object... params) throws Exception {
    String request = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", 1, "method", method,
        "params", params));
    return JSON.readTree(rpc.handle(request.getBytes(StandardCharsets.UTF_8)));
  }

  JsonNode result(String method, Object... params) throws Exception {
    JsonNode response = call(method, params);
    assertTrue(response.has("result"), method + " failed: " + response);
    return response.get("result");
  }

  void assertInvalid(String expected, String method, Object... params) throws Exception {
    JsonNode error = call(method, params).get("error");
    assertEquals(JsonRpc.INVALID_PARAMS, error.get("code").asInt(), error.toString());
    assertTrue(error.get("message").asText().contains(expected), error.toString());
  }

  List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  List<String> addresses(int... indexes) {
    return IntStream.of(indexes).mapToObj(i -> v.get(i).toString()).toList();
  }

  @Test
  void aBlockShowsItsRoundProposerSignersAndTheValidatorsThatDidNotSeal() throws Exception {
    makeBlocks(BLOCKS);
    JsonNode block = result("chorus_getBlockConsensus", "0x17");
    assertEquals("0x17", block.get("number").asText());
    assertEquals(Hex.encode0x(chain.store().canonicalHash(23).orElseThrow()),
        block.get("hash").asText());
    assertTrue(block.get("certified").asBoolean());
    assertEquals(2, block.get("round").asInt());
    // Round-robin from (23 + 2) mod 4 = 1.
    assertEquals(v.get(1).toString(), block.get("proposer").asText());
    assertEquals(addresses(0, 1, 2, 3), strings(block.get("validators")));
    assertEquals(addresses(0, 1, 2), strings(block.get("signers")));
    assertEquals(3, block.get("quorum").asInt());
    assertEquals(addresses(3), strings(block.get("missing")));

    assertEquals(block, result("chorus_getBlockConsensus", block.get("hash").asText()));
    JsonNode early = result("chorus_getBlockConsensus", "0x3");
    assertEquals(v.get(3).toString(), early.get("proposer").asText(), "round 0 at height 3");
    assertEquals(List.of(), strings(early.get("missing")));
    assertEquals("0x18", result("chorus_getBlockConsensus", "latest").get("number").asText());

    JsonNode genesis = result("chorus_getBlockConsensus", "earliest");
    assertTrue(!genesis.get("certified").asBoolean() && genesis.get("round").isNull()
        && genesis.get("proposer").isNull() && genesis.get("quorum").isNull(), genesis.toString());
    assertTrue(result("chorus_getBlockConsensus", "0x19").isNull(), "beyond the head");
    assertTrue(result("chorus_getBlockConsensus", "0x" + "ab".repeat(32)).isNull(),
        "unknown hash");
  }

  @Test
  void healthCountsSealsProposalsAndMissedRoundsAndRatesEachValidator() throws Exception {
    makeBlocks(BLOCKS);
    links.peers.put(v.get(1), new PeerLinks.Link(true, 24, identity("org1", "node1", 40)));
    links.peers.put(v.get(2), new PeerLinks.Link(true, 20, identity("org2", "node2", 40)));
    links.peers.put(v.get(3), new PeerLinks.Link(true, 4, identity("org3", "node3", 40)));
    result("chorus_validatorHealth"); // validator 3 presents its certificate once
    links.peers.remove(v.get(3));

    JsonNode health = result("chorus_validatorHealth");
    assertEquals("0x18", health.get("head").asText());
    assertEquals(64, health.get("window").asInt());
    assertEquals(3, health.get("quorum").asInt());
    JsonNode[] e = new JsonNode[4];
    for (int i = 0; i < 4; i++) {
      e[i] = health.get("validators").get(i);
      assertEquals(v.get(i).toString(), e[i].get("address").asText());
      assertEquals(i == 0, e[i].get("self").asBoolean());
    }
    assertEquals("1".repeat(STOPS - 1) + "0".repeat(BLOCKS - STOPS + 1),
        e[3].get("signed").asText());
    assertEquals("1".repeat(BLOCKS), e[0].get("signed").asText());
    // Validator 3 leads 7, 11, 15, 19 and 23 in round 0; validator 0 leads 23's round 1.
    assertEquals(5, e[3].get("missedRounds").asInt());
    assertEquals(1, e[0].get("missedRounds").asInt());
    assertEquals(0, e[1].get("missedRounds").asInt());
    assertEquals("0x3", e[3].get("lastProposed").asText());
    assertEquals("0x4", e[3].get("lastSigned").asText());
    assertEquals("0x18", e[0].get("lastProposed").asText());
    assertEquals("0x17", e[1].get("lastProposed").asText(), "23, decided in round 2");
    assertEquals("0x16", e[2].get("lastProposed").asText());

    assertEquals("online", e[0].get("status").asText());
    assertEquals("0x18", e[0].get("peerHead").asText(), "this node's own head");
    assertEquals("online", e[1].get("status").asText());
    assertEquals("lagging", e[2].get("status").asText(), "announced 20 at head 24");
    assertEquals("down", e[3].get("status").asText());
    assertTrue(!e[3].get("connected").asBoolean() && e[3].get("peerHead").isNull());
    assertEquals("org3", e[3].get("organisation").asText(), "remembered from its session");
    assertEquals("node1", e[1].get("name").asText());
    assertEquals(40, e[1].get("certificateDaysToExpiry").asInt());
    assertEquals(10, e[0].get("certificateDaysToExpiry").asInt(), "this node's certificate");

    JsonNode narrow = result("chorus_validatorHealth", 8);
    assertEquals("00000000", narrow.get("validators").get(3).get("signed").asText());
    assertEquals(2, narrow.get("validators").get(3).get("missedRounds").asInt(), "19 and 23");
    assertEquals(1, narrow.get("validators").get(0).get("missedRounds").asInt());
    assertEquals(narrow, result("chorus_validatorHealth", "0x8"));
  }

  @Test
  void aPollingConsoleCostsOneBlockReadPerNewBlock() throws Exception {
    makeBlocks(BLOCKS);
    result("chorus_validatorHealth");
    assertEquals(BLOCKS, api.blocksRead(), "each block read once");
    result("chorus_validatorHealth");
    result("chorus_validatorHealth", 8);
    result("chorus_getBlockConsensus", "0x10");
    assertEquals(BLOCKS, api.blocksRead(), "the same head: nothing read again");
    makeBlocks(1);
    JsonNode health = result("chorus_validatorHealth");
    assertEquals(BLOCKS + 1, api.blocksRead(), "only the new block");
    assertEquals("0x19", health.get("head").asText());
    assertEquals(BLOCKS + 1, health.get("validators").get(0).get("signed").asText().length());
  }

  @Test
  void theStatusRuleWeighsTheSessionTheAnnouncedHeadAndRecentSeals() {
    SealHistory sealing = new SealHistory(10, 10, 0, "1", true, true);
    SealHistory silent = new SealHistory(1, 1, 0, "0", true, false);
    SealHistory unknown = new SealHistory(-1, -1, 0, "", false, false);
    PeerLinks.Link up = new PeerLinks.Link(true, 10, null);
    assertEquals("online", ConsensusApi.health(false, up, 12, sealing).status());
    assertEquals("lagging", ConsensusApi.health(false, up, 13, sealing).status(), "3 behind");
    assertEquals("lagging", ConsensusApi.health(false, up, 10, silent).status());
    assertEquals("online", ConsensusApi.health(false, up, 10, unknown).status(),
        "no certificate to judge by");
    assertEquals("lagging", ConsensusApi.health(false, PeerLinks.Link.NONE, 10, sealing)
        .status(), "this node's link is down, the network's is not");
    assertEquals("down", ConsensusApi.health(false, PeerLinks.Link.NONE, 10, silent).status());
    assertEquals("down", ConsensusApi.health(false, PeerLinks.Link.NONE, 10, unknown).status());
    assertEquals("lagging", ConsensusApi.health(true, new PeerLinks.Link(true, 10, null), 10,
        silent).status(), "this node, not sealing");
  }

  @Test
  void aDevNodeIsOneValidatorItselfWithBlocksThatCarryNoCertificate() throws Exception {
    Address producer = v.get(0);
    rpc = new JsonRpc(new ConsensusApi(chain, PeerLinks.alone(producer),
        InstantSource.fixed(NOW)).methods());
    for (int i = 1; i <= 3; i++) {
      chain.commit(chain.buildNext(producer, 1_700_000_000L + i, new byte[0]));
    }
    JsonNode health = result("chorus_validatorHealth");
    assertTrue(health.get("quorum").isNull());
    assertEquals(1, health.get("validators").size());
    JsonNode self = health.get("validators").get(0);
    assertEquals(producer.toString(), self.get("address").asText());
    assertTrue(self.get("self").asBoolean() && self.get("connected").asBoolean());
    assertEquals("---", self.get("signed").asText());
    assertEquals("0x3", self.get("lastProposed").asText());
    assertTrue(self.get("lastSigned").isNull() && self.get("organisation").isNull());
    assertEquals("online", self.get("status").asText());

    JsonNode block = result("chorus_getBlockConsensus", "0x2");
    assertTrue(!block.get("certified").asBoolean() && block.get("round").isNull()
        && block.get("quorum").isNull(), block.toString());
    assertEquals(producer.toString(), block.get("proposer").asText(), "its coinbase");
    assertEquals(List.of(), strings(block.get("signers")));
    assertEquals(List.of(), strings(block.get("missing")));
  }

  @Test
  void badParamsSayWhatIsExpected() throws Exception {
    assertInvalid("window) must be 1 to 1024 blocks, got 0", "chorus_validatorHealth", 0);
    assertInvalid("window) must be 1 to 1024 blocks, got 1025", "chorus_validatorHealth",
        "0x401");
    assertInvalid("window) must be a 0x-hex quantity", "chorus_validatorHealth", "many");
    assertInvalid("got 18446744073709551624", "chorus_validatorHealth",
        new BigInteger("18446744073709551624"));
    assertInvalid("takes 0 to 1 params, got 2", "chorus_validatorHealth", 1, 2);
    assertInvalid("takes 1 params, got 0", "chorus_getBlockConsensus");
    assertInvalid("must be a tag (latest, earliest), a 0x-hex block number or a 32-byte block"
        + " hash", "chorus_getBlockConsensus", true);
    assertInvalid("block) is not hex", "chorus_getBlockConsensus", "0xzz");
  }

  private static PeerLinks.Identity identity(String organisation, String name, int days) {
    return new PeerLinks.Identity(organisation, name,
        NOW.plus(Duration.ofDays(days)).plus(Duration.ofHours(1)));
  }

  /** Links set by the test: this node is validator 0 with a certificate for 10 more days. */
  static final class Links implements PeerLinks {
    final Address self;
    final Map<Address, Link> peers = new HashMap<>();

    Links(Address self) {
      this.self = self;
    }

    @Override
    public Address self() {
      return self;
    }

    @Override
    public boolean networked() {
      return true;
    }

    @Override
    public Identity identity() {
      return ConsensusApiTest.identity("org0", "node0", 10);
    }

    @Override
    public Link link(Address validator) {
      return peers.getOrDefault(validator, Link.NONE);
    }
  }
}
