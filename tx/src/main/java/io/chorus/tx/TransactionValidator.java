package io.chorus.tx;

import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Secp256k1;
import io.chorus.crypto.Signature;
import io.chorus.crypto.SignatureException;
import java.math.BigInteger;

/** The checks a transaction must pass without looking at state, ending in its sender. */
public final class TransactionValidator {
  /** EIP-3860: the largest initcode a creation may carry. */
  public static final int MAX_INITCODE_SIZE = 49_152;
  /** EIP-4844: the version byte of a KZG blob commitment hash. */
  public static final byte BLOB_COMMITMENT_VERSION_KZG = 0x01;

  private static final BigInteger UINT256_MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  private final CryptoSuite suite;
  private final BigInteger chainId;

  public TransactionValidator(CryptoSuite suite, BigInteger chainId) {
    this.suite = suite;
    this.chainId = chainId;
  }

  /** Validates and returns the 20-byte sender address. */
  public byte[] validate(Transaction tx) {
    if (tx.chainId() != null && !tx.chainId().equals(chainId)) {
      throw new TransactionException("chain id " + tx.chainId() + " does not match this chain's "
          + chainId);
    }
    if (tx.maxPriorityFeePerGas().compareTo(tx.maxFeePerGas()) > 0) {
      throw new TransactionException("maxPriorityFeePerGas " + tx.maxPriorityFeePerGas()
          + " exceeds maxFeePerGas " + tx.maxFeePerGas());
    }
    if (new BigInteger(Long.toUnsignedString(tx.gasLimit())).multiply(tx.maxFeePerGas()).compareTo(UINT256_MAX) > 0) {
      throw new TransactionException("gasLimit * maxFeePerGas overflows 256 bits");
    }
    if (tx.isCreation() && tx.data().length > MAX_INITCODE_SIZE) {
      throw new TransactionException("initcode of " + tx.data().length + " bytes exceeds "
          + MAX_INITCODE_SIZE + " (EIP-3860)");
    }
    long intrinsic = IntrinsicGas.of(tx);
    if (Long.compareUnsigned(intrinsic, tx.gasLimit()) > 0) {
      throw new TransactionException("intrinsic gas " + intrinsic + " exceeds gasLimit "
          + Long.toUnsignedString(tx.gasLimit()));
    }
    if (tx.type() == Transaction.BLOB) {
      if (tx.blobVersionedHashes().isEmpty()) {
        throw new TransactionException("blob transaction must carry at least one blob hash");
      }
      for (byte[] hash : tx.blobVersionedHashes()) {
        if (hash[0] != BLOB_COMMITMENT_VERSION_KZG) {
          throw new TransactionException("blob versioned hash must start with 0x01");
        }
      }
    }
    return sender(tx);
  }

  private byte[] sender(Transaction tx) {
    BigInteger n = Secp256k1.N;
    if (tx.r().signum() == 0 || tx.r().compareTo(n) >= 0) {
      throw new TransactionException("signature r must be in [1, n-1]");
    }
    if (tx.s().signum() == 0 || tx.s().compareTo(Secp256k1.HALF_N) > 0) {
      throw new TransactionException("signature s must be in [1, n/2] (EIP-2)");
    }
    try {
      byte[] digest = suite.hash(tx.signingPayload());
      byte[] publicKey = suite.recoverPublicKey(digest,
          new Signature(tx.r(), tx.s(), tx.yParity()));
      return suite.address(publicKey);
    } catch (SignatureException e) {
      throw new TransactionException("bad signature: " + e.getMessage(), e);
    }
  }
}
