package io.chorus.trace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.MerkleBatch;
import io.chorus.state.system.Trace;
import io.chorus.trace.epcis.EpcisException;
import io.chorus.trace.epcis.EpcisReader;
import io.chorus.trace.epcis.EventHashId;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The batch a {@code Capture} transaction carries (see {@code Trace.sol}): the raw DEFLATE of a
 * UTF-8 JSON array, each element one event's JSON with the JSON-LD context it was read under
 * as its own {@code @context}, so that a node reads and hashes each element on its own. The
 * Merkle root is over the events' hash IDs, each the 32-byte SHA-256 digest its {@code ni:} URI
 * names, in array order. The first batch of a document with master data ends with one more
 * element, {@code {"epcisMasterData": ...}}, which is no event: not a leaf, not counted.
 *
 * <p>The encoding need not be byte-for-byte the same on every node: a node only ever decodes
 * the bytes a block carries, and what it checks against the chain is the root of the hash IDs
 * it recomputes.
 */
public final class CaptureBatch {
  /**
   * The most bytes a batch inflates to: a capture's 96 KiB of DEFLATE cannot make a node
   * allocate more than this, whatever its ratio.
   */
  public static final int INFLATED_BYTES_MAX = 16 * 1024 * 1024;

  /**
   * The most events the node puts in one capture transaction: fewer when their batch would
   * pass {@link Trace#BATCH_BYTES_MAX} compressed (the group is halved until it fits).
   */
  public static final int EVENTS_PER_CAPTURE = 256;

  private static final ObjectMapper JSON = new ObjectMapper();

  private CaptureBatch() {}

  /** The batch of {@code events}, each already carrying its {@code @context}. */
  public static byte[] encode(List<ObjectNode> events) {
    ArrayNode array = JSON.createArrayNode();
    events.forEach(array::add);
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a capture batch", e);
    }
    // The default level, not the best: on a document of 256 events the best took 16 µs per
    // event of the capturing node's CPU for 8 % fewer bytes (12.1 against 13.2 KB, ~194,000
    // against ~211,000 gas of call data, while a block holds 100 M).
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      deflater.setInput(json);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(json.length / 4 + 64);
      byte[] buffer = new byte[8192];
      while (!deflater.finished()) {
        out.write(buffer, 0, deflater.deflate(buffer));
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  /**
   * The events a batch holds, as JSON objects with their bytes, parsed by {@code reader} under
   * its bounds so that each reads with {@link EpcisReader#readEvent(ObjectNode)} as if sent on
   * its own.
   *
   * @throws IllegalArgumentException when the bytes are not such a batch (not DEFLATE, over
   *     {@link #INFLATED_BYTES_MAX}, not a JSON array of objects), saying which
   */
  public static List<EpcisReader.ArrayElement> decode(byte[] batch, EpcisReader reader) {
    Inflater inflater = new Inflater(true);
    ByteArrayOutputStream out = new ByteArrayOutputStream(batch.length * 4);
    try {
      inflater.setInput(batch);
      byte[] buffer = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException("the batch's DEFLATE stream ends early");
        }
        if (out.size() + n > INFLATED_BYTES_MAX) {
          throw new IllegalArgumentException("the batch inflates past " + INFLATED_BYTES_MAX
              + " bytes");
        }
        out.write(buffer, 0, n);
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("the batch is not DEFLATE: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    try {
      return reader.readEventArray(out.toByteArray());
    } catch (EpcisException e) {
      throw new IllegalArgumentException("the batch is not a JSON array of events: "
          + e.getMessage(), e);
    }
  }

  /**
   * One capture transaction's worth of events.
   *
   * @param first the index of its first event among those planned
   * @param count how many events, from {@code first}
   */
  public record Planned(int first, int count, byte[] root, byte[] batch) {
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
   * trailer} (the document's master data, {@link MasterData#batchElement}) when it is not null:
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
    byte[] batch = encode(group);
    if (batch.length <= batchBytesMax) {
      out.add(new Planned(first, count, tree(hash, hashIds.subList(first, first + count))
          .root(), batch));
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
