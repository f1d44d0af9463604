package io.chorus.abi;

import com.esaulpaugh.headlong.abi.ABIJSON;
import com.esaulpaugh.headlong.abi.ABIObject;
import com.esaulpaugh.headlong.abi.ContractError;
import com.esaulpaugh.headlong.abi.Event;
import com.esaulpaugh.headlong.abi.Function;
import com.esaulpaugh.headlong.abi.Tuple;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.chorus.codec.ByteKey;
import io.chorus.crypto.Keccak256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Functions, events and errors indexed by what identifies them on the chain: a call's and a
 * custom error's 4-byte selector, an event's first topic. Several may share one key (ERC-20's
 * and ERC-721's Transfer have one topic but index different parameters; a 4-byte collision):
 * each is tried in order and the first that decodes strictly wins. Selectors and topics are
 * keccak-256 of the canonical signature on every chain, as Solidity makes them.
 */
public final class ContractAbi {
  /** A call, event or error decoded: its signature, name and arguments. */
  public record Decoded(String signature, String name, ArrayNode arguments) {}

  private final Map<ByteKey, List<Function>> functions = new HashMap<>();
  private final Map<ByteKey, List<Event<?>>> events = new HashMap<>();
  private final Map<ByteKey, List<ContractError<?>>> errors = new HashMap<>();

  public ContractAbi(List<? extends ABIObject> objects) {
    for (ABIObject object : objects) {
      if (object.isFunction() && !object.asFunction().getName().isEmpty()) {
        functions.computeIfAbsent(new ByteKey(object.asFunction().selector()),
            k -> new ArrayList<>()).add(object.asFunction());
      } else if (object.isEvent() && !object.asEvent().isAnonymous()) {
        events.computeIfAbsent(topic0(object.asEvent()), k -> new ArrayList<>())
            .add(object.asEvent());
      } else if (object.isContractError()) {
        errors.computeIfAbsent(new ByteKey(object.asContractError().function().selector()),
            k -> new ArrayList<>()).add(object.asContractError());
      }
    }
  }

  /** A JSON ABI already checked (the node checks an upload before it keeps it). */
  public static ContractAbi ofJson(String json) {
    List<ABIObject> objects = new ArrayList<>();
    objects.addAll(ABIJSON.parseFunctions(json));
    objects.addAll(ABIJSON.parseEvents(json));
    objects.addAll(ABIJSON.parseErrors(json));
    return new ContractAbi(objects);
  }

  public static ByteKey topic0(Event<?> event) {
    return new ByteKey(Keccak256.INSTANCE.hash(
        event.getCanonicalSignature().getBytes(StandardCharsets.UTF_8)));
  }

  /** The call {@code input} makes, when a function here has its selector and decodes it. */
  public Optional<Decoded> call(byte[] input) {
    if (input.length < Function.SELECTOR_LEN) {
      return Optional.empty();
    }
    for (Function f : functions.getOrDefault(
        new ByteKey(Arrays.copyOf(input, Function.SELECTOR_LEN)), List.of())) {
      try {
        Tuple args = f.decodeCall(input);
        return Optional.of(new Decoded(f.getCanonicalSignature(), f.getName(),
            Values.arguments(f.getInputs(), args)));
      } catch (RuntimeException notThisOne) {
        // the ABI library refuses data that does not fit the types: try the next candidate
      }
    }
    return Optional.empty();
  }

  /** The event a log with these topics and data records, when one here has its first topic
   * and decodes it. */
  public Optional<Decoded> event(byte[][] topics, byte[] data) {
    if (topics.length == 0) {
      return Optional.empty();
    }
    for (Event<?> e : events.getOrDefault(new ByteKey(topics[0]), List.of())) {
      try {
        Tuple args = e.decodeArgs(topics, data);
        return Optional.of(new Decoded(e.getCanonicalSignature(), e.getName(),
            Values.arguments(e.getInputs(), args)));
      } catch (RuntimeException notThisOne) {
        // another event with this topic indexes other parameters: try the next
      }
    }
    return Optional.empty();
  }

  /** The custom error in revert data {@code output}, when one here decodes it. */
  public Optional<Decoded> error(byte[] output) {
    if (output.length < Function.SELECTOR_LEN) {
      return Optional.empty();
    }
    for (ContractError<?> e : errors.getOrDefault(
        new ByteKey(Arrays.copyOf(output, Function.SELECTOR_LEN)), List.of())) {
      try {
        Tuple args = e.function().decodeCall(output);
        return Optional.of(new Decoded(e.getCanonicalSignature(), e.getName(),
            Values.arguments(e.getInputs(), args)));
      } catch (RuntimeException notThisOne) {
        // try the next candidate
      }
    }
    return Optional.empty();
  }
}
