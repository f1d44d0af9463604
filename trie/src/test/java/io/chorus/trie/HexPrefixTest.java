package io.chorus.trie;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hex-prefix encoding: the Yellow Paper's examples, strict decoding, and round trips. */
class HexPrefixTest {

  @ParameterizedTest(name = "{0} leaf={1} -> {2}")
  @CsvSource({
      "'', false, 00",
      "'', true, 20",
      "12345, false, 112345",
      "012345, false, 00012345",
      "0f1cb8, true, 200f1cb8",
      "f1cb8, true, 3f1cb8",
  })
  void encodesTheYellowPaperExamples(String nibbles, boolean leaf, String encoded) {
    byte[] path = nibbles(nibbles);
    assertEquals(encoded, Hex.encode(HexPrefix.encode(path, leaf)));
    HexPrefix.Path decoded = HexPrefix.decode(Hex.decode(encoded));
    assertArrayEquals(path, decoded.nibbles());
    assertEquals(leaf, decoded.leaf());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "'', hex-prefix path is empty",
      "40, hex-prefix flag nibble 4 is not 0 to 3",
      "f1, hex-prefix flag nibble 15 is not 0 to 3",
      "01, hex-prefix padding nibble of an even path is not 0",
      "2a12, hex-prefix padding nibble of an even path is not 0",
  })
  void rejectsNonCanonicalPaths(String encoded, String problem) {
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class, () -> HexPrefix.decode(Hex.decode(encoded)));
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Property
  void decodeInvertsEncode(@ForAll("paths") byte[] path, @ForAll boolean leaf) {
    HexPrefix.Path decoded = HexPrefix.decode(HexPrefix.encode(path, leaf));
    assertArrayEquals(path, decoded.nibbles());
    assertEquals(leaf, decoded.leaf());
  }

  @Provide
  Arbitrary<byte[]> paths() {
    return Arbitraries.bytes().between((byte) 0, (byte) 15).array(byte[].class).ofMaxSize(70);
  }

  private static byte[] nibbles(String digits) {
    byte[] out = new byte[digits.length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Character.digit(digits.charAt(i), 16);
    }
    return out;
  }
}
