package io.chorus.sharing;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Envelope;
import io.chorus.crypto.P256;
import io.chorus.evm.Address;
import io.chorus.rpc.rest.Problem;
import io.chorus.rpc.rest.RestRequest;
import io.chorus.rpc.rest.RestResponse;
import io.chorus.state.system.DataSharing.Rule;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.util.BigIntegers;

/**
 * A fetch authenticated by the requester's consortium user certificate instead of an API
 * token: {@code GET /datasets/{id}/data/by-certificate?grant=&fields=} with the certificate
 * chain (user certificate, then its organisation's CA, base64 DER, comma-separated) in {@code
 * Chorus-Certificate} and a signature by the certificate's key over the canonical request
 * ({@link #signedRequest}: the chain, data set, grant, fields, a time and a nonce, in {@code
 * Chorus-Signed-At} and {@code Chorus-Nonce}) in {@code Chorus-Signature}.
 * The node checks, in this order, before the request is an attempt: the signature, the time
 * (within {@link #SKEW} of the node's clock), the nonce (not seen within the window), the
 * chain (PKIX to the consortium root, role {@code user}, the organisation of its CA; {@link
 * RequesterTrust}); any failure is 401 {@code certificate-refused} and nothing is recorded,
 * since the department is not established. Then it is one: the department is the
 * certificate's organisation (subject O, the name departments are bound under on chain), the
 * audit entry's {@code requester} the chain's hash of the certificate (DER); a revoked
 * certificate is denied {@code 0xc5} and recorded, and otherwise the exchange checks the grant
 * and seals the granted fields for the certificate's own key (SM2 on {@code sm} chains, P-256
 * on {@code ethereum} ones, {@link P256}).
 */
final class CertificateFetch {
  /** The first line of the canonical request. */
  static final String CONTEXT = "chorus/sharing/fetch/v1";
  /** How far a request's time may be from the node's clock, either way. */
  static final Duration SKEW = Duration.ofMinutes(5);
  /** Nonces remembered within the window; beyond, fetches wait for older ones to expire. */
  static final int NONCES_MAX = 100_000;
  static final int NONCE_BYTES = 16;
  static final String CERTIFICATE_HEADER = "Chorus-Certificate";
  static final String SIGNED_AT_HEADER = "Chorus-Signed-At";
  static final String NONCE_HEADER = "Chorus-Nonce";
  static final String SIGNATURE_HEADER = "Chorus-Signature";
  /** A department name's most characters, as the contract bounds it. */
  private static final int DEPARTMENT_CHARS_MAX = 64;
  private static final BouncyCastleProvider BOUNCY = new BouncyCastleProvider();

  private final SharingService service;
  private final Exchange exchange;
  private final RequesterTrust trust;
  private final Clock clock;
  // Nonce → the time (ms) after which a request signed with it is stale anyway.
  private final Map<String, Long> seen = new LinkedHashMap<>();

  CertificateFetch(SharingService service, Exchange exchange, RequesterTrust trust,
      Clock clock) {
    this.service = service;
    this.exchange = exchange;
    this.trust = trust;
    this.clock = clock;
  }

  /**
   * The bytes the requester signs: lines of the context, chain id, data set, grant (0 for
   * none), the fields asked for joined by commas (empty for the grant's), the time in
   * milliseconds since the epoch and the nonce as 0x-hex, UTF-8.
   */
  static byte[] signedRequest(BigInteger chainId, long dataset, long grant, List<String> fields,
      long signedAtMs, String nonce) {
    return (CONTEXT + "\n" + chainId + "\n" + dataset + "\n" + grant + "\n"
        + String.join(",", fields) + "\n" + signedAtMs + "\n" + nonce.toLowerCase(
            java.util.Locale.ROOT)).getBytes(StandardCharsets.UTF_8);
  }

  /** The signature algorithm of a chain's certificates: SM2 with SM3, or ECDSA P-256. */
  static String signatureAlgorithm(CryptoSuite suite) {
    return suite.name().equals("sm") ? "SM3withSM2" : "SHA256withECDSA";
  }

  /** The envelope a certificate's key is sealed for: the suite's on sm, P-256's on ethereum. */
  static Envelope envelope(CryptoSuite suite) {
    return suite.name().equals("sm") ? suite.envelope() : P256.envelope();
  }

  /** {@code GET .../data/by-certificate}: the granted fields, sealed for the certificate. */
  RestResponse fetch(RestRequest request) {
    long dataset = SharingInput.id(request, "id");
    long grant = request.queryLong("grant", 0, 0, Long.MAX_VALUE);
    List<String> names = SharingInput.names(request.query("fields"));
    List<X509Certificate> chain = certificates(header(request, CERTIFICATE_HEADER, "the user"
        + " certificate then its organisation's CA, each base64 DER, separated by a comma"));
    String signedAtText = header(request, SIGNED_AT_HEADER, "the time the request was signed,"
        + " in milliseconds since 1970-01-01 UTC");
    if (!signedAtText.matches("[0-9]{1,15}")) {
      throw Problem.invalidField(SIGNED_AT_HEADER, "must be milliseconds since 1970-01-01 UTC,"
          + " not '" + SharingInput.abbreviate(signedAtText) + "'");
    }
    long signedAt = Long.parseLong(signedAtText);
    String nonce = header(request, NONCE_HEADER, "0x and " + 2 * NONCE_BYTES + " hex digits,"
        + " random for each request");
    if (!nonce.matches("0x[0-9a-fA-F]{" + 2 * NONCE_BYTES + "}")) {
      throw Problem.invalidField(NONCE_HEADER, "must be 0x and " + 2 * NONCE_BYTES + " hex"
          + " digits (" + NONCE_BYTES + " random bytes), fresh for each request");
    }
    String signatureText = header(request, SIGNATURE_HEADER, "0x-hex of the DER signature by"
        + " the certificate's key over the canonical request");
    if (!signatureText.matches("0x([0-9a-fA-F]{2})+")) {
      throw Problem.invalidField(SIGNATURE_HEADER, "must be 0x-hex of a DER signature");
    }
    CryptoSuite suite = service.context().chain().suite();
    X509Certificate user = chain.getFirst();
    byte[] key = publicKey(user);
    String department = department(user);

    verify(suite, user, signedRequest(service.context().chain().chainId(), dataset, grant,
        names, signedAt, nonce), Hex.decode(signatureText));
    long now = clock.millis();
    if (Math.abs(now - signedAt) > SKEW.toMillis()) {
      throw refused("the request was signed at " + signedAt + " ms, " + (now - signedAt) / 1000
          + " s from this node's clock; requests are accepted within " + SKEW.toSeconds()
          + " s: sign it again now (and check the clock)");
    }
    remember(nonce.toLowerCase(java.util.Locale.ROOT), signedAt + SKEW.toMillis(), now);
    List<X509Certificate> checked;
    try {
      checked = trust.user(chain);
    } catch (CertificateException e) {
      throw refused(e.getMessage());
    }

    byte[] requester = suite.hash(encoded(user));
    Exchange.Requester who = trust.isRevoked(checked)
        ? Exchange.Requester.denied(department, requester, Rule.REVOKED_CERTIFICATE,
            revocation(checked))
        : new Exchange.Requester(department, requester, key, envelope(suite),
            Address.of(suite.address(key)), null, "");
    return exchange.serve(dataset, grant, names, who);
  }

  // Which certificate of a revoked chain is revoked: the user's or its organisation's CA.
  private String revocation(List<X509Certificate> chain) {
    X509Certificate user = chain.getFirst();
    X509Certificate revoked = trust.isRevoked(List.of(user)) ? user : chain.getLast();
    return (revoked == user ? "the certificate of " : "the organisation CA of ")
        + user.getSubjectX500Principal() + " (serial " + revoked.getSerialNumber().toString(16)
        + ") is revoked";
  }

  private static void verify(CryptoSuite suite, X509Certificate user, byte[] message,
      byte[] signature) {
    try {
      Signature verifier = Signature.getInstance(signatureAlgorithm(suite), BOUNCY);
      verifier.initVerify(user.getPublicKey());
      verifier.update(message);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // A key of another algorithm or a signature that is no DER: it does not verify.
    }
    throw refused("the signature does not verify with the key of "
        + user.getSubjectX500Principal() + " over the canonical request (" + CONTEXT + ", chain"
        + " id, data set, grant, fields, signedAt, nonce; " + signatureAlgorithm(suite) + ")");
  }

  private synchronized void remember(String nonce, long staleAt, long now) {
    for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
      if (it.next() >= now) {
        break; // inserted in arrival order, so roughly in order of staleness
      }
      it.remove();
    }
    if (seen.containsKey(nonce)) {
      throw refused("nonce " + nonce + " was used already: a request is accepted once; sign"
          + " a new one with a fresh nonce");
    }
    if (seen.size() >= NONCES_MAX) {
      seen.values().removeIf(staleAfter -> staleAfter < now); // those the first pass left
    }
    if (seen.size() >= NONCES_MAX) {
      throw new Problem(503, "busy", "Too many fetches", NONCES_MAX + " fetches within "
          + SKEW.toSeconds() + " s: try again shortly");
    }
    seen.put(nonce, staleAt);
  }

  private static Problem refused(String detail) {
    return new Problem(401, "certificate-refused", "The certificate or its signature is"
        + " refused", detail);
  }

  private static List<X509Certificate> certificates(String header) {
    List<X509Certificate> chain = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509", BOUNCY);
      for (String part : header.split(",")) {
        chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(
            Base64.getDecoder().decode(part.strip()))));
      }
    } catch (CertificateException | IllegalArgumentException e) {
      throw Problem.invalidField(CERTIFICATE_HEADER, "is not base64 DER X.509 certificates"
          + " separated by commas (" + e.getMessage() + "): send the user certificate then"
          + " its organisation's CA");
    }
    if (chain.size() < 2) {
      throw Problem.invalidField(CERTIFICATE_HEADER, "holds " + chain.size()
          + " certificate: send the user certificate then its organisation's CA, as user.pem"
          + " holds them");
    }
    return chain;
  }

  private static String header(RestRequest request, String name, String what) {
    String value = request.header(name);
    if (value == null || value.isBlank()) {
      throw Problem.invalidField(name, "send the header " + name + ": " + what);
    }
    return value.strip();
  }

  private static byte[] publicKey(X509Certificate user) {
    if (!(user.getPublicKey() instanceof ECPublicKey ec)) {
      throw Problem.invalidField("certificate", "the user certificate's key is "
          + user.getPublicKey().getAlgorithm() + ", not an SM2 or P-256 key");
    }
    return Bytes.concat(BigIntegers.asUnsignedByteArray(32, ec.getW().getAffineX()),
        BigIntegers.asUnsignedByteArray(32, ec.getW().getAffineY()));
  }

  private static String department(X509Certificate user) {
    String name;
    try {
      RDN[] rdns = X500Name.getInstance(user.getSubjectX500Principal().getEncoded())
          .getRDNs(BCStyle.O);
      name = rdns.length == 0 ? "" : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    } catch (IllegalArgumentException e) {
      name = "";
    }
    if (name.isEmpty() || name.length() > DEPARTMENT_CHARS_MAX
        || name.chars().anyMatch(Character::isISOControl)) {
      throw Problem.invalidField("certificate", "the user certificate's organisation (subject"
          + " O) '" + name + "' is not a department name (1 to " + DEPARTMENT_CHARS_MAX
          + " characters): it names the requesting department");
    }
    return name;
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("a parsed certificate encodes", e);
    }
  }
}
