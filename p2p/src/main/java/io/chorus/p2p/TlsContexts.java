package io.chorus.p2p;

import io.chorus.p2p.tls.ConsortiumTrust;
import io.chorus.p2p.tls.TlsCredentials;
import io.chorus.p2p.tls.TlsKeyAlgorithm;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS of a node's connections, made from its credentials at start and again at each
 * rotation. Both ends present their chain (node, organisation CA) and admit the peer by
 * {@link ConsortiumTrust} during the handshake. Host names are not verified: a peer is
 * authenticated by its certificate and the consensus key in it, not by the name or IP it was
 * dialed at.
 *
 * <p>{@code ethereum} chains (P-256 certificates) use standard TLS 1.3, through BoringSSL
 * where its native library loads and the JDK's provider elsewhere ({@link #STANDARD_PROVIDER});
 * {@code sm} chains (SM2 certificates) use ShangMi TLS 1.3 ({@link SmTls}).
 */
abstract sealed class TlsContexts {
  private static final String TLS_1_3 = "TLSv1.3";
  /** The engine of standard TLS on this machine: the two interoperate. */
  static final SslProvider STANDARD_PROVIDER =
      OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
  static final String HANDLER_NAME = "tls";

  static TlsContexts of(TlsCredentials credentials, ConsortiumTrust trust,
      TlsKeyAlgorithm algorithm) {
    return algorithm == TlsKeyAlgorithm.SM2 ? new ShangMi(new SmTls(credentials, trust))
        : new Standard(credentials, trust);
  }

  abstract ChannelHandler server(Channel ch);

  abstract ChannelHandler client(Channel ch, String host, int port);

  /** The chain the peer presented (leaf first), once its handshake has completed. */
  static List<X509Certificate> peerChain(ChannelPipeline pipeline)
      throws CertificateException {
    ChannelHandler handler = pipeline.get(HANDLER_NAME);
    if (handler instanceof SmTlsHandler sm) {
      return sm.peerChain();
    }
    try {
      Certificate[] chain = ((SslHandler) handler).engine().getSession().getPeerCertificates();
      return Arrays.stream(chain).map(X509Certificate.class::cast).toList();
    } catch (SSLPeerUnverifiedException e) {
      throw new CertificateException("the peer presented no certificate", e);
    }
  }

  /** The negotiated cipher suite's name, e.g. TLS_AES_128_GCM_SHA256 or TLS_SM4_GCM_SM3. */
  static String cipherSuite(ChannelPipeline pipeline) {
    ChannelHandler handler = pipeline.get(HANDLER_NAME);
    return handler instanceof SmTlsHandler ? SmTls.CIPHER_SUITE_NAME
        : ((SslHandler) handler).engine().getSession().getCipherSuite();
  }

  private static final class ShangMi extends TlsContexts {
    private final SmTls tls;

    ShangMi(SmTls tls) {
      this.tls = tls;
    }

    @Override
    ChannelHandler server(Channel ch) {
      return SmTlsHandler.server(tls.server());
    }

    @Override
    ChannelHandler client(Channel ch, String host, int port) {
      return SmTlsHandler.client(tls.client());
    }
  }

  /** TLS 1.3 only, trust decided by {@link ConsortiumTrust}. */
  private static final class Standard extends TlsContexts {
    private final SslContext server;
    private final SslContext client;

    Standard(TlsCredentials credentials, ConsortiumTrust trust) {
      TrustManager trustManager = new TrustManager(trust);
      try {
        server = SslContextBuilder
            .forServer(credentials.nodeKey(), credentials.presentedChain())
            .trustManager(trustManager)
            .clientAuth(ClientAuth.REQUIRE)
            .protocols(TLS_1_3)
            .sslProvider(STANDARD_PROVIDER)
            .build();
        client = SslContextBuilder.forClient()
            .keyManager(credentials.nodeKey(), credentials.presentedChain())
            .trustManager(trustManager)
            .protocols(TLS_1_3)
            .sslProvider(STANDARD_PROVIDER)
            .endpointIdentificationAlgorithm(null)
            .build();
      } catch (SSLException e) {
        throw new IllegalArgumentException("unusable TLS credentials: " + e.getMessage(), e);
      }
    }

    @Override
    ChannelHandler server(Channel ch) {
      return server.newHandler(ch.alloc());
    }

    @Override
    ChannelHandler client(Channel ch, String host, int port) {
      return client.newHandler(ch.alloc(), host, port);
    }
  }

  // Either engine's handshake asks the consortium, for servers and clients alike.
  private static final class TrustManager extends X509ExtendedTrustManager {
    private final ConsortiumTrust trust;

    TrustManager(ConsortiumTrust trust) {
      this.trust = trust;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      trust.check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      trust.check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      trust.check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      trust.check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      trust.check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      trust.check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[] {trust.root()};
    }
  }
}
