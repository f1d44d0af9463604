package io.chorus.consensus.sim;

import io.chorus.crypto.CryptoSuite;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Goal: the fake authenticator hides nothing. Method: a few full simulations (faults, Byzantine
 * peers) signed and verified with the real ethereum suite (secp256k1 + keccak-256).
 */
class CryptoSimulationTest {

  @ParameterizedTest
  @ValueSource(longs = {3, 17, 29})
  void realSignaturesKeepSafetyAndLiveness(long seed) {
    SimOptions options = SimOptions.choose(seed);
    new Simulation(seed, options, new CryptoAuth(CryptoSuite.ethereum(), options.members(), seed), false)
        .run();
  }
}
