package io.chorus.crosschain;

import io.chorus.consensus.CryptoVerifier;
import io.chorus.crypto.CryptoSuite;
import java.math.BigInteger;

/**
 * The chain a light client follows, as a governance vote records it when creating the client:
 * its chain id, crypto suite and genesis block hash. Its validators' seals are checked in its
 * suite and under its domain ({@link CryptoVerifier#forChain}), so a certificate made on another
 * chain — even one whose validators reuse the same keys — never verifies.
 */
public record SourceChain(BigInteger chainId, CryptoSuite suite, byte[] genesisHash) {

  /** Checks the values a vote could get wrong; copies the hash. */
  public SourceChain {
    if (chainId.signum() <= 0) {
      throw new IllegalArgumentException("a chain id is positive, got " + chainId);
    }
    if (genesisHash.length != 32) {
      throw new IllegalArgumentException("the genesis hash is 32 bytes, got "
          + genesisHash.length);
    }
    if (StateRoots.isZero(genesisHash)) {
      throw new IllegalArgumentException("the genesis hash is all zero: no chain has it");
    }
    genesisHash = genesisHash.clone();
  }

  @Override
  public byte[] genesisHash() {
    return genesisHash.clone();
  }

  /** What checks this chain's commit seals. */
  public CryptoVerifier verifier() {
    return CryptoVerifier.forChain(suite, chainId, genesisHash);
  }
}
