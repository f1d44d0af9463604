package io.chorus.bench;

import io.chorus.crypto.CommitmentException;
import io.chorus.crypto.CryptoSuite;
import io.chorus.crypto.KeyPair;
import io.chorus.crypto.Signature;
import io.chorus.crypto.ValueCommitments;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.KeccakDigest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Signature and hash costs per operation in both suites. The node's budget is ~150 µs of CPU per
 * transaction per validator, so signature checks must stay well under 100 µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CryptoBenchmark {
  private final CryptoSuite ethereum = CryptoSuite.ethereum();
  private final CryptoSuite sm = CryptoSuite.sm();
  private KeyPair ethereumKeys;
  private KeyPair smKeys;
  private byte[] digest;
  private Signature ethereumSignature;
  private Signature smSignature;
  private byte[] data32;
  private byte[] data1k;
  private final RangeProof ethereumRange = new RangeProof(ethereum);
  private final RangeProof smRange = new RangeProof(sm);

  /** A confidential amount's commitment and its range proof, as a receivable carries them. */
  static final class RangeProof {
    final ValueCommitments commitments;
    final BigInteger value = BigInteger.valueOf(123_456_789_00L);
    final BigInteger blinding;
    final byte[] commitment;
    final byte[] proof;
    final byte[] context = "benchmark".getBytes(StandardCharsets.US_ASCII);
    final SecureRandom random = new SecureRandom();

    RangeProof(CryptoSuite suite) {
      commitments = suite.commitments();
      blinding = commitments.randomBlinding(random);
      commitment = commitments.commit(value, blinding);
      proof = prove();
    }

    byte[] prove() {
      return commitments.proveRange(value, blinding, BigInteger.ONE, context, random);
    }

    byte[] verify() throws CommitmentException {
      commitments.verifyRange(commitment, BigInteger.ONE, proof, context);
      return proof;
    }
  }

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(42);
    byte[] privateKey = new byte[32];
    random.nextBytes(privateKey);
    privateKey[0] &= 0x7f; // below both curve orders
    ethereumKeys = ethereum.keyPair(privateKey);
    smKeys = sm.keyPair(privateKey);
    digest = new byte[32];
    random.nextBytes(digest);
    ethereumSignature = ethereum.sign(digest, ethereumKeys);
    smSignature = sm.sign(digest, smKeys);
    data32 = new byte[32];
    random.nextBytes(data32);
    data1k = new byte[1024];
    random.nextBytes(data1k);
  }

  @Benchmark
  public Signature secp256k1Sign() {
    return ethereum.sign(digest, ethereumKeys);
  }

  @Benchmark
  public boolean secp256k1Verify() {
    return ethereum.verify(digest, ethereumSignature, ethereumKeys.publicKey());
  }

  @Benchmark
  public byte[] secp256k1Recover() {
    return ethereum.recoverPublicKey(digest, ethereumSignature);
  }

  @Benchmark
  public Signature sm2Sign() {
    return sm.sign(digest, smKeys);
  }

  @Benchmark
  public boolean sm2Verify() {
    return sm.verify(digest, smSignature, smKeys.publicKey());
  }

  @Benchmark
  public byte[] keccak256Of32Bytes() {
    return ethereum.hash(data32);
  }

  @Benchmark
  public byte[] keccak256Of1KiB() {
    return ethereum.hash(data1k);
  }

  /** BouncyCastle's KeccakDigest on the same 32 bytes: the baseline for our own permutation. */
  @Benchmark
  public byte[] keccak256Of32BytesBouncyCastle() {
    KeccakDigest digest = new KeccakDigest(256);
    digest.update(data32, 0, data32.length);
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  @Benchmark
  public byte[] sm3Of32Bytes() {
    return sm.hash(data32);
  }

  @Benchmark
  public byte[] sm3Of1KiB() {
    return sm.hash(data1k);
  }

  @Benchmark
  public byte[] secp256k1RangeProofVerify() throws CommitmentException {
    return ethereumRange.verify();
  }

  @Benchmark
  public byte[] sm2RangeProofVerify() throws CommitmentException {
    return smRange.verify();
  }

  @Benchmark
  public byte[] secp256k1RangeProofProve() {
    return ethereumRange.prove();
  }

  @Benchmark
  public byte[] sm2RangeProofProve() {
    return smRange.prove();
  }
}
