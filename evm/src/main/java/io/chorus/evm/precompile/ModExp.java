package io.chorus.evm.precompile;

import io.chorus.codec.Bytes;
import java.math.BigInteger;

// 0x05: base^exp mod m on big-endian integers of any length (EIP-198), priced by EIP-2565.
// The input is baseLength(32) expLength(32) modLength(32) base exp mod. The lengths are 256-bit
// words a caller may set to anything, so gas is computed in BigInteger and saturates; run
// allocates only lengths that some gas could pay for.
final class ModExp implements Precompile {
  private static final long MIN_GAS = 200;
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger WORD = BigInteger.valueOf(32);
  private static final BigInteger MAX_MODULUS_BYTES = BigInteger.ONE.shiftLeft(24);

  @Override
  public long gas(byte[] input) {
    BigInteger baseLength = Input.word(input, 0);
    BigInteger expLength = Input.word(input, 32);
    BigInteger modLength = Input.word(input, 64);
    BigInteger words = baseLength.max(modLength).add(BigInteger.valueOf(7)).shiftRight(3);
    BigInteger iterations = iterations(input, baseLength, expLength).max(BigInteger.ONE);
    BigInteger gas = words.multiply(words).multiply(iterations).divide(BigInteger.valueOf(3));
    return Math.max(MIN_GAS, gas.min(LONG_MAX).longValue());
  }

  // EIP-2565's iteration count: the exponent's bit length less one, counting the bits past its
  // first 32 bytes as 8 per byte without reading them.
  private static BigInteger iterations(byte[] input, BigInteger baseLength, BigInteger expLength) {
    BigInteger headOffset = baseLength.add(BigInteger.valueOf(96));
    int headLength = expLength.min(WORD).intValue();
    BigInteger head = headOffset.bitLength() < Integer.SIZE
        ? new BigInteger(1, Input.slice(input, headOffset.longValue(), headLength))
        : BigInteger.ZERO;
    BigInteger highBit = BigInteger.valueOf(Math.max(head.bitLength() - 1, 0));
    return expLength.compareTo(WORD) <= 0
        ? highBit
        : expLength.subtract(WORD).shiftLeft(3).add(highBit);
  }

  @Override
  public byte[] run(byte[] input) {
    BigInteger baseLength = Input.word(input, 0);
    BigInteger expLength = Input.word(input, 32);
    BigInteger modLength = Input.word(input, 64);
    if (modLength.signum() == 0) {
      return Bytes.EMPTY;
    }
    // A modulus past 16 MiB costs over 10¹² gas, and any length past 2³¹ bytes over 5·10⁹: no
    // block holds that, so such a call can only be one that ran out of gas.
    if (modLength.compareTo(MAX_MODULUS_BYTES) > 0 || baseLength.compareTo(INT_MAX) > 0
        || expLength.compareTo(INT_MAX) > 0) {
      return null;
    }
    long expOffset = 96 + baseLength.longValue();
    long modOffset = expOffset + expLength.longValue();
    int modBytes = modLength.intValue();
    BigInteger modulus = new BigInteger(1, Input.slice(input, modOffset, modBytes));
    if (modulus.signum() == 0) {
      return new byte[modBytes];
    }
    // A nonzero modulus lies inside the input, so the base and exponent before it do too: they
    // allocate no more than the input's own size, whatever lengths the header claims.
    BigInteger base = new BigInteger(1, Input.slice(input, 96, baseLength.intValue()));
    BigInteger exp = new BigInteger(1, Input.slice(input, expOffset, expLength.intValue()));
    return Bytes.leftPad(Bytes.trimLeadingZeros(base.modPow(exp, modulus).toByteArray()), modBytes);
  }
}
