package io.chorus.p2p.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Peer admission: whether a certificate chain presented in a TLS handshake belongs to a node of
 * the consortium. It must be exactly node certificate then organisation CA (the root itself may
 * follow), validate to the consortium root by PKIX (signatures, validity at the clock's now,
 * CA constraints), name the role {@link Role#NODE} and the same organisation as its CA, and
 * neither certificate may be revoked by the {@link RevocationSource}.
 */
public final class ConsortiumTrust {
  private final X509Certificate root;
  private final RevocationSource revocations;
  private final Clock clock;

  public ConsortiumTrust(X509Certificate root, RevocationSource revocations, Clock clock) {
    this.root = Objects.requireNonNull(root, "root");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public X509Certificate root() {
    return root;
  }

  /**
   * Checks a peer's chain, leaf first.
   *
   * @throws CertificateException saying why the peer is not admitted
   */
  public void check(X509Certificate[] presented) throws CertificateException {
    List<X509Certificate> chain = member(List.of(presented), Role.NODE);
    for (X509Certificate certificate : chain) {
      if (revocations.isRevoked(certificate)) {
        throw new CertificateException("the certificate of "
            + certificate.getSubjectX500Principal() + " (serial "
            + certificate.getSerialNumber().toString(16) + ") is revoked");
      }
    }
  }

  /**
   * Checks that a chain, leaf first, is a member's certificate then its organisation's CA (the
   * root may follow), valid to the consortium root by PKIX at the clock's now, for one of
   * {@code roles} and in the same organisation as its CA; revocation is left to the caller
   * ({@link #isRevoked}), which may treat it as its own finding. The peer network checks node
   * chains this way; the sharing service checks its requesters' user chains.
   *
   * @return the chain without the root: the member's certificate, then its organisation's CA
   * @throws CertificateException saying why the chain is not a member's of one of the roles
   */
  public List<X509Certificate> member(List<X509Certificate> presented, Role... roles)
      throws CertificateException {
    List<X509Certificate> chain = new ArrayList<>(presented);
    if (!chain.isEmpty() && chain.getLast().equals(root)) {
      chain.removeLast();
    }
    if (chain.size() != 2) {
      throw new CertificateException("a member presents its certificate and its"
          + " organisation's CA certificate; this one presented " + chain.size()
          + " besides the root");
    }
    validate(chain);
    X509Certificate member = chain.get(0);
    X509Certificate organisation = chain.get(1);
    Role role = Subjects.role(member);
    if (!List.of(roles).contains(role)) {
      throw new CertificateException("the certificate of " + member.getSubjectX500Principal()
          + " is for role " + role.label() + ", not " + String.join(" or ",
              Arrays.stream(roles).map(Role::label).toList()));
    }
    if (!Subjects.organisation(member).equals(Subjects.organisation(organisation))) {
      throw new CertificateException("the certificate of " + member.getSubjectX500Principal()
          + " names another organisation than its CA " + organisation.getSubjectX500Principal());
    }
    return List.copyOf(chain);
  }

  /** Whether a chain that was admitted is revoked now. */
  public boolean isRevoked(List<X509Certificate> chain) {
    return chain.stream().anyMatch(revocations::isRevoked);
  }

  // PKIX from BouncyCastle, which verifies SM3withSM2 as well as ECDSA signatures.
  private void validate(List<X509Certificate> chain) throws CertificateException {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509", Bouncy.PROVIDER);
      CertPath path = factory.generateCertPath(chain);
      PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(clock.instant()));
      CertPathValidator.getInstance("PKIX", Bouncy.PROVIDER).validate(path, parameters);
    } catch (CertPathValidatorException e) {
      throw new CertificateException("the chain of " + chain.get(0).getSubjectX500Principal()
          + " does not lead to the consortium root " + root.getSubjectX500Principal() + ": "
          + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new CertificateException("cannot validate the chain of "
          + chain.get(0).getSubjectX500Principal() + ": " + e.getMessage(), e);
    }
  }
}
