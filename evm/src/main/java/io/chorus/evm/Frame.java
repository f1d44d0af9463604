package io.chorus.evm;

import io.chorus.codec.Bytes;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * One executing call frame: its context, the stack as a flat array of limbs (see
 * {@link WordMath}), memory, the gas left and the return data of its last sub-call.
 */
final class Frame {
  final Code code;
  final Address address;
  final Address caller;
  final BigInteger value;
  final byte[] input;
  final boolean isStatic;
  final int depth;

  /** Pooled per thread and depth (see {@link StackPool}): only items below {@code sp} count. */
  final long[] stack;
  /** Items on the stack; the top one starts at {@code (sp - 1) * 4}. */
  int sp;
  int pc;
  long gas;
  byte[] memory = Bytes.EMPTY;
  /** Active memory in bytes, always a multiple of 32. */
  long memorySize;
  byte[] returnData = Bytes.EMPTY;
  byte[] output = Bytes.EMPTY;
  /** Reports this frame's opcodes to a stepping tracer; null when none is set. */
  Step step;

  Frame(Code code, Address address, Address caller, BigInteger value, byte[] input,
      boolean isStatic, int depth, long gas) {
    this.code = code;
    this.address = address;
    this.caller = caller;
    this.value = value;
    this.input = input;
    this.isStatic = isStatic;
    this.depth = depth;
    this.gas = gas;
    this.stack = StackPool.forDepth(depth);
  }

  /** Offset of the i-th item from the top (0 = top). */
  int at(int i) {
    return (sp - 1 - i) << 2;
  }

  /**
   * Charges for memory to cover {@code [offset, offset + size)} and grows it; false when out of
   * gas. A zero size needs no memory whatever the offset.
   */
  boolean expand(long offset, long size) {
    if (size == 0) {
      return true;
    }
    if (offset > Limits.MEMORY_BYTES_MAX || size > Limits.MEMORY_BYTES_MAX - offset) {
      return false;
    }
    long end = offset + size;
    if (end <= memorySize) {
      return true;
    }
    long words = Gas.words(end);
    long cost = Gas.memoryCost(words) - Gas.memoryCost(memorySize >>> 5);
    if (gas < cost) {
      return false;
    }
    gas -= cost;
    long newSize = words << 5;
    if (newSize > memory.length) {
      long capacity = Math.min(Math.max(newSize, (long) memory.length * 2), Limits.MEMORY_BYTES_MAX);
      memory = Arrays.copyOf(memory, (int) capacity);
    }
    memorySize = newSize;
    return true;
  }

  /** Charges {@code perWord} for each 32-byte word of {@code size}; false when out of gas. */
  boolean chargeWords(long size, int perWord) {
    long cost = Gas.words(size) * perWord;
    if (gas < cost) {
      return false;
    }
    gas -= cost;
    return true;
  }

  boolean charge(long cost) {
    if (gas < cost) {
      return false;
    }
    gas -= cost;
    return true;
  }

  /**
   * Copies {@code size} bytes of {@code source} from {@code sourceOffset} (zero beyond its end)
   * into memory at {@code memOffset}; memory is already expanded.
   */
  void copyToMemory(byte[] source, long sourceOffset, long memOffset, long size) {
    if (size == 0) {
      return;
    }
    int dst = (int) memOffset;
    int n = (int) size;
    int available = sourceOffset >= source.length ? 0
        : (int) Math.min(n, source.length - sourceOffset);
    if (available > 0) {
      System.arraycopy(source, (int) sourceOffset, memory, dst, available);
    }
    Arrays.fill(memory, dst + available, dst + n, (byte) 0);
  }

  byte[] memorySlice(long offset, long size) {
    return size == 0 ? Bytes.EMPTY
        : Arrays.copyOfRange(memory, (int) offset, (int) (offset + size));
  }
}
