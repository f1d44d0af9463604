package io.chorus.ledger;

import io.chorus.codec.Rlp;
import io.chorus.codec.RlpReader;
import io.chorus.crypto.HashFunction;
import io.chorus.evm.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A block header in Ethereum's layout, so that Ethereum tools read it as they are: the fifteen
 * original fields, then the ones later forks appended (London's base fee; Shanghai's withdrawals
 * root; Cancun's blob gas used, excess blob gas and parent beacon block root). A trailing field
 * is present only when every field before it is (null otherwise), as on Ethereum. Chorus puts
 * its consensus seal in {@code extraData}.
 */
public record BlockHeader(
    byte[] parentHash,
    byte[] ommersHash,
    Address coinbase,
    byte[] stateRoot,
    byte[] transactionsRoot,
    byte[] receiptsRoot,
    byte[] logsBloom,
    BigInteger difficulty,
    long number,
    long gasLimit,
    long gasUsed,
    long timestamp,
    byte[] extraData,
    byte[] mixHash,
    byte[] nonce,
    BigInteger baseFeePerGas,
    byte[] withdrawalsRoot,
    Long blobGasUsed,
    Long excessBlobGas,
    byte[] parentBeaconBlockRoot) {

  /** The largest {@code extraData}: room for a consensus seal of many validators' signatures. */
  public static final int EXTRA_DATA_BYTES_MAX = 64 * 1024;
  private static final int HASH_BYTES = 32;

  public BlockHeader {
    requireLength("parentHash", parentHash, HASH_BYTES);
    requireLength("ommersHash", ommersHash, HASH_BYTES);
    requireLength("stateRoot", stateRoot, HASH_BYTES);
    requireLength("transactionsRoot", transactionsRoot, HASH_BYTES);
    requireLength("receiptsRoot", receiptsRoot, HASH_BYTES);
    requireLength("logsBloom", logsBloom, LogsBloom.BYTES);
    requireLength("mixHash", mixHash, HASH_BYTES);
    requireLength("nonce", nonce, 8);
    if (extraData.length > EXTRA_DATA_BYTES_MAX) {
      throw new IllegalArgumentException("extraData of " + extraData.length
          + " bytes exceeds " + EXTRA_DATA_BYTES_MAX);
    }
    boolean missing = baseFeePerGas == null;
    missing = checkOrder(missing, withdrawalsRoot == null, "withdrawalsRoot");
    missing = checkOrder(missing, blobGasUsed == null, "blobGasUsed");
    missing = checkOrder(missing, excessBlobGas == null, "excessBlobGas");
    checkOrder(missing, parentBeaconBlockRoot == null, "parentBeaconBlockRoot");
    if (withdrawalsRoot != null) {
      requireLength("withdrawalsRoot", withdrawalsRoot, HASH_BYTES);
    }
    if (parentBeaconBlockRoot != null) {
      requireLength("parentBeaconBlockRoot", parentBeaconBlockRoot, HASH_BYTES);
    }
  }

  /** The RLP list of the fields that are present. */
  public byte[] encode() {
    List<byte[]> fields = new ArrayList<>(List.of(
        Rlp.encodeBytes(parentHash), Rlp.encodeBytes(ommersHash),
        Rlp.encodeBytes(coinbase.toArray()), Rlp.encodeBytes(stateRoot),
        Rlp.encodeBytes(transactionsRoot), Rlp.encodeBytes(receiptsRoot),
        Rlp.encodeBytes(logsBloom), Rlp.encodeBigInteger(difficulty),
        Rlp.encodeUnsignedLong(number), Rlp.encodeUnsignedLong(gasLimit),
        Rlp.encodeUnsignedLong(gasUsed), Rlp.encodeUnsignedLong(timestamp),
        Rlp.encodeBytes(extraData), Rlp.encodeBytes(mixHash), Rlp.encodeBytes(nonce)));
    if (baseFeePerGas != null) {
      fields.add(Rlp.encodeBigInteger(baseFeePerGas));
    }
    if (withdrawalsRoot != null) {
      fields.add(Rlp.encodeBytes(withdrawalsRoot));
    }
    if (blobGasUsed != null) {
      fields.add(Rlp.encodeUnsignedLong(blobGasUsed));
    }
    if (excessBlobGas != null) {
      fields.add(Rlp.encodeUnsignedLong(excessBlobGas));
    }
    if (parentBeaconBlockRoot != null) {
      fields.add(Rlp.encodeBytes(parentBeaconBlockRoot));
    }
    return Rlp.encodeList(fields);
  }

  /** The block hash: the chain suite's hash of the encoded header. */
  public byte[] hash(HashFunction hash) {
    return hash.hash(encode());
  }

  /**
   * Decodes a header strictly: canonical RLP, exact field sizes, no extra data.
   *
   * @throws io.chorus.codec.RlpException naming the field and offset of the first problem
   */
  public static BlockHeader decode(byte[] encoded) {
    RlpReader outer = RlpReader.of(encoded);
    RlpReader r = outer.readList();
    outer.requireEnd("block header");
    byte[] parentHash = r.readBytes(HASH_BYTES, "parentHash");
    byte[] ommersHash = r.readBytes(HASH_BYTES, "ommersHash");
    Address coinbase = Address.of(r.readBytes(Address.BYTES, "coinbase"));
    byte[] stateRoot = r.readBytes(HASH_BYTES, "stateRoot");
    byte[] transactionsRoot = r.readBytes(HASH_BYTES, "transactionsRoot");
    byte[] receiptsRoot = r.readBytes(HASH_BYTES, "receiptsRoot");
    byte[] logsBloom = r.readBytes(LogsBloom.BYTES, "logsBloom");
    BigInteger difficulty = r.readBigInteger("difficulty", 32);
    long number = r.readUnsignedLong("number");
    long gasLimit = r.readUnsignedLong("gasLimit");
    long gasUsed = r.readUnsignedLong("gasUsed");
    long timestamp = r.readUnsignedLong("timestamp");
    byte[] extraData = r.readBytes();
    byte[] mixHash = r.readBytes(HASH_BYTES, "mixHash");
    byte[] nonce = r.readBytes(8, "nonce");
    BigInteger baseFee = r.hasNext() ? r.readBigInteger("baseFeePerGas", 32) : null;
    byte[] withdrawalsRoot = r.hasNext() ? r.readBytes(HASH_BYTES, "withdrawalsRoot") : null;
    Long blobGasUsed = r.hasNext() ? r.readUnsignedLong("blobGasUsed") : null;
    Long excessBlobGas = r.hasNext() ? r.readUnsignedLong("excessBlobGas") : null;
    byte[] beaconRoot = r.hasNext() ? r.readBytes(HASH_BYTES, "parentBeaconBlockRoot") : null;
    r.requireEnd("block header");
    return new BlockHeader(parentHash, ommersHash, coinbase, stateRoot, transactionsRoot,
        receiptsRoot, logsBloom, difficulty, number, gasLimit, gasUsed, timestamp, extraData,
        mixHash, nonce, baseFee, withdrawalsRoot, blobGasUsed, excessBlobGas, beaconRoot);
  }

  private static boolean checkOrder(boolean earlierMissing, boolean missing, String field) {
    if (earlierMissing && !missing) {
      throw new IllegalArgumentException(field + " is set but a field before it is not");
    }
    return earlierMissing || missing;
  }

  private static void requireLength(String field, byte[] value, int length) {
    if (value.length != length) {
      throw new IllegalArgumentException(field + " must be " + length + " bytes, got "
          + value.length);
    }
  }
}
