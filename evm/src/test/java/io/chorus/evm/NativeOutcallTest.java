package io.chorus.evm;

import static io.chorus.evm.Harness.CONTRACT;
import static io.chorus.evm.Harness.ETHER;
import static io.chorus.evm.Harness.OTHER;
import static io.chorus.evm.Harness.SENDER;
import static io.chorus.evm.Opcodes.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.chorus.codec.Bytes;
import io.chorus.crypto.Keccak256;
import java.math.BigInteger;
import io.chorus.evm.Tracer.CallType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A native contract calling back into the EVM ({@link NativeContracts.Outcall}), as the
 * cross-chain router calls its ports: a contract calls the native one, which writes a slot of
 * its own and then calls {@link Harness#OTHER} with {@link #OUTCALL_GAS}. Method: hand-assembled
 * callees that record their caller, revert after a write, or burn all their gas, with the
 * native contract's own write, the callee's, the gas and the frames a tracer sees (type, from,
 * depth) checked exactly.
 */
class NativeOutcallTest {
  private static final Address NATIVE = Address.parse(
      "0x000000000000000000000000000000000000fee0");
  private static final long OUTCALL_GAS = 50_000;
  private static final Word NATIVE_SLOT = Word.of(7);

  /** What the native contract saw of its outcall: status, gas given back and output. */
  private record Seen(int status, long gasLeft, byte[] output) {}

  private static final class Native implements NativeContracts {
    Seen seen;
    long gasGiven;

    @Override
    public boolean has(Address address) {
      return NATIVE.equals(address);
    }

    @Override
    public Result call(Journal journal, Address caller, Address to, BigInteger value,
        byte[] input, long gas, boolean isStatic, Outcall outcall) {
      gasGiven = gas;
      if (!isStatic) {
        journal.setStorage(NATIVE, NATIVE_SLOT, Word.of(1));
      }
      Result r = outcall.call(OTHER, input, OUTCALL_GAS);
      seen = new Seen(r.status(), r.gasLeft(), r.output());
      return new Result(Status.SUCCESS, gas - OUTCALL_GAS + r.gasLeft(), Bytes.EMPTY, null);
    }
  }

  private final Native natives = new Native();
  /** Each frame opened, as the tracer saw it: depth, type, from, to. */
  private final List<String> frames = new ArrayList<>();
  private final Tracer tracer = new Tracer() {
    @Override
    public void enter(int depth, CallType type, Address from, Address to, BigInteger value,
        long gas, byte[] input) {
      frames.add(depth + " " + type + " " + from + " -> " + to);
    }
  };

  /** {@link Harness#CONTRACT} calls the native contract with {@code op}, giving it all its gas. */
  private Journal run(int op, byte[] otherCode) {
    MapState state = new MapState().put(SENDER, 0, ETHER, new byte[0])
        .put(CONTRACT, 1, ETHER, new Asm().op(PUSH0, PUSH0, PUSH0, PUSH0)
            .append(op == CALL ? new Asm().op(PUSH0).bytes() : new byte[0])
            .push(NATIVE).op(GAS, op).returnTop().bytes())
        .put(NATIVE, 1, BigInteger.ZERO, new byte[] {(byte) INVALID})
        .put(OTHER, 1, BigInteger.ZERO, otherCode);
    Journal journal = new Journal(state, Keccak256.INSTANCE);
    Evm evm = new Evm(journal, Harness.BLOCK, new TxEnv(SENDER, BigInteger.TEN, List.of()),
        Keccak256.INSTANCE, tracer, natives);
    Result r = Harness.onBigStack(() -> evm.call(SENDER, CONTRACT, BigInteger.ZERO,
        new byte[0], 1_000_000));
    assertEquals(Status.SUCCESS, r.status());
    assertEquals(Word.of(1), Word.fromBytes(r.output()), "the native contract succeeded");
    return journal;
  }

  @Test
  void theCalleeSeesTheNativeContractAsItsCallerAndItsWritesStand() {
    Journal journal = run(CALL, new Asm().op(CALLER, PUSH0, SSTORE).push(42).returnTop()
        .bytes());
    assertEquals(Status.SUCCESS, natives.seen.status());
    assertEquals(Word.of(42), Word.fromBytes(natives.seen.output()));
    byte[] sender = new byte[32];
    NATIVE.copyTo(sender, 12);
    assertEquals(Word.fromBytes(sender), journal.storage(OTHER, Word.ZERO),
        "msg.sender is the native contract, not the contract that called it");
    assertEquals(Word.of(1), journal.storage(NATIVE, NATIVE_SLOT));
    assertEquals(List.of("0 CALL " + SENDER + " -> " + CONTRACT,
        "1 CALL " + CONTRACT + " -> " + NATIVE, "2 CALL " + NATIVE + " -> " + OTHER), frames,
        "a plain CALL one depth below the native contract's frame");
  }

  @Test
  void aRevertingCalleeLosesItsWritesAndTheNativeContractKeepsItsOwn() {
    Journal journal = run(CALL, new Asm().push(1).op(PUSH0, SSTORE, PUSH0, PUSH0, REVERT)
        .bytes());
    assertEquals(Status.REVERT, natives.seen.status());
    assertEquals(Word.ZERO, journal.storage(OTHER, Word.ZERO), "the callee's write is undone");
    assertEquals(Word.of(1), journal.storage(NATIVE, NATIVE_SLOT), "the native's write stands");
    // PUSH1 3, PUSH0 2, SSTORE 22100 (cold, fresh), PUSH0 x2 4, REVERT 0.
    assertEquals(OUTCALL_GAS - 22_109, natives.seen.gasLeft());
  }

  @Test
  void aCalleeThatBurnsItsGasSpendsOnlyTheBoundOfTheNativeContract() {
    run(CALL, new Asm().label("loop").pushLabel("loop").op(JUMP).bytes());
    assertEquals(Status.OUT_OF_GAS, natives.seen.status());
    assertEquals(0, natives.seen.gasLeft());
    assertTrue(natives.gasGiven > OUTCALL_GAS, "the bound, not the gas given, was lost");
  }

  @Test
  void anOutcallFromAStaticCallIsStatic() {
    Journal journal = run(STATICCALL, new Asm().push(1).op(PUSH0, SSTORE, STOP).bytes());
    assertEquals(Status.STATIC_VIOLATION, natives.seen.status());
    assertEquals(Word.ZERO, journal.storage(OTHER, Word.ZERO));
  }
}
