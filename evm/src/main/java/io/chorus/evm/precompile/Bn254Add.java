package io.chorus.evm.precompile;

// 0x06: the sum of two bn254 G1 points (EIP-196), priced by EIP-1108.
final class Bn254Add implements Precompile {
  @Override
  public long gas(byte[] input) {
    return 150;
  }

  @Override
  public byte[] run(byte[] input) {
    byte[] in = Input.padded(input, 128);
    G1Point a = Bn254.readG1(in, 0);
    G1Point b = Bn254.readG1(in, 64);
    return a == null || b == null ? null : Bn254.write(a.plus(b));
  }
}
