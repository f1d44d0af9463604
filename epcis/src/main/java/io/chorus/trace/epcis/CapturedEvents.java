package io.chorus.trace.epcis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.HashFunction;
import io.chorus.crypto.MerkleBatch;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The events of one capture's batch, read and checked as every node indexes them: the batch a
 * {@code Capture} carries (see {@code Trace.sol}) is the raw DEFLATE of a UTF-8 JSON array,
 * each element one event's JSON with the JSON-LD context it was read under as its own {@code
 * @context}, so that each element reads and hashes on its own. The Merkle root is over the
 * events' hash IDs, each the 32-byte SHA-256 digest its {@code ni:} URI names, in array order.
 * The first batch of a document with master data ends with one more element, {@code
 * {"epcisMasterData": ...}}, which is no event: not a leaf, not counted.
 *
 * <p>The encoding need not be byte-for-byte the same on every node: a node only ever decodes
 * the bytes a block carries, and what it checks against the chain is the root of the hash IDs
 * it recomputes.
 *
 * @param elements each event's JSON as the batch holds it, parsed
 * @param json each event's JSON as the batch holds it, its bytes: a node stores them as they are
 *     rather than writing the parsed element again
 * @param events each event read
 * @param digests each event's hash ID digest, the Merkle leaves
 * @param masterData the batch's master data element's {@code epcisMasterData}, or null
 */
public record CapturedEvents(List<ObjectNode> elements, List<byte[]> json,
    List<EpcisEvent> events, List<byte[]> digests, JsonNode masterData) {
  /**
   * The most bytes a batch inflates to: a capture's 96 KiB of DEFLATE cannot make a reader
   * allocate more than this, whatever its ratio.
   */
  public static final int INFLATED_BYTES_MAX = 16 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Why a capture's batch is not indexed: the reason, and whether its root is the problem. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean rootMismatch;

    Invalid(String reason, boolean rootMismatch) {
      super(reason, null, false, false);
      this.rootMismatch = rootMismatch;
    }

    /** The events read, but their hash IDs do not give the anchored root back. */
    public boolean rootMismatch() {
      return rootMismatch;
    }
  }

  /**
   * The events of an open batch, checked against what its capture anchored: {@code count}
   * events (and master data, maybe) whose hash IDs, under {@code hash}, give {@code root} back.
   *
   * @throws Invalid saying why not
   */
  public static CapturedEvents read(byte[] batch, long count, byte[] root, HashFunction hash,
      EpcisReader reader) throws Invalid {
    List<EpcisReader.ArrayElement> elements;
    try {
      elements = decode(batch, reader);
    } catch (IllegalArgumentException e) {
      throw new Invalid(e.getMessage(), false);
    }
    JsonNode masterData = null;
    if (elements.size() == count + 1 && isMasterData(elements.getLast().event())) {
      masterData = elements.getLast().event().get("epcisMasterData");
      elements = elements.subList(0, (int) count);
    }
    if (elements.size() != count) {
      throw new Invalid("the batch holds " + elements.size() + " events, the capture counts "
          + count, false);
    }
    List<EpcisEvent> events = new ArrayList<>(elements.size());
    List<byte[]> digests = new ArrayList<>(elements.size());
    for (int i = 0; i < elements.size(); i++) {
      try {
        EpcisEvent event = reader.readEvent(elements.get(i).event());
        events.add(event);
        digests.add(EventHashId.digest(event.hashId()));
      } catch (EpcisException e) {
        throw new Invalid("event " + i + " of the batch is not a valid EPCIS event: "
            + e.getMessage(), false);
      }
    }
    byte[] recomputed = MerkleBatch.of(hash, digests).root();
    if (!Arrays.equals(recomputed, root)) {
      throw new Invalid("its events' hash IDs give root " + Hex.encode0x(recomputed)
          + ", not the anchored " + Hex.encode0x(root), true);
    }
    return new CapturedEvents(elements.stream().map(EpcisReader.ArrayElement::event).toList(),
        elements.stream().map(EpcisReader.ArrayElement::json).toList(), List.copyOf(events),
        List.copyOf(digests), masterData);
  }

  /**
   * A batch as a capture carries it, with each element's JSON as the batch holds it (what
   * {@link #read} gives back as {@link #json}).
   */
  public record Encoded(byte[] batch, List<byte[]> elementJson) {}

  /** The batch of {@code elements}, each event already carrying its {@code @context}. */
  public static Encoded encode(List<ObjectNode> elements) {
    List<byte[]> each = new ArrayList<>(elements.size());
    // A JSON array written by Jackson is its elements, each as written alone, between commas.
    ByteArrayOutputStream json = new ByteArrayOutputStream(elements.size() * 512 + 2);
    json.write('[');
    try {
      for (ObjectNode element : elements) {
        byte[] bytes = JSON.writeValueAsBytes(element);
        if (!each.isEmpty()) {
          json.write(',');
        }
        json.writeBytes(bytes);
        each.add(bytes);
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a capture batch", e);
    }
    json.write(']');
    return new Encoded(deflate(json.toByteArray()), List.copyOf(each));
  }

  private static byte[] deflate(byte[] json) {
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
   * The elements a batch holds, as JSON objects with their bytes, parsed by {@code reader} under
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

  /** The batch element that carries a capture's master data after its events. */
  public static ObjectNode masterDataElement(JsonNode masterData) {
    ObjectNode out = JSON.createObjectNode();
    out.set("epcisMasterData", masterData);
    return out;
  }

  /** Whether a batch element is the master data one (an event has a type, this has not). */
  private static boolean isMasterData(JsonNode element) {
    return element.size() == 1 && element.has("epcisMasterData");
  }
}
