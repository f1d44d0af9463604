package io.chorus.proof;

import io.chorus.codec.RlpReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A receipt as its trie holds it: {@code [type ‖] rlp([status, cumulativeGas, bloom, logs])}.
 * Public for readers of raw receipts that must not bring the ledger's EVM along
 * ({@code chorus export}).
 */
public record ReceiptFields(int type, boolean success, long cumulativeGasUsed,
    List<LogFields> logs) {

  /** One log: the emitting contract, its topics and data. */
  public record LogFields(byte[] address, List<byte[]> topics, byte[] data) {}

  public static ReceiptFields read(byte[] encoded) {
    if (encoded.length == 0) {
      throw new ProofException("the receipt is empty");
    }
    int type = 0;
    byte[] body = encoded;
    if ((encoded[0] & 0xff) < 0xc0) {
      type = encoded[0] & 0xff;
      body = Arrays.copyOfRange(encoded, 1, encoded.length);
    }
    RlpReader whole = RlpReader.of(body);
    RlpReader in = whole.readList();
    whole.requireEnd("receipt");
    long status = in.readUnsignedLong("status");
    long cumulativeGasUsed = in.readUnsignedLong("cumulativeGasUsed");
    in.skip(); // logsBloom
    RlpReader list = in.readList();
    in.requireEnd("receipt");
    List<LogFields> logs = new ArrayList<>();
    while (list.hasNext()) {
      RlpReader log = list.readList();
      byte[] address = log.readBytes(20, "log address");
      RlpReader topicList = log.readList();
      List<byte[]> topics = new ArrayList<>();
      while (topicList.hasNext()) {
        topics.add(topicList.readBytes(32, "log topic"));
      }
      byte[] data = log.readBytes();
      log.requireEnd("log");
      logs.add(new LogFields(address, topics, data));
    }
    return new ReceiptFields(type, status == 1, cumulativeGasUsed, logs);
  }
}
