package io.chorus.notary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.chain.Blockchain;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.HdWallet;
import io.chorus.ledger.Genesis;
import io.chorus.ledger.TxPool;
import io.chorus.rpc.eth.ProofApi;
import io.chorus.rpc.rest.Authenticator;
import io.chorus.rpc.rest.RestApi;
import io.chorus.rpc.rest.RestObserver;
import io.chorus.service.ServiceContext;
import io.chorus.service.TransactionSubmitter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notary service in-process, on a chain of its own and the node's REST layer without a
 * socket: what does not need blocks. A node without a CJK font answers a certificate with 503
 * naming what to install; a certificate's link is built from the request's Host, which must
 * look like one; an id survives the trip through a path segment. (The routes on a running
 * BFT node: node's NotaryApiNodeTest.)
 */
class NotaryServiceTest {
  @TempDir Path dir;
  private Blockchain chain;

  private static final byte[] VALIDATOR = CryptoSuite.ethereum().keyPair(
      HdWallet.ethereumAccountKey(HdWallet.TEST_MNEMONIC, 9)).publicKey();

  private void open(List<byte[]> validators) {
    chain = Blockchain.open(dir, new Genesis(BigInteger.valueOf(1337), "ethereum",
        Genesis.FeeMode.ETHEREUM_1559, 30_000_000, 1_000, 0, new byte[0], validators,
        Map.of()), TxPool.Limits.defaults());
  }

  @AfterEach
  void close() {
    if (chain != null) {
      chain.close();
    }
  }

  private RestApi api(java.util.function.Supplier<Path> font) {
    if (chain == null) {
      open(List.of(VALIDATOR));
    }
    TransactionSubmitter submitter = new TransactionSubmitter(chain, Map.of(),
        new TransactionSubmitter.Estimator() {
          @Override
          public long gas(io.chorus.evm.Address from, io.chorus.evm.Address to,
              BigInteger value, byte[] data) {
            throw new AssertionError("these tests send nothing");
          }

          @Override
          public BigInteger tip() {
            throw new AssertionError("these tests send nothing");
          }
        });
    ServiceContext context = new ServiceContext(chain, submitter, new ProofApi(chain));
    return new RestApi(List.of(new NotaryService(context, font)), Authenticator.NONE,
        RestObserver.NONE, "test");
  }

  private static RestApi.Answer get(RestApi api, String uri, String host) {
    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1,
        HttpMethod.GET, uri);
    if (host != null) {
      request.headers().set("Host", host);
    }
    try {
      return api.handle(request);
    } finally {
      request.release();
    }
  }

  private static JsonNode body(RestApi.Answer answer) throws Exception {
    return NotaryJson.JSON.readTree(answer.body());
  }

  @Test
  void withoutACjkFontACertificateIs503NamingWhatToInstall() throws Exception {
    RestApi api = api(() -> {
      throw new IllegalStateException("no CJK font for the certificate's Chinese text: install"
          + " one (Debian: apt-get install fonts-wqy-zenhei)");
    });
    RestApi.Answer answer = get(api, "/api/v1/notary/records/any/certificate", "node:8545");
    assertEquals(503, answer.status());
    assertEquals("urn:chorus:problem:font-missing", body(answer).path("type").asText());
    assertTrue(body(answer).path("detail").asText().contains("fonts-wqy-zenhei"));
  }

  @Test
  void aCertificateNeedsAHostToLinkTo() throws Exception {
    RestApi api = api(() -> dir);
    RestApi.Answer answer = get(api, "/api/v1/notary/records/any/certificate",
        "evil\"host/<script>");
    assertEquals(400, answer.status());
    assertEquals("Host", body(answer).path("errors").get(0).path("field").asText());
    RestApi.Answer unknown = get(api, "/api/v1/notary/records/any/certificate", "[::1]:8545");
    assertEquals(404, unknown.status(), new String(unknown.body()));
  }

  @Test
  void aChainWithoutValidatorsStartsTheServiceButProvesNothing() throws Exception {
    open(List.of());
    RestApi api = api(() -> dir);
    RestApi.Answer certificate = get(api, "/api/v1/notary/records/any/certificate", "node");
    assertEquals(409, certificate.status());
    assertTrue(body(certificate).path("detail").asText().contains("names no validators"));
  }

  @Test
  void anIdIsOnePathSegmentWhateverItHolds() throws Exception {
    RestApi api = api(() -> dir);
    String id = "HT/2026 001+甲%2F";
    String path = NotaryCertificates.recordPath(id);
    assertEquals("/api/v1/notary/records/HT%2F2026%20001%2B%E7%94%B2%252F", path);
    RestApi.Answer answer = get(api, path, "node");
    assertEquals(404, answer.status());
    assertEquals("no record with id '" + id + "'", body(answer).path("detail").asText());
  }
}
