package io.chorus.sharing;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The consortium PKI as the provider's node checks a requester's user certificate: the node
 * wires the peer network's own check ({@code p2p.tls.ConsortiumTrust}, the root it trusts, its
 * {@code tls/revoked.txt} and the serials revoked by vote) behind these two methods, so the
 * sharing module needs no network code and there is one PKIX check in the code base.
 */
public interface RequesterTrust {
  /** A node with no consortium root (a dev node): no certificate can be checked. */
  RequesterTrust NONE = new RequesterTrust() {
    @Override
    public List<X509Certificate> user(List<X509Certificate> presented)
        throws CertificateException {
      throw new CertificateException("this node trusts no consortium root (it runs without"
          + " TLS credentials), so it cannot check a certificate: fetch with an API token and"
          + " the account's key, or from a node of the consortium");
    }

    @Override
    public boolean isRevoked(List<X509Certificate> chain) {
      return false;
    }
  };

  /**
   * Checks that {@code presented} (user certificate first, then its organisation's CA) is a
   * consortium user's chain valid now: PKIX to the root, a role a requester may have, the
   * organisation of its CA. Revocation is not checked here: a revoked certificate's attempt is
   * recorded ({@code 0xc5}), an invalid chain's is not.
   *
   * @return the chain checked, without the root
   * @throws CertificateException saying why the chain is not a consortium user's
   */
  List<X509Certificate> user(List<X509Certificate> presented) throws CertificateException;

  /** Whether a certificate of a checked chain is revoked now (the node's list or the chain's). */
  boolean isRevoked(List<X509Certificate> chain);
}
