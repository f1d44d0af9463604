package io.chorus.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** keccak-256 and SM3 reproduce their published vectors; each suite hashes with its own. */
class HashFunctionTest {

  @Test
  void sm3OfAbcIsTheGbT32905Example1() {
    assertEquals("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0",
        Hex.encode(Sm3.INSTANCE.hash(ascii("abc"))));
  }

  @Test
  void sm3Of512BitMessageIsTheGbT32905Example2() {
    assertEquals("debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732",
        Hex.encode(Sm3.INSTANCE.hash(ascii("abcd".repeat(16)))));
  }

  @Test
  void keccak256OfEmptyInput() {
    assertEquals("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
        Hex.encode(Keccak256.INSTANCE.hash(new byte[0])));
  }

  @Test
  void keccak256OfAbcIsKeccakNotSha3() {
    assertEquals("4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45",
        Hex.encode(Keccak256.INSTANCE.hash(ascii("abc"))));
  }

  @Test
  void hashOfARangeHashesOnlyThatRange() {
    byte[] framed = ascii("--abc--");
    assertArrayEquals(Sm3.INSTANCE.hash(ascii("abc")), Sm3.INSTANCE.hash(framed, 2, 3));
    assertArrayEquals(Keccak256.INSTANCE.hash(ascii("abc")), Keccak256.INSTANCE.hash(framed, 2, 3));
  }

  @Test
  void eachSuiteHashesWithItsOwnFunction() {
    assertSame(Keccak256.INSTANCE, CryptoSuite.ethereum().hashFunction());
    assertSame(Sm3.INSTANCE, CryptoSuite.sm().hashFunction());
    assertArrayEquals(Sm3.INSTANCE.hash(ascii("abc")), CryptoSuite.sm().hash(ascii("abc")));
  }

  @Test
  void suitesAreFoundByTheirGenesisNames() {
    assertSame(CryptoSuite.ethereum(), CryptoSuite.byName("ethereum"));
    assertSame(CryptoSuite.sm(), CryptoSuite.byName("sm"));
    assertEquals("ethereum", CryptoSuite.ethereum().name());
    assertEquals("sm", CryptoSuite.sm().name());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CryptoSuite.byName("gm"));
    assertTrue(e.getMessage().contains("'ethereum'") && e.getMessage().contains("'sm'"));
  }

  @Test
  void addressIsTheLast20BytesOfTheSuiteHash() {
    byte[] publicKey = new byte[64];
    Arrays.fill(publicKey, (byte) 7);
    for (CryptoSuite suite : new CryptoSuite[] {CryptoSuite.ethereum(), CryptoSuite.sm()}) {
      byte[] hash = suite.hash(publicKey);
      assertArrayEquals(Arrays.copyOfRange(hash, 12, 32), suite.address(publicKey));
    }
  }

  @Test
  void addressRejectsAKeyThatIsNot64Bytes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CryptoSuite.ethereum().address(new byte[65]));
    assertTrue(e.getMessage().contains("public key"), e.getMessage());
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
