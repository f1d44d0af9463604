package io.chorus.evm.trace;

import io.chorus.evm.Address;
import io.chorus.evm.Status;
import io.chorus.evm.Step;
import io.chorus.evm.Word;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Geth's default tracer, the struct (opcode) logger: one entry per opcode with the gas before
 * it, its cost, its depth and, by option, the stack, memory, return data and the storage the
 * contract has touched. The result has Geth's shape, {@code {gas, failed, returnValue,
 * structLogs}}, with Geth's formats: stack items as {@code 0x} quantities, memory as 64-digit
 * words and storage keys and values as 64 digits, both without prefix.
 *
 * <p>Bounded twice: by steps (the {@code limit} option, or {@link #STEPS_DEFAULT_MAX}) and by
 * the characters kept ({@link OutputBudget}). Without a limit, and whenever the characters run
 * out, {@link #result()} fails with a {@link TraceLimitException} instead of growing on.
 */
public final class StructLogger implements JsonTracer {
  /** Steps kept when no limit is given; a longer trace fails and names the limit option. */
  public static final int STEPS_DEFAULT_MAX = 100_000;
  /** The largest limit a caller may set. */
  public static final int LIMIT_MAX = 1_000_000;
  private static final int SLOAD = 0x54;
  private static final int SSTORE = 0x55;
  /** An entry's fixed keys and numbers; a stack item is at most this long, prefix included. */
  private static final int ENTRY_CHARS = 128;
  private static final int STACK_ITEM_CHARS = 66;
  private static final int STORAGE_SLOT_CHARS = 128;

  /**
   * Geth's struct logger options.
   *
   * @param limit the steps to keep, later ones left out as Geth does; 0 keeps up to
   *     {@link #STEPS_DEFAULT_MAX} and fails beyond
   */
  public record Options(boolean disableStack, boolean disableStorage, boolean enableMemory,
      boolean enableReturnData, int limit) {
    public static final Options DEFAULT = new Options(false, false, false, false, 0);

    public Options {
      if (limit < 0 || limit > LIMIT_MAX) {
        throw new IllegalArgumentException("limit " + limit + " is outside 0.." + LIMIT_MAX);
      }
    }
  }

  private final Options options;
  private final OutputBudget budget = new OutputBudget();
  private final List<Map<String, Object>> logs = new ArrayList<>();
  /** What each contract's slots are known to hold: what SLOAD read and SSTORE wrote. */
  private final Map<Address, TreeMap<String, String>> storage = new HashMap<>();
  /** The step whose cost is not known yet. */
  private Map<String, Object> pending;
  /** Why the trace cannot be returned, once it outgrew a bound. */
  private String failure;
  private boolean finished;
  private int status;
  private byte[] output;
  private long gasUsed;

  public StructLogger(Options options) {
    this.options = options;
  }

  @Override
  public boolean tracesSteps() {
    return true;
  }

  @Override
  public void step(Step step) {
    if (failure != null) {
      return;
    }
    if (logs.size() >= (options.limit() == 0 ? STEPS_DEFAULT_MAX : options.limit())) {
      if (options.limit() == 0) {
        failure = "the struct log exceeds " + STEPS_DEFAULT_MAX + " steps; set limit (up to "
            + LIMIT_MAX + ") to keep only the first steps, or use the callTracer";
      }
      return;
    }
    if (!budget.take(estimate(step))) {
      failure = OutputBudget.exceeded("disable the stack or storage, leave memory and return data"
          + " off, or set a smaller limit");
      return;
    }
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("pc", (long) step.pc());
    entry.put("op", step.opName());
    entry.put("gas", step.gas());
    entry.put("gasCost", 0L);
    entry.put("depth", step.depth() + 1L);
    entry.put("error", null); // holds Geth's place for the key; dropped if the step succeeds
    int size = step.stackSize();
    if (!options.disableStack()) {
      List<String> stack = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        stack.add(TraceHex.quantity(step.stack(i)));
      }
      entry.put("stack", stack);
    }
    if (options.enableReturnData() && step.returnDataSize() > 0) {
      entry.put("returnData", TraceHex.data(step.returnData()));
    }
    if (options.enableMemory() && step.memorySize() > 0) {
      byte[] memory = step.memory();
      List<String> words = new ArrayList<>(memory.length / 32);
      for (int at = 0; at < memory.length; at += 32) {
        words.add(TraceHex.digits(memory, at, 32));
      }
      entry.put("memory", words);
    }
    if (!options.disableStorage()) {
      TreeMap<String, String> slots = touchedSlots(step, size);
      if (slots != null) {
        entry.put("storage", slots);
      }
    }
    long refund = step.refund();
    if (refund != 0) {
      entry.put("refund", refund);
    }
    pending = entry;
  }

  /** An upper bound of the characters a step's entry holds, before any of it is built. */
  private long estimate(Step step) {
    long chars = ENTRY_CHARS;
    if (!options.disableStack()) {
      chars += (long) STACK_ITEM_CHARS * step.stackSize();
    }
    if (options.enableReturnData()) {
      chars += 2L * step.returnDataSize();
    }
    if (options.enableMemory()) {
      chars += step.memorySize() * 2;
    }
    if (!options.disableStorage() && (step.op() == SLOAD || step.op() == SSTORE)) {
      TreeMap<String, String> slots = storage.get(step.address());
      chars += (long) STORAGE_SLOT_CHARS * ((slots == null ? 0 : slots.size()) + 1);
    }
    return chars;
  }

  /**
   * At SLOAD and SSTORE, records the slot (the value SLOAD will read, the value SSTORE writes)
   * and returns a copy of what the contract's slots are known to hold, as Geth does; else null.
   */
  private TreeMap<String, String> touchedSlots(Step step, int size) {
    Word key;
    Word value;
    if (step.op() == SLOAD && size >= 1) {
      key = step.stack(size - 1);
      value = step.storage(key);
    } else if (step.op() == SSTORE && size >= 2) {
      key = step.stack(size - 1);
      value = step.stack(size - 2);
    } else {
      return null;
    }
    TreeMap<String, String> slots = storage.computeIfAbsent(step.address(), a -> new TreeMap<>());
    slots.put(TraceHex.word(key), TraceHex.word(value));
    return new TreeMap<>(slots);
  }

  @Override
  public void stepEnd(long gasCost, String error) {
    if (pending == null) {
      return;
    }
    pending.put("gasCost", gasCost);
    if (error == null) {
      pending.remove("error");
    } else {
      pending.put("error", error);
    }
    logs.add(pending);
    pending = null;
  }

  @Override
  public void exit(int depth, byte[] output, long gasUsed, int status, String error) {
    if (depth == 0) {
      this.finished = true;
      this.status = status;
      this.output = output;
      this.gasUsed = gasUsed;
    }
  }

  @Override
  public void txEnd(long gasUsed) {
    this.gasUsed = gasUsed;
  }

  /**
   * {@code {gas, failed, returnValue, structLogs}}: {@code gas} is the receipt's gas used (the
   * frame's own when no transaction wrapped it), {@code returnValue} the return or revert data.
   *
   * @throws TraceLimitException when the trace outgrew a bound
   * @throws IllegalStateException before the transaction's frame has ended
   */
  @Override
  public Map<String, Object> result() {
    if (failure != null) {
      throw new TraceLimitException(failure);
    }
    if (!finished) {
      throw new IllegalStateException("no transaction has been traced");
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("gas", gasUsed);
    result.put("failed", status != Status.SUCCESS);
    boolean hasData = status == Status.SUCCESS || status == Status.REVERT;
    result.put("returnValue", TraceHex.data(hasData ? output : new byte[0]));
    result.put("structLogs", logs);
    return result;
  }
}
