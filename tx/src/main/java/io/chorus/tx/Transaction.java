package io.chorus.tx;

import java.math.BigInteger;
import java.util.List;

/**
 * A signed transaction of any supported type, as decoded from its canonical bytes.
 *
 * @param type 0 legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844
 * @param chainId the chain id, or null for a legacy transaction signed without EIP-155
 * @param maxPriorityFeePerGas the gas price for types 0 and 1
 * @param maxFeePerGas the gas price for types 0 and 1
 * @param gasLimit an unsigned 64-bit value: compare with {@link Long#compareUnsigned}
 * @param to the recipient, or null for contract creation
 * @param maxFeePerBlobGas zero unless type 3
 * @param yParity the recovery id (0 or 1) derived from v for legacy transactions
 * @param encoded the exact bytes it was decoded from: its hash is the suite's hash of these
 * @param signingPayload the bytes whose suite hash was signed (the envelope without signature)
 * @param publicKey the signer's 64-byte public key (x || y), which a transaction carries after s
 *     on a chain whose suite cannot recover it from the signature ({@code sm}); null otherwise
 */
public record Transaction(
    int type,
    BigInteger chainId,
    long nonce,
    BigInteger maxPriorityFeePerGas,
    BigInteger maxFeePerGas,
    long gasLimit,
    byte[] to,
    BigInteger value,
    byte[] data,
    List<AccessListEntry> accessList,
    BigInteger maxFeePerBlobGas,
    List<byte[]> blobVersionedHashes,
    int yParity,
    BigInteger r,
    BigInteger s,
    byte[] encoded,
    byte[] signingPayload,
    byte[] publicKey) {

  public static final int LEGACY = 0;
  public static final int ACCESS_LIST = 1;
  public static final int DYNAMIC_FEE = 2;
  public static final int BLOB = 3;

  /** A transaction without a carried public key: what a template or an Ethereum decode holds. */
  public Transaction(int type, BigInteger chainId, long nonce, BigInteger maxPriorityFeePerGas,
      BigInteger maxFeePerGas, long gasLimit, byte[] to, BigInteger value, byte[] data,
      List<AccessListEntry> accessList, BigInteger maxFeePerBlobGas,
      List<byte[]> blobVersionedHashes, int yParity, BigInteger r, BigInteger s, byte[] encoded,
      byte[] signingPayload) {
    this(type, chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data,
        accessList, maxFeePerBlobGas, blobVersionedHashes, yParity, r, s, encoded,
        signingPayload, null);
  }

  public boolean isCreation() {
    return to == null;
  }

  /** The gas limit, an unsigned 64-bit number, for fee arithmetic. */
  public BigInteger gasLimitAsBigInteger() {
    BigInteger signed = BigInteger.valueOf(gasLimit);
    return gasLimit >= 0 ? signed : signed.add(BigInteger.ONE.shiftLeft(Long.SIZE));
  }
}
