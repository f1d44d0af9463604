package io.chorus.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.chain.GenesisFile;
import io.chorus.client.JsonRpcClient;
import io.chorus.client.RecordHistoryClient;
import io.chorus.client.RpcException;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.crypto.KeyPair;
import io.chorus.evm.Address;
import io.chorus.ledger.Genesis;
import io.chorus.notary.NotaryCertificates;
import io.chorus.notary.NotaryService;
import io.chorus.proof.NotaryEvidence;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.TrustRoot;
import io.chorus.rpc.rest.RestApi;
import io.chorus.service.ApiTokens;
import io.chorus.service.ChainService;
import io.chorus.service.Keystore;
import io.chorus.service.certificate.CertificatePdf;
import io.chorus.state.system.Governance;
import io.chorus.state.system.ProposalKind;
import io.chorus.state.system.SystemContracts;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notary's REST API on a real node: a one-validator BFT network (so blocks carry commit
 * certificates and proofs exist) on loopback sockets, driven with {@link HttpClient} as a
 * client would. Each route's success is checked against the chain itself (proofs and
 * certificates verified with {@link NotaryEvidence} against the genesis file's trust root, an
 * upload's digest against a local SHA-256), and each refusal by its status and problem.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NotaryApiNodeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final KeyPair WRITER =
      SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 0));
  private static final KeyPair ATTESTER =
      SUITE.keyPair(HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 1));
  private static final String PASSWORD = "notary node keystore";
  private static final String RECORDS = "/api/v1/notary/records";

  @TempDir static Path dir;
  private static LocalNetwork network;
  private static Node node;
  private static TrustRoot trustRoot;
  private static String writer;
  private static String attester;
  private static String committee;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    network = LocalNetwork.layOut(dir, SUITE, BigInteger.valueOf(4343), 1, 1, Map.of(
        address(WRITER), Genesis.Allocation.funded(LocalNetwork.FUNDS),
        address(ATTESTER), Genesis.Allocation.funded(LocalNetwork.FUNDS)));
    Path member = dir.resolve("node0");
    SecureRandom random = new SecureRandom();
    for (KeyPair keys : List.of(WRITER, ATTESTER, network.keys[0])) {
      Keystore.importKey(member, SUITE, keys.privateKey(), PASSWORD.toCharArray(), random);
    }
    writer = token(member, address(WRITER), NotaryService.WRITER_ROLE,
        NotaryService.VERIFIER_ROLE);
    attester = token(member, address(ATTESTER), NotaryService.ATTESTER_ROLE);
    committee = token(member, address(network.keys[0]), ChainService.SENDER_ROLE);
    node = network.start(0, new Node.Api(Optional.of(PASSWORD), List.of()));
    trustRoot = GenesisFile.trustRoot(GenesisFile.read(member.resolve("genesis.json")));
  }

  @AfterAll
  static void stop() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  void aRecordIsDepositedReadAndItsProofVerifiesAgainstTheGenesis() throws Exception {
    byte[] hash = content("contract A");
    HttpResponse<String> made = post(RECORDS, writer, "{\"hash\":\"" + Hex.encode0x(hash)
        + "\",\"type\":\"contract\",\"metadata\":{\"title\":\"采购合同\"},\"wait\":true}");
    assertEquals(201, made.statusCode(), made.body());
    JsonNode record = JSON.readTree(made.body());
    String id = "sha256:" + Hex.encode(hash);
    assertEquals(id, record.path("id").asText());
    assertEquals(1, record.path("version").asLong());
    assertEquals("sha256", record.path("algorithm").asText());
    assertEquals("采购合同", record.path("metadata").path("title").asText());
    assertEquals(Hex.encode0x(address(WRITER).toArray()), record.path("depositor").asText());
    assertEquals(NotaryCertificates.recordPath(id), made.headers().firstValue("Location")
        .orElseThrow());
    assertEquals(record, JSON.readTree(get(NotaryCertificates.recordPath(id)).body()));

    HttpResponse<String> proof = get(record.path("links").path("proof").asText());
    assertEquals(200, proof.statusCode(), proof.body());
    NotaryEvidence.Evidence evidence = NotaryEvidence.verify(ProofBundle.fromJson(
        proof.body()), trustRoot, hash);
    assertEquals(id, evidence.id());
    assertEquals("contract", evidence.recordType());
    assertEquals(record.path("blockNumber").asLong(), evidence.proven().blockNumber());

    ObjectNode check = JSON.createObjectNode();
    check.set("bundle", JSON.readTree(proof.body()));
    check.put("digest", Hex.encode0x(hash));
    HttpResponse<String> verified = post("/api/v1/notary/verify", writer, check.toString());
    assertEquals(200, verified.statusCode(), verified.body());
    assertTrue(JSON.readTree(verified.body()).path("proven").asBoolean());
    assertEquals(id, JSON.readTree(verified.body()).path("record").path("id").asText());
    check.put("digest", Hex.encode0x(content("another file")));
    HttpResponse<String> wrongDigest = post("/api/v1/notary/verify", writer, check.toString());
    assertEquals(422, wrongDigest.statusCode(), wrongDigest.body());
    assertFalse(JSON.readTree(wrongDigest.body()).path("proven").asBoolean(true));
    assertTrue(wrongDigest.body().contains("the proof notarizes " + Hex.encode0x(hash)),
        wrongDigest.body());

    HttpResponse<String> pending = post(RECORDS, writer, "{\"id\":\"later\",\"hash\":\""
        + Hex.encode0x(content("later")) + "\"}");
    assertEquals(202, pending.statusCode(), pending.body());
    String txHash = JSON.readTree(pending.body()).path("txHash").asText();
    assertEquals("/api/v1/chain/transactions/" + txHash,
        pending.headers().firstValue("Location").orElseThrow());
    assertEquals(200, get("/api/v1/chain/transactions/" + txHash).statusCode());
  }

  @Test
  void writesAreRefusedWithTheReasonAndTheFieldToFix() throws Exception {
    String body = "{\"id\":\"dup-1\",\"hash\":\"" + Hex.encode0x(content("dup")) + "\"}";
    assertEquals(401, post(RECORDS, null, body).statusCode());
    HttpResponse<String> wrongRole = post(RECORDS, attester, body);
    assertProblem(wrongRole, 403, "forbidden", "lack role notary.writer");

    HttpResponse<String> notObject = post(RECORDS, writer, "{\"hash\":\""
        + Hex.encode0x(content("x")) + "\",\"metadata\":[1,2]}");
    assertProblem(notObject, 400, "invalid-request", "must be a JSON object, not array");
    assertEquals("/metadata", JSON.readTree(notObject.body()).path("errors").get(0)
        .path("field").asText());
    HttpResponse<String> tooLong = post(RECORDS, writer, "{\"hash\":\""
        + Hex.encode0x(content("x")) + "\",\"metadata\":{\"note\":\"" + "n".repeat(4_100)
        + "\"}}");
    assertProblem(tooLong, 400, "invalid-request", "the notary keeps at most 4096");
    HttpResponse<String> badFields = post(RECORDS, writer,
        "{\"hash\":\"0x12\",\"algorithm\":\"md5\",\"type\":\"Not A Type\"}");
    assertEquals(3, JSON.readTree(badFields.body()).path("errors").size(), badFields.body());

    assertEquals(201, post(RECORDS, writer, body.replace("}", ",\"wait\":true}"))
        .statusCode());
    HttpResponse<String> duplicateId = post(RECORDS, writer, "{\"id\":\"dup-1\",\"hash\":\""
        + Hex.encode0x(content("dup 2")) + "\"}");
    assertProblem(duplicateId, 422, "call-fails", "id 'dup-1' is already recorded");
    HttpResponse<String> duplicateHash = post(RECORDS, writer, "{\"id\":\"dup-2\",\"hash\":\""
        + Hex.encode0x(content("dup")) + "\"}");
    assertProblem(duplicateHash, 422, "call-fails", "is already recorded, as version 1 of"
        + " 'dup-1'");

    assertProblem(get(RECORDS + "/no-such-record"), 404, "not-found", "no record with id");
    assertProblem(get(RECORDS + "/dup-1/versions/2"), 404, "not-found", "has no version 2");
    assertProblem(get(RECORDS + "/by-hash/" + Hex.encode0x(content("never"))), 404,
        "not-found", "no record holds hash");
    assertProblem(get("/api/v1/notary/batches/999"), 404, "not-found", "no batch 999");
  }

  @Test
  void anUploadedFileIsHashedByTheNodeAndATooLargeOneIsRefused() throws Exception {
    byte[] file = "the signed delivery note, page 1 of 1\n".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> made = upload(writer, "delivery.txt", file,
        Map.of("type", "voucher", "title", "送货单", "wait", "true"));
    assertEquals(201, made.statusCode(), made.body());
    JsonNode record = JSON.readTree(made.body());
    byte[] local = MessageDigest.getInstance("SHA-256").digest(file);
    assertEquals(Hex.encode0x(local), record.path("hash").asText());
    assertEquals("sha256:" + Hex.encode(local), record.path("id").asText());
    assertEquals("delivery.txt", record.path("metadata").path("file").asText());
    assertEquals(file.length, record.path("metadata").path("size").asInt());
    assertEquals("送货单", record.path("metadata").path("title").asText());
    assertEquals("voucher", record.path("type").asText());

    HttpResponse<String> tooLarge = upload(writer, "big.bin",
        new byte[NotaryService.UPLOAD_BYTES_MAX + 1], Map.of());
    assertProblem(tooLarge, 413, "too-large", "exceeds the maximum");
    HttpResponse<String> unknownPart = upload(writer, "a.txt", file, Map.of("titel", "x"));
    assertProblem(unknownPart, 400, "invalid-request", "unknown part");
  }

  @Test
  void versionsAreAddedPagedAndEachHasItsOwnProof() throws Exception {
    String id = "HT/2026 001+甲%";
    String path = NotaryCertificates.recordPath(id);
    byte[] first = content("version 1");
    byte[] second = content("version 2");
    assertEquals(201, post(RECORDS, writer, "{\"id\":\"" + id + "\",\"hash\":\""
        + Hex.encode0x(first) + "\",\"algorithm\":\"keccak256\",\"wait\":true}").statusCode());
    HttpResponse<String> updated = put(path, writer, "{\"hash\":\"" + Hex.encode0x(second)
        + "\",\"metadata\":{\"reason\":\"signed copy\"},\"wait\":true}");
    assertEquals(201, updated.statusCode(), updated.body());
    assertEquals(2, JSON.readTree(updated.body()).path("version").asLong());
    assertEquals("keccak256", JSON.readTree(updated.body()).path("algorithm").asText());
    assertEquals(id, JSON.readTree(get(path).body()).path("id").asText());

    JsonNode page = JSON.readTree(get(path + "/versions?from=1&count=1").body());
    assertEquals(2, page.path("versions").asLong());
    assertEquals(1, page.path("records").size());
    assertEquals(Hex.encode0x(first), page.path("records").get(0).path("hash").asText());
    JsonNode rest = JSON.readTree(get(page.path("next").asText()).body());
    assertEquals(Hex.encode0x(second), rest.path("records").get(0).path("hash").asText());
    assertProblem(get(path + "/versions?count=65"), 400, "invalid-request", "from 1 to 64");
    JsonNode byHash = JSON.readTree(get(RECORDS + "/by-hash/" + Hex.encode0x(first)).body());
    assertEquals(1, byHash.path("version").asLong());

    NotaryEvidence.Evidence old = NotaryEvidence.verify(ProofBundle.fromJson(
        get(path + "/proof?version=1").body()), trustRoot, first);
    assertEquals(1, old.version());
    NotaryEvidence.Evidence current = NotaryEvidence.verify(ProofBundle.fromJson(
        get(path + "/proof").body()), trustRoot, second);
    assertEquals(2, current.version());
    assertProblem(put(path, attester, "{\"hash\":\"" + Hex.encode0x(content("v3")) + "\"}"),
        403, "forbidden", "notary.writer");
  }

  @Test
  void theCertificateEmbedsAProofThatVerifies() throws Exception {
    byte[] hash = content("certified");
    HttpResponse<String> made = post(RECORDS, writer, "{\"id\":\"cert-1\",\"hash\":\""
        + Hex.encode0x(hash) + "\",\"metadata\":{\"file\":\"合同.pdf\"},\"wait\":true}");
    assertEquals(201, made.statusCode(), made.body());
    HttpResponse<byte[]> pdf = HTTP.send(HttpRequest.newBuilder(URI.create(node.rpcUrl()
        + RECORDS + "/cert-1/certificate")).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, pdf.statusCode());
    assertEquals("application/pdf", pdf.headers().firstValue("Content-Type").orElseThrow());
    String embedded = CertificatePdf.embeddedProof(pdf.body());
    NotaryEvidence.Evidence evidence = NotaryEvidence.verify(ProofBundle.fromJson(embedded),
        trustRoot, hash);
    assertEquals("cert-1", evidence.id());
    assertProblem(get(RECORDS + "/cert-1/certificate?version=2"), 404, "not-found",
        "has no version 2");
  }

  @Test
  void aBatchOfDigestsIsAnchoredWithAProofPerDigest() throws Exception {
    List<byte[]> digests = List.of(content("b1"), content("b2"), content("b3"));
    ObjectNode body = JSON.createObjectNode().put("wait", true);
    ArrayNode list = body.putArray("digests");
    digests.forEach(d -> list.add(Hex.encode0x(d)));
    body.putObject("metadata").put("source", "ERP");
    HttpResponse<String> anchored = post("/api/v1/notary/batches", writer, body.toString());
    assertEquals(201, anchored.statusCode(), anchored.body());
    JsonNode batch = JSON.readTree(anchored.body());
    assertEquals(3, batch.path("count").asLong());
    assertEquals(3, batch.path("proofs").size());
    for (int i = 0; i < digests.size(); i++) {
      NotaryEvidence.Evidence e = NotaryEvidence.verify(ProofBundle.fromJson(
          batch.path("proofs").get(i).toString()), trustRoot, digests.get(i));
      assertEquals(i, e.index());
      assertEquals(batch.path("number").asLong(), e.batchNumber());
    }
    JsonNode read = JSON.readTree(get("/api/v1/notary/batches/" + batch.path("number")
        .asLong()).body());
    assertEquals(batch.path("root").asText(), read.path("root").asText());
    assertEquals("ERP", read.path("metadata").path("source").asText());
    HttpResponse<String> tooMany = post("/api/v1/notary/batches", writer, "{\"digests\":[]}");
    assertProblem(tooMany, 400, "invalid-request", "an array of 1 to 4096 digests");

    ObjectNode records = JSON.createObjectNode().put("wait", true);
    ArrayNode items = records.putArray("records");
    items.addObject().put("id", "cmevi-1").put("hash", Hex.encode0x(content("c1")));
    items.addObject().put("id", "cmevi-2").put("hash", Hex.encode0x(content("c2")))
        .putObject("metadata").put("n", 2);
    HttpResponse<String> evidence = post(RECORDS + "/batch", writer, records.toString());
    assertEquals(201, evidence.statusCode(), evidence.body());
    JsonNode made = JSON.readTree(evidence.body()).path("records");
    assertEquals(List.of("cmevi-1", "cmevi-2"), List.of(made.get(0).path("id").asText(),
        made.get(1).path("id").asText()));
    assertEquals("unspecified", made.get(0).path("algorithm").asText());
  }

  @Test
  void aCoSignerAttestsARecordOfATypeWithAPolicy() throws Exception {
    byte[] policy = ProposalKind.SET_NOTARY_POLICY.encode("lease", List.of(address(ATTESTER)),
        1);
    HttpResponse<String> proposed = post("/api/v1/chain/transactions", committee, "{\"to\":\""
        + SystemContracts.GOVERNANCE + "\",\"data\":\"" + Hex.encode0x(Governance.proposeCall(
            ProposalKind.SET_NOTARY_POLICY, policy, 10)) + "\",\"wait\":true}");
    assertEquals("committed", JSON.readTree(proposed.body()).path("status").asText(),
        proposed.body());
    HttpResponse<String> made = post(RECORDS, writer, "{\"id\":\"lease-7\",\"type\":\"lease\","
        + "\"hash\":\"" + Hex.encode0x(content("lease")) + "\",\"wait\":true}");
    assertEquals(201, made.statusCode(), made.body());
    assertFalse(JSON.readTree(made.body()).path("attested").asBoolean(true));

    assertProblem(post(RECORDS + "/lease-7/attestations", writer, "{}"), 403, "forbidden",
        "notary.attester");
    HttpResponse<String> attested = post(RECORDS + "/lease-7/attestations", attester,
        "{\"version\":1,\"wait\":true}");
    assertEquals(201, attested.statusCode(), attested.body());
    JsonNode version = JSON.readTree(attested.body());
    assertTrue(version.path("attested").asBoolean());
    assertEquals(Hex.encode0x(address(ATTESTER).toArray()), version.path("cosigners").get(0)
        .asText());
    assertProblem(post(RECORDS + "/lease-7/attestations", attester, "{}"), 422, "call-fails",
        "has already attested version 1 of 'lease-7'");
    assertProblem(post(RECORDS + "/no-such/attestations", attester, "{}"), 404, "not-found",
        "no record with id 'no-such'");

    // Its history: the record as deposited, then as attested, each as the GET answered it
    // then, with the event that made it; over JSON-RPC (the client's) as over REST.
    JsonNode history = JSON.readTree(get(RECORDS + "/lease-7/history").body());
    JsonNode entries = history.path("entries");
    assertEquals(2, entries.size(), history.toString());
    assertEquals(JSON.readTree(made.body()), entries.get(0).path("record"));
    assertEquals(version, entries.get(1).path("record"));
    assertEquals(List.of("Recorded", "Attested"), List.of(
        entries.get(0).path("events").get(0).path("event").asText(),
        entries.get(1).path("events").get(0).path("event").asText()));
    assertTrue(history.path("nextFromBlock").isNull());
    List<RecordHistoryClient.Entry> viaRpc = new RecordHistoryClient(new JsonRpcClient(
        node.rpcUrl())).all(RecordHistoryClient.NOTARY, "lease-7", 0);
    assertEquals(List.of(entries.get(0).path("blockNumber").asLong(),
        entries.get(1).path("blockNumber").asLong()),
        viaRpc.stream().map(RecordHistoryClient.Entry::blockNumber).toList());
    assertEquals(version, viaRpc.get(1).record());
    assertProblem(get(RECORDS + "/no-such/history"), 404, "not-found",
        "no notary record no-such");
    RpcException unknown = assertThrows(RpcException.class, () -> new RecordHistoryClient(
        new JsonRpcClient(node.rpcUrl())).page("invoice", "7", 0, OptionalLong.empty(), 1));
    assertEquals(-32602, unknown.code());
    assertTrue(unknown.getMessage().contains("(kind) must be one of notary, receivable,"
        + " sharing-request, sharing-dataset"), unknown.getMessage());
  }

  @Test
  void theAssembledOpenApiDocumentIsValidAndDescribesEveryNotaryRoute() throws Exception {
    HttpResponse<String> served = get(RestApi.OPENAPI_PATH);
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(served.body(), null,
        options);
    assertEquals(List.of(), parsed.getMessages() == null ? List.of() : parsed.getMessages());
    JsonNode paths = JSON.readTree(served.body()).path("paths");
    List<String> missing = new ArrayList<>();
    for (String route : List.of("POST /records", "POST /files", "POST /records/batch",
        "PUT /records/{id}", "POST /records/{id}/attestations", "POST /batches",
        "POST /verify", "GET /records/{id}", "GET /records/{id}/versions",
        "GET /records/{id}/versions/{version}", "GET /records/by-hash/{hash}",
        "GET /records/{id}/proof", "GET /records/{id}/certificate", "GET /batches/{number}",
        "GET /records/{id}/history")) {
      String[] parts = route.split(" ");
      JsonNode operation = paths.path("/api/v1/notary" + parts[1]).path(parts[0].toLowerCase(
          java.util.Locale.ROOT));
      if (!operation.isObject() || !operation.path("responses").has("400")) {
        missing.add(route);
      }
    }
    assertEquals(List.of(), missing);
    long notaryOperations = 0;
    for (var path : paths.properties()) {
      if (path.getKey().startsWith("/api/v1/notary/")) {
        notaryOperations += path.getValue().propertyStream()
            .filter(e -> !e.getKey().equals("parameters")).count();
      }
    }
    assertEquals(15, notaryOperations, "operations beyond the routes");
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static void assertProblem(HttpResponse<String> response, int status, String kind,
      String detail) throws Exception {
    assertEquals(status, response.statusCode(), response.body());
    assertEquals("application/problem+json", response.headers().firstValue("Content-Type")
        .orElseThrow());
    JsonNode problem = JSON.readTree(response.body());
    assertEquals("urn:chorus:problem:" + kind, problem.path("type").asText());
    assertTrue(response.body().contains(detail), response.body());
  }

  private static HttpResponse<String> post(String path, String token, String body)
      throws Exception {
    return send("POST", path, token, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> put(String path, String token, String body)
      throws Exception {
    return send("PUT", path, token, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(node.rpcUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> upload(String token, String fileName, byte[] file,
      Map<String, String> fields) throws Exception {
    String boundary = "chorus-test-boundary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
          + field.getKey() + "\"\r\n\r\n" + field.getValue() + "\r\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\";"
        + " filename=\"" + fileName + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(file);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send("POST", "/api/v1/notary/files", token,
        "multipart/form-data; boundary=" + boundary, body.toByteArray());
  }

  private static HttpResponse<String> send(String method, String path, String token,
      String type, byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node.rpcUrl() + path))
        .header("Content-Type", type)
        .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String token(Path member, Address account, String... roles) {
    return ApiTokens.issue(member, account, Set.of(roles), Optional.empty(),
        Clock.systemUTC(), new SecureRandom()).token();
  }

  private static Address address(KeyPair keys) {
    return Address.of(SUITE.address(keys.publicKey()));
  }

  private static byte[] content(String label) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(label.getBytes(StandardCharsets.UTF_8));
  }
}
