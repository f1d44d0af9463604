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
    if (tx.gasLimitAsBigInteger().multiply(tx.maxFeePerGas()).compareTo(UINT256_MAX) > 0) {
      throw new TransactionException("gasLimit * maxFeePerGas overflows 256 bits");
    }
    checkInitcodeSize(tx);
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

  /**
   * EIP-3860's limit on a creation's initcode, also for creations run unsigned by
   * {@code eth_call}, which skip {@link #validate(Transaction)}.
   *
   * @throws TransactionException when {@code tx} creates with more than 49152 bytes of initcode
   */
  public static void checkInitcodeSize(Transaction tx) {
    if (tx.isCreation() && tx.data().length > MAX_INITCODE_SIZE) {
      throw new TransactionException("initcode of " + tx.data().length + " bytes exceeds "
          + MAX_INITCODE_SIZE + " (EIP-3860)");
    }
  }

  private byte[] sender(Transaction tx) {
    return suite.supportsRecovery() ? recoveredSender(tx) : carriedKeySender(tx);
  }

  private byte[] recoveredSender(Transaction tx) {
    if (tx.publicKey() != null) {
      throw new TransactionException("this " + suite.name() + " chain's transactions carry no "
          + "public key after s: the signer is recovered from the signature; drop the field");
    }
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

  // SM2 binds the signer's key into the signed digest, so the key cannot be recovered: the
  // transaction carries it and the signature is verified against it. SM2 has no public
  // malleability like ECDSA's s -> n - s, so no low-s rule applies; the recovery id stays 0 so
  // that one signature has one encoding.
  private byte[] carriedKeySender(Transaction tx) {
    if (tx.publicKey() == null) {
      throw new TransactionException("this " + suite.name() + " chain's transactions carry the "
          + "signer's 64-byte public key after s (" + suite.name() + " signatures do not reveal "
          + "it): sign with a Chorus client such as 'chorus tx'");
    }
    if (tx.yParity() != 0) {
      throw new TransactionException(suite.name() + " signatures have no recovery id: yParity "
          + "(for a legacy transaction, the parity of v - 35 or v - 27) must be 0");
    }
    boolean valid;
    try {
      valid = suite.verify(suite.hash(tx.signingPayload()),
          new Signature(tx.r(), tx.s(), 0), tx.publicKey());
    } catch (SignatureException e) {
      throw new TransactionException("bad signature: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new TransactionException("the signer's public key is invalid: " + e.getMessage(), e);
    }
    if (!valid) {
      throw new TransactionException("bad signature: it does not verify against the signer's "
          + "public key the transaction carries");
    }
    return suite.address(tx.publicKey());
  }
}
