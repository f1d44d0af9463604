package io.chorus.proof;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.chorus.crypto.CryptoSuite;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzzes the verifier from valid bundles of every kind in both suites: the input's bytes, in
 * pairs, overwrite characters of a bundle's JSON (or, past it, the raw text is tried as it is).
 * Whatever comes out is proven or refused with {@link ProofException} — never another exception.
 */
public class ProofBundleFuzzTest {
  private static final List<BundleFixture> FIXTURES = List.of(
      new BundleFixture(CryptoSuite.ethereum()), new BundleFixture(CryptoSuite.sm()));

  /** Entry point for long runs with the standalone driver: {@code ./chorus fuzz}. */
  public static void fuzzerTestOneInput(byte[] input) {
    verifyIsTotal(input);
  }

  @FuzzTest(maxDuration = "10s")
  void fuzz(byte[] input) {
    verifyIsTotal(input);
  }

  private static void verifyIsTotal(byte[] input) {
    if (input.length == 0) {
      return;
    }
    BundleFixture fixture = FIXTURES.get(input[0] & 1);
    ProofBundle.Kind kind = ProofBundle.Kind.values()[(input[0] >>> 1 & 0x7f)
        % ProofBundle.Kind.values().length];
    String text;
    if ((input[0] & 0x80) != 0) {
      text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    } else {
      char[] json = fixture.bundle(kind).toJson().toCharArray();
      for (int i = 1; i + 1 < input.length; i += 2) {
        json[((input[i] & 0xff) * 131 + i * 17) % json.length] = (char) (input[i + 1] & 0x7f);
      }
      text = new String(json);
    }
    try {
      ProofVerifier.verify(ProofBundle.fromJson(text), fixture.root);
    } catch (ProofException refused) {
      // a refusal that names what failed is the expected answer to a damaged bundle
    }
  }
}
