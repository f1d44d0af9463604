package io.chorus.crypto;

import static io.chorus.crypto.EthereumSuitePropertiesTest.flip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Bytes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.asn1.gm.GMNamedCurves;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.ECPoint;

/** SM2 sign/verify agree both ways with BC's SM2Signer and break on any bit flip. */
class SmSuitePropertiesTest {
  private static final SmSuite SUITE = SmSuite.INSTANCE;
  // The oracle's curve is GMNamedCurves' generic one: none of the custom field code under test.
  private static final ECDomainParameters ORACLE_CURVE =
      new ECDomainParameters(GMNamedCurves.getByName("sm2p256v1"));
  private static final BigInteger N = ORACLE_CURVE.getN();

  @Provide
  static Arbitrary<BigInteger> scalars() {
    return Arbitraries.bigIntegers().between(BigInteger.ONE, N.subtract(BigInteger.TWO));
  }

  @Provide
  static Arbitrary<byte[]> privateKeys() {
    return scalars().map(EthereumSuiteTest::scalar);
  }

  @Provide
  static Arbitrary<byte[]> digests() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32);
  }

  @Property(tries = 300)
  void digestSignaturesVerify(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest) {
    KeyPair keys = SUITE.keyPair(privateKey);
    assertTrue(SUITE.verify(digest, SUITE.sign(digest, keys), keys.publicKey()));
  }

  @Property(tries = 200)
  void messageSignaturesVerifyUnderTheirUserIdOnly(
      @ForAll("privateKeys") byte[] privateKey, @ForAll @Size(max = 200) byte[] message,
      @ForAll @Size(max = 40) byte[] userId) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature signature = SUITE.sign(message, userId, keys);
    assertTrue(SUITE.verify(message, userId, signature, keys.publicKey()));
    assertFalse(SUITE.verify(message, Bytes.concat(userId, new byte[1]), signature,
        keys.publicKey()));
  }

  @Property(tries = 200)
  void theOracleVerifiesOurSignatures(
      @ForAll("privateKeys") byte[] privateKey, @ForAll @Size(max = 200) byte[] message,
      @ForAll @Size(max = 40) byte[] userId) throws Exception {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature signature = SUITE.sign(message, userId, keys);
    SM2Signer verifier = new SM2Signer(PlainDSAEncoding.INSTANCE);
    verifier.init(false, new ParametersWithID(
        new ECPublicKeyParameters(oraclePoint(keys.publicKey()), ORACLE_CURVE), userId));
    verifier.update(message, 0, message.length);
    assertTrue(verifier.verifySignature(
        Bytes.concat(EthereumSuiteTest.scalar(signature.r()),
            EthereumSuiteTest.scalar(signature.s()))));
  }

  @Property(tries = 200)
  void weVerifyTheOraclesSignaturesForAnyNonce(
      @ForAll("scalars") BigInteger d, @ForAll("scalars") BigInteger k,
      @ForAll @Size(max = 200) byte[] message, @ForAll @Size(max = 40) byte[] userId)
      throws CryptoException {
    SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE);
    signer.init(true, new ParametersWithID(new ParametersWithRandom(
        new ECPrivateKeyParameters(d, ORACLE_CURVE), new FixedNonce(k).asRandom()), userId));
    signer.update(message, 0, message.length);
    byte[] rs = signer.generateSignature();
    Signature signature = new Signature(new BigInteger(1, Arrays.copyOf(rs, 32)),
        new BigInteger(1, Arrays.copyOfRange(rs, 32, 64)), 0);
    byte[] publicKey = SUITE.keyPair(EthereumSuiteTest.scalar(d)).publicKey();
    assertTrue(SUITE.verify(message, userId, signature, publicKey));
  }

  @Property(tries = 300)
  void flippingADigestBitBreaksTheSignature(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest,
      @ForAll @IntRange(max = 255) int bit) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature signature = SUITE.sign(digest, keys);
    assertFalse(SUITE.verify(flip(digest, bit), signature, keys.publicKey()));
  }

  @Property(tries = 300)
  void flippingABitOfROrSBreaksTheSignature(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest,
      @ForAll @IntRange(max = 255) int bit, @ForAll boolean flipR) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature s = SUITE.sign(digest, keys);
    Signature flipped = flipR
        ? new Signature(s.r().flipBit(bit), s.s(), 0)
        : new Signature(s.r(), s.s().flipBit(bit), 0);
    boolean valid;
    try {
      valid = SUITE.verify(digest, flipped, keys.publicKey());
    } catch (SignatureException e) {
      valid = false;
    }
    assertFalse(valid);
  }

  @Property(tries = 300)
  void flippingAPublicKeyBitBreaksTheSignature(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest,
      @ForAll @IntRange(max = 511) int bit) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature signature = SUITE.sign(digest, keys);
    boolean valid;
    try {
      valid = SUITE.verify(digest, signature, flip(keys.publicKey(), bit));
    } catch (IllegalArgumentException e) {
      assertEquals("public key is not a point on sm2p256v1", e.getMessage());
      valid = false;
    }
    assertFalse(valid);
  }

  /**
   * A key's first check runs BouncyCastle's Shamir's trick, its later ones the comb tables
   * (CombTable): for valid and tampered signatures, each of the first three checks of a key
   * answers as the oracle does.
   */
  @Property(tries = 300)
  void everyUseOfAKeyAnswersAsTheOracle(
      @ForAll("privateKeys") byte[] privateKey, @ForAll("digests") byte[] digest,
      @ForAll @IntRange(max = 4) int tamper, @ForAll @IntRange(max = 255) int bit) {
    KeyPair keys = SUITE.keyPair(privateKey);
    Signature s = SUITE.sign(digest, keys);
    byte[] message = digest;
    Signature checked = switch (tamper) {
      case 1 -> {
        message = flip(digest, bit);
        yield s;
      }
      case 2 -> new Signature(s.r().flipBit(bit), s.s(), 0);
      case 3 -> new Signature(s.r(), s.s().flipBit(bit), 0);
      case 4 -> new Signature(s.s(), s.r(), 0);
      default -> s;
    };
    boolean expected = oracleVerifies(keys.publicKey(), message, checked);
    assertEquals(tamper == 0, expected);
    for (int use = 1; use <= 3; use++) {
      boolean valid;
      try {
        valid = SUITE.verify(message, checked, keys.publicKey());
      } catch (SignatureException e) {
        valid = false;
      }
      assertEquals(expected, valid, "check number " + use + " of this key");
    }
  }

  private static boolean oracleVerifies(byte[] publicKey, byte[] digest, Signature signature) {
    SM2Signer verifier = new SM2Signer(PlainDSAEncoding.INSTANCE);
    verifier.init(false, new ParametersWithID(
        new ECPublicKeyParameters(oraclePoint(publicKey), ORACLE_CURVE),
        SmSuite.DEFAULT_USER_ID.getBytes(StandardCharsets.US_ASCII)));
    verifier.update(digest, 0, digest.length);
    return verifier.verifySignature(Bytes.concat(EthereumSuiteTest.scalar(signature.r()),
        EthereumSuiteTest.scalar(signature.s())));
  }

  private static ECPoint oraclePoint(byte[] publicKey) {
    return ORACLE_CURVE.getCurve().validatePoint(
        new BigInteger(1, Arrays.copyOfRange(publicKey, 0, 32)),
        new BigInteger(1, Arrays.copyOfRange(publicKey, 32, 64)));
  }
}
