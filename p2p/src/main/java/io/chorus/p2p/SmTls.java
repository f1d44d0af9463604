package io.chorus.p2p;

import io.chorus.p2p.tls.ConsortiumTrust;
import io.chorus.p2p.tls.Pem;
import io.chorus.p2p.tls.TlsCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsCredentialedSigner;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsSM2Signer;

/**
 * ShangMi TLS for {@code sm} chains: TLS 1.3 with the RFC 8998 parameters only, cipher suite
 * TLS_SM4_GCM_SM3, signature scheme sm2sig_sm3 and key exchange on curveSM2, on BouncyCastle's
 * TLS protocol engine. BouncyCastle's JSSE provider offers no SM4 suite, and its engine lacks an
 * sm2sig_sm3 verifier, so {@link SmCrypto} adds one; everything else is the library's.
 *
 * <p>Both ends present their certificate chain (node, organisation CA) and check the peer's
 * with {@link ConsortiumTrust} during the handshake, as the JDK path does in its trust manager.
 */
final class SmTls {
  /** The one cipher suite an sm node negotiates, by its IANA name. */
  static final String CIPHER_SUITE_NAME = "TLS_SM4_GCM_SM3";
  // RFC 8998 section 3.2.1: sm2sig_sm3 signs with the default SM2 identifier.
  private static final byte[] SM2_ID = "1234567812345678".getBytes(StandardCharsets.US_ASCII);
  private static final int[] CIPHER_SUITES = {CipherSuite.TLS_SM4_GCM_SM3};
  private static final SignatureAndHashAlgorithm SM2_SM3 =
      SignatureScheme.getSignatureAndHashAlgorithm(SignatureScheme.sm2sig_sm3);

  private final SmCrypto crypto = new SmCrypto(new SecureRandom());
  private final Certificate chain;
  private final ECPrivateKeyParameters key;
  private final ConsortiumTrust trust;

  SmTls(TlsCredentials credentials, ConsortiumTrust trust) {
    this.trust = trust;
    try {
      AsymmetricKeyParameter parsed = PrivateKeyFactory.createKey(
          credentials.nodeKey().getEncoded());
      if (!(parsed instanceof ECPrivateKeyParameters ec)) {
        throw new IllegalArgumentException("an sm node's TLS key must be SM2, not "
            + credentials.nodeKey().getAlgorithm());
      }
      this.key = ec;
      List<X509Certificate> certificates = credentials.presentedChain();
      CertificateEntry[] entries = new CertificateEntry[certificates.size()];
      for (int i = 0; i < entries.length; i++) {
        entries[i] = new CertificateEntry(
            crypto.createCertificate(certificates.get(i).getEncoded()), null);
      }
      this.chain = new Certificate(TlsUtils.EMPTY_BYTES, entries);
    } catch (IOException | CertificateEncodingException e) {
      throw new IllegalArgumentException("unusable SM TLS credentials: " + e.getMessage(), e);
    }
  }

  Client client() {
    return new Client();
  }

  Server server() {
    return new Server();
  }

  /** What both ends learn from a completed handshake. */
  interface Outcome {
    List<X509Certificate> peerChain();

    boolean handshakeComplete();
  }

  private TlsCredentialedSigner signer(TlsContext context) {
    return new DefaultTlsCredentialedSigner(new TlsCryptoParameters(context),
        new BcTlsSM2Signer(crypto, key, SM2_ID), chain, SM2_SM3);
  }

  private List<X509Certificate> verify(Certificate peer) throws IOException {
    if (peer == null || peer.isEmpty()) {
      throw new TlsFatalAlert(AlertDescription.certificate_required, "no peer certificate");
    }
    X509Certificate[] certificates = new X509Certificate[peer.getLength()];
    try {
      for (int i = 0; i < certificates.length; i++) {
        certificates[i] = Pem.decodeCertificate(
            peer.getCertificateAt(i).getEncoded());
      }
      trust.check(certificates);
    } catch (CertificateException e) {
      throw new TlsFatalAlert(AlertDescription.bad_certificate, e.getMessage(), e);
    }
    return List.of(certificates);
  }

  private static Vector<Integer> curveSm2() {
    Vector<Integer> groups = new Vector<>();
    groups.add(NamedGroup.curveSM2);
    return groups;
  }

  private static Vector<SignatureAndHashAlgorithm> sm2Sm3() {
    Vector<SignatureAndHashAlgorithm> algorithms = new Vector<>();
    algorithms.add(SM2_SM3);
    return algorithms;
  }

  final class Client extends DefaultTlsClient implements Outcome {
    private volatile List<X509Certificate> peerChain = List.of();
    private volatile boolean complete;

    private Client() {
      super(crypto);
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return ProtocolVersion.TLSv13.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return CIPHER_SUITES.clone();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    protected Vector getSupportedGroups(Vector namedGroupRoles) {
      return curveSm2();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Vector getEarlyKeyShareGroups() {
      return curveSm2();
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected Vector getSupportedSignatureAlgorithms() {
      return sm2Sm3();
    }

    @Override
    public TlsAuthentication getAuthentication() {
      return new TlsAuthentication() {
        @Override
        public void notifyServerCertificate(TlsServerCertificate serverCertificate)
            throws IOException {
          peerChain = verify(serverCertificate.getCertificate());
        }

        @Override
        public org.bouncycastle.tls.TlsCredentials getClientCredentials(
            CertificateRequest request) {
          return signer(context);
        }
      };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
      super.notifyHandshakeComplete();
      complete = true;
    }

    @Override
    public List<X509Certificate> peerChain() {
      return peerChain;
    }

    @Override
    public boolean handshakeComplete() {
      return complete;
    }
  }

  final class Server extends DefaultTlsServer implements Outcome {
    private volatile List<X509Certificate> peerChain = List.of();
    private volatile boolean complete;

    private Server() {
      super(crypto);
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
      return ProtocolVersion.TLSv13.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
      return CIPHER_SUITES.clone();
    }

    @Override
    public int[] getSupportedGroups() {
      return new int[] {NamedGroup.curveSM2};
    }

    @Override
    public org.bouncycastle.tls.TlsCredentials getCredentials() {
      return signer(context);
    }

    @Override
    public CertificateRequest getCertificateRequest() throws IOException {
      return new CertificateRequest(TlsUtils.EMPTY_BYTES, sm2Sm3(), null, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
      peerChain = verify(clientCertificate);
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
      super.notifyHandshakeComplete();
      complete = true;
    }

    @Override
    public List<X509Certificate> peerChain() {
      return peerChain;
    }

    @Override
    public boolean handshakeComplete() {
      return complete;
    }
  }

  /** BouncyCastle's crypto, with the sm2sig_sm3 CertificateVerify check its engine lacks. */
  private static final class SmCrypto extends BcTlsCrypto {
    SmCrypto(SecureRandom random) {
      super(random);
    }

    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
      return type == CertificateType.X509 ? new SmCertificate(this, encoding)
          : super.createCertificate(type, encoding);
    }
  }

  private static final class SmCertificate extends BcTlsCertificate {
    SmCertificate(BcTlsCrypto crypto, byte[] encoding) throws IOException {
      super(crypto, encoding);
    }

    @Override
    public Tls13Verifier createVerifier(int signatureScheme) throws IOException {
      if (signatureScheme != SignatureScheme.sm2sig_sm3) {
        return super.createVerifier(signatureScheme);
      }
      SM2Signer verifier = new SM2Signer();
      verifier.init(false, new ParametersWithID(getPubKeyEC(), SM2_ID));
      return new Tls13Verifier() {
        @Override
        public OutputStream getOutputStream() {
          return new OutputStream() {
            @Override
            public void write(int b) {
              verifier.update((byte) b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
              verifier.update(bytes, offset, length);
            }
          };
        }

        @Override
        public boolean verifySignature(byte[] signature) {
          return verifier.verifySignature(signature);
        }
      };
    }
  }
}
