package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.asn1.sec.SECNamedCurves;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.DSAKCalculator;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;

/** secp256k1 sign/verify/recover agree with BC's ECDSASigner and break on any bit flip. */
class EthereumSuitePropertiesTest {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final BigInteger N = Secp256k1.N;
  // The oracle's curve is SECNamedCurves' generic one: none of the custom field code under test.
  private static final ECDomainParameters ORACLE_CURVE =
      new ECDomainParameters(SECNamedCurves.getByName("secp256k1"));

  @Provide
  static Arbitrary<byte[]> privateKeys() {
    return scalars().map(EthereumSuiteTest::scalar);
  }

  @Provide
  static Arbitrary<BigInteger> scalars() {
    return Arbitraries.bigIntegers().between(BigInteger.ONE, N.subtract(BigInteger.ONE));
  }

  @Provide
  static Arbitrary<byte[]> digests() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }

  @Property(tries = 300)
  void signaturesVerifyAndAreLowS(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature signature = SUITE.sign(digest, keys);
    assertTrue(SUITE.verify(digest, signature, keys.publicKey()));
    assertTrue(signature.s().compareTo(Secp256k1.HALF_N) <= 0, "high s");
    assertTrue(signature.recoveryId() <= 1, "R.x >= n should be out of reach");
  }

  @Property(tries = 300)
  void recoveryReturnsTheSignersKey(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest) {
    KeyPair keys = SUITE.keyPair(privateKey);
    assertArrayEquals(keys.publicKey(),
        SUITE.recoverPublicKey(digest, SUITE.sign(digest, keys)));
  }

  @Property(tries = 200)
  void signaturesAreTheOraclesRfc6979SignaturesWithLowS(
      @ForAll("scalars") BigInteger d, @ForAll("digests") byte[] digest) {
    BigInteger[] expected =
        oracleSign(d, digest, new HMacDSAKCalculator(new SHA256Digest()));
    Signature signature = SUITE.sign(digest, SUITE.keyPair(EthereumSuiteTest.scalar(d)));
    assertEquals(expected[0], signature.r());
    assertEquals(expected[1].min(N.subtract(expected[1])), signature.s());
  }

  @Property(tries = 200)
  void theOracleVerifiesOurSignatures(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature signature = SUITE.sign(digest, keys);
    assertTrue(oracleVerify(digest, signature.r(), signature.s(), keys.publicKey()));
  }

  @Property(tries = 200)
  void weVerifyAndRecoverTheOraclesSignaturesForAnyNonce(
      @ForAll("scalars") BigInteger d, @ForAll("scalars") BigInteger k,
      @ForAll("digests") byte[] digest) {
    BigInteger[] rs = oracleSign(d, digest, new FixedNonce(k));
    byte[] publicKey = SUITE.keyPair(EthereumSuiteTest.scalar(d)).publicKey();
    // The oracle does not normalise s: high-s signatures must verify and recover too.
    assertTrue(SUITE.verify(digest, new Signature(rs[0], rs[1], 0), publicKey));
    assertTrue(recovers(digest, new Signature(rs[0], rs[1], 0), publicKey)
        || recovers(digest, new Signature(rs[0], rs[1], 1), publicKey));
  }

  @Property(tries = 200)
  void anyRecoveredKeyVerifiesUnderTheOracle(
      @ForAll("scalars") BigInteger r, @ForAll("scalars") BigInteger s,
      @ForAll("digests") byte[] digest, @ForAll @IntRange(max = 1) int recoveryId) {
    Signature signature = new Signature(r, s, recoveryId);
    byte[] publicKey;
    try {
      publicKey = SUITE.recoverPublicKey(digest, signature);
    } catch (SignatureException e) {
      // Only when r is no point's x: the oracle's curve must refuse it too.
      byte[] compressed = Arrays.copyOf(new byte[] {2}, 33);
      System.arraycopy(EthereumSuiteTest.scalar(r), 0, compressed, 1, 32);
      assertThrows(IllegalArgumentException.class,
          () -> ORACLE_CURVE.getCurve().decodePoint(compressed));
      return;
    }
    assertTrue(oracleVerify(digest, r, s, publicKey));
  }

  @Property(tries = 300)
  void flippingADigestBitBreaksTheSignature(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest,
      @ForAll @IntRange(max = 255) int bit) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature signature = SUITE.sign(digest, keys);
    byte[] flipped = flip(digest, bit);
    assertFalse(SUITE.verify(flipped, signature, keys.publicKey()));
    assertFalse(recovers(flipped, signature, keys.publicKey()));
  }

  @Property(tries = 300)
  void flippingABitOfROrSBreaksTheSignature(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest,
      @ForAll @IntRange(max = 255) int bit, @ForAll boolean flipR) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature s = SUITE.sign(digest, keys);
    Signature flipped = flipR
        ? new Signature(s.r().flipBit(bit), s.s(), s.recoveryId())
        : new Signature(s.r(), s.s().flipBit(bit), s.recoveryId());
    assertFalse(verifies(digest, flipped, keys.publicKey()));
    assertFalse(recovers(digest, flipped, keys.publicKey()));
  }

  @Property(tries = 300)
  void flippingAPublicKeyBitBreaksTheSignature(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest,
      @ForAll @IntRange(max = 511) int bit) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature signature = SUITE.sign(digest, keys);
    byte[] flipped = flip(keys.publicKey(), bit);
    boolean valid;
    try {
      valid = SUITE.verify(digest, signature, flipped);
    } catch (IllegalArgumentException e) {
      assertEquals("public key is not a point on secp256k1", e.getMessage());
      valid = false;
    }
    assertFalse(valid);
  }

  @Property(tries = 100)
  void theOtherRecoveryIdRecoversAnotherKey(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature s = SUITE.sign(digest, keys);
    Signature other = new Signature(s.r(), s.s(), s.recoveryId() ^ 1);
    assertFalse(recovers(digest, other, keys.publicKey()));
  }

  static byte[] flip(byte[] bytes, int bit) {
    byte[] out = bytes.clone();
    out[bit / 8] ^= (byte) (1 << (bit % 8));
    return out;
  }

  private static boolean verifies(byte[] digest, Signature signature, byte[] publicKey) {
    try {
      return SUITE.verify(digest, signature, publicKey);
    } catch (SignatureException e) {
      return false;
    }
  }

  private static boolean recovers(byte[] digest, Signature signature, byte[] publicKey) {
    try {
      return Arrays.equals(publicKey, SUITE.recoverPublicKey(digest, signature));
    } catch (SignatureException e) {
      return false;
    }
  }

  private static BigInteger[] oracleSign(BigInteger d, byte[] digest, DSAKCalculator nonces) {
    ECDSASigner signer = new ECDSASigner(nonces);
    signer.init(true, new ECPrivateKeyParameters(d, ORACLE_CURVE));
    return signer.generateSignature(digest);
  }

  private static boolean oracleVerify(
      byte[] digest, BigInteger r, BigInteger s, byte[] publicKey) {
    ECPoint q = ORACLE_CURVE.getCurve().createPoint(
        new BigInteger(1, Arrays.copyOfRange(publicKey, 0, 32)),
        new BigInteger(1, Arrays.copyOfRange(publicKey, 32, 64)));
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(q, ORACLE_CURVE));
    return verifier.verifySignature(digest, r, s);
  }
}
