package io.chorus.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Precompile 0x05 against EIP-198's examples and go-ethereum's modexp_eip2565.json (outputs and
 * EIP-2565 gas), plus the length edge cases where a naive implementation allocates or overflows.
 */
class PrecompileModExpTest {
  private static final Precompile MODEXP = Precompiles.at(5);
  private static final String NAGYDANI_1_BASE =
      "e09ad9675465c53a109fac66a445c91b292d2bb2c5268addb30cd82f80fcb003"
          + "3ff97c80a5fc6f39193ae969c6ede6710a6b7ac27078a06d90ef1c72e5c85fb5";
  private static final String NAGYDANI_1_MOD =
      "fc9e1f6beb81516545975218075ec2af118cd8798df6e08a147c60fd6095ac2b"
          + "b02c2908cf4dd7c81f11c289e4bce98f3553768f392a80ce22bf5c4f4a248c6b";

  @Test
  void fermatsLittleTheoremExampleOfEip198() {
    byte[] input = Hex.decode(
        "0000000000000000000000000000000000000000000000000000000000000001"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "03"
            + "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
            + "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    assertEquals("0000000000000000000000000000000000000000000000000000000000000001",
        Hex.encode(MODEXP.run(input)));
    assertEquals(1360, MODEXP.gas(input));
  }

  @Test
  void zeroLengthBaseIsZeroInEip198sSecondExample() {
    byte[] input = Hex.decode(
        "0000000000000000000000000000000000000000000000000000000000000000"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e"
            + "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
    assertArrayEquals(new byte[32], MODEXP.run(input));
    assertEquals(1360, MODEXP.gas(input));
  }

  @Test
  void nagydaniOneVectors() {
    check(NAGYDANI_1_BASE, "02", NAGYDANI_1_MOD, 200,
        "60008f1614cc01dcfb6bfb09c625cf90b47d4468db81b5f8b7a39d42f332eab9"
            + "b2da8f2d95311648a8f243f4bb13cfb3d8f7f2a3c014122ebb3ed41b02783adc");
    check(NAGYDANI_1_BASE, "03", NAGYDANI_1_MOD, 200,
        "4834a46ba565db27903b1c720c9d593e84e4cbd6ad2e64b31885d944f68cd801"
            + "f92225a8961c952ddf2797fa4701b330c85c4b363798100b921a1a22a46a7fec");
    check(NAGYDANI_1_BASE, "010001", NAGYDANI_1_MOD, 341,
        "c36d804180c35d4426b57b50c5bfcca5c01856d104564cd513b461d3c8b84091"
            + "28a5573e416d0ebe38f5f736766d9dc27143e4da981dfa4d67f7dc474cbee6d2");
  }

  @Test
  void gasOfTheLargerNagydaniVectorsDependsOnlyOnLengthsAndExponent() {
    // nagydani-2-pow0x10001 (128-byte operands) and nagydani-3-pow0x10001 (256-byte ones).
    assertEquals(1365, MODEXP.gas(header(128, 3, 128, "00".repeat(128) + "010001")));
    assertEquals(5461, MODEXP.gas(header(256, 3, 256, "00".repeat(256) + "010001")));
  }

  @Test
  void longExponentsCountEightIterationsPerByteBeyondTheFirstWord() {
    // A 100-byte exponent starting 00 00 01: its first word's top bit is bit 232, so
    // 8·(100 - 32) + 232 iterations of 4² = 16 (32-byte operands), over 3.
    String exponent = "000001" + "00".repeat(97);
    assertEquals(16 * 776 / 3, MODEXP.gas(header(32, 100, 32, "00".repeat(32) + exponent)));
    // A first word of zeros adds nothing: 8·(40 - 32) iterations.
    assertEquals(16 * 64 / 3, MODEXP.gas(header(32, 40, 32, "00".repeat(32) + "00".repeat(40))));
  }

  @Test
  void emptyInputCostsTheMinimumAndReturnsNothing() {
    assertEquals(200, MODEXP.gas(Bytes.EMPTY));
    assertArrayEquals(Bytes.EMPTY, MODEXP.run(Bytes.EMPTY));
  }

  @Test
  void hugeLengthsSaturateGasAndAllocateNothing() {
    String huge = "80" + "00".repeat(31);
    byte[] hugeBase = Hex.decode(huge + word(0) + word(1));
    assertEquals(Long.MAX_VALUE, MODEXP.gas(hugeBase));
    assertNull(MODEXP.run(hugeBase));
    byte[] hugeModulus = Hex.decode(word(1) + word(1) + huge);
    assertEquals(Long.MAX_VALUE, MODEXP.gas(hugeModulus));
    assertNull(MODEXP.run(hugeModulus));
    byte[] hugeExponent = Hex.decode(word(1) + "0000000000000001" + "00".repeat(24) + word(1));
    assertEquals(Long.MAX_VALUE, MODEXP.gas(hugeExponent));
    assertNull(MODEXP.run(hugeExponent));
  }

  @Test
  void claimedLengthsPastTheInputReadAsZerosWithoutBeingAllocated() {
    // A 1 GiB base and exponent before a modulus that lies past the end: the modulus is 0.
    byte[] input = header(1 << 30, 1 << 30, 4, "02");
    assertArrayEquals(new byte[4], MODEXP.run(input));
    // A modulus longer than 16 MiB is refused outright: only its output would be that big.
    assertNull(MODEXP.run(header(1, 1, (1 << 24) + 1, "0203")));
    assertTrue(MODEXP.gas(header(1, 1, (1 << 24) + 1, "0203")) > 1_000_000_000_000L,
        "refused only where no block could pay");
  }

  @Test
  void aHugeExponentOverEmptyOperandsIsCheapAndEmpty() {
    // Multiplication complexity 0 times any iteration count is 0: the minimum applies.
    byte[] input = Hex.decode(word(0) + "ff".repeat(32) + word(0));
    assertEquals(200, MODEXP.gas(input));
    assertArrayEquals(Bytes.EMPTY, MODEXP.run(input));
  }

  @Test
  void zeroModulusGivesZerosOfTheModulusLength() {
    assertArrayEquals(new byte[4], MODEXP.run(header(1, 1, 4, "0302" + "00000000")));
  }

  @Test
  void zeroToTheZeroIsOneAndEmptyBaseIsZero() {
    assertEquals("01", Hex.encode(MODEXP.run(header(0, 1, 1, "00" + "05"))));
    assertEquals("00", Hex.encode(MODEXP.run(header(0, 1, 1, "02" + "05"))));
  }

  @Test
  void missingInputBytesReadAsZeros() {
    // 2^3 mod m with the modulus cut off: m = 0 → one zero byte.
    assertEquals("00", Hex.encode(MODEXP.run(header(1, 1, 1, "0203"))));
    // A modulus cut off after its first byte, 01, reads as 0x0100.
    assertEquals("0008", Hex.encode(MODEXP.run(header(1, 1, 2, "020301"))));
  }

  @Test
  void resultIsLeftPaddedToTheModulusLength() {
    BigInteger modulus = BigInteger.ONE.shiftLeft(255).add(BigInteger.valueOf(19));
    byte[] input = header(1, 1, 32, "02" + "03" + Hex.encode(PrecompileHashesTest.word(modulus)));
    assertEquals(word(8), Hex.encode(MODEXP.run(input)));
  }

  private static void check(String base, String exp, String mod, long gas, String expected) {
    byte[] input = header(base.length() / 2, exp.length() / 2, mod.length() / 2, base + exp + mod);
    assertEquals(expected, Hex.encode(MODEXP.run(input)));
    assertEquals(gas, MODEXP.gas(input));
  }

  private static byte[] header(int baseLength, int expLength, int modLength, String body) {
    return Hex.decode(word(baseLength) + word(expLength) + word(modLength) + body);
  }

  private static String word(long value) {
    return String.format("%064x", value);
  }
}
