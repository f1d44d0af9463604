package io.chorus.ledger;

import io.chorus.codec.Rlp;
import io.chorus.codec.RlpReader;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import java.util.ArrayList;
import java.util.List;

/** The RLP form of logs, {@code [address, [topic, ...], data]}, as receipts carry them. */
public final class LogCodec {
  /** LOG4 is the most topics a log can have. */
  public static final int TOPICS_MAX = 4;

  private LogCodec() {}

  public static byte[] encode(Log log) {
    List<byte[]> topics = new ArrayList<>(log.topics().size());
    for (Word topic : log.topics()) {
      topics.add(Rlp.encodeBytes(topic.toBytes()));
    }
    return Rlp.encodeList(Rlp.encodeBytes(log.address().toArray()), Rlp.encodeList(topics),
        Rlp.encodeBytes(log.data()));
  }

  /** The RLP list of the logs, whose keccak-256 the state tests call the logs hash. */
  public static byte[] encodeList(List<Log> logs) {
    List<byte[]> encoded = new ArrayList<>(logs.size());
    for (Log log : logs) {
      encoded.add(encode(log));
    }
    return Rlp.encodeList(encoded);
  }

  /** Reads a list of logs from {@code reader}'s next item. */
  static List<Log> decodeList(RlpReader reader) {
    RlpReader items = reader.readList();
    List<Log> logs = new ArrayList<>();
    while (items.hasNext()) {
      RlpReader log = items.readList();
      Address address = Address.of(log.readBytes(Address.BYTES, "log address"));
      RlpReader topicReader = log.readList();
      List<Word> topics = new ArrayList<>();
      while (topicReader.hasNext()) {
        if (topics.size() == TOPICS_MAX) {
          throw new io.chorus.codec.RlpException("a log has more than " + TOPICS_MAX
              + " topics", topicReader.position());
        }
        topics.add(Word.fromBytes(topicReader.readBytes(32, "log topic")));
      }
      byte[] data = log.readBytes();
      log.requireEnd("log");
      logs.add(new Log(address, List.copyOf(topics), data));
    }
    return logs;
  }
}
