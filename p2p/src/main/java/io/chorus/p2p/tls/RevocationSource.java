package io.chorus.p2p.tls;

import java.security.cert.X509Certificate;

/**
 * Which certificates of the consortium are revoked. The peer network asks it at every
 * handshake, for the peer's node certificate and its organisation CA alike, and asks again for
 * every connected peer when {@link #version()} changes: a revoked peer is disconnected.
 *
 * <p>{@link RevocationFile} reads a list from the node's data directory; a governance-fed
 * source (revocations voted on chain) implements the same two methods. Implementations are
 * called from network threads and must be thread-safe and quick.
 */
public interface RevocationSource {
  /** Nothing revoked. */
  RevocationSource NONE = new RevocationSource() {
    @Override
    public boolean isRevoked(X509Certificate certificate) {
      return false;
    }

    @Override
    public long version() {
      return 0;
    }
  };

  boolean isRevoked(X509Certificate certificate);

  /**
   * A number that grows whenever the set of revoked certificates may have changed; the network
   * polls it about once a second.
   */
  long version();

  /** Revoked when either source says so: a node's own list and the chain's, say. */
  static RevocationSource either(RevocationSource first, RevocationSource second) {
    return new RevocationSource() {
      @Override
      public boolean isRevoked(X509Certificate certificate) {
        return first.isRevoked(certificate) || second.isRevoked(certificate);
      }

      @Override
      public long version() {
        return first.version() + second.version(); // both only grow
      }
    };
  }
}
