package io.chorus.bench;

import io.chorus.crypto.CryptoSuite;
import io.chorus.proof.BundleFixture;
import io.chorus.proof.ProofBundle;
import io.chorus.proof.ProofVerifier;
import io.chorus.proof.Proven;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Offline verification of one proof bundle, from its JSON text to what it proves: parsing, three
 * seal signatures, the Merkle paths and the transaction's signature (goal ≤ 5 ms, both suites).
 * The bundle is a log proof over a hand-built block of four validators, no set changes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ProofBenchmark {
  @Param({"ethereum", "sm"})
  public String suite;

  private BundleFixture fixture;
  private String json;

  @Setup
  public void setUp() {
    fixture = new BundleFixture(CryptoSuite.byName(suite));
    json = fixture.bundle(ProofBundle.Kind.LOG).toJson();
  }

  @Benchmark
  public Proven verifyLogBundle() {
    return ProofVerifier.verify(ProofBundle.fromJson(json), fixture.root);
  }
}
