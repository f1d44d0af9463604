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
   */
  Result call(Journal journal, Address caller, Address to, BigInteger value, byte[] input,
      long gas, boolean isStatic);
}
