package io.chorus.evm.trace;

import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Status;
import io.chorus.evm.Word;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Geth's {@code callTracer}: the tree of frames a transaction opened, each {@code {from, gas,
 * gasUsed, to, input, output, error, revertReason, calls, logs, value, type}} with Geth's hex
 * quantities and its omissions (no {@code to} for a failed creation, no {@code value} for
 * STATICCALL, no empty {@code output}, {@code calls} or {@code logs}). The top frame's gas is
 * the transaction's gas limit and its gas used the receipt's, as Geth reports them.
 *
 * <p>It asks for no opcodes, so the interpreter runs at full speed; what it keeps is bounded by
 * {@link OutputBudget}.
 */
public final class CallTracer implements JsonTracer {
  /** A frame's keys, numbers and addresses; its data are charged by length on top. */
  private static final int FRAME_CHARS = 256;
  private static final int LOG_CHARS = 128;
  private static final int TOPIC_CHARS = 68;

  /**
   * Geth's callTracer options.
   *
   * @param onlyTopCall keep the transaction's own frame only
   * @param withLog keep each frame's logs, with their position among its calls
   */
  public record Options(boolean onlyTopCall, boolean withLog) {
    public static final Options DEFAULT = new Options(false, false);
  }

  private static final class Frame {
    final CallType type;
    final Address from;
    Address to;
    final BigInteger value;
    final long gas;
    long gasUsed;
    final byte[] input;
    byte[] output;
    String error;
    String revertReason;
    final List<Frame> calls = new ArrayList<>();
    final List<Map<String, Object>> logs = new ArrayList<>();

    Frame(CallType type, Address from, Address to, BigInteger value, long gas, byte[] input) {
      this.type = type;
      this.from = from;
      this.to = to;
      this.value = value;
      this.gas = gas;
      this.input = input;
    }

    /** A failed frame's logs are undone, and so are those of every frame inside it. */
    void dropLogs() {
      logs.clear();
      calls.forEach(Frame::dropLogs);
    }
  }

  private final Options options;
  private final OutputBudget budget = new OutputBudget();
  private final ArrayDeque<Frame> open = new ArrayDeque<>();
  private Frame top;
  /** The depth of the frame running now. */
  private int depth;
  /** The transaction's gas limit, once known. */
  private long gasLimit = -1;
  /** Why the trace cannot be returned, once it outgrew its budget. */
  private String failure;

  public CallTracer(Options options) {
    this.options = options;
  }

  @Override
  public void txStart(long gasLimit) {
    this.gasLimit = gasLimit;
  }

  @Override
  public void txEnd(long gasUsed) {
    if (top != null) {
      top.gasUsed = gasUsed;
    }
  }

  @Override
  public void enter(int depth, CallType type, Address from, Address to, BigInteger value,
      long gas, byte[] input) {
    this.depth = depth;
    if (failure != null || options.onlyTopCall() && depth > 0) {
      return;
    }
    if (!budget.take(FRAME_CHARS + 2L * input.length)) {
      failure = OutputBudget.exceeded("set onlyTopCall");
      return;
    }
    open.push(new Frame(type, from, to, value, depth == 0 && gasLimit >= 0 ? gasLimit : gas,
        input));
  }

  @Override
  public void exit(int depth, byte[] output, long gasUsed, int status, String error) {
    this.depth = depth - 1;
    if (failure != null || options.onlyTopCall() && depth > 0) {
      return;
    }
    if (!budget.take(2L * output.length)) {
      failure = OutputBudget.exceeded("set onlyTopCall");
      return;
    }
    Frame frame = open.pop();
    frame.gasUsed = gasUsed;
    if (error == null) {
      frame.output = output;
    } else {
      frame.error = error;
      if (frame.type == CallType.CREATE || frame.type == CallType.CREATE2) {
        frame.to = null;
      }
      if (status == Status.REVERT && output.length > 0) {
        frame.output = output;
        frame.revertReason = RevertReason.decode(output);
      }
      frame.dropLogs();
    }
    if (open.isEmpty()) {
      top = frame;
    } else {
      open.peek().calls.add(frame);
    }
  }

  @Override
  public void log(Log log) {
    if (failure != null || !options.withLog() || options.onlyTopCall() && depth > 0) {
      return;
    }
    if (!budget.take(LOG_CHARS + (long) TOPIC_CHARS * log.topics().size()
        + 2L * log.data().length)) {
      failure = OutputBudget.exceeded("leave withLog off or set onlyTopCall");
      return;
    }
    Frame frame = open.peek();
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("address", log.address().toString());
    List<String> topics = new ArrayList<>(log.topics().size());
    for (Word topic : log.topics()) {
      topics.add(TraceHex.data(topic.toBytes()));
    }
    entry.put("topics", topics);
    entry.put("data", TraceHex.data(log.data()));
    // Where the log falls among the frame's calls: after this many of them.
    entry.put("position", TraceHex.quantity(frame.calls.size()));
    frame.logs.add(entry);
  }

  /**
   * The transaction's frame with its calls nested inside.
   *
   * @throws TraceLimitException when the trace outgrew its budget
   * @throws IllegalStateException before the transaction's frame has ended
   */
  @Override
  public Map<String, Object> result() {
    if (failure != null) {
      throw new TraceLimitException(failure);
    }
    if (top == null) {
      throw new IllegalStateException("no transaction has been traced");
    }
    return render(top);
  }

  private static Map<String, Object> render(Frame frame) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("from", frame.from.toString());
    out.put("gas", TraceHex.quantity(frame.gas));
    out.put("gasUsed", TraceHex.quantity(frame.gasUsed));
    if (frame.to != null) {
      out.put("to", frame.to.toString());
    }
    out.put("input", TraceHex.data(frame.input));
    if (frame.output != null && frame.output.length > 0) {
      out.put("output", TraceHex.data(frame.output));
    }
    if (frame.error != null) {
      out.put("error", frame.error);
    }
    if (frame.revertReason != null) {
      out.put("revertReason", frame.revertReason);
    }
    if (!frame.calls.isEmpty()) {
      // A loop, not a stream: frames nest 1025 deep, and this recursion should stay shallow.
      List<Map<String, Object>> calls = new ArrayList<>(frame.calls.size());
      for (Frame call : frame.calls) {
        calls.add(render(call));
      }
      out.put("calls", calls);
    }
    if (!frame.logs.isEmpty()) {
      out.put("logs", frame.logs);
    }
    if (frame.value != null) {
      out.put("value", TraceHex.quantity(frame.value));
    }
    out.put("type", frame.type.name());
    return out;
  }
}
