package io.chorus.evm;

import static io.chorus.evm.Harness.CONTRACT;
import static io.chorus.evm.Harness.OTHER;
import static io.chorus.evm.Harness.SENDER;
import static io.chorus.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import io.chorus.evm.trace.CallTracer;
import io.chorus.evm.trace.CallTracer.Options;
import io.chorus.evm.trace.StructLogger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The callTracer on hand-assembled contracts that call, create, revert, log and self-destruct:
 * the frame tree, Geth's hex quantities and omissions, revert reasons decoded from
 * {@code Error(string)} but not from custom errors, Geth's error texts for failed frames
 * (including refusals that run no code), and the onlyTopCall and withLog options.
 */
class CallTracerTest {
  private static final String CONTRACT_HEX = CONTRACT.toString();
  private static final String OTHER_HEX = OTHER.toString();

  private record Traced(Result result, Map<String, Object> trace) {}

  private static Traced trace(byte[] code, byte[] other, long gas, Options options) {
    CallTracer tracer = new CallTracer(options);
    Harness h = new Harness(RunInvariants.world(code, other), Harness.BLOCK, tracer);
    Result result = h.call(CONTRACT, new byte[0], gas);
    return new Traced(result, tracer.result());
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> calls(Map<String, Object> frame) {
    return (List<Map<String, Object>>) frame.get("calls");
  }

  /** Solidity's {@code revert(message)}: Error(string) ABI-encoded. */
  private static byte[] errorData(String message) {
    byte[] text = message.getBytes(StandardCharsets.UTF_8);
    byte[] padded = new byte[(text.length + 31) / 32 * 32];
    System.arraycopy(text, 0, padded, 0, text.length);
    return Bytes.concat(Hex.decode("08c379a0"), Word.of(32).toBytes(),
        Word.of(text.length).toBytes(), padded);
  }

  /** Appends code that copies {@code data}, kept after the code, to memory 0 and reverts. */
  private static byte[] revertingWith(Asm asm, byte[] data) {
    int at = asm.pc() + 11; // the length of what follows, up to the data
    return asm.push(new byte[] {(byte) data.length}).push(new byte[] {(byte) (at >> 8),
        (byte) at}).op(PUSH0, CODECOPY).push(new byte[] {(byte) data.length})
        .op(PUSH0, REVERT).append(data).bytes();
  }

  /** CALL(gas, to, value, no input, no output), result popped. */
  private static Asm call(Asm asm, int op, Address to, long value, long gas) {
    asm.op(PUSH0, PUSH0, PUSH0, PUSH0);
    if (op == CALL || op == CALLCODE) {
      asm.push(value);
    }
    return asm.push(to).push(gas).op(op, POP);
  }

  /** CREATE or CREATE2 (salt 0) of a short initcode put at the end of memory word 0. */
  private static Asm create(Asm asm, int op, byte[] initcode, long value) {
    if (op == CREATE2) {
      asm.op(PUSH0);
    }
    return asm.push(initcode).op(PUSH0, MSTORE).push(initcode.length)
        .push(32 - initcode.length).push(value).op(op, POP);
  }

  /** Deploys the 8 bytes 602a5f5260205ff3: PUSH8, PUSH0, MSTORE, PUSH1, PUSH1, RETURN. */
  private static final byte[] DEPLOYS = Hex.decode("67602a5f5260205ff35f52600860" + "18f3");
  /** Reverts with the custom error selector 0xdeadbeef and no arguments. */
  private static final byte[] CUSTOM_ERROR = Hex.decode("63deadbeef5f526004601cfd");

  @Test
  void nestedCallsAndCreationsWithRevertReasons() {
    Asm asm = call(new Asm(), CALL, OTHER, 0, 50_000);
    create(asm, CREATE, DEPLOYS, 0);
    create(asm, CREATE2, CUSTOM_ERROR, 0);
    byte[] code = revertingWith(asm, errorData("outer"));
    byte[] other = revertingWith(new Asm(), errorData("nope"));
    Traced t = trace(code, other, 1_000_000, Options.DEFAULT);
    Map<String, Object> top = t.trace();

    assertEquals(List.of("from", "gas", "gasUsed", "to", "input", "output", "error",
        "revertReason", "calls", "value", "type"), new ArrayList<>(top.keySet()));
    assertEquals(SENDER.toString(), top.get("from"));
    assertEquals("0xf4240", top.get("gas"));
    assertEquals("0x" + Long.toHexString(1_000_000 - t.result().gasLeft()), top.get("gasUsed"));
    assertEquals(CONTRACT_HEX, top.get("to"));
    assertEquals("0x", top.get("input"));
    assertEquals(Hex.encode0x(errorData("outer")), top.get("output"));
    assertEquals("execution reverted", top.get("error"));
    assertEquals("outer", top.get("revertReason"));
    assertEquals("0x0", top.get("value"));
    assertEquals("CALL", top.get("type"));

    List<Map<String, Object>> calls = calls(top);
    assertEquals(3, calls.size());
    // OTHER: PUSH1 3, PUSH2 3, PUSH0 2, CODECOPY 3 + 4 words 12 + memory 12, PUSH1 3, PUSH0 2.
    assertEquals(Map.of("from", CONTRACT_HEX, "gas", "0xc350", "gasUsed", "0x28",
        "to", OTHER_HEX, "input", "0x", "output", Hex.encode0x(errorData("nope")),
        "error", "execution reverted", "revertReason", "nope", "value", "0x0", "type", "CALL"),
        calls.get(0));

    Map<String, Object> created = calls.get(1);
    Address address = new Harness(new MapState()).evm.createAddress(CONTRACT, 1);
    assertEquals("CREATE", created.get("type"));
    assertEquals(address.toString(), created.get("to"));
    assertEquals(Hex.encode0x(DEPLOYS), created.get("input"));
    assertEquals("0x602a5f5260205ff3", created.get("output"), "a creation outputs its code");
    // 17 for the initcode, 8 bytes deposited at 200.
    assertEquals("0x" + Long.toHexString(17 + 1_600), created.get("gasUsed"));
    assertFalse(created.containsKey("error"));

    Map<String, Object> failed = calls.get(2);
    assertEquals(List.of("from", "gas", "gasUsed", "input", "output", "error", "value", "type"),
        new ArrayList<>(failed.keySet()), "a failed creation has no to, a custom error no reason");
    assertEquals("0xdeadbeef", failed.get("output"));
    assertEquals("0x11", failed.get("gasUsed"));
    assertEquals("CREATE2", failed.get("type"));
  }

  @Test
  void panicsAreNamedAndMalformedReasonsAreLeftRaw() {
    byte[] panic = Bytes.concat(Hex.decode("4e487b71"), Word.of(0x11).toBytes());
    assertEquals("arithmetic underflow or overflow", reasonOf(panic));
    byte[] unknown = Bytes.concat(Hex.decode("4e487b71"), Word.of(0x99).toBytes());
    assertEquals("unknown panic code: 0x99", reasonOf(unknown));
    byte[] cut = errorData("truncated");
    assertNull(reasonOf(Arrays.copyOf(cut, cut.length - 32)));
    assertEquals("中文", reasonOf(errorData("中文")));
  }

  private static String reasonOf(byte[] revertData) {
    Map<String, Object> top = trace(revertingWith(new Asm(), revertData), new byte[0], 100_000,
        Options.DEFAULT).trace();
    assertEquals(Hex.encode0x(revertData), top.get("output"));
    return (String) top.get("revertReason");
  }

  @Test
  void failedFramesCarryGethsErrors() {
    byte[] invalid = {PUSH0, (byte) INVALID};
    byte[] underflow = {PUSH0, ADD};
    byte[] writes = {PUSH0, PUSH0, SSTORE};
    assertEquals("invalid opcode: INVALID", childError(invalid, CALL, 0));
    assertEquals("stack underflow (1 <=> 2)", childError(underflow, CALL, 0));
    assertEquals("write protection", childError(writes, STATICCALL, 0));
    // More than the CONTRACT's one ether: refused before OTHER runs, its gas all handed back.
    Map<String, Object> refused =
        calls(trace(call(new Asm(), CALL, OTHER, 2_000_000_000_000_000_000L, 0).bytes(), invalid,
            100_000, Options.DEFAULT).trace()).get(0);
    assertEquals("insufficient balance for transfer", refused.get("error"));
    assertEquals("0x8fc", refused.get("gas"), "the 2300 stipend");
    assertEquals("0x0", refused.get("gasUsed"));
    assertEquals("0x1bc16d674ec80000", refused.get("value"));
    Map<String, Object> top = trace(invalid, new byte[0], 100_000, Options.DEFAULT).trace();
    assertEquals("invalid opcode: INVALID", top.get("error"));
    assertEquals("0x186a0", top.get("gasUsed"), "an exceptional halt uses all the gas");
    assertFalse(top.containsKey("output"));
  }

  private static String childError(byte[] other, int op, long value) {
    Map<String, Object> child = calls(trace(call(new Asm(), op, OTHER, value, 10_000).bytes(),
        other, 100_000, Options.DEFAULT).trace()).get(0);
    assertEquals(op == STATICCALL, !child.containsKey("value"), "STATICCALL moves no value");
    assertEquals("0x2710", child.get("gasUsed"), "a failed frame uses all its gas");
    return (String) child.get("error");
  }

  @Test
  void creationsFailingForTheirDepositOrBalanceSaySo() {
    // Initcode returning 100 zero bytes: 20000 gas of deposit, more than the 63/64 it gets.
    byte[] returns100 = Hex.decode("60645ff3");
    Map<String, Object> deposit = calls(trace(create(new Asm(), CREATE, returns100, 0).bytes(),
        new byte[0], 45_000, Options.DEFAULT).trace()).get(0);
    assertEquals("contract creation code storage out of gas", deposit.get("error"));
    assertEquals(deposit.get("gas"), deposit.get("gasUsed"));
    assertFalse(deposit.containsKey("to"));
    Map<String, Object> poor = calls(trace(create(new Asm(), CREATE, returns100,
        Long.MAX_VALUE).bytes(), new byte[0], 100_000, Options.DEFAULT).trace()).get(0);
    assertEquals("insufficient balance for transfer", poor.get("error"));
    assertEquals("0x0", poor.get("gasUsed"));
    assertEquals("0x" + Long.toHexString(Long.MAX_VALUE), poor.get("value"));
  }

  @Test
  void aSelfDestructIsAFrameWithNoGas() {
    byte[] code = new Asm().push(OTHER).op(SELFDESTRUCT).bytes();
    Map<String, Object> top = trace(code, new byte[0], 100_000, Options.DEFAULT).trace();
    assertEquals(List.of(Map.of("from", CONTRACT_HEX, "gas", "0x0", "gasUsed", "0x0",
        "to", OTHER_HEX, "input", "0x", "value", "0xde0b6b3a7640000", "type", "SELFDESTRUCT")),
        calls(top));
    // The struct logger sees the opcode: 5000, and 2600 for the cold beneficiary.
    StructLogger logger = new StructLogger(StructLogger.Options.DEFAULT);
    new Harness(RunInvariants.world(code, new byte[0]), Harness.BLOCK, logger).call(100_000);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> steps = (List<Map<String, Object>>) logger.result()
        .get("structLogs");
    assertEquals(7_600L, steps.getLast().get("gasCost"));
  }

  /**
   * CONTRACT logs, calls OTHER (which logs and returns), logs again, then calls OTHER with one
   * byte of input (which logs and reverts).
   */
  private static final byte[] LOGGER = new Asm().push(0x2a).op(PUSH0, MSTORE)
      .push(7).push(32).op(PUSH0, LOG0 + 1)
      .op(PUSH0, PUSH0, PUSH0, PUSH0, PUSH0).push(OTHER).op(GAS, CALL, POP)
      .op(PUSH0, PUSH0, LOG0)
      .op(PUSH0, PUSH0).push(1).op(PUSH0, PUSH0).push(OTHER).op(GAS, CALL, POP, STOP).bytes();
  private static final byte[] LOGS_THEN_FAILS_ON_INPUT = new Asm().op(PUSH0, PUSH0, LOG0)
      .op(CALLDATASIZE).pushLabel("fail").op(JUMPI, STOP).label("fail").op(PUSH0, PUSH0, REVERT)
      .bytes();

  @Test
  void withLogKeepsEachFramesLogsAndDropsThoseOfFailedFrames() {
    Map<String, Object> top = trace(LOGGER, LOGS_THEN_FAILS_ON_INPUT, 1_000_000,
        new Options(false, true)).trace();
    String word42 = Hex.encode0x(Word.of(0x2a).toBytes());
    assertEquals(List.of(
        Map.of("address", CONTRACT_HEX, "topics", List.of(Hex.encode0x(Word.of(7).toBytes())),
            "data", word42, "position", "0x0"),
        Map.of("address", CONTRACT_HEX, "topics", List.of(), "data", "0x", "position", "0x1")),
        top.get("logs"));
    List<Map<String, Object>> calls = calls(top);
    assertEquals(List.of(Map.of("address", OTHER_HEX, "topics", List.of(), "data", "0x",
        "position", "0x0")), calls.get(0).get("logs"));
    assertEquals("execution reverted", calls.get(1).get("error"));
    assertFalse(calls.get(1).containsKey("logs"), "a reverted frame's logs are undone");

    Map<String, Object> bare = trace(LOGGER, LOGS_THEN_FAILS_ON_INPUT, 1_000_000,
        Options.DEFAULT).trace();
    assertFalse(bare.containsKey("logs"));
    assertFalse(calls(bare).get(0).containsKey("logs"));
  }

  @Test
  void onlyTopCallKeepsTheTransactionsFrameAndItsOwnLogs() {
    Map<String, Object> top = trace(LOGGER, LOGS_THEN_FAILS_ON_INPUT, 1_000_000,
        new Options(true, true)).trace();
    assertFalse(top.containsKey("calls"));
    assertEquals(List.of("0x0", "0x0"), ((List<?>) top.get("logs")).stream()
        .map(log -> ((Map<?, ?>) log).get("position")).toList());
    assertEquals(List.of(CONTRACT_HEX, CONTRACT_HEX), ((List<?>) top.get("logs")).stream()
        .map(log -> ((Map<?, ?>) log).get("address")).toList());
  }

  @Test
  void aFailedTopFrameDropsEveryLog() {
    byte[] code = Bytes.concat(Arrays.copyOf(LOGGER, LOGGER.length - 1),
        new byte[] {(byte) INVALID});
    Map<String, Object> top = trace(code, LOGS_THEN_FAILS_ON_INPUT, 1_000_000,
        new Options(false, true)).trace();
    assertEquals("invalid opcode: INVALID", top.get("error"));
    assertFalse(top.containsKey("logs"));
    assertFalse(calls(top).get(0).containsKey("logs"));
  }

  @Test
  void valueRulesFollowTheCallKind() {
    byte[] returns = {PUSH0, PUSH0, (byte) RETURN};
    for (int op : new int[] {CALL, CALLCODE, DELEGATECALL, STATICCALL}) {
      Map<String, Object> child = calls(trace(call(new Asm(), op, OTHER, 5, 10_000).bytes(),
          returns, 100_000, Options.DEFAULT).trace()).get(0);
      String expected = switch (op) {
        case CALL, CALLCODE -> "0x5";
        case DELEGATECALL -> "0x0"; // the caller's own value, none here
        default -> null;
      };
      assertEquals(expected, child.get("value"), Opcodes.NAMES[op]);
      assertEquals(CONTRACT_HEX, child.get("from"), Opcodes.NAMES[op]);
      assertEquals(OTHER_HEX, child.get("to"), Opcodes.NAMES[op]);
      assertEquals(Opcodes.NAMES[op], child.get("type"));
      // A value call adds the 2300 stipend to what the callee may use.
      assertEquals(op == CALL || op == CALLCODE ? "0x300c" : "0x2710", child.get("gas"));
    }
  }

  @Test
  void txBoundsOverrideTheTopFramesGas() {
    CallTracer tracer = new CallTracer(Options.DEFAULT);
    tracer.txStart(30_000);
    Harness h = new Harness(RunInvariants.world(new byte[] {STOP}, new byte[0]), Harness.BLOCK,
        tracer);
    h.call(CONTRACT, new byte[0], 9_000);
    tracer.txEnd(21_000);
    assertEquals("0x7530", tracer.result().get("gas"));
    assertEquals("0x5208", tracer.result().get("gasUsed"));
  }
}
