package io.chorus.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import org.junit.jupiter.api.Test;

/** Hex parsing errors name the problem; UInt256 agrees with BigInteger within 256 bits. */
class HexAndUInt256Test {

  @Test
  void hexAcceptsPrefixAndCaseAndRejectsGarbage() {
    assertArrayEquals(new byte[] {(byte) 0xab, 0x01}, Hex.decode("0xAB01"));
    assertArrayEquals(new byte[0], Hex.decode("0x"));
    IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
        () -> Hex.decode("0xabc"));
    assertTrue(odd.getMessage().contains("odd number of digits"));
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> Hex.decode("0xzz"));
    assertTrue(bad.getMessage().contains("not a hex digit 'z' at position 2"), bad.getMessage());
    // Digits of other scripts are digits to Character.digit, not to hex.
    IllegalArgumentException arabic = assertThrows(IllegalArgumentException.class,
        () -> Hex.decode("0x\u0663\u0663"));
    assertTrue(arabic.getMessage().contains("at position 2"), arabic.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Hex.decode("\uFF11\uFF12"));
  }

  @Test
  void bytesNeverTruncateSilently() {
    assertThrows(IllegalArgumentException.class, () -> Bytes.leftPad(new byte[33], 32));
    assertThrows(IllegalArgumentException.class, () -> UInt256.valueOf(BigInteger.TWO.pow(256)));
    assertThrows(IllegalArgumentException.class, () -> UInt256.valueOf(BigInteger.ONE.negate()));
    assertThrows(ArithmeticException.class, () -> UInt256.MAX.toLong());
  }

  @Property
  void hexRoundTrips(@ForAll byte[] bytes) {
    assertArrayEquals(bytes, Hex.decode(Hex.encode0x(bytes)));
  }

  @Property
  void uint256AgreesWithBigInteger(
      @ForAll @BigRange(min = "0", max = "115792089237316195423570985008687907853269984665640564039457584007913129639935")
          BigInteger a,
      @ForAll @BigRange(min = "0", max = "115792089237316195423570985008687907853269984665640564039457584007913129639935")
          BigInteger b) {
    UInt256 x = UInt256.valueOf(a);
    UInt256 y = UInt256.valueOf(b);
    assertEquals(a, x.toBigInteger());
    assertEquals(a.compareTo(b), Integer.signum(x.compareTo(y)));
    assertEquals(a.add(b).mod(BigInteger.TWO.pow(256)), x.addWrapping(y).toBigInteger());
    assertEquals(x, UInt256.fromBytes(x.toMinimalBytes()));
    assertEquals(x, UInt256.parse(x.toString()));
  }
}
