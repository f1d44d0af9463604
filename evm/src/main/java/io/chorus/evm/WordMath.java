package io.chorus.evm;

/**
 * 256-bit arithmetic on the interpreter's flat stack: a word at offset {@code o} of {@code s} is
 * the four limbs {@code s[o]} (most significant) .. {@code s[o+3]} (least significant). Nothing
 * here allocates. Binary operations take the first operand at {@code a} (the top of the stack,
 * the Yellow Paper's μs[0]) and the second at {@code b} (μs[1]) and write the result over
 * {@code b}. PLACEHOLDER: being written.
 */
public final class WordMath {
  private WordMath() {}
}
