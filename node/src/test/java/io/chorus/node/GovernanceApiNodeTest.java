package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.GenesisFile;
import io.chorus.client.GovernanceClient;
import io.chorus.client.ProblemException;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.service.ApiTokens;
import io.chorus.service.ChainService;
import io.chorus.service.GovernanceService;
import io.chorus.service.Keystore;
import io.chorus.state.system.Consortium;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * Governance over REST on a running dev node whose committee is three accounts of equal weight
 * (2/3 to pass): a member proposes with its API token, a second votes, and the proposal passes
 * and takes effect (the account it adds then proposes in turn); each vote's transaction is
 * found again from the log index. Refused: no token (401), a token without the role (403), an
 * account off the committee (403 not-a-member, nothing sent), a malformed field (400 pointing at
 * it), a second vote and votes on a closed or expired proposal (409).
 */
class GovernanceApiNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final String PASSWORD = "node keystore password";
  private static final int ACCOUNTS = 4;
  /** Accounts 0 to 2 are the committee; 3 is not, until the proposal adds it. */
  private static final int COMMITTEE = 3;
  private static final Address FROZEN = Address.parse("0x" + "f0".repeat(20));

  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private final SecureRandom random = new SecureRandom();
  private final KeyPair[] keys = new KeyPair[ACCOUNTS];
  private final Address[] accounts = new Address[ACCOUNTS];
  private final String[] tokens = new String[ACCOUNTS];

  private void layOut() {
    Map<Address, Genesis.Allocation> funded = new HashMap<>();
    List<Consortium.Member> committee = new java.util.ArrayList<>();
    for (int i = 0; i < ACCOUNTS; i++) {
      keys[i] = SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
      accounts[i] = Address.of(SUITE.address(keys[i].publicKey()));
      funded.put(accounts[i], Genesis.Allocation.funded(BigInteger.TEN.pow(22)));
      if (i < COMMITTEE) {
        committee.add(new Consortium.Member(accounts[i], BigInteger.ONE));
      }
      Keystore.importKey(dir, SUITE, keys[i].privateKey(), PASSWORD.toCharArray(), random);
      tokens[i] = issue(accounts[i], GovernanceService.MEMBER_ROLE);
    }
    GenesisFile.write(new Genesis(BigInteger.valueOf(1337), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 60_000, 0, new byte[0], List.of(), funded,
        new Consortium(committee, Map.of(), false, false, Map.of())),
        dir.resolve("genesis.json"));
  }

  private String issue(Address account, String role) {
    return ApiTokens.issue(dir, account, Set.of(role), Optional.empty(), Clock.systemUTC(),
        random).token();
  }

  @Test
  void aMemberProposesASecondVotesAndTheProposalPasses() throws Exception {
    layOut();
    String senderOnly = issue(accounts[0], ChainService.SENDER_ROLE);
    Node.Config config = new Node.Config(dir, "127.0.0.1", 0)
        .withApi(new Node.Api(Optional.of(PASSWORD), List.of()));
    try (Node node = Node.start(config)) {
      GovernanceClient first = new GovernanceClient(node.rpcUrl(), tokens[0]);
      GovernanceClient second = new GovernanceClient(node.rpcUrl(), tokens[1]);
      GovernanceClient third = new GovernanceClient(node.rpcUrl(), tokens[2]);
      GovernanceClient outsider = new GovernanceClient(node.rpcUrl(), tokens[3]);
      String addOutsider = "{\"kind\":\"add-member\",\"fields\":[\"" + accounts[3]
          + "\",\"1\"],\"wait\":true}";

      HttpResponse<String> anonymous = post(node, null, addOutsider);
      assertEquals(401, anonymous.statusCode(), anonymous.body());
      HttpResponse<String> noRole = post(node, senderOnly, addOutsider);
      assertEquals(403, noRole.statusCode(), noRole.body());
      assertEquals("urn:chorus:problem:forbidden", json(noRole).path("type").asText());
      ProblemException notMember = assertThrows(ProblemException.class,
          () -> outsider.propose("add-member", List.of(accounts[3].toString(), "1"), 1_000,
              true));
      assertEquals(403, notMember.status());
      assertEquals("urn:chorus:problem:not-a-member", notMember.type());
      assertEquals(0, node.chain().pool().nextNonce(accounts[3]), "nothing was sent");
      ProblemException malformed = assertThrows(ProblemException.class,
          () -> first.propose("add-member", List.of(accounts[3].toString(), "one"), 1_000,
              true));
      assertEquals(400, malformed.status());
      assertEquals("/fields/1", malformed.errors().get(0).field());
      assertTrue(malformed.errors().get(0).detail().contains("must be uint256"),
          malformed.getMessage());
      assertTrue(first.kinds().stream().anyMatch(k -> k.kind().equals("add-member")
          && k.types().equals(List.of("address", "uint256")) && k.threshold().equals("2/3")));

      HttpResponse<String> made = post(node, tokens[0], addOutsider);
      assertEquals(201, made.statusCode(), made.body());
      JsonNode proposed = json(made);
      long id = proposed.path("proposalId").asLong();
      assertEquals(1, id);
      assertEquals("/api/v1/governance/proposals/1", made.headers().firstValue("Location")
          .orElseThrow());
      String proposalTx = proposed.path("transaction").path("hash").asText();
      assertEquals("committed", proposed.path("transaction").path("status").asText());
      assertEquals("active", proposed.path("proposal").path("status").asText());
      assertEquals("2", proposed.path("proposal").path("requiredWeight").asText());
      assertEquals(proposalTx, proposed.path("proposal").path("proposed").path("txHash")
          .asText());
      byte[] inBlock = node.chain().store().blockByNumber(proposed.path("transaction")
          .path("blockNumber").asLong()).orElseThrow().transactions().get(0).encoded();
      assertEquals(proposalTx, Hex.encode0x(SUITE.hash(inBlock)),
          "the hash is the block's transaction's");

      ProblemException twice = assertThrows(ProblemException.class,
          () -> first.vote(id, true, true));
      assertEquals(409, twice.status());
      assertEquals("urn:chorus:problem:already-voted", twice.type());

      GovernanceClient.Sent vote = second.vote(id, true, true);
      GovernanceClient.Proposal passed = vote.proposal().orElseThrow();
      assertEquals("passed", passed.status());
      assertEquals(BigInteger.TWO, passed.yesWeight());
      assertEquals(Optional.of(vote.transactionHash()),
          passed.committee().get(1).transactionHash());
      assertEquals(Optional.of(proposalTx), passed.committee().get(0).transactionHash());
      assertEquals(Optional.empty(), passed.committee().get(2).approve());
      assertFalse(vote.transactionHash().equals(proposalTx));

      ProblemException closed = assertThrows(ProblemException.class,
          () -> third.vote(id, false, true));
      assertEquals(409, closed.status());
      assertEquals("urn:chorus:problem:votes-closed", closed.type());
      assertEquals("passed", closed.body().path("proposalStatus").asText());

      // Not awaited: 202 and the transaction; its block also begins by enacting proposal 1.
      GovernanceClient.Sent pending = third.propose("freeze", List.of(FROZEN.toString()), 1,
          false);
      assertEquals(Optional.empty(), pending.proposalId());
      awaitCommitted(node, pending.transactionHash());
      JsonNode executed = get(node, "/api/v1/governance/proposals/1");
      assertEquals("executed", executed.path("status").asText(), executed.toString());
      JsonNode added = executed.path("committee").get(3);
      assertEquals(accounts[3].toString(), added.path("account").asText());
      assertTrue(added.path("vote").isNull() && added.path("txHash").isNull(),
          added.toString());

      // Proposal 2 expires one block after its own; the new member's proposal is that block.
      GovernanceClient.Sent byNewMember = outsider.propose("unfreeze",
          List.of(FROZEN.toString()), 1_000, true);
      assertEquals(Optional.of(3L), byNewMember.proposalId());
      ProblemException expired = assertThrows(ProblemException.class,
          () -> first.vote(2, true, true));
      assertEquals(409, expired.status());
      assertTrue(expired.detail().startsWith("proposal 2 expired at block "),
          expired.getMessage());
      assertEquals("expired", first.proposal(2).status());
      assertEquals(404, assertThrows(ProblemException.class, () -> first.proposal(9))
          .status());
      JsonNode paths = get(node, "/api/v1/openapi.json").path("paths");
      for (String operation : List.of("get /kinds", "get /committee", "get /proposals",
          "post /proposals", "get /proposals/{id}", "post /proposals/{id}/votes")) {
        String[] parts = operation.split(" ");
        assertTrue(paths.path("/api/v1/governance" + parts[1]).path(parts[0]).isObject(),
            operation);
      }
    }
  }

  private void awaitCommitted(Node node, String hash) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (node.chain().store().transactionLocation(Hex.decode(hash)).isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "transaction " + hash + " in a block");
      Thread.sleep(20);
    }
  }

  private HttpResponse<String> post(Node node, String token, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.rpcUrl()
        + "/api/v1/governance/proposals")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(Node node, String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
        node.rpcUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }
}
