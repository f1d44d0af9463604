package io.chorus.p2p.tls;

import io.chorus.codec.Hex;
import java.util.Arrays;
import java.util.Objects;

/**
 * A node's consensus identity as its chain certificate binds it: the crypto suite's name
 * ({@code ethereum} or {@code sm}) and the raw 64-byte public key (x || y) the node signs
 * consensus messages with. The node's chain address is {@code suite.address(publicKey)}.
 */
public record ConsensusIdentity(String suite, byte[] publicKey) {
  /** The length of a raw consensus public key, x || y of secp256k1 or SM2. */
  public static final int PUBLIC_KEY_BYTES = 64;

  public ConsensusIdentity {
    Objects.requireNonNull(suite, "suite");
    if (suite.isEmpty()) {
      throw new IllegalArgumentException("a consensus identity needs a suite name");
    }
    if (publicKey.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException(
          "a consensus public key has " + PUBLIC_KEY_BYTES + " bytes, not " + publicKey.length);
    }
    publicKey = publicKey.clone();
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ConsensusIdentity o
        && suite.equals(o.suite)
        && Arrays.equals(publicKey, o.publicKey);
  }

  @Override
  public int hashCode() {
    return 31 * suite.hashCode() + Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "ConsensusIdentity[" + suite + ", " + Hex.encode0x(publicKey) + "]";
  }
}
