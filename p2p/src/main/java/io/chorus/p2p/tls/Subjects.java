package io.chorus.p2p.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Reads the consortium's attributes from a certificate's subject: CN, O and the role (OU). */
public final class Subjects {
  private Subjects() {}

  public static String commonName(X509Certificate certificate) {
    return attribute(certificate, BCStyle.CN);
  }

  public static String organisation(X509Certificate certificate) {
    return attribute(certificate, BCStyle.O);
  }

  /**
   * The holder's role.
   *
   * @throws CertificateException when the certificate names no known role
   */
  public static Role role(X509Certificate certificate) throws CertificateException {
    String label = attribute(certificate, BCStyle.OU);
    if (label.isEmpty()) {
      throw new CertificateException("the certificate of "
          + certificate.getSubjectX500Principal() + " names no role (subject OU)");
    }
    try {
      return Role.of(label);
    } catch (IllegalArgumentException e) {
      throw new CertificateException("the certificate of "
          + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
    }
  }

  // The attribute's value, or "" when the subject has none.
  private static String attribute(X509Certificate certificate, ASN1ObjectIdentifier type) {
    RDN[] rdns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded())
        .getRDNs(type);
    return rdns.length == 0 ? "" : IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }
}
