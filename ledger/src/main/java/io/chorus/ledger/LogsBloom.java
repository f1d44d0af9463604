package io.chorus.ledger;

import io.chorus.crypto.Keccak256;
import io.chorus.evm.Log;
import io.chorus.evm.Word;
import java.util.List;

/**
 * Ethereum's 2048-bit logs bloom: each log's address and topics set three bits, taken from the
 * first three pairs of bytes of their keccak-256 hash (11 bits each). Keccak on every chain, as
 * Ethereum tools test blooms with it.
 */
public final class LogsBloom {
  public static final int BYTES = 256;

  private LogsBloom() {}

  public static byte[] of(List<Log> logs) {
    byte[] bloom = new byte[BYTES];
    for (Log log : logs) {
      add(bloom, log.address().toArray());
      for (Word topic : log.topics()) {
        add(bloom, topic.toBytes());
      }
    }
    return bloom;
  }

  /** Sets the three bits of {@code value} in {@code bloom}. */
  public static void add(byte[] bloom, byte[] value) {
    byte[] hash = Keccak256.INSTANCE.hash(value);
    for (int i = 0; i < 3; i++) {
      int bit = bit(hash, i);
      bloom[BYTES - 1 - bit / 8] |= (byte) (1 << (bit % 8));
    }
  }

  /** False only when {@code value} was certainly never added. */
  public static boolean mightContain(byte[] bloom, byte[] value) {
    byte[] hash = Keccak256.INSTANCE.hash(value);
    for (int i = 0; i < 3; i++) {
      int bit = bit(hash, i);
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
