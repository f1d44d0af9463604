/**
 * The chain's public-key infrastructure for the peer network.
 *
 * <p>Files, as {@code chorus init} writes them (PEM; keys unencrypted PKCS#8, owner-only):
 *
 * <pre>
 * ca.pem         the chain CA certificate (self-signed, P-256); every node holds it
 * ca.key         the CA's private key; only where certificates are issued, best kept offline
 * node.pem       this node's certificate: CN = node name, O = organisation, and the
 *                consensus key extension (OID 2.25.11199979415153898646705926654455759754)
 * node-tls.key   this node's TLS private key (P-256), distinct from its consensus key
 * </pre>
 *
 * <p>{@link io.chorus.p2p.tls.ChainCa} creates the CA and issues node certificates;
 * {@link io.chorus.p2p.tls.TlsCredentials} is what a node loads to join;
 * {@link io.chorus.p2p.tls.ConsensusKeyExtension} reads the consensus key a certificate binds.
 */
package io.chorus.p2p.tls;
