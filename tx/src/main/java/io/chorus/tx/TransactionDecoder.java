package io.chorus.tx;

import io.chorus.codec.Bytes;
import io.chorus.codec.Rlp;
import io.chorus.codec.RlpException;
import io.chorus.codec.RlpReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a signed transaction from its network bytes in one pass: a legacy RLP list, or a type
 * byte followed by the type's RLP list. Only the canonical encoding is accepted.
 *
 * <p>A transaction of a chain whose suite cannot recover keys from signatures ({@code sm})
 * carries one more list item after s: the signer's 64-byte public key. The decoder reads the
 * shape the bytes have; {@link TransactionValidator} holds it to the chain's suite.
 */
public final class TransactionDecoder {
  /** Largest accepted encoding; bounds the work an RPC client or peer can ask of the decoder. */
  public static final int ENCODED_BYTES_MAX = 4 * 1024 * 1024;

  /** An uncompressed public key without its 0x04 prefix: x || y. */
  public static final int PUBLIC_KEY_BYTES = 64;

  private static final BigInteger TWENTY_SEVEN = BigInteger.valueOf(27);
  private static final BigInteger THIRTY_FIVE = BigInteger.valueOf(35);

  private TransactionDecoder() {}

  public static Transaction decode(byte[] encoded) {
    if (encoded.length == 0) {
      throw new TransactionException("empty transaction bytes");
    }
    if (encoded.length > ENCODED_BYTES_MAX) {
      throw new TransactionException("transaction of " + encoded.length
          + " bytes exceeds the " + ENCODED_BYTES_MAX + "-byte limit");
    }
    int first = encoded[0] & 0xff;
    try {
      if (first >= 0xc0) {
        return decodeLegacy(encoded);
      }
      if (first >= 0x80) {
        throw new TransactionException("transaction is an RLP byte string, not a list or a typed envelope");
      }
      return switch (first) {
        case Transaction.ACCESS_LIST, Transaction.DYNAMIC_FEE, Transaction.BLOB ->
            decodeTyped(encoded, first);
        default -> throw new TransactionException("unsupported transaction type " + first);
      };
    } catch (RlpException e) {
      throw new TransactionException("malformed transaction: " + e.getMessage(), e);
    }
  }

  private static Transaction decodeLegacy(byte[] encoded) {
    RlpReader outer = RlpReader.of(encoded);
    RlpReader fields = outer.readList();
    outer.requireEnd("legacy transaction");
    int unsignedStart = fields.position();
    long nonce = nonce(fields);
    BigInteger gasPrice = uint256(fields, "gasPrice");
    long gasLimit = gasLimit(fields);
    byte[] to = to(fields);
    BigInteger value = uint256(fields, "value");
    byte[] data = fields.readBytes();
    int unsignedEnd = fields.position();
    BigInteger v = fields.readBigInteger("v", 32);
    BigInteger r = fields.readBigInteger("r", 32);
    BigInteger s = fields.readBigInteger("s", 32);
    byte[] publicKey = publicKey(fields);
    fields.requireEnd("legacy transaction (9 fields, or 10 with the signer's public key)");

    byte[] unsigned = Arrays.copyOfRange(encoded, unsignedStart, unsignedEnd);
    BigInteger chainId;
    int yParity;
    byte[] payload;
    if (v.equals(TWENTY_SEVEN) || v.equals(TWENTY_SEVEN.add(BigInteger.ONE))) {
      chainId = null;
      yParity = v.intValue() - 27;
      payload = Rlp.encodeList(unsigned);
    } else if (v.compareTo(THIRTY_FIVE) >= 0) {
      BigInteger offset = v.subtract(THIRTY_FIVE);
      chainId = offset.shiftRight(1);
      yParity = offset.testBit(0) ? 1 : 0;
      payload = Rlp.encodeList(unsigned, Rlp.encodeBigInteger(chainId), Rlp.EMPTY_STRING.clone(),
          Rlp.EMPTY_STRING.clone());
    } else {
      throw new TransactionException(
          "invalid v " + v + ": must be 27 or 28, or chainId * 2 + 35 or 36 (EIP-155)");
    }
    return new Transaction(Transaction.LEGACY, chainId, nonce, gasPrice, gasPrice, gasLimit, to,
        value, data, List.of(), BigInteger.ZERO, List.of(), yParity, r, s, encoded, payload,
        publicKey);
  }

  private static Transaction decodeTyped(byte[] encoded, int type) {
    RlpReader outer = RlpReader.of(encoded, 1, encoded.length);
    if (!outer.hasNext() || !outer.nextIsList()) {
      throw new TransactionException("type " + type + " transaction must carry an RLP list");
    }
    RlpReader fields = outer.readList();
    outer.requireEnd("type " + type + " transaction");
    int unsignedStart = fields.position();
    BigInteger chainId = uint256(fields, "chainId");
    long nonce = nonce(fields);
    BigInteger maxPriorityFee;
    BigInteger maxFee;
    if (type == Transaction.ACCESS_LIST) {
      maxPriorityFee = uint256(fields, "gasPrice");
      maxFee = maxPriorityFee;
    } else {
      maxPriorityFee = uint256(fields, "maxPriorityFeePerGas");
      maxFee = uint256(fields, "maxFeePerGas");
    }
    long gasLimit = gasLimit(fields);
    byte[] to = to(fields);
    BigInteger value = uint256(fields, "value");
    byte[] data = fields.readBytes();
    List<AccessListEntry> accessList = accessList(fields);
    BigInteger maxFeePerBlobGas = BigInteger.ZERO;
    List<byte[]> blobHashes = List.of();
    if (type == Transaction.BLOB) {
      maxFeePerBlobGas = uint256(fields, "maxFeePerBlobGas");
      blobHashes = blobHashes(fields);
      if (to == null) {
        throw new TransactionException("blob transaction must have a recipient: "
            + "EIP-4844 transactions cannot create contracts");
      }
    }
    int unsignedEnd = fields.position();
    long yParity = fields.readUnsignedLong("yParity");
    if (yParity > 1) {
      throw new TransactionException("yParity must be 0 or 1, got " + Long.toUnsignedString(yParity));
    }
    BigInteger r = fields.readBigInteger("r", 32);
    BigInteger s = fields.readBigInteger("s", 32);
    byte[] publicKey = publicKey(fields);
    fields.requireEnd("type " + type + " transaction (the signer's public key is its last field)");
    byte[] payload = Bytes.concat(new byte[] {(byte) type},
        Rlp.encodeList(Arrays.copyOfRange(encoded, unsignedStart, unsignedEnd)));
    return new Transaction(type, chainId, nonce, maxPriorityFee, maxFee, gasLimit, to, value, data,
        accessList, maxFeePerBlobGas, blobHashes, (int) yParity, r, s, encoded, payload,
        publicKey);
  }

  /** The signer's public key after s, or null when the list ends there. */
  private static byte[] publicKey(RlpReader fields) {
    if (!fields.hasNext()) {
      return null;
    }
    int at = fields.position();
    byte[] key = fields.readBytes();
    if (key.length != PUBLIC_KEY_BYTES) {
      throw new TransactionException("the signer's public key after s (offset " + at
          + ") must be " + PUBLIC_KEY_BYTES + " bytes (x || y), found " + key.length);
    }
    return key;
  }

  /** EIP-2681: a nonce is below 2^64 - 1. */
  private static long nonce(RlpReader fields) {
    int at = fields.position();
    BigInteger nonce = fields.readBigInteger("nonce", 32);
    if (nonce.bitLength() > 64 || nonce.equals(BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))) {
      throw new TransactionException("nonce " + nonce + " at offset " + at
          + " must be below 2^64 - 1 (EIP-2681)");
    }
    return nonce.longValue();
  }

  /** Gas limits use all 64 bits: the long is read as unsigned. */
  private static long gasLimit(RlpReader fields) {
    int at = fields.position();
    BigInteger gas = fields.readBigInteger("gasLimit", 32);
    if (gas.bitLength() > 64) {
      throw new TransactionException("gasLimit " + gas + " at offset " + at
          + " exceeds 2^64 - 1");
    }
    return gas.longValue();
  }

  private static BigInteger uint256(RlpReader fields, String name) {
    return fields.readBigInteger(name, 32);
  }

  private static byte[] to(RlpReader fields) {
    int at = fields.position();
    byte[] to = fields.readBytes();
    if (to.length == 0) {
      return null;
    }
    if (to.length != 20) {
      throw new TransactionException(
          "to at offset " + at + " must be 20 bytes or empty, found " + to.length);
    }
    return to;
  }

  private static List<AccessListEntry> accessList(RlpReader fields) {
    RlpReader list = fields.readList();
    List<AccessListEntry> entries = new ArrayList<>();
    while (list.hasNext()) {
      RlpReader entry = list.readList();
      byte[] address = entry.readBytes(20, "access list address");
      RlpReader keys = entry.readList();
      List<byte[]> storageKeys = new ArrayList<>();
      while (keys.hasNext()) {
        storageKeys.add(keys.readBytes(32, "access list storage key"));
      }
      entry.requireEnd("access list entry");
      entries.add(new AccessListEntry(address, storageKeys));
    }
    return entries;
  }

  private static List<byte[]> blobHashes(RlpReader fields) {
    RlpReader list = fields.readList();
    List<byte[]> hashes = new ArrayList<>();
    while (list.hasNext()) {
      hashes.add(list.readBytes(32, "blob versioned hash"));
    }
    return hashes;
  }
}
