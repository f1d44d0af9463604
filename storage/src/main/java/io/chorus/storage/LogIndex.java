package io.chorus.storage;

import io.chorus.codec.Hex;
import io.chorus.evm.Address;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import io.chorus.ledger.LogCodec;
import io.chorus.ledger.Receipt;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * Which blocks hold logs from an address or with a topic at a position, so that
 * {@link ChainStore#logs} reads only those blocks' receipts. Two column families of empty values:
 * {@code logAddresses} keyed {@code address(20) ‖ number(8)} and {@code logTopics} keyed
 * {@code topic(32) ‖ position(1) ‖ number(8)}, numbers big-endian so that one address's or
 * topic's blocks sort in chain order and a block range is one seek and a short walk.
 *
 * <p>A block writes each key once, however many of its logs share it: thousands of transfers
 * from one token add one address key and one key for the event's signature topic, plus a key
 * per distinct indexed value (sender, recipient); the receipts then say which logs match. Keys lead with the address or topic, so consecutive keys share it and
 * RocksDB's delta-encoded blocks store mostly the differing block numbers.
 */
final class LogIndex {
  private static final int TOPIC_BYTES = 32;
  private static final byte[] EMPTY = new byte[0];

  private final RocksDB db;
  private final ColumnFamilyHandle addresses;
  private final ColumnFamilyHandle topics;

  LogIndex(RocksDB db, ColumnFamilyHandle addresses, ColumnFamilyHandle topics) {
    this.db = db;
    this.addresses = addresses;
    this.topics = topics;
  }

  /** A topic at its position in a log; the unit {@code logTopics} indexes. */
  private record TopicAt(Word topic, int position) {}

  /**
   * Adds the index entries of block {@code number} to {@code batch}.
   *
   * @throws IllegalArgumentException when a log has more topics than LOG4 can emit, which its
   *     receipt could not be decoded with
   */
  void write(WriteBatch batch, long number, List<Receipt> receipts) throws RocksDBException {
    Set<Address> emitters = new HashSet<>();
    Set<TopicAt> topicsAt = new HashSet<>();
    for (int tx = 0; tx < receipts.size(); tx++) {
      for (Log log : receipts.get(tx).logs()) {
        if (log.topics().size() > LogCodec.TOPICS_MAX) {
          throw new IllegalArgumentException("transaction " + tx + " of block " + number
              + " has a log with " + log.topics().size() + " topics, more than "
              + LogCodec.TOPICS_MAX);
        }
        emitters.add(log.address());
        for (int i = 0; i < log.topics().size(); i++) {
          topicsAt.add(new TopicAt(log.topics().get(i), i));
        }
      }
    }
    for (Address emitter : emitters) {
      batch.put(addresses, key(emitter.toArray(), number), EMPTY);
    }
    for (TopicAt t : topicsAt) {
      batch.put(topics, key(topicPrefix(t.topic(), t.position()), number), EMPTY);
    }
  }

  /**
   * The blocks from {@code from} to {@code to} that may hold a log matching {@code filter}, as
   * offsets from {@code from}: within the addresses and within each topic position the union of
   * the alternatives' blocks, and across them the intersection. An unrestricted filter leaves
   * every block a candidate.
   */
  BitSet candidates(LogFilter filter, long from, long to) {
    BitSet result = new BitSet();
    result.set(0, Math.toIntExact(to - from + 1));
    try (RocksIterator byAddress = db.newIterator(addresses);
        RocksIterator byTopic = db.newIterator(topics)) {
      if (!filter.addresses().isEmpty()) {
        BitSet any = new BitSet();
        for (Address address : filter.addresses()) {
          addBlocks(byAddress, address.toArray(), from, to, any);
        }
        result.and(any);
      }
      for (int i = 0; i < filter.topics().size() && !result.isEmpty(); i++) {
        if (filter.topics().get(i).isEmpty()) {
          continue;
        }
        BitSet any = new BitSet();
        for (Word topic : filter.topics().get(i)) {
          addBlocks(byTopic, topicPrefix(topic, i), from, to, any);
        }
        result.and(any);
      }
    } catch (RocksDBException e) {
      throw new StorageException("reading the log index failed", e);
    }
    return result;
  }

  /** Sets the offset from {@code from} of each block up to {@code to} indexed under prefix. */
  private static void addBlocks(RocksIterator it, byte[] prefix, long from, long to,
      BitSet into) throws RocksDBException {
    int keyBytes = prefix.length + Long.BYTES;
    for (it.seek(key(prefix, from)); it.isValid(); it.next()) {
      byte[] key = it.key();
      // Every key of a family has its one length; another is damage, not a different entry.
      if (key.length != keyBytes) {
        throw new StorageException("corrupt store: log index key " + Hex.encode0x(key)
            + " has " + key.length + " bytes, expected " + keyBytes);
      }
      if (!Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
        break;
      }
      long number = ByteBuffer.wrap(key, prefix.length, Long.BYTES).getLong();
      if (number > to) {
        break;
      }
      into.set((int) (number - from));
    }
    it.status();
  }

  private static byte[] topicPrefix(Word topic, int position) {
    byte[] prefix = Arrays.copyOf(topic.toBytes(), TOPIC_BYTES + 1);
    prefix[TOPIC_BYTES] = (byte) position;
    return prefix;
  }

  private static byte[] key(byte[] prefix, long number) {
    byte[] key = Arrays.copyOf(prefix, prefix.length + Long.BYTES);
    ByteBuffer.wrap(key).putLong(prefix.length, number);
    return key;
  }
}
