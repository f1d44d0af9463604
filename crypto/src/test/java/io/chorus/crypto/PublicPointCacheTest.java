package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * The bounded cache of decoded public keys: a repeated key gets the same point object (and with
 * it BouncyCastle's cached table), invalid keys are never cached, and verification stays right
 * after the cache has turned over.
 */
class PublicPointCacheTest {

  @Test
  void repeatedKeysShareOnePointAndStillVerify() {
    CryptoSuite sm = CryptoSuite.sm();
    KeyPair keys = sm.generateKeyPair(new SecureRandom(new byte[] {1}));
    EcDomain domain = SmSuite.SM2.domain();
    assertSame(domain.publicPoint(keys.publicKey()), domain.publicPoint(keys.publicKey().clone()));

    byte[] digest = sm.hash(new byte[] {42});
    Signature signature = sm.sign(digest, keys);
    SecureRandom random = new SecureRandom(new byte[] {2});
    for (int i = 0; i < EcDomain.PUBLIC_POINT_CACHE_MAX + 10; i++) {
      domain.publicPoint(sm.generateKeyPair(random).publicKey());
    }
    assertTrue(sm.verify(digest, signature, keys.publicKey()));
  }

  @Test
  void invalidKeysAreRefusedEveryTime() {
    byte[] offCurve = new byte[64];
    offCurve[63] = 1;
    EcDomain domain = SmSuite.SM2.domain();
    for (int i = 0; i < 2; i++) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> domain.publicPoint(offCurve));
      assertTrue(e.getMessage().contains("not a point"), e.getMessage());
    }
  }
}
