package io.chorus.proof;

import io.chorus.crypto.CryptoSuite;
import java.math.BigInteger;
import java.util.List;

/**
 * What a verifier trusts, all of it taken from the chain's genesis file: the chain id, the crypto
 * suite, the genesis block's hash (which binds every other genesis choice) and the genesis
 * validators' 64-byte public keys. Nothing a proof bundle says about these is believed.
 */
public record TrustRoot(BigInteger chainId, CryptoSuite suite, byte[] genesisHash,
    List<byte[]> validators) {

  /** Checks sizes; copies. */
  public TrustRoot {
    if (genesisHash.length != 32) {
      throw new IllegalArgumentException("the genesis hash is 32 bytes, got "
          + genesisHash.length);
    }
    if (validators.isEmpty()) {
      throw new IllegalArgumentException("a trust root needs the genesis validators");
    }
    for (byte[] key : validators) {
      if (key.length != 64) {
        throw new IllegalArgumentException("a validator is a 64-byte public key, got "
            + key.length + " bytes");
      }
    }
    genesisHash = genesisHash.clone();
    validators = validators.stream().map(byte[]::clone).toList();
  }

  @Override
  public byte[] genesisHash() {
    return genesisHash.clone();
  }
}
