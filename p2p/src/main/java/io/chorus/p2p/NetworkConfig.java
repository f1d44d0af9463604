package io.chorus.p2p;

import io.chorus.crypto.CryptoSuite;
import io.chorus.p2p.tls.CredentialSource;
import io.chorus.p2p.tls.RevocationSource;
import io.chorus.p2p.tls.TlsCredentials;
import java.util.List;
import java.util.Objects;

/**
 * What a node needs to join its chain's peer network.
 *
 * @param host the address to listen on, e.g. 0.0.0.0 for every interface
 * @param port the port to listen on; 0 picks a free one ({@link PeerNetwork#boundPort()})
 * @param staticPeers peers dialed at start and redialed whenever their connection drops;
 *     others may connect to this node if they hold a certificate of the chain CA
 * @param chainId the chain id; peers of another chain are refused
 * @param genesisHash the 32-byte hash of block 0; peers with another genesis are refused
 * @param suite the chain's crypto suite, which turns certified consensus keys into addresses
 * @param credentials the consortium root, this node's certificate chain and TLS key, read again
 *     when their source changes (rotation)
 * @param ioThreads Netty event loop threads: they move bytes and run TLS
 * @param limits every bound; {@link PeerLimits#defaults()} suits a production node
 * @param revocations the certificates no longer admitted, e.g. a
 *     {@link io.chorus.p2p.tls.RevocationFile}
 */
public record NetworkConfig(
    String host,
    int port,
    List<PeerEndpoint> staticPeers,
    long chainId,
    byte[] genesisHash,
    CryptoSuite suite,
    CredentialSource credentials,
    int ioThreads,
    PeerLimits limits,
    RevocationSource revocations) {
  public NetworkConfig {
    Objects.requireNonNull(host, "host");
    staticPeers = List.copyOf(staticPeers);
    Objects.requireNonNull(suite, "suite");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(revocations, "revocations");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, not " + port);
    }
    if (genesisHash.length != Hello.GENESIS_HASH_BYTES) {
      throw new IllegalArgumentException("genesis hash must be 32 bytes, not "
          + genesisHash.length);
    }
    genesisHash = genesisHash.clone();
    if (ioThreads < 1) {
      throw new IllegalArgumentException("ioThreads must be positive, not " + ioThreads);
    }
  }

  /** A config with two I/O threads, the default limits and nothing revoked. */
  public static NetworkConfig of(String host, int port, List<PeerEndpoint> staticPeers,
      long chainId, byte[] genesisHash, CryptoSuite suite, TlsCredentials credentials) {
    return new NetworkConfig(host, port, staticPeers, chainId, genesisHash, suite,
        CredentialSource.fixed(credentials), 2, PeerLimits.defaults(), RevocationSource.NONE);
  }

  @Override
  public byte[] genesisHash() {
    return genesisHash.clone();
  }

  public NetworkConfig withLimits(PeerLimits limits) {
    return new NetworkConfig(host, port, staticPeers, chainId, genesisHash, suite, credentials,
        ioThreads, limits, revocations);
  }

  public NetworkConfig withStaticPeers(List<PeerEndpoint> staticPeers) {
    return new NetworkConfig(host, port, staticPeers, chainId, genesisHash, suite, credentials,
        ioThreads, limits, revocations);
  }

  public NetworkConfig withCredentials(CredentialSource credentials) {
    return new NetworkConfig(host, port, staticPeers, chainId, genesisHash, suite, credentials,
        ioThreads, limits, revocations);
  }

  public NetworkConfig withRevocations(RevocationSource revocations) {
    return new NetworkConfig(host, port, staticPeers, chainId, genesisHash, suite, credentials,
        ioThreads, limits, revocations);
  }

  public NetworkConfig withPort(int port) {
    return new NetworkConfig(host, port, staticPeers, chainId, genesisHash, suite, credentials,
        ioThreads, limits, revocations);
  }
}
