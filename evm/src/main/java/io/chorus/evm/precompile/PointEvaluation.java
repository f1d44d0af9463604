package io.chorus.evm.precompile;

import ethereum.ckzg4844.CKZG4844JNI;
import ethereum.ckzg4844.CKZGException;
import io.chorus.codec.Bytes;
import java.math.BigInteger;
import java.util.Arrays;

// 0x0a: checks a KZG proof that the blob committed to takes value y at z (EIP-4844). Input:
// versionedHash(32) z(32) y(32) commitment(48) proof(48); the versioned hash must be the
// commitment's. Success returns the blob size and the BLS modulus, so callers can check both.
final class PointEvaluation implements Precompile {
  private static final int INPUT_BYTES = 192;
  private static final byte VERSION_KZG = 0x01;
  private static final byte[] OUTPUT = Bytes.concat(
      word(BigInteger.valueOf(CKZG4844JNI.FIELD_ELEMENTS_PER_BLOB)),
      word(CKZG4844JNI.BLS_MODULUS));

  @Override
  public long gas(byte[] input) {
    return 50_000;
  }

  @Override
  public byte[] run(byte[] input) {
    if (input.length != INPUT_BYTES) {
      return null;
    }
    byte[] commitment = Arrays.copyOfRange(input, 96, 144);
    byte[] versionedHash = Sha256.digest(commitment);
    versionedHash[0] = VERSION_KZG;
    if (!Arrays.equals(versionedHash, Arrays.copyOf(input, 32)) || !KzgSetup.available()) {
      return null;
    }
    try {
      boolean valid = CKZG4844JNI.verifyKzgProof(commitment, Arrays.copyOfRange(input, 32, 64),
          Arrays.copyOfRange(input, 64, 96), Arrays.copyOfRange(input, 144, 192));
      return valid ? OUTPUT.clone() : null;
    } catch (CKZGException e) {
      // z or y not below the BLS modulus, or a commitment or proof that is no G1 point.
      return null;
    }
  }

  private static byte[] word(BigInteger value) {
    return Bytes.leftPad(Bytes.trimLeadingZeros(value.toByteArray()), 32);
  }
}
