package io.chorus.p2p.tls;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The BouncyCastle provider, passed by reference where SM2 keys, SM3withSM2 signatures and
 * certificates need it, never installed JVM-wide: the JDK's own providers keep serving
 * everything else.
 */
final class Bouncy {
  static final Provider PROVIDER = new BouncyCastleProvider();

  private Bouncy() {}
}
