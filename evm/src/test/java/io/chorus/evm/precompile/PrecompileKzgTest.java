package io.chorus.evm.precompile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ethereum.ckzg4844.CKZG4844JNI;
import ethereum.ckzg4844.ProofAndY;
import io.chorus.codec.Bytes;
import io.chorus.codec.Hex;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Precompile 0x0a against the consensus specs' verify_kzg_proof vectors (case 31ebd010e6098750,
 * as ethereum/tests' point_evaluation_precompile_external_vectors calls the precompile with it;
 * made with the mainnet setup, so they also prove the bundled setup is that one), and against
 * proofs computed here with c-kzg for a blob of our own: valid ones pass, and one flipped bit
 * anywhere fails.
 */
class PrecompileKzgTest {
  private static final Precompile POINT_EVALUATION = Precompiles.at(10);
  private static final String SUCCESS =
      "0000000000000000000000000000000000000000000000000000000000001000"
          + "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";
  private static final String HASH_Z_Y_COMMITMENT =
      "01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b"
          + "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000"
          + "1522a4a7f34e1ea350ae07c29c96c7e79655aa926122e95fe69fcbd932ca49e9"
          + "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca2"
          + "5f26936857bc3a7c2539ea8ec3a952b7";
  private static final String CORRECT = HASH_Z_Y_COMMITMENT
      + "a62ad71d14c5719385c0686f18714304"
      + "75bf3a00f0aa3f7b8dd99a9abc2160744faf0070725e00b60ad9a026a15b1a8c";
  private static final String INCORRECT = HASH_Z_Y_COMMITMENT
      + "b9b65c2ebc89e669cf19e82fb178f0d1"
      + "e9c958edbebe9ead62e97e95e2dcdc4972729fb9661f0cae3532b71b2664a8c1";

  @BeforeAll
  static void setupLoads() {
    assertTrue(KzgSetup.available(), "c-kzg and the trusted setup must load on this platform");
  }

  @Test
  void consensusSpecVectors() {
    assertEquals(SUCCESS, Hex.encode(POINT_EVALUATION.run(Hex.decode(CORRECT))));
    assertNull(POINT_EVALUATION.run(Hex.decode(INCORRECT)));
    assertEquals(50_000, POINT_EVALUATION.gas(Hex.decode(CORRECT)));
  }

  @Test
  void successOutputIsTheBlobSizeAndTheBlsModulus() {
    byte[] output = POINT_EVALUATION.run(Hex.decode(CORRECT));
    assertEquals(BigInteger.valueOf(4096), new BigInteger(1, Arrays.copyOf(output, 32)));
    assertEquals(new BigInteger(
        "52435875175126190479447740508185965837690552500527637822603658699938581184513"),
        new BigInteger(1, Arrays.copyOfRange(output, 32, 64)));
  }

  @Test
  void proofsOfOurOwnBlobVerifyAndAnyFlippedBitFails() {
    Random random = new Random(31);
    byte[] blob = new byte[CKZG4844JNI.BYTES_PER_BLOB];
    for (int i = 0; i < CKZG4844JNI.FIELD_ELEMENTS_PER_BLOB; i++) {
      // Each 32-byte field element must be below the BLS modulus: keep its top byte zero.
      byte[] element = new byte[31];
      random.nextBytes(element);
      System.arraycopy(element, 0, blob, 32 * i + 1, 31);
    }
    byte[] commitment = CKZG4844JNI.blobToKzgCommitment(blob);
    byte[] z = new byte[32];
    random.nextBytes(z);
    z[0] = 0x1f;
    ProofAndY proof = CKZG4844JNI.computeKzgProof(blob, z);
    byte[] input = input(commitment, z, proof.getY(), proof.getProof());
    assertEquals(SUCCESS, Hex.encode(POINT_EVALUATION.run(input)));
    for (int offset : new int[] {0, 31, 32, 63, 64, 95, 96, 143, 144, 191}) {
      byte[] flipped = input.clone();
      flipped[offset] ^= 1;
      assertNull(POINT_EVALUATION.run(flipped), "bit flipped at byte " + offset);
    }
  }

  @Test
  void versionedHashMustCarryVersionOne() {
    byte[] input = Hex.decode(CORRECT);
    input[0] = 0x02;
    assertNull(POINT_EVALUATION.run(input));
  }

  @Test
  void fieldElementsMustBeBelowTheModulus() {
    byte[] input = Hex.decode(CORRECT);
    byte[] modulus = Bytes.leftPad(Bytes.trimLeadingZeros(CKZG4844JNI.BLS_MODULUS.toByteArray()),
        32);
    System.arraycopy(modulus, 0, input, 32, 32);
    assertNull(POINT_EVALUATION.run(input), "z = modulus");
  }

  @Test
  void inputMustBeExactly192Bytes() {
    byte[] input = Hex.decode(CORRECT);
    assertNull(POINT_EVALUATION.run(Arrays.copyOf(input, 191)));
    assertNull(POINT_EVALUATION.run(Arrays.copyOf(input, 193)));
    assertNull(POINT_EVALUATION.run(Bytes.EMPTY));
  }

  private static byte[] input(byte[] commitment, byte[] z, byte[] y, byte[] proof) {
    byte[] versionedHash = Sha256.digest(commitment);
    versionedHash[0] = 0x01;
    return Bytes.concat(versionedHash, z, y, commitment, proof);
  }
}
