package io.chorus.evm;

import java.math.BigInteger;
import java.util.List;

/**
 * Watches one transaction's execution, for {@code debug_traceTransaction}: the frames it opens
 * and closes, its logs and, when {@link #tracesSteps()} asks for them, its opcodes. Pass one to
 * {@link Evm#Evm(Journal, BlockEnv, TxEnv, io.chorus.crypto.HashFunction, Tracer)}; without one
 * the interpreter runs untouched.
 *
 * <p>Events nest as execution does. For each frame: {@link #enter}, then its opcodes as
 * {@link #step} followed by {@link #stepEnd}, child frames between the step that opens them and
 * the next step, then {@link #exit}. A step's end comes before any frame its opcode opens, and a
 * LOG's {@link #log} between its step and that step's end. Depths count from 0, the transaction's
 * own frame. Byte arrays handed over are never written afterwards, and must not be written by the
 * tracer. A tracer must not throw: record what went wrong and report it when asked for a result.
 */
public interface Tracer {
  /** How a frame was opened, named as Geth's callTracer prints it. */
  enum CallType { CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE, CREATE2, SELFDESTRUCT }

  /**
   * Whether to report every opcode. Stepping runs the interpreter one opcode at a time, many
   * times slower; a tracer that needs only frames and logs keeps full speed by answering false.
   */
  default boolean tracesSteps() {
    return false;
  }

  /** Before the transaction's frame opens, with the transaction's own gas limit. */
  default void txStart(long gasLimit) {}

  /** After the transaction, with the gas its receipt reports (intrinsic gas in, refund out). */
  default void txEnd(long gasUsed) {}

  /**
   * A frame opens: the transaction's (depth 0), a call, a creation or a SELFDESTRUCT's transfer
   * (a frame with no gas and no code, as Geth reports it).
   *
   * @param to the callee, the code's account for CALLCODE and DELEGATECALL, the new account for
   *     a creation, the beneficiary for SELFDESTRUCT
   * @param value the value moved, the caller's own for DELEGATECALL, null for STATICCALL
   * @param gas what the frame may spend, a value call's stipend included
   */
  default void enter(int depth, CallType type, Address from, Address to, BigInteger value,
      long gas, byte[] input) {}

  /**
   * A frame closes.
   *
   * @param output return or revert data; a successful creation's deployed code
   * @param status a {@link Status}
   * @param error null on success; otherwise why, in Geth's words ("execution reverted", "out of
   *     gas", ...)
   */
  default void exit(int depth, byte[] output, long gasUsed, int status, String error) {}

  /** An opcode is about to run; {@code step} is valid only during this call. */
  default void step(Step step) {}

  /**
   * The opcode announced by the last {@link #step} is charged: its static and dynamic gas, for a
   * call the gas handed to the callee too (Geth's convention). A failed opcode's cost is what it
   * was charged before it failed, at least its static gas.
   *
   * @param error null unless the opcode failed exceptionally; then why, in Geth's words
   */
  default void stepEnd(long gasCost, String error) {}

  /** A LOG opcode emitted {@code log}; it is undone if its frame or an outer one fails. */
  default void log(Log log) {}

  /**
   * The transaction's net changes to the state, fees and the proposer's reward included, as
   * {@link Journal#finish()} lists them, after {@link #txEnd} and before the state applies
   * them: the state the transaction ran on still reads as it was before it, so a tracer holding
   * that state can tell each change's old value (as {@code trace_replayTransaction}'s
   * {@code stateDiff} does).
   */
  default void txChanges(List<AccountChange> changes) {}
}
