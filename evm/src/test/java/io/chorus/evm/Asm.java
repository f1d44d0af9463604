package io.chorus.evm;

import io.chorus.codec.Bytes;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * A tiny bytecode assembler for tests: opcodes, pushes of the shortest width, and named jump
 * labels (a label is a JUMPDEST; a reference to it is a PUSH2 patched in {@link #bytes()}).
 */
final class Asm {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final Map<String, Integer> labels = new HashMap<>();
  private final Map<Integer, String> references = new HashMap<>();

  /** Appends opcodes (or any byte values). */
  Asm op(int... ops) {
    for (int op : ops) {
      out.write(op);
    }
    return this;
  }

  /** Appends assembled code, such as another program's {@link #bytes()}. */
  Asm append(byte[] code) {
    out.writeBytes(code);
    return this;
  }

  /** PUSHn of the unsigned value in the fewest bytes; zero is PUSH1 0x00 (use PUSH0 by op). */
  Asm push(long value) {
    return push(BigInteger.valueOf(value).and(BigInteger.ONE.shiftLeft(64).subtract(
        BigInteger.ONE)));
  }

  Asm push(BigInteger value) {
    byte[] data = Bytes.trimLeadingZeros(Word.fromBigInteger(value).toBytes());
    return push(data.length == 0 ? new byte[1] : data);
  }

  /** PUSHn of exactly these 1..32 bytes. */
  Asm push(byte[] data) {
    if (data.length < 1 || data.length > 32) {
      throw new IllegalArgumentException("PUSH takes 1 to 32 bytes, got " + data.length);
    }
    out.write(Opcodes.PUSH1 + data.length - 1);
    out.writeBytes(data);
    return this;
  }

  /** PUSH20 of an address. */
  Asm push(Address address) {
    return push(address.toArray());
  }

  /** MSTOREs the top of the stack at 0 and RETURNs those 32 bytes. */
  Asm returnTop() {
    return op(Opcodes.PUSH0, Opcodes.MSTORE).push(32).op(Opcodes.PUSH0, Opcodes.RETURN);
  }

  /** A JUMPDEST that {@link #pushLabel} can refer to. */
  Asm label(String name) {
    labels.put(name, out.size());
    return op(Opcodes.JUMPDEST);
  }

  /** PUSH2 of a label's position, defined before or after this point. */
  Asm pushLabel(String name) {
    references.put(out.size() + 1, name);
    return op(Opcodes.PUSH1 + 1, 0, 0);
  }

  /** The current position: the offset of the next byte appended. */
  int pc() {
    return out.size();
  }

  byte[] bytes() {
    byte[] code = out.toByteArray();
    references.forEach((at, name) -> {
      Integer target = labels.get(name);
      if (target == null) {
        throw new IllegalStateException("undefined label " + name);
      }
      code[at] = (byte) (target >>> 8);
      code[at + 1] = (byte) (int) target;
    });
    return code;
  }
}
