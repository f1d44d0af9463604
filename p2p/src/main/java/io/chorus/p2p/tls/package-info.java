/**
 * The consortium's public-key infrastructure for the peer network: a root, one CA per member
 * organisation, node and user certificates; admission, revocation and rotation.
 *
 * <p>Files (PEM; keys unencrypted PKCS#8, owner-only), SM2 keys for {@code sm} chains and P-256
 * for {@code ethereum} chains. A CA's directory ({@code chorus ca}, or {@code ca/} and
 * {@code ca/orgI/} as {@code chorus init} writes them):
 *
 * <pre>
 * ca.pem         the CA's certificate (the root's is self-signed)
 * ca.key         its private key; only where certificates are issued, best kept offline
 * </pre>
 *
 * A node's TLS directory:
 *
 * <pre>
 * ca.pem         the consortium root: the only trust anchor
 * node.pem       this node's certificate (CN node name, OU node, O organisation, and the
 *                consensus key extension, OID 2.25.11199979415153898646705926654455759754),
 *                then its organisation CA's
 * node-tls.key   this node's TLS private key, distinct from its consensus key
 * revoked.txt    optional: serial numbers of revoked certificates, one a line in hex
 * </pre>
 *
 * <p>{@link io.chorus.p2p.tls.ChainCa} creates CAs and issues certificates;
 * {@link io.chorus.p2p.tls.TlsCredentials} is what a node loads to join, from a
 * {@link io.chorus.p2p.tls.CredentialSource} such as the watched
 * {@link io.chorus.p2p.tls.TlsDirectory}; {@link io.chorus.p2p.tls.ConsortiumTrust} admits
 * peers, asking a {@link io.chorus.p2p.tls.RevocationSource} such as the watched
 * {@link io.chorus.p2p.tls.RevocationFile}.
 */
package io.chorus.p2p.tls;
