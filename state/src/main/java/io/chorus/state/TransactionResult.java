package io.chorus.state;

import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Status;
import java.util.List;

/**
 * The outcome of an included transaction: its {@link Status}, the gas it paid for (after the
 * refund), its logs (none unless it succeeded), its return or revert data (a creation returns
 * the code it deployed), and the address of the contract it created.
 */
public record TransactionResult(
    int status, long gasUsed, List<Log> logs, byte[] output, Address contractAddress) {

  public boolean success() {
    return status == Status.SUCCESS;
  }
}
