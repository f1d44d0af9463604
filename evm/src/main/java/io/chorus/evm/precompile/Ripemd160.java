package io.chorus.evm.precompile;

import org.bouncycastle.crypto.digests.RIPEMD160Digest;

// 0x03: RIPEMD-160 of the input, left-padded to a 32-byte word.
final class Ripemd160 implements Precompile {
  @Override
  public long gas(byte[] input) {
    return 600 + 120 * Input.words(input);
  }

  @Override
  public byte[] run(byte[] input) {
    RIPEMD160Digest digest = new RIPEMD160Digest();
    digest.update(input, 0, input.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 12);
    return out;
  }
}
