package io.chorus.evm.precompile;

import java.math.BigInteger;
import java.util.Arrays;

// 0x07: a bn254 G1 point times a 256-bit scalar (EIP-196), priced by EIP-1108.
final class Bn254Mul implements Precompile {
  @Override
  public long gas(byte[] input) {
    return 6000;
  }

  @Override
  public byte[] run(byte[] input) {
    byte[] in = Input.padded(input, 96);
    G1Point point = Bn254.readG1(in, 0);
    BigInteger scalar = new BigInteger(1, Arrays.copyOfRange(in, 64, 96));
    return point == null ? null : Bn254.write(point.times(scalar));
  }
}
