package io.chorus.evm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * Published results: the shift tables of EIP-145 and the worked examples of the Yellow Paper's
 * signed and modular opcodes. Words are hex; "-1" is 2^256 − 1.
 */
class WordMathTest {
  private static final String MINUS_ONE = "f".repeat(64);
  private static final String MIN = "8" + "0".repeat(63); // −2^255
  private static final String MAX_POSITIVE = "7" + "f".repeat(63);

  @Test
  void signedDivisionEdges() {
    assertEquals(MINUS_ONE, binary(WordMath::sdiv, MINUS_ONE, "1"));
    assertEquals(MIN, binary(WordMath::sdiv, MIN, MINUS_ONE)); // the one overflow wraps
    assertEquals("0", binary(WordMath::sdiv, MIN, "0"));
    assertEquals(hex(-2), binary(WordMath::sdiv, hex(-7), "3")); // truncates toward zero
    assertEquals(hex(-2), binary(WordMath::smod, hex(-8), hex(-3))); // sign of the dividend
    assertEquals("2", binary(WordMath::smod, "8", hex(-3)));
    assertEquals("0", binary(WordMath::smod, MIN, MINUS_ONE));
  }

  @Test
  void unsignedDivisionAndModularArithmetic() {
    assertEquals("3", binary(WordMath::div, "a", "3"));
    assertEquals("0", binary(WordMath::div, "a", "0"));
    assertEquals("1", binary(WordMath::mod, "a", "3"));
    assertEquals("0", binary(WordMath::mod, "a", "0"));
    assertEquals("4", ternary(WordMath::addMod, "a", "a", "8"));
    assertEquals("1", ternary(WordMath::addMod, MINUS_ONE, "2", "2")); // the 257th bit counts
    assertEquals("4", ternary(WordMath::mulMod, "a", "a", "8"));
    assertEquals("9", ternary(WordMath::mulMod, MINUS_ONE, MINUS_ONE, "c")); // all 512 bits count
    assertEquals("0", ternary(WordMath::mulMod, MINUS_ONE, MINUS_ONE, "0"));
  }

  @Test
  void expAndSignExtendAndByte() {
    assertEquals("64", binary(WordMath::exp, "a", "2"));
    assertEquals("1", binary(WordMath::exp, "0", "0"));
    assertEquals("0", binary(WordMath::exp, "2", "100")); // 2^256 wraps to zero
    assertEquals(MINUS_ONE, binary(WordMath::signExtend, "0", "ff"));
    assertEquals("7f", binary(WordMath::signExtend, "0", "7f"));
    assertEquals("ff", binary(WordMath::byteAt, "1f", "ff"));
    assertEquals("ff", binary(WordMath::byteAt, "1e", "ff00"));
    assertEquals("0", binary(WordMath::byteAt, "20", MINUS_ONE));
  }

  /** The test cases of EIP-145, as (value, shift, result). */
  @Test
  void eip145Shifts() {
    String[][] shl = {
        {"1", "0", "1"}, {"1", "1", "2"}, {"1", "ff", MIN}, {"1", "100", "0"}, {"1", "101", "0"},
        {MINUS_ONE, "0", MINUS_ONE}, {MINUS_ONE, "1", "f".repeat(63) + "e"},
        {MINUS_ONE, "ff", MIN}, {MINUS_ONE, "100", "0"}, {"0", "1", "0"},
        {MAX_POSITIVE, "1", "f".repeat(63) + "e"}};
    String[][] shr = {
        {"1", "0", "1"}, {"1", "1", "0"}, {MIN, "1", "4" + "0".repeat(63)}, {MIN, "ff", "1"},
        {MIN, "100", "0"}, {MIN, "101", "0"}, {MINUS_ONE, "0", MINUS_ONE},
        {MINUS_ONE, "1", MAX_POSITIVE}, {MINUS_ONE, "ff", "1"}, {MINUS_ONE, "100", "0"},
        {"0", "1", "0"}};
    String[][] sar = {
        {"1", "0", "1"}, {"1", "1", "0"}, {MIN, "1", "c" + "0".repeat(63)},
        {MIN, "ff", MINUS_ONE}, {MIN, "100", MINUS_ONE}, {MIN, "101", MINUS_ONE},
        {MINUS_ONE, "0", MINUS_ONE}, {MINUS_ONE, "1", MINUS_ONE}, {MINUS_ONE, "ff", MINUS_ONE},
        {MINUS_ONE, "100", MINUS_ONE}, {"0", "1", "0"}, {"4" + "0".repeat(63), "fe", "1"},
        {MAX_POSITIVE, "f8", "7f"}, {MAX_POSITIVE, "fe", "1"}, {MAX_POSITIVE, "ff", "0"},
        {MAX_POSITIVE, "100", "0"}};
    for (String[] c : shl) {
      assertEquals(c[2], binary(WordMath::shl, c[1], c[0]), () -> "SHL " + String.join(" ", c));
    }
    for (String[] c : shr) {
      assertEquals(c[2], binary(WordMath::shr, c[1], c[0]), () -> "SHR " + String.join(" ", c));
    }
    for (String[] c : sar) {
      assertEquals(c[2], binary(WordMath::sar, c[1], c[0]), () -> "SAR " + String.join(" ", c));
    }
  }

  private static String hex(long value) {
    return BigInteger.valueOf(value).mod(WordMathPropertiesTest.MODULUS).toString(16);
  }

  private static String binary(WordMathPropertiesTest.Binary op, String a, String b) {
    long[] s = WordMathPropertiesTest.stack(new BigInteger(a, 16), new BigInteger(b, 16));
    op.apply(s, WordMathPropertiesTest.A, WordMathPropertiesTest.B);
    return WordMathPropertiesTest.read(s, WordMathPropertiesTest.B).toString(16);
  }

  private static String ternary(WordMathPropertiesTest.Ternary op, String a, String b, String n) {
    long[] s = WordMathPropertiesTest.stack(
        new BigInteger(a, 16), new BigInteger(b, 16), new BigInteger(n, 16));
    op.apply(s, WordMathPropertiesTest.A, WordMathPropertiesTest.B, WordMathPropertiesTest.N);
    return WordMathPropertiesTest.read(s, WordMathPropertiesTest.N).toString(16);
  }
}
