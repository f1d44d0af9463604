package io.chorus.evm;

/**
 * The Cancun instruction set: opcode numbers and, per opcode, its static gas and stack shape.
 * The interpreter checks the stack and charges the static gas from these tables before it
 * dispatches, so a handler charges only what depends on its operands.
 */
final class Opcodes {
  static final int STOP = 0x00, ADD = 0x01, MUL = 0x02, SUB = 0x03, DIV = 0x04, SDIV = 0x05,
      MOD = 0x06, SMOD = 0x07, ADDMOD = 0x08, MULMOD = 0x09, EXP = 0x0a, SIGNEXTEND = 0x0b;
  static final int LT = 0x10, GT = 0x11, SLT = 0x12, SGT = 0x13, EQ = 0x14, ISZERO = 0x15,
      AND = 0x16, OR = 0x17, XOR = 0x18, NOT = 0x19, BYTE = 0x1a, SHL = 0x1b, SHR = 0x1c,
      SAR = 0x1d;
  static final int KECCAK256 = 0x20;
  static final int ADDRESS = 0x30, BALANCE = 0x31, ORIGIN = 0x32, CALLER = 0x33, CALLVALUE = 0x34,
      CALLDATALOAD = 0x35, CALLDATASIZE = 0x36, CALLDATACOPY = 0x37, CODESIZE = 0x38,
      CODECOPY = 0x39, GASPRICE = 0x3a, EXTCODESIZE = 0x3b, EXTCODECOPY = 0x3c,
      RETURNDATASIZE = 0x3d, RETURNDATACOPY = 0x3e, EXTCODEHASH = 0x3f;
  static final int BLOCKHASH = 0x40, COINBASE = 0x41, TIMESTAMP = 0x42, NUMBER = 0x43,
      PREVRANDAO = 0x44, GASLIMIT = 0x45, CHAINID = 0x46, SELFBALANCE = 0x47, BASEFEE = 0x48,
      BLOBHASH = 0x49, BLOBBASEFEE = 0x4a;
  static final int POP = 0x50, MLOAD = 0x51, MSTORE = 0x52, MSTORE8 = 0x53, SLOAD = 0x54,
      SSTORE = 0x55, JUMP = 0x56, JUMPI = 0x57, PC = 0x58, MSIZE = 0x59, GAS = 0x5a,
      JUMPDEST = 0x5b, TLOAD = 0x5c, TSTORE = 0x5d, MCOPY = 0x5e, PUSH0 = 0x5f;
  static final int PUSH1 = 0x60, PUSH32 = 0x7f, DUP1 = 0x80, DUP16 = 0x8f, SWAP1 = 0x90,
      SWAP16 = 0x9f, LOG0 = 0xa0, LOG4 = 0xa4;
  static final int CREATE = 0xf0, CALL = 0xf1, CALLCODE = 0xf2, RETURN = 0xf3,
      DELEGATECALL = 0xf4, CREATE2 = 0xf5, STATICCALL = 0xfa, REVERT = 0xfd, INVALID = 0xfe,
      SELFDESTRUCT = 0xff;

  /** Static gas per opcode; -1 marks an opcode Cancun does not define. */
  static final int[] STATIC_GAS = new int[256];
  /** Items an opcode pops. */
  static final int[] STACK_IN = new int[256];
  /** The largest stack height at which the opcode still fits within {@link #STACK_LIMIT}. */
  static final int[] STACK_MAX_BEFORE = new int[256];
  /** Mnemonics as traces print them; Geth's wording for the bytes Cancun leaves undefined. */
  static final String[] NAMES = new String[256];

  static final int STACK_LIMIT = 1024;

  static {
    java.util.Arrays.fill(STATIC_GAS, -1);
    for (int op = 0; op < 256; op++) {
      NAMES[op] = "opcode 0x" + Integer.toHexString(op) + " not defined";
    }
    name(STOP, "STOP", "ADD", "MUL", "SUB", "DIV", "SDIV", "MOD", "SMOD", "ADDMOD", "MULMOD", "EXP",
        "SIGNEXTEND");
    name(LT, "LT", "GT", "SLT", "SGT", "EQ", "ISZERO", "AND", "OR", "XOR", "NOT", "BYTE", "SHL",
        "SHR", "SAR");
    name(KECCAK256, "KECCAK256");
    name(ADDRESS, "ADDRESS", "BALANCE", "ORIGIN", "CALLER", "CALLVALUE", "CALLDATALOAD",
        "CALLDATASIZE", "CALLDATACOPY", "CODESIZE", "CODECOPY", "GASPRICE", "EXTCODESIZE",
        "EXTCODECOPY", "RETURNDATASIZE", "RETURNDATACOPY", "EXTCODEHASH");
    name(BLOCKHASH, "BLOCKHASH", "COINBASE", "TIMESTAMP", "NUMBER", "PREVRANDAO", "GASLIMIT",
        "CHAINID", "SELFBALANCE", "BASEFEE", "BLOBHASH", "BLOBBASEFEE");
    name(POP, "POP", "MLOAD", "MSTORE", "MSTORE8", "SLOAD", "SSTORE", "JUMP", "JUMPI", "PC",
        "MSIZE", "GAS", "JUMPDEST", "TLOAD", "TSTORE", "MCOPY", "PUSH0");
    for (int n = 1; n <= 32; n++) {
      NAMES[PUSH1 + n - 1] = "PUSH" + n;
    }
    for (int n = 1; n <= 16; n++) {
      NAMES[DUP1 + n - 1] = "DUP" + n;
      NAMES[SWAP1 + n - 1] = "SWAP" + n;
    }
    for (int n = 0; n <= 4; n++) {
      NAMES[LOG0 + n] = "LOG" + n;
    }
    name(CREATE, "CREATE", "CALL", "CALLCODE", "RETURN", "DELEGATECALL", "CREATE2");
    name(STATICCALL, "STATICCALL");
    name(REVERT, "REVERT", "INVALID", "SELFDESTRUCT");
    define(STOP, 0, 0, 0);
    for (int op : new int[] {ADD, SUB, LT, GT, SLT, SGT, EQ, AND, OR, XOR, BYTE, SHL, SHR, SAR}) {
      define(op, 3, 2, 1);
    }
    for (int op : new int[] {MUL, DIV, SDIV, MOD, SMOD, SIGNEXTEND}) {
      define(op, 5, 2, 1);
    }
    define(ADDMOD, 8, 3, 1);
    define(MULMOD, 8, 3, 1);
    define(EXP, 10, 2, 1);
    define(ISZERO, 3, 1, 1);
    define(NOT, 3, 1, 1);
    define(KECCAK256, 30, 2, 1);
    for (int op : new int[] {ADDRESS, ORIGIN, CALLER, CALLVALUE, CALLDATASIZE, CODESIZE,
        GASPRICE, RETURNDATASIZE, COINBASE, TIMESTAMP, NUMBER, PREVRANDAO, GASLIMIT, CHAINID,
        BASEFEE, BLOBBASEFEE, PC, MSIZE, GAS, PUSH0}) {
      define(op, 2, 0, 1);
    }
    define(BALANCE, Gas.WARM_ACCESS, 1, 1);
    define(EXTCODESIZE, Gas.WARM_ACCESS, 1, 1);
    define(EXTCODEHASH, Gas.WARM_ACCESS, 1, 1);
    define(EXTCODECOPY, Gas.WARM_ACCESS, 4, 0);
    define(CALLDATALOAD, 3, 1, 1);
    define(CALLDATACOPY, 3, 3, 0);
    define(CODECOPY, 3, 3, 0);
    define(RETURNDATACOPY, 3, 3, 0);
    define(BLOCKHASH, 20, 1, 1);
    define(SELFBALANCE, 5, 0, 1);
    define(BLOBHASH, 3, 1, 1);
    define(POP, 2, 1, 0);
    define(MLOAD, 3, 1, 1);
    define(MSTORE, 3, 2, 0);
    define(MSTORE8, 3, 2, 0);
    define(SLOAD, 0, 1, 1);
    define(SSTORE, 0, 2, 0);
    define(JUMP, 8, 1, 0);
    define(JUMPI, 10, 2, 0);
    define(JUMPDEST, 1, 0, 0);
    define(TLOAD, Gas.WARM_ACCESS, 1, 1);
    define(TSTORE, Gas.WARM_ACCESS, 2, 0);
    define(MCOPY, 3, 3, 0);
    for (int op = PUSH1; op <= PUSH32; op++) {
      define(op, 3, 0, 1);
    }
    for (int n = 1; n <= 16; n++) {
      define(DUP1 + n - 1, 3, n, n + 1);
      define(SWAP1 + n - 1, 3, n + 1, n + 1);
    }
    for (int n = 0; n <= 4; n++) {
      define(LOG0 + n, Gas.LOG + Gas.LOG_TOPIC * n, n + 2, 0);
    }
    define(CREATE, Gas.CREATE, 3, 1);
    define(CREATE2, Gas.CREATE, 4, 1);
    define(CALL, Gas.WARM_ACCESS, 7, 1);
    define(CALLCODE, Gas.WARM_ACCESS, 7, 1);
    define(DELEGATECALL, Gas.WARM_ACCESS, 6, 1);
    define(STATICCALL, Gas.WARM_ACCESS, 6, 1);
    define(RETURN, 0, 2, 0);
    define(REVERT, 0, 2, 0);
    define(SELFDESTRUCT, Gas.SELFDESTRUCT, 1, 0);
  }

  private Opcodes() {}

  /** Names consecutive opcodes from {@code first}. */
  private static void name(int first, String... names) {
    for (int i = 0; i < names.length; i++) {
      NAMES[first + i] = names[i];
    }
  }

  private static void define(int op, int gas, int in, int out) {
    STATIC_GAS[op] = gas;
    STACK_IN[op] = in;
    STACK_MAX_BEFORE[op] = STACK_LIMIT + in - out;
  }
}
