package io.chorus.evm;

import java.math.BigInteger;

/**
 * Contracts the chain implements in Java at fixed addresses, with state (unlike precompiles):
 * a CALL or STATICCALL to one runs it against the transaction's journal; DELEGATECALL and
 * CALLCODE, which would run it on the caller's storage, fail as an INVALID opcode would.
 */
public interface NativeContracts {
  boolean has(Address address);

  /**
   * Runs a call within {@code gas}; on failure the caller undoes the frame's changes.
   *
   * @param isStatic true when the call may not change state
   * @param outcall how the native contract calls a contract in turn, as itself
   */
  Result call(Journal journal, Address caller, Address to, BigInteger value, byte[] input,
      long gas, boolean isStatic, Outcall outcall);

  /**
   * A message call a native contract makes into the EVM: a plain CALL with no value from the
   * native contract's address (the callee's {@code msg.sender}), one depth below the native
   * contract's own frame, static when that frame is. The callee's writes are undone when it
   * reverts or fails, as any frame's; the native contract keeps its own and decides what a
   * failure means. It pays {@code gas} out of its own and gets back what is left.
   */
  @FunctionalInterface
  interface Outcall {
    Result call(Address to, byte[] input, long gas);
  }
}
