package io.chorus.evm;

import static io.chorus.evm.Harness.CONTRACT;
import static io.chorus.evm.Harness.OTHER;
import static io.chorus.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.evm.trace.StructLogger;
import io.chorus.evm.trace.StructLogger.Options;
import io.chorus.evm.trace.TraceLimitException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The struct logger on hand-assembled programs, checked entry by entry against figures worked
 * out from the gas schedule: pc, opcode, gas before, cost (dynamic parts and a call's forwarded
 * gas included), depth and stack; memory, storage and refund where enabled; the error of a
 * failing step; and the step and size bounds.
 */
class StructLoggerTest {
  private static final Options ALL = new Options(false, false, true, true, 0);

  private static Map<String, Object> trace(Harness h, long gas, Options options) {
    StructLogger logger = new StructLogger(options);
    Harness traced = new Harness(h.state, Harness.BLOCK, logger);
    traced.call(gas);
    return logger.result();
  }

  private static Map<String, Object> trace(byte[] code, long gas, Options options) {
    return trace(Harness.withCode(code), gas, options);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> steps(Map<String, Object> result) {
    return (List<Map<String, Object>>) result.get("structLogs");
  }

  /** An entry as Geth prints it with memory off: stack items bottom first. */
  private static Map<String, Object> step(long pc, String op, long gas, long cost, long depth,
      String... stack) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("pc", pc);
    entry.put("op", op);
    entry.put("gas", gas);
    entry.put("gasCost", cost);
    entry.put("depth", depth);
    entry.put("stack", List.of(stack));
    return entry;
  }

  private static Map<String, Object> with(Map<String, Object> entry, String key, Object value) {
    entry.put(key, value);
    return entry;
  }

  private static final String FIVE =
      "0000000000000000000000000000000000000000000000000000000000000005";

  @Test
  void aSmallProgramGivesGethsEntriesStepByStep() {
    // 2 + 3, stored at 0 and returned.
    byte[] code = {PUSH1, 2, PUSH1, 3, ADD, PUSH0, MSTORE, PUSH1, 32, PUSH0, (byte) RETURN};
    Map<String, Object> result = trace(code, 100_000, ALL);
    List<Map<String, Object>> expected = List.of(
        step(0, "PUSH1", 100_000, 3, 1),
        step(2, "PUSH1", 99_997, 3, 1, "0x2"),
        step(4, "ADD", 99_994, 3, 1, "0x2", "0x3"),
        step(5, "PUSH0", 99_991, 2, 1, "0x5"),
        // 3 static + 3 for the first memory word; memory is shown as it was before.
        step(6, "MSTORE", 99_989, 6, 1, "0x5", "0x0"),
        with(step(7, "PUSH1", 99_983, 3, 1), "memory", List.of(FIVE)),
        with(step(9, "PUSH0", 99_980, 2, 1, "0x20"), "memory", List.of(FIVE)),
        with(step(10, "RETURN", 99_978, 0, 1, "0x20", "0x0"), "memory", List.of(FIVE)));
    assertEquals(expected, steps(result));
    assertEquals(22L, result.get("gas"));
    assertEquals(false, result.get("failed"));
    assertEquals("0x" + FIVE, result.get("returnValue"));
    assertEquals(List.of("gas", "failed", "returnValue", "structLogs"),
        new ArrayList<>(result.keySet()));
  }

  @Test
  void optionsLeaveOutStackAndMemoryAndAddReturnData() {
    byte[] code = new Asm().op(PUSH0, PUSH0, PUSH0, PUSH0, PUSH0).push(OTHER).op(GAS, CALL)
        .op(POP, STOP).bytes();
    byte[] other = new Asm().push(0xab).op(PUSH0, MSTORE8).push(1).op(PUSH0, RETURN).bytes();
    Harness h = new Harness(RunInvariants.world(code, other));
    List<Map<String, Object>> bare = steps(trace(h, 100_000, Options.DEFAULT));
    assertFalse(bare.stream().anyMatch(e -> e.containsKey("memory")), "memory is off by default");
    assertFalse(bare.stream().anyMatch(e -> e.containsKey("returnData")));
    List<Map<String, Object>> noStack =
        steps(trace(h, 100_000, new Options(true, false, false, true, 0)));
    assertFalse(noStack.stream().anyMatch(e -> e.containsKey("stack")));
    // After the call, POP and STOP see OTHER's one returned byte.
    assertEquals(List.of("0xab", "0xab"), noStack.stream()
        .filter(e -> e.containsKey("returnData")).map(e -> e.get("returnData")).toList());
    assertEquals(List.of("POP", "STOP"), noStack.stream()
        .filter(e -> e.containsKey("returnData")).map(e -> e.get("op")).toList());
  }

  @Test
  void storageIsWhatTheContractTouchedAndRefundFollowsTheCounter() {
    // Committed slots: 0 -> 1, 1 -> 2. Read slot 0, write 7 to slot 1, clear slot 0.
    byte[] code = new Asm().op(PUSH0, SLOAD, POP).push(7).push(1).op(SSTORE)
        .op(PUSH0, PUSH0, SSTORE, STOP).bytes();
    Harness h = new Harness(RunInvariants.world(code, new byte[0]));
    List<Map<String, Object>> steps = steps(trace(h, 100_000, Options.DEFAULT));
    String zero = slot(0);
    String one = slot(1);
    assertEquals(List.of("PUSH0", "SLOAD", "POP", "PUSH1", "PUSH1", "SSTORE", "PUSH0", "PUSH0",
        "SSTORE", "STOP"), steps.stream().map(e -> e.get("op")).toList());
    // Cold SLOAD 2100; cold SSTORE resetting a clean slot 2100 + 2900; warm clear 2900.
    assertEquals(List.of(2L, 2100L, 2L, 3L, 3L, 5000L, 2L, 2L, 2900L, 0L),
        steps.stream().map(e -> e.get("gasCost")).toList());
    assertEquals(Map.of(zero, slot(1)), steps.get(1).get("storage"));
    assertEquals(Map.of(zero, slot(1), one, slot(7)), steps.get(5).get("storage"));
    assertEquals(Map.of(zero, slot(0), one, slot(7)), steps.get(8).get("storage"));
    assertEquals(List.of(1, 5, 8), indexesWith(steps, "storage"));
    // EIP-3529: clearing a slot that was set when the transaction began refunds 4800.
    assertEquals(List.of(9), indexesWith(steps, "refund"));
    assertEquals(4_800L, steps.get(9).get("refund"));
    assertEquals(List.of(), indexesWith(steps(trace(h, 100_000,
        new Options(false, true, false, false, 0))), "storage"));
  }

  private static String slot(long value) {
    return String.format("%064x", value);
  }

  private static List<Integer> indexesWith(List<Map<String, Object>> steps, String key) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).containsKey(key)) {
        at.add(i);
      }
    }
    return at;
  }

  @Test
  void aCallCostsWhatItForwardsAndItsStepsFollowOneDepthDown() {
    byte[] code = new Asm().op(PUSH0, PUSH0, PUSH0, PUSH0, PUSH0).push(OTHER).push(10_000)
        .op(CALL, STOP).bytes();
    byte[] other = new Asm().push(1).op(PUSH0, RETURN).bytes();
    Harness h = new Harness(RunInvariants.world(code, other));
    List<Map<String, Object>> steps = steps(trace(h, 100_000, Options.DEFAULT));
    String otherWord = "0x" + Long.toHexString(0xb0b);
    assertEquals(List.of(
        step(0, "PUSH0", 100_000, 2, 1),
        step(1, "PUSH0", 99_998, 2, 1, "0x0"),
        step(2, "PUSH0", 99_996, 2, 1, "0x0", "0x0"),
        step(3, "PUSH0", 99_994, 2, 1, "0x0", "0x0", "0x0"),
        step(4, "PUSH0", 99_992, 2, 1, "0x0", "0x0", "0x0", "0x0"),
        step(5, "PUSH20", 99_990, 3, 1, "0x0", "0x0", "0x0", "0x0", "0x0"),
        step(26, "PUSH2", 99_987, 3, 1, "0x0", "0x0", "0x0", "0x0", "0x0", otherWord),
        // 100 warm + 2500 cold for OTHER + the 10000 it is given.
        step(29, "CALL", 99_984, 12_600, 1, "0x0", "0x0", "0x0", "0x0", "0x0", otherWord,
            "0x2710"),
        step(0, "PUSH1", 10_000, 3, 2),
        step(2, "PUSH0", 9_997, 2, 2, "0x1"),
        step(3, "RETURN", 9_995, 3, 2, "0x1", "0x0"),
        // OTHER hands back 10000 - 8.
        step(30, "STOP", 99_984 - 12_600 + 9_992, 0, 1, "0x1")), steps);
  }

  @Test
  void aStepThatRunsOutOfGasSaysSo() {
    byte[] code = {PUSH1, 1, PUSH1, 2, ADD};
    Map<String, Object> result = trace(code, 7, Options.DEFAULT);
    Map<String, Object> last = steps(result).get(2);
    assertEquals(with(step(4, "ADD", 1, 3, 1, "0x1", "0x2"), "error", "out of gas"), last);
    // Geth's key order: the error right after the depth.
    assertEquals(List.of("pc", "op", "gas", "gasCost", "depth", "error", "stack"),
        new ArrayList<>(last.keySet()));
    assertEquals(true, result.get("failed"));
    assertEquals("0x", result.get("returnValue"));
    assertEquals(7L, result.get("gas"));
  }

  @Test
  void aFailedMemoryExpansionCostsWhatWasChargedBeforeIt() {
    byte[] code = new Asm().op(PUSH0).push(1024).op(MSTORE).bytes();
    Map<String, Object> last = steps(trace(code, 55, Options.DEFAULT)).get(2);
    assertEquals(with(step(4, "MSTORE", 50, 3, 1, "0x0", "0x400"), "error", "out of gas"), last);
  }

  @Test
  void invalidAndUndefinedOpcodesAndStackAndJumpFailuresSaySo() {
    assertEquals(List.of("INVALID", "invalid opcode: INVALID", 0L),
        lastStep(new byte[] {PUSH0, (byte) INVALID}));
    assertEquals(List.of("opcode 0xc not defined", "invalid opcode: opcode 0xc not defined", 0L),
        lastStep(new byte[] {PUSH0, 0x0c}));
    assertEquals(List.of("ADD", "stack underflow (1 <=> 2)", 3L),
        lastStep(new byte[] {PUSH0, ADD}));
    assertEquals(List.of("JUMP", "invalid jump destination", 8L),
        lastStep(new byte[] {PUSH1, 3, JUMP, STOP}));
    byte[] full = new byte[1025];
    Arrays.fill(full, (byte) PUSH0);
    assertEquals(List.of("PUSH0", "stack limit reached 1024 (1023)", 2L), lastStep(full));
  }

  @Test
  void everyDefinedOpcodeHasItsOwnMnemonic() {
    Set<String> seen = new HashSet<>();
    for (int op = 0; op < 256; op++) {
      // INVALID is undefined on purpose, yet named.
      boolean named = STATIC_GAS[op] >= 0 || op == INVALID;
      assertEquals(!named, NAMES[op].startsWith("opcode 0x"), NAMES[op]);
      assertTrue(seen.add(NAMES[op]), NAMES[op] + " twice");
    }
    // The last of each consecutive run the table names, so no run is shifted.
    assertEquals(List.of("SIGNEXTEND", "SAR", "EXTCODEHASH", "BLOBBASEFEE", "PUSH0", "PUSH32",
        "DUP16", "SWAP16", "LOG4", "CREATE2", "STATICCALL", "SELFDESTRUCT"),
        List.of(NAMES[0x0b], NAMES[0x1d], NAMES[0x3f], NAMES[0x4a], NAMES[0x5f], NAMES[0x7f],
            NAMES[0x8f], NAMES[0x9f], NAMES[0xa4], NAMES[0xf5], NAMES[0xfa], NAMES[0xff]));
    assertEquals("opcode 0xef not defined", NAMES[0xef]);
  }

  private static List<Object> lastStep(byte[] code) {
    List<Map<String, Object>> steps = steps(trace(code, 100_000, Options.DEFAULT));
    Map<String, Object> last = steps.getLast();
    return List.of(last.get("op"), last.get("error"), last.get("gasCost"));
  }

  @Test
  void aRevertKeepsItsDataAsTheReturnValueWithoutAStepError() {
    byte[] code = new Asm().push(0xee).op(PUSH0, MSTORE8).push(1).op(PUSH0, REVERT).bytes();
    Map<String, Object> result = trace(code, 100_000, Options.DEFAULT);
    assertEquals(true, result.get("failed"));
    assertEquals("0xee", result.get("returnValue"));
    assertFalse(steps(result).getLast().containsKey("error"));
  }

  /** JUMPDEST, PUSH2 0, JUMP forever: 3 steps and 12 gas a round. */
  private static final byte[] LOOP = new Asm().label("top").pushLabel("top").op(JUMP).bytes();

  @Test
  void withoutALimitALongTraceFailsClearlyInsteadOfGrowing() {
    StructLogger logger = new StructLogger(Options.DEFAULT);
    new Harness(Harness.withCode(LOOP).state, Harness.BLOCK, logger).call(1_000_000);
    TraceLimitException e = assertThrows(TraceLimitException.class, logger::result);
    assertTrue(e.getMessage().contains("exceeds 100000 steps"), e.getMessage());
    // Just under the bound it is kept whole: 33333 rounds and the failing JUMPDEST.
    assertEquals(100_000, steps(trace(LOOP, 12 * 33_333, Options.DEFAULT)).size());
  }

  @Test
  void aLimitKeepsTheFirstStepsAndTheOutcome() {
    Map<String, Object> result = trace(LOOP, 1_000_000, new Options(false, false, false, false,
        5));
    assertEquals(List.of(0L, 1L, 4L, 0L, 1L),
        steps(result).stream().map(e -> e.get("pc")).toList());
    assertEquals(true, result.get("failed"));
    assertEquals(1_000_000L, result.get("gas"));
    assertThrows(IllegalArgumentException.class,
        () -> new Options(false, false, false, false, StructLogger.LIMIT_MAX + 1));
  }

  @Test
  void aTraceOfHugeMemoryFailsOnItsSizeBeforeItIsBuilt() {
    // 1 MiB of memory, then a loop: each entry would hold 2 Mi hex digits of memory.
    byte[] code = new Asm().op(PUSH0).push((1 << 20) - 32).op(MSTORE)
        .label("top").pushLabel("top").op(JUMP).bytes();
    StructLogger logger = new StructLogger(ALL);
    new Harness(Harness.withCode(code).state, Harness.BLOCK, logger).call(3_000_000);
    TraceLimitException e = assertThrows(TraceLimitException.class, logger::result);
    assertTrue(e.getMessage().contains("characters"), e.getMessage());
    // It is the memory: without it the first thousand steps fit.
    assertEquals(1_000, steps(trace(code, 3_000_000, new Options(false, false, false, false,
        1_000))).size());
  }
}
