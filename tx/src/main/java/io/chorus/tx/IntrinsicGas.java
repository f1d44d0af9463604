package io.chorus.tx;

/** The gas a transaction pays before any code runs (Cancun rules). */
public final class IntrinsicGas {
  static final long TRANSACTION = 21_000;
  static final long CREATION = 32_000;
  /** EIP-2028 calldata prices. */
  static final long ZERO_BYTE = 4;
  static final long NON_ZERO_BYTE = 16;
  /** EIP-2930 access-list prices. */
  static final long ACCESS_LIST_ADDRESS = 2_400;
  static final long ACCESS_LIST_STORAGE_KEY = 1_900;
  /** EIP-3860 price per 32-byte word of initcode. */
  static final long INITCODE_WORD = 2;

  private IntrinsicGas() {}

  public static long of(Transaction tx) {
    long gas = TRANSACTION;
    for (byte b : tx.data()) {
      gas += b == 0 ? ZERO_BYTE : NON_ZERO_BYTE;
    }
    if (tx.isCreation()) {
      gas += CREATION + INITCODE_WORD * ((tx.data().length + 31L) / 32);
    }
    for (AccessListEntry entry : tx.accessList()) {
      gas += ACCESS_LIST_ADDRESS + ACCESS_LIST_STORAGE_KEY * entry.storageKeys().size();
    }
    return gas;
  }
}
