package io.chorus.evm;

/** The Cancun gas schedule's dynamic prices, named after the EIP that set them. */
final class Gas {
  /** EIP-2929 account and slot access. */
  static final int WARM_ACCESS = 100;
  static final int COLD_ACCOUNT_ACCESS = 2_600;
  static final int COLD_SLOAD = 2_100;

  /** EIP-2200 / EIP-3529 storage writes and refunds. */
  static final int SSTORE_SET = 20_000;
  static final int SSTORE_RESET = 5_000 - COLD_SLOAD;
  static final int SSTORE_CLEARS_REFUND = 4_800;
  /** EIP-2200: SSTORE fails unless more than the call stipend is left. */
  static final int SSTORE_SENTRY = 2_300;

  static final int MEMORY_WORD = 3;
  static final int MEMORY_QUADRATIC_DIVISOR = 512;
  static final int COPY_WORD = 3;
  static final int KECCAK_WORD = 6;
  static final int EXP_BYTE = 50;
  static final int LOG = 375;
  static final int LOG_TOPIC = 375;
  static final int LOG_DATA_BYTE = 8;

  static final int CALL_VALUE = 9_000;
  static final int CALL_STIPEND = 2_300;
  static final int NEW_ACCOUNT = 25_000;
  static final int SELFDESTRUCT = 5_000;

  static final int CREATE = 32_000;
  /** EIP-3860: per 32-byte word of initcode. */
  static final int INITCODE_WORD = 2;
  static final int CODE_DEPOSIT_BYTE = 200;

  private Gas() {}

  /** The total cost of {@code words} of memory: 3 per word plus words² / 512. */
  static long memoryCost(long words) {
    return MEMORY_WORD * words + words * words / MEMORY_QUADRATIC_DIVISOR;
  }

  static long words(long bytes) {
    return (bytes + 31) >>> 5;
  }
}
