package io.chorus.rpc.eth;

import static io.chorus.rpc.eth.ChainJson.NODES;
import static io.chorus.rpc.eth.ChainJson.data;
import static io.chorus.rpc.eth.ChainJson.quantity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.chorus.chain.Blockchain;
import io.chorus.evm.AccountChange;
import io.chorus.evm.AccountInfo;
import io.chorus.evm.Status;
import io.chorus.evm.Tracer;
import io.chorus.evm.Word;
import io.chorus.rpc.JsonRpc;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code trace_replayTransaction} in OpenEthereum's shape, as Erigon serves it: the
 * {@code trace} (every frame flat, depth first, with its {@code traceAddress} and
 * {@code subtraces}) and the {@code stateDiff} (each account the transaction changed, fees and
 * the proposer's reward included: {@code balance}, {@code nonce}, {@code code} and each written
 * {@code storage} slot as {@code "="} unchanged, {@code {"+": new}} for an account born,
 * {@code {"-": old}} for one deleted, {@code {"*": {"from", "to"}}} otherwise). No
 * {@code vmTrace}.
 */
public final class TraceApi {
  private final TxReplay replay;

  public TraceApi(Blockchain chain, EthApi eth) {
    this.replay = new TxReplay(chain, eth);
  }

  public Map<String, JsonRpc.Method> methods() {
    return Map.of("trace_replayTransaction", this::replayTransaction);
  }

  private JsonNode replayTransaction(JsonNode p) {
    Params a = new Params("trace_replayTransaction", p).count(2, 2);
    byte[] hash = a.hash(0, "transaction hash");
    JsonNode types = a.required(1, "trace types");
    boolean trace = false;
    boolean stateDiff = false;
    if (!types.isArray()) {
      throw new IllegalArgumentException("trace_replayTransaction: param 2 (trace types) must "
          + "be an array of \"trace\" and \"stateDiff\"");
    }
    for (JsonNode type : types) {
      switch (type.asText()) {
        case "trace" -> trace = true;
        case "stateDiff" -> stateDiff = true;
        case "vmTrace" -> throw new IllegalArgumentException("trace_replayTransaction: vmTrace"
            + " is not supported; ask for trace or stateDiff (or debug_traceTransaction's "
            + "struct logger for opcodes)");
        default -> throw new IllegalArgumentException("trace_replayTransaction: unknown trace "
            + "type " + Params.abbreviate(type.toString()) + "; the types are trace and "
            + "stateDiff");
      }
    }
    FrameRecorder recorder = new FrameRecorder();
    TxReplay.Replayed replayed = replay.replay(hash, recorder);
    ObjectNode out = NODES.objectNode();
    out.put("output", data(replayed.result().output()));
    out.set("stateDiff", stateDiff ? stateDiff(recorder.changes()) : NODES.nullNode());
    out.set("trace", trace ? trace(recorder.frames()) : NODES.arrayNode());
    out.putNull("vmTrace");
    out.put("transactionHash", data(hash));
    return out;
  }

  // ---- trace ----

  private static ArrayNode trace(List<FrameRecorder.Frame> frames) {
    ArrayNode out = NODES.arrayNode();
    for (FrameRecorder.Frame frame : frames) {
      ObjectNode entry = out.addObject();
      ObjectNode action = entry.putObject("action");
      String type = switch (frame.type) {
        case CREATE, CREATE2 -> {
          action.put("from", frame.from.toString()).put("gas", quantity(frame.gas))
              .put("init", data(frame.input)).put("value", quantity(frame.value));
          yield "create";
        }
        case SELFDESTRUCT -> {
          action.put("address", frame.from.toString())
              .put("refundAddress", frame.to.toString())
              .put("balance", quantity(frame.value));
          yield "suicide";
        }
        case CALL, CALLCODE, DELEGATECALL, STATICCALL -> {
          action.put("from", frame.from.toString())
              .put("callType", frame.type.name().toLowerCase(Locale.ROOT))
              .put("gas", quantity(frame.gas)).put("input", data(frame.input))
              .put("to", frame.to.toString())
              .put("value", quantity(frame.value == null ? BigInteger.ZERO : frame.value));
          yield "call";
        }
      };
      if (frame.error != null) {
        entry.put("error", parityError(frame.status, frame.error));
        entry.putNull("result");
      } else if (type.equals("suicide")) {
        entry.putNull("result");
      } else if (type.equals("create")) {
        entry.putObject("result").put("address", frame.to.toString())
            .put("code", data(frame.output)).put("gasUsed", quantity(frame.gasUsed));
      } else {
        entry.putObject("result").put("gasUsed", quantity(frame.gasUsed))
            .put("output", data(frame.output));
      }
      entry.put("subtraces", frame.children);
      ArrayNode address = entry.putArray("traceAddress");
      ArrayDeque<Integer> path = new ArrayDeque<>();
      for (FrameRecorder.Frame f = frame; f.parent != -1; f = frames.get(f.parent)) {
        path.push(f.position);
      }
      path.forEach(address::add);
      entry.put("type", type);
    }
    return out;
  }

  /** OpenEthereum's words for the failures it names; Geth's for the rest. */
  private static String parityError(int status, String error) {
    return switch (status) {
      case Status.REVERT -> "Reverted";
      case Status.OUT_OF_GAS -> "Out of gas";
      case Status.INVALID_OPCODE -> "Bad instruction";
      case Status.BAD_JUMP -> "Bad jump destination";
      case Status.STACK_UNDERFLOW -> "Stack underflow";
      case Status.STACK_OVERFLOW -> "Out of stack";
      case Status.STATIC_VIOLATION -> "Mutable Call In Static Context";
      default -> error;
    };
  }

  // ---- stateDiff ----

  private static ObjectNode stateDiff(List<FrameRecorder.Change> changes) {
    TreeMap<String, ObjectNode> accounts = new TreeMap<>();
    for (FrameRecorder.Change c : changes) {
      AccountChange change = c.change();
      AccountInfo before = c.before();
      if (before == null && change.deleted()) {
        continue; // born and gone in one transaction (EIP-6780): nothing to show
      }
      ObjectNode diff = before == null ? born(change) : change.deleted() ? died(c)
          : modified(c);
      if (diff != null) {
        accounts.put(change.address().toString(), diff);
      }
    }
    ObjectNode out = NODES.objectNode();
    accounts.forEach(out::set);
    return out;
  }

  private static ObjectNode born(AccountChange change) {
    ObjectNode out = NODES.objectNode();
    out.putObject("balance").put("+", quantity(change.balance()));
    out.putObject("code").put("+", data(change.code() == null ? new byte[0] : change.code()));
    out.putObject("nonce").put("+", quantity(change.nonce()));
    ObjectNode storage = out.putObject("storage");
    new TreeMap<>(slots(change.storage())).forEach((slot, value) -> {
      if (!value.equals(word(Word.ZERO))) {
        storage.putObject(slot).put("+", value);
      }
    });
    return out;
  }

  /** An existing account deleted: only empty ones are, under Cancun (EIP-161, EIP-6780). */
  private static ObjectNode died(FrameRecorder.Change c) {
    ObjectNode out = NODES.objectNode();
    out.putObject("balance").put("-", quantity(c.before().balance()));
    out.putObject("code").put("-", data(c.codeBefore()));
    out.putObject("nonce").put("-", quantity(c.before().nonce()));
    out.putObject("storage");
    return out;
  }

  /** The account's changed fields, or null when the transaction left it as it was. */
  private static ObjectNode modified(FrameRecorder.Change c) {
    AccountChange change = c.change();
    AccountInfo before = c.before();
    ObjectNode out = NODES.objectNode();
    boolean changed = field(out, "balance", quantity(before.balance()),
        quantity(change.balance()));
    byte[] code = change.code() == null ? c.codeBefore() : change.code();
    changed |= field(out, "code", data(c.codeBefore()), data(code));
    changed |= field(out, "nonce", quantity(before.nonce()), quantity(change.nonce()));
    ObjectNode storage = out.putObject("storage");
    TreeMap<String, String> after = new TreeMap<>(slots(change.storage()));
    Map<String, String> old = slots(c.storageBefore());
    for (Map.Entry<String, String> slot : after.entrySet()) {
      String from = old.get(slot.getKey());
      if (!Objects.equals(from, slot.getValue())) {
        storage.putObject(slot.getKey()).putObject("*").put("from", from)
            .put("to", slot.getValue());
        changed = true;
      }
    }
    return changed ? out : null;
  }

  private static boolean field(ObjectNode out, String name, String from, String to) {
    if (from.equals(to)) {
      out.set(name, new TextNode("="));
      return false;
    }
    out.putObject(name).putObject("*").put("from", from).put("to", to);
    return true;
  }

  private static Map<String, String> slots(Map<Word, Word> storage) {
    Map<String, String> out = new HashMap<>();
    storage.forEach((slot, value) -> out.put(word(slot), word(value)));
    return out;
  }

  private static String word(Word word) {
    return data(word.toBytes());
  }
}
