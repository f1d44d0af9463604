package io.chorus.tx;

import io.chorus.codec.Bytes;
import io.chorus.codec.Rlp;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Signature;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Signs a transaction: encodes its fields, signs the suite's hash of the payload, re-decodes.
 * With a suite that cannot recover keys ({@code sm}) the signer's public key follows s.
 */
public final class TransactionSigner {
  private TransactionSigner() {}

  /**
   * Signs the fields of {@code template} (its signature, encoding and payload are ignored) and
   * returns the signed transaction exactly as {@link TransactionDecoder} would read it back.
   */
  public static Transaction sign(Transaction template, KeyPair keys, CryptoSuite suite) {
    List<byte[]> fields = unsignedFields(template);
    byte[] payload;
    if (template.type() == Transaction.LEGACY) {
      List<byte[]> withChain = new ArrayList<>(fields);
      if (template.chainId() != null) {
        withChain.add(Rlp.encodeBigInteger(template.chainId()));
        withChain.add(Rlp.EMPTY_STRING.clone());
        withChain.add(Rlp.EMPTY_STRING.clone());
      }
      payload = Rlp.encodeList(withChain);
    } else {
      payload = Bytes.concat(new byte[] {(byte) template.type()}, Rlp.encodeList(fields));
    }
    Signature signature = suite.sign(suite.hash(payload), keys);
    if (signature.recoveryId() > 1) {
      throw new TransactionException("signature needs recovery id " + signature.recoveryId()
          + ", which a transaction cannot carry; sign with another nonce or key");
    }
    List<byte[]> signed = new ArrayList<>(fields);
    BigInteger v = BigInteger.valueOf(signature.recoveryId());
    if (template.type() == Transaction.LEGACY) {
      v = template.chainId() == null ? v.add(BigInteger.valueOf(27))
          : template.chainId().shiftLeft(1).add(BigInteger.valueOf(35)).add(v);
    }
    signed.add(Rlp.encodeBigInteger(v));
    signed.add(Rlp.encodeBigInteger(signature.r()));
    signed.add(Rlp.encodeBigInteger(signature.s()));
    if (!suite.supportsRecovery()) {
      signed.add(Rlp.encodeBytes(keys.publicKey()));
    }
    byte[] encoded = template.type() == Transaction.LEGACY ? Rlp.encodeList(signed)
        : Bytes.concat(new byte[] {(byte) template.type()}, Rlp.encodeList(signed));
    return TransactionDecoder.decode(encoded);
  }

  private static List<byte[]> unsignedFields(Transaction tx) {
    List<byte[]> fields = new ArrayList<>();
    if (tx.type() != Transaction.LEGACY) {
      fields.add(Rlp.encodeBigInteger(tx.chainId()));
    }
    fields.add(Rlp.encodeUnsignedLong(tx.nonce()));
    if (tx.type() == Transaction.DYNAMIC_FEE || tx.type() == Transaction.BLOB) {
      fields.add(Rlp.encodeBigInteger(tx.maxPriorityFeePerGas()));
    }
    fields.add(Rlp.encodeBigInteger(tx.maxFeePerGas()));
    fields.add(Rlp.encodeUnsignedLong(tx.gasLimit()));
    fields.add(Rlp.encodeBytes(tx.isCreation() ? Bytes.EMPTY : tx.to()));
    fields.add(Rlp.encodeBigInteger(tx.value()));
    fields.add(Rlp.encodeBytes(tx.data()));
    if (tx.type() != Transaction.LEGACY) {
      List<byte[]> entries = new ArrayList<>();
      for (AccessListEntry entry : tx.accessList()) {
        List<byte[]> keys = entry.storageKeys().stream().map(Rlp::encodeBytes).toList();
        entries.add(Rlp.encodeList(Rlp.encodeBytes(entry.address()), Rlp.encodeList(keys)));
      }
      fields.add(Rlp.encodeList(entries));
    }
    if (tx.type() == Transaction.BLOB) {
      fields.add(Rlp.encodeBigInteger(tx.maxFeePerBlobGas()));
      fields.add(Rlp.encodeList(tx.blobVersionedHashes().stream().map(Rlp::encodeBytes).toList()));
    }
    return fields;
  }
}
