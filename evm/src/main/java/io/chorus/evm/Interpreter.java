package io.chorus.evm;

import static io.chorus.evm.Opcodes.*;

import io.chorus.crypto.Keccak256;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fetch-check-dispatch loop and the opcodes that need nothing beyond their frame and the
 * block. Stack height and static gas are checked from {@link Opcodes}' tables before dispatch;
 * the handlers charge the rest. Nothing here throws on any code or input: every failure is a
 * {@link Status}.
 */
final class Interpreter {
  private static final byte[] EMPTY_KECCAK = Keccak256.INSTANCE.hash(new byte[0]);

  private Interpreter() {}

  /**
   * Runs a frame for a stepping tracer, one opcode per call of {@link #run}, as a debugger
   * single-steps: run() gets a copy of the code holding only the next opcode, INVALID
   * everywhere else, so it stops wherever that opcode leads and {@link #haltBeforeDispatch}
   * hands back. The loop itself carries no tracing at all.
   */
  static int runStepping(Evm evm, Frame f, Step step) {
    final byte[] code = f.code.padded;
    final byte[] oneOpcode = new byte[code.length];
    Arrays.fill(oneOpcode, (byte) INVALID);
    f.step = step;
    while (true) {
      int at = f.pc;
      int op = code[at] & 0xff;
      int length = op >= PUSH1 && op <= PUSH32 ? op - PUSH1 + 2 : 1;
      System.arraycopy(code, at, oneOpcode, at, length);
      step.next(op);
      int status = run(evm, f, oneOpcode);
      Arrays.fill(oneOpcode, at, at + length, (byte) INVALID);
      if (status != Status.CONTINUE) {
        step.halted(status);
        return status;
      }
    }
  }

  // Benchmark (./chorus bench EvmBenchmark) before and after any change to this loop. The opcodes
  // that touch only the stack run here on local copies of pc, sp and gas, which HotSpot keeps in
  // registers; the rest go through execute() on the frame's fields. It runs code, the frame's
  // padded code or runStepping's one-opcode copy of it.
  static int run(Evm evm, Frame f, byte[] code) {
    final long[] s = f.stack;
    int pc = f.pc;
    int sp = f.sp;
    long gas = f.gas;
    while (true) {
      final int op = code[pc] & 0xff;
      final int staticGas = STATIC_GAS[op];
      // One branch for the common case; an undefined opcode's gas of -1 fails it too.
      if ((sp < STACK_IN[op]) | (sp > STACK_MAX_BEFORE[op]) | (gas < staticGas)
          | (staticGas < 0)) {
        return haltBeforeDispatch(f, pc, sp, gas, staticGas, op);
      }
      gas -= staticGas;
      final int a = (sp - 1) << 2;
      final int b = a - 4;
      fast: {
        switch (op) {
          case STOP:
            f.gas = gas;
            return Status.SUCCESS;
          case ADD: WordMath.add(s, a, b); sp--; break;
          case MUL: WordMath.mul(s, a, b); sp--; break;
          case SUB: WordMath.sub(s, a, b); sp--; break;
          case DIV: WordMath.div(s, a, b); sp--; break;
          case SDIV: WordMath.sdiv(s, a, b); sp--; break;
          case MOD: WordMath.mod(s, a, b); sp--; break;
          case SMOD: WordMath.smod(s, a, b); sp--; break;
          case ADDMOD: WordMath.addMod(s, a, b, b - 4); sp -= 2; break;
          case MULMOD: WordMath.mulMod(s, a, b, b - 4); sp -= 2; break;
          case EXP: {
            long cost = (long) Gas.EXP_BYTE * WordMath.byteLength(s, b);
            if (gas < cost) {
              return Status.OUT_OF_GAS;
            }
            gas -= cost;
            WordMath.exp(s, a, b);
            sp--;
            break;
          }
          case SIGNEXTEND: WordMath.signExtend(s, a, b); sp--; break;
          case LT: WordMath.lt(s, a, b); sp--; break;
          case GT: WordMath.gt(s, a, b); sp--; break;
          case SLT: WordMath.slt(s, a, b); sp--; break;
          case SGT: WordMath.sgt(s, a, b); sp--; break;
          case EQ: WordMath.eq(s, a, b); sp--; break;
          case ISZERO: WordMath.isZero(s, a); break;
          case AND: WordMath.and(s, a, b); sp--; break;
          case OR: WordMath.or(s, a, b); sp--; break;
          case XOR: WordMath.xor(s, a, b); sp--; break;
          case NOT: WordMath.not(s, a); break;
          case BYTE: WordMath.byteAt(s, a, b); sp--; break;
          case SHL: WordMath.shl(s, a, b); sp--; break;
          case SHR: WordMath.shr(s, a, b); sp--; break;
          case SAR: WordMath.sar(s, a, b); sp--; break;
          case POP: sp--; break;
          case MLOAD: { // within active memory; execute() prices and grows it otherwise
            long offset = WordMath.toLongSaturated(s, a);
            if (offset > f.memorySize - 32) {
              break fast;
            }
            WordMath.fromBytes(f.memory, (int) offset, 32, s, a);
            break;
          }
          case MSTORE: { // as MLOAD
            long offset = WordMath.toLongSaturated(s, a);
            if (offset > f.memorySize - 32) {
              break fast;
            }
            WordMath.toBytes(s, b, f.memory, (int) offset);
            sp -= 2;
            break;
          }
          case JUMP: {
            long dest = WordMath.toLongSaturated(s, a);
            if (!f.code.isJumpDest(dest)) {
              return Status.BAD_JUMP;
            }
            sp--;
            pc = (int) dest;
            continue;
          }
          case JUMPI: {
            sp -= 2;
            if (WordMath.isZeroAt(s, b)) {
              break;
            }
            long dest = WordMath.toLongSaturated(s, a);
            if (!f.code.isJumpDest(dest)) {
              return Status.BAD_JUMP;
            }
            pc = (int) dest;
            continue;
          }
          case PC: WordMath.setLong(s, a + 4, pc); sp++; break;
          case GAS: WordMath.setLong(s, a + 4, gas); sp++; break;
          case JUMPDEST: break;
          case PUSH0: WordMath.setLong(s, a + 4, 0); sp++; break;
          default:
            if (op >= PUSH1 && op <= PUSH32) {
              int n = op - PUSH1 + 1;
              if (n <= 7) { // the common short immediates fit one limb
                long v = 0;
                for (int i = 1; i <= n; i++) {
                  v = (v << 8) | (code[pc + i] & 0xff);
                }
                WordMath.setLong(s, a + 4, v);
              } else {
                WordMath.fromBytes(code, pc + 1, n, s, a + 4);
              }
              sp++;
              pc += n + 1;
              continue;
            }
            if (op >= DUP1 && op <= DUP16) {
              int from = a - ((op - DUP1) << 2);
              s[a + 4] = s[from];
              s[a + 5] = s[from + 1];
              s[a + 6] = s[from + 2];
              s[a + 7] = s[from + 3];
              sp++;
              break;
            }
            if (op >= SWAP1 && op <= SWAP16) {
              swap(s, a, a - ((op - SWAP1 + 1) << 2));
              break;
            }
            break fast;
        }
        pc++;
        continue;
      }
      // Everything else runs on the frame's fields.
      f.pc = pc;
      f.sp = sp;
      f.gas = gas;
      int status = execute(evm, f, op, s);
      if (status != Status.CONTINUE) {
        return status;
      }
      pc = f.pc;
      sp = f.sp;
      gas = f.gas;
    }
  }

  /**
   * Why the opcode at pc cannot start, or CONTINUE when a stepping run (see runStepping) has
   * reached the INVALID after its one opcode. Leaves pc, sp and gas in the frame, so a tracer can
   * name the opcode and stack height and step on.
   */
  private static int haltBeforeDispatch(Frame f, int pc, int sp, long gas, int staticGas,
      int op) {
    f.pc = pc;
    f.sp = sp;
    f.gas = gas;
    if (f.step != null && pc != f.step.startPc) {
      return Status.CONTINUE;
    }
    if (staticGas < 0) {
      return Status.INVALID_OPCODE;
    }
    if (sp < STACK_IN[op]) {
      return Status.STACK_UNDERFLOW;
    }
    return sp > STACK_MAX_BEFORE[op] ? Status.STACK_OVERFLOW : Status.OUT_OF_GAS;
  }

  /**
   * The opcodes that need the frame's memory, the journal or the environment: they work on the
   * frame's fields, which the loop stores before and reloads after.
   */
  private static int execute(Evm evm, Frame f, int op, long[] s) {
    final int a = (f.sp - 1) << 2;
    final int b = a - 4;
    switch (op) {
      case KECCAK256: {
        long offset = WordMath.toLongSaturated(s, a);
        long size = WordMath.toLongSaturated(s, b);
        if (!f.expand(offset, size) || !f.chargeWords(size, Gas.KECCAK_WORD)) {
          return Status.OUT_OF_GAS;
        }
        byte[] hash = size == 0 ? EMPTY_KECCAK
            : Keccak256.INSTANCE.hash(f.memory, (int) offset, (int) size);
        WordMath.fromBytes(hash, 0, 32, s, b);
        f.sp--;
        break;
      }
      case ADDRESS: pushAddress(f, s, f.address); break;
      case BALANCE: {
        Address address = addressAt(s, a);
        if (!evm.chargeAccountAccess(f, address)) {
          return Status.OUT_OF_GAS;
        }
        Word.fromBigInteger(evm.journal.balance(address)).toStack(s, a);
        break;
      }
      case ORIGIN: pushAddress(f, s, evm.tx.origin()); break;
      case CALLER: pushAddress(f, s, f.caller); break;
      case CALLVALUE: push(f, s, Word.fromBigInteger(f.value)); break;
      case CALLDATALOAD: {
        long offset = WordMath.toLongSaturated(s, a);
        if (offset <= f.input.length - 32L) {
          WordMath.fromBytes(f.input, (int) offset, 32, s, a);
        } else {
          // Calldata reads past its end as zeros on the right.
          byte[] word = new byte[32];
          if (offset < f.input.length) {
            System.arraycopy(f.input, (int) offset, word, 0, f.input.length - (int) offset);
          }
          WordMath.fromBytes(word, 0, 32, s, a);
        }
        break;
      }
      case CALLDATASIZE: pushLong(f, s, f.input.length); break;
      case CALLDATACOPY:
        return copy(f, s, f.input);
      case CODESIZE: pushLong(f, s, f.code.size()); break;
      case CODECOPY:
        return copy(f, s, f.code.bytes());
      case GASPRICE: push(f, s, Word.fromBigInteger(evm.tx.gasPrice())); break;
      case EXTCODESIZE: {
        Address address = addressAt(s, a);
        if (!evm.chargeAccountAccess(f, address)) {
          return Status.OUT_OF_GAS;
        }
        WordMath.setLong(s, a, evm.journal.code(address).size());
        break;
      }
      case EXTCODECOPY: {
        Address address = addressAt(s, a);
        f.sp--;
        int status = copyChecked(f, s);
        if (status != Status.CONTINUE) {
          return status;
        }
        if (!evm.chargeAccountAccess(f, address)) {
          return Status.OUT_OF_GAS;
        }
        copyUnchecked(f, s, evm.journal.code(address).bytes());
        return Status.CONTINUE;
      }
      case RETURNDATASIZE: pushLong(f, s, f.returnData.length); break;
      case RETURNDATACOPY: {
        long offset = WordMath.toLongSaturated(s, b);
        long size = WordMath.toLongSaturated(s, b - 4);
        if (offset > f.returnData.length || size > f.returnData.length - offset) {
          return Status.RETURNDATA_OUT_OF_BOUNDS;
        }
        return copy(f, s, f.returnData);
      }
      case EXTCODEHASH: {
        Address address = addressAt(s, a);
        if (!evm.chargeAccountAccess(f, address)) {
          return Status.OUT_OF_GAS;
        }
        if (evm.journal.isDead(address)) {
          WordMath.setLong(s, a, 0);
        } else {
          WordMath.fromBytes(evm.journal.codeHash(address), 0, 32, s, a);
        }
        break;
      }
      case BLOCKHASH: {
        long number = WordMath.toLongSaturated(s, a);
        long current = evm.block.number();
        if (number < current && current - number <= 256) {
          evm.block.blockHashes().apply(number).toStack(s, a);
        } else {
          WordMath.setLong(s, a, 0);
        }
        break;
      }
      case COINBASE: pushAddress(f, s, evm.block.coinbase()); break;
      case TIMESTAMP: pushLong(f, s, evm.block.timestamp()); break;
      case NUMBER: pushLong(f, s, evm.block.number()); break;
      case PREVRANDAO: push(f, s, evm.block.prevRandao()); break;
      case GASLIMIT: pushLong(f, s, evm.block.gasLimit()); break;
      case CHAINID: push(f, s, Word.fromBigInteger(evm.block.chainId())); break;
      case SELFBALANCE: push(f, s, Word.fromBigInteger(evm.journal.balance(f.address))); break;
      case BASEFEE: push(f, s, Word.fromBigInteger(evm.block.baseFee())); break;
      case BLOBHASH: {
        long index = WordMath.toLongSaturated(s, a);
        List<Word> hashes = evm.tx.blobHashes();
        (index < hashes.size() ? hashes.get((int) index) : Word.ZERO).toStack(s, a);
        break;
      }
      case BLOBBASEFEE: push(f, s, Word.fromBigInteger(evm.block.blobBaseFee())); break;
      case MLOAD: {
        long offset = WordMath.toLongSaturated(s, a);
        if (!f.expand(offset, 32)) {
          return Status.OUT_OF_GAS;
        }
        WordMath.fromBytes(f.memory, (int) offset, 32, s, a);
        break;
      }
      case MSTORE: {
        long offset = WordMath.toLongSaturated(s, a);
        if (!f.expand(offset, 32)) {
          return Status.OUT_OF_GAS;
        }
        WordMath.toBytes(s, b, f.memory, (int) offset);
        f.sp -= 2;
        break;
      }
      case MSTORE8: {
        long offset = WordMath.toLongSaturated(s, a);
        if (!f.expand(offset, 1)) {
          return Status.OUT_OF_GAS;
        }
        f.memory[(int) offset] = (byte) s[b + 3];
        f.sp -= 2;
        break;
      }
      case SLOAD:
        return evm.sload(f, s, a);
      case SSTORE:
        return evm.sstore(f, s, a);
      case MSIZE: pushLong(f, s, f.memorySize); break;
      case TLOAD:
        evm.journal.transientStorage(f.address, Word.fromStack(s, a)).toStack(s, a);
        break;
      case TSTORE:
        if (f.isStatic) {
          return Status.STATIC_VIOLATION;
        }
        evm.journal.setTransientStorage(f.address, Word.fromStack(s, a), Word.fromStack(s, b));
        f.sp -= 2;
        break;
      case MCOPY: {
        long dst = WordMath.toLongSaturated(s, a);
        long src = WordMath.toLongSaturated(s, b);
        long size = WordMath.toLongSaturated(s, b - 4);
        if (!f.expand(dst, size) || !f.expand(src, size)
            || !f.chargeWords(size, Gas.COPY_WORD)) {
          return Status.OUT_OF_GAS;
        }
        if (size > 0) {
          System.arraycopy(f.memory, (int) src, f.memory, (int) dst, (int) size);
        }
        f.sp -= 3;
        break;
      }
      case CREATE, CREATE2:
        return evm.create(f, s, op == CREATE2);
      case CALL, CALLCODE, DELEGATECALL, STATICCALL:
        return evm.call(f, s, op);
      case RETURN, REVERT: {
        long offset = WordMath.toLongSaturated(s, a);
        long size = WordMath.toLongSaturated(s, b);
        if (!f.expand(offset, size)) {
          return Status.OUT_OF_GAS;
        }
        f.output = f.memorySlice(offset, size);
        return op == RETURN ? Status.SUCCESS : Status.REVERT;
      }
      case SELFDESTRUCT:
        return evm.selfDestruct(f, s, a);
      default:
        if (op >= LOG0 && op <= LOG4) {
          return log(evm, f, s, op - LOG0);
        }
        return Status.INVALID_OPCODE;
    }
    f.pc++;
    return Status.CONTINUE;
  }

  private static void swap(long[] s, int x, int y) {
    for (int i = 0; i < 4; i++) {
      long t = s[x + i];
      s[x + i] = s[y + i];
      s[y + i] = t;
    }
  }

  private static void push(Frame f, long[] s, Word word) {
    word.toStack(s, f.sp << 2);
    f.sp++;
  }

  private static void pushLong(Frame f, long[] s, long value) {
    WordMath.setLong(s, f.sp << 2, value);
    f.sp++;
  }

  private static void pushAddress(Frame f, long[] s, Address address) {
    byte[] bytes = new byte[Address.BYTES];
    address.copyTo(bytes, 0);
    WordMath.fromBytes(bytes, 0, Address.BYTES, s, f.sp << 2);
    f.sp++;
  }

  static Address addressAt(long[] s, int offset) {
    byte[] word = new byte[32];
    WordMath.toBytes(s, offset, word, 0);
    return Address.fromWord(word);
  }

  /** CALLDATACOPY, CODECOPY, RETURNDATACOPY: (memOffset, offset, size) from the stack. */
  private static int copy(Frame f, long[] s, byte[] source) {
    int status = copyChecked(f, s);
    if (status == Status.CONTINUE) {
      copyUnchecked(f, s, source);
    }
    return status;
  }

  /** Charges memory and per-word gas for the (memOffset, offset, size) on top. */
  private static int copyChecked(Frame f, long[] s) {
    int a = f.at(0);
    long memOffset = WordMath.toLongSaturated(s, a);
    long size = WordMath.toLongSaturated(s, a - 8);
    if (!f.expand(memOffset, size) || !f.chargeWords(size, Gas.COPY_WORD)) {
      return Status.OUT_OF_GAS;
    }
    return Status.CONTINUE;
  }

  private static void copyUnchecked(Frame f, long[] s, byte[] source) {
    int a = f.at(0);
    long memOffset = WordMath.toLongSaturated(s, a);
    long offset = WordMath.toLongSaturated(s, a - 4);
    long size = WordMath.toLongSaturated(s, a - 8);
    f.copyToMemory(source, offset, memOffset, size);
    f.sp -= 3;
    f.pc++;
  }

  private static int log(Evm evm, Frame f, long[] s, int topicCount) {
    if (f.isStatic) {
      return Status.STATIC_VIOLATION;
    }
    int a = f.at(0);
    long offset = WordMath.toLongSaturated(s, a);
    long size = WordMath.toLongSaturated(s, a - 4);
    if (!f.expand(offset, size) || !f.charge(Gas.LOG_DATA_BYTE * size)) {
      return Status.OUT_OF_GAS;
    }
    List<Word> topics = new ArrayList<>(topicCount);
    for (int i = 0; i < topicCount; i++) {
      topics.add(Word.fromStack(s, a - 8 - (i << 2)));
    }
    Log log = new Log(f.address, List.copyOf(topics), f.memorySlice(offset, size));
    evm.journal.addLog(log);
    if (evm.tracer != null) {
      evm.tracer.log(log);
    }
    f.sp -= 2 + topicCount;
    f.pc++;
    return Status.CONTINUE;
  }
}
