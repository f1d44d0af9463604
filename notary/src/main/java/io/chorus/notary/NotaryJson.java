package io.chorus.notary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.proof.NotaryEvidence;
import io.chorus.proof.ProofVerifier;
import io.chorus.proof.TrustRoot;
import io.chorus.state.system.Notary;
import java.util.Optional;

/** The notary's records, batches and verified proofs as the REST API answers them. */
final class NotaryJson {
  // Trailing text after a JSON value makes it not JSON, rather than ignored.
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private NotaryJson() {}

  /** One version of a record, with links to itself, its proof and its certificate. */
  static ObjectNode record(Notary.Record record) {
    ObjectNode out = JSON.createObjectNode()
        .put("id", record.id())
        .put("version", record.version())
        .put("algorithm", record.algorithm().label())
        .put("hash", Hex.encode0x(record.hash()))
        .put("type", record.recordType());
    out.set("metadata", metadata(record.metadata()));
    out.put("depositor", address(record.depositor()))
        .put("txHash", Hex.encode0x(record.txId()))
        .put("blockNumber", record.blockHeight())
        .put("timestamp", record.timestamp())
        .put("time", ProofVerifier.time(record.timestamp()));
    ArrayNode cosigners = out.putArray("cosigners");
    record.cosigners().forEach(a -> cosigners.add(address(a)));
    out.put("attested", record.attested());
    String self = NotaryCertificates.recordPath(record.id());
    String query = "?version=" + record.version();
    out.putObject("links")
        .put("record", self)
        .put("version", self + "/versions/" + record.version())
        .put("proof", self + "/proof" + query)
        .put("certificate", self + "/certificate" + query);
    return out;
  }

  /** An anchored batch. */
  static ObjectNode batch(Notary.Batch batch) {
    ObjectNode out = JSON.createObjectNode()
        .put("number", batch.number())
        .put("root", Hex.encode0x(batch.root()))
        .put("count", batch.count());
    out.set("metadata", metadata(batch.metadata()));
    return out.put("depositor", address(batch.depositor()))
        .put("txHash", Hex.encode0x(batch.txId()))
        .put("blockNumber", batch.blockHeight())
        .put("timestamp", batch.timestamp())
        .put("time", ProofVerifier.time(batch.timestamp()));
  }

  /** What a verified proof shows. */
  static ObjectNode evidence(NotaryEvidence.Evidence e, TrustRoot root) {
    ObjectNode out = JSON.createObjectNode().put("proven", true).put("how", e.how())
        .put("digest", Hex.encode0x(e.digest()));
    if (e.how().equals("record")) {
      ObjectNode record = out.putObject("record").put("id", e.id()).put("version", e.version())
          .put("algorithm", e.algorithm()).put("type", e.recordType());
      record.set("metadata", metadata(e.metadata()));
    } else {
      ObjectNode batch = out.putObject("batch").put("number", e.batchNumber())
          .put("index", e.index()).put("count", e.count());
      batch.set("metadata", metadata(e.metadata()));
    }
    out.put("depositor", Hex.encode0x(e.depositor()));
    out.putObject("block").put("number", e.proven().blockNumber())
        .put("hash", Hex.encode0x(e.proven().blockHash()));
    out.put("timestamp", e.proven().timestamp())
        .put("time", ProofVerifier.time(e.proven().timestamp()))
        .put("txHash", e.proven().facts().get("transaction"));
    out.putObject("chain").put("chainId", root.chainId().toString())
        .put("suite", root.suite().name())
        .put("genesisHash", Hex.encode0x(root.genesisHash()));
    ArrayNode signers = out.putArray("signers");
    e.proven().signers().forEach(s -> signers.add(Hex.encode0x(s)));
    return out;
  }

  /**
   * Metadata as it is stored: JSON by convention, so a JSON object (or other value) is
   * answered as such; text that is not JSON (deposited by other means) as a string.
   */
  static JsonNode metadata(String stored) {
    return parse(stored).orElseGet(() -> JSON.getNodeFactory().textNode(stored));
  }

  /** The metadata's {@code file} member: the notarized file's name, when it says. */
  static Optional<String> fileName(String stored) {
    return parse(stored).map(m -> m.path("file")).filter(JsonNode::isTextual)
        .map(JsonNode::asText);
  }

  private static Optional<JsonNode> parse(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode parsed = JSON.readTree(text);
      return parsed == null || parsed.isMissingNode() ? Optional.empty() : Optional.of(parsed);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static String address(Address address) {
    return Hex.encode0x(address.toArray());
  }
}
