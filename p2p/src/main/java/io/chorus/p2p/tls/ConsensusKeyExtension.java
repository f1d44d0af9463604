package io.chorus.p2p.tls;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * The X.509 extension by which an organisation's CA binds a node's TLS certificate to its
 * consensus key, so that a peer's chain address is proven by the CA's signature rather than
 * claimed in a handshake message. A user certificate may carry it too, binding the chain account
 * its holder signs with to the certificate's organisation and role.
 *
 * <p>OID {@value #OID}: an arc under {@code 2.25} (ITU-T X.667), where a random UUID
 * ({@code 086d099e-65f8-4d72-b19c-5c06b8e8c38a}) is an OID of its own without registration.
 * The extension is non-critical, so that generic X.509 validators (the JDK's among them) accept
 * the certificate; Chorus itself refuses a peer whose certificate lacks it. Its value:
 *
 * <pre>
 * ChorusConsensusKey ::= SEQUENCE {
 *   suite      UTF8String,    -- "ethereum" (secp256k1) or "sm" (SM2)
 *   publicKey  OCTET STRING   -- 64 bytes, x || y, no 0x04 prefix
 * }
 * </pre>
 */
public final class ConsensusKeyExtension {
  /** The extension's object identifier. */
  public static final String OID = "2.25.11199979415153898646705926654455759754";
  // Suite names are short words; a longer one in a certificate is malformed.
  private static final int SUITE_NAME_CHARS_MAX = 32;

  static final ASN1ObjectIdentifier IDENTIFIER = new ASN1ObjectIdentifier(OID);

  private ConsensusKeyExtension() {}

  /** The DER value of the extension for an identity. */
  static ASN1Encodable encode(ConsensusIdentity identity) {
    return new DERSequence(new ASN1Encodable[] {
        new DERUTF8String(identity.suite()), new DEROctetString(identity.publicKey())});
  }

  /**
   * The consensus identity a certificate binds.
   *
   * @throws CertificateException when the extension is missing or malformed: such a certificate
   *     identifies no chain node
   */
  public static ConsensusIdentity read(X509Certificate certificate) throws CertificateException {
    byte[] wrapped = certificate.getExtensionValue(OID);
    if (wrapped == null) {
      throw new CertificateException("the certificate of " + certificate.getSubjectX500Principal()
          + " carries no consensus key (extension " + OID + ")");
    }
    try {
      byte[] value = ASN1OctetString.getInstance(wrapped).getOctets();
      ASN1Sequence sequence = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(value));
      if (sequence.size() != 2) {
        throw new CertificateException("the consensus key extension has " + sequence.size()
            + " fields, not 2");
      }
      String suite = ASN1UTF8String.getInstance(sequence.getObjectAt(0)).getString();
      byte[] key = ASN1OctetString.getInstance(sequence.getObjectAt(1)).getOctets();
      if (suite.length() > SUITE_NAME_CHARS_MAX) {
        throw new CertificateException("the consensus key extension names a suite of "
            + suite.length() + " characters");
      }
      return new ConsensusIdentity(suite, key);
    } catch (IOException | IllegalArgumentException e) {
      throw new CertificateException("malformed consensus key extension: " + e.getMessage(), e);
    }
  }
}
