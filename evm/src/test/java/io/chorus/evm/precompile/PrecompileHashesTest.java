package io.chorus.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Secp256k1;
import io.chorus.crypto.Signature;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The registry and precompiles 0x01-0x04 against published values: go-ethereum's ecrecover
 * vectors, the FIPS 180-2 and RIPEMD-160 reference digests, and the Yellow Paper's gas formulas.
 */
class PrecompileHashesTest {
  private static final Precompile ECRECOVER = Precompiles.at(1);

  // go-ethereum core/vm/testdata/precompiles/ecRecover.json, "ValidKey".
  private static final String VALID_KEY =
      "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c"
          + "000000000000000000000000000000000000000000000000000000000000001c"
          + "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f"
          + "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549";

  @Test
  void registryHoldsTenPrecompilesAtIndexesOneToTen() {
    assertEquals(10, Precompiles.COUNT);
    for (int index = 1; index <= Precompiles.COUNT; index++) {
      assertNotNull(Precompiles.at(index), "index " + index);
    }
    assertNull(Precompiles.at(0));
    assertNull(Precompiles.at(11));
    assertNull(Precompiles.at(-1));
  }

  @Test
  void ecrecoverReturnsTheSignersAddressAsAWord() {
    assertEquals("000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b",
        Hex.encode(ECRECOVER.run(Hex.decode(VALID_KEY))));
    assertEquals(3000, ECRECOVER.gas(Hex.decode(VALID_KEY)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // go-ethereum's InvalidHighV-bits-1, -2 and -3: v is a whole word, not its low byte.
    "high bit of v, 100000000000000000000000000000000000000000000000000000000000001c",
    "middle bits of v, 000000000000000000000000000000000000001000000000000000000000001c",
    "two stray bits, 000000000000000000000000000000000000001000000000000000000000011c",
    "v = 29, 000000000000000000000000000000000000000000000000000000000000001d",
    "v = 0, 0000000000000000000000000000000000000000000000000000000000000000",
  })
  void ecrecoverRejectsAnyVButTwentySevenAndTwentyEightWithEmptyOutput(String why, String v) {
    byte[] input = Hex.decode(VALID_KEY);
    System.arraycopy(Hex.decode(v), 0, input, 32, 32);
    assertArrayEquals(Bytes.EMPTY, ECRECOVER.run(input), why);
  }

  @Test
  void ecrecoverGivesEmptyOutputForAnRThatNamesNoPoint() {
    // go-ethereum's CallEcrecoverUnrecoverableKey.
    byte[] input = Hex.decode(
        "a8b53bdf3306a35a7103ab5504a0c9b492295564b6202b1942a84ef300107281"
            + "000000000000000000000000000000000000000000000000000000000000001b"
            + "3078356531653033663533636531386237373263636230303933666637316633"
            + "6635336635633735623734646362333161383561613862383839326234653862"
            + "1122334455667788991011121314151617181920212223242526272829303132");
    assertArrayEquals(Bytes.EMPTY, ECRECOVER.run(input));
  }

  @Test
  void ecrecoverAcceptsHighSButNotROrSOutsideTheGroupOrder() {
    KeyPair keys = CryptoSuite.ethereum().keyPair(word(BigInteger.valueOf(0xC0FFEE)));
    byte[] digest = Sha256.digest("chorus".getBytes(StandardCharsets.UTF_8));
    Signature signature = CryptoSuite.ethereum().sign(digest, keys);
    byte[] expected = Bytes.leftPad(CryptoSuite.ethereum().address(keys.publicKey()), 32);
    assertArrayEquals(expected, ECRECOVER.run(input(digest, signature.recoveryId(),
        signature.r(), signature.s())));
    // (r, n - s) with the other parity is the same signature: the low-s rule is not ecrecover's.
    assertArrayEquals(expected, ECRECOVER.run(input(digest, signature.recoveryId() ^ 1,
        signature.r(), Secp256k1.N.subtract(signature.s()))));
    BigInteger s = signature.s();
    assertArrayEquals(Bytes.EMPTY, ECRECOVER.run(input(digest, 0, BigInteger.ZERO, s)));
    assertArrayEquals(Bytes.EMPTY, ECRECOVER.run(input(digest, 0, signature.r(), Secp256k1.N)));
    assertArrayEquals(Bytes.EMPTY, ECRECOVER.run(input(digest, 0, Secp256k1.N, s)));
  }

  @Test
  void ecrecoverPadsShortInputAndIgnoresBytesPastTheFourWords() {
    byte[] input = Hex.decode(VALID_KEY);
    byte[] longer = Bytes.concat(input, Hex.decode("ffff"));
    assertArrayEquals(ECRECOVER.run(input), ECRECOVER.run(longer));
    // Cut inside s: the missing bytes read as zeros, so another s and another signer.
    byte[] shorter = Arrays.copyOf(input, 120);
    byte[] zeroFilled = Arrays.copyOf(shorter, 128);
    assertArrayEquals(ECRECOVER.run(zeroFilled), ECRECOVER.run(shorter));
  }

  @ParameterizedTest(name = "sha256(\"{0}\")")
  @CsvSource({
    "'', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  })
  void sha256MatchesTheFipsExamples(String message, String digest) {
    assertEquals(digest, Hex.encode(Precompiles.at(2).run(ascii(message))));
  }

  @ParameterizedTest(name = "ripemd160(\"{0}\")")
  @CsvSource({
    "'', 0000000000000000000000009c1185a5c5e9fc54612808977ee8f548b2258d31",
    "abc, 0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc",
  })
  void ripemd160MatchesTheReferenceDigestsLeftPadded(String message, String word) {
    assertEquals(word, Hex.encode(Precompiles.at(3).run(ascii(message))));
  }

  @Test
  void identityCopiesItsInput() {
    byte[] input = ascii("copy me");
    byte[] output = Precompiles.at(4).run(input);
    assertArrayEquals(input, output);
    output[0] = 0;
    assertEquals('c', input[0], "the output must not alias the caller's memory");
  }

  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({
    "0, 60, 600, 15",
    "1, 72, 720, 18",
    "32, 72, 720, 18",
    "33, 84, 840, 21",
    "1024, 444, 4440, 111",
  })
  void wordPricedGasRoundsBytesUpToWords(int length, long sha, long ripemd, long identity) {
    byte[] input = new byte[length];
    assertEquals(sha, Precompiles.at(2).gas(input));
    assertEquals(ripemd, Precompiles.at(3).gas(input));
    assertEquals(identity, Precompiles.at(4).gas(input));
  }

  private static byte[] input(byte[] digest, int recoveryId, BigInteger r, BigInteger s) {
    return Bytes.concat(digest, word(BigInteger.valueOf(27 + recoveryId)), word(r), word(s));
  }

  static byte[] word(BigInteger value) {
    return Bytes.leftPad(Bytes.trimLeadingZeros(value.toByteArray()), 32);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
