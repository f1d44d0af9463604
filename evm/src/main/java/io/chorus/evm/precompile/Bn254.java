package io.chorus.evm.precompile;

import java.math.BigInteger;
import java.util.Arrays;

// The EVM encoding of bn254 points (EIP-196, EIP-197): big-endian 32-byte coordinates, each below
// p, with all zeros for the point at infinity. A G2 coordinate a + b·i is written b first.
final class Bn254 {
  private Bn254() {}

  // The G1 point at `offset`, or null when a coordinate is not below p or it is off the curve.
  static G1Point readG1(byte[] in, int offset) {
    Fp x = coordinate(in, offset);
    Fp y = coordinate(in, offset + 32);
    return x == null || y == null ? null : G1Point.fromAffine(x, y);
  }

  // The G2 point at `offset`, or null when it is malformed, off the twist or outside G2.
  static G2Point readG2(byte[] in, int offset) {
    Fp xImaginary = coordinate(in, offset);
    Fp xReal = coordinate(in, offset + 32);
    Fp yImaginary = coordinate(in, offset + 64);
    Fp yReal = coordinate(in, offset + 96);
    if (xImaginary == null || xReal == null || yImaginary == null || yReal == null) {
      return null;
    }
    G2Point point = G2Point.fromAffine(new Fp2(xReal, xImaginary), new Fp2(yReal, yImaginary));
    return point == null || !point.inSubgroup() ? null : point;
  }

  static byte[] write(G1Point point) {
    Fp[] affine = point.toAffine();
    byte[] out = new byte[64];
    writeCoordinate(affine[0], out, 0);
    writeCoordinate(affine[1], out, 32);
    return out;
  }

  private static Fp coordinate(byte[] in, int offset) {
    BigInteger value = new BigInteger(1, Arrays.copyOfRange(in, offset, offset + 32));
    return value.compareTo(Fp.P) < 0 ? Fp.of(value) : null;
  }

  private static void writeCoordinate(Fp value, byte[] out, int offset) {
    byte[] bytes = value.toBigInteger().toByteArray();
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, out, offset + 32 - length, length);
  }
}
