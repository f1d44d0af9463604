package io.chorus.p2p.tls;

import java.util.Objects;

/**
 * Where a node's TLS credentials come from, so that they can be rotated without a restart: the
 * peer network polls {@link #version()} about once a second and, when it changed, presents
 * {@link #current()} in every handshake from then on. {@link TlsDirectory} watches the node's
 * TLS files. Implementations are called from network threads and must be thread-safe.
 */
public interface CredentialSource {
  /** The credentials to present now. */
  TlsCredentials current();

  /** A number that changes whenever {@link #current()} may have changed. */
  long version();

  /** Credentials that never change. */
  static CredentialSource fixed(TlsCredentials credentials) {
    Objects.requireNonNull(credentials, "credentials");
    return new CredentialSource() {
      @Override
      public TlsCredentials current() {
        return credentials;
      }

      @Override
      public long version() {
        return 0;
      }
    };
  }
}
