package io.chorus.evm.precompile;

import org.bouncycastle.crypto.digests.SHA256Digest;

// 0x02: SHA-256 of the input.
final class Sha256 implements Precompile {
  @Override
  public long gas(byte[] input) {
    return 60 + 12 * Input.words(input);
  }

  @Override
  public byte[] run(byte[] input) {
    return digest(input);
  }

  static byte[] digest(byte[] input) {
    SHA256Digest digest = new SHA256Digest();
    digest.update(input, 0, input.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }
}
