package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The envelope of each suite: its public-key encryption matches the standard's example (SM2,
 * GB/T 32918.4) and its payload cipher a published vector (AES-256-GCM; SM4-GCM's RFC 8998
 * vector is in {@link Sm4Test}); every recipient opens what was sealed, anyone else is told it
 * is not a recipient, and any altered byte or other associated data is refused as not
 * authentic.
 */
class EnvelopeTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] PAYLOAD = ("{\"type\":\"ObjectEvent\",\"bizStep\":\"shipping\","
      + "\"note\":\"a distinctive secret lot 7731\"}").getBytes(StandardCharsets.UTF_8);
  private static final byte[] CONTEXT = "capture root 0x01, 3 events".getBytes(
      StandardCharsets.UTF_8);

  /** Hands out fixed bytes, so that SM2's random k is the example's. */
  private static final class FixedRandom extends SecureRandom {
    private static final long serialVersionUID = 1L;
    private final transient byte[] value;

    FixedRandom(byte[] value) {
      this.value = value;
    }

    @Override
    public void nextBytes(byte[] bytes) {
      System.arraycopy(value, 0, bytes, 0, bytes.length);
    }
  }

  @Test
  void sm2EncryptionMatchesTheGbT32918Part4ExampleInC1C3C2Order() throws Exception {
    // GB/T 32918.4-2016 (GM/T 0003.4) annex A: the example Fp-256 curve, "encryption standard".
    BigInteger p = big("8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3");
    BigInteger a = big("787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498");
    BigInteger b = big("63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A");
    BigInteger n = big("8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7");
    ECCurve curve = new ECCurve.Fp(p, a, b, n, BigInteger.ONE);
    ECPoint g = curve.createPoint(
        big("421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D"),
        big("0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2"));
    ECDomainParameters domain = new ECDomainParameters(curve, g, n);
    BigInteger d = big("1649AB77A00637BD5E2EFE283FBF353534AA7F7CB89463F208DDBC2920BB0DA0");
    ECPoint publicPoint = g.multiply(d).normalize();
    assertEquals(big("435B39CCA8F3B508C1488AFC67BE491A0F7BA07E581A0E4849A5CF70628A7E0A"),
        publicPoint.getAffineXCoord().toBigInteger());
    byte[] message = "encryption standard".getBytes(StandardCharsets.US_ASCII);
    byte[] k = Hex.decode("4C62EEFD6ECFC2B95B92FD6C3D9575148AFA17425546D49018E5388D49DD7B4F");

    byte[] ciphertext = SmEnvelope.sm2Encrypt(domain, publicPoint, message, new FixedRandom(k));

    String c1 = "04245C26FB68B1DDDDB12C4B6BF9F2B6D5FE60A383B0D18D1C4144ABF17F6252E7"
        + "76CB9264C2A7E88E52B19903FDC47378F605E36811F5C07423A24B84400F01B8";
    String c3 = "9C3D7360C30156FAB7C80A0276712DA9D8094A634B766D3A285E07480653426D";
    String c2 = "650053A89B41C418B0C3AAD00D886C00286467";
    assertEquals((c1 + c3 + c2).toLowerCase(), Hex.encode(ciphertext));
    assertArrayEquals(message, SmEnvelope.sm2Decrypt(domain, d, ciphertext));
  }

  @Test
  void aes256GcmMatchesTheGcmSpecificationTestCase14() {
    // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 14.
    byte[] sealed = EciesEnvelope.aesGcm(true, new byte[32], new byte[12], new byte[0],
        new byte[16]);
    assertEquals("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919",
        Hex.encode(sealed));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void everyRecipientOpensWhatWasSealedAndNoOneElse(String suiteName) throws Exception {
    CryptoSuite suite = CryptoSuite.byName(suiteName);
    List<KeyPair> recipients = List.of(suite.generateKeyPair(RANDOM),
        suite.generateKeyPair(RANDOM), suite.generateKeyPair(RANDOM));
    byte[] sealed = suite.envelope().seal(PAYLOAD, CONTEXT,
        recipients.stream().map(KeyPair::publicKey).toList(), RANDOM);

    assertEquals(PAYLOAD.length + suite.envelope().overheadBytes(3), sealed.length);
    assertFalse(contains(sealed, "secret lot 7731".getBytes(StandardCharsets.UTF_8)));
    for (KeyPair recipient : recipients) {
      assertArrayEquals(PAYLOAD, suite.envelope().open(sealed, CONTEXT, recipient));
    }
    List<byte[]> named = suite.envelope().recipients(sealed);
    for (int i = 0; i < recipients.size(); i++) {
      assertArrayEquals(suite.address(recipients.get(i).publicKey()), named.get(i));
    }
    KeyPair outsider = suite.generateKeyPair(RANDOM);
    EnvelopeException refused = assertThrows(EnvelopeException.class,
        () -> suite.envelope().open(sealed, CONTEXT, outsider));
    assertEquals(EnvelopeException.Reason.NOT_A_RECIPIENT, refused.reason());
    assertTrue(refused.getMessage().contains(Hex.encode0x(suite.address(outsider.publicKey()))),
        refused.getMessage());
    assertNotEquals(Hex.encode(sealed), Hex.encode(suite.envelope().seal(PAYLOAD, CONTEXT,
        recipients.stream().map(KeyPair::publicKey).toList(), RANDOM)), "fresh keys each time");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void anyAlteredByteOrOtherAssociatedDataIsRefusedAsNotAuthentic(String suiteName)
      throws Exception {
    CryptoSuite suite = CryptoSuite.byName(suiteName);
    KeyPair first = suite.generateKeyPair(RANDOM);
    KeyPair second = suite.generateKeyPair(RANDOM);
    Envelope envelope = suite.envelope();
    byte[] sealed = envelope.seal(PAYLOAD, CONTEXT, List.of(first.publicKey(),
        second.publicKey()), RANDOM);
    int slot = (sealed.length - PAYLOAD.length - envelope.overheadBytes(0)) / 2;
    // Past the 4-byte header and the first slot's address: its wrapped key; then the second
    // slot's wrapped key, which the first recipient does not read but the payload's tag covers;
    // then the nonce, the ciphertext and the tag.
    int[] positions = {4 + Envelope.ADDRESS_BYTES + 3, 4 + slot + Envelope.ADDRESS_BYTES + 5,
        4 + 2 * slot + 1, 4 + 2 * slot + Envelope.NONCE_BYTES + 7, sealed.length - 1};
    for (int at : positions) {
      byte[] altered = sealed.clone();
      altered[at] ^= 0x01;
      EnvelopeException refused = assertThrows(EnvelopeException.class,
          () -> envelope.open(altered, CONTEXT, first), "altered at " + at);
      assertEquals(EnvelopeException.Reason.NOT_AUTHENTIC, refused.reason(), "altered at " + at);
    }
    EnvelopeException otherContext = assertThrows(EnvelopeException.class,
        () -> envelope.open(sealed, "capture root 0x02".getBytes(StandardCharsets.UTF_8),
            second));
    assertEquals(EnvelopeException.Reason.NOT_AUTHENTIC, otherContext.reason());
    assertTrue(otherContext.getMessage().contains("associated data"), otherContext.getMessage());
  }

  @Test
  void envelopesOfTheOtherSuiteAndMalformedBytesAreRefusedSayingWhy() {
    KeyPair sm = CryptoSuite.sm().generateKeyPair(RANDOM);
    KeyPair ethereum = CryptoSuite.ethereum().generateKeyPair(RANDOM);
    byte[] sealedForSm = CryptoSuite.sm().envelope().seal(PAYLOAD, CONTEXT,
        List.of(sm.publicKey()), RANDOM);
    EnvelopeException other = assertThrows(EnvelopeException.class,
        () -> CryptoSuite.ethereum().envelope().open(sealedForSm, CONTEXT, ethereum));
    assertEquals(EnvelopeException.Reason.OTHER_SCHEME, other.reason());

    for (byte[] bad : List.of(new byte[0], new byte[] {2, 1, 0, 1},
        new byte[] {1, 1, 0, 0}, Arrays.copyOf(sealedForSm, 100))) {
      EnvelopeException refused = assertThrows(EnvelopeException.class,
          () -> CryptoSuite.sm().envelope().open(bad, CONTEXT, sm));
      assertEquals(EnvelopeException.Reason.MALFORMED, refused.reason(), refused.getMessage());
    }
  }

  @Test
  void sealingRefusesNoRecipientsARepeatedOneAndAKeyOffTheCurve() {
    Envelope envelope = CryptoSuite.ethereum().envelope();
    KeyPair one = CryptoSuite.ethereum().generateKeyPair(RANDOM);
    assertThrows(IllegalArgumentException.class,
        () -> envelope.seal(PAYLOAD, CONTEXT, List.of(), RANDOM));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
        () -> envelope.seal(PAYLOAD, CONTEXT, List.of(one.publicKey(), one.publicKey()),
            RANDOM));
    assertTrue(twice.getMessage().contains("listed twice"), twice.getMessage());
    byte[] offCurve = new byte[64];
    offCurve[63] = 7;
    assertThrows(IllegalArgumentException.class,
        () -> envelope.seal(PAYLOAD, CONTEXT, List.of(offCurve), RANDOM));
  }

  private static BigInteger big(String hex) {
    return new BigInteger(hex, 16);
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void p256EnvelopeSealsForAJdkP256KeyAndOpensOnlyWithIt() throws Exception {
    // The JDK's own P-256 key pair is the oracle that P256.keyPair reads the curve right.
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
    java.security.KeyPair jdk = generator.generateKeyPair();
    java.security.spec.ECPoint w = ((java.security.interfaces.ECPublicKey) jdk.getPublic())
        .getW();
    byte[] publicKey = io.chorus.codec.Bytes.concat(
        org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, w.getAffineX()),
        org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, w.getAffineY()));
    KeyPair holder = P256.keyPair(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32,
        ((java.security.interfaces.ECPrivateKey) jdk.getPrivate()).getS()));
    assertArrayEquals(publicKey, holder.publicKey());

    Envelope envelope = P256.envelope();
    byte[] sealed = envelope.seal(PAYLOAD, CONTEXT, List.of(publicKey), RANDOM);
    assertEquals(3, sealed[1], "scheme id");
    assertArrayEquals(PAYLOAD, envelope.open(sealed, CONTEXT, holder));
    KeyPair other = P256.keyPair(Hex.decode(
        "0x0000000000000000000000000000000000000000000000000000000000000007"));
    assertEquals(EnvelopeException.Reason.NOT_A_RECIPIENT,
        assertThrows(EnvelopeException.class, () -> envelope.open(sealed, CONTEXT, other))
            .reason());
    // Not interchangeable with the secp256k1 envelope of the same suite.
    assertEquals(EnvelopeException.Reason.OTHER_SCHEME, assertThrows(EnvelopeException.class,
        () -> CryptoSuite.ethereum().envelope().open(sealed, CONTEXT, holder)).reason());
    byte[] altered = sealed.clone();
    altered[30] ^= 1;
    assertThrows(EnvelopeException.class, () -> envelope.open(altered, CONTEXT, holder));
  }

  @ParameterizedTest
  @ValueSource(strings = {"sm", "ethereum"})
  void aPublishedRecipientKeyIsCheckedToBeAPointOfTheSuitesCurve(String name) {
    CryptoSuite suite = CryptoSuite.byName(name);
    suite.envelope().requireRecipient(suite.generateKeyPair(RANDOM).publicKey());
    byte[] offCurve = new byte[64];
    Arrays.fill(offCurve, (byte) 1);
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> suite.envelope().requireRecipient(offCurve)).getMessage()
        .startsWith("public key is not a point on"));
    assertThrows(IllegalArgumentException.class,
        () -> suite.envelope().requireRecipient(new byte[63]));
  }
}
