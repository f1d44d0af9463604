package io.chorus.node;

import io.chorus.chain.Blockchain;
import io.chorus.p2p.tls.ConsortiumTrust;
import io.chorus.p2p.tls.RevocationFile;
import io.chorus.p2p.tls.RevocationSource;
import io.chorus.p2p.tls.Role;
import io.chorus.p2p.tls.TlsDirectory;
import io.chorus.sharing.RequesterTrust;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;

/**
 * The sharing service's check of a requester's user certificate, with the peer network's own
 * rules ({@link ConsortiumTrust#member}): the consortium root this node's TLS files carry, role
 * {@code user}, and as revoked what this node's {@code tls/revoked.txt} lists or the committee
 * revoked by vote ({@link ChainRevocations}), the same two sources its peers are refused by.
 */
final class ConsortiumRequesters implements RequesterTrust {
  private final TlsDirectory tls;
  private final RevocationSource revocations;
  private final Clock clock;

  ConsortiumRequesters(TlsDirectory tls, Path revokedFile, Blockchain chain, Clock clock) {
    this.tls = tls;
    this.revocations = RevocationSource.either(new RevocationFile(revokedFile),
        new ChainRevocations(chain));
    this.clock = clock;
  }

  @Override
  public List<X509Certificate> user(List<X509Certificate> presented)
      throws CertificateException {
    // The root as the TLS files hold it now: a rotation keeps it, so this reads the live one.
    return new ConsortiumTrust(tls.current().caCertificate(), revocations, clock)
        .member(presented, Role.USER);
  }

  @Override
  public boolean isRevoked(List<X509Certificate> chain) {
    revocations.version(); // the file is read again when it changed
    return chain.stream().anyMatch(revocations::isRevoked);
  }
}
