package io.chorus.node;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.network.NetworkMember;
import io.chorus.p2p.tls.ConsensusIdentity;
import io.chorus.p2p.tls.ConsensusKeyExtension;
import io.chorus.p2p.tls.Subjects;
import io.chorus.p2p.tls.TlsDirectory;
import io.chorus.trace.ConsortiumDirectory;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The consortium as a network member knows it, for the EPCIS service's visibility: this node's
 * organisation from its node certificate and its consensus key pair, and, of each connected
 * peer, the organisation and consensus key its TLS node certificate binds (checked by the
 * handshake against the consortium root, so a peer cannot claim another organisation). Only
 * peers connected now count: a revoked peer is disconnected, so nothing is sealed for it.
 */
final class MemberOrganisations implements ConsortiumDirectory {
  private final TlsDirectory tls;
  private final KeyPair keys;
  private final CryptoSuite suite;
  // Set once the member is built, after the services that read this directory.
  private volatile NetworkMember member;

  MemberOrganisations(TlsDirectory tls, KeyPair keys, CryptoSuite suite) {
    this.tls = tls;
    this.keys = keys;
    this.suite = suite;
  }

  void attach(NetworkMember started) {
    this.member = started;
  }

  @Override
  public Optional<String> organisation() {
    String name = Subjects.organisation(tls.current().nodeCertificate());
    return name.isEmpty() ? Optional.empty() : Optional.of(name);
  }

  @Override
  public Optional<KeyPair> nodeKeyPair() {
    return organisation().map(name -> keys);
  }

  @Override
  public List<byte[]> nodePublicKeys(String organisation) {
    List<byte[]> out = new ArrayList<>();
    if (organisation().filter(organisation::equals).isPresent()) {
      out.add(keys.publicKey());
    }
    NetworkMember started = member;
    if (started == null) {
      return out;
    }
    for (ByteKey peer : started.connectedPeers()) {
      List<X509Certificate> chain = started.peer(peer).certificates();
      if (chain.isEmpty() || !Subjects.organisation(chain.getFirst()).equals(organisation)) {
        continue;
      }
      try {
        ConsensusIdentity identity = ConsensusKeyExtension.read(chain.getFirst());
        if (identity.suite().equals(suite.name())) {
          out.add(identity.publicKey());
        }
      } catch (CertificateException e) {
        // Admission refuses such a peer; one that slipped through is no recipient.
      }
    }
    return out;
  }
}
