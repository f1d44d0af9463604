package io.chorus.evm;

/**
 * Contract code with what the interpreter needs precomputed: a copy padded with STOPs so that
 * neither a PUSH at the end nor running off the end needs a bounds check, and the valid JUMPDEST
 * positions (those not inside PUSH data).
 */
public final class Code {
  /** Enough zero bytes after the code for a PUSH32 at its last byte plus one STOP. */
  static final int PADDING = 33;
  public static final Code EMPTY = new Code(new byte[0]);

  final byte[] bytes;
  final byte[] padded;
  private long[] jumpDests;

  public Code(byte[] bytes) {
    this.bytes = bytes;
    this.padded = new byte[bytes.length + PADDING];
    System.arraycopy(bytes, 0, padded, 0, bytes.length);
  }

  public byte[] bytes() {
    return bytes;
  }

  public int size() {
    return bytes.length;
  }

  boolean isJumpDest(long position) {
    if (position < 0 || position >= bytes.length) {
      return false;
    }
    long[] dests = jumpDests;
    if (dests == null) {
      dests = analyse();
      jumpDests = dests;
    }
    int p = (int) position;
    return (dests[p >>> 6] & (1L << p)) != 0;
  }

  private long[] analyse() {
    long[] dests = new long[(bytes.length >>> 6) + 1];
    for (int pc = 0; pc < bytes.length; pc++) {
      int op = bytes[pc] & 0xff;
      if (op == Opcodes.JUMPDEST) {
        dests[pc >>> 6] |= 1L << pc;
      } else if (op >= Opcodes.PUSH1 && op <= Opcodes.PUSH32) {
        pc += op - Opcodes.PUSH1 + 1;
      }
    }
    return dests;
  }
}
