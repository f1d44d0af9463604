package io.chorus.evm.precompile;

import ethereum.ckzg4844.CKZG4844JNI;
import java.lang.System.Logger.Level;

// The native c-kzg library with the mainnet trusted setup, loaded on first use: loading takes
// seconds, and most chains never evaluate a point. The library keeps one setup per process, so
// everything in this JVM that needs it must come through here.
//
// The setup is the KZG ceremony's output in c-kzg's text format (4096 G1 points in Lagrange
// form, 65 G2 points, 4096 G1 points in monomial form), sha256 e695ba99…a7d7ff, as
// org.web3j:crypto 4.14.0 ships it; jc-kzg itself ships none. The consensus specs' vectors in
// PrecompileKzgTest only verify with this setup.
final class KzgSetup {
  private static final String RESOURCE = "kzg-trusted-setup-mainnet.txt";

  private KzgSetup() {}

  // Whether the library and setup loaded; false on a platform the library has no build for.
  static boolean available() {
    return Holder.AVAILABLE;
  }

  // Class initialisation runs once, under the JVM's lock: a thread-safe lazy load.
  private static final class Holder {
    static final boolean AVAILABLE = load();
  }

  private static boolean load() {
    try {
      CKZG4844JNI.loadNativeLibrary();
      CKZG4844JNI.loadTrustedSetupFromResource(RESOURCE, KzgSetup.class, 0);
      return true;
    } catch (RuntimeException | LinkageError e) {
      System.getLogger(KzgSetup.class.getName()).log(Level.WARNING,
          "KZG point evaluation is unavailable: every call to precompile 0x0a will fail", e);
      return false;
    }
  }
}
