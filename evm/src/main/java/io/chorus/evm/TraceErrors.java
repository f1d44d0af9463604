package io.chorus.evm;

/**
 * Why a step or frame failed, as a {@link Tracer} is told it: Geth's error texts, since trace
 * consumers (debuggers, explorers) match on them. {@link Status#name} stays the node's own
 * wording.
 */
final class TraceErrors {
  /** The code deposit (200 gas a byte) could not be paid: Geth names it apart from other halts. */
  static final String CODE_DEPOSIT_OUT_OF_GAS = "contract creation code storage out of gas";

  private TraceErrors() {}

  /**
   * @param op the opcode that failed, for INVALID_OPCODE and the stack errors
   * @param stackSize the stack height it failed at, for the stack errors
   */
  static String describe(int status, int op, int stackSize) {
    return switch (status) {
      case Status.SUCCESS -> null;
      case Status.REVERT -> "execution reverted";
      case Status.OUT_OF_GAS -> "out of gas";
      case Status.INVALID_OPCODE -> "invalid opcode: " + Opcodes.NAMES[op];
      case Status.STACK_UNDERFLOW ->
          "stack underflow (" + stackSize + " <=> " + Opcodes.STACK_IN[op] + ")";
      case Status.STACK_OVERFLOW ->
          "stack limit reached " + stackSize + " (" + Opcodes.STACK_MAX_BEFORE[op] + ")";
      case Status.BAD_JUMP -> "invalid jump destination";
      case Status.STATIC_VIOLATION -> "write protection";
      case Status.RETURNDATA_OUT_OF_BOUNDS -> "return data out of bounds";
      case Status.CODE_TOO_LARGE -> "max code size exceeded";
      case Status.CODE_STARTS_WITH_EF -> "invalid code: must not begin with 0xef";
      case Status.INITCODE_TOO_LARGE -> "max initcode size exceeded";
      case Status.CREATE_COLLISION -> "contract address collision";
      case Status.CALL_DEPTH_EXCEEDED -> "max call depth exceeded";
      case Status.INSUFFICIENT_BALANCE -> "insufficient balance for transfer";
      case Status.NONCE_OVERFLOW -> "nonce uint64 overflow";
      // Geth passes on each precompile's own error; ours fail without one.
      default -> Status.name(status);
    };
  }

  /** Why a frame failed; the opcode it stopped at names invalid-opcode and stack failures. */
  static String describe(int status, Frame frame) {
    return frame == null ? describe(status, 0, 0)
        : describe(status, frame.code.padded[frame.pc] & 0xff, frame.sp);
  }
}
