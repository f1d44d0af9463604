package io.chorus.evm;

import static io.chorus.evm.Harness.CONTRACT;
import static io.chorus.evm.Harness.ETHER;
import static io.chorus.evm.Harness.OTHER;
import static io.chorus.evm.Harness.SENDER;
import static io.chorus.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Hex;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Hand-assembled programs with exact expected outcomes. Gas figures come from the Yellow Paper's
 * fee schedule as Cancun amends it (EIP-2929 access costs, EIP-2200/3529 SSTORE); each test
 * shows its arithmetic.
 */
class EvmTest {
  private static final BigInteger MAX_WORD = BigInteger.ONE.shiftLeft(256).subtract(
      BigInteger.ONE);

  // Runtime: return the word 42. Initcode: return the runtime's 8 bytes.
  private static final byte[] RUNTIME = new Asm().push(42).returnTop().bytes();
  private static final byte[] INITCODE = new Asm().push(RUNTIME).op(PUSH0, MSTORE)
      .push(RUNTIME.length).push(32 - RUNTIME.length).op(RETURN).bytes();

  private static byte[] word(long value) {
    return Word.of(value).toBytes();
  }


  private static void assertExceptional(int status, Result r) {
    assertEquals(Status.name(status), Status.name(r.status()));
    assertEquals(0, r.gasLeft(), "an exceptional halt consumes all gas");
    assertEquals(0, r.output().length);
  }

  @Test
  void arithmeticStorageRoundTrip() {
    byte[] code = new Asm()
        .push(6).push(7).op(MUL).push(3).op(ADD).push(1).op(SSTORE)
        .push(1).op(SLOAD).returnTop().bytes();
    Harness h = Harness.withCode(code);
    Result r = h.call(100_000);
    // PUSH1 x3 = 9, MUL 5, ADD 3, PUSH1 3, SSTORE cold 0 -> 45: 2100 + 20000,
    // PUSH1 3, SLOAD warm 100, PUSH0 2, MSTORE 3 + 1 word of memory 3, PUSH1 3, PUSH0 2,
    // RETURN 0: 9 + 5 + 3 + 3 + 22100 + 3 + 100 + 2 + 6 + 3 + 2 = 22236.
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(100_000 - 22_236, r.gasLeft());
    assertArrayEquals(word(45), r.output());
    assertEquals(Word.of(45), h.journal.storage(CONTRACT, Word.of(1)));
    List<AccountChange> changes = h.journal.finish();
    assertEquals(1, changes.size());
    assertEquals(CONTRACT, changes.get(0).address());
    assertEquals(Map.of(Word.of(1), Word.of(45)), changes.get(0).storage());
  }

  @Test
  void storingThenClearingAFreshSlotRefundsTheSet() {
    byte[] code = new Asm().push(45).push(1).op(SSTORE).push(0).push(1).op(SSTORE).bytes();
    Harness h = Harness.withCode(code);
    Result r = h.call(100_000);
    // 3 + 3 + (2100 cold + 20000 set) + 3 + 3 + 100 (dirty slot) = 22212; back to the original
    // zero refunds SSTORE_SET - WARM_ACCESS = 19900 (EIP-3529).
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(100_000 - 22_212, r.gasLeft());
    assertEquals(19_900, h.journal.refund());
    List<AccountChange> changes = h.journal.finish();
    assertTrue(changes.stream().allMatch(c -> c.storage().isEmpty()), "net change is none");
  }

  @Test
  void clearingACommittedSlotCostsResetAndRefunds() {
    Harness h = new Harness(new MapState()
        .put(SENDER, 0, ETHER, new byte[0])
        .put(CONTRACT, 1, ETHER, new Asm().push(0).push(0).op(SSTORE).bytes())
        .putStorage(CONTRACT, Word.ZERO, Word.of(5)));
    Result r = h.call(100_000);
    // 3 + 3 + 2100 (cold) + 2900 (reset) = 5006; clearing refunds 4800.
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(100_000 - 5_006, r.gasLeft());
    assertEquals(4_800, h.journal.refund());
    assertEquals(Map.of(Word.ZERO, Word.ZERO), h.journal.finish().get(0).storage());
  }

  @Test
  void returnCopiesTheExactMemoryRange() {
    byte[] value = Hex.decode("0102030405060708091011121314151617181920212223242526272829303132");
    byte[] code = new Asm().push(value).op(PUSH0, MSTORE).push(4).push(30).op(RETURN).bytes();
    Result r = Harness.withCode(code).call(1_000);
    // PUSH32 3, PUSH0 2, MSTORE 3 + 3 (1 word), PUSH1 3, PUSH1 3, RETURN growing memory to 2
    // words: memoryCost(2) - memoryCost(1) = 6 - 3 = 3. Total 20.
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(1_000 - 20, r.gasLeft());
    assertArrayEquals(Hex.decode("31320000"), r.output());
  }

  @Test
  void revertReturnsItsDataAndRemainingGasAndUndoesState() {
    byte[] code = new Asm().push(1).op(PUSH0, SSTORE).push(42).op(PUSH0, MSTORE)
        .push(32).op(PUSH0, REVERT).bytes();
    Harness h = Harness.withCode(code);
    Result r = h.call(30_000);
    // PUSH1 3, PUSH0 2, SSTORE 22100, PUSH1 3, PUSH0 2, MSTORE 3 + 3, PUSH1 3, PUSH0 2 = 22121.
    assertEquals(Status.REVERT, r.status());
    assertEquals(30_000 - 22_121, r.gasLeft());
    assertArrayEquals(word(42), r.output());
    assertEquals(Word.ZERO, h.journal.storage(CONTRACT, Word.ZERO));
    assertEquals(0, h.journal.refund());
    assertEquals(List.of(), h.journal.finish());
  }

  @Test
  void exactGasOfASmallProgramAndTheOutOfGasBoundary() {
    // PUSH1 PUSH1 ADD PUSH1 MSTORE: 5 x 3 + memoryCost(1) = 3 x 1 + 1 / 512 = 3, so 18.
    byte[] code = new Asm().push(1).push(2).op(ADD).push(0).op(MSTORE).bytes();
    Result plenty = Harness.withCode(code).call(100);
    assertEquals(Status.SUCCESS, plenty.status());
    assertEquals(82, plenty.gasLeft());
    Result exact = Harness.withCode(code).call(18);
    assertEquals(Status.SUCCESS, exact.status());
    assertEquals(0, exact.gasLeft());
    assertExceptional(Status.OUT_OF_GAS, Harness.withCode(code).call(17));
  }

  @Test
  void memoryExpansionIsQuadratic() {
    // MSTORE at 0xffe0 ends at 65536 bytes = 2048 words: 3 x 2048 + 2048^2 / 512 = 6144 + 8192
    // = 14336, plus PUSH1 3, PUSH2 3, MSTORE 3: 14345.
    byte[] code = new Asm().push(1).push(0xffe0).op(MSTORE).bytes();
    Result exact = Harness.withCode(code).call(14_345);
    assertEquals(Status.SUCCESS, exact.status());
    assertEquals(0, exact.gasLeft());
    assertExceptional(Status.OUT_OF_GAS, Harness.withCode(code).call(14_344));
  }

  @Test
  void stackUnderflow() {
    assertExceptional(Status.STACK_UNDERFLOW, Harness.withCode(new byte[] {ADD}).call(1_000));
    assertExceptional(Status.STACK_UNDERFLOW,
        Harness.withCode(new byte[] {PUSH0, ADD}).call(1_000));
    assertExceptional(Status.STACK_UNDERFLOW,
        Harness.withCode(new Asm().op(PUSH0, PUSH0, SWAP1 + 1).bytes()).call(1_000));
  }

  @Test
  void stackOverflowAt1025Items() {
    byte[] full = new byte[1024];
    Arrays.fill(full, (byte) PUSH0);
    Result r = Harness.withCode(full).call(10_000);
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(10_000 - 1024 * 2, r.gasLeft());
    byte[] over = Arrays.copyOf(full, 1025);
    over[1024] = PUSH0;
    assertExceptional(Status.STACK_OVERFLOW, Harness.withCode(over).call(10_000));
    over[1024] = (byte) DUP1;
    assertExceptional(Status.STACK_OVERFLOW, Harness.withCode(over).call(10_000));
  }

  @Test
  void jumpsLandOnlyOnJumpdestsOutsidePushData() {
    // PUSH1 4, JUMP, STOP, JUMPDEST: 3 + 8 + 1 = 12.
    Result ok = Harness.withCode(Hex.decode("600456005b")).call(100);
    assertEquals(Status.SUCCESS, ok.status());
    assertEquals(88, ok.gasLeft());
    assertExceptional(Status.BAD_JUMP, Harness.withCode(Hex.decode("60035600")).call(100));
    // Offset 4 holds 0x5b, but as PUSH1's data.
    assertExceptional(Status.BAD_JUMP, Harness.withCode(Hex.decode("600456605b00")).call(100));
    assertExceptional(Status.BAD_JUMP, Harness.withCode(Hex.decode("600156")).call(100));
    assertExceptional(Status.BAD_JUMP, Harness.withCode(Hex.decode("6110005b56")).call(100));
    assertExceptional(Status.BAD_JUMP,
        Harness.withCode(new Asm().push(MAX_WORD).op(JUMP, JUMPDEST).bytes()).call(100));
    // JUMPI: taken into PUSH data fails; not taken, the destination is never checked.
    assertExceptional(Status.BAD_JUMP, Harness.withCode(Hex.decode("6001600657605b00"))
        .call(100));
    assertEquals(Status.SUCCESS, Harness.withCode(Hex.decode("6000600657605b00")).call(100)
        .status());
  }

  @Test
  void undefinedOpcodesAreInvalidAndDefinedOnesAreNot() {
    // Cancun leaves these undefined; 0xfe is the designated INVALID.
    int[][] undefinedRanges = {{0x0c, 0x0f}, {0x1e, 0x1f}, {0x21, 0x2f}, {0x4b, 0x4f},
        {0xa5, 0xef}, {0xf6, 0xf9}, {0xfb, 0xfc}, {0xfe, 0xfe}};
    boolean[] undefined = new boolean[256];
    for (int[] range : undefinedRanges) {
      for (int op = range[0]; op <= range[1]; op++) {
        undefined[op] = true;
      }
    }
    assertExceptional(Status.INVALID_OPCODE, Harness.withCode(new byte[] {0x0c}).call(1_000));
    assertExceptional(Status.INVALID_OPCODE,
        Harness.withCode(new byte[] {(byte) 0xfe}).call(1_000));
    List<Executable> checks = new ArrayList<>();
    for (int op = 0; op < 256; op++) {
      int opcode = op;
      int status = Harness.withCode(new byte[] {(byte) op}).call(100_000).status();
      checks.add(() -> assertEquals(undefined[opcode], status == Status.INVALID_OPCODE,
          String.format("opcode 0x%02x: %s", opcode, Status.name(status))));
    }
    assertAll(checks);
  }

  /** A memory-touching opcode given an offset and a size. */
  private record MemoryOp(String name, BiFunction<BigInteger, Long, Asm> program) {}

  private static List<MemoryOp> memoryOps() {
    return List.of(
        new MemoryOp("KECCAK256", (o, n) -> new Asm().push(n).push(o).op(KECCAK256)),
        new MemoryOp("CALLDATACOPY",
            (o, n) -> new Asm().push(n).push(0).push(o).op(CALLDATACOPY)),
        new MemoryOp("CODECOPY", (o, n) -> new Asm().push(n).push(0).push(o).op(CODECOPY)),
        new MemoryOp("EXTCODECOPY",
            (o, n) -> new Asm().push(n).push(0).push(o).push(CONTRACT).op(EXTCODECOPY)),
        new MemoryOp("MCOPY to", (o, n) -> new Asm().push(n).push(0).push(o).op(MCOPY)),
        new MemoryOp("MCOPY from", (o, n) -> new Asm().push(n).push(o).push(0).op(MCOPY)),
        new MemoryOp("LOG0", (o, n) -> new Asm().push(n).push(o).op(LOG0)),
        new MemoryOp("RETURN", (o, n) -> new Asm().push(n).push(o).op(RETURN)),
        new MemoryOp("REVERT", (o, n) -> new Asm().push(n).push(o).op(REVERT)),
        new MemoryOp("CREATE", (o, n) -> new Asm().push(n).push(o).push(0).op(CREATE)),
        new MemoryOp("CREATE2",
            (o, n) -> new Asm().push(0).push(n).push(o).push(0).op(CREATE2)),
        new MemoryOp("CALL input", (o, n) -> new Asm().push(0).push(0).push(n).push(o)
            .push(0).push(OTHER).op(GAS, CALL)),
        new MemoryOp("CALL output", (o, n) -> new Asm().push(n).push(o).push(0).push(0)
            .push(0).push(OTHER).op(GAS, CALL)),
        new MemoryOp("STATICCALL input", (o, n) -> new Asm().push(0).push(0).push(n)
            .push(o).push(OTHER).op(GAS, STATICCALL)),
        new MemoryOp("DELEGATECALL output", (o, n) -> new Asm().push(n).push(o).push(0)
            .push(0).push(OTHER).op(GAS, DELEGATECALL)));
  }

  private static List<BigInteger> hugeOffsets() {
    return List.of(MAX_WORD, MAX_WORD.subtract(BigInteger.valueOf(31)),
        BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), BigInteger.ONE.shiftLeft(63),
        BigInteger.valueOf(Long.MAX_VALUE), BigInteger.ONE.shiftLeft(32),
        BigInteger.valueOf(Limits.MEMORY_BYTES_MAX), BigInteger.ONE.shiftLeft(30),
        BigInteger.ONE.shiftLeft(24));
  }

  @Test
  void hugeMemoryOffsetsWithASizeRunOutOfGas() {
    List<Executable> checks = new ArrayList<>();
    for (BigInteger offset : hugeOffsets()) {
      List<Asm> programs = new ArrayList<>(List.of(new Asm().push(offset).op(MLOAD),
          new Asm().push(1).push(offset).op(MSTORE),
          new Asm().push(1).push(offset).op(MSTORE8)));
      memoryOps().forEach(m -> programs.add(m.program().apply(offset, 1L)));
      for (Asm program : programs) {
        byte[] code = program.bytes();
        Result r = Harness.withCode(code).call(10_000_000);
        checks.add(() -> assertAll(Hex.encode(code),
            () -> assertEquals(Status.name(Status.OUT_OF_GAS), Status.name(r.status())),
            () -> assertEquals(0, r.gasLeft())));
      }
    }
    assertAll(checks);
  }

  @Test
  void hugeMemoryOffsetsWithSizeZeroNeedNoMemory() {
    List<Executable> checks = new ArrayList<>();
    for (BigInteger offset : hugeOffsets()) {
      for (MemoryOp m : memoryOps()) {
        // Memory must stay empty: halt with INVALID unless MSIZE is still 0.
        byte[] code = m.program().apply(offset, 0L)
            .op(MSIZE, ISZERO).pushLabel("empty").op(JUMPI, INVALID).label("empty").bytes();
        Result r = Harness.withCode(code).call(1_000_000);
        int expected = m.name().equals("REVERT") ? Status.REVERT : Status.SUCCESS;
        checks.add(() -> assertAll(m.name() + " at " + offset,
            () -> assertEquals(Status.name(expected), Status.name(r.status())),
            () -> assertEquals(0, r.output().length)));
      }
    }
    assertAll(checks);
  }

  @Test
  void keccakOfNothingAtAHugeOffsetCostsOnlyItsBase() {
    byte[] code = new Asm().op(PUSH0).push(MAX_WORD).op(KECCAK256).returnTop().bytes();
    Result r = Harness.withCode(code).call(1_000);
    // PUSH0 2, PUSH32 3, KECCAK256 30 + 0 words, then PUSH0 MSTORE (2 + 3 + 3), PUSH1 3,
    // PUSH0 2: 48.
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(1_000 - 48, r.gasLeft());
    assertEquals("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
        Hex.encode(r.output()));
  }

  /** A contract that STATICCALLs {@link Harness#OTHER} and returns the call's success flag. */
  private static byte[] staticCaller() {
    return new Asm().op(PUSH0, PUSH0, PUSH0, PUSH0).push(OTHER)
        .op(GAS, STATICCALL).returnTop().bytes();
  }

  private static Harness withOther(byte[] callerCode, byte[] otherCode) {
    return new Harness(new MapState()
        .put(SENDER, 0, ETHER, new byte[0])
        .put(CONTRACT, 1, ETHER, callerCode)
        .put(OTHER, 1, ETHER, otherCode));
  }

  @Test
  void sstoreInsideStaticCallFailsTheInnerCall() {
    Harness h = withOther(staticCaller(), new Asm().push(1).op(PUSH0, SSTORE).bytes());
    Result r = h.call(100_000);
    // Before the call: PUSH0 x4 8, PUSH20 3, GAS 2, STATICCALL 100 + cold OTHER 2500, so
    // R = 100000 - 2613 = 97387 is left; the callee gets R - R/64 and burns it all, the caller
    // keeps R/64 = 1521 and spends PUSH0 2, MSTORE 3 + 3, PUSH1 3, PUSH0 2 = 13 more.
    assertEquals(Status.SUCCESS, r.status());
    assertArrayEquals(word(0), r.output());
    assertEquals(1_521 - 13, r.gasLeft());
    assertEquals(Word.ZERO, h.journal.storage(OTHER, Word.ZERO));
  }

  @Test
  void everyStateChangeInsideStaticCallFails() {
    List<Asm> bodies = List.of(
        new Asm().push(1).op(PUSH0, TSTORE),
        new Asm().op(PUSH0, PUSH0, LOG0),
        new Asm().op(PUSH0, PUSH0, PUSH0, PUSH0).push(1).push(SENDER).op(GAS, CALL),
        new Asm().op(PUSH0, PUSH0, PUSH0, CREATE),
        new Asm().push(SENDER).op(SELFDESTRUCT));
    for (Asm body : bodies) {
      byte[] code = body.bytes();
      Result r = withOther(staticCaller(), code).call(100_000);
      assertArrayEquals(word(0), r.output(), Hex.encode(code));
    }
    // Reads are fine: SLOAD under STATICCALL succeeds.
    Result read = withOther(staticCaller(), new Asm().op(PUSH0, SLOAD).bytes()).call(100_000);
    assertArrayEquals(word(1), read.output());
  }

  @Test
  void selfRecursionStopsAtDepth1024WithoutJvmStackOverflow() {
    // Each frame bumps slot 0 and calls itself with all the gas it may pass on. Frames run at
    // depths 0..1024; the one at 1024 finds its CALL refused, so slot 0 ends at 1025.
    byte[] code = new Asm().op(PUSH0, SLOAD).push(1).op(ADD, PUSH0, SSTORE)
        .op(PUSH0, PUSH0, PUSH0, PUSH0, PUSH0, ADDRESS, GAS, CALL, STOP).bytes();
    Harness h = Harness.withCode(code);
    // 63/64 per level: 10^12 x (63/64)^1024 is about 10^5, plenty for the deepest frame.
    Result r = h.call(1_000_000_000_000L);
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(Word.of(1025), h.journal.storage(CONTRACT, Word.ZERO));
  }

  @Test
  void returnDataCopyOutOfBounds() {
    assertExceptional(Status.RETURNDATA_OUT_OF_BOUNDS,
        Harness.withCode(new Asm().push(1).push(0).push(0).op(RETURNDATACOPY).bytes())
            .call(1_000));
    assertExceptional(Status.RETURNDATA_OUT_OF_BOUNDS,
        Harness.withCode(new Asm().push(0).push(1).push(0).op(RETURNDATACOPY).bytes())
            .call(1_000));
    assertEquals(Status.SUCCESS,
        Harness.withCode(new Asm().push(0).push(0).push(0).op(RETURNDATACOPY).bytes())
            .call(1_000).status());
    // After a call that returned 32 bytes: [0, 32) is in bounds, [1, 33) and 2^256-1 are not.
    byte[] returns32 = new Asm().push(7).returnTop().bytes();
    BiFunction<BigInteger, Long, byte[]> copyAfterCall = (offset, size) -> new Asm()
        .op(PUSH0, PUSH0, PUSH0, PUSH0).push(OTHER).op(GAS, STATICCALL, POP)
        .push(size).push(offset).push(0).op(RETURNDATACOPY, PUSH0, MLOAD).returnTop().bytes();
    Result in = withOther(copyAfterCall.apply(BigInteger.ZERO, 32L), returns32).call(100_000);
    assertArrayEquals(word(7), in.output());
    assertExceptional(Status.RETURNDATA_OUT_OF_BOUNDS,
        withOther(copyAfterCall.apply(BigInteger.ONE, 32L), returns32).call(100_000));
    assertExceptional(Status.RETURNDATA_OUT_OF_BOUNDS,
        withOther(copyAfterCall.apply(MAX_WORD, 0L), returns32).call(100_000));
  }

  @Test
  void createAddressMatchesTheWellKnownExamples() {
    Evm evm = Harness.withCode(new byte[0]).evm;
    Address sender = Address.parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
    String[] expected = {"0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d",
        "0x343c43a37d37dff08ae8c4a11544c718abb4fcf8",
        "0xf778b86fa74e846c4f0a1fbd1335fe81c00a0c91",
        "0xfffd933a0bc612844eaf0c6fe3e5b8e9b6c1d19c"};
    for (int nonce = 0; nonce < expected.length; nonce++) {
      assertEquals(Address.parse(expected[nonce]), evm.createAddress(sender, nonce));
    }
  }

  @Test
  void createDeploysTheReturnedCodeAtTheSendersNonceAddress() {
    Address factory = Address.parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
    byte[] code = new Asm().push(INITCODE).op(PUSH0, MSTORE)
        .push(INITCODE.length).push(32 - INITCODE.length).op(PUSH0, CREATE).returnTop()
        .bytes();
    // A contract with nonce 0 creates at nonce 0's address.
    Harness h = new Harness(new MapState().put(SENDER, 0, ETHER, new byte[0])
        .put(factory, 0, ETHER, code));
    Result r = h.call(factory, new byte[0], 1_000_000);
    assertEquals(Status.SUCCESS, r.status());
    Address created = Address.parse("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d");
    assertArrayEquals(Word.fromBytes(created.toArray()).toBytes(), r.output());
    assertArrayEquals(RUNTIME, h.journal.code(created).bytes());
    assertEquals(1, h.journal.nonce(created));
    assertEquals(1, h.journal.nonce(factory));
    assertArrayEquals(word(42), h.call(created, new byte[0], 100_000).output());
  }

  @Test
  void aSuccessfulCreateOpcodeLeavesNoReturnData() {
    // The creation's own result carries the deployed code, but the creator sees none of it.
    byte[] code = new Asm().push(INITCODE).op(PUSH0, MSTORE)
        .push(INITCODE.length).push(32 - INITCODE.length).op(PUSH0, CREATE, POP)
        .op(RETURNDATASIZE).returnTop().bytes();
    Harness h = Harness.withCode(code);
    Result r = h.call(1_000_000);
    assertEquals(Status.SUCCESS, r.status());
    assertArrayEquals(word(0), r.output());
  }

  @Test
  void transactionCreationChargesExecutionAndDeposit() {
    Harness h = Harness.withCode(new byte[0]);
    Address address = h.evm.createAddress(SENDER, 0);
    Result r = Harness.onBigStack(() -> h.evm.create(SENDER, address, BigInteger.ONE,
        INITCODE, 100_000));
    // Initcode: PUSH8 3, PUSH0 2, MSTORE 3 + 3, PUSH1 3, PUSH1 3, RETURN 0 = 17; deposit of
    // 8 bytes at 200 each = 1600. Total 1617.
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(address, r.created());
    assertEquals(100_000 - 1_617, r.gasLeft());
    assertArrayEquals(RUNTIME, h.journal.code(address).bytes());
    assertArrayEquals(RUNTIME, r.output(), "what eth_call of the creation answers");
    assertEquals(BigInteger.ONE, h.journal.balance(address));
    assertEquals(ETHER.subtract(BigInteger.ONE), h.journal.balance(SENDER));
  }

  @Test
  void create2AddressMatchesTheEip1014Examples() {
    Evm evm = Harness.withCode(new byte[0]).evm;
    String[][] examples = {
        // sender, salt, initcode, address
        {"0000000000000000000000000000000000000000", "00", "00",
            "4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38"},
        {"deadbeef00000000000000000000000000000000", "00", "00",
            "b928f69bb1d91cd65274e3c79d8986362984fda3"},
        {"deadbeef00000000000000000000000000000000",
            "000000000000000000000000feed000000000000000000000000000000000000", "00",
            "d04116cdd17bebe565eb2422f2497e06cc1c9833"},
        {"0000000000000000000000000000000000000000", "00", "deadbeef",
            "70f2b2914a2a4b783faefb75f459a580616fcb5e"},
        {"00000000000000000000000000000000deadbeef", "cafebabe", "deadbeef",
            "60f3f640a8508fc6a86d45df051962668e1e8ac7"},
        {"00000000000000000000000000000000deadbeef", "cafebabe",
            "deadbeef".repeat(11), "1d8bfdc5d46dc4f61d6b6115972536ebe6a8854c"},
        {"0000000000000000000000000000000000000000", "00", "",
            "e33c0c7f7df4809055c3eba6c09cfe4baf1bd9e0"}};
    for (String[] e : examples) {
      byte[] salt = Word.fromBytes(Hex.decode(e[1])).toBytes();
      assertEquals(Address.parse(e[3]),
          evm.create2Address(Address.parse(e[0]), salt, Hex.decode(e[2])), e[3]);
    }
  }

  @Test
  void create2OpcodeLandsOnTheEip1014Address() {
    // Example 2: sender 0xdeadbeef00..00, salt 0x00..00feed00..00, initcode 0x00.
    Address factory = Address.parse("0xdeadbeef00000000000000000000000000000000");
    BigInteger salt = new BigInteger("feed", 16).shiftLeft(8 * 18);
    byte[] code = new Asm().push(salt).push(1).op(PUSH0, PUSH0, CREATE2).returnTop().bytes();
    Harness h = new Harness(new MapState().put(SENDER, 0, ETHER, new byte[0])
        .put(factory, 1, ETHER, code));
    Result r = h.call(factory, new byte[0], 1_000_000);
    Address expected = Address.parse("0xd04116cdd17bebe565eb2422f2497e06cc1c9833");
    assertEquals(Status.SUCCESS, r.status());
    assertArrayEquals(Word.fromBytes(expected.toArray()).toBytes(), r.output());
    assertEquals(1, h.journal.nonce(expected));
    assertEquals(2, h.journal.nonce(factory));
  }

  /**
   * With calldata: return TLOAD 0, or (when {@code innerReverts}) TSTORE 0 := 7 and revert.
   * Without: TSTORE 0 := 42, call itself with one byte of calldata, then return what that call
   * returned, or (when {@code innerReverts}) its own TLOAD 0.
   */
  private static byte[] transientProgram(boolean innerReverts) {
    Asm asm = new Asm().op(CALLDATASIZE).pushLabel("inner").op(JUMPI)
        .push(42).op(PUSH0, TSTORE)
        .op(PUSH0, PUSH0).push(1).op(PUSH0, PUSH0, ADDRESS, GAS, CALL, POP);
    if (innerReverts) {
      asm.op(PUSH0, TLOAD).returnTop().label("inner").push(7).op(PUSH0, TSTORE)
          .op(PUSH0, PUSH0, REVERT);
    } else {
      asm.op(RETURNDATASIZE, PUSH0, PUSH0, RETURNDATACOPY).push(32).op(PUSH0, RETURN);
      asm.label("inner").op(PUSH0, TLOAD).returnTop();
    }
    return asm.bytes();
  }

  @Test
  void transientStorageIsSharedWithinATransactionOnly() {
    Harness h = Harness.withCode(transientProgram(false));
    // The outer frame returns what its inner call read.
    assertArrayEquals(word(42), h.call(100_000).output());
    // A later call of the same transaction still sees it; a new transaction does not.
    assertArrayEquals(word(42), h.call(CONTRACT, new byte[] {1}, 100_000).output());
    Harness next = Harness.withCode(transientProgram(false));
    assertArrayEquals(word(0), next.call(CONTRACT, new byte[] {1}, 100_000).output());
  }

  @Test
  void transientStorageWrittenByARevertedCallIsRolledBack() {
    Harness h = Harness.withCode(transientProgram(true));
    assertArrayEquals(word(42), h.call(100_000).output());
  }

  @Test
  void journalRevertRestoresBalanceStorageAndLogs() {
    Harness h = new Harness(new MapState()
        .put(SENDER, 3, BigInteger.valueOf(100), new byte[0])
        .put(CONTRACT, 1, BigInteger.TEN, new byte[] {STOP})
        .putStorage(CONTRACT, Word.of(1), Word.of(11)));
    Journal j = h.journal;
    j.addLog(new Log(CONTRACT, List.of(), new byte[] {1}));
    int outer = j.snapshot();
    j.subBalance(SENDER, BigInteger.valueOf(60));
    j.addBalance(CONTRACT, BigInteger.valueOf(60));
    j.setStorage(CONTRACT, Word.of(1), Word.of(12));
    j.addLog(new Log(CONTRACT, List.of(), new byte[] {2}));
    int inner = j.snapshot();
    j.setStorage(CONTRACT, Word.of(1), Word.of(13));
    j.setStorage(CONTRACT, Word.of(2), Word.of(14));
    j.addBalance(OTHER, BigInteger.valueOf(5));
    j.setNonce(SENDER, 4);
    j.addLog(new Log(CONTRACT, List.of(Word.of(1)), new byte[] {3}));
    j.addRefund(4_800);
    j.setTransientStorage(CONTRACT, Word.ZERO, Word.of(9));

    j.revertTo(inner);
    assertEquals(Word.of(12), j.storage(CONTRACT, Word.of(1)));
    assertEquals(Word.ZERO, j.storage(CONTRACT, Word.of(2)));
    assertEquals(BigInteger.valueOf(70), j.balance(CONTRACT));
    assertEquals(BigInteger.ZERO, j.balance(OTHER));
    assertFalse(j.exists(OTHER), "an account that only the reverted frame made is gone");
    assertEquals(3, j.nonce(SENDER));
    assertEquals(List.of(1, 2), j.logs().stream().map(l -> (int) l.data()[0]).toList());
    assertEquals(0, j.refund());
    assertEquals(Word.ZERO, j.transientStorage(CONTRACT, Word.ZERO));

    j.revertTo(outer);
    assertEquals(Word.of(11), j.storage(CONTRACT, Word.of(1)));
    assertEquals(BigInteger.valueOf(100), j.balance(SENDER));
    assertEquals(BigInteger.TEN, j.balance(CONTRACT));
    assertEquals(List.of(1), j.logs().stream().map(l -> (int) l.data()[0]).toList());
    assertEquals(List.of(), j.finish(), "nothing is left to commit");
  }
}
