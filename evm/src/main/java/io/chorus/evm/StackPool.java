package io.chorus.evm;

/**
 * Operand stacks for the shallow call frames, reused across transactions on one thread: a frame's
 * 32 KiB stack, zeroed on every allocation, was a tenth of a simple transaction's execution
 * time. A frame at depth d finishes before the next one at depth d starts, and nothing reads a
 * stack above its height, so reuse needs no clearing. Deeper frames, rare, get fresh stacks.
 */
final class StackPool {
  /** Frames up to this depth take pooled stacks: 32 KiB each per thread. */
  static final int POOLED_DEPTH_MAX = 16;
  static final int STACK_LONGS = Opcodes.STACK_LIMIT * 4;

  private static final ThreadLocal<long[][]> STACKS =
      ThreadLocal.withInitial(() -> new long[POOLED_DEPTH_MAX + 1][]);

  private StackPool() {}

  /** A stack for a frame at {@code depth}; valid until the next frame at that depth starts. */
  static long[] forDepth(int depth) {
    if (depth > POOLED_DEPTH_MAX) {
      return new long[STACK_LONGS];
    }
    long[][] stacks = STACKS.get();
    long[] stack = stacks[depth];
    if (stack == null) {
      stack = new long[STACK_LONGS];
      stacks[depth] = stack;
    }
    return stack;
  }
}
