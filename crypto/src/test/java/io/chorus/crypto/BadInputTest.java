package io.chorus.crypto;

import static io.chorus.crypto.EthereumSuiteTest.scalar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.chorus.codec.Hex;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Malformed keys, digests and signatures throw typed exceptions naming the field. */
class BadInputTest {
  private static final CryptoSuite ETHEREUM = CryptoSuite.ethereum();
  private static final BigInteger SM2_N = SmSuite.SM2.domain().n();

  // Each suite with its curve's name, its order n and its largest private key as messages say it.
  static Stream<Arguments> suites() {
    return Stream.of(
        Arguments.of(ETHEREUM, "secp256k1", Secp256k1.N, "n-1"),
        Arguments.of(CryptoSuite.sm(), "sm2p256v1", SM2_N, "n-2"));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void privateKeysMustBe32Bytes(CryptoSuite suite) {
    assertRejected(IllegalArgumentException.class, () -> suite.keyPair(new byte[31]),
        "private key must be 32 bytes, got 31");
    assertRejected(IllegalArgumentException.class, () -> suite.keyPair(new byte[33]),
        "private key must be 32 bytes, got 33");
  }

  @ParameterizedTest
  @MethodSource("suites")
  void privateKeysMustBeInRange(CryptoSuite suite, String curve, BigInteger n, String max) {
    assertRejected(IllegalArgumentException.class, () -> suite.keyPair(new byte[32]),
        "private key must be in [1, " + max + "] for " + curve + ", got 0");
    assertRejected(IllegalArgumentException.class, () -> suite.keyPair(scalar(n)),
        "private key must be in [1, " + max + "] for " + curve + ", got a larger value");
    assertRejected(IllegalArgumentException.class, () -> suite.keyPair(Hex.decode("ff".repeat(32))),
        "private key must be in [1, " + max + "] for " + curve + ", got a larger value");
  }

  @Test
  void sm2RejectsNMinusOneBecauseOnePlusDMustBeInvertible() {
    assertRejected(IllegalArgumentException.class,
        () -> CryptoSuite.sm().keyPair(scalar(SM2_N.subtract(BigInteger.ONE))),
        "private key must be in [1, n-2] for sm2p256v1, got a larger value");
    CryptoSuite.sm().keyPair(scalar(SM2_N.subtract(BigInteger.TWO)));
    ETHEREUM.keyPair(scalar(Secp256k1.N.subtract(BigInteger.ONE)));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void digestsMustBe32Bytes(CryptoSuite suite) {
    KeyPair keys = suite.keyPair(scalar(BigInteger.TWO));
    Signature signature = suite.sign(new byte[32], keys);
    String message = "digest must be 32 bytes, got 33";
    assertRejected(IllegalArgumentException.class, () -> suite.sign(new byte[33], keys), message);
    assertRejected(IllegalArgumentException.class,
        () -> suite.verify(new byte[33], signature, keys.publicKey()), message);
    if (suite.supportsRecovery()) {
      assertRejected(IllegalArgumentException.class,
          () -> suite.recoverPublicKey(new byte[33], signature), message);
    }
  }

  @ParameterizedTest
  @MethodSource("suites")
  void rAndSMustBeInOneToNMinusOne(CryptoSuite suite, String curve, BigInteger n) {
    KeyPair keys = suite.keyPair(scalar(BigInteger.TWO));
    BigInteger one = BigInteger.ONE;
    for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, n, n.add(one)}) {
      String got = ", got 0x" + bad.toString(16);
      assertRejected(SignatureException.class,
          () -> suite.verify(new byte[32], new Signature(bad, one, 0), keys.publicKey()),
          "signature r must be in [1, n-1] for " + curve + got);
      assertRejected(SignatureException.class,
          () -> suite.verify(new byte[32], new Signature(one, bad, 0), keys.publicKey()),
          "signature s must be in [1, n-1] for " + curve + got);
      if (suite.supportsRecovery()) {
        assertRejected(SignatureException.class,
            () -> suite.recoverPublicKey(new byte[32], new Signature(bad, one, 0)),
            "signature r must be in [1, n-1] for " + curve + got);
        assertRejected(SignatureException.class,
            () -> suite.recoverPublicKey(new byte[32], new Signature(one, bad, 1)),
            "signature s must be in [1, n-1] for " + curve + got);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("suites")
  void publicKeysMustBe64BytesOnTheCurve(CryptoSuite suite, String curve) {
    KeyPair keys = suite.keyPair(scalar(BigInteger.TWO));
    Signature signature = suite.sign(new byte[32], keys);
    assertRejected(IllegalArgumentException.class,
        () -> suite.verify(new byte[32], signature, new byte[65]),
        "public key must be 64 bytes, got 65");
    byte[] offCurve = keys.publicKey().clone();
    offCurve[63] ^= 1;
    assertRejected(IllegalArgumentException.class,
        () -> suite.verify(new byte[32], signature, offCurve),
        "public key is not a point on " + curve);
    byte[] aboveP = Hex.decode("ff".repeat(64));
    assertRejected(IllegalArgumentException.class,
        () -> suite.verify(new byte[32], signature, aboveP),
        "public key is not a point on " + curve);
  }

  @Test
  void recoveryRejectsRThatIsNoPointsX() {
    // 5³ + 7 is not a square mod p.
    assertRejected(SignatureException.class,
        () -> ETHEREUM.recoverPublicKey(new byte[32], new Signature(BigInteger.valueOf(5),
            BigInteger.ONE, 0)),
        "signature r (recovery id 0) is not the x of a secp256k1 point");
  }

  @Test
  void recoveryRejectsRPlusNAtOrAboveP() {
    BigInteger r = BigInteger.TWO.pow(129); // p - n is just under 2^129
    assertRejected(SignatureException.class,
        () -> ETHEREUM.recoverPublicKey(new byte[32], new Signature(r, BigInteger.ONE, 2)),
        "signature r + n is not below the field prime p, so recovery id 2 names no point");
  }

  @Test
  void recoveryRejectsThePointAtInfinity() {
    // With R = G (r = G.x, even y) and s = e, Q = r⁻¹(sG − eG) is the point at infinity.
    BigInteger gx =
        new BigInteger("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", 16);
    BigInteger e = BigInteger.valueOf(5);
    assertRejected(SignatureException.class,
        () -> ETHEREUM.recoverPublicKey(scalar(e), new Signature(gx, e, 0)),
        "signature recovers the point at infinity, not a public key");
  }

  @Test
  void signatureValuesCannotBeNegativeNorTheRecoveryIdAbove3() {
    assertRejected(IllegalArgumentException.class,
        () -> new Signature(BigInteger.ONE.negate(), BigInteger.ONE, 0),
        "signature values must be non-negative");
    assertRejected(IllegalArgumentException.class,
        () -> new Signature(BigInteger.ONE, BigInteger.ONE, 4), "recovery id must be 0..3, got 4");
  }

  @Test
  void sm2UserIdsMustFitEntl() {
    KeyPair keys = CryptoSuite.sm().keyPair(scalar(BigInteger.TWO));
    SmSuite.INSTANCE.sign(new byte[1], new byte[8191], keys);
    assertRejected(IllegalArgumentException.class,
        () -> SmSuite.INSTANCE.sign(new byte[1], new byte[8192], keys),
        "SM2 user id must be at most 8191 bytes, got 8192");
  }

  private static void assertRejected(
      Class<? extends IllegalArgumentException> type, Executable call, String message) {
    assertEquals(message, assertThrows(type, call).getMessage());
  }
}
