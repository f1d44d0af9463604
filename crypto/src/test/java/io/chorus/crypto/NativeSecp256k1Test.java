package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * libsecp256k1's signatures are BouncyCastle's, and its recovery and verification agree with
 * BouncyCastle's on valid and on arbitrary signatures.
 */
class NativeSecp256k1Test {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();

  @Test
  void theNativeLibraryLoadsOnTheBuildMachine() {
    // CI runs on linux-x86_64, where the binding ships its library: the fast path must be used.
    assertTrue(NativeSecp256k1.AVAILABLE);
  }

  @Property(tries = 300)
  void nativeSignaturesEqualBouncyCastles(@ForAll("digests") byte[] digest,
      @ForAll("keys") byte[] privateKey) {
    // Both derive the nonce by RFC 6979 with HMAC-SHA256, so the signatures are the same bytes.
    BigInteger d = new BigInteger(1, privateKey);
    byte[] publicKey = SUITE.keyPair(privateKey).publicKey();
    assertEquals(Secp256k1.signWithBouncyCastle(digest, d),
        NativeSecp256k1.sign(digest, d, publicKey));
  }

  @Property(tries = 300)
  void validSignaturesRecoverTheSameKey(@ForAll("digests") byte[] digest,
      @ForAll("keys") byte[] privateKey) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature signature = SUITE.sign(digest, keys);
    assertArrayEquals(keys.publicKey(), NativeSecp256k1.recover(digest, signature.r(),
        signature.s(), signature.recoveryId()));
  }

  @Property(tries = 300)
  void arbitrarySignaturesRecoverTheSameKeyOrNoneOnBothSides(@ForAll("digests") byte[] digest,
      @ForAll("scalars") BigInteger r, @ForAll("scalars") BigInteger s,
      @ForAll @IntRange(max = 3) int recoveryId) {
    Signature signature = new Signature(r, s, recoveryId);
    byte[] expected;
    try {
      expected = Secp256k1.recoverWithBouncyCastle(digest, signature);
    } catch (SignatureException e) {
      assertNull(NativeSecp256k1.recover(digest, r, s, recoveryId), "BC found none: "
          + e.getMessage());
      assertThrows(SignatureException.class, () -> SUITE.recoverPublicKey(digest, signature));
      return;
    }
    assertArrayEquals(expected, NativeSecp256k1.recover(digest, r, s, recoveryId));
  }

  @Property(tries = 300)
  void verificationAgreesOnValidHighSAndTamperedSignatures(@ForAll("digests") byte[] digest,
      @ForAll("keys") byte[] privateKey, @ForAll @IntRange(max = 255) int flip) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature low = SUITE.sign(digest, keys);
    Signature high = new Signature(low.r(), Secp256k1.N.subtract(low.s()), low.recoveryId() ^ 1);
    byte[] other = digest.clone();
    other[flip % 32] ^= (byte) (1 + flip / 32);
    for (Signature signature : new Signature[] {low, high}) {
      assertTrue(Secp256k1.verifyWithBouncyCastle(digest, signature, keys.publicKey()));
      assertTrue(SUITE.verify(digest, signature, keys.publicKey()));
      assertFalse(Secp256k1.verifyWithBouncyCastle(other, signature, keys.publicKey()));
      assertFalse(SUITE.verify(other, signature, keys.publicKey()));
    }
  }

  @Property(tries = 300)
  void arbitrarySignaturesVerifyAlikeOnBothSides(@ForAll("digests") byte[] digest,
      @ForAll("keys") byte[] privateKey, @ForAll("scalars") BigInteger r,
      @ForAll("scalars") BigInteger s) {
    byte[] publicKey = SUITE.keyPair(privateKey).publicKey();
    Signature signature = new Signature(r, s, 0);
    assertEquals(Secp256k1.verifyWithBouncyCastle(digest, signature, publicKey),
        SUITE.verify(digest, signature, publicKey));
  }

  @Provide
  Arbitrary<byte[]> digests() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.bigIntegers().between(BigInteger.ONE, Secp256k1.N.subtract(BigInteger.ONE))
        .map(k -> {
          byte[] out = new byte[32];
          byte[] raw = k.toByteArray();
          int n = Math.min(32, raw.length);
          System.arraycopy(raw, raw.length - n, out, 32 - n, n);
          return out;
        });
  }

  @Provide
  Arbitrary<BigInteger> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ONE, Secp256k1.N.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers().between(BigInteger.ONE, BigInteger.valueOf(1000)),
        Arbitraries.bigIntegers().between(Secp256k1.N.subtract(BigInteger.valueOf(1000)),
            Secp256k1.N.subtract(BigInteger.ONE)));
  }
}
