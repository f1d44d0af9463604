package io.chorus.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.crypto.Keccak256;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofException;
import io.chorus.proof.ProofVerifier;
import io.chorus.proof.Proven;
import io.chorus.proof.TrustRoot;
import io.chorus.trace.epcis.EpcisEvent;
import io.chorus.trace.epcis.EpcisException;
import io.chorus.trace.epcis.EpcisLimits;
import io.chorus.trace.epcis.EpcisReader;
import io.chorus.trace.epcis.EventHashId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The proof that a GS1 EPCIS event was captured on the chain, as {@code GET
 * /epcis/events/{eventID}/proof} answers it: the event as captured and the log bundle of its
 * capture's {@code Captured} event with the path from the event's hash-ID digest to the
 * capture's root. {@link #verify} needs nothing but the genesis file: it checks the bundle (the
 * block's seals, receipt and log), that the log is the trace contract's, and recomputes the
 * event's CBV 2.0 hash ID from its JSON, so a changed event, a swapped leaf or another contract's
 * log is refused.
 *
 * @param eventId the event's eventID, or its hash ID when it was captured without one
 * @param hashId the hash ID the node says the event has; {@link #verify} recomputes it
 * @param event the event's JSON as captured, with its {@code @context}
 */
public record EventProof(String eventId, String hashId, ProofBundle bundle, ObjectNode event) {
  /** The trace system contract. */
  public static final byte[] TRACE = Hex.decode("0x0000000000000000000000000000000000001003");
  private static final byte[] CAPTURED = Keccak256.INSTANCE.hash(
      "Captured(bytes32,uint64,address,uint32)".getBytes(StandardCharsets.US_ASCII));
  private static final EpcisReader READER = new EpcisReader(EpcisLimits.defaults());

  /**
   * What a verified proof shows.
   *
   * @param event the event read back under the standard's rules, its hash ID recomputed
   * @param captureNumber the capture's number on the chain (its {@code Captured} log)
   * @param capturer the account that sent the capture (0x-hex)
   * @param proven the block, its time and the validators that sealed it
   */
  public record Verified(String eventId, EpcisEvent event, long captureNumber, String capturer,
      Proven proven) {}

  /**
   * Reads a proof as the node answers it ({@code eventID}, {@code hashId}, {@code bundle},
   * {@code event}).
   *
   * @throws ProofException naming what is missing or malformed
   */
  public static EventProof fromJson(String text) {
    if (text.length() > ProofBundle.BYTES_MAX) {
      throw new ProofException("an event proof is at most " + ProofBundle.BYTES_MAX
          + " characters, got " + text.length());
    }
    JsonNode json;
    try {
      json = JsonRpcClient.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ProofException("an event proof is JSON: " + e.getOriginalMessage());
    }
    if (!isEventProof(json)) {
      throw new ProofException("an event proof has eventID, hashId, bundle and event (as GET"
          + " /epcis/events/{eventID}/proof answers it)");
    }
    return new EventProof(json.get("eventID").asText(), json.get("hashId").asText(),
        ProofBundle.fromJson(json.get("bundle").toString()), (ObjectNode) json.get("event"));
  }

  /** Whether {@code json} has an event proof's shape (a plain bundle has none of its fields). */
  public static boolean isEventProof(JsonNode json) {
    return json.path("eventID").isTextual() && json.path("hashId").isTextual()
        && json.path("bundle").isObject() && json.path("event").isObject();
  }

  /** The proof as the node answered it, for a file. */
  public String toJson() {
    ObjectNode out = JsonRpcClient.JSON.createObjectNode().put("eventID", eventId)
        .put("hashId", hashId);
    try {
      out.set("bundle", JsonRpcClient.JSON.readTree(bundle.toJson()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a proof bundle did not read back as JSON", e);
    }
    out.set("event", event);
    return out.toPrettyString();
  }

  /**
   * Checks the proof against the chain's trust root alone.
   *
   * @throws ProofException naming what does not hold
   */
  public Verified verify(TrustRoot root) {
    if (bundle.kind() != ProofBundle.Kind.LOG || bundle.batch() == null) {
      throw new ProofException("an event proof is a log bundle with a batch path; this one is a "
          + bundle.kind().label() + " bundle" + (bundle.batch() == null ? " without one" : ""));
    }
    Proven proven = ProofVerifier.verify(bundle, root);
    byte[] address = Hex.decode(proven.facts().get("log.address"));
    if (!Arrays.equals(address, TRACE)) {
      throw new ProofException("the proven log comes from " + Hex.encode0x(address)
          + ", not the trace contract " + Hex.encode0x(TRACE));
    }
    if (!Arrays.equals(topic(proven, 0), CAPTURED)) {
      throw new ProofException("the proven log is not a Captured event (topic0 "
          + Hex.encode0x(topic(proven, 0)) + ")");
    }
    byte[] data = Hex.decode(proven.facts().get("log.data"));
    if (data.length != 32 || new BigInteger(1, data).longValue() != bundle.batch().count()) {
      throw new ProofException("the capture holds " + (data.length == 32
          ? new BigInteger(1, data) : "an unreadable number of") + " events, the batch path "
          + bundle.batch().count());
    }
    EpcisEvent read;
    try {
      read = READER.readEvent(JsonRpcClient.JSON.writeValueAsBytes(event));
    } catch (EpcisException e) {
      throw new ProofException("the proven event is not a valid EPCIS event: " + e.getMessage());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an event read as JSON did not write back", e);
    }
    if (!Arrays.equals(EventHashId.digest(read.hashId()), bundle.batch().leaf())) {
      throw new ProofException("the event's hash ID is " + read.hashId() + ", whose digest is"
          + " not the proven leaf " + Hex.encode0x(bundle.batch().leaf())
          + ": the event is not the one captured");
    }
    if (!read.hashId().equals(hashId)) {
      throw new ProofException("the proof names hash ID " + hashId + ", but the event's is "
          + read.hashId());
    }
    String expectedId = read.eventId() != null ? read.eventId() : read.hashId();
    if (!expectedId.equals(eventId)) {
      throw new ProofException("the proof names event " + eventId + ", but the event is "
          + expectedId);
    }
    return new Verified(eventId, read, new BigInteger(1, topic(proven, 2)).longValueExact(),
        Hex.encode0x(Arrays.copyOfRange(topic(proven, 3), 12, 32)), proven);
  }

  private static byte[] topic(Proven proven, int index) {
    String topic = proven.facts().get("log.topic" + index);
    if (topic == null) {
      throw new ProofException("the proven log has no topic " + index);
    }
    return Hex.decode(topic);
  }
}
