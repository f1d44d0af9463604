/**
 * The node-to-node transport of a Chorus chain: validators and full nodes connected by mutual
 * TLS 1.3 (ShangMi TLS on {@code sm} chains) under the consortium's PKI, exchanging typed opaque
 * messages for the layers above.
 *
 * <ul>
 *   <li>{@link io.chorus.p2p.PeerNetwork}: listen, dial static peers, send, broadcast, close.
 *   <li>{@link io.chorus.p2p.PeerListener}: messages and peer events, on one delivery thread.
 *   <li>{@link io.chorus.p2p.NetworkConfig} and {@link io.chorus.p2p.PeerLimits}: what to
 *       connect to, and every bound.
 *   <li>{@link io.chorus.p2p.NetworkCounters}: drops and refusals, for Prometheus.
 *   <li>{@link io.chorus.p2p.tls}: the consortium PKI (root, organisation CAs, node and user
 *       certificates), admission, revocation and rotation sources, PEM.
 * </ul>
 *
 * <p>Wiring in a node:
 *
 * <pre>{@code
 * TlsDirectory tls = new TlsDirectory(tlsDir);           // ca.pem, node.pem, node-tls.key
 * NetworkConfig config = NetworkConfig.of("0.0.0.0", 30303,
 *     List.of(PeerEndpoint.parse("10.0.0.2:30303"), PeerEndpoint.parse("10.0.0.3:30303")),
 *     genesis.chainId(), genesisHash, suite, tls.current())
 *     .withCredentials(tls)                                  // rotation without a restart
 *     .withRevocations(new RevocationFile(tlsDir.resolve(RevocationFile.FILE_NAME)));
 * PeerNetwork network = PeerNetwork.start(config, new PeerListener() {
 *   public void onMessage(ByteKey peer, int type, byte[] payload) {
 *     consensusDriver.enqueue(peer, type, payload);            // hand off; do not block
 *   }
 * });
 * network.broadcast(MessageTypes.PROPOSAL, proposal.encode());
 * network.send(validator, MessageTypes.SYNC_REQUEST, request.encode());
 * network.counters().snapshot().forEach((c, v) -> registry.counter(c.metricName()) ...);
 * network.close();                                             // on shutdown
 * }</pre>
 */
package io.chorus.p2p;
