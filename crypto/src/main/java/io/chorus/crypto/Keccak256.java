package io.chorus.crypto;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Keccak-256 as Ethereum uses it (the original Keccak padding, not NIST SHA3-256). */
public final class Keccak256 implements HashFunction {
  public static final Keccak256 INSTANCE = new Keccak256();

  private Keccak256() {}

  @Override
  public String name() {
    return "keccak256";
  }

  @Override
  public byte[] hash(byte[] data, int offset, int length) {
    KeccakDigest digest = new KeccakDigest(256);
    digest.update(data, offset, length);
    byte[] out = new byte[DIGEST_BYTES];
    digest.doFinal(out, 0);
    return out;
  }
}
