package io.chorus.p2p;

import io.chorus.p2p.tls.TlsCredentials;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;

/**
 * The node's two TLS contexts, both TLS 1.3 only, JDK provider, trusting the chain CA alone and
 * presenting the node's certificate. The server requires a client certificate. Host names are
 * not verified: a peer is authenticated by its CA-issued certificate and the consensus key in
 * it, not by the name or IP it was dialed at.
 */
record TlsContexts(SslContext server, SslContext client) {
  private static final String TLS_1_3 = "TLSv1.3";

  static TlsContexts of(TlsCredentials credentials) {
    try {
      SslContext server = SslContextBuilder
          .forServer(credentials.nodeKey(), credentials.nodeCertificate())
          .trustManager(credentials.caCertificate())
          .clientAuth(ClientAuth.REQUIRE)
          .protocols(TLS_1_3)
          .sslProvider(SslProvider.JDK)
          .build();
      SslContext client = SslContextBuilder.forClient()
          .keyManager(credentials.nodeKey(), credentials.nodeCertificate())
          .trustManager(credentials.caCertificate())
          .protocols(TLS_1_3)
          .sslProvider(SslProvider.JDK)
          .endpointIdentificationAlgorithm(null)
          .build();
      return new TlsContexts(server, client);
    } catch (SSLException e) {
      throw new IllegalArgumentException("unusable TLS credentials: " + e.getMessage(), e);
    }
  }
}
