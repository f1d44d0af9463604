package io.chorus.node;

import io.chorus.chain.Blockchain;
import io.chorus.p2p.tls.RevocationSource;
import io.chorus.state.system.Permissions;
import java.security.cert.X509Certificate;

/**
 * The certificate serials the committee revoked by vote ({@code revoke-certificate}
 * proposals), read from the state at the head: once such a proposal takes effect, every member
 * refuses and disconnects the holder, beside what its own {@code tls/revoked.txt} lists.
 */
final class ChainRevocations implements RevocationSource {
  private final Blockchain chain;

  ChainRevocations(Blockchain chain) {
    this.chain = chain;
  }

  @Override
  public boolean isRevoked(X509Certificate certificate) {
    return Permissions.isCertificateRevoked(chain.stateAt(chain.head()),
        certificate.getSerialNumber());
  }

  /** The head's number: a new block may carry a revocation. */
  @Override
  public long version() {
    return chain.head().number();
  }
}
