package io.chorus.codec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the RLP decoder: any input either decodes to an item whose encoding is the input itself
 * (strictness means one canonical form), or fails with {@link RlpException} — nothing else. An
 * accepted input stops being valid when cut short or extended (an item's header fixes its
 * length), and a scalar the reader accepts re-encodes to the same bytes (no leading zeros).
 * Seeds: one valid encoding of each shape in {@code RlpFuzzTestInputs/fuzz}.
 */
public class RlpFuzzTest {

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    decodeIsStrictAndTotal(input);
    scalarsAreCanonical(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    fuzzerTestOneInput(input);
  }

  /** The seeds stay seeds of the accepting path: each one is a valid encoding. */
  @Test
  void everySeedDecodes() throws IOException {
    List<Path> seeds = seeds();
    assertFalse(seeds.isEmpty(), "no seed corpus under src/test/resources");
    for (Path seed : seeds) {
      byte[] input = Files.readAllBytes(seed);
      assertDoesNotThrow(() -> Rlp.decode(input), seed.toString());
      fuzzerTestOneInput(input);
    }
  }

  private static List<Path> seeds() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/test/resources/io/chorus/codec/"
        + "RlpFuzzTestInputs/fuzz"))) {
      return files.sorted().toList();
    }
  }

  private static void decodeIsStrictAndTotal(byte[] input) {
    RlpItem item;
    try {
      item = Rlp.decode(input);
    } catch (RlpException rejected) {
      return;
    }
    byte[] again = Rlp.encode(item);
    if (!Arrays.equals(again, input)) {
      throw new AssertionError("accepted non-canonical input " + Hex.encode(input)
          + ", canonical form is " + Hex.encode(again));
    }
    rejects(Arrays.copyOf(input, input.length - 1), "a valid item cut short by one byte");
    rejects(Arrays.copyOf(input, input.length + 1), "a valid item followed by a zero byte");
  }

  private static void rejects(byte[] input, String what) {
    try {
      Rlp.decode(input);
    } catch (RlpException expected) {
      return;
    }
    throw new AssertionError("accepted " + what + ": " + Hex.encode(input));
  }

  /** A scalar the reader accepts has exactly one encoding: the one the encoder writes. */
  private static void scalarsAreCanonical(byte[] input) {
    try {
      RlpReader reader = RlpReader.of(input);
      long value = reader.readUnsignedLong("fuzzed long");
      reader.requireEnd("fuzzed long");
      sameBytes(Rlp.encodeUnsignedLong(value), input, "a 64-bit scalar");
    } catch (RlpException rejected) {
      // not a canonical scalar of at most 8 bytes
    }
    try {
      RlpReader reader = RlpReader.of(input);
      UInt256 value = reader.readUInt256("fuzzed word");
      reader.requireEnd("fuzzed word");
      sameBytes(Rlp.encodeUInt256(value), input, "a 256-bit scalar");
      sameBytes(Rlp.encodeBigInteger(value.toBigInteger()), input, "a 256-bit scalar");
    } catch (RlpException rejected) {
      // not a canonical scalar of at most 32 bytes
    }
  }

  private static void sameBytes(byte[] encoded, byte[] input, String what) {
    if (!Arrays.equals(encoded, input)) {
      throw new AssertionError("read " + what + " from " + Hex.encode(input)
          + " that encodes as " + Hex.encode(encoded));
    }
  }
}
