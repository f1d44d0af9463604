package io.chorus.ledger;

import io.chorus.codec.ByteKey;
import io.chorus.crypto.Keccak256;
import io.chorus.evm.Log;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ethereum's 2048-bit logs bloom: each log's address and topics set three bits, taken from the
 * first three pairs of bytes of their keccak-256 hash (11 bits each). Keccak on every chain, as
 * Ethereum tools test blooms with it.
 */
public final class LogsBloom {
  public static final int BYTES = 256;

  private LogsBloom() {}

  // The bits of recent emitters and event signatures (first topics), which a block's logs
  // repeat: each would otherwise cost a keccak per log. Indexed values, mostly distinct, are
  // hashed each time. Bounded: emptied when full.
  private static final int MEMO_MAX = 4_096;
  private static final Map<ByteKey, Long> MEMO = new ConcurrentHashMap<>();

  public static byte[] of(List<Log> logs) {
    byte[] bloom = new byte[BYTES];
    for (Log log : logs) {
      set(bloom, memoBits(log.address().toArray()));
      for (int i = 0; i < log.topics().size(); i++) {
        byte[] topic = log.topics().get(i).toBytes();
        set(bloom, i == 0 ? memoBits(topic) : bits(topic));
      }
    }
    return bloom;
  }

  /** Sets the three bits of {@code value} in {@code bloom}. */
  public static void add(byte[] bloom, byte[] value) {
    set(bloom, bits(value));
  }

  private static long memoBits(byte[] value) {
    ByteKey key = new ByteKey(value);
    Long known = MEMO.get(key);
    if (known != null) {
      return known;
    }
    if (MEMO.size() >= MEMO_MAX) {
      MEMO.clear();
    }
    long bits = bits(value);
    MEMO.put(key, bits);
    return bits;
  }

  // The three bit indexes of value, 11 bits each, packed low to high.
  private static long bits(byte[] value) {
    byte[] hash = Keccak256.INSTANCE.hash(value);
    return bit(hash, 0) | (long) bit(hash, 1) << 11 | (long) bit(hash, 2) << 22;
  }

  private static void set(byte[] bloom, long bits) {
    for (int i = 0; i < 3; i++) {
      int bit = unpack(bits, i);
      bloom[BYTES - 1 - bit / 8] |= (byte) (1 << (bit % 8));
    }
  }

  // The i-th of the three packed bit indexes.
  private static int unpack(long bits, int i) {
    return (int) (bits >>> (11 * i)) & 0x7ff;
  }

  /** False only when {@code value} was certainly never added. */
  public static boolean mightContain(byte[] bloom, byte[] value) {
    long bits = bits(value);
    for (int i = 0; i < 3; i++) {
      int bit = unpack(bits, i);
      if ((bloom[BYTES - 1 - bit / 8] & (1 << (bit % 8))) == 0) {
        return false;
      }
    }
    return true;
  }

  // The i-th of a value's three bloom bits: the low 11 bits of its hash's i-th byte pair.
  private static int bit(byte[] hash, int i) {
    return ((hash[2 * i] & 0x07) << 8) | (hash[2 * i + 1] & 0xff);
  }

  /** Adds {@code source}'s bits to {@code target}, as a block's bloom unites its receipts'. */
  public static void orInto(byte[] target, byte[] source) {
    for (int i = 0; i < BYTES; i++) {
      target[i] |= source[i];
    }
  }
}
