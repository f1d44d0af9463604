package io.chorus.evm;

import java.util.Arrays;

/**
 * A frame as it stands before one of its opcodes runs, as {@link Tracer#step} sees it: valid
 * only during that call, since the same object follows the frame from opcode to opcode. It also
 * tells the tracer what each opcode cost once it is charged (see {@link Tracer#stepEnd}).
 */
public final class Step {
  private final Evm evm;
  private final Frame frame;
  private final Tracer tracer;
  private int op;
  private long gasBefore;
  private int stackBefore;
  /** True between an opcode's step and its end. */
  private boolean open;
  /** Where the reported opcode is: a stepping run halted anywhere else has run it. */
  int startPc;

  Step(Evm evm, Frame frame, Tracer tracer) {
    this.evm = evm;
    this.frame = frame;
    this.tracer = tracer;
  }

  /**
   * Ends the previous opcode, if nothing ended it yet, and reports the next. The frame's pc,
   * stack height and gas are current.
   */
  void next(int nextOp) {
    charged();
    op = nextOp;
    startPc = frame.pc;
    gasBefore = frame.gas;
    stackBefore = frame.sp;
    open = true;
    tracer.step(this);
  }

  /**
   * The open opcode has charged all it will: ended by the next opcode, or by a CALL, CREATE or
   * SELFDESTRUCT before the frame it opens.
   */
  void charged() {
    if (open) {
      end(gasBefore - frame.gas, null);
    }
  }

  /** The frame halted with {@code status} on the open opcode, if one is open. */
  void halted(int status) {
    if (!open) {
      return;
    }
    if (Status.isExceptional(status)) {
      // Checks before dispatch fail before the static gas is taken; Geth reports it as the cost.
      long cost = Math.max(gasBefore - frame.gas, Math.max(Opcodes.STATIC_GAS[op], 0));
      end(cost, TraceErrors.describe(status, op, stackBefore));
    } else {
      end(gasBefore - frame.gas, null);
    }
  }

  private void end(long cost, String error) {
    open = false;
    tracer.stepEnd(cost, error);
  }

  public int pc() {
    return frame.pc;
  }

  public int op() {
    return op;
  }

  /** The mnemonic, such as "PUSH1"; Geth's "opcode 0xc not defined" for an undefined byte. */
  public String opName() {
    return Opcodes.NAMES[op];
  }

  /** Gas left before the opcode. */
  public long gas() {
    return frame.gas;
  }

  /** 0 for the transaction's own frame (Geth's struct logs print it plus one). */
  public int depth() {
    return frame.depth;
  }

  /**
   * The account the frame acts for, whose storage it uses: the caller's own for CALLCODE and
   * DELEGATECALL.
   */
  public Address address() {
    return frame.address;
  }

  public int stackSize() {
    return frame.sp;
  }

  /** The stack item at {@code index}, counted from the bottom (0) to the top. */
  public Word stack(int index) {
    if (index < 0 || index >= frame.sp) {
      throw new IndexOutOfBoundsException("stack item " + index + " of " + frame.sp);
    }
    return Word.fromStack(frame.stack, index << 2);
  }

  /** Active memory in bytes, a multiple of 32. */
  public long memorySize() {
    return frame.memorySize;
  }

  /** A copy of active memory. */
  public byte[] memory() {
    return Arrays.copyOf(frame.memory, (int) frame.memorySize);
  }

  public int returnDataSize() {
    return frame.returnData.length;
  }

  /** A copy of what the frame's last call or creation returned. */
  public byte[] returnData() {
    return frame.returnData.clone();
  }

  /** The transaction's refund counter so far. */
  public long refund() {
    return evm.journal.refund();
  }

  /** The current value of a slot of {@link #address()}; reading it changes no warm set. */
  public Word storage(Word key) {
    return evm.journal.storage(frame.address, key);
  }
}
