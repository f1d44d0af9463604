package io.chorus.ledger;

import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import io.chorus.evm.Log;
import io.chorus.tx.Transaction;
import java.util.Arrays;
import java.util.List;

/**
 * A transaction's receipt as Ethereum encodes it since EIP-658 and EIP-2718:
 * {@code rlp([status, cumulativeGasUsed, logsBloom, logs])}, prefixed with the transaction type
 * byte for every type but legacy. Immutable; its encoding is computed once, as the block's
 * receipts root and the store both need it.
 */
public final class Receipt {
  private final int type;
  private final boolean success;
  private final long cumulativeGasUsed;
  private final byte[] logsBloom;
  private final List<Log> logs;
  // On first use. Volatile: receipts are shared across threads (the recent blocks RPC reads);
  // a race at worst computes the same bytes twice.
  private volatile byte[] encoded;

  /** A receipt that keeps {@code logsBloom} itself: the caller must not modify it after. */
  public Receipt(int type, boolean success, long cumulativeGasUsed, byte[] logsBloom,
      List<Log> logs) {
    if (type < Transaction.LEGACY || type > Transaction.BLOB) {
      throw new IllegalArgumentException("unknown transaction type " + type);
    }
    if (logsBloom.length != LogsBloom.BYTES) {
      throw new IllegalArgumentException("logsBloom must be " + LogsBloom.BYTES + " bytes");
    }
    this.type = type;
    this.success = success;
    this.cumulativeGasUsed = cumulativeGasUsed;
    this.logsBloom = logsBloom;
    this.logs = List.copyOf(logs);
  }

  public int type() {
    return type;
  }

  public boolean success() {
    return success;
  }

  public long cumulativeGasUsed() {
    return cumulativeGasUsed;
  }

  /** The bloom of this receipt's logs; the caller must not modify it. */
  public byte[] logsBloom() {
    return logsBloom;
  }

  public List<Log> logs() {
    return logs;
  }

  /** A receipt whose bloom is computed from its logs. */
  public static Receipt of(int type, boolean success, long cumulativeGasUsed, List<Log> logs) {
    return new Receipt(type, success, cumulativeGasUsed, LogsBloom.of(logs), logs);
  }

  /** The receipt's encoding; the caller must not modify it. */
  public byte[] encode() {
    byte[] out = encoded;
    if (out == null) {
      out = encodeOnce();
      encoded = out;
    }
    return out;
  }

  private byte[] encodeOnce() {
    byte[] body = Rlp.encodeList(Rlp.encodeUnsignedLong(success ? 1 : 0),
        Rlp.encodeUnsignedLong(cumulativeGasUsed), Rlp.encodeBytes(logsBloom),
        LogCodec.encodeList(logs));
    if (type == Transaction.LEGACY) {
      return body;
    }
    byte[] typed = new byte[body.length + 1];
    typed[0] = (byte) type;
    System.arraycopy(body, 0, typed, 1, body.length);
    return typed;
  }

  /**
   * Decodes a receipt strictly.
   *
   * @throws RlpException naming the field and offset of the first problem
   */
  public static Receipt decode(byte[] encoded) {
    if (encoded.length == 0) {
      throw new RlpException("a receipt cannot be empty", 0);
    }
    int type = Transaction.LEGACY;
    byte[] body = encoded;
    if ((encoded[0] & 0xff) < 0xc0) {
      type = encoded[0] & 0xff;
      if (type < Transaction.ACCESS_LIST || type > Transaction.BLOB) {
        throw new RlpException("unknown receipt type " + type, 0);
      }
      body = Arrays.copyOfRange(encoded, 1, encoded.length);
    }
    RlpReader outer = RlpReader.of(body);
    RlpReader r = outer.readList();
    outer.requireEnd("receipt");
    long status = r.readUnsignedLong("status");
    if (status > 1) {
      throw new RlpException("status must be 0 or 1, found " + status, 0);
    }
    long cumulativeGasUsed = r.readUnsignedLong("cumulativeGasUsed");
    byte[] bloom = r.readBytes(LogsBloom.BYTES, "logsBloom");
    List<Log> logs = LogCodec.decodeList(r);
    r.requireEnd("receipt");
    return new Receipt(type, status == 1, cumulativeGasUsed, bloom, logs);
  }

  @Override
  public boolean equals(Object other) {
    // The encoding covers every field, the logs' byte arrays included.
    return other instanceof Receipt r && Arrays.equals(encode(), r.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encode());
  }

  @Override
  public String toString() {
    return "Receipt[type=" + type + ", success=" + success + ", cumulativeGasUsed="
        + cumulativeGasUsed + ", logs=" + logs + "]";
  }
}
