package io.chorus.crypto;

import org.bouncycastle.crypto.digests.SM3Digest;

/** SM3 (GB/T 32905-2016), the 国密 hash. */
public final class Sm3 implements HashFunction {
  public static final Sm3 INSTANCE = new Sm3();

  private Sm3() {}

  @Override
  public String name() {
    return "sm3";
  }

  @Override
  public byte[] hash(byte[] data, int offset, int length) {
    SM3Digest digest = new SM3Digest();
    digest.update(data, offset, length);
    byte[] out = new byte[DIGEST_BYTES];
    digest.doFinal(out, 0);
    return out;
  }
}
