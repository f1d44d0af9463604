package io.chorus.evm.precompile;

/** The precompiled contracts of the Cancun fork, at addresses 0x01 to 0x0a. */
public final class Precompiles {
  /** How many precompiles Cancun has: their address indexes run from 1 to {@code COUNT}. */
  public static final int COUNT = 10;

  // Stateless, so one instance of each serves every call and thread.
  private static final Precompile[] CANCUN = {
      new EcRecover(),
      new Sha256(),
      new Ripemd160(),
      new Identity(),
      new ModExp(),
      new Bn254Add(),
      new Bn254Mul(),
      new Bn254PairingCheck(),
      new Blake2f(),
      new PointEvaluation(),
  };

  private Precompiles() {}

  /** The precompile at address index {@code index} (1 to {@link #COUNT}), or null if none. */
  public static Precompile at(int index) {
    return index >= 1 && index <= COUNT ? CANCUN[index - 1] : null;
  }
}
