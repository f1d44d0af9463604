package io.chorus.evm.trace;

import io.chorus.evm.Tracer;
import java.util.Map;

/**
 * A tracer whose result is Geth's JSON as plain Java values: maps (in Geth's key order), lists,
 * strings, longs and booleans, which a JSON library serializes as they are.
 */
public interface JsonTracer extends Tracer {
  /**
   * The trace of the transaction run with this tracer.
   *
   * @throws TraceLimitException when the trace outgrew one of the tracer's bounds
   * @throws IllegalStateException before a transaction has been traced
   */
  Map<String, Object> result();
}
