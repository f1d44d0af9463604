package io.chorus.crypto;

import static io.chorus.crypto.HashFunctionTest.ascii;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithID;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.SM2Signer;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

/** SM2 reproduces the GB/T 32918 fixed-k examples on sm2p256v1 and on the test curve. */
class SmSuiteTest {
  private static final SmSuite SUITE = SmSuite.INSTANCE;
  private static final byte[] MESSAGE = ascii("message digest");

  // GM/T 0003.5 (GB/T 32918.5) signature example on sm2p256v1.
  private static final String D =
      "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8";
  private static final String PUBLIC_KEY =
      "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
          + "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13";
  private static final FixedNonce K =
      FixedNonce.of("59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21");
  private static final BigInteger R =
      new BigInteger("f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3", 16);
  private static final BigInteger S =
      new BigInteger("b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa", 16);

  @Test
  void recommendedCurveExampleKeyAndSignature() {
    KeyPair keys = SUITE.keyPair(Hex.decode(D));
    assertEquals(PUBLIC_KEY, Hex.encode(keys.publicKey()));
    byte[] e = e(SmSuite.SM2, ascii(SmSuite.DEFAULT_USER_ID), keys.publicKey());
    Signature signature = SmSuite.SM2.sign(e, new BigInteger(D, 16), K);
    assertEquals(new Signature(R, S, 0), signature);
    assertTrue(
        SUITE.verify(MESSAGE, ascii(SmSuite.DEFAULT_USER_ID), signature, keys.publicKey()));
  }

  @Test
  void bouncyCastleSm2SignerGivesTheSameExampleSignature() throws Exception {
    SM2Signer signer = new SM2Signer(PlainDSAEncoding.INSTANCE);
    ECPrivateKeyParameters key =
        new ECPrivateKeyParameters(new BigInteger(D, 16), SmSuite.SM2.domain().parameters());
    signer.init(true, new ParametersWithID(
        new ParametersWithRandom(key, K.asRandom()), ascii(SmSuite.DEFAULT_USER_ID)));
    signer.update(MESSAGE, 0, MESSAGE.length);
    byte[] expected = Bytes.concat(EthereumSuiteTest.scalar(R), EthereumSuiteTest.scalar(S));
    assertEquals(Hex.encode(expected), Hex.encode(signer.generateSignature()));
  }

  // GB/T 32918.2 Annex A (GM/T 0003.2): the Fp-256 test curve, with id ALICE123@YAHOO.COM.
  @Test
  void testCurveExampleZDigestAndSignature() {
    Sm2 sm2 = new Sm2(new EcDomain("the SM2 test curve", testCurve(), 2));
    byte[] id = ascii("ALICE123@YAHOO.COM");
    KeyPair keys = sm2.domain().keyPair(
        Hex.decode("128b2fa8bd433c6c068c8d803dff79792a519a55171b1b650c23661d15897263"));
    assertEquals("0ae4c7798aa0f119471bee11825be46202bb79e2a5844495e97c04ff4df2548a"
        + "7c0240f88f1cd4e16352a73c17b7f16f07353e53a176d684a9fe0c6bb798e857",
        Hex.encode(keys.publicKey()));
    assertEquals("f4a38489e32b45b6f876e3ac2168ca392362dc8f23459c1d1146fc3dbfb7bc9a",
        Hex.encode(sm2.z(id, keys.publicKey())));
    byte[] e = e(sm2, id, keys.publicKey());
    assertEquals("b524f552cd82b8b028476e005c377fb19a87e6fc682d48bb5d42e3d9b9effe76",
        Hex.encode(e));
    Signature signature = sm2.sign(e, new BigInteger(1, keys.privateKey()),
        FixedNonce.of("6cb28d99385c175c94f94e934817663fc176d925dd72b727260dbaae1fb2f96f"));
    assertEquals("40f1ec59f793d9f49e09dcef49130d4194f79fb1eed2caa55bacdb49c4e755d1",
        signature.r().toString(16));
    assertEquals("6fc6dac32c5d5cf10c77dfb20f7c2eb667a457872fb09ec56327a67ec7deebe7",
        signature.s().toString(16));
    assertTrue(sm2.verify(MESSAGE, id, signature, keys.publicKey()));
    assertFalse(sm2.verify(MESSAGE, ascii(SmSuite.DEFAULT_USER_ID), signature, keys.publicKey()));
  }

  @Test
  void digestSignaturesUseTheDefaultUserIdWithTheDigestAsMessage() {
    KeyPair keys = SUITE.keyPair(Hex.decode(D));
    byte[] digest = Sm3.INSTANCE.hash(MESSAGE);
    Signature signature = SUITE.sign(digest, keys);
    assertEquals(signature, SUITE.sign(digest, ascii("1234567812345678"), keys));
    assertTrue(SUITE.verify(digest, signature, keys.publicKey()));
    assertEquals(0, signature.recoveryId());
  }

  @Test
  void signingIsDeterministic() {
    KeyPair keys = SUITE.generateKeyPair(new SecureRandom());
    byte[] digest = Sm3.INSTANCE.hash(MESSAGE);
    assertEquals(SUITE.sign(digest, keys), SUITE.sign(digest, keys));
    assertNotEquals(SUITE.sign(digest, keys), SUITE.sign(digest, ascii("bob"), keys));
  }

  @Test
  void generatedKeysRoundTripThroughTheirPrivateKey() {
    KeyPair keys = SUITE.generateKeyPair(new SecureRandom());
    assertArrayEquals(keys.publicKey(), SUITE.keyPair(keys.privateKey()).publicKey());
  }

  @Test
  void keysCannotBeRecovered() {
    assertFalse(SUITE.supportsRecovery());
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> SUITE.recoverPublicKey(new byte[32], new Signature(R, S, 0)));
    assertTrue(e.getMessage().contains("SM2 transactions carry the signer's public key"));
  }

  private static byte[] e(Sm2 sm2, byte[] userId, byte[] publicKey) {
    return Sm3.INSTANCE.hash(Bytes.concat(sm2.z(userId, publicKey), MESSAGE));
  }

  private static ECDomainParameters testCurve() {
    BigInteger n = hex("8542d69e4c044f18e8b92435bf6ff7dd297720630485628d5ae74ee7c32e79b7");
    ECCurve curve = new ECCurve.Fp(
        hex("8542d69e4c044f18e8b92435bf6ff7de457283915c45517d722edb8b08f1dfc3"),
        hex("787968b4fa32c3fd2417842e73bbfeff2f3c848b6831d7e0ec65228b3937e498"),
        hex("63e4c6d3b23b0c849cf84241484bfe48f61d59a5b16ba06e6e12d1da27c5249a"),
        n, BigInteger.ONE);
    ECPoint g = curve.validatePoint(
        hex("421debd61b62eab6746434ebc3cc315e32220b3badd50bdc4c4e6c147fedd43d"),
        hex("0680512bcbb42c07d47349d2153b70c4e5d7fdfcbfa36ea1a85841b9e46e09a2"));
    return new ECDomainParameters(curve, g, n);
  }

  private static BigInteger hex(String value) {
    return new BigInteger(value, 16);
  }
}
