package io.chorus.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.codec.Hex;
import java.util.ArrayList;
import java.util.List;

/**
 * A transaction's receipt as the node reports it.
 *
 * @param contractAddress the created contract, or null when the transaction created none
 */
public record Receipt(byte[] transactionHash, boolean success, long blockNumber, long gasUsed,
    byte[] contractAddress, List<Log> logs) {

  /** An event: the emitting contract, its topics and data. */
  public record Log(byte[] address, List<byte[]> topics, byte[] data) {}

  public Receipt {
    logs = List.copyOf(logs);
  }

  static Receipt fromJson(JsonNode json) {
    List<Log> logs = new ArrayList<>();
    for (JsonNode log : json.path("logs")) {
      List<byte[]> topics = new ArrayList<>();
      log.path("topics").forEach(t -> topics.add(Hex.decode(t.asText())));
      logs.add(new Log(Hex.decode(log.path("address").asText()), topics,
          Hex.decode(log.path("data").asText())));
    }
    JsonNode created = json.get("contractAddress");
    return new Receipt(Hex.decode(json.path("transactionHash").asText()),
        Quantities.toLong(json.path("status")) == 1, Quantities.toLong(json.path("blockNumber")),
        Quantities.toLong(json.path("gasUsed")),
        created == null || created.isNull() ? null : Hex.decode(created.asText()), logs);
  }
}
