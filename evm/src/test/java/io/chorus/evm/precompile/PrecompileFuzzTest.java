package io.chorus.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No input makes a precompile throw: thousands of seeded random inputs per precompile, of random
 * lengths and of lengths and shapes each one parses (modexp headers with small lengths, points
 * near valid ones, ecrecover's v). As the interpreter would, run is called only when gas(input)
 * fits a budget; gas itself must answer for every input.
 */
class PrecompileFuzzTest {
  private static final int INPUTS = 2000;
  private static final long GAS_BUDGET = 1_000_000;
  private static final int[] SIZES = {0, 1, 31, 32, 33, 64, 96, 127, 128, 129, 192, 212, 213, 214,
      384};

  @ParameterizedTest(name = "precompile {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void noInputThrows(int index) {
    Precompile precompile = Precompiles.at(index);
    Random random = new Random(1000L + index);
    for (int i = 0; i < INPUTS; i++) {
      byte[] input = i % 2 == 0 ? randomInput(random) : shaped(index, random);
      long gas = precompile.gas(input);
      assertTrue(gas >= 0, () -> "negative gas for " + Hex.encode(input));
      if (gas <= GAS_BUDGET) {
        byte[] output = run(precompile, input);
        checkOutput(index, input, output);
      }
    }
  }

  private static byte[] run(Precompile precompile, byte[] input) {
    try {
      return precompile.run(input);
    } catch (RuntimeException e) {
      throw new AssertionError("threw on input " + Hex.encode(input), e);
    }
  }

  // What holds of every output, valid input or not.
  private static void checkOutput(int index, byte[] input, byte[] output) {
    switch (index) {
      case 1 -> assertTrue(output.length == 0 || output.length == 32, "ecrecover never fails");
      case 2, 3 -> assertEquals(32, output.length);
      case 4 -> assertArrayEquals(input, output);
      // Within the budget every length is small: modexp always answers, modLength bytes.
      case 5 -> assertEquals(Input.word(input, 64).intValueExact(), output.length);
      case 6, 7 -> assertTrue(output == null || output.length == 64);
      case 8 -> assertTrue(output == null || output.length == 32);
      case 9 -> assertEquals(input.length == 213 && (input[212] & 0xff) <= 1, output != null);
      default -> assertTrue(output == null || output.length == 64);
    }
  }

  private static byte[] randomInput(Random random) {
    int length = random.nextBoolean() ? SIZES[random.nextInt(SIZES.length)] : random.nextInt(700);
    byte[] input = new byte[length];
    random.nextBytes(input);
    // Runs of zeros and of 0xff reach edge values (infinity, coordinates ≥ p) that uniform
    // random bytes almost never do.
    if (length > 0 && random.nextInt(3) == 0) {
      int from = random.nextInt(length);
      int to = from + random.nextInt(length - from + 1);
      byte fill = random.nextBoolean() ? 0 : (byte) 0xff;
      for (int j = from; j < to; j++) {
        input[j] = fill;
      }
    }
    return input;
  }

  // Inputs shaped like the precompile's format, so fuzzing reaches past the first check.
  private static byte[] shaped(int index, Random random) {
    byte[] input;
    switch (index) {
      case 1 -> {
        input = new byte[128];
        random.nextBytes(input);
        Arrays.fill(input, 32, 63, (byte) 0);
        input[63] = (byte) (27 + random.nextInt(2));
      }
      case 5 -> {
        int base = random.nextInt(70);
        int exp = random.nextInt(70);
        int mod = random.nextInt(70);
        input = new byte[96 + random.nextInt(base + exp + mod + 1)];
        random.nextBytes(input);
        Arrays.fill(input, 0, 96, (byte) 0);
        input[31] = (byte) base;
        input[63] = (byte) exp;
        input[95] = (byte) mod;
      }
      case 6, 7, 8 -> input = nearValidPoints(index, random);
      case 10 -> {
        // A matching versioned hash, so c-kzg sees the random z, y, commitment and proof.
        input = new byte[192];
        random.nextBytes(input);
        byte[] hash = Sha256.digest(Arrays.copyOfRange(input, 96, 144));
        hash[0] = 0x01;
        System.arraycopy(hash, 0, input, 0, 32);
      }
      case 9 -> {
        input = new byte[213];
        random.nextBytes(input);
        Arrays.fill(input, 0, 3, (byte) 0);
        input[212] = (byte) random.nextInt(3);
      }
      default -> input = randomInput(random);
    }
    return input;
  }

  // Generators with a byte or two changed, and now and then unchanged: valid points cost a full
  // pairing, so they are kept rare.
  private static byte[] nearValidPoints(int index, Random random) {
    String g1 = PrecompileBn254Test.G1;
    String hex = switch (index) {
      case 6 -> g1 + g1;
      case 7 -> g1 + PrecompileBn254Test.word(random.nextLong());
      default -> g1 + PrecompileBn254Test.G2;
    };
    byte[] input = Hex.decode(hex);
    for (int changes = random.nextInt(20) == 0 ? 0 : 1 + random.nextInt(2); changes > 0;
        changes--) {
      input[random.nextInt(input.length)] = (byte) random.nextInt(256);
    }
    return input;
  }
}
