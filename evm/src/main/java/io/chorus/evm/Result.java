package io.chorus.evm;

/**
 * The end of a message call or creation: its {@link Status}, the gas it hands back, its output
 * (return or revert data; for a successful creation, the code it deployed) and, for a successful
 * creation, the new contract's address.
 */
public record Result(int status, long gasLeft, byte[] output, Address created) {
  static Result of(int status, long gasLeft, byte[] output) {
    return new Result(status, gasLeft, output, null);
  }

  public boolean success() {
    return status == Status.SUCCESS;
  }
}
