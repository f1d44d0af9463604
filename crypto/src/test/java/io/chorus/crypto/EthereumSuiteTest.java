package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** secp256k1 reproduces published keys, the EIP-155 example and RFC 6979 signatures. */
class EthereumSuiteTest {
  private static final CryptoSuite SUITE = CryptoSuite.ethereum();
  private static final String G_X =
      "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  private static final String G_Y =
      "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";

  @Test
  void privateKeyOneHasTheGeneratorAsPublicKey() {
    assertEquals(G_X + G_Y, Hex.encode(SUITE.keyPair(scalar(BigInteger.ONE)).publicKey()));
  }

  @Test
  void privateKeyNMinusOneHasMinusGAsPublicKey() {
    byte[] publicKey = SUITE.keyPair(scalar(Secp256k1.N.subtract(BigInteger.ONE))).publicKey();
    BigInteger p = BigInteger.TWO.pow(256).subtract(BigInteger.TWO.pow(32)).subtract(
        BigInteger.valueOf(977));
    BigInteger minusY = p.subtract(new BigInteger(G_Y, 16));
    assertEquals(G_X + minusY.toString(16), Hex.encode(publicKey));
  }

  @Test
  void halfOrderIsNDividedByTwo() {
    assertEquals(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        Secp256k1.N.toString(16));
    assertEquals(Secp256k1.N.subtract(BigInteger.ONE), Secp256k1.HALF_N.shiftLeft(1));
  }

  @Test
  void eip155ExampleKeyAddressAndSignature() {
    KeyPair keys = SUITE.keyPair(Hex.decode("46".repeat(32)));
    assertEquals("9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f",
        Hex.encode(SUITE.address(keys.publicKey())));
    // EIP-155's signing hash for its example transaction, signed by a deterministic signer.
    byte[] signingHash =
        Hex.decode("daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    Signature signature = SUITE.sign(signingHash, keys);
    assertEquals(new BigInteger(
        "18515461264373351373200002665853028612451056578545711640558177340181847433846"),
        signature.r());
    assertEquals(new BigInteger(
        "46948507304638947509940763649030358759909902576025900602547168820602576006531"),
        signature.s());
    assertEquals(0, signature.recoveryId()); // v = 37 = 0 + 2 * 1 + 35 on chain id 1
    assertArrayEquals(keys.publicKey(), SUITE.recoverPublicKey(signingHash, signature));
  }

  // RFC 6979 vectors for secp256k1 with SHA-256 (Trezor's test_check.c, bitcoinjs), low-s.
  @ParameterizedTest
  @CsvSource({
    "0000000000000000000000000000000000000000000000000000000000000001, Satoshi Nakamoto,"
        + "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8,"
        + "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5",
    "0000000000000000000000000000000000000000000000000000000000000001,"
        + "'All those moments will be lost in time, like tears in rain. Time to die...',"
        + "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b,"
        + "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21",
    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140, Satoshi Nakamoto,"
        + "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0,"
        + "6b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5",
    "f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181, Alan Turing,"
        + "7063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c,"
        + "58dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea",
  })
  void rfc6979Vectors(String privateKey, String message, String r, String s) {
    KeyPair keys = SUITE.keyPair(Hex.decode(privateKey));
    byte[] digest = sha256(message);
    Signature signature = SUITE.sign(digest, keys);
    assertEquals(new BigInteger(r, 16), signature.r());
    assertEquals(new BigInteger(s, 16), signature.s());
    assertTrue(SUITE.verify(digest, signature, keys.publicKey()));
    assertArrayEquals(keys.publicKey(), SUITE.recoverPublicKey(digest, signature));
  }

  @Test
  void signingIsDeterministic() {
    KeyPair keys = SUITE.generateKeyPair(new SecureRandom());
    byte[] digest = sha256("same message");
    assertEquals(SUITE.sign(digest, keys), SUITE.sign(digest, keys));
    assertNotEquals(SUITE.sign(digest, keys), SUITE.sign(sha256("other message"), keys));
  }

  @Test
  void generatedKeysRoundTripThroughTheirPrivateKey() {
    KeyPair keys = SUITE.generateKeyPair(new SecureRandom());
    assertArrayEquals(keys.publicKey(), SUITE.keyPair(keys.privateKey()).publicKey());
    assertTrue(SUITE.supportsRecovery());
  }

  static byte[] scalar(BigInteger value) {
    byte[] out = new byte[32];
    byte[] bytes = value.toByteArray();
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
    return out;
  }

  static byte[] sha256(String message) {
    try {
      return MessageDigest.getInstance("SHA-256")
          .digest(message.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
