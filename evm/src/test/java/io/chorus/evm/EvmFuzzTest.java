package io.chorus.evm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the interpreter: an input is split into gas (up to 10 million), calldata and code (up
 * to 4 KiB), and the code runs as both the called contract and the one beside it that it may
 * call. Whatever the bytes, nothing escapes the EVM and every {@link RunInvariants} holds. Plain
 * test runs replay only Jazzer's (empty) corpus, so a seeded sweep of opcode-biased inputs runs
 * the same target there too.
 */
public class EvmFuzzTest {
  private static final int CODE_BYTES_MAX = 4096;
  private static final long GAS_MAX = 10_000_000;
  private static final int[] DEFINED = IntStream.range(0, 256)
      .filter(op -> Opcodes.STATIC_GAS[op] >= 0).toArray();

  /** Entry point for long runs with the standalone driver. */
  public static void fuzzerTestOneInput(byte[] input) {
    runKeepsTheInvariants(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    runKeepsTheInvariants(input);
  }

  @Test
  void seededOpcodeBiasedInputsKeepTheInvariants() {
    Random random = new Random(0xC0DE);
    for (int i = 0; i < 300; i++) {
      byte[] input = new byte[4 + random.nextInt(400)];
      random.nextBytes(input);
      // Past the header, mostly defined opcodes, so runs get past their first instruction.
      for (int at = 4; at < input.length; at++) {
        if (random.nextInt(10) < 8) {
          input[at] = (byte) DEFINED[random.nextInt(DEFINED.length)];
        }
      }
      runKeepsTheInvariants(input);
    }
  }

  /** Bytes 0-2: gas scaled to [0, GAS_MAX]; byte 3: calldata length mod 64; calldata; code. */
  private static void runKeepsTheInvariants(byte[] input) {
    byte[] header = Arrays.copyOf(input, 4);
    long scaled = ((header[0] & 0xffL) << 16) | ((header[1] & 0xffL) << 8) | (header[2] & 0xffL);
    long gas = scaled * GAS_MAX / 0xffffff;
    int start = Math.min(input.length, 4);
    int calldataEnd = Math.min(input.length, start + (header[3] & 0x3f));
    byte[] calldata = Arrays.copyOfRange(input, start, calldataEnd);
    byte[] code = Arrays.copyOfRange(input, calldataEnd,
        Math.min(input.length, calldataEnd + CODE_BYTES_MAX));
    RunInvariants.check(code, code, calldata, gas);
  }
}
