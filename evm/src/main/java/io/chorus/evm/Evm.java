package io.chorus.evm;

import static io.chorus.evm.Opcodes.CALL;
import static io.chorus.evm.Opcodes.CALLCODE;
import static io.chorus.evm.Opcodes.DELEGATECALL;
import static io.chorus.evm.Opcodes.STATICCALL;

import io.chorus.codec.Bytes;
import io.chorus.codec.Rlp;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Tracer.CallType;
import io.chorus.evm.precompile.Precompile;
import io.chorus.evm.precompile.Precompiles;
import java.math.BigInteger;

/**
 * One transaction's EVM: runs message calls and creations against a {@link Journal}, and holds
 * the opcodes that reach beyond their frame (calls, creations, storage, self-destruct).
 *
 * <p>Frames nest by Java recursion, up to {@link Limits#CALL_DEPTH_MAX} deep: run it on a thread
 * with a large stack (see {@link #STACK_BYTES}).
 */
public final class Evm {
  /** A thread stack that holds the deepest call chain the EVM allows, with room to spare. */
  public static final long STACK_BYTES = 256L << 20;

  final Journal journal;
  final BlockEnv block;
  final TxEnv tx;
  /** Told of every frame and log; null when nothing traces. */
  final Tracer tracer;
  /** The tracer when it also asks for every opcode, else null. */
  private final Tracer stepTracer;
  private final HashFunction chainHash;
  /** The chain's stateful native contracts; null for none. */
  private final NativeContracts natives;

  /**
   * @param chainHash the suite's hash, for code hashes and contract addresses (KECCAK256 itself
   *     is always keccak)
   */
  public Evm(Journal journal, BlockEnv block, TxEnv tx, HashFunction chainHash) {
    this(journal, block, tx, chainHash, null);
  }

  /** An EVM whose execution {@code tracer} watches; null traces nothing. */
  public Evm(Journal journal, BlockEnv block, TxEnv tx, HashFunction chainHash, Tracer tracer) {
    this(journal, block, tx, chainHash, tracer, null);
  }

  /** An EVM on a chain with native contracts ({@code natives}, null for none). */
  public Evm(Journal journal, BlockEnv block, TxEnv tx, HashFunction chainHash, Tracer tracer,
      NativeContracts natives) {
    this.natives = natives;
    this.journal = journal;
    this.block = block;
    this.tx = tx;
    this.chainHash = chainHash;
    this.tracer = tracer;
    this.stepTracer = tracer != null && tracer.tracesSteps() ? tracer : null;
  }

  /** A transaction's call: value moves from {@code sender} to {@code to}, then its code runs. */
  public Result call(Address sender, Address to, BigInteger value, byte[] data, long gas) {
    return message(CALL, to, sender, to, value, data, gas, false, 0);
  }

  /**
   * A transaction's creation at {@code address}; the caller has already raised the sender's
   * nonce and checked the balance. On success the output is the code deployed, which is what
   * {@code eth_call} of a creation answers.
   */
  public Result create(Address sender, Address address, BigInteger value, byte[] initcode,
      long gas) {
    return createMessage(CallType.CREATE, sender, address, value, initcode, gas, 0);
  }

  /** CREATE's address: the last 20 bytes of hash(rlp([sender, nonce])). */
  public Address createAddress(Address sender, long nonce) {
    return createAddress(chainHash, sender, nonce);
  }

  /** CREATE's address under the suite hash {@code hash}, e.g. for a receipt's contractAddress. */
  public static Address createAddress(HashFunction hash, Address sender, long nonce) {
    byte[] rlp = Rlp.encodeList(Rlp.encodeBytes(sender.toArray()), Rlp.encodeUnsignedLong(nonce));
    return Address.fromWord(hash.hash(rlp));
  }

  /** CREATE2's address: the last 20 bytes of hash(0xff ++ sender ++ salt ++ hash(initcode)). */
  public Address create2Address(Address sender, byte[] salt32, byte[] initcode) {
    byte[] preimage = Bytes.concat(new byte[] {(byte) 0xff}, sender.toArray(), salt32,
        chainHash.hash(initcode));
    return Address.fromWord(chainHash.hash(preimage));
  }

  /**
   * A message call at {@code depth}: refused (depth, balance) with its gas back, or value moved
   * and the code or precompile at {@code codeAddress} run for {@code address}.
   */
  private Result message(int kind, Address address, Address caller, Address codeAddress,
      BigInteger value, byte[] input, long gas, boolean isStatic, int depth) {
    if (tracer != null) {
      // As Geth reports it: from the calling account to the code's, with the value the frame
      // sees.
      tracer.enter(depth, callType(kind), kind == DELEGATECALL ? address : caller, codeAddress,
          kind == STATICCALL ? null : value, gas, input);
    }
    Precompile precompile = Precompiles.at(codeAddress.precompileIndex());
    Frame frame = null;
    Result result;
    if (depth > Limits.CALL_DEPTH_MAX) {
      result = Result.of(Status.CALL_DEPTH_EXCEEDED, gas, Bytes.EMPTY);
    } else if ((kind == CALL || kind == CALLCODE) && value.signum() != 0
        && journal.balance(caller).compareTo(value) < 0) {
      result = Result.of(Status.INSUFFICIENT_BALANCE, gas, Bytes.EMPTY);
    } else if (kind == CALL && !journal.exists(address) && precompile == null
        && value.signum() == 0) {
      result = Result.of(Status.SUCCESS, gas, Bytes.EMPTY);
    } else {
      int snapshot = journal.snapshot();
      if (kind == CALL) {
        journal.subBalance(caller, value);
        journal.addBalance(address, value);
      } else if (kind == STATICCALL) {
        journal.touch(address);
      }
      Code code = precompile == null ? journal.code(codeAddress) : Code.EMPTY;
      if (precompile != null) {
        result = runPrecompile(precompile, input, gas, snapshot);
      } else if (natives != null && natives.has(codeAddress)) {
        result = kind == CALL || kind == STATICCALL
            ? natives.call(journal, caller, codeAddress, value, input, gas, isStatic,
                (callee, calleeInput, calleeGas) -> {
                  journal.warmAccount(callee); // as CALL warms it (EIP-2929)
                  return message(CALL, callee, codeAddress, callee, BigInteger.ZERO,
                      calleeInput, calleeGas, isStatic, depth + 1);
                })
            : Result.of(Status.INVALID_OPCODE, 0, Bytes.EMPTY);
        if (!result.success()) {
          journal.revertTo(snapshot);
        }
      } else if (code.size() == 0) {
        result = Result.of(Status.SUCCESS, gas, Bytes.EMPTY);
      } else {
        frame = new Frame(code, address, caller, value, input, isStatic, depth, gas);
        int status = runFrame(frame);
        if (status != Status.SUCCESS) {
          journal.revertTo(snapshot);
        }
        // A revert keeps its gas and data; an exceptional halt loses both.
        result = Status.isExceptional(status) ? Result.of(status, 0, Bytes.EMPTY)
            : Result.of(status, frame.gas, frame.output);
      }
    }
    if (tracer != null) {
      tracer.exit(depth, result.output(), gas - result.gasLeft(), result.status(),
          TraceErrors.describe(result.status(), frame));
    }
    return result;
  }

  private static CallType callType(int kind) {
    return switch (kind) {
      case CALL -> CallType.CALL;
      case CALLCODE -> CallType.CALLCODE;
      case DELEGATECALL -> CallType.DELEGATECALL;
      default -> CallType.STATICCALL;
    };
  }

  /** Runs a frame's code; with a stepping tracer, every opcode is reported. */
  private int runFrame(Frame frame) {
    if (stepTracer == null) {
      return Interpreter.run(this, frame, frame.code.padded);
    }
    return Interpreter.runStepping(this, frame, new Step(this, frame, stepTracer));
  }

  private Result runPrecompile(Precompile precompile, byte[] input, long gas, int snapshot) {
    long cost = precompile.gas(input);
    if (cost > gas) {
      journal.revertTo(snapshot);
      return Result.of(Status.OUT_OF_GAS, 0, Bytes.EMPTY);
    }
    byte[] output = precompile.run(input);
    if (output == null) {
      journal.revertTo(snapshot);
      return Result.of(Status.PRECOMPILE_FAILED, 0, Bytes.EMPTY);
    }
    return Result.of(Status.SUCCESS, gas - cost, output);
  }

  /** Runs {@code initcode} for a new account at {@code address} and deploys what it returns. */
  private Result createMessage(CallType type, Address caller, Address address, BigInteger value,
      byte[] initcode, long gas, int depth) {
    if (tracer != null) {
      tracer.enter(depth, type, caller, address, value, gas, initcode);
    }
    Frame frame = null;
    boolean codeReturned = false;
    Result result;
    journal.warmAccount(address);
    if (journal.hasCollision(address)) {
      result = Result.of(Status.CREATE_COLLISION, 0, Bytes.EMPTY);
    } else {
      int snapshot = journal.snapshot();
      journal.createContract(address);
      journal.setNonce(address, 1);
      journal.subBalance(caller, value);
      journal.addBalance(address, value);
      frame = new Frame(new Code(initcode), address, caller, value, Bytes.EMPTY, false, depth,
          gas);
      int status = initcode.length == 0 ? Status.SUCCESS : runFrame(frame);
      codeReturned = status == Status.SUCCESS;
      if (codeReturned) {
        status = deposit(frame, address);
      }
      if (status == Status.SUCCESS) {
        // The deployed code; the CREATE opcode hands its caller no return data on success.
        result = new Result(Status.SUCCESS, frame.gas, frame.output, address);
      } else {
        journal.revertTo(snapshot);
        result = status == Status.REVERT ? Result.of(status, frame.gas, frame.output)
            : Result.of(status, 0, Bytes.EMPTY);
      }
    }
    if (tracer != null) {
      int status = result.status();
      String error = codeReturned && status == Status.OUT_OF_GAS
          ? TraceErrors.CODE_DEPOSIT_OUT_OF_GAS : TraceErrors.describe(status, frame);
      tracer.exit(depth, result.output(), gas - result.gasLeft(), status, error);
    }
    return result;
  }

  /** Stores the code a creation returned, if EIP-170, EIP-3541 and its gas allow. */
  private int deposit(Frame frame, Address address) {
    byte[] code = frame.output;
    if (code.length > Limits.CODE_BYTES_MAX) {
      return Status.CODE_TOO_LARGE;
    }
    if (code.length > 0 && code[0] == (byte) 0xEF) {
      return Status.CODE_STARTS_WITH_EF;
    }
    if (!frame.charge((long) Gas.CODE_DEPOSIT_BYTE * code.length)) {
      return Status.OUT_OF_GAS;
    }
    journal.setCode(address, code);
    return Status.SUCCESS;
  }

  /** A creation refused before it starts (depth, balance, nonce): its gas goes back unspent. */
  private Result refused(int status, Frame creator, CallType type, Address address,
      BigInteger value, byte[] initcode, long gas) {
    if (tracer != null) {
      int depth = creator.depth + 1;
      tracer.enter(depth, type, creator.address, address, value, gas, initcode);
      tracer.exit(depth, Bytes.EMPTY, 0, status, TraceErrors.describe(status, null));
    }
    return Result.of(status, gas, Bytes.EMPTY);
  }

  /** Charges EIP-2929's cold surcharge the first time the transaction touches an account. */
  boolean chargeAccountAccess(Frame f, Address address) {
    return !journal.warmAccount(address)
        || f.charge(Gas.COLD_ACCOUNT_ACCESS - Gas.WARM_ACCESS);
  }

  /** CALL, CALLCODE, DELEGATECALL, STATICCALL. */
  int call(Frame f, long[] s, int op) {
    int a = f.at(0);
    long requested = WordMath.toLongSaturated(s, a);
    Address to = Interpreter.addressAt(s, a - 4);
    int i = a - 8;
    boolean takesValue = op == CALL || op == CALLCODE;
    BigInteger value = BigInteger.ZERO;
    if (takesValue) {
      if (!WordMath.isZeroAt(s, i)) {
        value = Word.fromStack(s, i).toBigInteger();
      }
      i -= 4;
    }
    boolean hasValue = value.signum() != 0;
    if (op == CALL && hasValue && f.isStatic) {
      return Status.STATIC_VIOLATION;
    }
    long inOffset = WordMath.toLongSaturated(s, i);
    long inSize = WordMath.toLongSaturated(s, i - 4);
    long outOffset = WordMath.toLongSaturated(s, i - 8);
    long outSize = WordMath.toLongSaturated(s, i - 12);
    if (!f.expand(inOffset, inSize) || !f.expand(outOffset, outSize)
        || !chargeAccountAccess(f, to)) {
      return Status.OUT_OF_GAS;
    }
    if (hasValue) {
      long extra = Gas.CALL_VALUE;
      if (op == CALL && journal.isDead(to)) {
        extra += Gas.NEW_ACCOUNT;
      }
      if (!f.charge(extra)) {
        return Status.OUT_OF_GAS;
      }
    }
    // EIP-150: a callee gets at most all but one 64th of what is left.
    long callGas = Math.min(requested, f.gas - f.gas / 64);
    f.gas -= callGas;
    if (f.step != null) {
      f.step.charged(); // Geth counts the callee's gas in the CALL's cost
    }
    if (hasValue) {
      callGas += Gas.CALL_STIPEND;
    }
    byte[] input = f.memorySlice(inOffset, inSize);
    f.sp -= takesValue ? 7 : 6;
    Result result = switch (op) {
      case CALL -> message(op, to, f.address, to, value, input, callGas, f.isStatic,
          f.depth + 1);
      case CALLCODE -> message(op, f.address, f.address, to, value, input, callGas, f.isStatic,
          f.depth + 1);
      case STATICCALL -> message(op, to, f.address, to, BigInteger.ZERO, input, callGas, true,
          f.depth + 1);
      default -> message(op, f.address, f.caller, to, f.value, input, callGas, f.isStatic,
          f.depth + 1);
    };
    f.gas += result.gasLeft();
    f.returnData = result.output();
    int copied = (int) Math.min(outSize, result.output().length);
    if (copied > 0) {
      System.arraycopy(result.output(), 0, f.memory, (int) outOffset, copied);
    }
    WordMath.setLong(s, f.sp << 2, result.success() ? 1 : 0);
    f.sp++;
    f.pc++;
    return Status.CONTINUE;
  }

  /** CREATE and CREATE2. */
  int create(Frame f, long[] s, boolean create2) {
    if (f.isStatic) {
      return Status.STATIC_VIOLATION;
    }
    int a = f.at(0);
    BigInteger value = Word.fromStack(s, a).toBigInteger();
    long offset = WordMath.toLongSaturated(s, a - 4);
    long size = WordMath.toLongSaturated(s, a - 8);
    if (!f.expand(offset, size)) {
      return Status.OUT_OF_GAS;
    }
    if (size > Limits.INITCODE_BYTES_MAX) {
      return Status.INITCODE_TOO_LARGE;
    }
    if (!f.chargeWords(size, create2 ? Gas.INITCODE_WORD + Gas.KECCAK_WORD : Gas.INITCODE_WORD)) {
      return Status.OUT_OF_GAS;
    }
    byte[] initcode = f.memorySlice(offset, size);
    byte[] salt = new byte[32];
    if (create2) {
      WordMath.toBytes(s, a - 12, salt, 0);
    }
    if (f.step != null) {
      f.step.charged(); // unlike a call's, Geth leaves the creation's gas out of its cost
    }
    long callGas = f.gas - f.gas / 64;
    f.gas -= callGas;
    f.sp -= create2 ? 4 : 3;
    long nonce = journal.nonce(f.address);
    Address address = create2 ? create2Address(f.address, salt, initcode)
        : createAddress(f.address, nonce);
    CallType type = create2 ? CallType.CREATE2 : CallType.CREATE;
    Result result;
    if (f.depth >= Limits.CALL_DEPTH_MAX) {
      result = refused(Status.CALL_DEPTH_EXCEEDED, f, type, address, value, initcode, callGas);
    } else if (journal.balance(f.address).compareTo(value) < 0) {
      result = refused(Status.INSUFFICIENT_BALANCE, f, type, address, value, initcode, callGas);
    } else if (nonce == -1L) {
      result = refused(Status.NONCE_OVERFLOW, f, type, address, value, initcode, callGas);
    } else {
      journal.setNonce(f.address, nonce + 1);
      result = createMessage(type, f.address, address, value, initcode, callGas, f.depth + 1);
    }
    f.gas += result.gasLeft();
    f.returnData = result.status() == Status.REVERT ? result.output() : Bytes.EMPTY;
    int top = f.sp << 2;
    if (result.success()) {
      byte[] word = new byte[32];
      result.created().copyTo(word, 12);
      WordMath.fromBytes(word, 0, 32, s, top);
    } else {
      WordMath.setLong(s, top, 0);
    }
    f.sp++;
    f.pc++;
    return Status.CONTINUE;
  }

  int sload(Frame f, long[] s, int a) {
    Word key = Word.fromStack(s, a);
    long cost = journal.warmSlot(f.address, key) ? Gas.COLD_SLOAD : Gas.WARM_ACCESS;
    if (!f.charge(cost)) {
      return Status.OUT_OF_GAS;
    }
    journal.storage(f.address, key).toStack(s, a);
    f.pc++;
    return Status.CONTINUE;
  }

  /** SSTORE with EIP-2200 net metering, EIP-2929 cold slots and EIP-3529 refunds. */
  int sstore(Frame f, long[] s, int a) {
    if (f.isStatic) {
      return Status.STATIC_VIOLATION;
    }
    if (f.gas <= Gas.SSTORE_SENTRY) {
      return Status.OUT_OF_GAS;
    }
    Address address = f.address;
    Word key = Word.fromStack(s, a);
    Word value = Word.fromStack(s, a - 4);
    long cost = journal.warmSlot(address, key) ? Gas.COLD_SLOAD : 0;
    long refund = 0;
    Word current = journal.storage(address, key);
    if (current.equals(value)) {
      cost += Gas.WARM_ACCESS;
    } else {
      Word original = journal.originalStorage(address, key);
      if (original.equals(current)) {
        cost += original.isZero() ? Gas.SSTORE_SET : Gas.SSTORE_RESET;
        if (value.isZero()) {
          refund += Gas.SSTORE_CLEARS_REFUND;
        }
      } else {
        cost += Gas.WARM_ACCESS;
        if (!original.isZero()) {
          if (current.isZero()) {
            refund -= Gas.SSTORE_CLEARS_REFUND;
          } else if (value.isZero()) {
            refund += Gas.SSTORE_CLEARS_REFUND;
          }
        }
        if (original.equals(value)) {
          refund += (original.isZero() ? Gas.SSTORE_SET : Gas.SSTORE_RESET) - Gas.WARM_ACCESS;
        }
      }
    }
    if (!f.charge(cost)) {
      return Status.OUT_OF_GAS;
    }
    if (refund != 0) {
      journal.addRefund(refund);
    }
    journal.setStorage(address, key, value);
    f.sp -= 2;
    f.pc++;
    return Status.CONTINUE;
  }

  /** EIP-6780 SELFDESTRUCT: moves the balance; destroys only a contract made in this tx. */
  int selfDestruct(Frame f, long[] s, int a) {
    if (f.isStatic) {
      return Status.STATIC_VIOLATION;
    }
    Address beneficiary = Interpreter.addressAt(s, a);
    long cost = journal.warmAccount(beneficiary) ? Gas.COLD_ACCOUNT_ACCESS : 0;
    BigInteger balance = journal.balance(f.address);
    if (balance.signum() > 0 && journal.isDead(beneficiary)) {
      cost += Gas.NEW_ACCOUNT;
    }
    if (!f.charge(cost)) {
      return Status.OUT_OF_GAS;
    }
    if (f.step != null) {
      f.step.charged();
    }
    journal.subBalance(f.address, balance);
    journal.addBalance(beneficiary, balance);
    journal.selfDestruct(f.address);
    if (tracer != null) {
      // Geth reports the transfer as a frame of its own, with no gas.
      int depth = f.depth + 1;
      tracer.enter(depth, CallType.SELFDESTRUCT, f.address, beneficiary, balance, 0, Bytes.EMPTY);
      tracer.exit(depth, Bytes.EMPTY, 0, Status.SUCCESS, null);
    }
    return Status.SUCCESS;
  }
}
