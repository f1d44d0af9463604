package io.chorus.consensus.sim;

/** An invariant the simulator found broken; the kind sorts failures like an exit code would. */
final class SimulationFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Failure classes. */
  enum Kind { SAFETY, BAD_CERTIFICATE, HONEST_EQUIVOCATION, UNPERSISTED_VOTE, TIMESTAMP,
    INVALID_BLOCK, LIVENESS, CRASH }

  final Kind kind;

  SimulationFailure(Kind kind, String message) {
    super(kind + ": " + message);
    this.kind = kind;
  }

  SimulationFailure(Kind kind, String message, Throwable cause) {
    super(kind + ": " + message, cause);
    this.kind = kind;
  }
}
