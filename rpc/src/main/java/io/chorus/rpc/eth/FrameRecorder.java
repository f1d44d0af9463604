package io.chorus.rpc.eth;

import io.chorus.evm.AccountChange;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Address;
import io.chorus.evm.StateReader;
import io.chorus.evm.Tracer;
import io.chorus.evm.Word;
import io.chorus.evm.precompile.Precompiles;
import io.chorus.rpc.RpcException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a transaction's frames in the order they opened (calls, creations, SELFDESTRUCT
 * transfers), each with its depth, parent and result, and the transaction's net state changes
 * with their old values: the material of {@code ots_traceTransaction},
 * {@code ots_getInternalOperations} and {@code trace_replayTransaction}. Asks for no opcodes, so
 * the interpreter runs at full speed; what it keeps is bounded by {@link #BYTES_MAX}.
 */
final class FrameRecorder implements Tracer {
  /** The most input, output and frame bookkeeping one recording keeps, in bytes. */
  static final long BYTES_MAX = 32L << 20;
  /** What one frame costs besides its input and output. */
  private static final int FRAME_BYTES = 160;

  /** One frame as it opened and, once {@link #closed}, as it ended. */
  static final class Frame {
    final CallType type;
    final int depth;
    final Address from;
    final Address to;
    /** Null for STATICCALL. */
    final BigInteger value;
    final long gas;
    final byte[] input;
    /** The index of the enclosing frame in {@link #frames()}, -1 for the transaction's. */
    final int parent;
    /** The index of this frame among its parent's children. */
    final int position;
    int children;
    boolean closed;
    byte[] output = new byte[0];
    long gasUsed;
    int status;
    /** Null on success, else why in Geth's words. */
    String error;

    Frame(CallType type, int depth, Address from, Address to, BigInteger value, long gas,
        byte[] input, int parent, int position) {
      this.type = type;
      this.depth = depth;
      this.from = from;
      this.to = to;
      this.value = value;
      this.gas = gas;
      this.input = input;
      this.parent = parent;
      this.position = position;
    }

    /** Whether the callee is one of the Cancun precompiles (Erigon's traces leave them out). */
    boolean toPrecompile() {
      int index = to.precompileIndex();
      return index >= 1 && index <= Precompiles.COUNT;
    }
  }

  /** One account's net change with what it was before the transaction. */
  record Change(AccountChange change, AccountInfo before, byte[] codeBefore,
      Map<Word, Word> storageBefore) {}

  private final List<Frame> frames = new ArrayList<>();
  private final ArrayDeque<Integer> open = new ArrayDeque<>();
  private final List<Change> changes = new ArrayList<>();
  private StateReader state;
  private long bytesLeft = BYTES_MAX;
  private boolean exceeded;

  /**
   * Reads the old value of every change from {@code state}, the state the transaction runs on;
   * without it no changes are recorded.
   */
  void readChangesFrom(StateReader state) {
    this.state = state;
  }

  @Override
  public void enter(int depth, CallType type, Address from, Address to, BigInteger value,
      long gas, byte[] input) {
    if (!take(FRAME_BYTES + input.length)) {
      return;
    }
    int parent = open.isEmpty() ? -1 : open.peek();
    int position = parent == -1 ? 0 : frames.get(parent).children++;
    frames.add(new Frame(type, depth, from, to, value, gas, input, parent, position));
    open.push(frames.size() - 1);
  }

  @Override
  public void exit(int depth, byte[] output, long gasUsed, int status, String error) {
    if (exceeded || !take(output.length)) {
      return;
    }
    Frame frame = frames.get(open.pop());
    frame.closed = true;
    frame.output = output;
    frame.gasUsed = gasUsed;
    frame.status = status;
    frame.error = error;
  }

  @Override
  public void txChanges(List<AccountChange> netChanges) {
    if (state == null) {
      return;
    }
    for (AccountChange change : netChanges) {
      AccountInfo before = state.account(change.address());
      byte[] codeBefore = before == null ? new byte[0] : state.code(before.codeHash());
      Map<Word, Word> storageBefore =
          new HashMap<>();
      for (Word slot : change.storage().keySet()) {
        storageBefore.put(slot, before == null ? Word.ZERO
            : state.storage(change.address(), slot));
      }
      if (!take(FRAME_BYTES + codeBefore.length + 64L * storageBefore.size()
          + (change.code() == null ? 0 : change.code().length))) {
        return;
      }
      changes.add(new Change(change, before, codeBefore, storageBefore));
    }
  }

  private boolean take(long bytes) {
    if (exceeded || bytes > bytesLeft) {
      exceeded = true;
      return false;
    }
    bytesLeft -= bytes;
    return true;
  }

  /**
   * The frames in the order they opened.
   *
   * @throws RpcException when the recording outgrew {@link #BYTES_MAX}
   */
  List<Frame> frames() {
    requireWhole();
    return frames;
  }

  /** The net state changes, each with its old values (none unless read from a state). */
  List<Change> changes() {
    requireWhole();
    return changes;
  }

  private void requireWhole() {
    if (exceeded) {
      throw new RpcException(EthApi.SERVER_ERROR, "the transaction's trace exceeds "
          + BYTES_MAX + " bytes of inputs, outputs and state changes: too large to return");
    }
  }
}
