package io.chorus.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.MerkleBatch;
import io.chorus.state.system.Trace;
import io.chorus.trace.epcis.CapturedEvents;
import io.chorus.trace.epcis.EventHashId;
import java.util.ArrayList;
import java.util.List;

/**
 * How the node splits a document's events into capture transactions, each batch encoded as
 * {@link CapturedEvents} describes (the format every node, and the exporter, read back).
 */
public final class CaptureBatch {
  /**
   * The most events the node puts in one capture transaction: fewer when their batch would
   * pass {@link Trace#BATCH_BYTES_MAX} compressed (the group is halved until it fits).
   */
  public static final int EVENTS_PER_CAPTURE = 256;

  private static final ObjectMapper JSON = new ObjectMapper();

  private CaptureBatch() {}

  /**
   * One capture transaction's worth of events.
   *
   * @param first the index of its first event among those planned
   * @param count how many events, from {@code first}
   * @param elementJson each of its batch's elements' JSON as the batch holds it, master data
   *     last when the batch carries it
   */
  public record Planned(int first, int count, byte[] root, byte[] batch,
      List<byte[]> elementJson) {
    /** The {@code Capture} call data. */
    public byte[] callData() {
      return Trace.captureCall(root, count, batch);
    }
  }

  /**
   * Splits events (batch elements with their hash IDs, in order) into captures of at most
   * {@link #EVENTS_PER_CAPTURE} events and {@link Trace#BATCH_BYTES_MAX} bytes.
   *
   * @throws IllegalArgumentException naming the event when one alone is over the byte bound
   */
  public static List<Planned> plan(HashFunction hash, List<ObjectNode> elements,
      List<String> hashIds) {
    return plan(hash, elements, hashIds, Trace.BATCH_BYTES_MAX);
  }

  /**
   * As {@link #plan(HashFunction, List, List)}, each batch at most {@code batchBytesMax}: less
   * than the contract's bound when the batch is sealed, by the envelope's overhead.
   */
  public static List<Planned> plan(HashFunction hash, List<ObjectNode> elements,
      List<String> hashIds, int batchBytesMax) {
    return plan(hash, elements, hashIds, batchBytesMax, null);
  }

  /**
   * As {@link #plan(HashFunction, List, List, int)}, the first batch ending with {@code
   * trailer} (the document's master data, {@link CapturedEvents#masterDataElement}) when it is not null:
   * not an event, so not a leaf of the root nor counted.
   */
  static List<Planned> plan(HashFunction hash, List<ObjectNode> elements,
      List<String> hashIds, int batchBytesMax, ObjectNode trailer) {
    List<Planned> out = new ArrayList<>();
    for (int first = 0; first < elements.size(); first += EVENTS_PER_CAPTURE) {
      planGroup(hash, elements, hashIds, first,
          Math.min(EVENTS_PER_CAPTURE, elements.size() - first), batchBytesMax,
          first == 0 ? trailer : null, out);
    }
    return out;
  }

  private static void planGroup(HashFunction hash, List<ObjectNode> elements,
      List<String> hashIds, int first, int count, int batchBytesMax, ObjectNode trailer,
      List<Planned> out) {
    List<ObjectNode> group = new ArrayList<>(elements.subList(first, first + count));
    if (trailer != null) {
      group.add(trailer);
    }
    CapturedEvents.Encoded encoded = CapturedEvents.encode(group);
    byte[] batch = encoded.batch();
    if (batch.length <= batchBytesMax) {
      out.add(new Planned(first, count, tree(hash, hashIds.subList(first, first + count))
          .root(), batch, encoded.elementJson()));
    } else if (count == 1) {
      throw new IllegalArgumentException("event " + first + (trailer == null ? ""
          : " with the document's master data") + " compresses to " + batch.length
          + " bytes, over the " + batchBytesMax + " one capture carries");
    } else {
      planGroup(hash, elements, hashIds, first, count / 2, batchBytesMax, trailer, out);
      planGroup(hash, elements, hashIds, first + count / 2, count - count / 2, batchBytesMax,
          null, out);
    }
  }

  /** The Merkle tree over the hash IDs' digests, in order, with the chain's hash. */
  public static MerkleBatch tree(HashFunction hash, List<String> hashIds) {
    return MerkleBatch.of(hash, hashIds.stream().map(EventHashId::digest).toList());
  }

  /**
   * An event as a batch element: its JSON with {@code documentContext} as its {@code @context},
   * followed by its own context when it had one.
   */
  public static ObjectNode contextual(ObjectNode event, JsonNode documentContext) {
    ObjectNode out = JSON.createObjectNode();
    JsonNode own = event.get("@context");
    if (own == null || documentContext == null) {
      JsonNode one = own != null ? own : documentContext;
      if (one != null) {
        out.set("@context", one);
      }
    } else {
      ArrayNode both = out.putArray("@context");
      addAll(both, documentContext);
      addAll(both, own);
    }
    event.properties().forEach(field -> {
      if (!field.getKey().equals("@context")) {
        out.set(field.getKey(), field.getValue());
      }
    });
    return out;
  }

  private static void addAll(ArrayNode into, JsonNode context) {
    if (context.isArray()) {
      context.forEach(into::add);
    } else {
      into.add(context);
    }
  }
}
