package io.chorus.evm.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.chorus.evm.Word;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hex forms against BigInteger's: quantities without leading zeros, words in 64 digits. */
class TraceHexTest {
  @Property(tries = 2000)
  void wordsPrintAsBigIntegersDo(@ForAll long u3, @ForAll long u2, @ForAll long u1,
      @ForAll long u0, @ForAll("limbsKept") int kept) {
    // Zero the high limbs now and then, so short values come up as often as long ones.
    long[] limbs = {u3, u2, u1, u0};
    for (int i = 0; i < 4 - kept; i++) {
      limbs[i] = 0;
    }
    Word word = new Word(limbs[0], limbs[1], limbs[2], limbs[3]);
    BigInteger value = word.toBigInteger();
    assertEquals("0x" + value.toString(16), TraceHex.quantity(word));
    assertEquals(String.format("%064x", value), TraceHex.word(word));
  }

  @Provide
  static Arbitrary<Integer> limbsKept() {
    return Arbitraries.integers().between(0, 4);
  }

  @Property(tries = 200)
  void quantitiesAndDataMatchBigInteger(@ForAll long unsigned, @ForAll byte[] data) {
    assertEquals("0x" + Long.toUnsignedString(unsigned, 16), TraceHex.quantity(unsigned));
    assertEquals("0x" + (data.length == 0 ? "" : String.format("%0" + 2 * data.length + "x",
        new BigInteger(1, data))), TraceHex.data(data));
  }
}
