package io.chorus.evm.precompile;

import io.chorus.codec.Bytes;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.Signature;
import java.math.BigInteger;
import java.util.Arrays;

// 0x01: the address that signed a digest, from hash(32) v(32) r(32) s(32). Always secp256k1 and
// keccak, whatever suite the chain uses: contracts verify Ethereum signatures with it. A
// signature that recovers nothing is an empty output, not a failed call.
final class EcRecover implements Precompile {
  private static final CryptoSuite ETHEREUM = CryptoSuite.ethereum();
  private static final BigInteger V27 = BigInteger.valueOf(27);
  private static final BigInteger V28 = BigInteger.valueOf(28);

  @Override
  public long gas(byte[] input) {
    return 3000;
  }

  @Override
  public byte[] run(byte[] input) {
    byte[] in = Input.padded(input, 128);
    BigInteger v = new BigInteger(1, Arrays.copyOfRange(in, 32, 64));
    BigInteger r = new BigInteger(1, Arrays.copyOfRange(in, 64, 96));
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(in, 96, 128));
    // v is a whole word: 27 or 28, nothing else, not even with high bits set.
    int recoveryId = v.equals(V27) ? 0 : v.equals(V28) ? 1 : -1;
    if (recoveryId < 0) {
      return Bytes.EMPTY;
    }
    try {
      // The suite rejects r and s outside [1, n-1] and an r that names no curve point.
      byte[] publicKey = ETHEREUM.recoverPublicKey(
          Arrays.copyOf(in, 32), new Signature(r, s, recoveryId));
      return Bytes.leftPad(ETHEREUM.address(publicKey), 32);
    } catch (IllegalArgumentException e) {
      return Bytes.EMPTY;
    }
  }
}
