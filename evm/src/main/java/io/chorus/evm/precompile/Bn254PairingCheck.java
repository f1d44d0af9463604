package io.chorus.evm.precompile;

// 0x08: whether e(P1, Q1)·…·e(Pk, Qk) = 1 for k pairs of a G1 and a G2 point of 192 bytes each
// (EIP-197), priced by EIP-1108. Output is the word 1 or 0; no pairs at all give 1.
final class Bn254PairingCheck implements Precompile {
  private static final int PAIR_BYTES = 192;

  @Override
  public long gas(byte[] input) {
    return 45_000 + 34_000L * (input.length / PAIR_BYTES);
  }

  @Override
  public byte[] run(byte[] input) {
    if (input.length % PAIR_BYTES != 0) {
      return null;
    }
    int pairs = input.length / PAIR_BYTES;
    G1Point[] g1 = new G1Point[pairs];
    G2Point[] g2 = new G2Point[pairs];
    for (int i = 0; i < pairs; i++) {
      g1[i] = Bn254.readG1(input, PAIR_BYTES * i);
      g2[i] = Bn254.readG2(input, PAIR_BYTES * i + 64);
      if (g1[i] == null || g2[i] == null) {
        return null;
      }
    }
    byte[] out = new byte[32];
    out[31] = (byte) (Pairing.pairing(g1, g2).isOne() ? 1 : 0);
    return out;
  }
}
