package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.client.Account;
import io.chorus.client.ChorusClient;
import io.chorus.client.ProblemException;
import io.chorus.client.SharingClient;
import io.chorus.client.UserCertificate;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.p2p.tls.ChainCa;
import io.chorus.p2p.tls.Role;
import io.chorus.service.ApiTokens;
import io.chorus.service.Keystore;
import io.chorus.sharing.SharingService;
import io.chorus.state.system.DataSharing;
import io.chorus.state.system.Governance;
import io.chorus.state.system.Permissions;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.SystemContracts;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Government data sharing across four {@code sm} validators on ShangMi TLS, three departments
 * each at its own member's node and the data authority at a fourth: the committee binds the
 * departments by vote; 市公安局 publishes a conditional data set and puts its records in node 0;
 * 市民政局 applies at node 1, the authority checks at node 3, the provider approves two of the
 * three fields asked for; 市民政局's clerk fetches from node 0 with its consortium user
 * certificate (no token of node 0): the envelope opens with the certificate's key, its hash is
 * the chain's audit entry's and only the granted fields arrive. 市卫生健康委员会's certificate is
 * denied 0xc4; the committee revokes the clerk's certificate by vote and its next fetch is
 * denied 0xc5; the provider revokes the grant and another clerk is denied 0xc2. The authority
 * reads the whole trail from node 3, each outcome with the chain's verdict; and no file of
 * nodes 1 to 3, whose departments are not the provider, holds a byte of the plaintext. On an
 * {@code ethereum} chain of one validator the same fetch is sealed for the certificate's P-256
 * key.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharingNetworkTest {
  private static final String PASSWORD = "sharing network keystore";
  private static final List<String> PARTIES = List.of("gaj", "mzj", "wjw", "authority");
  private static final Map<String, String> DEPARTMENTS = Map.of("gaj", "市公安局", "mzj",
      "市民政局", "wjw", "市卫生健康委员会");
  private static final List<String> FIELDS = List.of("name", "id_number", "address",
      "household", "birth_date");
  /** Values of the records that only the provider's node and the grantee may ever read. */
  private static final List<String> SECRETS = List.of("330102199001011234", "西湖区文三路1号",
      "330102198505052345");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void threeDepartmentsShareAcrossFourValidatorsAndOnlyTheGranteeReadsThePlaintext()
      throws Exception {
    try (Shared shared = new Shared(dir, CryptoSuite.sm(), 4)) {
      Node[] nodes = shared.nodes;
      Map<String, SharingClient> as = shared.as;
      LocalNetwork network = shared.network;
      Committee committee = shared.committee;
      long dataset = shared.dataset;
      long grant = shared.grant;

      // 市民政局's clerk fetches from the provider's node with its certificate, no token.
      ChainCa civil = network.root.issueOrganisation("市民政局", Instant.now().minus(
          Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), new SecureRandom());
      ChainCa health = network.root.issueOrganisation("市卫生健康委员会", Instant.now().minus(
          Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), new SecureRandom());
      UserCertificate clerk = user(civil, "clerk");
      UserCertificate doctor = user(health, "doctor");
      UserCertificate second = user(civil, "second-clerk");
      SharingClient atProvider = new SharingClient(nodes[0].rpcUrl(), null);
      SharingClient.Delivery delivered = atProvider.fetch(dataset, grant, List.of(), clerk,
          WAIT);
      assertEquals(List.of("name", "id_number"), delivered.fields());
      assertEquals(2, delivered.records().size());
      for (JsonNode record : delivered.records()) {
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("name", "id_number"), names, record.toString());
      }
      assertEquals("330102199001011234", delivered.records().get(0).path("id_number").asText());
      assertEquals("市民政局", delivered.entry().department());
      assertEquals(Optional.of(delivered.payloadHash()), delivered.entry().payloadHash());

      // Denials, each recorded: another department's certificate, a revoked certificate.
      denied(() -> atProvider.fetch(dataset, grant, List.of(), doctor, WAIT), "0xc4");
      BigInteger serial = clerk.chain().getFirst().getSerialNumber();
      committee.pass(4, List.of(Governance.proposeCall(ProposalKind.REVOKE_CERTIFICATE,
          ProposalKind.REVOKE_CERTIFICATE.encode(serial), 100)));
      await("the revocation in node 0's state", () -> io.chorus.state.system.Permissions
          .isCertificateRevoked(nodes[0].chain().stateAt(nodes[0].chain().head()), serial));
      denied(() -> atProvider.fetch(dataset, grant, List.of(), clerk, WAIT), "0xc5");
      // The provider revokes the grant: a clerk whose certificate stands is denied 0xc2.
      as.get("gaj").revoke(grant, "申请部门超范围使用", true);
      String last = denied(() -> atProvider.fetch(dataset, grant, List.of(), second, WAIT),
          "0xc2");

      // The authority reads the trail at its own node: every attempt, with the chain's verdict.
      ChorusClient.connect(nodes[3].rpcUrl()).waitForReceipt(io.chorus.codec.Hex.decode(last),
          WAIT);
      SharingClient.Page<SharingClient.AuditEntry> trail = as.get("authority").auditOf(dataset,
          0, 20);
      assertEquals(List.of("0x51", "0xc4", "0xc5", "0xc2"), trail.items().stream()
          .map(SharingClient.AuditEntry::outcome).toList(), trail.toString());
      assertEquals(List.of("市民政局", "市卫生健康委员会", "市民政局", "市民政局"), trail.items()
          .stream().map(SharingClient.AuditEntry::department).toList());
      // The chain's own check agrees, except of the revoked certificate, the node's finding.
      assertEquals(List.of("0x51", "0xc4", "0x51", "0xc2"), trail.items().stream()
          .map(SharingClient.AuditEntry::verdict).toList());

      // The plaintext is in node 0's payload store only: no byte of it at the other members.
      for (Node node : nodes) {
        node.close();
      }
      assertTrue(holds(dir.resolve("node0").resolve("sharing").resolve("payloads"),
          SECRETS.getFirst()), "the scan finds the plaintext where the provider put it");
      assertTrue(holds(dir.resolve("node1"), "330100-GA-0002"), "the scan reads the chain's"
          + " files: the data set's code, on chain, is found at node 1");
      for (int i = 1; i < 4; i++) {
        for (String secret : SECRETS) {
          assertFalse(holds(dir.resolve("node" + i), secret), "node " + i + " holds " + secret);
        }
      }
      for (String secret : SECRETS) {
        assertFalse(holds(dir.resolve("node0").resolve("chain"), secret), "on chain: " + secret);
        assertFalse(holds(dir.resolve("node0").resolve("sharing").resolve("served"), secret),
            "node 0 keeps only sealed deliveries: " + secret);
      }
    }
  }

  /**
   * On an {@code ethereum} chain, whose certificates are P-256 while its accounts are
   * secp256k1, one validator: the clerk's fetch by certificate through {@link SharingClient}
   * is sealed for its P-256 key and opens with it ({@code crypto.P256}).
   */
  @Test
  void onAnEthereumChainTheDeliveryIsSealedForTheCertificatesP256Key() throws Exception {
    try (Shared shared = new Shared(dir, CryptoSuite.ethereum(), 1)) {
      ChainCa civil = shared.network.root.issueOrganisation("市民政局", Instant.now().minus(
          Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)), new SecureRandom());
      SharingClient.Delivery delivered = new SharingClient(shared.nodes[0].rpcUrl(), null)
          .fetch(shared.dataset, shared.grant, List.of("name"), user(civil, "clerk"), WAIT);
      assertEquals("ecies-p256-hkdf-sha256-aes256-gcm", delivered.scheme());
      assertEquals(List.of("name"), delivered.fields());
      assertEquals("张三", delivered.records().get(0).path("name").asText());
      assertEquals("0x51", delivered.entry().verdict());
    }
  }

  /**
   * A network of {@code members} validators (the parties at member {@code i % members}) whose
   * committee bound the three departments, with data set 1 published by 市公安局, its records
   * in node 0, and 市民政局 granted name and id_number of it (grant 1).
   */
  private static final class Shared implements AutoCloseable {
    final LocalNetwork network;
    final Node[] nodes;
    final Map<String, SharingClient> as = new HashMap<>();
    final Committee committee;
    final long dataset;
    final long grant;

    Shared(Path dir, CryptoSuite suite, int members) throws Exception {
      Map<String, KeyPair> keys = new HashMap<>();
      Map<String, Address> accounts = new HashMap<>();
      Map<Address, Genesis.Allocation> funded = new HashMap<>();
      for (int i = 0; i < PARTIES.size(); i++) {
        KeyPair pair = suite.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, i));
        keys.put(PARTIES.get(i), pair);
        accounts.put(PARTIES.get(i), Address.of(suite.address(pair.publicKey())));
        funded.put(accounts.get(PARTIES.get(i)), Genesis.Allocation.funded(LocalNetwork.FUNDS));
      }
      network = LocalNetwork.layOut(dir, suite, BigInteger.valueOf(4346), members, members,
          funded, Map.of(accounts.get("authority"), Permissions.ROLE_SHARING_AUTHORITY));
      // Each party's key in its own member's keystore, with a token of that node.
      Map<String, String> tokens = new HashMap<>();
      for (int i = 0; i < PARTIES.size(); i++) {
        Path home = dir.resolve("node" + i % members);
        Keystore.importKey(home, suite, keys.get(PARTIES.get(i)).privateKey(),
            PASSWORD.toCharArray(), new SecureRandom());
        tokens.put(PARTIES.get(i), ApiTokens.issue(home, accounts.get(PARTIES.get(i)),
            Set.of(SharingService.WRITER_ROLE, SharingService.READER_ROLE), Optional.empty(),
            Clock.systemUTC(), new SecureRandom()).token());
      }
      nodes = new Node[members];
      for (int i = 0; i < members; i++) {
        nodes[i] = network.start(i, new Node.Api(Optional.of(PASSWORD), List.of()));
      }
      for (int i = 0; i < PARTIES.size(); i++) {
        as.put(PARTIES.get(i), new SharingClient(nodes[i % members].rpcUrl(),
            tokens.get(PARTIES.get(i))));
      }
      committee = new Committee(network, nodes[0], members);
      List<byte[]> bindings = new ArrayList<>();
      for (String party : List.of("gaj", "mzj", "wjw")) {
        bindings.add(Governance.proposeCall(ProposalKind.SHARING_DEPARTMENT,
            ProposalKind.SHARING_DEPARTMENT.encode(accounts.get(party), DEPARTMENTS.get(party)),
            100));
      }
      committee.pass(1, bindings);
      for (Node node : nodes) {
        await("the departments bound on every node", () -> DEPARTMENTS.keySet().stream()
            .allMatch(p -> DEPARTMENTS.get(p).equals(DataSharing.departmentOf(
                node.chain().stateAt(node.chain().head()), accounts.get(p)))));
      }

      // The catalogue, the application, the authority's check and the provider's consent,
      // each at its party's own node.
      dataset = as.get("gaj").publish("330100-GA-0002", "户籍信息", FIELDS, "conditional",
          "daily", true).result().orElseThrow().id();
      assertEquals(2, as.get("gaj").putRecords(dataset, records()));
      awaitHead(nodes, nodes[0]);
      long expires = Instant.now().getEpochSecond() + 90 * 86_400L;
      grant = as.get("mzj").apply(dataset, "核查低保申请人户籍", "最低生活保障审核",
          List.of("name", "id_number", "household"), expires, true).result().orElseThrow().id();
      awaitHead(nodes, nodes[1 % members]);
      as.get("authority").check(grant, true, "用途合规", true);
      awaitHead(nodes, nodes[3 % members]);
      assertEquals("granted", as.get("gaj").approve(grant, List.of("name", "id_number"), true)
          .result().orElseThrow().state());
      awaitHead(nodes, nodes[0]);
    }

    @Override
    public void close() {
      network.close();
    }
  }

  private static UserCertificate user(ChainCa organisation, String name) throws IOException {
    ChainCa.UserCredentials issued = organisation.issueUser(name, Role.USER, Optional.empty(),
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)),
        new SecureRandom());
    Path files = Files.createTempDirectory("sharing-user");
    issued.save(files);
    return UserCertificate.load(files.resolve(ChainCa.UserCredentials.CERTIFICATE_FILE),
        files.resolve(ChainCa.UserCredentials.KEY_FILE));
  }

  private static List<JsonNode> records() throws IOException {
    return List.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(("{\"name\":\"张三\","
        + "\"id_number\":\"330102199001011234\",\"address\":\"西湖区文三路1号\",\"household\":"
        + "\"杭州\",\"birth_date\":\"1990-01-01\"}").getBytes(StandardCharsets.UTF_8)),
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(("{\"name\":\"李四\",\"id_number\":"
            + "\"330102198505052345\",\"address\":\"上城区解放路2号\",\"household\":\"杭州\","
            + "\"birth_date\":\"1985-05-05\"}").getBytes(StandardCharsets.UTF_8)));
  }

  /** The transaction that recorded the denial. */
  private static String denied(org.junit.jupiter.api.function.Executable fetch, String code) {
    ProblemException denial = assertThrows(ProblemException.class, fetch);
    assertEquals(Optional.of(code), SharingClient.code(denial), denial.getMessage());
    return SharingClient.deniedTransaction(denial).orElseThrow(() -> new AssertionError(
        "not recorded: " + denial.getMessage()));
  }

  /** Whether any file under {@code root} contains {@code text}'s UTF-8 bytes. */
  private static boolean holds(Path root, String text) throws IOException {
    // Bytes as ISO-8859-1 characters, one for one, so String.indexOf does the search.
    String needle = new String(text.getBytes(StandardCharsets.UTF_8),
        StandardCharsets.ISO_8859_1);
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)
            .contains(needle)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Every node has at least the head {@code of} has now, so reads there see its writes. */
  private static void awaitHead(Node[] nodes, Node of) throws InterruptedException {
    long head = of.chain().head().number();
    for (Node node : nodes) {
      await("node at block " + head, () -> node.chain().head().number() >= head);
    }
  }

  private static void await(String what, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /**
   * The committee, the validators with equal weights: 0 proposes (its vote counts), 1 and 2
   * vote yes (3 of 4 reach the 2/3 threshold; a committee of one passes what it proposes).
   */
  private static final class Committee {
    private final ChorusClient chain;
    private final Account[] members;

    Committee(LocalNetwork network, Node node, int size) {
      this.chain = ChorusClient.connect(node.rpcUrl());
      this.members = new Account[Math.min(size, 3)];
      for (int i = 0; i < members.length; i++) {
        members[i] = chain.account(network.keys[i].privateKey());
      }
    }

    /**
     * Proposes each of {@code proposals} (numbered from {@code firstId}) in one round of
     * blocks, then votes them all in with members 1 and 2.
     */
    void pass(long firstId, List<byte[]> proposals) {
      send(members[0], proposals);
      List<byte[]> votes = new ArrayList<>();
      for (int i = 0; i < proposals.size(); i++) {
        votes.add(Governance.voteCall(firstId + i, true));
      }
      for (int m = 1; m < members.length; m++) {
        send(members[m], votes);
      }
    }

    // Sends the calls in nonce order and waits for all of them.
    private void send(Account from, List<byte[]> calls) {
      List<byte[]> sent = new ArrayList<>();
      for (byte[] data : calls) {
        sent.add(chain.send(from, SystemContracts.GOVERNANCE.toArray(), BigInteger.ZERO, data,
            2_000_000));
      }
      for (byte[] hash : sent) {
        assertTrue(chain.waitForReceipt(hash, WAIT).success(), "governance call failed");
      }
    }
  }
}
