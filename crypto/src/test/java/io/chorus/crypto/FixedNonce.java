package io.chorus.crypto;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.signers.DSAKCalculator;

// A nonce source that always yields one k: for the standards' fixed-k examples and oracles.
record FixedNonce(BigInteger k) implements DSAKCalculator {

  static FixedNonce of(String hex) {
    return new FixedNonce(new BigInteger(hex, 16));
  }

  // A random source whose every draw is k's 32 bytes, for BouncyCastle signers that take nonces
  // only from a SecureRandom (SM2Signer draws each candidate k as 32 random bytes).
  SecureRandom asRandom() {
    byte[] bytes = EthereumSuiteTest.scalar(k);
    return new SecureRandom() {
      @Override
      public void nextBytes(byte[] out) {
        System.arraycopy(bytes, 0, out, 0, out.length);
      }
    };
  }

  @Override
  public boolean isDeterministic() {
    return true;
  }

  @Override
  public void init(BigInteger n, SecureRandom random) {}

  @Override
  public void init(BigInteger n, BigInteger d, byte[] message) {}

  @Override
  public BigInteger nextK() {
    return k;
  }
}
