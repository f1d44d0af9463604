package io.chorus.p2p.tls;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * How long a certificate stays valid, as {@code chorus status} and {@code /metrics} show it for
 * a node's own certificate, its organisation's CA and the consortium root.
 *
 * @param holder the certificate's subject, e.g. {@code CN=node0,OU=node,O=org0}
 * @param serial its serial number in hex, as a revocation list names it
 * @param notAfter the end of its validity, ISO-8601 in UTC
 * @param daysToExpiry whole days left at the time asked; negative once expired
 */
public record CertificateExpiry(String holder, String serial, String notAfter,
    long daysToExpiry) {

  public static CertificateExpiry of(X509Certificate certificate, Instant now) {
    Instant notAfter = certificate.getNotAfter().toInstant();
    return new CertificateExpiry(certificate.getSubjectX500Principal().getName(),
        certificate.getSerialNumber().toString(16), notAfter.toString(),
        Math.floorDiv(Duration.between(now, notAfter).toSeconds(), 86_400));
  }

  /** The expiries of a node's certificate chain. */
  public record Chain(CertificateExpiry node, CertificateExpiry organisation,
      CertificateExpiry root) {}

  /** The node's, its organisation CA's and the root's expiry. */
  public static Chain of(TlsCredentials credentials, Instant now) {
    return new Chain(of(credentials.nodeCertificate(), now),
        of(credentials.organisationCertificate(), now), of(credentials.caCertificate(), now));
  }
}
