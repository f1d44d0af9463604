package io.chorus.evm;

/**
 * How a frame ended. Handlers return {@link #CONTINUE} to keep going; anything else halts.
 * Every status above {@link #REVERT} is an exceptional halt: state reverted, all gas consumed.
 */
public final class Status {
  static final int CONTINUE = 0;
  public static final int SUCCESS = 1;
  public static final int REVERT = 2;
  public static final int OUT_OF_GAS = 3;
  public static final int INVALID_OPCODE = 4;
  public static final int STACK_UNDERFLOW = 5;
  public static final int STACK_OVERFLOW = 6;
  public static final int BAD_JUMP = 7;
  public static final int STATIC_VIOLATION = 8;
  public static final int RETURNDATA_OUT_OF_BOUNDS = 9;
  public static final int PRECOMPILE_FAILED = 10;
  public static final int CODE_TOO_LARGE = 11;
  public static final int CODE_STARTS_WITH_EF = 12;
  public static final int INITCODE_TOO_LARGE = 13;
  public static final int CREATE_COLLISION = 14;
  /** Failures before a frame starts that return the gas: depth, balance, nonce overflow. */
  public static final int CALL_DEPTH_EXCEEDED = 15;
  public static final int INSUFFICIENT_BALANCE = 16;
  public static final int NONCE_OVERFLOW = 17;

  private static final String[] NAMES = {"continue", "success", "revert", "out of gas",
      "invalid opcode", "stack underflow", "stack overflow", "bad jump destination",
      "state change in a static call", "return data out of bounds", "precompile failed",
      "code larger than 24576 bytes", "code starts with 0xEF", "initcode larger than 49152 bytes",
      "address collision", "call depth exceeded", "insufficient balance", "nonce overflow"};

  private Status() {}

  public static String name(int status) {
    return status >= 0 && status < NAMES.length ? NAMES[status] : "status " + status;
  }

  /** True for halts that revert the frame and consume all its gas. */
  public static boolean isExceptional(int status) {
    return status > REVERT;
  }
}
