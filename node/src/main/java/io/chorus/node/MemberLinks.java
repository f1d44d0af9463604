package io.chorus.node;

import io.chorus.codec.ByteKey;
import io.chorus.evm.Address;
import io.chorus.network.NetworkMember;
import io.chorus.p2p.tls.Subjects;
import io.chorus.p2p.tls.TlsDirectory;
import io.chorus.rpc.eth.PeerLinks;
import java.security.cert.X509Certificate;

/**
 * What a network member sees of the validators, for {@code chorus_validatorHealth}: sessions
 * and announced heads from the member, names and expiry from the certificates of the TLS
 * handshake (this node's own from its TLS directory, which follows a rotation).
 */
final class MemberLinks implements PeerLinks {
  private final NetworkMember member;
  private final TlsDirectory tls;

  MemberLinks(NetworkMember member, TlsDirectory tls) {
    this.member = member;
    this.tls = tls;
  }

  @Override
  public Address self() {
    return Address.of(member.address().bytes());
  }

  @Override
  public boolean networked() {
    return true;
  }

  @Override
  public Identity identity() {
    return identity(tls.current().nodeCertificate());
  }

  @Override
  public Link link(Address validator) {
    NetworkMember.PeerLink peer = member.peer(new ByteKey(validator.toArray()));
    return new Link(peer.connected(), peer.head(),
        peer.certificates().isEmpty() ? null : identity(peer.certificates().getFirst()));
  }

  private static Identity identity(X509Certificate certificate) {
    return new Identity(orNull(Subjects.organisation(certificate)),
        orNull(Subjects.commonName(certificate)), certificate.getNotAfter().toInstant());
  }

  private static String orNull(String attribute) {
    return attribute.isEmpty() ? null : attribute;
  }
}
