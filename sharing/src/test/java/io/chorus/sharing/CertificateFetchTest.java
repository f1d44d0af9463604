package io.chorus.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Envelope;
import io.chorus.crypto.EnvelopeException;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.P256;
import io.chorus.evm.Address;
import io.chorus.p2p.tls.ChainCa;
import io.chorus.p2p.tls.ConsortiumTrust;
import io.chorus.p2p.tls.RevocationSource;
import io.chorus.p2p.tls.Role;
import io.chorus.p2p.tls.TlsKeyAlgorithm;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fetches authenticated by consortium user certificates ({@link CertificateFetch}), in both
 * suites, against a PKI the test issues (SM2/SM3 or P-256) and the peer network's own check
 * ({@link ConsortiumTrust}): 市民政局's clerk fetches under its grant with its certificate and
 * key, the envelope opens with the certificate's private key only and carries the granted
 * fields, the audit entry names 市民政局 and the certificate's hash; 市卫生健康委员会's
 * certificate is denied 0xc4 and a revoked certificate 0xc5, both recorded; an expired
 * certificate, one of a foreign root, one of another role, a signature over other terms, a
 * replayed request and a stale one are refused 401 and not recorded; malformed headers 400.
 * The requests are signed here with the JDK's API from the documented canonical form, an
 * implementation apart from the client's.
 */
class CertificateFetchTest {
  private static final String BASE = "/api/v1/sharing";
  private static final BouncyCastleProvider BOUNCY = new BouncyCastleProvider();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String FIELDS = "[\"name\",\"id_number\",\"address\",\"household\","
      + "\"birth_date\"]";
  private static final String RECORDS = "{\"records\":["
      + "{\"name\":\"张三\",\"id_number\":\"330102199001011234\",\"address\":\"西湖区文三路1号\","
      + "\"household\":\"杭州\",\"birth_date\":\"1990-01-01\"}]}";

  @TempDir Path dir;

  private DepartmentsChain net;
  private CryptoSuite suite;

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void aConsortiumUserCertificateAuthenticatesAFetchAndOnlyAValidOne(String name)
      throws Exception {
    suite = name.equals("sm") ? CryptoSuite.sm() : CryptoSuite.ethereum();
    Instant now = Instant.now();
    Instant from = now.minus(Duration.ofDays(1));
    Instant until = now.plus(Duration.ofDays(365));
    TlsKeyAlgorithm algorithm = TlsKeyAlgorithm.forSuite(suite.name());
    ChainCa root = ChainCa.create("Chorus chain 1337 CA", "City", algorithm, from, until,
        RANDOM);
    ChainCa mzj = root.issueOrganisation("市民政局", from, until, RANDOM);
    ChainCa wjw = root.issueOrganisation("市卫生健康委员会", from, until, RANDOM);
    ChainCa.UserCredentials clerk = mzj.issueUser("clerk", Role.USER, Optional.empty(), from,
        until, RANDOM);
    ChainCa.UserCredentials other = wjw.issueUser("doctor", Role.USER, Optional.empty(), from,
        until, RANDOM);
    ChainCa.UserCredentials leaver = mzj.issueUser("leaver", Role.USER, Optional.empty(), from,
        until, RANDOM);
    ChainCa.UserCredentials expired = mzj.issueUser("expired", Role.USER, Optional.empty(),
        now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), RANDOM);
    ChainCa.UserCredentials deployer = mzj.issueUser("deployer", Role.DEPLOYER,
        Optional.empty(), from, until, RANDOM);
    ChainCa foreign = ChainCa.create("Another CA", "Elsewhere", algorithm, from, until, RANDOM)
        .issueOrganisation("市民政局", from, until, RANDOM);
    ChainCa.UserCredentials impostor = foreign.issueUser("clerk", Role.USER, Optional.empty(),
        from, until, RANDOM);

    Set<BigInteger> revoked = new HashSet<>();
    ConsortiumTrust consortium = new ConsortiumTrust(root.certificate(), new RevocationSource() {
      @Override
      public boolean isRevoked(X509Certificate certificate) {
        return revoked.contains(certificate.getSerialNumber());
      }

      @Override
      public long version() {
        return revoked.size();
      }
    }, Clock.systemUTC());
    RequesterTrust trust = new RequesterTrust() {
      @Override
      public List<X509Certificate> user(List<X509Certificate> presented)
          throws java.security.cert.CertificateException {
        return consortium.member(presented, Role.USER);
      }

      @Override
      public boolean isRevoked(List<X509Certificate> chain) {
        return consortium.isRevoked(chain);
      }
    };
    net = new DepartmentsChain(suite, dir, trust, Clock.systemUTC());
    try {
      grant();
      // The clerk's fetch: sealed for its certificate's key, only the granted fields.
      Map<String, String> signed = sign(clerk, 2, 1, List.of(), now.toEpochMilli());
      DepartmentsChain.Answer fetched = fetch(2, 1, "", signed);
      assertEquals(200, fetched.status(), fetched.body().toString());
      assertEquals(1, net.chain.pool().size(), "the delivery's record is sent with it");
      net.mine(1);
      byte[] envelope = Hex.decode(fetched.body().path("envelope").asText());
      KeyPair holder = keyPair(clerk);
      Address recipient = Address.of(suite.address(holder.publicKey()));
      byte[] context = Exchange.associatedData(net.chain.chainId(), 2, 1, recipient);
      JsonNode payload = SharingJson.JSON.readTree(envelope(suite).open(envelope, context,
          holder));
      List<String> names = new ArrayList<>();
      payload.path("records").get(0).fieldNames().forEachRemaining(names::add);
      assertEquals(List.of("name", "id_number"), names, payload.toString());
      // Not for the department's account key: the certificate is the recipient.
      assertThrows(EnvelopeException.class,
          () -> envelope(suite).open(envelope, context, net.keys.get("mzj")));
      JsonNode entry = entry(fetched);
      assertEquals("0x51", entry.path("outcome").asText(), entry.toString());
      assertEquals("市民政局", entry.path("department").asText());
      assertEquals(Hex.encode0x(suite.hash(clerk.certificate().getEncoded())),
          entry.path("requester").asText());
      assertEquals(Hex.encode0x(suite.hash(envelope)), entry.path("payloadHash").asText());

      // The same signed request again: refused, not recorded.
      refused(fetch(2, 1, "", signed), "was used already");
      // Another department's certificate under 市民政局's grant: 0xc4, recorded.
      JsonNode wrong = denied(fetch(2, 1, "", sign(other, 2, 1, List.of(),
          System.currentTimeMillis())), "0xc4", "wrong-department");
      assertEquals("市卫生健康委员会", entry(wrong).path("department").asText());
      // A revoked certificate: 0xc5, recorded under its department.
      revoked.add(leaver.certificate().getSerialNumber());
      JsonNode revokedDenial = denied(fetch(2, 1, "", sign(leaver, 2, 1, List.of(),
          System.currentTimeMillis())), "0xc5", "revoked-certificate");
      assertTrue(revokedDenial.path("detail").asText().contains(
          leaver.certificate().getSerialNumber().toString(16)), revokedDenial.toString());
      JsonNode revokedEntry = entry(revokedDenial);
      assertEquals("0xc5", revokedEntry.path("outcome").asText());
      assertEquals("市民政局", revokedEntry.path("department").asText());
      // The organisation's CA revoked: every certificate it issued is denied.
      revoked.add(mzj.certificate().getSerialNumber());
      denied(fetch(2, 1, "", sign(clerk, 2, 1, List.of(), System.currentTimeMillis())),
          "0xc5", "revoked-certificate");
      revoked.remove(mzj.certificate().getSerialNumber());

      long at = System.currentTimeMillis();
      refused(fetch(2, 1, "", sign(expired, 2, 1, List.of(), at)), "consortium root");
      refused(fetch(2, 1, "", sign(impostor, 2, 1, List.of(), at)), "consortium root");
      refused(fetch(2, 1, "", sign(deployer, 2, 1, List.of(), at)), "role deployer");
      // Signed for the grant's fields only, sent asking for more: the signature fails.
      refused(fetch(2, 1, "&fields=name,address", sign(clerk, 2, 1, List.of("name"), at)),
          "does not verify");
      refused(fetch(2, 1, "", sign(clerk, 2, 1, List.of(),
          at - CertificateFetch.SKEW.toMillis() - 60_000)), "sign it again");
      // The clerk's own fresh request still opens: the refusals changed nothing.
      assertEquals(200, fetch(2, 1, "", sign(clerk, 2, 1, List.of(), at)).status());
      net.mine(1);

      Map<String, String> bad = new java.util.HashMap<>(sign(clerk, 2, 1, List.of(), at));
      bad.put("Chorus-Certificate", "not base64 at all");
      malformed(fetch(2, 1, "", bad), "Chorus-Certificate");
      bad.put("Chorus-Certificate", Base64.getEncoder().encodeToString(
          clerk.certificate().getEncoded()));
      malformed(fetch(2, 1, "", bad), "organisation's CA");
      Map<String, String> unsigned = new java.util.HashMap<>(sign(clerk, 2, 1, List.of(), at));
      unsigned.remove("Chorus-Signature");
      malformed(fetch(2, 1, "", unsigned), "Chorus-Signature");
    } finally {
      net.close();
    }
  }

  // 市公安局 publishes a conditional data set with its records; 市民政局 is granted two fields.
  private void grant() {
    ok(net.post("gaj", BASE + "/datasets", "{\"code\":\"330100-GA-0001\",\"title\":\"人口基本信息"
        + "\",\"fields\":" + FIELDS + ",\"sharingClass\":\"unconditional\"}"));
    ok(net.post("gaj", BASE + "/datasets", "{\"code\":\"330100-GA-0002\",\"title\":\"户籍信息\","
        + "\"fields\":" + FIELDS + ",\"sharingClass\":\"conditional\"}"));
    assertEquals(200, net.put("gaj", BASE + "/datasets/2/data", RECORDS).status());
    ok(net.post("mzj", BASE + "/requests", "{\"dataset\":2,\"purpose\":\"核查低保申请人户籍\","
        + "\"scenario\":\"最低生活保障审核\",\"fields\":[\"name\",\"id_number\",\"household\"],"
        + "\"expiresAt\":" + (net.time + 90 * 86_400L) + "}"));
    ok(net.post("authority", BASE + "/requests/1/check", "{\"pass\":true,\"reason\":\"用途合规"
        + "\"}"));
    ok(net.post("gaj", BASE + "/requests/1/approve", "{\"fields\":[\"name\",\"id_number\"]}"));
  }

  private void ok(DepartmentsChain.Answer answer) {
    assertEquals(202, answer.status(), answer.body().toString());
    net.mine(1);
  }

  private DepartmentsChain.Answer fetch(long dataset, long grant, String query,
      Map<String, String> headers) {
    return net.get(BASE + "/datasets/" + dataset + "/data/by-certificate?grant=" + grant
        + query, headers);
  }

  private JsonNode denied(DepartmentsChain.Answer answer, String code, String rule) {
    assertEquals(403, answer.status(), answer.body().toString());
    assertEquals(code, answer.body().path("code").asText(), answer.body().toString());
    assertEquals(rule, answer.body().path("rule").asText());
    assertEquals(1, net.chain.pool().size(), "a denial is recorded: " + answer.body());
    net.mine(1);
    return answer.body();
  }

  private void refused(DepartmentsChain.Answer answer, String why) {
    assertEquals(401, answer.status(), answer.body().toString());
    assertEquals("urn:chorus:problem:certificate-refused", answer.body().path("type").asText());
    assertTrue(answer.body().path("detail").asText().contains(why), answer.body().toString());
    assertEquals(0, net.chain.pool().size(), "not an attempt, not recorded: " + answer.body());
  }

  private void malformed(DepartmentsChain.Answer answer, String what) {
    assertEquals(400, answer.status(), answer.body().toString());
    assertTrue(answer.body().toString().contains(what), answer.body().toString());
    assertEquals(0, net.chain.pool().size());
  }

  private JsonNode entry(DepartmentsChain.Answer answer) {
    return entry(answer.body());
  }

  private JsonNode entry(JsonNode answered) {
    return net.get("gaj", BASE + "/transactions/" + answered.path("txHash").asText()
        + "/entry").body();
  }

  /** The headers of a request signed with the user's key, in the documented canonical form. */
  private Map<String, String> sign(ChainCa.UserCredentials user, long dataset, long grant,
      List<String> fields, long atMs) throws Exception {
    byte[] nonce = new byte[16];
    RANDOM.nextBytes(nonce);
    String canonical = "chorus/sharing/fetch/v1\n" + net.chain.chainId() + "\n" + dataset
        + "\n" + grant + "\n" + String.join(",", fields) + "\n" + atMs + "\n"
        + Hex.encode0x(nonce);
    Signature signer = Signature.getInstance(suite.name().equals("sm") ? "SM3withSM2"
        : "SHA256withECDSA", BOUNCY);
    signer.initSign(user.key());
    signer.update(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Base64.Encoder base64 = Base64.getEncoder();
    return Map.of("Chorus-Certificate", base64.encodeToString(user.certificate().getEncoded())
            + "," + base64.encodeToString(user.organisation().getEncoded()),
        "Chorus-Signed-At", Long.toString(atMs), "Chorus-Nonce", Hex.encode0x(nonce),
        "Chorus-Signature", Hex.encode0x(signer.sign()));
  }

  private KeyPair keyPair(ChainCa.UserCredentials user) {
    byte[] scalar = BigIntegers.asUnsignedByteArray(32, ((ECPrivateKey) user.key()).getS());
    KeyPair pair = suite.name().equals("sm") ? suite.keyPair(scalar) : P256.keyPair(scalar);
    var w = ((ECPublicKey) user.certificate().getPublicKey()).getW();
    assertEquals(Hex.encode0x(Bytes.concat(BigIntegers.asUnsignedByteArray(32, w.getAffineX()),
        BigIntegers.asUnsignedByteArray(32, w.getAffineY()))), Hex.encode0x(pair.publicKey()));
    return pair;
  }

  private static Envelope envelope(CryptoSuite suite) {
    return suite.name().equals("sm") ? suite.envelope() : P256.envelope();
  }
}
