package io.chorus.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chorus.chain.Blockchain;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.rpc.rest.Caller;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestObserver;
import io.chorus.state.system.Consortium;
import io.chorus.state.system.ProposalKind;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The governance service in-process, on a chain of its own (a committee of two, add-member
 * needing 3/4) and the node's REST layer without a socket: what is answered before anything is
 * sent. The submitter's estimator fails the test if it is ever asked, so each refusal here is
 * proven to send nothing: no token, a token without the role, an account off the committee, a
 * malformed proposal (400 pointing at the field), an unknown proposal. (Proposing and voting
 * on a running node: node's GovernanceApiNodeTest.)
 */
class GovernanceServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Address FIRST = Address.parse("0x" + "a1".repeat(20));
  private static final Address SECOND = Address.parse("0x" + "a2".repeat(20));
  private static final Address OUTSIDER = Address.parse("0x" + "0e".repeat(20));
  private static final Map<String, Caller> TOKENS = Map.of(
      "Bearer member", new Caller(FIRST, Set.of(GovernanceService.MEMBER_ROLE), "token m"),
      "Bearer sender", new Caller(FIRST, Set.of(ChainService.SENDER_ROLE), "token s"),
      "Bearer outsider", new Caller(OUTSIDER, Set.of(GovernanceService.MEMBER_ROLE),
          "token o"));

  @TempDir Path dir;
  private Blockchain chain;
  private RestApi api;

  @BeforeEach
  void open() {
    Consortium committee = new Consortium(List.of(new Consortium.Member(FIRST, BigInteger.ONE),
        new Consortium.Member(SECOND, BigInteger.TWO)),
        Map.of(ProposalKind.ADD_MEMBER, new Consortium.Threshold(3, 4)), false, false, Map.of());
    chain = Blockchain.open(dir, new Genesis(BigInteger.valueOf(1337), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 1_000, 0, new byte[0], List.of(), Map.of(),
        committee), TxPool.Limits.defaults());
    TransactionSubmitter submitter = new TransactionSubmitter(chain, Map.of(),
        new TransactionSubmitter.Estimator() {
          @Override
          public long gas(Address from, Address to, BigInteger value, byte[] data) {
            throw new AssertionError("a refused request sent a transaction");
          }

          @Override
          public BigInteger tip() {
            throw new AssertionError("a refused request sent a transaction");
          }
        });
    ServiceContext context = new ServiceContext(chain, submitter, new ProofApi(chain));
    api = new RestApi(List.of(new GovernanceService(context)),
        header -> Optional.ofNullable(header).map(TOKENS::get), RestObserver.NONE, "test");
  }

  @AfterEach
  void close() {
    chain.close();
  }

  @Test
  void eachKindComesWithItsFieldsAndItsThresholdFromTheState() throws Exception {
    JsonNode kinds = get("/api/v1/governance/kinds").path("kinds");
    assertEquals(ProposalKind.values().length, kinds.size());
    JsonNode addMember = kinds.get(ProposalKind.ADD_MEMBER.ordinal());
    assertEquals("add-member", addMember.path("kind").asText());
    assertEquals("[\"address\",\"uint256\"]", addMember.path("types").toString());
    assertEquals("account, weight", addMember.path("describes").asText());
    assertEquals("{\"numerator\":\"3\",\"denominator\":\"4\"}",
        addMember.path("threshold").toString());
    JsonNode policy = kinds.get(ProposalKind.SET_NOTARY_POLICY.ordinal());
    assertEquals("[\"string\",\"address[]\",\"uint8\"]", policy.path("types").toString());
    assertEquals("2", policy.path("threshold").path("numerator").asText());

    JsonNode committee = get("/api/v1/governance/committee");
    assertEquals(SECOND.toString(), committee.path("members").get(1).path("account").asText());
    assertEquals("3", committee.path("totalWeight").asText());
    assertEquals(0, get("/api/v1/governance/proposals").path("count").asInt());
  }

  @Test
  void aMalformedProposalIsRefusedPointingAtTheField() throws Exception {
    String account = "\"" + SECOND + "\"";
    assertEquals("/fields/1", onlyError("{\"kind\":\"add-member\",\"fields\":[" + account
        + ",\"ten\"]}").path("field").asText());
    JsonNode outOfRange = onlyError("{\"kind\":\"set-fee-mode\",\"fields\":[\"256\"]}");
    assertEquals("/fields/0", outOfRange.path("field").asText());
    assertTrue(outOfRange.path("detail").asText().contains("must be uint8"),
        outOfRange.toString());
    JsonNode count = onlyError("{\"kind\":\"add-member\",\"fields\":[" + account + "]}");
    assertEquals("/fields", count.path("field").asText());
    assertTrue(count.path("detail").asText().contains("takes 2 field(s): account, weight"),
        count.toString());
    JsonNode kind = onlyError("{\"kind\":\"add-memeber\",\"fields\":[]}");
    assertEquals("/kind", kind.path("field").asText());
    assertTrue(kind.path("detail").asText().contains("add-member, remove-member"));
    assertEquals("/fields/0", onlyError("{\"kind\":\"freeze\",\"fields\":[{}]}")
        .path("field").asText());
    assertEquals("/expiryBlocks", onlyError("{\"kind\":\"freeze\",\"fields\":[" + account
        + "],\"expiryBlocks\":0}").path("field").asText());
    assertEquals("/approve", onlyError("/api/v1/governance/proposals/1/votes",
        "{\"approve\":\"yes\"}").path("field").asText());
    RestApi.Answer badId = post("/api/v1/governance/proposals/first/votes", "member",
        "{\"approve\":true}");
    assertEquals(400, badId.status());
    assertEquals("id", body(badId).path("errors").get(0).path("field").asText());
  }

  @Test
  void writesNeedATokenWithTheRoleAndAnAccountOnTheCommittee() throws Exception {
    String freeze = "{\"kind\":\"freeze\",\"fields\":[\"" + SECOND + "\"]}";
    assertEquals(401, post("/api/v1/governance/proposals", null, freeze).status());
    RestApi.Answer noRole = post("/api/v1/governance/proposals", "sender", freeze);
    assertEquals(403, noRole.status());
    assertEquals("urn:chorus:problem:forbidden", body(noRole).path("type").asText());
    for (String path : List.of("/api/v1/governance/proposals",
        "/api/v1/governance/proposals/1/votes")) {
      RestApi.Answer outsider = post(path, "outsider", path.endsWith("votes")
          ? "{\"approve\":true}" : freeze);
      if (path.endsWith("votes")) {
        // No proposal 1 yet: that it does not exist is public, and said first.
        assertEquals(404, outsider.status(), new String(outsider.body()));
        continue;
      }
      assertEquals(403, outsider.status(), new String(outsider.body()));
      JsonNode problem = body(outsider);
      assertEquals("urn:chorus:problem:not-a-member", problem.path("type").asText());
      assertTrue(problem.path("detail").asText().contains(OUTSIDER + " (token o) is not a"
          + " member of the governance committee"), problem.toString());
    }
    assertEquals(0, chain.pool().size(), "nothing was sent");
    RestApi.Answer unknown = post("/api/v1/governance/proposals/7/votes", "member",
        "{\"approve\":false}");
    assertEquals(404, unknown.status());
    assertEquals("no proposal 7; 0 were made, numbered from 1",
        body(unknown).path("detail").asText());
    assertEquals(404, get("/api/v1/governance/proposals/7", 404).path("status").asInt());
  }

  // ---- requests ------------------------------------------------------------------------------

  private JsonNode onlyError(String body) throws Exception {
    return onlyError("/api/v1/governance/proposals", body);
  }

  private JsonNode onlyError(String path, String body) throws Exception {
    RestApi.Answer answer = post(path, "member", body);
    assertEquals(400, answer.status(), new String(answer.body()));
    JsonNode errors = body(answer).path("errors");
    assertEquals(1, errors.size(), errors.toString());
    return errors.get(0);
  }

  private JsonNode get(String uri) throws Exception {
    return get(uri, 200);
  }

  private JsonNode get(String uri, int status) throws Exception {
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.GET, uri);
    try {
      RestApi.Answer answer = api.handle(request);
      assertEquals(status, answer.status(), new String(answer.body()));
      return body(answer);
    } finally {
      request.release();
    }
  }

  private RestApi.Answer post(String uri, String token, String json) {
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.POST, uri, Unpooled.copiedBuffer(json, StandardCharsets.UTF_8));
    request.headers().set("Content-Type", "application/json");
    if (token != null) {
      request.headers().set("Authorization", "Bearer " + token);
    }
    try {
      return api.handle(request);
    } finally {
      request.release();
    }
  }

  private static JsonNode body(RestApi.Answer answer) throws Exception {
    return JSON.readTree(answer.body());
  }
}
